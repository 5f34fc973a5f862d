"""The demo's data files: a translator's mistake fails on reading, naming the file and key."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from markaz.demo import generator
from markaz.demo.datafile import DATA_DIR, DemoDataError
from markaz.demo.management.commands.demo import triage_texts_read
from markaz.demo.people import names_read
from markaz.demo.stories import STORY_PLACEHOLDERS, stories_read
from markaz.demo.words import words_read

READERS: dict[str, Callable[[Path], object]] = {
    "stories.json": stories_read,
    "words.json": words_read,
    "people.json": names_read,
    "triage.json": triage_texts_read,
}


def _set(path: str, value: Any) -> Callable[[Any], None]:
    """A change to the file's content at `path` ("stories.phishing.en.0"): set it."""

    def change(content: Any) -> None:
        *parents, last = path.split(".")
        for key in parents:
            content = content[int(key)] if isinstance(content, list) else content[key]
        content[int(last) if isinstance(content, list) else last] = value

    return change


def _delete(path: str) -> Callable[[Any], None]:
    def change(content: Any) -> None:
        *parents, last = path.split(".")
        for key in parents:
            content = content[key]
        del content[last]

    return change


def _copy_changed(tmp_path: Path, name: str, change: Callable[[Any], None]) -> Path:
    content = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    change(content)
    path = tmp_path / name
    path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(READERS))
def test_the_shipped_files_read_cleanly(name):
    assert READERS[name](DATA_DIR / name)


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (
            "stories.json",
            _set("stories.fraud_loan.ru.1", "Позвонил по номеру {phnoe}, перевёл {amount}."),
            "stories.fraud_loan.ru[1]: unknown placeholder {phnoe}",
        ),
        (
            "stories.json",
            _set("stories.phishing.tg.0", "Паём аз {phone: омад"),
            "stories.phishing.tg[0]: ",
        ),
        (
            "stories.json",
            _set("stories.ddos.en.0", "{email} demands {amount:>10}."),
            "stories.ddos.en[0]: the placeholder {amount} takes no format",
        ),
        ("stories.json", _delete("stories.phishing.en"), "stories.phishing: missing en"),
        ("stories.json", _set("stories.ddos.en", []), "stories.ddos.en: expected a non-empty"),
        (
            "stories.json",
            _set("stories.fraud_lottery", {"tg": ["x"], "ru": ["x"], "en": ["x"]}),
            "stories: unknown key fraud_lottery",
        ),
        ("stories.json", _delete("stories.ddos"), "stories: missing ddos"),
        (
            "stories.json",
            _set("noise.ru.0", " Позвонил на горячую линию {hotlien}."),
            "noise.ru[0]: unknown placeholder {hotlien}",
        ),
        (
            "stories.json",
            _set("openings.en.2", "Hello {name}. "),
            "openings.en[2]: unknown placeholder {name} (known: none here)",
        ),
        ("words.json", _set("money.ru.USD.1", "$"), "money.ru.USD[1]: needs the placeholder {n}"),
        (
            "words.json",
            _set("when.tg.on_date", "Санаи {data}"),
            "when.tg.on_date: unknown placeholder {data}",
        ),
        ("words.json", _delete("money.en.RUB"), "money.en: missing RUB"),
        ("words.json", _set("banks.ru", "Алиф"), "banks.ru: expected a non-empty list"),
        ("words.json", _delete("coins.btc"), "coins: missing btc"),
        ("people.json", _set("surnames", {}), "surnames: expected a non-empty list"),
        ("triage.json", _delete("needs_information.tg"), "needs_information: missing tg"),
        ("triage.json", _set("notes.0", 3), "notes[0]: expected a string"),
    ],
)
def test_a_mistake_names_the_file_and_the_key(tmp_path, name, change, message):
    path = _copy_changed(tmp_path, name, change)
    with pytest.raises(DemoDataError, match=re.escape(f"{path}: {message}")):
        READERS[name](path)


def test_a_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "words.json"
    path.write_text('{"banks": {"tg": ["Алиф",]}}', encoding="utf-8")
    with pytest.raises(DemoDataError, match=re.escape(f"{path}: ")):
        words_read(path)


def test_every_placeholder_a_story_may_name_is_filled(tmp_path, monkeypatch):
    """What the check lets a translator write, the generator fills: no KeyError, no brace."""
    every = " ".join(f"{{{name}}}" for name in sorted(STORY_PLACEHOLDERS))

    def every_story_names_everything(content: Any) -> None:
        for by_lang in content["stories"].values():
            for lang in by_lang:
                by_lang[lang] = [f"{every}."]

    path = _copy_changed(tmp_path, "stories.json", every_story_names_everything)
    monkeypatch.setattr(generator, "STORIES", stories_read(path))
    reports = list(generator.generate_reports(400, seed=3, until=datetime(2026, 3, 1, tzinfo=UTC)))
    assert all("{" not in r.narrative and "}" not in r.narrative for r in reports)
    assert all(r.loss_amount is not None for r in reports)
    assert any(r.duplicate_of is not None for r in reports)
