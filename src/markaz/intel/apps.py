from django.apps import AppConfig


class IntelConfig(AppConfig):
    name = "markaz.intel"
    label = "intel"
    verbose_name = "Intelligence"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from markaz.intel import checks  # noqa: F401 - registers the database checks
        from markaz.intel.warninglist import warninglist_load_shipped_after_migrate

        # Shipped warning-list entries are data, not schema: loaded (idempotently) after
        # every migrate, so a new release's entries arrive without a data migration.
        post_migrate.connect(warninglist_load_shipped_after_migrate, sender=self)
