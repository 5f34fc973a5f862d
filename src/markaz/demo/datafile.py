"""Reading the demo's data files (``data/*.json``), checked so that a mistake names its place.

The files are for translators. A typo in one (a misspelt placeholder, a language left
out, a stray brace) must fail when the generator is first imported, with the file and
the key, not as a KeyError deep inside the millionth report.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from pathlib import Path
from string import Formatter
from typing import Any, NoReturn

from markaz.demo.proportions import LANGUAGES

DATA_DIR = Path(__file__).resolve().parent / "data"


class DemoDataError(ValueError):
    """A demo data file is not what the generator needs; the message names file and key."""


class DataFile:
    """One JSON data file, read whole, and the checks that say where a mistake is.

    `where` names a place in the file the way a translator finds it:
    ``stories.fraud_job.ru[2]`` is the third Russian story of the category ``fraud_job``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.content: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DemoDataError(f"{path}: {error}") from error

    def fail(self, where: str, problem: str) -> NoReturn:
        raise DemoDataError(f"{self.path}: {where}: {problem}")

    def mapping(
        self,
        value: Any,
        where: str,
        keys: Iterable[str] | None = None,
        optional: Collection[str] = (),
    ) -> dict[str, Any]:
        """`value` as an object; with `keys`, exactly those keys (and any of `optional`)."""
        if not isinstance(value, dict):
            self.fail(where, "expected an object ({...})")
        if keys is not None:
            expected = list(keys)
            missing = [key for key in expected if key not in value]
            if missing:
                self.fail(where, f"missing {', '.join(missing)}")
            unknown = [key for key in value if key not in expected and key not in optional]
            if unknown:
                self.fail(
                    where, f"unknown key {', '.join(unknown)} (expected {', '.join(expected)})"
                )
        return value

    def per_language(self, value: Any, where: str) -> dict[str, Any]:
        """An object with one entry per language of the demo (tg, ru, en), no other."""
        return self.mapping(value, where, LANGUAGES)

    def text(
        self, value: Any, where: str, allowed: Collection[str] = (), required: Iterable[str] = ()
    ) -> str:
        """A string whose placeholders are among `allowed` and include all of `required`."""
        if not isinstance(value, str):
            self.fail(where, "expected a string")
        names = self.placeholders(value, where)
        for name in names:
            if name not in allowed:
                known = ", ".join(sorted(allowed)) or "none here"
                self.fail(where, f"unknown placeholder {{{name}}} (known: {known})")
        for name in required:
            if name not in names:
                self.fail(where, f"needs the placeholder {{{name}}}")
        return value

    def texts(
        self, value: Any, where: str, allowed: Collection[str] = (), required: Iterable[str] = ()
    ) -> tuple[str, ...]:
        """A non-empty list of strings, each checked as :meth:`text` does."""
        if not isinstance(value, list) or not value:
            self.fail(where, "expected a non-empty list of strings")
        required = tuple(required)
        return tuple(
            self.text(item, f"{where}[{i}]", allowed, required) for i, item in enumerate(value)
        )

    def texts_per_language(
        self, value: Any, where: str, allowed: Collection[str] = ()
    ) -> dict[str, tuple[str, ...]]:
        """Per language, a non-empty list of strings with placeholders among `allowed`."""
        return {
            lang: self.texts(items, f"{where}.{lang}", allowed)
            for lang, items in self.per_language(value, where).items()
        }

    def placeholders(self, text: str, where: str) -> list[str]:
        """The names of `text`'s placeholders in order; plain names only, no format specs."""
        try:
            parsed = list(Formatter().parse(text))
        except ValueError as error:  # a lone brace: "Single '{' encountered in format string"
            self.fail(where, f"{error} in {text!r}")
        names: list[str] = []
        for _literal, name, spec, conversion in parsed:
            if name is None:
                continue
            if spec or conversion:
                self.fail(where, f"the placeholder {{{name}}} takes no format ({text!r})")
            names.append(name)
        return names
