"""The JSON API: one NinjaAPI, one router per app, OpenAPI at /api/docs and /api/openapi.json."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import HttpBearer, django_auth

from markaz.accounts.selectors import api_token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer mkz_...`: a partner's or staff script's API token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input the schema refuses gets the same shape as the form's refusals: messages per field."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # ("body", "payload", "suspect_identifiers", 0, "kind") -> "suspect_identifiers.0.kind"
        location = [str(part) for part in error.get("loc", ())]
        name = ".".join(location[2:] if location[:1] == ["body"] else location[1:]) or "__all__"
        fields.setdefault(name, []).append(str(error.get("msg", "")))
    return api.create_response(request, {"detail": fields}, status=422)


# Routers import `api`'s module-level names, so they come after it.
from markaz.web.cases.api import router as cases_router  # noqa: E402
from markaz.web.intake.api import router as intake_router  # noqa: E402
from markaz.web.intel.api import router as intel_router  # noqa: E402

api.add_router("/v1/reports", intake_router)
api.add_router("/v1/cases", cases_router)
api.add_router("/v1/intel", intel_router)
