"""Articles of the criminal code that a case is qualified under, read from the country's data.

`countries/<MARKAZ_COUNTRY>/articles.json`: the centre's lawyers edit it; another country
ships its own. Cases store article codes; names come from the file in the reader's language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from markaz.core.country import COUNTRIES_DIR, localised


@dataclass(frozen=True)
class Article:
    code: str
    group: str
    names: dict[str, str]

    @property
    def name(self) -> str:
        return localised(self.names)

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


@cache
def load_articles(country: str) -> tuple[Article, ...]:
    path = COUNTRIES_DIR / country / "articles.json"
    if not path.exists():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Article(code=a["code"], group=a.get("group", ""), names=a["name"]) for a in data["articles"]
    )


def articles() -> tuple[Article, ...]:
    return load_articles(settings.MARKAZ_COUNTRY)


def article(code: str) -> Article | None:
    return next((a for a in articles() if a.code == code), None)
