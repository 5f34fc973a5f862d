"""The labelled corpus: per-kind precision and recall, and the corpus itself."""

from __future__ import annotations

from markaz.extract import KINDS, extract


def _run(labelled):
    reports = labelled.load_corpus()
    result = labelled.score(
        reports,
        lambda text: [
            (f.kind, f.value, f.start, f.end) for f in extract(text, card_key=labelled.CARD_KEY)
        ],
    )
    return reports, result


def test_corpus_has_at_least_400_labels_in_three_languages(labelled):
    reports = labelled.load_corpus()
    assert sum(len(r.labels) for r in reports) >= 400
    sources = {r.source.split("#")[0] for r in reports}
    assert {"reports_ru.txt", "reports_tg.txt", "reports_en.txt"} <= sources


def test_every_label_names_a_known_kind(labelled):
    for report in labelled.load_corpus():
        for label in report.labels:
            assert label.kind in KINDS, (report.source, label)


def test_every_kind_except_none_is_labelled(labelled):
    reports = labelled.load_corpus()
    labelled_kinds = {label.kind for r in reports for label in r.labels}
    assert labelled_kinds == set(KINDS)


def test_precision_and_recall_per_kind_meet_the_targets(labelled):
    _, result = _run(labelled)
    report = "\n".join(result.errors)
    for kind in KINDS:
        assert result.precision(kind) >= 0.97, f"{kind} precision\n{report}"
        assert result.recall(kind) >= 0.95, f"{kind} recall\n{report}"


def test_scoring_counts_a_missed_label_and_a_wrong_find(labelled):
    report = labelled.parse_report("x", "call [[phone|93 555 12 34|+992935551234]] now")
    result = labelled.score([report], lambda text: [("phone", "+992935551235", 5, 17)])
    assert result.fp["phone"] == 1
    assert result.fn["phone"] == 1
    assert result.precision("phone") == 0.0
