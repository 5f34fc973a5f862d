"""The same seed gives the same reports as before the generator became its own package.

The digests below were computed once at 315f828 (main, before the move), from the old
module ``markaz.intake.demo`` with exactly :func:`_digest`: every field of every report
(``dataclasses.asdict``, dates and amounts as ``str``), as compact JSON, SHA-256. The
20,000-report run tells every story at least once (107 then), so a story or word read
back differently from the data files changes it (the last test holds it to that).

A change to a story, a word list or a proportion changes the reports on purpose: then
recompute the digests (for each case, ``_digest(itertools.islice(_reports(count, seed,
cap), first))`` in a Python shell) and say so in the commit.
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from string import Formatter

import pytest

from markaz.demo.generator import DemoReport, generate_reports
from markaz.demo.stories import STORIES

UNTIL = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@functools.cache
def _reports(count: int, seed: int, cap: int = 200) -> tuple[DemoReport, ...]:
    """Generated once per test run; the tests only read them."""
    return tuple(generate_reports(count, seed=seed, until=UNTIL, max_campaign_size=cap))


def _digest(reports: Iterable[DemoReport]) -> str:
    rows = [dataclasses.asdict(report) for report in reports]
    text = json.dumps(rows, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("count", "seed", "cap", "first", "digest"),
    [
        # The demo's default run: its first 200 reports, then all of them.
        (2000, 2026, 200, 200, "d186528640f6993f65bcc8ba8ebca0852c6f943b543c82397b4bb5a160f93d99"),
        (2000, 2026, 200, 2000, "3f10f8aee8a1e2cc27cd36301898ab7bb7d530269e2bd068fea027c4d32ef707"),
        # As bench/intel.py draws them (campaigns up to 5,000): 251 duplicates, every story.
        (
            20000,
            11,
            5000,
            20000,
            "63649b507bdc9ed11081c6ada8d250b93deaad7123bdf669a435413006798fe8",
        ),
    ],
)
def test_a_seed_gives_the_reports_it_gave_before_the_move(count, seed, cap, first, digest):
    assert _digest(itertools.islice(_reports(count, seed, cap), first)) == digest


def test_the_digest_sees_a_change_in_one_field():
    """The pin is not blind: one report's one field changed, the digest changes."""
    reports = list(generate_reports(200, seed=2026, until=UNTIL))
    before = _digest(reports)
    reports[117].victim_gender = "unsaid" if reports[117].victim_gender != "unsaid" else ""
    assert _digest(reports) != before


def test_the_long_run_tells_every_story():
    """What the docstring claims of the 20,000-report digest: no story goes unpinned."""
    narratives = collections.defaultdict(list)
    for report in _reports(20000, 11, 5000):
        narratives[report.category, report.language].append(report.narrative)
    untold = []
    for category, by_lang in STORIES.templates.items():
        for lang, templates in by_lang.items():
            for text, _names in templates:
                pattern = re.compile(
                    ".*?".join(re.escape(literal) for literal, *_rest in Formatter().parse(text))
                )
                if not any(pattern.search(told) for told in narratives[category, lang]):
                    untold.append((category, lang, text))
    assert untold == []
