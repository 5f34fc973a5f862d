"""Cases, tasks and notes through the API, under the same rules as the pages.

A case the caller may not see answers 404, exactly as a missing one; a case the caller
sees but may not change answers 403.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.cases import selectors, services
from markaz.cases.choices import CasePriority, CaseStatus, MemberRole, TaskStatus
from markaz.cases.models import Case, Note, Task
from markaz.cases.rules import MANAGE_CASE, WORK_CASE
from markaz.intel.models import Campaign
from markaz.web.auth import signed_in_user

router = Router(tags=["cases"])

API_PAGE_SIZE = 50


class ErrorOut(Schema):
    detail: str | dict[str, list[str]]


class MemberOut(Schema):
    username: str
    role: str


class CaseSummaryOut(Schema):
    number: str
    title: str
    status: str
    priority: str
    lead: str | None
    supervisor: str | None
    opened_at: datetime
    due_date: date | None


class CaseOut(CaseSummaryOut):
    summary: str
    referred_at: datetime | None
    closed_at: datetime | None
    legal_articles: list[str]
    members: list[MemberOut]
    reports: list[str] = Field(..., description="References; read each at /api/v1/reports/{ref}")
    campaigns: list[int] = Field(..., description="Ids; read each at /api/v1/intel/campaigns/{id}")


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[CaseSummaryOut]


class CaseFiltersIn(Schema):
    status: str = ""
    priority: str = ""
    lead: str = ""
    q: str = Field("", max_length=200)
    page: int = Field(1, ge=1, le=100_000)


class CaseOpenIn(Schema):
    reports: list[str] = Field(..., min_length=1, max_length=200)
    title: str = Field(..., max_length=200)
    summary: str = ""
    priority: CasePriority = CasePriority.NORMAL
    due_date: date | None = None
    legal_articles: list[str] = Field(default_factory=list, max_length=50)


class MoveIn(Schema):
    status: CaseStatus
    reason: str = Field(..., max_length=2000)


class CampaignLinkIn(Schema):
    campaign: int = Field(..., ge=1, description="Campaign id")


class CampaignLinkOut(Schema):
    case: CaseOut
    reports_linked: int
    reports_left_out: int = Field(
        ..., description="The campaign's reports in another case or not visible to you"
    )


class AssignIn(Schema):
    investigator: str = Field(..., max_length=150, description="Username")


class MemberIn(Schema):
    username: str = Field(..., max_length=150)
    role: MemberRole = MemberRole.INVESTIGATOR


class TaskIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = ""
    assignee: str | None = Field(None, max_length=150, description="Username of a member")
    due_date: date | None = None


class TaskPatchIn(Schema):
    status: TaskStatus | None = None
    due_date: date | None = None


class TaskOut(Schema):
    id: int
    title: str
    description: str
    assignee: str | None
    due_date: date | None
    status: str
    created_at: datetime


class NoteIn(Schema):
    text: str = Field(..., max_length=20_000)


class NoteOut(Schema):
    id: int
    author: str
    at: datetime
    text: str = Field(..., description="Markdown as written")
    html: str = Field(..., description="Rendered and sanitised")


class EventOut(Schema):
    at: datetime
    actor: str | None
    kind: str
    data: dict[str, object]


def _username(user: AbstractBaseUser | None) -> str | None:
    return user.get_username() if user is not None else None


def _summary(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(
        number=case.number,
        title=case.title,
        status=case.status,
        priority=case.priority,
        lead=_username(case.lead),
        supervisor=_username(case.supervisor),
        opened_at=case.opened_at,
        due_date=case.due_date,
    )


def _full(case: Case, request: HttpRequest) -> CaseOut:
    return CaseOut(
        **_summary(case).dict(),
        summary=case.summary,
        referred_at=case.referred_at,
        closed_at=case.closed_at,
        legal_articles=case.legal_articles,
        members=[
            MemberOut(username=m.user.get_username(), role=m.role)
            for m in selectors.case_members(case=case)
        ],
        reports=[
            r.reference for r in selectors.case_reports(case=case, user=signed_in_user(request))
        ],
        campaigns=[link.campaign_id for link in selectors.case_campaigns(case=case)],
    )


def _task(task: Task) -> TaskOut:
    return TaskOut(
        id=task.pk,
        title=task.title,
        description=task.description,
        assignee=_username(task.assignee),
        due_date=task.due_date,
        status=task.status,
        created_at=task.created_at,
    )


def _note(note: Note) -> NoteOut:
    return NoteOut(
        id=note.pk, author=note.author.get_username(), at=note.at, text=note.text, html=note.html
    )


def _case(request: HttpRequest, number: str, permission: str | None = None) -> Case:
    try:
        case = selectors.case_get_for_user(user=request.user, number=number)
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    if permission is not None and not request.user.has_perm(permission, case):
        raise HttpError(403, _("This account may not change this case."))
    return case


def _unprocessable(field: str, messages: list[str]) -> SchemaValidationError:
    """A 422 in the project's shape, {"detail": {field: [messages]}} (see markaz.web.api)."""
    return SchemaValidationError([{"loc": ("body", "payload", field), "msg": m} for m in messages])


