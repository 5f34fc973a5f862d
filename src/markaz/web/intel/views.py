"""Thin views over the intel selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission, user_has_permission
from markaz.cases import correlation
from markaz.cases.report_access import report_get_for_user, reports_visible_to
from markaz.core.country import current_country
from markaz.intel import selectors, services
from markaz.intel.forms import SearchForm, WarningListForm
from markaz.intel.models import Campaign, Indicator, WarningListEntry
from markaz.web.auth import signed_in_user


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.INTEL_VIEW)
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = correlation.indicator_search(user=request.user, query=form.cleaned_data["q"])
    return render(request, "intel/search.html", {"form": form, "results": results})


@login_required
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    view = correlation.indicator_get_for_user(user=request.user, indicator_id=indicator_id)
    return render(
        request,
        "intel/indicator_detail.html",
        {
            "view": view,
            "indicator": view.indicator,
            "can_watch": user_has_permission(request.user, Permission.INTEL_WATCH),
            "can_manage": user_has_permission(request.user, Permission.WARNINGLIST_MANAGE),
        },
    )


@login_required
@require_POST
def indicator_watch(request: HttpRequest, indicator_id: int) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.INTEL_WATCH)
    view = correlation.indicator_get_for_user(user=user, indicator_id=indicator_id)
    services.watch_toggle(user=user, indicator=view.indicator)
    return redirect("intel:indicator_detail", indicator_id=indicator_id)


@login_required
@require_POST
def indicator_guard(request: HttpRequest, indicator_id: int, action: str) -> HttpResponse:
    """An analyst decides on an indicator: confirm that it links, or put it on the list."""
    user = signed_in_user(request)
    require_permission(user, Permission.WARNINGLIST_MANAGE)
    indicator = get_object_or_404(Indicator, pk=indicator_id)
    try:
        if action == "confirm":
            services.indicator_confirm(indicator=indicator, actor=user)
        elif action == "warn":
            services.warninglist_add_indicator(
                indicator=indicator, note=request.POST.get("note", ""), actor=user
            )
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("intel:indicator_detail", indicator_id=indicator_id)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(user=request.user)
    page = Paginator(campaigns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/campaign_list.html",
        {"page": page, "main_currency": current_country().default_currency},
    )


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    view = correlation.campaign_get_for_user(
        user=request.user, campaign_id=campaign_id, page=request.GET.get("page")
    )
    return render(
        request,
        "intel/campaign_detail.html",
        {
            "view": view,
            "page": view.reports,
            "campaign": view.campaign,
            "can_watch": user_has_permission(request.user, Permission.INTEL_WATCH),
            "can_open_case": user_has_permission(request.user, Permission.CASE_OPEN),
        },
    )


@login_required
@require_POST
def campaign_watch(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.INTEL_WATCH)
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    services.watch_toggle(user=user, campaign=campaign)
    return redirect("intel:campaign_detail", campaign_id=campaign_id)


@login_required
def report_links(request: HttpRequest, reference: str) -> HttpResponse:
    """Correlation of one report: what shares a suspect indicator with it, and through what."""
    user = signed_in_user(request)
    require_permission(user, Permission.INTEL_VIEW)
    report = report_get_for_user(user=user, reference=reference)
    links = correlation.report_correlation(user=user, report=report)
    return render(request, "intel/report_links.html", {"correlation": links})


@login_required
@require_http_methods(["GET", "POST"])
def warninglist(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.INTEL_VIEW)
    can_manage = user_has_permission(user, Permission.WARNINGLIST_MANAGE)
    form = WarningListForm(request.POST or None)
    if request.method == "POST":
        require_permission(user, Permission.WARNINGLIST_MANAGE)
        if form.is_valid():
            try:
                services.warninglist_add(actor=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("value", error)
            else:
                messages.success(request, _("Added to the warning list."))
                return redirect("intel:warninglist")
    entries = selectors.warninglist_entries(user=user)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "intel/warninglist.html",
        {
            "form": form,
            "page": page,
            "held": selectors.indicators_held()[:100],
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def warninglist_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.WARNINGLIST_MANAGE)
    entry = get_object_or_404(WarningListEntry, pk=entry_id, active=True)
    services.warninglist_remove(entry=entry, actor=user)
    messages.success(request, _("Removed from the warning list; it links reports again."))
    return redirect("intel:warninglist")


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.INTEL_VIEW)
    if request.method == "POST":
        services.notifications_mark_read(user=user)
        return redirect("intel:notifications")
    page = Paginator(selectors.notifications_of(user=user), 50).get_page(request.GET.get("page"))
    report_ids = [n.report_id for n in page if n.report_id]
    visible = set(
        reports_visible_to(user=user).filter(pk__in=report_ids).values_list("pk", flat=True)
    )
    return render(
        request,
        "intel/notifications.html",
        {
            "page": page,
            "visible": visible,
            "watches": selectors.watches_of(user=user),
        },
    )
