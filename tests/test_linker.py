"""WeasyPrint's libraries are found from the linker cache, without running a compiler."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker cache is Linux's")


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)


def test_weasyprint_loads_without_the_compiler_search():
    done = run_python("""
        import ctypes.util
        searched = []
        for name in ("_findLib_gcc", "_findLib_ld", "_findSoname_ldconfig"):
            original = getattr(ctypes.util, name)
            setattr(ctypes.util, name, lambda *a, _name=name, _original=original: searched.append(_name) or _original(*a))
        import booklet.render, weasyprint
        assert weasyprint.HTML(string="<p>Jurusan</p>").write_pdf().startswith(b"%PDF")
        print(searched)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_library_the_cache_misses_is_found_the_usual_way():
    done = run_python("""
        import ctypes.util
        searched = []
        original = ctypes.util.find_library
        ctypes.util.find_library = lambda name: searched.append(name) or original(name)

        import contextlib
        import booklet.linker

        @contextlib.contextmanager
        def quick_lookup_that_fails(cache):  # as when a library is found neither way it tries
            yield
            raise OSError("libpango-1.0-0")

        booklet.linker._quick_library_lookup = quick_lookup_that_fails
        import booklet.render, weasyprint
        assert weasyprint.HTML(string="<p>Jurusan</p>").write_pdf().startswith(b"%PDF")
        print("loaded after", "the usual search" if searched else "no search")
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "loaded after the usual search"  # and nothing else printed
