"""Narrative search matches the start of words, the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import report_submitted
from tests.intake.test_staff import inbox_references, officer

pytestmark = pytest.mark.django_db

__all__ = ["officer"]  # the fixture


def test_search_finds_words_by_their_beginning(officer):
    hit = report_submitted(narrative="Мошенник продавал телефонро через Telegram.")
    report_submitted(narrative="Звонили из банка.")
    assert inbox_references(officer, q="мошен") == [hit.reference]
    assert inbox_references(officer, q="ТЕЛЕФОН") == [hit.reference]


def test_search_does_not_match_inside_a_word(officer):
    report_submitted(narrative="Мошенник продавал телефон.")
    assert inbox_references(officer, q="шенник") == []


def test_search_every_word_must_begin_a_word(officer):
    hit = report_submitted(narrative="Ҳамёни электронии ман дуздида шуд.")
    report_submitted(narrative="Ҳамёни ман гум шуд.")
    assert inbox_references(officer, q="ҳамён электрон") == [hit.reference]


@pytest.mark.parametrize("text", ["телефон & | ! ( ) :* ' \\", "телефон'):*|(", "<телефон>"])
def test_search_text_with_query_syntax_is_taken_as_words(officer, text):
    hit = report_submitted(narrative="Мошенник продавал телефон.")
    assert inbox_references(officer, q=text) == [hit.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_narrative_search_index_exists_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'report_narrative_search_idx'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition
    assert "to_tsvector('simple'" in definition
