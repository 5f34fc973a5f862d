"""The administrators' audit viewer and its CSV export; both are themselves audited."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission
from markaz.audit import selectors, services
from markaz.audit.canonical import utc_text
from markaz.audit.forms import EventFilterForm
from markaz.web.auth import signed_in_user

PAGE_SIZE = 50
CSV_HEADER = [
    "id",
    "at_utc",
    "user",
    "source",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "purpose",
    "extra",
    "leaf_hash",
]
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.AUDIT_LOG_VIEW)
    form = EventFilterForm(request.GET or None)
    filters = form.filters()
    events = selectors.audit_events(filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this view's own event is added
    services.audit_log_record_view(user=user, filters=filters, page=page.number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "head": selectors.audit_latest_head(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def log_export(request: HttpRequest) -> StreamingHttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.AUDIT_LOG_VIEW)
    filters = EventFilterForm(request.GET or None).filters()
    services.audit_log_record_export(user=user, filters=filters)
    events = selectors.audit_events(filters=filters)

    def rows() -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_HEADER)  # BOM: spreadsheets then read UTF-8
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        event.pk,
                        utc_text(event.at),
                        event.actor_label,
                        event.source,
                        event.action,
                        event.target_type,
                        event.target_id,
                        event.target_label,
                        event.purpose,
                        json.dumps(event.extra, ensure_ascii=False, sort_keys=True),
                        event.leaf_hash,
                    )
                ]
            )

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="markaz-audit-{stamp}.csv"'
    return response
