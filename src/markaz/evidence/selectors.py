"""Reads on evidence: need-to-know follows the case (its members, supervisor, administrators)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.models import Case
from markaz.cases.rules import cases_visible_to
from markaz.evidence.models import CustodyEvent, EvidenceItem
from markaz.intake.models import Attachment

Viewer = User | AnonymousUser


def evidence_visible_to(*, user: Viewer) -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.filter(case__in=cases_visible_to(user=user))


def evidence_get_for_user(*, user: Viewer, item_id: int) -> EvidenceItem:
    """Fetch an item the user may see and record the view; the same 404 for missing and forbidden."""
    item = (
        evidence_visible_to(user=user)
        .select_related("case", "acquired_by", "source_attachment")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.EVIDENCE_VIEWED, target=item)
    return item


def case_evidence(*, case: Case) -> list[EvidenceItem]:
    return list(case.evidence.select_related("acquired_by").order_by("id"))


def case_evidence_summary(*, case: Case) -> dict[str, int]:
    items = case.evidence.all()
    return {
        "count": items.count(),
        "failed": items.filter(integrity_failed_at__isnull=False).count(),
    }


def custody_history(*, item: EvidenceItem) -> list[CustodyEvent]:
    return list(item.custody_events.select_related("actor").order_by("at", "id"))


def promotable_attachments(*, case: Case) -> list[Attachment]:
    """Victims' attachments from the case's reports that are not yet evidence in it."""
    taken = EvidenceItem.objects.filter(case=case, source_attachment__isnull=False).values(
        "source_attachment_id"
    )
    return list(
        Attachment.objects.filter(report__case_link__case=case)
        .exclude(pk__in=taken)
        .select_related("report")
        .order_by("report__reference", "id")
    )
