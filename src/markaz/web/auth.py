"""Who is acting: the signed-in user of a page or an API call, as the services take them."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request that ``@login_required`` or the API's authentication let in.

    Those let no anonymous visitor through, so this only narrows ``request.user`` for the
    services, which take a real account as their actor. Should an anonymous request reach
    it all the same, the answer is the one for anything not to be seen: 404.
    """
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user
