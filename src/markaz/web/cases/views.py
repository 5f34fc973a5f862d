"""Thin views: parse the request, authorise through `cases.rules`, call a service, render."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from markaz.accounts.roles import Permission
from markaz.accounts.rules import require_permission, user_has_permission
from markaz.cases import forms, selectors, services
from markaz.cases.choices import CASE_STATUS_MOVES, CasePriority, CaseStatus, MemberRole, TaskStatus
from markaz.cases.models import Case
from markaz.cases.report_access import reports_visible_to
from markaz.cases.rules import MANAGE_CASE, WORK_CASE
from markaz.intel.models import Campaign
from markaz.web.auth import signed_in_user
from markaz.web.flash import flash_errors, flash_form_outcome


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.CASE_LIST)
    form = forms.CaseFilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.CaseFilters(
            status=data["status"], priority=data["priority"], lead=data["lead"], text=data["q"]
        )
    cases = selectors.case_list(user=request.user, filters=filters)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_open": user_has_permission(request.user, Permission.CASE_OPEN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    """Open a case from the reports chosen on the inbox or a report's page, or from a
    campaign (`?campaign=<id>`, from the campaign's page)."""
    user = signed_in_user(request)
    require_permission(user, Permission.CASE_OPEN)
    source = request.POST if request.method == "POST" else request.GET
    campaign = None
    if source.get("campaign"):
        campaign_id = source["campaign"]
        campaign = get_object_or_404(Campaign, pk=campaign_id if campaign_id.isdigit() else 0)
        reports = selectors.campaign_eligible_reports(user=user, campaign_id=campaign.pk)
    else:
        reports = selectors.linkable_reports(user=user, references=source.getlist("reports"))
    initial = {"title": campaign.name or campaign.reference} if campaign is not None else {}
    form = forms.CaseOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                reports=[] if campaign is not None else reports,
                campaign=campaign,
                title=data["title"],
                summary=data["summary"],
                priority=CasePriority(data["priority"]),
                due_date=data["due_date"],
                articles=data["articles"],
                actor=user,
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            if campaign is not None:
                left_out = selectors.campaign_reports_outside(case=case, campaign_id=campaign.pk)
                if left_out:
                    messages.warning(request, _campaign_left_out(left_out))
            return redirect("cases:case_detail", number=case.number)
    return render(
        request,
        "cases/case_open.html",
        {"form": form, "reports": reports, "campaign": campaign},
    )


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = signed_in_user(request)
    case = selectors.case_get_for_user(user=user, number=number)
    can_work = user.has_perm(WORK_CASE, case)
    can_manage = user.has_perm(MANAGE_CASE, case)
    members = selectors.case_members(case=case)
    candidates = selectors.case_candidates()
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "reports": selectors.case_reports(case=case, user=user),
            "campaigns": selectors.case_campaigns(case=case),
            "campaign_form": forms.CampaignLinkForm(auto_id="id_campaign_%s"),
            "members": members,
            "tasks": selectors.case_tasks(case=case),
            "notes": selectors.case_notes(case=case),
            "timeline": selectors.case_timeline(case=case),
            "articles": selectors.case_articles(case=case),
            "can_work": can_work,
            "can_manage": can_manage,
            "moves": [CaseStatus(s) for s in CaseStatus if s in CASE_STATUS_MOVES[case.status]],
            "move_form": forms.MoveForm(auto_id="id_move_%s"),
            "task_form": forms.TaskForm(
                members=selectors.case_member_users(case=case), auto_id="id_task_%s"
            ),
            "task_statuses": TaskStatus.choices,
            "note_form": forms.NoteForm(auto_id="id_note_%s"),
            "link_form": forms.LinkReportForm(auto_id="id_link_%s"),
            "assign_form": forms.AssignForm(candidates=candidates, auto_id="id_assign_%s"),
            "member_form": forms.MemberAddForm(candidates=candidates, auto_id="id_member_%s"),
            "edit_form": forms.CaseEditForm(
                auto_id="id_edit_%s",
                initial={
                    "title": case.title,
                    "summary": case.summary,
                    "priority": case.priority,
                    "due_date": case.due_date,
                },
            ),
            "articles_form": forms.ArticlesForm(
                initial={"articles": case.legal_articles}, auto_id="id_articles_%s"
            ),
        },
    )


# --- actions on one case: each is (permission on the case, handler) ----------------------


