from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "markaz.evidence"
    label = "evidence"
    verbose_name = "Evidence"
