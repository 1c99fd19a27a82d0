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


@pytest.mark.parametrize("threshold_mb, freed", [(0, True), (1_000_000, False)])
def test_garbage_is_collected_above_the_threshold(monkeypatch, threshold_mb, freed):
    monkeypatch.setattr(limits, "COLLECT_ABOVE_MB", threshold_mb)
    gc.disable()  # only run_limited may collect here
    try:
        ref = limits.run_limited(make_garbage)
        assert (ref() is None) == freed
    finally:
        gc.enable()
        gc.collect()
