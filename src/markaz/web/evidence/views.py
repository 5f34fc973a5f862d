"""Thin views: authorise through the case's rules, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from markaz.cases.models import Case
from markaz.cases.rules import WORK_CASE
from markaz.cases.selectors import case_get_for_user
from markaz.evidence import forms, selectors, services
from markaz.evidence.choices import CustodyKind
from markaz.evidence.models import EvidenceItem
from markaz.evidence.package import package_build
from markaz.evidence.store import discard_received, read_plain
from markaz.evidence.uploads import FIELD, EvidenceUploadHandler, ReceivedUpload
from markaz.web.auth import signed_in_user
from markaz.web.flash import flash_errors, flash_form_errors


def _work_case(request: HttpRequest, number: str) -> Case:
    case = case_get_for_user(user=request.user, number=number)
    if not request.user.has_perm(WORK_CASE, case):
        raise PermissionDenied
    return case


def _circumstances(form: Form) -> services.Circumstances:
    data = form.cleaned_data
    return services.Circumstances(
        location=data.get("location", ""),
        purpose=data.get("purpose", ""),
        authority=data.get("authority", ""),
        note=data.get("note", ""),
    )


def _added(request: HttpRequest, case: Case, add: Callable[[], EvidenceItem]) -> HttpResponse:
    """Run one way of adding evidence; on refusal back to the case's evidence, else to the item."""
    try:
        item = add()
    except ValidationError as error:
        flash_errors(request, error.messages)
        return redirect("evidence:case", number=case.number)
    messages.success(request, _("Evidence %(number)s added.") % {"number": item.number})
    return redirect("evidence:item", item_id=item.pk)


@login_required
def case_evidence(request: HttpRequest, number: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, number=number)
    items = selectors.case_evidence(case=case)
    can_work = request.user.has_perm(WORK_CASE, case)
    attachments = selectors.promotable_attachments(case=case) if can_work else []
    return render(
        request,
        "evidence/case_evidence.html",
        {
            "case": case,
            "items": items,
            "failed": [item for item in items if item.integrity_failed_at],
            "can_work": can_work,
            "file_form": forms.FileEvidenceForm(auto_id="id_file_%s"),
            "attachment_form": forms.AttachmentEvidenceForm(
                attachments=attachments, auto_id="id_attachment_%s"
            ),
            "has_attachments": bool(attachments),
            "physical_form": forms.PhysicalEvidenceForm(auto_id="id_physical_%s"),
            "package_form": forms.PackageForm(items=items, auto_id="id_package_%s"),
        },
    )


@csrf_exempt
@login_required
@require_POST
def evidence_upload(request: HttpRequest, number: str) -> HttpResponse:
    # Authorise before a byte of the body is read: nobody streams gigabytes to be refused.
    case = _work_case(request, number)
    handler = EvidenceUploadHandler(request)
    request.upload_handlers = [handler]
    try:
        return _evidence_upload(request, case, handler)
    finally:
        # The CSRF check reads the body (and so the file) before the view runs; whatever was
        # received and not stored (refused token, invalid form, error) leaves no sealed copy.
        handler.abort()
        for received in handler.received:
            discard_received(received)


