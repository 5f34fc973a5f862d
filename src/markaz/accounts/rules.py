"""Predicates for `rules`: a user holds a permission when one of their roles grants it;
`require_permission`, the one refusal of pages, API calls and selectors."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, PermissionsMixin
from django.http import Http404
from rules.permissions import add_perm
from rules.predicates import Predicate

from markaz.accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Permission, Role

# A user object's roles, read once: a request's user lives one request, and granting a
# role (accounts.services) drops them.
ROLES_CACHE = "_markaz_roles"


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not isinstance(user, PermissionsMixin):  # roles are groups: no groups, no roles
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, ROLES_CACHE, None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        setattr(user, ROLES_CACHE, cached)
    return cached


def user_has_permission(user: AbstractBaseUser | AnonymousUser, permission: Permission) -> bool:
    return any(permission in ROLE_PERMISSIONS[role] for role in user_roles(user))


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def _role_predicate(permission: Permission) -> Predicate:
    def holds(user: AbstractBaseUser | AnonymousUser) -> bool:
        return user_has_permission(user, permission)

    return Predicate(holds, name=f"has:{permission.value}")


for _permission in Permission:
    # rules 3.5 ships py.typed but leaves add_perm unannotated. unused-ignore: the call is
    # an error only where untyped calls are, which the strict override sets (see pyproject).
    add_perm(_permission.value, _role_predicate(_permission))  # type: ignore[no-untyped-call, unused-ignore]


def require_permission(user: AbstractBaseUser | AnonymousUser, permission: Permission) -> None:
    """Refuse with a 404 unless ``user`` holds ``permission``.

    The same answer as for "there is nothing here", so a page or an object's existence
    tells nothing to someone who may not see it.
    """
    if not user_has_permission(user, permission):
        raise Http404
