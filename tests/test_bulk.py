"""markaz.bulk: rows inserted without model instances read back as the ORM wrote them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from markaz.bulk import rows_insert, value_converter
from markaz.intel.models import Indicator

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC),
    datetime(2026, 3, 1, 9, 30, 15, tzinfo=ZoneInfo("Asia/Dushanbe")),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/New_York")),
]


@pytest.mark.parametrize("moment", [*MOMENTS, None], ids=["utc", "dushanbe", "new-york", "none"])
def test_datetime_conversion_is_the_fields_own(moment):
    field = Indicator._meta.get_field("first_seen")
    convert = value_converter(field)
    assert convert is not None
    assert convert(moment) == field.get_db_prep_save(moment, connection)


def test_text_and_numbers_need_no_conversion():
    assert value_converter(Indicator._meta.get_field("value")) is None
    assert value_converter(Indicator._meta.get_field("report_count")) is None


def test_inserted_rows_read_back_with_their_times_and_defaults():
    rows_insert(
        Indicator,
        ("kind", "value", "first_seen", "last_seen"),
        [("telegram", f"name{n}", moment, moment) for n, moment in enumerate(MOMENTS)],
    )
    stored = {i.value: i for i in Indicator.objects.all()}
    for n, moment in enumerate(MOMENTS):
        indicator = stored[f"name{n}"]
        assert indicator.first_seen == moment
        assert (indicator.report_count, indicator.warned) == (0, False)
