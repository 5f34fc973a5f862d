"""Crime categories shipped as data (`data/categories.json`), with help and advice texts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markaz.core.country import localised

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "categories.json"


@dataclass(frozen=True)
class Category:
    code: str
    group: str
    labels: dict[str, str]
    helps: dict[str, str]
    advices: dict[str, str]

    @property
    def label(self) -> str:
        return localised(self.labels)

    @property
    def help(self) -> str:
        return localised(self.helps)

    @property
    def advice(self) -> str:
        return localised(self.advices)


@cache
def categories() -> tuple[Category, ...]:
    data = json.loads(CATEGORIES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Category(
            code=c["code"],
            group=c["group"],
            labels=c["label"],
            helps=c["help"],
            advices=c["advice"],
        )
        for c in data["categories"]
    )


def category(code: str) -> Category | None:
    return next((c for c in categories() if c.code == code), None)


def category_label(code: str) -> str:
    found = category(code)
    return found.label if found else code
