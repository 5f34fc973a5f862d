"""Sighting.report and Sighting.indicator lose their own indexes: the unique (report,
indicator) index and intel_sighting_ind_role_idx (indicator, role) begin with them, and
every sighting stored paid for all of them. Dropped by name: altering the fields would
make SQLite copy the whole table, twice.
"""

import django.db.models.deletion
from django.db import migrations, models

# The names Django gave them in 0001 (the same on every installation): index -> column.
INDEXES = {
    "intel_sighting_indicator_id_3ea62174": "indicator_id",
    "intel_sighting_report_id_71f47638": "report_id",
}


def drop_indexes(apps, schema_editor) -> None:
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_indexes(apps, schema_editor) -> None:
    for name, column in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON intel_sighting ("{column}")')


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_redundant_indexes_dropped"),
        ("intel", "0002_sighting_report_link_idx"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sighting",
                    name="indicator",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sightings",
                        to="intel.indicator",
                    ),
                ),
                migrations.AlterField(
                    model_name="sighting",
                    name="report",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sightings",
                        to="intake.report",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
