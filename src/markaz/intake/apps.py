from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "markaz.intake"
    label = "intake"
    verbose_name = "Intake"
