"""The labelled corpus: parsing its markup and scoring an extractor against it.

Loaded by path (``load_module``) from the tests' conftest and from ``bench/extract.py``,
so that it works whatever pytest's import mode and without a package.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS_DIR = Path(__file__).parent / "corpus"
CARD_KEY = b"markaz-test-card-key"
SEPARATOR = re.compile(r"^=====\s*$", re.MULTILINE)
MARK = re.compile(r"\[\[([a-z0-9]+)\|((?:[^|\]]|\](?!\]))+)(?:\|((?:[^|\]]|\](?!\]))+))?\]\]")


@dataclass(frozen=True)
class Label:
    kind: str
    value: str
    start: int
    end: int


@dataclass
class Report:
    source: str
    text: str
    labels: list[Label] = field(default_factory=list)


def card_hmac(digits: str, key: bytes = CARD_KEY) -> str:
    return hmac.new(key, digits.encode("ascii"), hashlib.sha256).hexdigest()


def parse_report(source: str, marked: str) -> Report:
    """Strip the markup from one report, keeping where each label was."""
    out: list[str] = []
    labels: list[Label] = []
    pos = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[pos : match.start()]
        out.append(before)
        length += len(before)
        kind, raw, value = match.group(1), match.group(2), match.group(3)
        value = raw if value is None else value
        if kind == "card":
            value = card_hmac(value)
        out.append(raw)
        labels.append(Label(kind, value, length, length + len(raw)))
        length += len(raw)
        pos = match.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError(f"{source}: unbalanced markup in {text[:80]!r}")
    return Report(source, text, labels)


def load_corpus(directory: Path = CORPUS_DIR) -> list[Report]:
    reports = []
    for path in sorted(directory.glob("*.txt")):
        body = "\n".join(
            line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")
        )
        for i, chunk in enumerate(SEPARATOR.split(body)):
            if chunk.strip():
                reports.append(parse_report(f"{path.name}#{i + 1}", chunk.strip()))
    return reports


@dataclass
class Score:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def kinds(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def precision(self, kind: str) -> float:
        found = self.tp[kind] + self.fp[kind]
        return self.tp[kind] / found if found else 1.0

    def recall(self, kind: str) -> float:
        wanted = self.tp[kind] + self.fn[kind]
        return self.tp[kind] / wanted if wanted else 1.0

    def f1(self, kind: str) -> float:
        p, r = self.precision(kind), self.recall(kind)
        return 2 * p * r / (p + r) if p + r else 0.0


Extracted = Iterable[tuple[str, str, int, int]]


def score(reports: list[Report], run: Callable[[str], Extracted]) -> Score:
    """Match finds to labels by kind, value and overlapping span."""
    result = Score()
    for report in reports:
        open_labels = list(report.labels)
        for kind, value, start, end in run(report.text):
            hit = next(
                (
                    label
                    for label in open_labels
                    if label.kind == kind
                    and label.value == value
                    and label.start < end
                    and start < label.end
                ),
                None,
            )
            if hit is None:
                result.fp[kind] += 1
                result.errors.append(
                    f"FP {report.source} {kind} {value!r} raw={report.text[start:end]!r}"
                )
            else:
                open_labels.remove(hit)
                result.tp[kind] += 1
        for label in open_labels:
            result.fn[label.kind] += 1
            result.errors.append(
                f"FN {report.source} {label.kind} {label.value!r} "
                f"raw={report.text[label.start : label.end]!r}"
            )
    return result
