"""Per-IP limits on public submissions and status lookups."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from markaz.intake.models import Report
from tests.intake.test_public_form import form_data

pytestmark = pytest.mark.django_db

SUBMIT_LIMITED = (
    "Too many reports were sent from your connection in the last hour. "
    "Please try again later, or call us."
)
STATUS_LIMITED = "Too many attempts from your connection. Please try again in an hour."


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return gettext(message)


def submit(client: Client, ip: str, **extra: str):
    return client.post(reverse("intake:report_new"), form_data(), REMOTE_ADDR=ip, **extra)


def lookup(client: Client, ip: str):
    return client.post(
        reverse("intake:status"),
        {"reference": "MKZ-2026-000001", "status_code": "AAAA-BBBB-CCCC"},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def russian(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


@pytest.fixture
def two_per_hour(settings) -> None:
    settings.MARKAZ_SUBMISSIONS_PER_HOUR = 2
    settings.MARKAZ_STATUS_CHECKS_PER_HOUR = 2


def test_submissions_over_the_limit_get_429_with_translated_message(russian, two_per_hour):
    assert submit(russian, "10.0.0.1").status_code == 302
    assert submit(russian, "10.0.0.1").status_code == 302
    response = submit(russian, "10.0.0.1")
    assert response.status_code == 429
    assert translated(SUBMIT_LIMITED, "ru") in response.content.decode()
    assert response.headers["Content-Language"] == "ru"


def test_submission_over_the_limit_stores_nothing_and_keeps_the_input(client, two_per_hour):
    submit(client, "10.0.0.1")
    submit(client, "10.0.0.1")
    response = submit(client, "10.0.0.1")
    assert response.status_code == 429
    assert Report.objects.count() == 2
    assert form_data()["narrative"] in response.content.decode()


def test_submission_limit_of_one_address_does_not_touch_another(client, two_per_hour):
    for _ in range(3):
        submit(client, "10.0.0.1")
    assert submit(client, "10.0.0.1").status_code == 429
    assert submit(client, "10.0.0.2").status_code == 302


def test_spoofed_forwarded_for_does_not_escape_the_limit(client, two_per_hour):
    for _ in range(2):
        submit(client, "10.0.0.1")
    response = submit(client, "10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert response.status_code == 429


def test_trusted_proxy_header_gives_each_client_its_own_limit(client, two_per_hour, settings):
    settings.MARKAZ_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    for _ in range(2):
        submit(client, "127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 127.0.0.1")
    limited = submit(client, "127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 127.0.0.1")
    other = submit(client, "127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2, 127.0.0.1")
    assert limited.status_code == 429
    assert other.status_code == 302


def test_status_lookups_over_the_limit_get_429_with_translated_message(russian, two_per_hour):
    assert lookup(russian, "10.0.0.1").status_code == 200
    assert lookup(russian, "10.0.0.1").status_code == 200
    response = lookup(russian, "10.0.0.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert translated(STATUS_LIMITED, "ru") in html
    assert 'id="report-status"' not in html


def test_status_lookup_limit_of_one_address_does_not_touch_another(client, two_per_hour):
    for _ in range(3):
        lookup(client, "10.0.0.1")
    assert lookup(client, "10.0.0.1").status_code == 429
    assert lookup(client, "10.0.0.2").status_code == 200


def test_status_lookup_limit_also_stops_a_correct_code(client, two_per_hour):
    """Once an address is over the limit it learns nothing, even by guessing right."""
    response = client.post(reverse("intake:report_new"), form_data(), REMOTE_ADDR="10.0.0.9")
    code = client.session["markaz_receipt"]["status_code"]
    reference = Report.objects.get().reference
    for _ in range(2):
        lookup(client, "10.0.0.1")
    response = client.post(
        reverse("intake:status"),
        {"reference": reference, "status_code": code},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert 'id="report-status"' not in response.content.decode()
