"""Labels for codes stored on the timeline, shown in the reader's language."""

from __future__ import annotations

from django import template

from markaz.cases.choices import CasePriority, CaseStatus, MemberRole, TaskStatus

register = template.Library()

_LABELS = {
    "case_status": CaseStatus,
    "task_status": TaskStatus,
    "member_role": MemberRole,
    "priority": CasePriority,
}


@register.filter
def choice_label(value: str, kind: str) -> str:
    """`{{ code|choice_label:"case_status" }}`: the label, or the code if it is unknown."""
    choices = _LABELS.get(kind)
    try:
        return str(choices(value).label) if choices else value
    except ValueError:
        return value
