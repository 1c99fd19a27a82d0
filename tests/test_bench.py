"""The benchmark's own measuring: the memory of a build is that of its whole process tree."""
import os
import signal
import subprocess
import sys
import time

from bench.run import tree_rss


def test_tree_rss_counts_grandchildren():
    # A shell whose child holds 80 MB: the shell itself holds little.
    holder = "import time; block = bytearray(80_000_000); block[::4096] = b'x' * len(block[::4096]); time.sleep(30)"
    shell = subprocess.Popen(["sh", "-c", f'"{sys.executable}" -c "{holder}"; :'])
    try:
        deadline = time.monotonic() + 20
        while tree_rss(shell.pid) < 80_000_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert tree_rss(shell.pid) >= 80_000_000
        with open(f"/proc/{shell.pid}/statm") as handle:
            assert int(handle.read().split()[1]) * 4096 < 20_000_000  # the shell's own share is small
    finally:
        with open(f"/proc/{shell.pid}/task/{shell.pid}/children") as handle:
            for child in handle.read().split():
                os.kill(int(child), signal.SIGKILL)
        shell.kill()
        shell.wait()