def _act_move(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        services.case_move(
            case=case,
            status=CaseStatus(form.cleaned_data["status"]),
            reason=form.cleaned_data["reason"],
            actor=actor,
        )
    return form


def _act_assign(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.AssignForm(request.POST, candidates=selectors.case_candidates())
    if form.is_valid():
        services.case_assign(case=case, investigator=form.cleaned_data["investigator"], actor=actor)
    return form


def _act_member_add(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.MemberAddForm(request.POST, candidates=selectors.case_candidates())
    if form.is_valid():
        services.case_add_member(
            case=case,
            user=form.cleaned_data["user"],
            role=MemberRole(form.cleaned_data["role"]),
            actor=actor,
        )
    return form


def _act_member_remove(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.MemberAddForm(
        {"user": request.POST.get("user", ""), "role": MemberRole.INVESTIGATOR},
        candidates=selectors.case_member_users(case=case),
    )
    if form.is_valid():
        services.case_remove_member(case=case, user=form.cleaned_data["user"], actor=actor)
    return form


def _act_link(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.LinkReportForm(request.POST)
    if form.is_valid():
        found = selectors.linkable_reports(user=actor, references=[form.cleaned_data["reference"]])
        if not found:
            form.add_error("reference", _("No report with this reference is waiting for a case."))
        else:
            services.case_link_report(case=case, report=found[0], actor=actor)
    return form


def _act_unlink(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.UnlinkReportForm(request.POST)
    if form.is_valid():
        report = (
            reports_visible_to(user=actor)
            .filter(reference=form.cleaned_data["reference"], case_link__case=case)
            .first()
        )
        if report is None:
            raise Http404
        services.case_unlink_report(
            case=case, report=report, reason=form.cleaned_data["reason"], actor=actor
        )
    return form


def _act_campaign_link(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.CampaignLinkForm(request.POST)
    if form.is_valid():
        campaign = Campaign.objects.filter(pk=form.cleaned_data["campaign"]).first()
        if campaign is None:
            form.add_error("campaign", _("No campaign with this reference."))
        else:
            outcome = services.case_link_campaign(case=case, campaign=campaign, actor=actor)
            if outcome.reports_left_out:
                messages.warning(request, _campaign_left_out(outcome.reports_left_out))
    return form


def _campaign_left_out(count: int) -> str:
    return ngettext(
        "%(count)d report of the campaign was left out: it is in another case or not "
        "visible to you.",
        "%(count)d reports of the campaign were left out: they are in another case or not "
        "visible to you.",
        count,
    ) % {"count": count}


def _act_campaign_unlink(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.CampaignLinkForm(request.POST)
    if form.is_valid():
        link = case.campaign_links.filter(campaign_id=form.cleaned_data["campaign"]).first()
        if link is None:
            raise Http404
        services.case_unlink_campaign(case=case, campaign=link.campaign, actor=actor)
    return form


def _act_task_create(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.TaskForm(request.POST, members=selectors.case_member_users(case=case))
    if form.is_valid():
        services.task_create(
            case=case,
            title=form.cleaned_data["title"],
            assignee=form.cleaned_data["assignee"],
            due_date=form.cleaned_data["due_date"],
            actor=actor,
        )
    return form


def _act_task_update(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.TaskUpdateForm(request.POST)
    if form.is_valid():
        task = case.tasks.filter(pk=form.cleaned_data["task"]).first()
        if task is None:
            raise Http404
        services.task_update(task=task, status=TaskStatus(form.cleaned_data["status"]), actor=actor)
    return form


def _act_note(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        services.note_add(case=case, text=form.cleaned_data["text"], actor=actor)
    return form


def _act_edit(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.CaseEditForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.case_update(
            case=case,
            title=data["title"],
            summary=data["summary"],
            priority=CasePriority(data["priority"]),
            due_date=data["due_date"],
            actor=actor,
        )
    return form


def _act_articles(request: HttpRequest, case: Case, actor: User) -> Form:
    form = forms.ArticlesForm(request.POST)
    if form.is_valid():
        services.case_set_articles(case=case, articles=form.cleaned_data["articles"], actor=actor)
    return form


ACTIONS: dict[str, tuple[str, Callable[[HttpRequest, Case, User], Form]]] = {
    "move": (WORK_CASE, _act_move),
    "link": (WORK_CASE, _act_link),
    "unlink": (WORK_CASE, _act_unlink),
    "task": (WORK_CASE, _act_task_create),
    "task_update": (WORK_CASE, _act_task_update),
    "note": (WORK_CASE, _act_note),
    "assign": (MANAGE_CASE, _act_assign),
    "member_add": (MANAGE_CASE, _act_member_add),
    "member_remove": (MANAGE_CASE, _act_member_remove),
    "edit": (MANAGE_CASE, _act_edit),
    # Linking a campaign can bring in many reports at once: the supervisor's call.
    "campaign_link": (MANAGE_CASE, _act_campaign_link),
    "campaign_unlink": (MANAGE_CASE, _act_campaign_unlink),
    "articles": (MANAGE_CASE, _act_articles),
}


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One endpoint per action on a case; each action names the permission it needs."""
    actor = signed_in_user(request)
    case = selectors.case_get_for_user(user=actor, number=number)
    if action not in ACTIONS:
        raise Http404
    permission, handler = ACTIONS[action]
    if not actor.has_perm(permission, case):
        raise PermissionDenied
    try:
        form = handler(request, case, actor)
    except ValidationError as error:
        flash_errors(request, error.messages)
    else:
        flash_form_outcome(request, form)
    return redirect("cases:case_detail", number=case.number)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require_permission(user, Permission.CASES_DASHBOARD_VIEW)
    return render(request, "cases/dashboard.html", {"board": selectors.dashboard(user=user)})
