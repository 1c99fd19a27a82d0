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
    "folio-colour-everywhere": "@page { @bottom-left { color: #a00; } @bottom-right { color: #a00; } }",
    "notes-border": "@page :blank, notes { border: 0.75pt solid #ccc; border-radius: 3mm; }",
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
    "running-text-in-folio": ('@page :left { @bottom-left { content: counter(page) " · " string(running-left); } }', "running text"),
    "variable-in-a-box": ('@page :left { @top-center { content: "Hal " var(--folio); } }', "var()"),
    "variable-holding-it": ("@page { --folio: counter(page); }", "holds a page number"),
    "notes-page-margin": ("@page :blank, notes { margin-bottom: 45mm; }", "margin-bottom"),
    "profession-on-the-right": (".profession { break-before: right; }", "left page"),
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
    sheets = stylesheets_of(render_html(booklet, MINI), layout_dirs(MINI))
    assert [path.name for path, _ in sheets if path] == list(STYLESHEETS)
    assert why_not_stamped(sheets, read_sheets(STYLESHEETS, layout_dirs(MINI))) is None


def test_running_texts_set_otherwise_than_booklets_need_the_single_pass():
    """A part holds only the running texts it sets itself (string-set): set only at a field's
    first profession, they were empty on the others' pages."""
    builtin = read_sheets(STYLESHEETS, layout_dirs(MINI))
    changed = [(path, css + "\n.profession-field { string-set: none; } .field-mark { string-set: running-left content(text); }")
               if path.name == "profession.css" else (path, css) for path, css in builtin]
    path, reason = why_not_stamped(changed, builtin)
    assert path.name == "profession.css" and "string-set" in reason
    # The same rules in another order, or in a copy of booklet's file: the fast build.
    assert why_not_stamped(list(reversed(builtin)), builtin) is None


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


def test_page_backgrounds_and_other_margin_boxes_are_not_stamped(mini, tmp_path):
    """The folio layer is the folio alone: a page background or another margin box stamped with
    it covered every page's text, or was drawn twice."""
    from PIL import Image, ImageChops
    import subprocess
    (mini / "layouts").mkdir()
    (mini / "layouts" / "page.css").write_text((ROOT / "layouts" / "page.css").read_text(encoding="utf-8")
        + '\n@page { background: #fff6dc; border: 1pt solid #c00; @bottom-center { content: "SMA Negeri 1 Contoh"; } }\n'
        + "html { background: #fff6dc; }\n", encoding="utf-8")
    fast = build(mini, jobs=2, output=tmp_path / "fast.pdf")
    assert not fast.notes  # the fast build does it
    slow = build(mini, single_pass=True, output=tmp_path / "slow.pdf")
    for result, name in ((fast, "f"), (slow, "s")):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(result.path), str(tmp_path / name)], check=True)
    for page in range(1, fast.page_count + 1):
        a, b = (Image.open(tmp_path / f"{name}-{page:02d}.png").convert("RGB") for name in "fs")
        assert ImageChops.difference(a, b).getbbox() is None, f"page {page} differs"


@pytest.mark.parametrize("where", ["head", "profession"])
def test_stylesheets_of_any_template_are_looked_at(mini, tmp_path, where):
    """A stylesheet linked from an overridden head.html.j2, or a <style> in a profession's
    template, that prints page numbers: the single pass, like a stylesheet of booklet's own."""
    (mini / "layouts").mkdir()
    rule = "@page :left { @top-center { content: counter(page); } }"
    if where == "head":
        (mini / "layouts" / "lain.css").write_text(rule, encoding="utf-8")
        head = (ROOT / "layouts" / "head.html.j2").read_text(encoding="utf-8")
        (mini / "layouts" / "head.html.j2").write_text(head.replace("<style>", '<link rel="stylesheet" href="lain.css">\n<style>', 1), encoding="utf-8")
    else:
        template = (ROOT / "layouts" / "profession.html.j2").read_text(encoding="utf-8")
        (mini / "layouts" / "profession.html.j2").write_text(f"<style>{rule}</style>\n" + template, encoding="utf-8")
    fast = build(mini, jobs=2, output=tmp_path / "fast.pdf")
    assert fast.notes and "@top-center" in fast.notes[0]
    assert pdf_pages_text(fast.path) == pdf_pages_text(build(mini, single_pass=True, output=tmp_path / "slow.pdf").path)
