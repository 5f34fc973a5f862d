from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from markaz.accounts.roles import Role
from markaz.web.auth import signed_in_user


def test_signed_in_user_is_the_request_user(make_user):
    request = RequestFactory().get("/")
    request.user = make_user(Role.INVESTIGATOR)
    assert signed_in_user(request) is request.user


def test_anonymous_request_answers_not_found():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(Http404):
        signed_in_user(request)
