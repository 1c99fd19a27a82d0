"""Find WeasyPrint's native libraries without running a compiler.

On Linux, ctypes.util.find_library asks ldconfig, then gcc, then ld, about every name it is
given. WeasyPrint tries three to six spellings of each of its seven libraries, most of which
do not exist, so importing it ran about 80 programs: a third of a second, and as much CPU
again, in every render process of every build. While WeasyPrint loads, names are looked up in
one reading of the linker cache (what ldconfig would answer) and in LD_LIBRARY_PATH instead.
"""
from __future__ import annotations

import contextlib
import ctypes.util
import io
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

# ldconfig's name for this machine's ABI, as ctypes.util spells it.
_ABI = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}


def _linker_cache() -> bytes | None:
    try:
        return subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, env={"LC_ALL": "C", "LANG": "C"}, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None


def _finder(cache: bytes):
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi = _ABI.get(machine, "libc6")
    folders = [Path(folder) for folder in os.environ.get("LD_LIBRARY_PATH", "").split(":") if folder]

    def find_library(name: str) -> str | None:
        found = re.search(os.fsencode(r"\s+(lib%s\.[^\s]+)\s+\(%s" % (re.escape(name), abi)), cache)
        if found:
            return os.fsdecode(found.group(1))
        for folder in folders:
            for candidate in sorted(folder.glob(f"lib{name}.so*")):
                if candidate.is_file():
                    return str(candidate)
        return None

    return find_library


@contextlib.contextmanager
def _quick_library_lookup(cache: bytes):
    original = ctypes.util.find_library
    ctypes.util.find_library = _finder(cache)
    try:
        yield
    finally:
        ctypes.util.find_library = original


def import_weasyprint() -> None:
    """Import WeasyPrint with its libraries looked up in the linker cache. Where there is no
    ldconfig to ask (not Linux, or not glibc), or where that lookup misses a library that the
    full search would find, WeasyPrint is imported the usual way."""
    if "weasyprint" in sys.modules:
        return
    cache = _linker_cache() if sys.platform.startswith("linux") else None
    if cache is not None:
        try:
            # WeasyPrint prints a troubleshooting banner before it gives up on a library.
            with _quick_library_lookup(cache), contextlib.redirect_stdout(io.StringIO()):
                import weasyprint  # noqa: F401
            return
        except OSError:
            for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
                del sys.modules[name]
    import weasyprint  # noqa: F401,F811
