"""Renders run in worker processes with a memory and a time limit: WeasyPrint can loop or eat
memory on pathological CSS, and a counselor should get a sentence, not a frozen machine."""
from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing
import os
import resource
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .errors import BookletError

# Per render (one document): generous for any real booklet, small enough to stop a runaway.
# The environment variables exist for tests and for schools with unusual machines.
MEMORY_MB = int(os.environ.get("BOOKLET_RENDER_MEMORY_MB", "4096"))
SECONDS = float(os.environ.get("BOOKLET_RENDER_SECONDS", "600"))


class RenderTimeout(BaseException):
    """Not an Exception: a library's `except Exception` around the moment the time runs out
    must not swallow it (and the timer repeats every second in case something still does)."""


def _limit_worker(memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    # Ctrl-C reaches the whole process group. The build stops the workers itself (abandon);
    # a worker waiting for work would otherwise die on it and print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker that runs out of memory can fail inside multiprocessing itself, which prints a
    # traceback on its way out; the build reports that in a sentence (see Workers.__exit__), and
    # a render's own errors travel back with its result. Nothing a worker prints is for the user.
    sys.stderr = open(os.devnull, "w")
    # A render makes millions of short-lived objects; Python's default collector thresholds
    # make it rescan them over and over (about a tenth of the render time). Collect rarely
    # during a render and fully after it (see run_limited), never the modules loaded before.
    gc.freeze()
    gc.set_threshold(50_000, 20, 1_000)


def _on_alarm(signum, frame):
    raise RenderTimeout()


def run_limited(function, *args, seconds: float | None = None, final: bool = False):
    """Call `function` (in a worker) with the per-render time limit; a render that runs out of
    time or memory becomes a BookletError. After a `final` render the worker exits, and its
    garbage goes with it (the single pass's took 1.8 s to collect at N=300)."""
    seconds = SECONDS if seconds is None else seconds
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
            return function(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # before anything else: no alarm after the render
    except RenderTimeout:
        raise BookletError(Path("layouts"), None, f"rendering took longer than {seconds:g} s and was stopped; a layout or a very unusual profile may make WeasyPrint loop.") from None
    except (MemoryError, SystemError):
        # SystemError: a C library that ran out of memory and failed without saying so ("error
        # return without exception set"); seen under the memory limit, in fontconfig's wake.
        raise BookletError(Path("layouts"), None, f"rendering needed more than {MEMORY_MB} MB of memory and was stopped; a layout or a very unusual profile may be the cause.") from None
    finally:
        signal.signal(signal.SIGALRM, previous)
        if not final:
            resident = _resident_mb()
            if resident is None or resident > min(COLLECT_ABOVE_MB, MEMORY_MB // 4):
                gc.collect()


# Every style object WeasyPrint makes refers to itself, so a render's garbage is only freed by a
# full collection: 20-30 ms after each batch of professions, a thirtieth of a cold build's work.
# A worker collects once it holds this much (or a quarter of its memory limit); below, the
# garbage simply goes when the worker exits (multiprocessing ends it with os._exit, without
# collecting). Each worker may hold this much more at its peak.
COLLECT_ABOVE_MB = int(os.environ.get("BOOKLET_COLLECT_ABOVE_MB", "192"))


def _resident_mb() -> float | None:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None  # not Linux: collect after every render


@contextlib.contextmanager
def deferred_interrupt():
    """Hold Ctrl-C back for a moment. A KeyboardInterrupt raised while the pool's own lock is
    held (inside submit) leaves that lock taken, and the interrupted build then hangs on it
    instead of stopping."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                os.kill(os.getpid(), signal.SIGINT)


class Workers:
    """A process pool whose workers carry the memory limit; a worker that dies (the kernel
    refusing memory inside a C library) is reported as a user-facing error too."""

    def __init__(self, count: int):
        # fork, not forkserver or spawn: those re-import the caller's main module in every
        # worker, which breaks a plain script that calls booklet.build() at its top level.
        self.pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_limit_worker, initargs=(MEMORY_MB,))

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            try:
                self.pool.shutdown(wait=True)
            except BaseException:  # Ctrl-C while waiting: the workers ignore it, so end them
                self.abandon()
                raise
            return False
        # A build that stopped (an error, Ctrl-C) needs no more rendering: end the workers now
        # rather than wait for them (waiting on a pool after KeyboardInterrupt can hang).
        self.abandon()
        if isinstance(exc, BrokenProcessPool):
            raise BookletError(Path("layouts"), None, f"a rendering process stopped abruptly (most likely it needed more than {MEMORY_MB} MB of memory); the PDF was not written.") from None
        return False

    def submit(self, function, *args, final: bool = False):
        """`final`: the worker's last render before the pool is shut down (see run_limited)."""
        with deferred_interrupt():
            return self.pool.submit(functools.partial(run_limited, final=final), function, *args)

    def warm_up(self, count: int) -> None:
        """Start the workers now and have them load WeasyPrint, while the caller still works
        out what there is to render."""
        # Not through submit: loading is not a render, and the render time limit must not
        # fire inside an import (where Python reports the exception and carries on).
        with deferred_interrupt():
            for _ in range(count):
                self.pool.submit(_load_renderer)

    def abandon(self) -> None:
        """Nothing (more) to render: end the workers without waiting for their work."""
        # Work already queued for them (a document's HTML each) may fill the pipe to workers that
        # are gone; the queue's feeder thread would then wait on it forever, and with it the
        # pool's thread (which joins the feeder once it sees the workers dead) and Python's exit.
        # So before the workers die, not after: the pool's thread may see them dead at once.
        queue = getattr(self.pool, "_call_queue", None)
        if queue is not None:
            queue.cancel_join_thread()
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        # Wait for them to die: a forked worker holds the parent's open files, the build lock too.
        for process in processes:
            process.join()
        manager = getattr(self.pool, "_executor_manager_thread", None)
        self.pool.shutdown(wait=False, cancel_futures=True)
        # The pool's thread notices the dead workers and closes its pipe. Python's exit wakes that
        # thread through the same pipe, unguarded (fixed in 3.12): were the two to meet, a Ctrl-C
        # would end with "Exception ignored ... Bad file descriptor" and a traceback. So the thread
        # is let finish first (it has nothing left to wait for: the workers are dead, the queue
        # released).
        if manager is not None and manager is not threading.current_thread():
            manager.join(timeout=10)


_started: dict[int, Workers] = {}


def start_workers(count: int) -> None:
    """Fork render workers now and have them load WeasyPrint while the booklet is still being
    read: they are ready when the work is, and carry none of the booklet in their memory."""
    if count not in _started:
        _started[count] = Workers(count)
        _started[count].warm_up(count)


def started_workers(count: int) -> Workers | None:
    """The workers started early for this count, if any (the caller now owns them)."""
    return _started.pop(count, None)


def ready_workers(count: int) -> Workers:
    """The workers started early for this count, else new ones, loading WeasyPrint already."""
    pool = started_workers(count)
    if pool is None:
        pool = Workers(count)
        pool.warm_up(count)
    return pool


def _load_renderer() -> None:
    from . import render  # noqa: F401  (imports WeasyPrint, half a second)
    gc.collect()
    gc.freeze()  # the modules stay; no collection needs to look at them again
