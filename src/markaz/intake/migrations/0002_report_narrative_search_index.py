"""A GIN index for narrative search on PostgreSQL; nothing on SQLite.

The index is on the same expression that markaz.intake.selectors._narrative_search builds
(SearchVector("narrative", config="simple")), so PostgreSQL uses it for `@@` matches. It is
not declared in Report.Meta: a GinIndex there would be created on SQLite too, where
neither GIN nor to_tsvector exists. SQLite searches the folded column instead.
"""

from django.db import migrations

INDEX = "report_narrative_search_idx"


def create_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON intake_report "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(narrative, '')))"
    )


def drop_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
