"""Which reports a member of staff may open: the one need-to-know rule on reports.

A report not in a case is seen by staff holding REPORT_VIEW (the inbox); a report in a
case, with its victim's details, only by that case's members, its supervisor and
administrators. The rule depends on cases, so it lives in the cases layer; every page,
API call and selector that shows reports to staff goes through it.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record
from markaz.cases.rules import Viewer, cases_visible_to
from markaz.intake.models import Attachment, InternalNote, Report, VictimMessage
from markaz.intake.selectors import InboxFilters, reports_filtered


def reports_visible_to(*, user: Viewer) -> QuerySet[Report]:
    """The reports ``user`` may open (see the module's docstring)."""
    visible = Q(case_link__case__in=cases_visible_to(user=user))
    if user_has_permission(user, Permission.REPORT_VIEW):
        visible |= Q(case_link__isnull=True)
    return Report.objects.filter(visible)


def inbox_reports(*, user: Viewer, filters: InboxFilters) -> QuerySet[Report]:
    """The inbox: reports this user may see, filtered, newest first."""
    return reports_filtered(reports_visible_to(user=user), filters)


def report_get_for_user(*, user: Viewer, reference: str) -> Report:
    """Fetch a report and record the view; 404 alike for missing and forbidden."""
    report = (
        reports_visible_to(user=user)
        .select_related("duplicate_of")
        .prefetch_related(
            "suspect_identifiers",
            "attachments",
            "status_changes__actor",
            Prefetch("victim_messages", VictimMessage.objects.select_related("author")),
            Prefetch("internal_notes", InternalNote.objects.select_related("author")),
        )
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise Http404
    audit_record(actor=user, action=AuditAction.REPORT_VIEWED, target=report)
    return report


def attachment_get_for_user(*, user: Viewer, attachment_id: int) -> Attachment:
    if not user_has_permission(user, Permission.ATTACHMENT_DOWNLOAD):
        raise Http404
    attachment = (
        Attachment.objects.select_related("report")
        .filter(pk=attachment_id, report__in=reports_visible_to(user=user))
        .first()
    )
    if attachment is None:
        raise Http404
    audit_record(
        actor=user,
        action=AuditAction.ATTACHMENT_DOWNLOADED,
        target=attachment.report,
        extra={"attachment": attachment.pk, "sha256": attachment.sha256},
    )
    return attachment