@csrf_protect
def _evidence_upload(
    request: HttpRequest, case: Case, handler: EvidenceUploadHandler
) -> HttpResponse:
    user = signed_in_user(request)
    form = forms.FileEvidenceForm(request.POST)
    upload = request.FILES.get(FIELD)
    if handler.too_large:
        messages.error(request, _("The file is larger than this installation accepts."))
    elif not isinstance(upload, ReceivedUpload):
        messages.error(request, _("Choose a file."))
    elif not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            item = services.evidence_add_file(
                case=case,
                received=upload.received,
                original_name=upload.name or "",
                content_type=upload.content_type or "",
                description=form.cleaned_data["description"],
                actor=user,
                circumstances=_circumstances(form),
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(
                request,
                _("Evidence %(number)s added; its hash is %(digest)s.")
                % {"number": item.number, "digest": item.sha256},
            )
            return redirect("evidence:item", item_id=item.pk)
    return redirect("evidence:case", number=case.number)


@login_required
@require_POST
def evidence_promote(request: HttpRequest, number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = _work_case(request, number)
    attachments = selectors.promotable_attachments(case=case)
    form = forms.AttachmentEvidenceForm(request.POST, attachments=attachments)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("evidence:case", number=case.number)
    attachment = next(a for a in attachments if a.pk == form.cleaned_data["attachment"])
    return _added(
        request,
        case,
        lambda: services.evidence_promote_attachment(
            case=case,
            attachment=attachment,
            description=form.cleaned_data["description"],
            actor=user,
            circumstances=_circumstances(form),
        ),
    )


@login_required
@require_POST
def evidence_physical(request: HttpRequest, number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = _work_case(request, number)
    form = forms.PhysicalEvidenceForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("evidence:case", number=case.number)
    return _added(
        request,
        case,
        lambda: services.evidence_add_physical(
            case=case,
            description=form.cleaned_data["description"],
            seal_number=form.cleaned_data["seal_number"],
            actor=user,
            circumstances=_circumstances(form),
        ),
    )


@login_required
@require_POST
def package_export(request: HttpRequest, number: str) -> HttpResponse | FileResponse:
    user = signed_in_user(request)
    case = _work_case(request, number)
    items = selectors.case_evidence(case=case)
    form = forms.PackageForm(request.POST, items=items)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("evidence:case", number=case.number)
    chosen = [item for item in items if item.pk in set(form.cleaned_data["items"])]
    try:
        built = package_build(
            case=case,
            items=chosen,
            actor=user,
            purpose=form.cleaned_data["purpose"],
            authority=form.cleaned_data["authority"],
        )
    except ValueError:
        messages.error(
            request,
            _("An item no longer matches its hash; no package was made. Run the evidence check."),
        )
        return redirect("evidence:case", number=case.number)
    services.package_record_export(
        case=case,
        items=chosen,
        actor=user,
        circumstances=services.Circumstances(
            purpose=form.cleaned_data["purpose"], authority=form.cleaned_data["authority"]
        ),
        package_sha256=built.sha256,
        package_name=built.name,
    )
    return FileResponse(
        built.path.open("rb"),
        as_attachment=True,
        filename=built.name,
        content_type="application/zip",
    )


def _item_context(request: HttpRequest, item: EvidenceItem, **forms_: Form) -> dict[str, object]:
    can_work = request.user.has_perm(WORK_CASE, item.case)
    return {
        "item": item,
        "case": item.case,
        "history": selectors.custody_history(item=item),
        "can_work": can_work,
        "custody_form": forms_.get("custody_form")
        or forms.CustodyForm(auto_id="id_custody_%s", initial={"location": item.location}),
        "download_form": forms.DownloadForm(auto_id="id_download_%s"),
    }


@login_required
def evidence_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.evidence_get_for_user(user=request.user, item_id=item_id)
    return render(request, "evidence/item.html", _item_context(request, item))


def _item_for_work(request: HttpRequest, item_id: int) -> EvidenceItem:
    item = selectors.evidence_get_for_user(user=request.user, item_id=item_id)
    if not request.user.has_perm(WORK_CASE, item.case):
        raise PermissionDenied
    return item


@login_required
@require_POST
def custody_add(request: HttpRequest, item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = _item_for_work(request, item_id)
    form = forms.CustodyForm(request.POST, auto_id="id_custody_%s")
    if form.is_valid():
        try:
            services.custody_record(
                item=item,
                kind=CustodyKind(form.cleaned_data["kind"]),
                actor=user,
                circumstances=_circumstances(form),
                to_party=form.cleaned_data["to_party"],
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Recorded in the chain of custody."))
            return redirect("evidence:item", item_id=item.pk)
    context = _item_context(request, item, custody_form=form)
    return render(request, "evidence/item.html", context, status=400)


@login_required
@require_POST
def evidence_download(request: HttpRequest, item_id: int) -> HttpResponse | StreamingHttpResponse:
    user = signed_in_user(request)
    item = _item_for_work(request, item_id)
    form = forms.DownloadForm(request.POST)
    if not form.is_valid() or not item.is_digital:
        flash_form_errors(request, form)
        return redirect("evidence:item", item_id=item.pk)
    services.evidence_record_download(item=item, actor=user, purpose=form.cleaned_data["purpose"])
    # Decrypted chunk by chunk as it is sent; always a download, never shown inline.
    response = StreamingHttpResponse(
        read_plain(item.sha256), content_type="application/octet-stream"
    )
    response["Content-Length"] = str(item.size)
    response["Content-Disposition"] = _attachment_header(item)
    return response


def _attachment_header(item: EvidenceItem) -> str:
    name = item.original_name or f"{item.number}.bin"
    return content_disposition_header(True, f"{item.case.number}-{item.number}-{name}")
