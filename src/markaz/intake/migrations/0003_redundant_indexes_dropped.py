"""Report.status loses its own index: report_inbox_idx (status, submitted_at) begins with
it, and every report stored paid for both (on PostgreSQL also for a ``_like`` copy that no
query uses). Dropped by name: altering the field would make SQLite copy the whole table.
"""

from django.db import migrations, models

# The names Django gave them in 0001 (the same on every installation).
INDEX = "intake_report_status_b5344d04"


def drop_indexes(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}_like")


def create_indexes(apps, schema_editor) -> None:
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON intake_report ("status")')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX}_like ON intake_report ("status" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_report_narrative_search_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("received", "Received"),
                            ("in_triage", "In triage"),
                            ("needs_information", "Needs more information"),
                            ("linked_to_case", "Linked to a case"),
                            ("duplicate", "Duplicate"),
                            ("closed", "Closed"),
                        ],
                        default="received",
                        max_length=32,
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
