"""Indicators, identifier search and campaigns through the API, under the pages' rules.

Without the intel permission every endpoint answers 403; an indicator or campaign the
caller may not see answers 404, like a missing one. Report references appear only for
reports the caller may see (intake's ``reports_visible_to``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.cases import correlation
from markaz.intel import selectors
from markaz.intel.models import Campaign, Indicator

router = Router(tags=["intel"])

API_PAGE_SIZE = 50


class ErrorOut(Schema):
    # The same as intake's and cases' ErrorOut: OpenAPI keeps one component per name, so
    # schemas that share a name must agree, or the spec lies about the others' 422s.
    detail: str | dict[str, list[str]]


class IndicatorOut(Schema):
    id: int
    kind: str
    value: str = Field(..., description="Normal form; for a card, BIN and last four only.")
    links: bool = Field(..., description="False when on a warning list or held by the guard.")
    warned: bool
    guard: str
    report_count: int
    first_seen: datetime
    last_seen: datetime


class SightingOut(Schema):
    seen_at: datetime
    role: str
    field: str
    report: str | None = Field(None, description="Reference, when you may see the report.")


class IndicatorDetailOut(IndicatorOut):
    loss: dict[str, Decimal]
    regions: dict[str, int]
    campaigns: list[int]
    sightings: list[SightingOut]


class CampaignOut(Schema):
    id: int
    reference: str
    name: str
    victim_count: int
    report_count: int
    loss_main: Decimal
    first_report_at: datetime | None
    last_report_at: datetime | None


class CampaignPageOut(Schema):
    count: int
    page: int
    items: list[CampaignOut]


class CampaignDetailOut(CampaignOut):
    loss: dict[str, Decimal]
    regions: dict[str, int]
    indicators: list[IndicatorOut]
    reports: list[str] = Field(..., description="References of the reports you may see.")
    hidden_reports: int


class PageIn(Schema):
    page: int = Field(1, ge=1)


class SearchIn(Schema):
    q: str = Field("", max_length=300, description="An identifier, any format.")


def _allowed(request: HttpRequest) -> None:
    if not user_has_permission(request.user, Permission.INTEL_VIEW):
        raise HttpError(403, _("This account may not read intelligence."))


def _indicator(i: Indicator) -> IndicatorOut:
    value = f"{i.card_bin}…{i.card_last4}" if i.kind == "card" else i.value
    return IndicatorOut(
        id=i.pk,
        kind=i.kind,
        value=value,
        links=i.links,
        warned=i.warned,
        guard=i.guard,
        report_count=i.report_count,
        first_seen=i.first_seen,
        last_seen=i.last_seen,
    )


@router.get(
    "/search",
    response={200: list[IndicatorOut], 403: ErrorOut},
    summary="Find indicators by an identifier in any format",
)
def intel_search(request: HttpRequest, query: Query[SearchIn]) -> list[IndicatorOut]:
    _allowed(request)
    return [_indicator(i) for i in correlation.indicator_search(user=request.user, query=query.q)]


@router.get(
    "/indicators/{indicator_id}",
    response={200: IndicatorDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="Read one indicator and its sightings",
)
def intel_indicator_read(request: HttpRequest, indicator_id: int) -> IndicatorDetailOut:
    _allowed(request)
    view = correlation.indicator_get_for_user(user=request.user, indicator_id=indicator_id)
    base = _indicator(view.indicator).model_dump()
    return IndicatorDetailOut(
        **base,
        loss={currency: total for currency, total in view.loss},
        regions={name: n for name, n in view.regions},
        campaigns=[c.pk for c in view.campaigns],
        sightings=[
            SightingOut(
                seen_at=s.seen_at,
                role=s.role,
                field=s.field,
                report=s.report.reference if s.report_id in view.visible_report_ids else None,
            )
            for s in view.sightings
        ],
    )


def _campaign(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.pk,
        reference=c.reference,
        name=c.name,
        victim_count=c.victim_count,
        report_count=c.report_count,
        loss_main=c.loss_main,
        first_report_at=c.first_report_at,
        last_report_at=c.last_report_at,
    )


@router.get(
    "/campaigns",
    response={200: CampaignPageOut, 403: ErrorOut},
    summary="Campaigns ranked by victims and loss",
)
def intel_campaign_list(request: HttpRequest, paging: Query[PageIn]) -> CampaignPageOut:
    _allowed(request)
    campaigns = selectors.campaign_list(user=request.user)
    start = (paging.page - 1) * API_PAGE_SIZE
    return CampaignPageOut(
        count=campaigns.count(),
        page=paging.page,
        items=[_campaign(c) for c in campaigns[start : start + API_PAGE_SIZE]],
    )


@router.get(
    "/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, 403: ErrorOut, 404: ErrorOut},
    summary="Read one campaign",
)
def intel_campaign_read(request: HttpRequest, campaign_id: int) -> CampaignDetailOut:
    _allowed(request)
    view = correlation.campaign_get_for_user(user=request.user, campaign_id=campaign_id)
    return CampaignDetailOut(
        **_campaign(view.campaign).model_dump(),
        loss={currency: total for currency, total in view.loss},
        regions={name: n for name, n in view.regions},
        indicators=[_indicator(i) for i, _n in view.indicators],
        reports=[r.reference for r in view.reports],
        hidden_reports=view.hidden_reports,
    )
