"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/docs and /api/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from markaz.accounts.selectors import api_token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer mkz_...`: a partner's or staff script's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = api_token_user(token=token)
        if user is None:
            return None
        request.user = user
        return user


api = NinjaAPI(
    title="Markaz API",
    version="1",
    description=(
        "Partner systems (banks, telecoms, CERTs) submit reports; staff read them with the "
        "same permissions as in the pages. Authenticate with `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[TokenAuth(), django_auth],
)

from markaz.intake.api import router as intake_router  # noqa: E402  (routers need `api` first)

api.add_router("/v1/reports", intake_router)
