"""Every URL that names a case, walked from the URL configuration as members and outsiders.

The project-wide matrix (tests/test_permissions.py) walks every URL per role with an
unknown case; this one uses a real case, so it checks membership: a new case URL
without a LEVEL entry here fails `test_every_case_url_has_a_level`.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create
from markaz.cases.choices import MemberRole
from markaz.cases.services import case_add_member, task_create

pytestmark = pytest.mark.django_db

VIEW, WORK, MANAGE = "view", "work", "manage"

# name -> (level, method, body, status when allowed)
LEVEL: dict[str, tuple[str, str, dict[str, object], int]] = {
    "cases:case_detail": (VIEW, "get", {}, 200),
    "cases:case_action": (WORK, "post", {"text": "from the matrix"}, 302),  # action=note
    "api:case_read": (VIEW, "get", {}, 200),
    "api:case_timeline": (VIEW, "get", {}, 200),
    "api:task_list": (VIEW, "get", {}, 200),
    "api:note_list": (VIEW, "get", {}, 200),
    "api:note_add": (WORK, "post", {"text": "n"}, 201),
    "api:task_create": (WORK, "post", {"title": "t"}, 201),
    "api:task_update": (WORK, "patch", {"status": "done"}, 200),
    "api:case_move": (WORK, "post", {"status": "investigating", "reason": "r"}, 200),
    "api:case_assign": (MANAGE, "post", {"investigator": "other-investigator"}, 200),
    "api:case_member_add": (MANAGE, "post", {"username": "intake_officer", "role": "analyst"}, 200),
    # an unknown campaign: refused once the caller may manage the case
    "api:case_campaign_link": (MANAGE, "post", {"campaign": 999999}, 422),
    # evidence of the case: an empty POST is refused by the form and sent back to the page
    "evidence:case": (VIEW, "get", {}, 200),
    "evidence:upload": (WORK, "post", {}, 302),
    "evidence:promote": (WORK, "post", {}, 302),
    "evidence:physical": (WORK, "post", {}, 302),
    "evidence:package": (WORK, "post", {}, 302),
}

# who -> the levels they hold on the case (missing: an outsider, who gets 404)
HOLDS = {
    "lead": {VIEW, WORK},
    "analyst_member": {VIEW},
    "supervisor": {VIEW, WORK, MANAGE},
    "administrator": {VIEW, WORK, MANAGE},
    "other_investigator": set(),
    "other_supervisor": set(),
    "analyst": set(),
    "intake_officer": set(),
}


def case_urls() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern) and "<number>" in route.replace("str:", ""):
                found.append((f"{namespace}:{pattern.name}", route))

    walk(get_resolver(), "", "")
    return found


def test_every_case_url_has_a_level():
    assert sorted({name for name, _ in case_urls()} - set(LEVEL)) == []


@pytest.mark.parametrize("who", HOLDS)
def test_case_urls_answer_members_and_outsiders(who, case, lead, make_user, request):
    analyst_member = make_user(Role.ANALYST, username="analyst-member")
    case_add_member(case=case, user=analyst_member, role=MemberRole.ANALYST, actor=case.supervisor)
    request.getfixturevalue("other_investigator")
    request.getfixturevalue("intake_officer")
    users = {"lead": lead, "analyst_member": analyst_member}
    user = users.get(who) or request.getfixturevalue(who)
    task = task_create(case=case, title="existing", actor=lead)
    samples = {"number": case.number, "action": "note", "task_id": str(task.pk)}

    client = Client()
    client.force_login(user)
    token = api_token_create(user=user, name="m", actor=None)
    problems = []
    for name, route in case_urls():
        level, method, body, ok = LEVEL[name]
        url = "/" + route
        for key, value in samples.items():
            url = url.replace(f"<str:{key}>", value).replace(f"<int:{key}>", value)
            url = url.replace(f"<{key}>", value)
        if name.startswith("api:"):
            send = getattr(client, method)
            kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            response = (
                send(url, **kwargs)
                if method == "get"
                else send(url, json.dumps(body), content_type="application/json", **kwargs)
            )
        else:
            response = client.post(url, body) if method == "post" else client.get(url)
        held = HOLDS[who]
        expected = ok if level in held else (403 if VIEW in held else 404)
        if response.status_code != expected:
            problems.append(f"{name} {url}: {who} got {response.status_code}, want {expected}")
    assert problems == []
