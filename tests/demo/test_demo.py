"""The demo data generator and the `markaz demo` command."""

from __future__ import annotations

import collections
import io
import stat
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from markaz.demo.generator import generate_reports
from markaz.demo.identifiers import (
    NOISE_BANK_SITES,
    NOISE_UNLISTED,
    base58check_valid,
    luhn_valid,
)
from markaz.extract import extract, normalize
from markaz.intake.models import Report

UNTIL = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def reports():
    return list(generate_reports(1500, seed=11, until=UNTIL))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def test_generator_is_deterministic_for_a_seed():
    first = list(generate_reports(300, seed=5, until=UNTIL))
    again = list(generate_reports(300, seed=5, until=UNTIL))
    other = list(generate_reports(300, seed=6, until=UNTIL))
    assert first == again
    assert [r.narrative for r in first] != [r.narrative for r in other]


def test_reports_are_in_submission_order_within_the_year(reports):
    times = [r.submitted_at for r in reports]
    assert times == sorted(times)
    assert times[-1] <= UNTIL
    assert (UNTIL - times[0]).days <= 366


def test_three_languages_roughly_as_planned(reports):
    counts = collections.Counter(r.language for r in reports)
    assert set(counts) == {"tg", "ru", "en"}
    assert counts["tg"] > counts["ru"] > counts["en"] > 0
    assert any("ҳ" in r.narrative or "ӣ" in r.narrative for r in reports if r.language == "tg")


def test_campaigns_share_a_suspect_identifier_written_differently(reports):
    """Reports of one campaign name the same suspect, in different formats."""
    by_campaign = collections.defaultdict(list)
    for report in reports:
        if report.campaign is not None:
            by_campaign[report.campaign].append(report)
    sizes = sorted(len(members) for members in by_campaign.values())
    assert sizes[0] >= 1 and sizes[-1] >= 20
    assert sum(1 for size in sizes if 2 <= size <= 5) > len(sizes) / 2
    assert sum(1 for r in reports if r.campaign is None) > 100

    differently_written = 0
    for members in by_campaign.values():
        if len(members) < 2:
            continue
        # What extraction makes of the narratives: one normal value, several raw forms.
        raw_by_value = collections.defaultdict(set)
        for report in members:
            for found in extract(report.narrative):
                start, end = found.span
                raw_by_value[(found.kind, found.value)].add(report.narrative[start:end])
        shared = [raws for raws in raw_by_value.values() if len(raws) >= 2]
        differently_written += bool(shared)
    assert differently_written >= 10


def test_structured_rows_often_name_the_suspect(reports):
    with_rows = [r for r in reports if r.suspect_identifiers]
    assert len(with_rows) > len(reports) / 3
    kinds = {kind for r in with_rows for kind, _v in r.suspect_identifiers}
    assert {"phone", "card", "website", "social", "crypto"} <= kinds


def test_cards_pass_luhn(reports):
    cards = {forms[0] for r in reports for key, forms in r.suspects.items() if key == "card"}
    assert len(cards) > 20
    assert all(luhn_valid(card) for card in cards)
    assert any(_digits(card).startswith(("2200", "2201", "2202", "2203", "2204")) for card in cards)


def test_wallets_pass_their_checksums(reports):
    wallets = {forms[0] for r in reports for key, forms in r.suspects.items() if key == "wallet"}
    assert any(w.startswith("T") for w in wallets) and any(w.startswith("1") for w in wallets)
    assert all(base58check_valid(wallet) for wallet in wallets)
    assert not base58check_valid(next(iter(wallets))[:-1] + "x")


def test_victim_phones_never_equal_suspect_phones(reports):
    suspects = {
        _digits(forms[0])[-9:]
        for r in reports
        for key, forms in r.suspects.items()
        if key == "phone"
    }
    victims = {_digits(r.victim_phone)[-9:] for r in reports if r.victim_phone}
    assert suspects and victims
    assert not suspects & victims


def test_every_victim_phone_reads_as_a_tajik_number(reports):
    """'0 771 951 610' and the other local forms are numbers the form's rule accepts."""
    phones = [r.victim_phone for r in reports if r.victim_phone]
    assert any(phone.startswith("0 ") for phone in phones)
    assert all(normalize("phone", phone, region="TJ").startswith("+992") for phone in phones)


def test_noise_values_recur_across_unrelated_reports(reports):
    """Hotlines, bank sites and the marketplace: named in reports of many campaigns."""
    noise = {normalize(kind, value, region="TJ") for kind, value in NOISE_UNLISTED} | set(
        NOISE_BANK_SITES
    )
    campaigns_by_value = collections.defaultdict(set)
    for report in reports:
        for found in extract(report.narrative):
            if found.value in noise:
                campaigns_by_value[found.value].add(report.campaign or -report.index)
    assert len(campaigns_by_value) >= 5
    assert max(len(owners) for owners in campaigns_by_value.values()) >= 20


@pytest.mark.django_db
def test_demo_command_creates_accounts_and_reports_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("demo", reports=30, seed=3, stdout=out)

    users = get_user_model().objects.filter(username__startswith="demo-")
    assert users.count() == 6
    assert Report.objects.count() == 30
    assert Report.objects.exclude(status="received").exists()
    logins = tmp_path / "demo-logins.txt"
    assert stat.S_IMODE(logins.stat().st_mode) == 0o600
    first_file = logins.read_text(encoding="utf-8")
    assert "api-token\tmkz_" in first_file
    assert "http://127.0.0.1:8000" in out.getvalue()

    again = io.StringIO()
    call_command("demo", reports=30, seed=3, stdout=again)
    assert Report.objects.count() == 30
    assert get_user_model().objects.filter(username__startswith="demo-").count() == 6
    assert logins.read_text(encoding="utf-8") == first_file
    assert "already holds 30 reports" in again.getvalue()
    intake = get_user_model().objects.get(username="demo-intake")
    password = dict(
        line.split("\t") for line in first_file.splitlines() if not line.startswith("#")
    )["demo-intake"]
    assert intake.check_password(password)
