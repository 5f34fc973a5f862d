"""The report rules without a form (API, import) give the public form's answers.

``draft_from_input`` applies the rules of ``intake.validation`` and the form fields' own checks
to the API's typed input. These tests map the same input onto the public form, as a person
would type it, and require the same outcome: the same draft, or a refusal naming the same
fields. The form is the reference: it is what the public uses.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from markaz.intake.forms import ReportForm, SuspectIdentifierFormSet, identifiers_from
from markaz.intake.schemas import ReportIn
from markaz.intake.services import ReportDraft
from markaz.intake.validation import DraftRefused, draft_from_input
from tests.intake.test_api import payload

# The form names its free currency box loss_currency_other; the API's field is loss_currency.
FORM_TO_API_FIELD = {"loss_currency_other": "loss_currency"}


def form_data(payload: ReportIn) -> tuple[dict[str, str], dict[str, str]]:
    """The API input as a person would fill in the public form and its identifier rows."""
    data: dict[str, str] = {
        "category": payload.category,
        "narrative": payload.narrative,
        "region": payload.region,
        "district": payload.district,
        "loss_amount": "" if payload.loss_amount is None else str(payload.loss_amount),
        "payment_method": payload.payment_method or "",
        "victim_name": payload.victim_name,
        "victim_phone": payload.victim_phone,
        "victim_email": payload.victim_email,
        "consent": "on" if payload.consent else "",
        "incident_time_approximate": "on" if payload.incident_time_approximate else "",
    }
    if payload.loss_currency:
        data["loss_currency"] = "other"
        data["loss_currency_other"] = payload.loss_currency.upper()
    if payload.incident_at is not None:
        local = timezone.localtime(payload.incident_at)
        data["incident_date"] = local.date().isoformat()
        data["incident_time"] = local.strftime("%H:%M:%S")
    identifiers = {
        "suspect-TOTAL_FORMS": str(len(payload.suspect_identifiers)),
        "suspect-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(payload.suspect_identifiers):
        identifiers[f"suspect-{index}-kind"] = row.kind.value
        identifiers[f"suspect-{index}-value"] = row.value
    return data, identifiers


def form_answer(payload: ReportIn) -> ReportDraft | set[str]:
    data, identifier_data = form_data(payload)
    form = ReportForm(data)
    formset = SuspectIdentifierFormSet(identifier_data, prefix="suspect")
    if form.is_valid() and formset.is_valid():
        return form.to_draft(language=payload.language, identifiers=identifiers_from(formset))
    refused = {FORM_TO_API_FIELD.get(name, name) for name in form.errors}
    for index, row_errors in enumerate(formset.errors):
        refused |= {f"suspect_identifiers.{index}.{name}" for name in row_errors}
    return refused


def rules_answer(payload: ReportIn) -> ReportDraft | set[str]:
    try:
        return draft_from_input(payload)
    except DraftRefused as refused:
        return set(refused.errors)


def report_input(**overrides: object) -> ReportIn:
    """The API test's valid submission, with ``overrides``, as the API reads it."""
    return ReportIn.model_validate(payload(**overrides))


CASES = {
    "valid": {},
    "district-only-gives-its-region": {"region": ""},
    "nothing-optional": {
        "incident_at": None,
        "region": "",
        "district": "",
        "loss_amount": None,
        "loss_currency": "",
        "payment_method": None,
        "suspect_identifiers": [],
        "victim_name": "",
        "victim_phone": "",
    },
    "spaces-stripped": {
        "victim_name": "  Ali  ",
        "narrative": "  text  ",
        "victim_email": " a@b.tj ",
    },
    "blank-identifier-dropped": {"suspect_identifiers": [{"kind": "phone", "value": "   "}]},
    "local-phone": {"victim_phone": "93 555 12 34"},
    "lower-case-currency": {"loss_currency": "usd"},
    "future-date": {"incident_at": timezone.now() + timedelta(days=30)},
    "future-time-today": {"incident_at": timezone.now() + timedelta(minutes=5)},
    "unknown-currency": {"loss_currency": "QQQ"},
    "testing-currency": {"loss_currency": "XTS"},
    "blank-currency": {"loss_currency": " "},
    "amount-without-currency": {"loss_currency": ""},
    "negative-amount": {"loss_amount": "-1"},
    "too-large-amount": {"loss_amount": "1000000000.01"},
    "too-many-digits": {"loss_amount": "123456789012345678"},
    "three-decimals": {"loss_amount": "1.005"},
    "unknown-category": {"category": "no_such_category"},
    "category-with-spaces": {"category": " fraud_impersonation "},
    "empty-category": {"category": ""},
    "unknown-region": {"region": "ZZ"},
    "unknown-district": {"district": "ZZ-ZZZ"},
    "district-in-another-region": {"region": "DU"},
    "bad-phone": {"victim_phone": "12"},
    "bad-email": {"victim_email": "not-an-address"},
    "null-in-narrative": {"narrative": "a\x00b"},
    "null-in-identifier": {"suspect_identifiers": [{"kind": "phone", "value": "9\x00"}]},
    "empty-narrative": {"narrative": "   "},
    "narrative-too-long": {"narrative": "x" * 20001},
    "no-consent": {"consent": False},
    "several-faults": {"category": "", "consent": False, "loss_amount": "-5", "region": "ZZ"},
}


