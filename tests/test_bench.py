"""The benchmark's own measuring: the memory of a build is that of its whole process tree."""
import os
import signal
import subprocess
import sys
import time

from bench.run import tree_rss


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                children = [int(child) for child in handle.read().split()]
        except OSError:
            children = []
        found += children
        todo += children
    return found


def test_tree_rss_counts_grandchildren(tmp_path):
    # A shell starting a shell whose child holds 80 MB: the shells themselves hold little.
    holder = tmp_path / "holder.py"
    holder.write_text("import time\nblock = bytearray(80_000_000)\nblock[::4096] = b'x' * len(block[::4096])\ntime.sleep(30)\n")
    shell = subprocess.Popen(["sh", "-c", f"sh -c '{sys.executable} {holder}; :'; :"])
    try:
        deadline = time.monotonic() + 20
        while tree_rss(shell.pid) < 80_000_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_rss(shell.pid) >= 80_000_000
        with open(f"/proc/{shell.pid}/statm") as handle:
            assert int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") < 20_000_000
    finally:
        for pid in [shell.pid, *descendants(shell.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shell.wait()


def test_bound_measures_renders_of_the_corpus(tmp_path):
    # bench/bound.py drives booklet's render internals directly: a change to them must not
    # leave it measuring nothing (or the wrong field).
    from bench.bound import render_cpu
    from bench.corpus import write_corpus
    write_corpus(12, tmp_path / "corpus")
    field = sorted(p.name for p in (tmp_path / "corpus" / "source").iterdir())[0]
    in_parts, in_one, whole_front, subset_count, subset_front = render_cpu(tmp_path / "corpus", 8, field)
    assert subset_count == len(list((tmp_path / "corpus" / "source" / field).glob("*.txt"))) > 0
    assert 0.005 < in_parts < 5 and 0.005 < in_one < 5
    assert 0 < subset_front <= whole_front * 1.5
