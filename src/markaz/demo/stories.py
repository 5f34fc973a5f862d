"""What victims write: story templates per crime category and language, from data/stories.json.

A story names its suspect's identifiers through placeholders (``{phone}``, ``{card}``,
``{tg}``, ... : :data:`~markaz.demo.identifiers.ROW_KIND`), the loss through
``{amount}``, and plain words through the others (``{when}``, ``{bank}``, ...: see
words.py). A report opens with one of the openings and closes with one of the closings;
a few end with a noise sentence naming a bank's ``{hotline}`` or site ``{banksite}``.
The file is read once, on first import, and checked: every weighted category has
stories in every language, and every placeholder is one the generator fills.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markaz.demo.datafile import DATA_DIR, DataFile
from markaz.demo.identifiers import ROW_KIND
from markaz.demo.proportions import CATEGORY_WEIGHTS
from markaz.demo.words import WORDS

STORIES_FILE = DATA_DIR / "stories.json"
STORY_PLACEHOLDERS = frozenset((*ROW_KIND, "amount", "when", "coin", *WORDS.fillers))
NOISE_PLACEHOLDERS = frozenset(("hotline", "banksite"))

# A story's text and its placeholders, each once, in order of first appearance.
Template = tuple[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Stories:
    templates: dict[str, dict[str, tuple[Template, ...]]]  # category -> language -> stories
    openings: dict[str, tuple[str, ...]]  # language -> texts
    closings: dict[str, tuple[str, ...]]
    noise: dict[str, tuple[str, ...]]


def stories_read(path: Path) -> Stories:
    """The stories in `path`, checked; a mistake raises DemoDataError naming file and key."""
    data = DataFile(path)
    keys = ("stories", "openings", "closings", "noise")
    root = data.mapping(data.content, "the file", keys, optional=("about",))
    return Stories(
        templates=_templates_read(data, root["stories"]),
        openings=data.texts_per_language(root["openings"], "openings"),
        closings=data.texts_per_language(root["closings"], "closings"),
        noise=data.texts_per_language(root["noise"], "noise", NOISE_PLACEHOLDERS),
    )


def _templates_read(data: DataFile, value: object) -> dict[str, dict[str, tuple[Template, ...]]]:
    templates: dict[str, dict[str, tuple[Template, ...]]] = {}
    for category, by_lang in data.mapping(value, "stories", CATEGORY_WEIGHTS).items():
        templates[category] = {}
        for lang, texts in data.per_language(by_lang, f"stories.{category}").items():
            where = f"stories.{category}.{lang}"
            # Placeholders as a tuple in order of appearance, not a set: set order changes
            # with PYTHONHASHSEED and the generator must draw its random numbers in the same
            # order in every process.
            templates[category][lang] = tuple(
                (text, tuple(dict.fromkeys(data.placeholders(text, where))))
                for text in data.texts(texts, where, STORY_PLACEHOLDERS)
            )
    return templates


STORIES = stories_read(STORIES_FILE)

# The identifier placeholders each category's stories use: what a campaign's kit holds.
CATEGORY_KEYS = {
    category: frozenset(
        key
        for templates in by_lang.values()
        for _text, names in templates
        for key in names
        if key in ROW_KIND
    )
    for category, by_lang in STORIES.templates.items()
}
