"""Shared fixtures: tiny real booklet folders and helpers that read built PDFs back."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from booklet import build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


def pdf_pages_text(path: Path) -> list[str]:
    """The text of every page, as poppler's pdftotext reads it."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return out.split("\f")[:-1]


def pdf_columns_text(path: Path, page: int) -> str:
    """A two-column page's text, left column first, lines kept (pdftotext -layout per half)."""
    with pikepdf.open(path) as pdf:
        box = pdf.pages[page - 1].mediabox
        width, height = int(float(box[2])), int(float(box[3]))
    halves = []
    for x in (0, width // 2):
        halves.append(subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", str(x), "-y", "0",
             "-W", str(width // 2), "-H", str(height), str(path), "-"],
            check=True, capture_output=True, text=True).stdout)
    return "\n".join(halves)


def assert_sound_pdf(path: Path) -> None:
    """What every PDF booklet writes must pass: qpdf finds no damage, every font is embedded
    (and subset), and nothing is attached."""
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    for row in fonts.splitlines()[2:]:
        emb, sub = row.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), row
    attached = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert attached.strip() == "0 embedded files", attached


def squash(text: str) -> str:
    """Undo line breaks and hyphenation so sentences can be found in extracted text."""
    text = re.sub(r"(\w)[\u00ad\u2010]\n(\w)", r"\1\2", text)  # a hyphenation break
    text = re.sub(r"(\w)-\n(\w)", r"\1-\2", text)  # a line break after a real hyphen
    return re.sub(r"\s+", " ", text.replace("\u00ad", ""))


def link_targets(path: Path) -> list[tuple[int, int]]:
    """(page with the link, page it lands on) for every internal link."""
    found = []
    with pikepdf.open(path) as pdf:
        index_of = {p.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        names = {}
        if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
            for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items():
                names[str(name)] = index_of[dest[0].objgen]
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link":
                    continue
                dest = annot.get("/Dest")
                if dest is None and "/A" in annot:
                    dest = annot.A.get("/D")
                if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                    found.append((number, names[str(dest).lstrip("/")]))
                elif dest is not None:
                    found.append((number, index_of[dest[0].objgen]))
    return found


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def links_with_text(path: Path, first: int, last: int) -> list[tuple[int, int, str]]:
    """(page with the link, page it lands on, the words under the link) for every internal
    link on pages first..last: a word is under a link if its middle is inside the link's area."""
    found = []
    with pikepdf.open(path) as pdf:
        index_of = {p.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        names = {str(name): index_of[dest[0].objgen]
                 for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}
        for number in range(first, last + 1):
            page = pdf.pages[number - 1]
            left, _, _, top = (float(v) for v in page.cropbox)
            out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(number), "-l", str(number), str(path), "-"],
                                 check=True, capture_output=True, text=True).stdout
            words = [(*(float(v) for v in m.groups()[:4]), m.group(5)) for m in _WORD.finditer(out)]
            for annot in page.obj.get("/Annots", []):
                if annot.get("/Subtype") != "/Link" or "/Dest" not in annot:
                    continue
                x1, y1, x2, y2 = (float(v) for v in annot.Rect)
                x1, x2 = sorted((x1 - left, x2 - left))
                y1, y2 = sorted((top - y1, top - y2))
                under = [w for a, b, c, d, w in words if x1 <= (a + c) / 2 <= x2 and y1 <= (b + d) / 2 <= y2]
                found.append((number, names[str(annot.Dest).lstrip("/")], " ".join(under)))
    return found


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page) for every bookmark."""
    items = []
    with pikepdf.open(path) as pdf:
        index_of = {p.objgen: n for n, p in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as tree:
            def walk(nodes, depth):
                for node in nodes:
                    dest = node.destination
                    if dest is None and node.action is not None:
                        dest = node.action.get("/D")
                    if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                        tree_dests = pikepdf.NameTree(pdf.Root.Names.Dests)
                        dest = tree_dests[str(dest).lstrip("/")]
                    items.append((depth, node.title, index_of[dest[0].objgen]))
                    walk(node.children, depth + 1)
            walk(tree.root, 1)
    return items


@pytest.fixture
def mini(tmp_path) -> Path:
    """A writable copy of the mini booklet folder."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The repository's own sample booklet, built once."""
    out = tmp_path_factory.mktemp("sample") / "booklet.pdf"
    return build(ROOT, output=out)


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mini-build") / "mini"
    shutil.copytree(MINI, folder)
    return build(folder)
