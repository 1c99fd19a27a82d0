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


def test_a_render_that_swallows_exceptions_is_still_stopped():
    """A library's `except Exception` around the moment the time runs out must not let the
    render run on unlimited."""
    import time

    def stubborn():
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                time.sleep(0.01)
            except Exception:
                pass
        return "finished"

    started = time.monotonic()
    with pytest.raises(limits.BookletError, match="longer than 0.05 s"):
        limits.run_limited(stubborn, seconds=0.05, final=True)
    assert time.monotonic() - started < 2


def test_the_time_limit_repeats_when_its_first_alarm_is_swallowed():
    import time

    def swallows_one_alarm():
        swallowed = False
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                time.sleep(0.01)
            except BaseException:  # noqa: B036 (what a careless library might do, once)
                if swallowed:
                    raise
                swallowed = True
        return "finished"

    started = time.monotonic()
    with pytest.raises(limits.BookletError, match="longer than 0.05 s"):
        limits.run_limited(swallows_one_alarm, seconds=0.05, final=True)
    assert time.monotonic() - started < 3


def sleep_long():
    import time
    time.sleep(30)


def test_abandoned_workers_leave_no_pool_thread_to_race_python_exit():
    # Python 3.11's exit wakes the pool's thread through a pipe that thread closes as it ends; a
    # thread still ending then makes a Ctrl-C print "Bad file descriptor" with a traceback.
    workers = limits.Workers(2)
    futures = [workers.submit(sleep_long) for _ in range(4)]
    manager = workers.pool._executor_manager_thread
    workers.abandon()
    assert not manager.is_alive()
    assert all(future.done() for future in futures)
