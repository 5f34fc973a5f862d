"""Need-to-know on cases: the one definition of who sees and who may act on a case.

A case, and the victim details of its reports, are seen by its members, its supervisor
and holders of CASE_VIEW_ALL (administrators) only. `case_visibility` is the queryset
form (for lists, search, and `reports_visible_to` (markaz.cases.report_access)); the predicates below are
the same rule on one object. This module imports no other app, so intake may use it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from rules.permissions import add_perm as _add_perm
from rules.predicates import Predicate
from rules.predicates import predicate as _predicate

from markaz.accounts.roles import Permission
from markaz.accounts.rules import user_has_permission
from markaz.cases.models import Case, CaseMember

# Whoever a page is shown to: a member of staff, or nobody signed in.
Viewer = User | AnonymousUser

# django-rules ships py.typed without annotations: its decorator and registry, typed once
# here as they behave, so the predicates below keep their own signatures.
predicate: Callable[[Callable[..., bool]], Predicate] = _predicate
add_perm: Callable[[str, Predicate], None] = _add_perm


def case_visibility(user: Viewer) -> Q | None:
    """A filter over Case for the cases `user` may see; None means all of them."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user_has_permission(user, Permission.CASE_VIEW_ALL):
        return None
    member_of = CaseMember.objects.filter(user=user).values("case_id")
    return Q(pk__in=member_of) | Q(supervisor=user)


def cases_visible_to(*, user: Viewer) -> QuerySet[Case]:
    visibility = case_visibility(user)
    return Case.objects.all() if visibility is None else Case.objects.filter(visibility)


def _member_ids(case: Case) -> set[int]:
    cached = getattr(case, "_member_ids", None)
    if cached is None:
        cached = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
        case._member_ids = cached  # type: ignore[attr-defined]
    return cached


@predicate
def is_case_member(user: Viewer, case: Case | None) -> bool:
    return case is not None and user.is_authenticated and user.pk in _member_ids(case)


@predicate
def is_case_supervisor(user: Viewer, case: Case | None) -> bool:
    return case is not None and user.is_authenticated and case.supervisor_id == user.pk


@predicate
def sees_all_cases(user: Viewer) -> bool:
    return user_has_permission(user, Permission.CASE_VIEW_ALL)


@predicate
def does_case_work(user: Viewer) -> bool:
    return user_has_permission(user, Permission.CASE_WORK)


@predicate
def assigns_cases(user: Viewer) -> bool:
    return user_has_permission(user, Permission.CASE_ASSIGN)


can_view_case = sees_all_cases | is_case_supervisor | is_case_member
# Members who do case work (investigators; analysts read only), the supervisor, administrators.
can_work_case = does_case_work & can_view_case
# Assigning, membership and legal qualification: the case's supervisor or an administrator.
can_manage_case = assigns_cases & (is_case_supervisor | sees_all_cases)

# Object permissions, for `user.has_perm("cases.view_case", case)` and `{% has_perm %}`.
VIEW_CASE = "cases.view_case"
WORK_CASE = "cases.work_case"
MANAGE_CASE = "cases.manage_case"
add_perm(VIEW_CASE, can_view_case)
add_perm(WORK_CASE, can_work_case)
add_perm(MANAGE_CASE, can_manage_case)
