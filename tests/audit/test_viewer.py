"""The administrators' audit viewer and CSV export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.audit.services import audit_record
from markaz.web.audit.views import csv_safe

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")
EXPORT = reverse("audit:log_export")


@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", [LOG, EXPORT])
@pytest.mark.parametrize("role", ["intake_officer", "investigator", "analyst", "supervisor"])
def test_staff_without_the_permission_get_404(client_as, request, url, role):
    response = client_as(request.getfixturevalue(role)).get(url)
    assert response.status_code == 404


def test_administrator_sees_events_and_the_view_is_audited(client_as, administrator, report):
    response = client_as(administrator).get(LOG)
    assert response.status_code == 200
    actions = [e.action for e in response.context["page"]]
    assert AuditAction.REPORT_SUBMITTED in actions
    assert report.reference in response.content.decode()
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_VIEWED).get()
    assert viewed.actor == administrator
    assert viewed.extra == {"filters": {}, "page": 1}


def test_nav_links_to_the_log_only_for_administrators(client_as, administrator, supervisor):
    assert LOG in client_as(administrator).get(reverse("intake:inbox")).content.decode()
    assert LOG not in client_as(supervisor).get(reverse("intake:inbox")).content.decode()


def test_filters_by_user_object_action_and_time(client_as, administrator, supervisor, report):
    audit_record(actor=supervisor, action=AuditAction.REPORT_VIEWED, target=report)
    client = client_as(administrator)
    base = {"target_type": "intake.report", "target_id": str(report.pk)}
    page = client.get(LOG, {**base, "user": "supervisor"}).context["page"]
    assert [e.action for e in page] == [AuditAction.REPORT_VIEWED]
    page = client.get(LOG, {**base, "action": AuditAction.REPORT_SUBMITTED}).context["page"]
    assert [e.action for e in page] == [AuditAction.REPORT_SUBMITTED]
    page = client.get(LOG, {**base, "date_from": "2000-01-01", "date_to": "2000-01-02"}).context[
        "page"
    ]
    assert list(page) == []
    logged = AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_VIEWED).last()
    assert logged.extra["filters"]["date_from"] == "2000-01-01"


def test_list_is_paginated_in_bounded_queries(
    client_as, administrator, django_assert_max_num_queries
):
    for i in range(120):
        audit_record(actor=None, action=AuditAction.LOGIN_FAILED, extra={"username": f"u{i}"})
    client = client_as(administrator)
    with django_assert_max_num_queries(14):
        response = client.get(LOG, {"page": 2})
    assert len(response.context["page"]) == 50


def test_export_is_csv_with_formulas_neutralised_and_is_audited(client_as, administrator):
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, extra={"username": "=HYPERLINK(1)"})
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, purpose="+cmd|' /C calc'!A0")
    response = client_as(administrator).get(EXPORT, {"action": AuditAction.LOGIN_FAILED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["action"] for r in rows} == {AuditAction.LOGIN_FAILED}
    assert rows[0]["purpose"] == "'+cmd|' /C calc'!A0"
    exported = AuditEvent.objects.filter(action=AuditAction.AUDIT_LOG_EXPORTED).get()
    assert exported.actor == administrator
    assert exported.extra == {"filters": {"action": AuditAction.LOGIN_FAILED}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected
