from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_cache_table(**kwargs: object) -> None:
    # The rate limiter counts in the database cache; its table is not a model, so make
    # sure `migrate` leaves it in place on every database.
    from django.core.management import call_command

    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class AccountsConfig(AppConfig):
    name = "markaz.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
