"""The instance's country data (regions, districts, currencies, phone region), as data.

Read from `countries/<MARKAZ_COUNTRY>/country.json`; another country adds its folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

COUNTRIES_DIR = Path(__file__).resolve().parent.parent / "countries"


def localised(names: dict[str, str], language: str | None = None) -> str:
    """Pick the active language's text from a {"en": ..., "ru": ..., "tg": ...} mapping."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return names.get(language) or names.get(settings.LANGUAGE_CODE) or next(iter(names.values()))


@dataclass(frozen=True)
class Place:
    code: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return localised(self.names)


@dataclass(frozen=True)
class Region(Place):
    districts: tuple[Place, ...]


@dataclass(frozen=True)
class Country:
    code: str
    names: dict[str, str]
    phone_region: str
    currencies: tuple[str, ...]
    default_currency: str
    reference_prefix: str
    regions: tuple[Region, ...]

    def region(self, code: str) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def district(self, code: str) -> tuple[Region, Place] | None:
        for region in self.regions:
            for district in region.districts:
                if district.code == code:
                    return region, district
        return None


@cache
def load_country(code: str) -> Country:
    data = json.loads((COUNTRIES_DIR / code / "country.json").read_text(encoding="utf-8"))
    return Country(
        code=data["code"],
        names=data["name"],
        phone_region=data["phone_region"],
        currencies=tuple(data["currencies"]),
        default_currency=data["default_currency"],
        reference_prefix=data.get("reference_prefix", "MKZ"),
        regions=tuple(
            Region(
                code=r["code"],
                names=r["name"],
                districts=tuple(Place(code=d["code"], names=d["name"]) for d in r["districts"]),
            )
            for r in data["regions"]
        ),
    )


def current_country() -> Country:
    return load_country(settings.MARKAZ_COUNTRY)
