"""Rendering one document: stylesheets parsed once per process cascade as WeasyPrint's own."""
from __future__ import annotations

import pytest

from booklet.errors import BookletError
from booklet.render import _states, render_pdf

from .conftest import links_with_text, pdf_pages_text


def text_of(tmp_path, html: str, sheets: dict[str, str]) -> str:
    layouts = tmp_path / "layouts"
    layouts.mkdir(exist_ok=True)
    for name, css in sheets.items():
        (layouts / name).write_text(css, encoding="utf-8")
    path = tmp_path / "out.pdf"
    path.write_bytes(render_pdf(html, tmp_path).pdf)
    return " ".join(pdf_pages_text(path)[0].split())


def page(head: str, body: str) -> str:
    return f"<!DOCTYPE html><html lang=id><head><meta charset=utf-8>{head}</head><body>{body}</body></html>"


def test_stylesheets_are_parsed_once_and_cascade_in_order(tmp_path):
    sheets = {"a.css": 'p::before { content: "A" } p.x::before { content: "X" }', "b.css": 'p::before { content: "B" }'}
    html = page('<link rel="stylesheet" href="a.css"><link rel="stylesheet" href="b.css">'
                '<style>p + p::before { content: "C" }</style>', "<p>1</p><p class=x>2</p><p>3</p>")
    for _ in range(2):  # the second document is rendered from the parsed stylesheets
        assert text_of(tmp_path, html, sheets) == "B1 X2 C3"  # specificity, then order
    (state,) = _states.values()
    assert sum(shareable for _, shareable, _ in state.sheets.values()) == 3


@pytest.mark.parametrize("sheets, head, body, expected", [
    # A layout's own counter style of a built-in name replaces WeasyPrint's.
    ({"c.css": '@counter-style upper-roman { system: cyclic; symbols: "Z"; suffix: ". " } '
               "ol { list-style: upper-roman inside }"},
     '<link rel="stylesheet" href="c.css">', "<ol><li>satu</li><li>dua</li></ol>", "Z. satu Z. dua"),
    # Cascade layers are ordered across all of a document's stylesheets.
    ({"la.css": '@layer x, theme; @layer theme { p::before { content: "T" } }',
      "lb.css": '@layer base { p::before { content: "B" } }'},
     '<link rel="stylesheet" href="la.css"><link rel="stylesheet" href="lb.css">', "<p>1</p>", "B1"),
    # Stylesheets outside <head> apply in document order.
    ({}, "", '<div><style>p::before { content: "A" }</style></div><style>p::before { content: "B" }</style><p>1</p>', "B1"),
    # A stylesheet for the screen only does not apply.
    ({"s.css": 'p::before { content: "S" }'}, '<link rel="stylesheet" href="s.css" media="screen">', "<p>1</p>", "1"),
])
def test_what_weasyprint_gathers_per_document_is_left_to_it(tmp_path, sheets, head, body, expected):
    for _ in range(2):
        assert text_of(tmp_path, page(head, body), sheets) == expected


@pytest.mark.parametrize("style, before", [("width: 30mm", "Jurusan"),
                                           ("width: 45mm; text-align: justify", "Pendidikan Guru Sekolah Dasar (PGSD) — ékonomi")])
def test_page_numbers_marked_in_text_become_links_on_them(tmp_path, style, before):
    # A narrow column, so the numbers run over several lines; each link covers its own number,
    # after letters of more than one byte and in justified lines too.
    numbers = list(range(101, 131))
    anchors = [f"a{n}" for n in numbers]
    targets = "".join(f'<p id="{a}" style="break-before: page">{n}</p>' for a, n in zip(anchors, numbers))
    html = page("", f'<p style="{style}">{before} <span data-page-links="{" ".join(anchors)}">'
                    f'{", ".join(map(str, numbers))}</span></p>{targets}')
    path = tmp_path / "out.pdf"
    path.write_bytes(render_pdf(html, tmp_path).pdf)
    links = links_with_text(path, 1, 1)
    assert [(text.rstrip(","), dst) for _, dst, text in links] == [(str(n), i + 2) for i, n in enumerate(numbers)]


@pytest.mark.parametrize("anchors", ["a b", "a b c d"])
def test_page_links_that_do_not_match_the_numbers_are_a_layout_mistake(tmp_path, anchors):
    html = page("", f'<p><span data-page-links="{anchors}">4, 6, 8</span></p><p id=a>x</p><p id=b>y</p>')
    with pytest.raises(BookletError) as caught:
        render_pdf(html, tmp_path)
    assert "data-page-links" in str(caught.value) and "4, 6, 8" in str(caught.value)


def test_generated_numbers_are_not_counted_as_the_elements_own(tmp_path):
    html = page('<style>span::before { content: "7 " }</style>',
                '<p><span data-page-links="a b">4, 6</span></p><p id=a>x</p><p id=b>y</p>')
    path = tmp_path / "out.pdf"
    path.write_bytes(render_pdf(html, tmp_path).pdf)
    assert [text.rstrip(",") for _, _, text in links_with_text(path, 1, 1)] == ["4", "6"]
