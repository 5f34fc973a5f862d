"""Thin views: parse the request, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from markaz.accounts.ratelimit import rate_limit_exceeded
from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission, user_has_permission
from markaz.cases import report_access
from markaz.flows.submission import reports_submit
from markaz.intake import selectors, services
from markaz.intake.attachments import attachment_path
from markaz.intake.choices import Channel, ReportStatus
from markaz.intake.forms import (
    DuplicateForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    ReportForm,
    StaffReportForm,
    StatusForm,
    StatusLookupForm,
    SuspectIdentifierFormSet,
    identifiers_from,
)
from markaz.intake.models import Report
from markaz.intake.services import Submission
from markaz.intake.taxonomy import categories, category
from markaz.web.auth import signed_in_user
from markaz.web.flash import flash_errors, flash_form_outcome
from markaz.web.middleware import client_ip

RECEIPT_SESSION_KEY = "markaz_receipt"


def _form_context(form: ReportForm, formset: object) -> dict[str, object]:
    return {"form": form, "formset": formset, "categories": categories()}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/home.html")


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The public report form."""
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        formset = SuspectIdentifierFormSet(request.POST, prefix="suspect")
        if rate_limit_exceeded(
            scope="report_submit",
            key=client_ip(request),
            limit=settings.MARKAZ_SUBMISSIONS_PER_HOUR,
        ):
            return render(
                request,
                "intake/report_form.html",
                {**_form_context(form, formset), "rate_limited": True},
                status=429,
            )
        if form.is_valid() and formset.is_valid():
            draft = form.to_draft(language=get_language(), identifiers=identifiers_from(formset))
            try:
                [receipt] = reports_submit(
                    submissions=[
                        Submission(
                            draft=draft,
                            channel=Channel.WEB,
                            attachments=form.incoming_attachments(),
                        )
                    ]
                )
            except (DatabaseError, OSError):
                return render(
                    request,
                    "intake/report_form.html",
                    {**_form_context(form, formset), "not_stored": True},
                    status=503,
                )
            # The secret code is shown once, on the receipt; it travels there in the session,
            # never in a URL that could end up in logs or browser history.
            request.session[RECEIPT_SESSION_KEY] = {
                "reference": receipt.report.reference,
                "status_code": receipt.status_code,
                "category": receipt.report.category,
            }
            return redirect("intake:receipt")
    else:
        form = ReportForm()
        formset = SuspectIdentifierFormSet(prefix="suspect")
    return render(request, "intake/report_form.html", _form_context(form, formset))


def receipt(request: HttpRequest) -> HttpResponse:
    data = request.session.get(RECEIPT_SESSION_KEY)
    if not data:
        return redirect("intake:report_new")
    return render(
        request,
        "intake/receipt.html",
        {
            "reference": data["reference"],
            "status_code": data["status_code"],
            "category": category(data["category"]),
        },
    )


@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    """Reference + secret code show the report's status and staff messages."""
    form = StatusLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        if rate_limit_exceeded(
            scope="status_lookup",
            key=client_ip(request),
            limit=settings.MARKAZ_STATUS_CHECKS_PER_HOUR,
        ):
            context["rate_limited"] = True
            return render(request, "intake/status.html", context, status=429)
        report = selectors.report_status_lookup(
            reference=form.cleaned_data["reference"], status_code=form.cleaned_data["status_code"]
        )
        if report is None:
            context["not_found"] = True
        else:
            context["report"] = selectors.report_statuses_public(report)
    return render(request, "intake/status.html", context)


