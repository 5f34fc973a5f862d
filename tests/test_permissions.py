"""Every URL of the project, walked as anonymous and as each role.

The table below says who may reach each URL name. A URL without an entry fails
`test_every_url_has_a_permission_entry`: a new view must come with its rule here.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AbstractUser
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from markaz.accounts.roles import Role
from markaz.accounts.services import api_token_create
from markaz.intake.services import IncomingAttachment
from tests.factories import report_submitted

pytestmark = pytest.mark.django_db

R = Role
STAFF = frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.ANALYST, R.SUPERVISOR, R.ADMINISTRATOR})
READERS = frozenset({R.INTAKE_OFFICER, R.INVESTIGATOR, R.SUPERVISOR, R.ADMINISTRATOR})
TRIAGERS = frozenset({R.INTAKE_OFFICER, R.SUPERVISOR, R.ADMINISTRATOR})
CASE_LISTERS = frozenset({R.INVESTIGATOR, R.ANALYST, R.SUPERVISOR, R.ADMINISTRATOR})
CASE_OPENERS = frozenset({R.SUPERVISOR, R.ADMINISTRATOR})
EVERYONE = frozenset(Role)
INTEL = STAFF
WATCHERS = frozenset({R.INVESTIGATOR, R.ANALYST, R.SUPERVISOR})
LIST_KEEPERS = frozenset({R.ANALYST, R.SUPERVISOR})
NOBODY: frozenset[Role] = frozenset()


@dataclass(frozen=True)
class Rule:
    """Who may reach a URL.

    `public`: anonymous visitors get `ok` too. Otherwise anonymous visitors are sent to the
    login page (pages) or get 401 (API), roles in `allowed` get `ok`, other roles get one
    of `denied`.
    """

    allowed: frozenset[Role] = NOBODY
    public: bool = False
    api: bool = False
    method: str = "get"
    data: dict[str, object] = field(default_factory=dict)
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (403, 404)
    why: str = ""


PUBLIC = Rule(public=True, allowed=EVERYONE)

TABLE: dict[str, Rule] = {
    # public pages
    "intake:home": PUBLIC,
    "intake:report_new": PUBLIC,
    "intake:receipt": Rule(public=True, allowed=EVERYONE, ok=(302,), why="no receipt in session"),
    "intake:status": PUBLIC,
    "accounts:login": PUBLIC,
    "set_language": Rule(
        public=True, allowed=EVERYONE, method="post", data={"language": "ru"}, ok=(302,)
    ),
    "admin_login": Rule(public=True, allowed=EVERYONE, ok=(302,), why="to the audited login"),
    # staff pages: intake
    "intake:inbox": Rule(allowed=READERS),
    "intake:staff_report_new": Rule(allowed=TRIAGERS),
    "intake:report_detail": Rule(allowed=READERS),
    "intake:report_triage": Rule(
        allowed=TRIAGERS, method="post", data={"text": "note"}, ok=(302,), why="action=note"
    ),
    "intake:attachment_download": Rule(allowed=READERS),
    "accounts:logout": Rule(allowed=EVERYONE, method="post", ok=(302,)),
    # staff pages: cases (a case number nobody may see: the same 404 for missing and forbidden)
    "cases:case_list": Rule(allowed=CASE_LISTERS),
    "cases:case_open": Rule(allowed=CASE_OPENERS),
    "cases:dashboard": Rule(allowed=CASE_OPENERS),
    "cases:case_detail": Rule(allowed=CASE_LISTERS, ok=(404,), why="unknown case"),
    "cases:case_action": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown case"),
    # staff pages: evidence (unknown case and item: the same 404 for missing and forbidden)
    "evidence:case": Rule(allowed=CASE_LISTERS, ok=(404,), why="unknown case"),
    "evidence:upload": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown case"),
    "evidence:promote": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown case"),
    "evidence:physical": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown case"),
    "evidence:package": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown case"),
    "evidence:item": Rule(allowed=CASE_LISTERS, ok=(404,), why="unknown item"),
    "evidence:custody": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown item"),
    "evidence:download": Rule(allowed=CASE_LISTERS, method="post", ok=(404,), why="unknown item"),
    # staff pages: audit
    "audit:log": Rule(allowed=frozenset({R.ADMINISTRATOR})),
    "audit:log_export": Rule(allowed=frozenset({R.ADMINISTRATOR})),
    # staff pages: intel (unknown indicator/campaign/entry ids: 404 for missing and forbidden)
    "intel:search": Rule(allowed=INTEL),
    "intel:indicator_detail": Rule(allowed=INTEL, ok=(404,), why="unknown indicator"),
    "intel:indicator_watch": Rule(allowed=WATCHERS, method="post", ok=(404,)),
    "intel:indicator_guard": Rule(allowed=LIST_KEEPERS, method="post", ok=(404,)),
    "intel:campaign_list": Rule(allowed=INTEL),
    "intel:campaign_detail": Rule(allowed=INTEL, ok=(404,), why="unknown campaign"),
    "intel:campaign_watch": Rule(allowed=WATCHERS, method="post", ok=(404,)),
    "intel:report_links": Rule(allowed=READERS, why="analysts see no report outside a case"),
    "intel:warninglist": Rule(allowed=INTEL),
    "intel:warninglist_remove": Rule(allowed=LIST_KEEPERS, method="post", ok=(404,)),
    "intel:notifications": Rule(allowed=INTEL),
    "intel:graph": Rule(allowed=INTEL, ok=(404,), why="unknown campaign"),
    "intel:graph_data": Rule(allowed=INTEL, ok=(404,), why="unknown campaign"),
    "intel:graph_path": Rule(allowed=INTEL, ok=(404,), why="unknown campaign"),
    # API: the spec is public, everything else needs a token or a session
    "api:api-root": Rule(public=True, allowed=EVERYONE, ok=(200, 404)),
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:report_create": Rule(
        api=True, allowed=frozenset({R.PARTNER}), method="post", ok=(201,), denied=(403,)
    ),
    "api:report_attachments_add": Rule(
        api=True,
        allowed=frozenset({R.PARTNER}),
        method="post",
        ok=(404, 422),
        denied=(403,),
        why="not the partner's report, or no files",
    ),
    "api:report_list": Rule(api=True, allowed=READERS, denied=(403,)),
    "api:report_read": Rule(api=True, allowed=READERS, denied=(404,)),
    "api:case_list": Rule(api=True, allowed=CASE_LISTERS, denied=(403,)),
    "api:case_open": Rule(
        api=True,
        allowed=CASE_OPENERS,
        method="post",
        ok=(422,),
        denied=(403, 422),
        why="an empty body fails validation before the permission check",
    ),
    "api:case_read": Rule(api=True, allowed=EVERYONE, ok=(404,), why="unknown case"),
    "api:case_timeline": Rule(api=True, allowed=EVERYONE, ok=(404,), why="unknown case"),
    "api:case_move": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:case_assign": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:case_member_add": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:case_campaign_link": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:task_list": Rule(api=True, allowed=EVERYONE, ok=(404,), why="unknown case"),
    "api:task_create": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:task_update": Rule(api=True, allowed=EVERYONE, method="patch", ok=(404, 422)),
    "api:note_list": Rule(api=True, allowed=EVERYONE, ok=(404,), why="unknown case"),
    "api:note_add": Rule(api=True, allowed=EVERYONE, method="post", ok=(404, 422)),
    "api:intel_search": Rule(api=True, allowed=INTEL, denied=(403,)),
    "api:intel_indicator_read": Rule(api=True, allowed=INTEL, ok=(404,), denied=(403,)),
    "api:intel_campaign_list": Rule(api=True, allowed=INTEL, denied=(403,)),
    "api:intel_campaign_read": Rule(api=True, allowed=INTEL, ok=(404,), denied=(403,)),
}

# The admin: only administrators are `is_staff`; they reach the index, and Django's model
# permissions (which no role grants) keep them out of the model pages. Everyone else is
# sent to the login page.
ADMIN_RULE = Rule(
    allowed=frozenset({R.ADMINISTRATOR}), ok=(200, 302, 403, 404, 405), denied=(302, 405)
)

# Sample values for the URL parameters, by name.
SAMPLES = {
    "number": "C-1999-0001",
    "action": "note",
    "task_id": "1",
    "object_id": "1",
    "content_type_id": "1",
    "id": "1",
    "app_label": "auth",
    "url": "nothing/",
    "indicator_id": "999999",
    "campaign_id": "999999",
    "entry_id": "999999",
    "kind": "campaign",
    "key": "999999",
    "item_id": "999999",
}


def all_patterns() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, names with their namespaces."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, route, inner)
            else:
                assert isinstance(pattern, URLPattern)
                name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
                found.append((name, route))

    walk(get_resolver(), "", "")
    return found


def rule_for(name: str) -> Rule | None:
    if name.startswith("admin:"):
        return ADMIN_RULE
    return TABLE.get(name)


def concrete_url(route: str, samples: dict[str, str]) -> str:
    """Fill a route's parameters with sample values: `<int:attachment_id>` -> `12`."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: samples[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def test_every_url_has_a_permission_entry():
    missing = sorted({name for name, _route in all_patterns() if rule_for(name) is None})
    assert missing == [], f"add these URL names to TABLE in {__file__}: {missing}"


