from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "markaz.cases"
    label = "cases"
    verbose_name = "Cases"
