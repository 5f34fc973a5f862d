"""What links reports and what must not: victims' details, warning lists, the guard."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from markaz.intel.choices import GuardState
from markaz.intel.models import Sighting, WarningListEntry
from markaz.intel.services import indicator_confirm, warninglist_add, warninglist_remove
from tests.intel.conftest import campaign_of, indicator, submit


def test_victim_phone_never_links_two_reports(db):
    first = submit(victim_phone="+992917001122", narrative="Пул гирифтанд.")
    second = submit(victim_phone="91 700 11 22", narrative="Боз пул гирифтанд.")
    assert campaign_of(first) is None and campaign_of(second) is None


def test_victim_phone_written_in_the_narrative_stays_the_victims(db):
    first = submit(victim_phone="+992917001122", narrative="Рақами ман +992 91 700 11 22.")
    second = submit(victim_phone="+992917001122", narrative="Рақами ман 917001122 аст.")
    assert not Sighting.objects.filter(report__in=[first, second], linking=True).exists()
    assert campaign_of(first) is None


def test_victim_email_never_links_two_reports(db):
    first = submit(victim_email="same@example.tj")
    second = submit(victim_email="SAME@example.tj")
    assert campaign_of(first) is None and campaign_of(second) is None


def test_shared_suspect_phone_links_two_reports(db):
    first = submit(("phone", "93 555 12 34"))
    second = submit(narrative="Занг заданд аз +992 93 555-12-34.")
    assert campaign_of(first) == campaign_of(second) is not None


def test_shipped_warning_list_blocks_links(db):
    first = submit(narrative="Сайт gmail.com ва web.telegram.org.")
    second = submit(narrative="Боз gmail.com, web.telegram.org.")
    gmail = indicator("domain", "gmail.com")
    assert gmail.warned and not gmail.links
    assert campaign_of(first) is None and campaign_of(second) is None
    # Still visible: the sightings are there.
    assert Sighting.objects.filter(indicator=gmail).count() == 2


def test_private_ip_ranges_do_not_link(db):
    first = submit(narrative="IP 192.168.1.10")
    second = submit(narrative="IP 192.168.1.10 боз")
    assert indicator("ipv4", "192.168.1.10").warned
    assert campaign_of(first) is None and campaign_of(second) is None


def test_analyst_entry_blocks_and_removal_relinks(db, analyst):
    first = submit(("phone", "93 555 12 34"))
    second = submit(("phone", "935551234"))
    assert campaign_of(first) == campaign_of(second) is not None

    entry = warninglist_add(kind="phone", value="+992 93 555 12 34", note="hotline", actor=analyst)
    assert indicator("phone", "+992935551234").warned
    assert campaign_of(first) is None and campaign_of(second) is None

    warninglist_remove(entry=entry, actor=analyst)
    assert not indicator("phone", "+992935551234").warned
    assert campaign_of(first) == campaign_of(second) is not None


def test_removing_a_shipped_entry_links_and_stays_removed(db, analyst):
    from markaz.intel.warninglist import warninglist_load_shipped

    first = submit(narrative="Сайт mail.ru")
    second = submit(narrative="Сайт mail.ru боз")
    entry = WarningListEntry.objects.get(kind="domain", value="mail.ru")
    warninglist_remove(entry=entry, actor=analyst)
    assert campaign_of(first) == campaign_of(second) is not None
    warninglist_load_shipped()
    assert not WarningListEntry.objects.get(kind="domain", value="mail.ru").active


def test_warning_list_entry_is_normalised(db, analyst):
    entry = warninglist_add(kind="domain", value="HXXPS://Example[.]TJ", note="", actor=analyst)
    assert entry.value == "example.tj"
    with pytest.raises(ValidationError):
        warninglist_add(kind="cidr", value="not a range", note="", actor=analyst)


def test_guard_holds_an_indicator_seen_in_more_than_n_reports(db, guard_limit, analyst):
    reports = [submit(("phone", "93 555 12 34")) for _ in range(guard_limit)]
    assert len({campaign_of(r) for r in reports}) == 1
    late = submit(("phone", "93 555 12 34"))
    phone = indicator("phone", "+992935551234")
    assert phone.guard == GuardState.HELD
    # The first N stay linked; the one over the limit waits for an analyst.
    assert campaign_of(late) is None
    assert campaign_of(reports[0]) is not None

    indicator_confirm(indicator=phone, actor=analyst)
    assert campaign_of(late) == campaign_of(reports[0])
    after = submit(("phone", "93 555 12 34"))
    assert campaign_of(after) == campaign_of(reports[0])


def test_guard_ignores_warned_values(db, guard_limit):
    for _ in range(guard_limit + 1):
        submit(narrative="gmail.com")
    assert indicator("domain", "gmail.com").guard == GuardState.NONE