@pytest.mark.parametrize("overrides", CASES.values(), ids=CASES.keys())
def test_rules_give_the_forms_answer(overrides, settings):
    settings.MARKAZ_MAX_NARRATIVE_CHARS = 20000
    payload = report_input(**overrides)
    assert rules_answer(payload) == form_answer(payload)


def test_refusals_name_the_api_fields_with_the_forms_messages():
    payload = report_input(loss_currency="QQQ", category="nope", loss_amount="-1")
    with translation.override("en"), pytest.raises(DraftRefused) as refused:
        draft_from_input(payload)
    errors = refused.value.errors
    assert errors["loss_currency"] == ["Unknown currency code."]
    assert errors["loss_amount"] == ["The amount cannot be negative."]
    assert errors["category"][0].startswith("Select a valid choice. nope")


def test_a_district_alone_gives_the_draft_its_region():
    draft = draft_from_input(report_input(region="", district="DU-FIR"))
    assert (draft.region, draft.district) == ("DU", "DU-FIR")


def test_incident_time_is_kept_to_the_second_in_local_time():
    when = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone.get_current_timezone())
    draft = draft_from_input(report_input(incident_at=when))
    assert draft.incident_at == when.replace(microsecond=0)
    assert draft.loss_amount == Decimal("2400.00")


TEXTS = st.sampled_from(["", " ", "x", "  Ali ", "a\x00", "Пул гирифт"])
PHONES = st.sampled_from(["", "12", "93 555 12 34", "+992917001122", "8 (916) 123-45-67", "abc"])
EMAILS = st.sampled_from(["", "a@b.tj", "not-mail", " A@B.TJ ", "a@b"])
AMOUNTS = st.sampled_from([None, "0", "-1", "12.5", "1.005", "1E+3", "1000000001", "NaN"])
CURRENCIES = st.sampled_from(["", " ", "TJS", "usd", "QQQ", "XXX", "rub"])
CATEGORIES = st.sampled_from(["fraud_impersonation", " fraud_marketplace", "", "nope"])
REGIONS = st.sampled_from(["", "SU", "DU", "ZZ"])
DISTRICTS = st.sampled_from(["", "SU-KHU", "DU-FIR", "ZZ-ZZZ"])
MOMENTS = st.sampled_from([None, -400, -1, 1, 30]).map(
    lambda days: None if days is None else timezone.now() + timedelta(days=days, seconds=7)
)
IDENTIFIERS = st.lists(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["phone", "telegram", "card"]), "value": TEXTS | PHONES}
    ),
    max_size=3,
)


@given(
    category=CATEGORIES,
    narrative=TEXTS,
    region=REGIONS,
    district=DISTRICTS,
    loss_amount=AMOUNTS,
    loss_currency=CURRENCIES,
    victim_name=TEXTS,
    victim_phone=PHONES,
    victim_email=EMAILS,
    incident_at=MOMENTS,
    consent=st.booleans(),
    suspect_identifiers=IDENTIFIERS,
)
@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_rules_and_form_agree_on_any_mix_of_inputs(**fields):
    try:
        payload = report_input(**fields)
    except ValueError:  # the schema itself refuses it (e.g. NaN): neither path sees it
        return
    assert rules_answer(payload) == form_answer(payload)
