"""The partner API: token auth, idempotent submission, staff reads with the pages' permissions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create
from markaz.audit.choices import AuditAction
from markaz.audit.models import AuditEvent
from markaz.intake.models import Report
from markaz.wsgi import application
from tests.factories import report_submitted

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports"


def payload(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "external_id": "bank-2026-0001",
        "category": "fraud_impersonation",
        "narrative": "Caller posing as the bank asked for the SMS code; 2 400 TJS left card.",
        "language": "ru",
        "incident_at": (timezone.now() - timedelta(days=1)).isoformat(),
        "region": "SU",
        "district": "SU-KHU",
        "loss_amount": "2400.00",
        "loss_currency": "TJS",
        "payment_method": "bank_card",
        "suspect_identifiers": [{"kind": "phone", "value": "+992 93 555 1234"}],
        "victim_name": "Фарҳод",
        "victim_phone": "+992917001122",
        "consent": True,
    }
    body.update(overrides)
    return body


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def submit(client: Client, token: str, body: dict[str, object] | None = None, **headers: str):
    return client.post(
        REPORTS,
        json.dumps(payload() if body is None else body),
        content_type="application/json",
        **bearer(token),
        **headers,
    )


@pytest.fixture
def staff_token(make_user):
    def make(role: Role) -> str:
        return api_token_create(user=make_user(role), name="script", actor=None)

    return make


# --- partners submit --------------------------------------------------------------------


def test_partner_submission_answers_201_with_reference_and_status_code(client, partner_token):
    response = submit(client, partner_token)
    assert response.status_code == 201
    data = response.json()
    assert data["created"] is True
    assert data["status"] == "received"
    assert len(data["status_code"]) == 14
    report = Report.objects.get(reference=data["reference"])
    assert report.channel == "partner"
    assert report.language == "ru"
    assert report.external_id == "bank-2026-0001"
    assert report.submitted_by.username == "bank-partner"
    assert list(report.suspect_identifiers.values_list("kind", "value")) == [
        ("phone", "+992 93 555 1234")
    ]


def test_same_idempotency_key_answers_200_with_the_same_reference(client, partner_token):
    first = submit(client, partner_token, payload(external_id=""), HTTP_IDEMPOTENCY_KEY="k-1")
    second = submit(client, partner_token, payload(external_id=""), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["reference"] == first.json()["reference"]
    assert second.json()["created"] is False
    assert second.json()["status_code"] == ""
    assert Report.objects.count() == 1


def test_repeated_external_id_answers_200_without_a_second_report(client, partner_token):
    first = submit(client, partner_token)
    second = submit(client, partner_token, payload(narrative="A retry with other words."))
    assert second.status_code == 200
    assert second.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1


def test_two_partners_may_use_the_same_external_id(client, partner_token, make_user):
    other = make_user(Role.PARTNER, username="telecom-partner")
    other_token = api_token_create(user=other, name="telecom", actor=None)
    assert submit(client, partner_token).status_code == 201
    assert submit(client, other_token).status_code == 201
    assert Report.objects.filter(external_id="bank-2026-0001").count() == 2


def test_submission_is_audited_as_the_partner(client, partner_token):
    reference = submit(client, partner_token).json()["reference"]
    event = AuditEvent.objects.get(action=AuditAction.REPORT_SUBMITTED)
    assert event.actor_label == "bank-partner"
    assert event.target_label == reference


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        (
            {"incident_at": (timezone.now() + timedelta(days=30)).isoformat()},
            "incident_date",
            "The date cannot be in the future.",
        ),
        ({"loss_currency": "QQQ"}, "loss_currency", "Unknown currency code."),
        ({"category": "no_such_category"}, "category", "Select a valid choice."),
        ({"consent": False}, "consent", "This field is required."),
        ({"loss_amount": "-1"}, "loss_amount", "The amount cannot be negative."),
    ],
    ids=["future-date", "bad-currency", "unknown-category", "no-consent", "negative-loss"],
)
def test_invalid_submission_answers_422_with_field_messages(
    client, partner_token, override, field, message
):
    client.cookies["django_language"] = "en"
    response = submit(client, partner_token, payload(**override))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(message in text for text in detail[field])
    assert Report.objects.count() == 0


def test_missing_consent_field_answers_422_naming_the_field(client, partner_token):
    body = payload()
    del body["consent"]
    response = submit(client, partner_token, body)
    assert response.status_code == 422
    assert "consent" in response.json()["detail"]


def test_unknown_identifier_kind_answers_422_naming_the_row(client, partner_token):
    body = payload(suspect_identifiers=[{"kind": "pigeon", "value": "x"}])
    response = submit(client, partner_token, body)
    assert response.status_code == 422
    assert "suspect_identifiers.0.kind" in response.json()["detail"]


def test_submission_without_token_answers_401(client):
    response = client.post(REPORTS, json.dumps(payload()), content_type="application/json")
    assert response.status_code == 401
    assert Report.objects.count() == 0


def test_submission_with_bad_token_answers_401(client, partner_token):
    response = submit(client, partner_token + "x")
    assert response.status_code == 401


def test_revoked_token_answers_401(client, partner_token):
    from markaz.accounts.models import ApiToken

    ApiToken.objects.update(revoked_at=timezone.now())
    assert submit(client, partner_token).status_code == 401


def test_staff_token_may_not_submit_as_a_partner(client, staff_token):
    response = submit(client, staff_token(Role.INTAKE_OFFICER))
    assert response.status_code == 403


# --- staff read -------------------------------------------------------------------------


def test_intake_officer_token_lists_reports(client, staff_token):
    report = report_submitted()
    response = client.get(REPORTS, **bearer(staff_token(Role.INTAKE_OFFICER)))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["items"][0]["reference"] == report.reference
    assert data["items"][0]["suspect_identifiers"][0]["kind"] == "phone"


def test_intake_officer_token_reads_one_report(client, staff_token):
    report = report_submitted()
    response = client.get(
        f"{REPORTS}/{report.reference}", **bearer(staff_token(Role.INTAKE_OFFICER))
    )
    assert response.status_code == 200
    assert response.json()["victim_name"] == report.victim_name


def test_staff_session_reads_reports_like_a_token(client, intake_officer):
    report = report_submitted()
    client.force_login(intake_officer)
    assert client.get(REPORTS).json()["count"] == 1
    assert client.get(f"{REPORTS}/{report.reference}").status_code == 200


def test_analyst_may_not_list_reports(client, staff_token):
    report_submitted()
    assert client.get(REPORTS, **bearer(staff_token(Role.ANALYST))).status_code == 403


def test_analyst_gets_404_for_an_existing_report(client, staff_token):
    report = report_submitted()
    token = staff_token(Role.ANALYST)
    assert client.get(f"{REPORTS}/{report.reference}", **bearer(token)).status_code == 404


def test_partner_may_not_list_reports(client, partner_token):
    report_submitted()
    assert client.get(REPORTS, **bearer(partner_token)).status_code == 403


def test_partner_may_not_read_a_report(client, partner_token):
    reference = submit(client, partner_token).json()["reference"]
    assert client.get(f"{REPORTS}/{reference}", **bearer(partner_token)).status_code == 404


def test_reading_without_credentials_answers_401(client):
    report = report_submitted()
    assert client.get(REPORTS).status_code == 401
    assert client.get(f"{REPORTS}/{report.reference}").status_code == 401


def test_listing_is_audited_with_the_references_shown(client, staff_token):
    report = report_submitted()
    client.get(REPORTS, **bearer(staff_token(Role.INTAKE_OFFICER)))
    event = AuditEvent.objects.get(action=AuditAction.REPORT_LISTED)
    assert event.actor_label == "intake_officer"
    assert event.extra["shown"] == [report.reference]


def test_reading_one_report_is_audited(client, staff_token):
    report = report_submitted()
    client.get(f"{REPORTS}/{report.reference}", **bearer(staff_token(Role.INVESTIGATOR)))
    event = AuditEvent.objects.get(action=AuditAction.REPORT_VIEWED)
    assert event.actor_label == "investigator"
    assert event.target_id == str(report.pk)


def test_list_filters_narrow_the_result(client, staff_token):
    report_submitted(region="DU", district="")
    kept = report_submitted(region="SU", district="")
    response = client.get(REPORTS, {"region": "SU"}, **bearer(staff_token(Role.SUPERVISOR)))
    assert [item["reference"] for item in response.json()["items"]] == [kept.reference]


def test_bad_page_number_answers_422_with_field_messages(client, staff_token):
    response = client.get(REPORTS, {"page": 0}, **bearer(staff_token(Role.SUPERVISOR)))
    assert response.status_code == 422
    assert "page" in response.json()["detail"]


# --- the spec ---------------------------------------------------------------------------


def test_openapi_spec_is_served_and_names_the_operations(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert {REPORTS, REPORTS + "/{reference}"} <= set(spec["paths"])
    assert set(spec["paths"][REPORTS]) == {"get", "post"}


def test_api_docs_page_answers(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def conformance_check(operation, token: str):
    """A Hypothesis test that sends generated requests for `operation` with `token`."""

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=6,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case) -> None:
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            # The schema cannot say everything the form checks (a district in its region, a
            # real ISO 4217 code, a date not in the future), so valid-looking data may get 422.
            excluded_checks=[schemathesis.checks.positive_data_acceptance],
        )
        assert response.status_code < 500

    return conforms


@pytest.fixture
def connection_kept_between_requests():
    """Schemathesis calls the WSGI app directly; like Django's test client, keep the test's
    database connection (and its transaction) open when each request finishes."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_api_conforms_to_its_spec(partner_token, staff_token, connection_kept_between_requests):
    """Generated requests (valid and not) never cause a 5xx, and answers match the spec."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    tokens = {"partner": partner_token, "officer": staff_token(Role.INTAKE_OFFICER)}
    report_submitted()
    operations = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.path.startswith(REPORTS)
    ]
    assert len(operations) == 4
    for operation in operations:
        for who, token in tokens.items():
            if who == "officer" and operation.method.upper() == "POST":
                continue  # an officer's POST is a plain 403; the partner's run covers the body
            try:
                conformance_check(operation, token)()
            except Exception as error:
                raise AssertionError(f"{operation.label} as {who}: {error}") from error


def test_schemas_that_share_a_name_agree():
    """OpenAPI keeps one component per name: two apps' `ErrorOut`s must say the same."""
    from ninja import Schema

    from markaz.web.api import api  # noqa: F401  (imports every router and its schemas)

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    by_name: dict[str, dict[str, object]] = {}
    for schema in subclasses(Schema):
        if not schema.__module__.startswith("markaz."):
            continue
        shape = schema.model_json_schema()
        shape.pop("title", None)
        shape.pop("description", None)
        first = by_name.setdefault(schema.__name__, shape)
        assert first == shape, f"{schema.__module__}.{schema.__name__} differs from another"
