"""markaz.core.collector: bulk work runs with the collector relaxed, and only while it runs."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref

import pytest

from markaz.core.collector import BULK_YOUNG_THRESHOLD, collection_relaxed


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture
def nothing_frozen():
    """A process that froze nothing before (the suite may have loaded the WSGI module,
    which freezes its start-up): as it was again afterwards."""
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    yield
    if frozen:
        gc.freeze()


def test_relaxed_within_and_as_before_after_even_on_error(nothing_frozen):
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert frozen == 0
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


def test_a_freeze_made_before_stays_after_bulk_work(nothing_frozen):
    """A web process sets its start-up aside; bulk work inside it must not undo that."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    with collection_relaxed():
        pass
    assert gc.get_freeze_count() >= frozen > 0
    gc.unfreeze()


def test_the_web_process_sets_its_start_up_aside():
    """Loading the WSGI application ends with Django and the apps frozen: full
    collections during requests no longer walk them."""
    code = (
        "import gc; assert gc.get_freeze_count() == 0; import markaz.wsgi; "
        "print(gc.get_freeze_count())"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "markaz.settings"}
    done = subprocess.run(  # noqa: S603 - this interpreter, our own module
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert int(done.stdout.strip()) > 50_000  # Django and the apps: some 10^5 objects
