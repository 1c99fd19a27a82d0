"""Render workers: a render's garbage is freed once a worker holds enough memory to matter."""
import gc
import weakref

import pytest

from booklet import limits


class Cycle:
    def __init__(self):
        self.me = self  # as every WeasyPrint style object does


def make_garbage():
    cycle = Cycle()
    return weakref.ref(cycle)


@pytest.mark.parametrize("threshold_mb, final, freed", [(0, False, True), (1_000_000, False, False), (0, True, False)])
def test_garbage_is_collected_above_the_threshold(monkeypatch, threshold_mb, final, freed):
    # A final render's garbage goes with its worker, which exits next.
    monkeypatch.setattr(limits, "COLLECT_ABOVE_MB", threshold_mb)
    gc.disable()  # only run_limited may collect here
    try:
        ref = limits.run_limited(make_garbage, final=final)
        assert (ref() is None) == freed
    finally:
        gc.enable()
        gc.collect()


def test_the_threshold_follows_a_lowered_memory_limit(monkeypatch):
    monkeypatch.setattr(limits, "COLLECT_ABOVE_MB", 1_000_000)
    monkeypatch.setattr(limits, "MEMORY_MB", 4)  # a quarter of it is below any process's size
    gc.disable()
    try:
        assert limits.run_limited(make_garbage)() is None
    finally:
        gc.enable()
        gc.collect()
