"""The collector runs less often during a layout, and its setting comes back afterwards, whatever happens."""

from __future__ import annotations

import gc
import threading

import pytest

from app.adapters.gc_tuning import LAYOUT_THRESHOLDS, fewer_collections


def test_thresholds_are_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == LAYOUT_THRESHOLDS
    assert gc.get_threshold() == before


def test_a_failing_layout_still_restores_the_setting():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("layout failed")
    assert gc.get_threshold() == before


def test_overlapping_renders_restore_the_setting_only_when_the_last_one_ends():
    before = gc.get_threshold()
    first_in, release = threading.Event(), threading.Event()
    seen: list[tuple[int, int, int]] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(10)
    with fewer_collections():
        seen.append(gc.get_threshold())
    seen.append(gc.get_threshold())  # the first render is still running
    release.set()
    thread.join(10)
    assert seen == [LAYOUT_THRESHOLDS, LAYOUT_THRESHOLDS]
    assert gc.get_threshold() == before
