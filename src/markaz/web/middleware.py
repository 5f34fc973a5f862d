"""Request-wide concerns that are not business logic: language and the request's source."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from markaz.audit.context import request_source


class DefaultLanguageMiddleware:
    """Use the visitor's chosen language (cookie), else the instance default (Tajik).

    Django's LocaleMiddleware would fall back to the browser's Accept-Language, which
    would show most visitors English; the centre wants its own default first, with the
    switcher on every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RequestSourceMiddleware:
    """Remember where the request came from, so audit events can record it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_source(ip=client_ip(request)):
            return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind a proxy, set MARKAZ_TRUSTED_PROXY_HEADER to read it."""
    header: str = getattr(settings, "MARKAZ_TRUSTED_PROXY_HEADER", "")
    if header:
        forwarded: str = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    address: str = request.META.get("REMOTE_ADDR", "")
    return address or "unknown"
