from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def markaz(request: HttpRequest) -> dict[str, object]:
    return {"MARKAZ_COUNTRY": settings.MARKAZ_COUNTRY}
