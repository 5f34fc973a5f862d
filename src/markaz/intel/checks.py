"""System checks of the database under Markaz (run by every `markaz migrate`, and by
`markaz check --database default`).

Linking at a national scale stands on PostgreSQL's planner choosing the partial indexes
(docs/intel.md, "At a national scale"), and the planner chooses by statistics that
autovacuum keeps current; its visibility map is what lets the neighbour reads skip the
table. With autovacuum off both go stale, and plans go wrong as tables grow: on such a
server an import's external-id lookup read every report of its submitter per batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import connections

AUTOVACUUM_OFF = "markaz.W001"


@register(Tags.database)
def autovacuum_on(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """A warning for each PostgreSQL database whose server runs without autovacuum."""
    messages: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('autovacuum'), current_setting('track_counts')")
            autovacuum, track_counts = cursor.fetchone()
        if autovacuum != "on" or track_counts != "on":
            messages.append(
                CheckWarning(
                    f"PostgreSQL's autovacuum does not run (autovacuum={autovacuum}, "
                    f"track_counts={track_counts}): the planner's statistics and the "
                    "visibility map go stale as reports arrive, and the linking queries slow "
                    "down.",
                    hint="Set autovacuum = on and track_counts = on in postgresql.conf, or "
                    "run VACUUM ANALYZE after every import and at least daily.",
                    obj=alias,
                    id=AUTOVACUUM_OFF,
                )
            )
    return messages
