"""markaz.collector: bulk work runs with the collector relaxed, and only while it runs."""

from __future__ import annotations

import gc
import weakref

import pytest

from markaz.collector import BULK_YOUNG_THRESHOLD, collection_relaxed


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_relaxed_within_and_as_before_after_even_on_error():
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pytest.raises(RuntimeError), collection_relaxed():
        assert gc.get_threshold()[0] == BULK_YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == threshold[1:]
        assert gc.get_freeze_count() > frozen  # what existed is set aside
        raise RuntimeError
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == frozen


def test_cycles_made_within_are_still_collected_by_themselves():
    with collection_relaxed(young=1_000):
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # a cycle: reference counting alone cannot free it
        keep = [[] for _ in range(5_000)]  # tracked allocations past the threshold
        assert gone() is None
        del keep
