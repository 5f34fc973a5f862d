"""Fixtures for cases: a case opened by a supervisor with a lead, plus outsiders of each role."""

from __future__ import annotations

import pytest

from markaz.accounts.roles import Role
from markaz.cases.services import case_assign, case_open
from tests.factories import report_submitted


@pytest.fixture
def lead(make_user):
    return make_user(Role.INVESTIGATOR, username="lead-investigator")


@pytest.fixture
def other_investigator(make_user):
    return make_user(Role.INVESTIGATOR, username="other-investigator")


@pytest.fixture
def other_supervisor(make_user):
    return make_user(Role.SUPERVISOR, username="other-supervisor")


@pytest.fixture
def case_reports(db):
    return [
        report_submitted(victim_name="Манижа Раҳимова", victim_phone="+992917001122"),
        report_submitted(victim_name="Фарҳод Каримов", victim_phone="+992935554433"),
    ]


@pytest.fixture
def case(supervisor, lead, case_reports):
    opened = case_open(reports=case_reports, title="Somon shop on Telegram", actor=supervisor)
    return case_assign(case=opened, investigator=lead, actor=supervisor)