# --- staff side ---------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.INBOX_VIEW)
    form = InboxFilterForm(request.GET or None)
    filters = selectors.InboxFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.InboxFilters(
            status=data["status"],
            category=data["category"],
            region=data["region"],
            language=data["language"],
            channel=data["channel"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            loss_min=data["loss_min"],
            loss_max=data["loss_max"],
            text=data["q"],
        )
    reports = report_access.inbox_reports(user=user, filters=filters)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    if filters.is_search():
        selectors.inbox_record_search(user=user, filters=filters, count=page.paginator.count)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/inbox.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    report = report_access.report_get_for_user(user=user, reference=reference)
    can_triage = user_has_permission(user, Permission.REPORT_TRIAGE)
    return render(
        request,
        "intake/report_detail.html",
        {
            "report": report,
            "can_triage": can_triage,
            "status_form": StatusForm(initial={"status": report.status}),
            "duplicate_form": DuplicateForm(),
            "message_form": MessageForm(),
            "note_form": NoteForm(),
            "statuses": ReportStatus,
        },
    )


def _report_for_triage(actor: User, reference: str) -> Report:
    require_permission(actor, Permission.REPORT_TRIAGE)
    report = report_access.reports_visible_to(user=actor).filter(reference=reference).first()
    if report is None:
        raise Http404
    return report


# --- triage actions on one report: each takes the posted form and returns it -------------


def _triage_status(request: HttpRequest, report: Report, actor: User) -> Form:
    form = StatusForm(request.POST)
    if form.is_valid():
        services.report_set_status(
            report=report,
            status=ReportStatus(form.cleaned_data["status"]),
            reason=form.cleaned_data["reason"],
            actor=actor,
        )
    return form


def _triage_duplicate(request: HttpRequest, report: Report, actor: User) -> Form:
    form = DuplicateForm(request.POST)
    if form.is_valid():
        original = (
            report_access.reports_visible_to(user=actor)
            .filter(reference=form.cleaned_data["original"].strip().upper())
            .first()
        )
        if original is None:
            form.add_error("original", _("No report with this reference."))
        else:
            services.report_mark_duplicate(
                report=report, original=original, actor=actor, reason=form.cleaned_data["reason"]
            )
    return form


def _triage_message(request: HttpRequest, report: Report, actor: User) -> Form:
    form = MessageForm(request.POST)
    if form.is_valid():
        services.report_message_victim(report=report, text=form.cleaned_data["text"], actor=actor)
    return form


def _triage_note(request: HttpRequest, report: Report, actor: User) -> Form:
    form = NoteForm(request.POST)
    if form.is_valid():
        services.report_add_note(report=report, text=form.cleaned_data["text"], actor=actor)
    return form


TRIAGE_ACTIONS: dict[str, Callable[[HttpRequest, Report, User], Form]] = {
    "status": _triage_status,
    "duplicate": _triage_duplicate,
    "message": _triage_message,
    "note": _triage_note,
}


@login_required
@require_POST
def report_triage(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """One endpoint per triage action: status, duplicate, message, note."""
    actor = signed_in_user(request)
    report = _report_for_triage(actor, reference)
    if action not in TRIAGE_ACTIONS:
        raise Http404
    try:
        form = TRIAGE_ACTIONS[action](request, report, actor)
    except ValidationError as error:
        flash_errors(request, error.messages)
    else:
        flash_form_outcome(request, form)
    return redirect("intake:report_detail", reference=report.reference)


@login_required
@require_http_methods(["GET", "POST"])
def staff_report_new(request: HttpRequest) -> HttpResponse:
    """A report taken by phone or at the desk by an intake officer."""
    user = signed_in_user(request)
    require_permission(user, Permission.REPORT_TRIAGE)
    if request.method == "POST":
        form = StaffReportForm(request.POST, request.FILES)
        formset = SuspectIdentifierFormSet(request.POST, prefix="suspect")
        if form.is_valid() and formset.is_valid():
            draft = form.to_draft(
                language=form.cleaned_data["language"], identifiers=identifiers_from(formset)
            )
            try:
                [receipt] = reports_submit(
                    submissions=[
                        Submission(
                            draft=draft,
                            channel=Channel(form.cleaned_data["channel"]),
                            attachments=form.incoming_attachments(),
                            submitted_by=user,
                        )
                    ]
                )
            except (DatabaseError, OSError):
                # reports_submit has removed any file it stored; nothing is half-saved.
                return render(
                    request,
                    "intake/staff_report_form.html",
                    {**_form_context(form, formset), "not_stored": True},
                    status=503,
                )
            return render(
                request,
                "intake/staff_receipt.html",
                {"reference": receipt.report.reference, "status_code": receipt.status_code},
            )
    else:
        form = StaffReportForm(initial={"language": get_language()})
        formset = SuspectIdentifierFormSet(prefix="suspect")
    return render(request, "intake/staff_report_form.html", _form_context(form, formset))


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    user = signed_in_user(request)
    attachment = report_access.attachment_get_for_user(user=user, attachment_id=attachment_id)
    path = attachment_path(attachment.stored_name)
    if not path.exists():
        raise Http404
    # Always a download, never rendered inline: a victim's file is hostile content.
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
