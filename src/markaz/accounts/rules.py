"""Predicates for `rules`: a user holds a permission when one of their roles grants it;
`require_permission`, the one refusal of pages, API calls and selectors."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from markaz.accounts.roles import ROLE_PERMISSIONS, STAFF_ROLES, Permission, Role


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_markaz_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        user._markaz_roles = cached  # type: ignore[union-attr]
    return cached


def user_has_permission(user: AbstractBaseUser | AnonymousUser, permission: Permission) -> bool:
    return any(permission in ROLE_PERMISSIONS[role] for role in user_roles(user))


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def _role_predicate(permission: Permission) -> rules.Predicate:
    @rules.predicate(name=f"has:{permission.value}")
    def holds(user: AbstractBaseUser | AnonymousUser) -> bool:
        return user_has_permission(user, permission)

    return holds


for _permission in Permission:
    rules.add_perm(_permission.value, _role_predicate(_permission))


def require_permission(user: AbstractBaseUser | AnonymousUser, permission: Permission) -> None:
    """Refuse with a 404 unless ``user`` holds ``permission``.

    The same answer as for "there is nothing here", so a page or an object's existence
    tells nothing to someone who may not see it.
    """
    if not user_has_permission(user, permission):
        raise Http404
