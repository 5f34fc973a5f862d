"""Reports through the API: partners submit, staff read. Same rules as the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import BinaryIO, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile as DjangoUploadedFile
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.params import functions as params

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.cases import report_access
from markaz.flows.submission import reports_submit
from markaz.intake import selectors, services
from markaz.intake.choices import Channel
from markaz.intake.forms import validate_attachments
from markaz.intake.models import Report
from markaz.intake.schemas import ReportIn
from markaz.intake.validation import DraftRefused, draft_from_input
from markaz.web.auth import signed_in_user

router = Router(tags=["reports"])


class SuspectIdentifierOut(Schema):
    kind: str
    value: str


class ReportReceiptOut(Schema):
    reference: str
    status: str
    created: bool
    status_code: str = Field(
        default="", description="The victim's secret status code; only when created."
    )


class ReportOut(Schema):
    reference: str
    channel: str
    language: str
    status: str
    submitted_at: datetime
    category: str
    narrative: str
    incident_at: datetime | None
    region: str
    district: str
    loss_amount: Decimal | None
    loss_currency: str
    payment_method: str
    suspect_identifiers: list[SuspectIdentifierOut]
    victim_name: str
    victim_phone: str
    victim_email: str


class ErrorOut(Schema):
    """`detail` is a message, or for invalid input a list of messages per field."""

    detail: str | dict[str, list[str]]


@router.post(
    "",
    response={
        201: ReportReceiptOut,
        200: ReportReceiptOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ErrorOut,
    },
    summary="Submit a report (partners)",
)
def report_create(request: HttpRequest, payload: ReportIn) -> Status[ReportReceiptOut | ErrorOut]:
    """Submit a report. A repeated `external_id` or `Idempotency-Key` header returns the
    report already stored (200) instead of creating a second one (201)."""
    user = signed_in_user(request)
    if not user_has_permission(user, Permission.REPORT_SUBMIT_API):
        raise HttpError(403, _("This account may not submit reports."))
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()[:100]
    existing = services.report_find_submitted(
        submitted_by=user, external_id=payload.external_id, idempotency_key=idempotency_key
    )
    if existing is not None:
        return Status(
            200,
            ReportReceiptOut(reference=existing.reference, status=existing.status, created=False),
        )
    try:
        draft = draft_from_input(payload)
    except DraftRefused as refused:
        return Status(422, ErrorOut(detail=refused.errors))
    [receipt] = reports_submit(
        submissions=[
            services.Submission(
                draft=draft,
                channel=Channel.PARTNER,
                submitted_by=user,
                external_id=payload.external_id,
                idempotency_key=idempotency_key,
            )
        ]
    )
    return Status(
        201 if receipt.created else 200,
        ReportReceiptOut(
            reference=receipt.report.reference,
            status=receipt.report.status,
            created=receipt.created,
            status_code=receipt.status_code,
        ),
    )


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str


# Optional in the signature only so that the permission check answers before validation.
# ninja.File is this function at run time; its types declare only the alias File[T].
OPTIONAL_FILES = params.File(None)


def _incoming(upload: DjangoUploadedFile[bytes]) -> services.IncomingAttachment:
    # The stubs type an upload's file as IO[bytes] | None; an upload that reached a view
    # has its file open, in binary: a BinaryIO, as for the form's uploads (intake.forms).
    return services.IncomingAttachment(
        name=upload.name or "file", stream=cast(BinaryIO, upload.file)
    )


@router.post(
    "/{reference}/attachments",
    response={201: list[AttachmentOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Attach files to a report you submitted (partners)",
)
def report_attachments_add(
    request: HttpRequest, reference: str, files: list[UploadedFile] | None = OPTIONAL_FILES
) -> Status[list[AttachmentOut] | ErrorOut]:
    """Send screenshots or PDFs of a report after creating it (multipart/form-data, field
    `files`, repeatable). The same checks as the public form apply: count and size caps,
    and the bytes must be an image or a PDF. A partner reaches only its own reports."""
    user = signed_in_user(request)
    if not user_has_permission(user, Permission.REPORT_SUBMIT_API):
        raise HttpError(403, _("This account may not submit reports."))
    report = Report.objects.filter(reference=reference, submitted_by=user).first()
    if report is None:
        raise HttpError(404, _("Not found."))
    if not files:
        return Status(422, ErrorOut(detail={"files": [_("This field is required.")]}))
    # validate_attachments takes Django's upload type: a list of ninja's subclass is not a
    # list of it (lists are invariant), a copy typed as one is.
    uploads: list[DjangoUploadedFile[bytes]] = list(files)
    try:
        validate_attachments(uploads, already=report.attachments.count())
    except ValidationError as error:
        return Status(422, ErrorOut(detail={"files": list(error.messages)}))
    created = services.report_attach(
        report=report, attachments=[_incoming(upload) for upload in uploads], actor=user
    )
    return Status(201, [AttachmentOut.from_orm(item) for item in created])


class ReportFilters(Schema):
    status: str = ""
    category: str = ""
    region: str = ""
    language: str = ""
    channel: str = ""
    q: str = Field("", max_length=200, description="Text search over narratives")
    page: int = Field(1, ge=1, le=100_000)


class ReportPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ReportOut]


API_PAGE_SIZE = 50


@router.get(
    "",
    response={200: ReportPageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="List reports (staff)",
)
def report_list(request: HttpRequest, filters: Query[ReportFilters]) -> ReportPageOut:
    user = signed_in_user(request)
    if not user_has_permission(user, Permission.INBOX_VIEW):
        raise HttpError(403, _("This account may not read reports."))
    inbox_filters = selectors.InboxFilters(
        status=filters.status,
        category=filters.category,
        region=filters.region,
        language=filters.language,
        channel=filters.channel,
        text=filters.q,
    )
    reports = report_access.inbox_reports(user=user, filters=inbox_filters)
    count = reports.count()
    start = (filters.page - 1) * API_PAGE_SIZE
    items = list(reports.prefetch_related("suspect_identifiers")[start : start + API_PAGE_SIZE])
    selectors.reports_record_listing(user=user, reports=items, filters=inbox_filters, count=count)
    return ReportPageOut(
        count=count,
        page=filters.page,
        pages=max(1, -(-count // API_PAGE_SIZE)),
        items=[ReportOut.from_orm(r) for r in items],
    )


@router.get(
    "/{reference}",
    response={200: ReportOut, 401: ErrorOut, 404: ErrorOut},
    summary="Read one report (staff)",
)
def report_read(request: HttpRequest, reference: str) -> Report:
    user = signed_in_user(request)
    try:
        return report_access.report_get_for_user(user=user, reference=reference)
    except Http404:
        raise HttpError(404, _("Not found.")) from None
