"""Campaign.victim_count loses its own index: intel_campaign_rank (victim_count DESC,
loss_main DESC, id DESC) begins with it and serves the one query that orders by it, and
every campaign whose figures change (each report linked into it) paid for both. Dropped
by name, as in 0003: altering the field would make SQLite copy the table.
"""

from django.db import migrations, models

INDEX = "intel_campaign_victim_count_318d309d"  # the name Django gave it in 0001


def drop_index(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create_index(apps, schema_editor) -> None:
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON intel_campaign ("victim_count")')


class Migration(migrations.Migration):
    dependencies = [("intel", "0003_redundant_indexes_dropped")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="campaign",
                    name="victim_count",
                    field=models.PositiveIntegerField(default=0),
                ),
            ],
            database_operations=[migrations.RunPython(drop_index, create_index)],
        ),
    ]
