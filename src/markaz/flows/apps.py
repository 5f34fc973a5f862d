from django.apps import AppConfig


class FlowsConfig(AppConfig):
    """No models: an app so that the commands of acts spanning apps (``markaz import``)
    are found where the acts are."""

    name = "markaz.flows"
    label = "flows"
