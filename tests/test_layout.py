"""The layout stage: generated HTML equals the committed expected files (`make expected`)."""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from booklet.layout import index_columns, render_html
from booklet.library import load_library
from booklet.model import PrintOptions
from booklet.select import make_booklet

from .conftest import MINI

EXPECTED = Path(__file__).resolve().parent / "expected"
CASES = {
    "mini": {},
    "mini-politik-a5": {"only": ["politik"], "paper": "A5"},
    "mini-print-shop-grayscale": {"only": ["kesehatan"], "print": PrintOptions(bleed_mm=3, marks="crop", grayscale=True)},
}


# A fixed source date: a fresh checkout gives the fixture files today's modification time.
FIXED_EPOCH = "1767225600"  # 2026-01-01


def render_case(name: str) -> str:
    options = CASES[name]
    library = load_library(MINI)
    if "paper" in options:
        library = dataclasses.replace(library, config=dataclasses.replace(library.config, paper=options["paper"]))
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    try:
        booklet = make_booklet(library, only=options.get("only", ()))
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return render_html(booklet, MINI, options=options.get("print", PrintOptions()))


@pytest.mark.parametrize("name", sorted(CASES))
def test_html_matches_the_expected_file(name):
    expected = (EXPECTED / f"{name}.html").read_text(encoding="utf-8")
    assert render_case(name) == expected, f"run `make expected` if the change to {name}.html is intended"


def test_page_numbers_can_be_printed_literally():
    booklet = make_booklet(load_library(MINI))
    page_of = {p.key: 100 + i for i, p in enumerate(booklet.profiles)} | {"index": 999, "contents": 3}
    html = render_html(booklet, MINI, page_of=page_of)
    assert '<a href="#p-kesehatan-perawat"><span class="page">102</span>' in html
    assert '<a href="#indeks"><span class="page">999</span>' in html
    # The index's numbers are text, each leading to the anchor at its place in data-page-links.
    entries = re.findall(r'data-page-links="([^"]*)">([^<]*)</span>', html)
    assert entries and all(len(anchors.split()) == len(numbers.split(", ")) for anchors, numbers in entries)
    assert any(("p-kesehatan-perawat", "102") in zip(anchors.split(), numbers.split(", ")) for anchors, numbers in entries)
    assert "data-target" not in html  # only target-counter() reads it


def test_index_columns_never_end_with_a_letter_heading():
    booklet = make_booklet(load_library(MINI))
    for lines in (6, 9, 12, 20, 50):
        for page in index_columns(booklet.majors, lines):
            assert len(page) == 2
            for column in page:
                assert not column or column[-1]["letter"] is None
        entries = [e["major"] for page in index_columns(booklet.majors, lines) for col in page for e in col if e["major"]]
        assert entries == list(booklet.majors)


def test_abbreviations_and_names_with_capitals_are_kept_whole():
    from booklet.layout import whole_words
    html = str(whole_words("Di PUSKESMAS, RSUD dan Dinas; lewat WhatsApp & <b>Instagram</b> (KEMENDIKBUD-RISTEK)."))
    assert html == ('Di <span class="utuh">PUSKESMAS</span>, RSUD dan Dinas; lewat <span class="utuh">WhatsApp</span> '
                    '&amp; &lt;b&gt;Instagram&lt;/b&gt; (<span class="utuh">KEMENDIKBUD</span>-<span class="utuh">RISTEK</span>).')


def test_web_and_mail_addresses_are_links_kept_whole():
    from booklet.layout import whole_words
    html = str(whole_words('Baca https://id.wikipedia.org/wiki/Notaris_(Indonesia), www.kemkes.go.id atau tulis ke '
                           'humas-kementerian@kemkes.go.id. "x"<b>'))
    assert html == ('Baca <a class="alamat" href="https://id.wikipedia.org/wiki/Notaris_(Indonesia)">'
                    'https://id.wikipedia.org/wiki/Notaris_(Indonesia)</a>, '
                    '<a class="alamat" href="https://www.kemkes.go.id">www.kemkes.go.id</a> atau tulis ke '
                    '<a class="alamat" href="mailto:humas-kementerian@kemkes.go.id">humas-kementerian@kemkes.go.id</a>. '
                    '&#34;x&#34;&lt;b&gt;')
    # Text in an address is escaped like any other (an attribute cannot be closed from it).
    assert '"' not in str(whole_words('https://a.id/?q="><script>')).split('href="', 1)[1].split('"', 1)[0]


def test_an_index_column_never_opens_without_its_letter():
    # A column that goes on with the previous column's letter repeats it, marked as continued.
    booklet = make_booklet(load_library(MINI))
    for lines in (6, 9, 12, 20, 50):
        columns = [column for page in index_columns(booklet.majors, lines) for column in page if column]
        letter = None
        for column in columns:
            assert column[0]["letter"]
            assert column[0]["continued"] == (column[0]["letter"] == letter)
            letter = [e["letter"] for e in column if e["letter"]][-1]
