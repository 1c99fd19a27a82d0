"""Layouts whose page numbers the fast build's folio layer cannot draw are rendered in one pass."""
from __future__ import annotations

from pathlib import Path

import pytest

from booklet import build
from booklet.folio_css import read_sheets, stylesheets_of, why_not_stamped
from booklet.layout import STYLESHEETS, layout_dirs, render_html
from booklet.select import make_booklet
from booklet.library import load_library

from .conftest import MINI, ROOT, pdf_pages_text
from .test_parts import assert_same_booklet

STAMPED = {
    "builtin-folio": "@page :left { @bottom-left { content: counter(page); } }",
    "words-and-roman": '@page :right { @bottom-right { content: "Hal. " counter(page, upper-roman); } }',
    "covers-without": "@page cover, back { @bottom-left { content: none; } @bottom-right { content: none; } }",
    "first-page-without": "@page :first { @bottom-right { content: none; } }",
    "contents-lookup": ".contents .page:empty::after { content: target-counter(attr(data-target url), page); }",
    "running-head": "@page :left { @top-left { content: string(running-left); } }",
}
NOT_STAMPED = {
    "in-the-running-head": ('@page :left { @top-left { content: counter(page) " · " string(running-left); } }', "@top-left"),
    "at-the-top": "@page :right { @top-center { content: counter(page); } }",
    "page-count": ('@page :left { @bottom-left { content: counter(page) " / " counter(pages); } }', "counter(pages)"),
    "notes-pages-without": ("@page :blank, notes { @bottom-left { content: none; } }", "notes"),
    "first-page-margin": ("@page :first { margin-top: 40mm; }", ":first"),
    "counter-reset": (".contents { counter-reset: page 1; }", "sets the page counter"),
    "element-number": ('.profession::after { content: "hal. " counter(page); }', ".profession::after"),
    "cross-reference": ("a.lihat::after { content: target-counter(attr(href url), page); }", "target-counter"),
    "inside-media": ("@media print { @page :left { @top-right { content: counter(page); } } }", "@top-right"),
    "import": ('@import "lain.css";', "imports"),
}


@pytest.mark.parametrize("css", STAMPED.values(), ids=STAMPED)
def test_page_numbers_the_folio_layer_draws(css):
    assert why_not_stamped([(Path("page.css"), css)]) is None


@pytest.mark.parametrize("case", NOT_STAMPED.values(), ids=NOT_STAMPED)
def test_page_numbers_it_cannot_draw(case):
    css, words = case if isinstance(case, tuple) else (case, "@top-center")
    path, reason = why_not_stamped([(Path("page.css"), "p { color: black; }"), (Path("page.css"), css)])
    assert path == Path("page.css") and words in reason


def test_booklets_own_layouts_are_stamped():
    library = load_library(MINI)
    booklet = make_booklet(library)
    sheets = read_sheets(STYLESHEETS, layout_dirs(MINI))
    assert len(sheets) == len(STYLESHEETS)
    assert why_not_stamped(stylesheets_of(render_html(booklet, MINI, parts=[]), sheets)) is None


@pytest.mark.parametrize("change", [
    ("@top-left { content: string(running-left);", '@top-left { content: counter(page) " · " string(running-left);'),
    ("@bottom-left { content: counter(page);", '@bottom-left { content: counter(page) "/" counter(pages);'),
    ("@page :blank, notes {", "@page :blank, notes { @bottom-left { content: none; } @bottom-right { content: none; }"),
], ids=["running-head", "page-count", "no-folio-on-notes-pages"])
def test_such_a_layout_gives_the_single_pass_booklet(mini, tmp_path, monkeypatch, change):
    (mini / "layouts").mkdir()
    css = (ROOT / "layouts" / "page.css").read_text(encoding="utf-8")
    assert change[0] in css
    (mini / "layouts" / "page.css").write_text(css.replace(change[0], change[1]), encoding="utf-8")
    # Long enough for a notes page: the profession's second spread is half empty.
    perawat = mini / "source" / "kesehatan" / "perawat.txt"
    text = perawat.read_text(encoding="utf-8")
    perawat.write_text(text.replace("\n\nApa saya cocok", "\n\n" + "Perawat bekerja dengan teliti setiap hari. " * 120 + "\n\nApa saya cocok", 1), encoding="utf-8")
    fast = build(mini, jobs=2, output=tmp_path / "fast.pdf")
    assert fast.notes and "page.css" in fast.notes[0] and "one document" in fast.notes[0]
    slow = build(mini, single_pass=True, output=tmp_path / "slow.pdf")
    assert_same_booklet(fast, slow)
    assert pdf_pages_text(fast.path) == pdf_pages_text(slow.path)
    # Rendered as one document, and cached as one: a rebuild with nothing changed renders nothing.
    import booklet.api
    monkeypatch.setattr(booklet.api, "render_isolated", lambda *a: pytest.fail("rendered again"))
    again = build(mini, jobs=2, output=tmp_path / "again.pdf")
    assert again.path.read_bytes() == fast.path.read_bytes()
