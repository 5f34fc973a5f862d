"""Tasks and notes: assignees are members, notes never carry raw HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from markaz.cases.choices import CaseEventKind, TaskStatus
from markaz.cases.markdown import ALLOWED_TAGS, render_markdown
from markaz.cases.services import note_add, task_create, task_update

pytestmark = pytest.mark.django_db


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element the browser would build from `html`, with its attributes."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_task_is_created_and_moved_to_done(case, lead):
    task = task_create(
        case=case, title="Ask the bank for the card holder", assignee=lead, actor=lead
    )
    task = task_update(task=task, status=TaskStatus.DONE, actor=lead)
    assert task.status == TaskStatus.DONE
    assert task.done_at is not None
    assert list(case.events.filter(kind__startswith="task").values_list("kind", flat=True)) == [
        CaseEventKind.TASK_CREATED,
        CaseEventKind.TASK_UPDATED,
    ]


def test_task_assignee_must_be_a_member(case, lead, other_investigator):
    with pytest.raises(ValidationError):
        task_create(case=case, title="x", assignee=other_investigator, actor=lead)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        '<a href="https://evil.example" onclick="steal()">x</a>',
        "<iframe src=//evil.example></iframe>",
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_notes_strip_raw_html_and_script(case, lead, hostile):
    note = note_add(case=case, text=f"**Bank** answered.\n\n{hostile}", actor=lead)
    tags = _tags(note.html)
    assert ("strong", []) in tags
    for name, attributes in tags:
        assert name in ALLOWED_TAGS
        for attribute, value in attributes:
            assert not attribute.startswith("on")
            assert not (value or "").lower().startswith("javascript")


def test_markdown_keeps_lists_and_safe_links():
    html = render_markdown("- one\n- two\n\n[bank](https://bank.tj/)")
    assert "<li>one</li>" in html
    assert 'href="https://bank.tj/"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_empty_note_is_refused(case, lead):
    with pytest.raises(ValidationError):
        note_add(case=case, text="   ", actor=lead)


def test_note_page_shows_escaped_script(case, lead, client_as):
    note_add(case=case, text="<script>alert('x')</script>", actor=lead)
    body = client_as(lead).get(f"/staff/cases/{case.number}/").content.decode()
    assert "<script>alert('x')</script>" not in body
