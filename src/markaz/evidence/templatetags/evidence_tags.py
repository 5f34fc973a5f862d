"""The evidence section on a case's page: counts, an alert on a mismatch, a link."""

from django import template

from markaz.cases.models import Case
from markaz.evidence.selectors import case_evidence_summary

register = template.Library()


@register.inclusion_tag("evidence/_case_section.html")
def case_evidence_section(case: Case) -> dict[str, object]:
    return {"case": case, "summary": case_evidence_summary(case=case)}
