from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Only for `markaz demo`: the app has no models, no URLs, no migrations."""

    name = "markaz.demo"
    label = "demo"
    verbose_name = "Demo"
