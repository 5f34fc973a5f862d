from __future__ import annotations

import secrets

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from markaz.accounts.models import ApiToken
from markaz.accounts.roles import Role
from markaz.accounts.rules import ROLES_CACHE
from markaz.audit.choices import AuditAction
from markaz.audit.services import audit_record


@transaction.atomic(durable=True)
def user_create(
    *,
    username: str,
    password: str | None,
    roles: list[Role],
    actor: User | None,
    email: str = "",
    full_name: str = "",
) -> User:
    """Create a staff or partner account holding `roles`."""
    first, _, last = full_name.partition(" ")
    user = User.objects.create_user(
        username=username, password=password, email=email, first_name=first, last_name=last
    )
    user.is_staff = bool(set(roles) & {Role.ADMINISTRATOR})
    user.save(update_fields=["is_staff"])
    audit_record(actor=actor, action=AuditAction.USER_CREATED, target=user)
    for role in roles:
        user_grant_role(user=user, role=role, actor=actor)
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: Role, actor: User | None) -> None:
    group, _ = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)
    if hasattr(user, ROLES_CACHE):
        delattr(user, ROLES_CACHE)
    audit_record(
        actor=actor, action=AuditAction.ROLE_GRANTED, target=user, extra={"role": role.value}
    )


@transaction.atomic(durable=True)
def api_token_create(*, user: User, name: str, actor: User | None) -> str:
    """Create a token for `user` and return it; it is shown once and never stored."""
    token = "mkz_" + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(token),
        prefix=token[:8],
        created_at=timezone.now(),
    )
    audit_record(actor=actor, action=AuditAction.API_TOKEN_CREATED, target=record)
    return token
