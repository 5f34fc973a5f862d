"""The staff navigation shows how many of the user's own notifications are unread."""

from __future__ import annotations

import re

from django.urls import reverse

from markaz.intel.services import watch_toggle
from tests.intel.conftest import indicator, submit


def unread_badge(client) -> str | None:
    body = client.get(reverse("intake:inbox")).content.decode()
    assert reverse("intel:notifications") in body
    found = re.search(r'id="unread-notifications">(\d+)<', body)
    return found.group(1) if found else None


def test_nav_counts_unread_notifications_until_read(investigator, client):
    submit(("phone", "93 555 12 34"))
    client.force_login(investigator)
    watch_toggle(user=investigator, indicator=indicator("phone", "+992935551234"))
    assert unread_badge(client) is None
    submit(narrative="Аз +992 93 555 12 34 занг заданд.")
    submit(("phone", "+992 (93) 555-12-34"))
    assert unread_badge(client) == "2"
    client.post(reverse("intel:notifications"))
    assert unread_badge(client) is None


def test_nav_counts_only_the_users_own_notifications(investigator, intake_officer, client):
    submit(("phone", "93 555 12 34"))
    watch_toggle(user=investigator, indicator=indicator("phone", "+992935551234"))
    submit(("phone", "935551234"))
    client.force_login(intake_officer)
    assert unread_badge(client) is None
    client.force_login(investigator)
    assert unread_badge(client) == "1"
