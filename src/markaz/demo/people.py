"""Victims' and friends' names: Tajik names from ``data/people.json``, spelt three ways.

The file holds the Tajik spelling only; the Russian one drops the Tajik letters
(ҳ -> х, ӣ -> и, ...) and the English one is a plain transliteration, so a translator
adds a name once.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from markaz.demo.datafile import DATA_DIR, DataFile
from markaz.demo.proportions import LANGUAGES

PEOPLE_FILE = DATA_DIR / "people.json"

_TO_RU = str.maketrans({"ҳ": "х", "Ҳ": "Х", "ӣ": "и", "ӯ": "у", "Ӯ": "У", "қ": "к", "Қ": "К"})
_TO_RU.update(str.maketrans({"ғ": "г", "Ғ": "Г", "ҷ": "дж", "Ҷ": "Дж"}))
_TO_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
    "ж": "zh",
    "ё": "yo",
    "ю": "yu",
    "я": "ya",
    "ш": "sh",
    "ч": "ch",
    "х": "kh",
    "ц": "ts",
    "щ": "sh",
    "ъ": "",
    "ь": "",
    "ҳ": "h",
    "ӣ": "i",
    "ӯ": "u",
    "қ": "q",
    "ғ": "gh",
    "ҷ": "j",
}


class Names(NamedTuple):
    male_first: tuple[str, ...]
    female_first: tuple[str, ...]
    surnames: tuple[str, ...]


def names_read(path: Path) -> Names:
    """The first names and surnames in `path`, checked (see :class:`DataFile`)."""
    data = DataFile(path)
    keys = ("male_first_names", "female_first_names", "surnames")
    root = data.mapping(data.content, "the file", keys, optional=("about",))
    return Names(*(data.texts(root[key], key) for key in keys))


def latin(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rep = _TO_LATIN.get(low, ch)
        out.append(rep.capitalize() if ch != low else rep)
    return "".join(out)


def person(first: str, surname: str, female: bool) -> dict[str, str]:
    """A full name in each language of the demo."""
    if female and surname.endswith(("ов", "ев")):
        surname += "а"
    tg = f"{first} {surname}"
    return {"tg": tg, "ru": tg.translate(_TO_RU), "en": latin(tg)}


NAMES = names_read(PEOPLE_FILE)

# Every (first name, surname) in every language, computed once, with whether a woman's.
PEOPLE: tuple[tuple[dict[str, str], bool], ...] = tuple(
    (person(first, surname, female), female)
    for female, firsts in ((False, NAMES.male_first), (True, NAMES.female_first))
    for first in firsts
    for surname in NAMES.surnames
)

# The {friend} of a story: a first name, per language.
FRIENDS: dict[str, tuple[str, ...]] = {
    lang: tuple(dict.fromkeys(names[lang].partition(" ")[0] for names, _female in PEOPLE))
    for lang in LANGUAGES
}
