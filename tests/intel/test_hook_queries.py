"""The intake hook writes a report's indicators, sightings and campaign in a bounded number
of queries, whatever the number of identifiers or the size of the campaigns it joins."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from markaz.intel.models import Campaign
from tests.intel.conftest import campaign_of, submit

# Queries on intel tables for one fresh report, merges included: warning-list version,
# indicator upsert and lock, counters, sightings, index row, watchers, neighbours,
# memberships, campaign sizes, merge (update, watchers, delete), members, figures.
HOOK_QUERY_BOUND = 20


def _intel_queries(*identifiers: tuple[str, str], narrative: str = "Пул гирифтанд."):
    with CaptureQueriesContext(connection) as captured:
        report = submit(*identifiers, narrative=narrative)
    return report, sum("intel_" in q["sql"] for q in captured.captured_queries)


def test_hook_query_count_does_not_grow_with_identifiers_or_campaigns(db):
    phones = [f"93 555 12 {n:02d}" for n in range(10, 20)]
    for phone in phones[:5]:
        submit(("phone", phone))
        submit(("phone", phone))
    assert Campaign.objects.count() == 5
    _report, one = _intel_queries(("phone", "93 777 00 01"))
    bridge, many = _intel_queries(
        *[("phone", p) for p in phones],
        ("social", "@one_more_shop"),
        narrative="Карта 4400 4301 2345 6789, сайт tcell-bonus[.]top, почта x@scam.tj",
    )
    assert Campaign.objects.count() == 1 and campaign_of(bridge) is not None
    assert one <= HOOK_QUERY_BOUND
    assert many <= HOOK_QUERY_BOUND + 4  # the merge of five campaigns: watchers moved per campaign


def test_a_report_joining_a_campaign_reads_back_nothing_it_wrote_or_could_join(db):
    """Every round trip is time a victim waits for: the campaign's and the neighbour's
    figures come with the neighbour read, the watches of the indicator and of the campaign
    in one read, and nothing written is read back."""
    submit(("phone", "93 555 12 10"))
    submit(("phone", "93 555 12 10"))
    with CaptureQueriesContext(connection) as captured:
        joined = submit(("phone", "93 555 12 10"))
    assert campaign_of(joined) is not None
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert sum('FROM "intel_watch"' in sql for sql in reads) == 1
    assert not [
        sql
        for sql in reads
        if 'FROM "intel_campaign"' in sql
        or 'FROM "intel_reportindex"' in sql
        or 'FROM "intake_report"' in sql
    ]
