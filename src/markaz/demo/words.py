"""The words that fill a story (banks, markets, items, ...), money and days, per language.

Read from ``data/words.json`` once, on first import, and checked (see :class:`DataFile`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markaz.demo.datafile import DATA_DIR, DataFile
from markaz.demo.people import FRIENDS
from markaz.demo.proportions import LANGUAGES, TJS_PER, pick

WORDS_FILE = DATA_DIR / "words.json"
COINS_KEYS = ("trx", "btc")
# The day of the incident in words: 0, 1, 2 days ago; 3-6 days ago ({n}); a date ({date}).
WHEN_KEYS = ("today", "yesterday", "two_days_ago", "days_ago", "on_date")
_WHEN_PLACEHOLDER = {"days_ago": ("n",), "on_date": ("date",)}


@dataclass(frozen=True, slots=True)
class Words:
    # placeholder -> language -> the words it is filled with (only "friend" is not from
    # the file: the first names of people.json)
    fillers: dict[str, dict[str, tuple[str, ...]]]
    coins: dict[str, str]  # "trx" or "btc" -> how stories name the coin
    money: dict[str, dict[str, tuple[str, ...]]]  # language -> currency -> "{n} ..." forms
    when: dict[str, tuple[str, ...]]  # language -> the texts of WHEN_KEYS, in that order


def words_read(path: Path) -> Words:
    """The words in `path`, checked; a mistake raises DemoDataError naming file and key."""
    data = DataFile(path)
    lists = ("banks", "markets", "items", "cities")
    keys = (*lists, "ewallets", "coins", "money", "when")
    root = data.mapping(data.content, "the file", keys, optional=("about",))
    by_language = {key: data.texts_per_language(root[key], key) for key in lists}
    ewallets = data.texts(root["ewallets"], "ewallets")
    coins = data.mapping(root["coins"], "coins", COINS_KEYS)
    return Words(
        fillers={
            "bank": by_language["banks"],
            "ewallet": {lang: ewallets for lang in LANGUAGES},
            "market": by_language["markets"],
            "item": by_language["items"],
            "city": by_language["cities"],
            "friend": FRIENDS,
        },
        coins={coin: data.text(coins[coin], f"coins.{coin}") for coin in COINS_KEYS},
        money=_money_read(data, root["money"]),
        when=_when_read(data, root["when"]),
    )


def _money_read(data: DataFile, value: object) -> dict[str, dict[str, tuple[str, ...]]]:
    money: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang, by_currency in data.per_language(value, "money").items():
        where = f"money.{lang}"
        money[lang] = {
            currency: data.texts(forms, f"{where}.{currency}", allowed=("n",), required=("n",))
            for currency, forms in data.mapping(by_currency, where, TJS_PER).items()
        }
    return money


def _when_read(data: DataFile, value: object) -> dict[str, tuple[str, ...]]:
    when: dict[str, tuple[str, ...]] = {}
    for lang, by_key in data.per_language(value, "when").items():
        texts = data.mapping(by_key, f"when.{lang}", WHEN_KEYS)
        checked = []
        for key in WHEN_KEYS:
            placeholder = _WHEN_PLACEHOLDER.get(key, ())
            where = f"when.{lang}.{key}"
            checked.append(data.text(texts[key], where, allowed=placeholder, required=placeholder))
        when[lang] = tuple(checked)
    return when


WORDS = words_read(WORDS_FILE)


def amount_text(r: Callable[[], float], lang: str, amount: int, currency: str) -> str:
    """A loss as a victim writes it: "1 500 сомонӣ", "$300", "TJS 2,000"."""
    if amount < 1000 or r() < 0.5:
        number = str(amount)
    elif lang == "en":
        number = f"{amount:,}"
    else:
        number = f"{amount:,}".replace(",", " ")
    return pick(WORDS.money[lang][currency], r()).format(n=number)


def when_text(lang: str, days: int, incident: datetime) -> str:
    """When it happened, as a victim says it: "Yesterday", "4 days ago", "On 03.02.2026"."""
    words = WORDS.when[lang]
    if days < 3:
        return words[days]
    if days < 7:
        return words[3].format(n=days)
    return words[4].format(date=incident.strftime("%d.%m.%Y"))