def _refused(error: ValidationError) -> SchemaValidationError:
    return _unprocessable("__all__", error.messages)


def _staff(username: str, field: str) -> User:
    """The active account named ``username``, or a 422 on ``field``."""
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _unprocessable(field, [_("No such user.")])
    return user


@router.get("", response={200: CasePageOut, 403: ErrorOut}, summary="List the cases you may see")
def case_list(request: HttpRequest, filters: Query[CaseFiltersIn]) -> CasePageOut:
    if not user_has_permission(request.user, Permission.CASE_LIST):
        raise HttpError(403, _("This account may not read cases."))
    cases = selectors.case_list(
        user=request.user,
        filters=selectors.CaseFilters(
            status=filters.status, priority=filters.priority, lead=filters.lead, text=filters.q
        ),
    )
    count = cases.count()
    start = (filters.page - 1) * API_PAGE_SIZE
    items = [_summary(c) for c in cases[start : start + API_PAGE_SIZE]]
    return CasePageOut(
        count=count, page=filters.page, pages=max(1, -(-count // API_PAGE_SIZE)), items=items
    )


@router.post(
    "", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut}, summary="Open a case from reports"
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status[CaseOut]:
    user = signed_in_user(request)
    if not user_has_permission(user, Permission.CASE_OPEN):
        raise HttpError(403, _("This account may not open cases."))
    reports = selectors.linkable_reports(user=user, references=payload.reports)
    if len(reports) != len({r.strip().upper() for r in payload.reports}):
        raise _unprocessable("reports", [_("Some reports are unknown or already in a case.")])
    try:
        case = services.case_open(
            reports=reports,
            title=payload.title,
            summary=payload.summary,
            priority=payload.priority,
            due_date=payload.due_date,
            articles=payload.legal_articles,
            actor=user,
        )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, _full(case, request))


@router.get("/{number}", response={200: CaseOut, 404: ErrorOut}, summary="Read one case")
def case_read(request: HttpRequest, number: str) -> CaseOut:
    return _full(_case(request, number), request)


@router.get("/{number}/timeline", response={200: list[EventOut], 404: ErrorOut})
def case_timeline(request: HttpRequest, number: str) -> list[EventOut]:
    case = _case(request, number)
    return [
        EventOut(at=e.at, actor=_username(e.actor), kind=e.kind, data=e.data)
        for e in selectors.case_timeline(case=case)
    ]


@router.post(
    "/{number}/move",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Move the case to another status",
)
def case_move(request: HttpRequest, number: str, payload: MoveIn) -> CaseOut:
    user = signed_in_user(request)
    case = _case(request, number, WORK_CASE)
    try:
        case = services.case_move(
            case=case, status=payload.status, reason=payload.reason, actor=user
        )
    except ValidationError as error:
        raise _refused(error) from None
    return _full(case, request)


@router.post(
    "/{number}/assign",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Assign the lead investigator",
)
def case_assign(request: HttpRequest, number: str, payload: AssignIn) -> CaseOut:
    user = signed_in_user(request)
    case = _case(request, number, MANAGE_CASE)
    try:
        case = services.case_assign(
            case=case, investigator=_staff(payload.investigator, "investigator"), actor=user
        )
    except ValidationError as error:
        raise _refused(error) from None
    return _full(case, request)


@router.post(
    "/{number}/members",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Add a member",
)
def case_member_add(request: HttpRequest, number: str, payload: MemberIn) -> CaseOut:
    user = signed_in_user(request)
    case = _case(request, number, MANAGE_CASE)
    try:
        services.case_add_member(
            case=case,
            user=_staff(payload.username, "username"),
            role=payload.role,
            actor=user,
        )
    except ValidationError as error:
        raise _refused(error) from None
    return _full(case, request)


@router.post(
    "/{number}/campaigns",
    response={200: CampaignLinkOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Link a campaign, and its reports that are in no case yet",
)
def case_campaign_link(
    request: HttpRequest, number: str, payload: CampaignLinkIn
) -> CampaignLinkOut:
    user = signed_in_user(request)
    case = _case(request, number, MANAGE_CASE)
    campaign = Campaign.objects.filter(pk=payload.campaign).first()
    if campaign is None:
        raise _unprocessable("campaign", [_("No campaign with this reference.")])
    try:
        outcome = services.case_link_campaign(case=case, campaign=campaign, actor=user)
    except ValidationError as error:
        raise _refused(error) from None
    return CampaignLinkOut(
        case=_full(case, request),
        reports_linked=outcome.reports_linked,
        reports_left_out=outcome.reports_left_out,
    )


@router.get("/{number}/tasks", response={200: list[TaskOut], 404: ErrorOut})
def task_list(request: HttpRequest, number: str) -> list[TaskOut]:
    return [_task(t) for t in selectors.case_tasks(case=_case(request, number))]


@router.post(
    "/{number}/tasks", response={201: TaskOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def task_create(request: HttpRequest, number: str, payload: TaskIn) -> Status[TaskOut]:
    user = signed_in_user(request)
    case = _case(request, number, WORK_CASE)
    try:
        task = services.task_create(
            case=case,
            title=payload.title,
            description=payload.description,
            assignee=None if payload.assignee is None else _staff(payload.assignee, "assignee"),
            due_date=payload.due_date,
            actor=user,
        )
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, _task(task))


@router.patch(
    "/{number}/tasks/{task_id}",
    response={200: TaskOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def task_update(request: HttpRequest, number: str, task_id: int, payload: TaskPatchIn) -> TaskOut:
    user = signed_in_user(request)
    case = _case(request, number, WORK_CASE)
    task = case.tasks.filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, _("Not found."))
    changes = payload.dict(exclude_unset=True)
    try:
        task = services.task_update(task=task, actor=user, **changes)
    except ValidationError as error:
        raise _refused(error) from None
    return _task(task)


@router.get("/{number}/notes", response={200: list[NoteOut], 404: ErrorOut})
def note_list(request: HttpRequest, number: str) -> list[NoteOut]:
    return [_note(n) for n in selectors.case_notes(case=_case(request, number))]


@router.post(
    "/{number}/notes", response={201: NoteOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
)
def note_add(request: HttpRequest, number: str, payload: NoteIn) -> Status[NoteOut]:
    user = signed_in_user(request)
    case = _case(request, number, WORK_CASE)
    try:
        note = services.note_add(case=case, text=payload.text, actor=user)
    except ValidationError as error:
        raise _refused(error) from None
    return Status(201, _note(note))