def test_table_has_no_stale_entries():
    names = {name for name, _route in all_patterns()}
    assert sorted(set(TABLE) - names) == []


@pytest.fixture
def samples() -> dict[str, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "PNG")
    report = report_submitted(
        attachments=[IncomingAttachment(name="a.png", stream=io.BytesIO(buffer.getvalue()))]
    )
    return {
        **SAMPLES,
        "reference": report.reference,
        "attachment_id": str(report.attachments.get().pk),
    }


def api_body(name: str) -> dict[str, object]:
    if name == "api:report_create":
        return {
            "category": "phishing",
            "narrative": "A link in an SMS asked for the card number.",
            "consent": True,
        }
    return {}


def call(client: Client, name: str, rule: Rule, url: str, token: str | None):
    response = _send(client, name, rule, url, token)
    if response.streaming:
        # Read to the end, so the test client closes the file as a WSGI server would.
        b"".join(response.streaming_content)
    return response


def _send(client: Client, name: str, rule: Rule, url: str, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if rule.api:
        if rule.method == "get":
            return client.get(url, **headers)
        body = json.dumps(api_body(name))
        return getattr(client, rule.method)(url, body, content_type="application/json", **headers)
    if rule.method == "post":
        return client.post(url, rule.data, **headers)
    return client.get(url, **headers)


WHO = ["anonymous", *[role.value for role in Role]]


@pytest.mark.parametrize("who", WHO)
def test_each_url_answers_as_the_table_says(who, samples, make_user, settings):
    settings.MARKAZ_SUBMISSIONS_PER_HOUR = 10_000
    client = Client()
    token = None
    role = None if who == "anonymous" else Role(who)
    if role is not None:
        user: AbstractUser = make_user(role)
        client.force_login(user)
        token = api_token_create(user=user, name="matrix", actor=None)
    problems = []
    seen: set[str] = set()
    for name, route in all_patterns():
        if route in seen and not name.startswith("api:"):
            continue
        seen.add(route)
        rule = rule_for(name)
        assert rule is not None, name
        url = concrete_url(route, samples)
        if role is None:
            response = call(client, name, rule, url, None)
            if rule.public:
                expected: tuple[int, ...] = rule.ok
            elif rule.api:
                expected = (401,)
            else:
                expected = (302,)
            if response.status_code not in expected:
                problems.append(f"{name} {url}: anonymous got {response.status_code}")
            elif (
                response.status_code == 302
                and not rule.public
                and not name.startswith("admin:")
                and not response.url.startswith("/accounts/login/")
            ):
                problems.append(f"{name}: anonymous sent to {response.url}, not the login")
            continue
        # API calls as a role go with the role's token; pages with its session.
        response = call(client, name, rule, url, token if rule.api else None)
        expected = rule.ok if role in rule.allowed else rule.denied
        if response.status_code not in expected:
            problems.append(f"{name} {url}: {who} got {response.status_code}, want {expected}")
        if name == "accounts:logout":
            client.force_login(user)
    assert problems == []
