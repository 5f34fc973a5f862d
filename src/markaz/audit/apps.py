from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "markaz.audit"
    label = "audit"
    verbose_name = "Audit"
