"""Other outputs of the same build, read back: saddle-stitch sheets, handouts, print-shop,
low-ink and accessible/archival PDFs."""
from __future__ import annotations

import io
import re
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from PIL import Image

from booklet import build
from booklet.api import handouts
from booklet.cli import cli
from booklet.impose import saddle, saddle_order
from booklet.model import PrintOptions

from .conftest import ROOT, assert_sound_pdf, pdf_pages_text, squash
from .test_build import check_booklet, sentences

MM = 72 / 25.4


def half_sheet_words(path: Path, sheet_side: int, half: int) -> Counter:
    """The words on one half (0 left, 1 right) of one side of an imposed sheet."""
    with pikepdf.open(path) as pdf:
        box = pdf.pages[sheet_side - 1].mediabox
        width, height = float(box[2]), float(box[3])
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(sheet_side), "-l", str(sheet_side),
         "-x", str(int(half * width / 2)), "-y", "0", "-W", str(int(width / 2)), "-H", str(int(height)),
         str(path), "-"], check=True, capture_output=True, text=True).stdout
    return Counter(squash(text).split())


def folio(path: Path, page: int) -> str:
    """The text in a page's bottom margin, where the folio is."""
    with pikepdf.open(path) as pdf:
        box = pdf.pages[page - 1].mediabox
        width, height = float(box[2]), float(box[3])
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), "-x", "0", "-y", str(int(height - 20 * MM)),
         "-W", str(int(width)), "-H", str(int(20 * MM)), str(path), "-"], check=True, capture_output=True, text=True).stdout.strip()


def page_words(text: str) -> Counter:
    return Counter(squash(text).split())


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return tmp_path_factory.mktemp("outputs")


# Selections of the sample whose A5 booklet has 8, 12 and 14 pages.
SADDLE_CASES = {8: ["pengurus-partai-politik"], 12: ["politik", "perawat"], 14: ["politik", "hukum"]}


@pytest.mark.parametrize("source_pages", sorted(SADDLE_CASES))
def test_saddle_stitch_sheets_fold_into_the_booklet(sample, source_pages):
    only = SADDLE_CASES[source_pages]
    plain = build(ROOT, only=only, paper="A5", output=sample / f"plain-{source_pages}.pdf")
    assert plain.page_count == source_pages  # the case's precondition
    imposed = build(ROOT, only=only, impose="saddle", output=sample / f"saddle-{source_pages}.pdf")
    assert imposed.warnings == ()
    padded = -(-source_pages // 4) * 4
    assert imposed.sheets == padded // 4 and imposed.page_count == padded
    assert_sound_pdf(imposed.path)

    reading = pdf_pages_text(plain.path)
    notes_page = page_words("Catatan")
    with pikepdf.open(imposed.path) as pdf:
        assert len(pdf.pages) == 2 * imposed.sheets
        for page in pdf.pages:
            assert [round(float(v)) for v in page.mediabox] == [0, 0, 842, 595]
            # Two pages placed as vector forms, nothing rasterized.
            forms = list(page.Resources.XObject.values())
            assert len(forms) == 2 and all(f.Subtype == "/Form" for f in forms)
            assert "/Image" not in repr(page.Resources)

    # Fold the stack: walk the halves in the order a reader meets them.
    folded = {}
    for sheet in range(imposed.sheets):
        front, back = 2 * sheet + 1, 2 * sheet + 2
        outer = 2 * sheet + 1
        folded[outer] = half_sheet_words(imposed.path, front, 1)
        folded[padded - 2 * sheet] = half_sheet_words(imposed.path, front, 0)
        folded[outer + 1] = half_sheet_words(imposed.path, back, 0)
        folded[padded - 2 * sheet - 1] = half_sheet_words(imposed.path, back, 1)
    assert sorted(folded) == list(range(1, padded + 1))
    for number in range(1, source_pages):
        assert folded[number] == page_words(reading[number - 1]), number
    # Padding: notes pages (each with its own folio) before the back cover, which stays last.
    for number in range(source_pages, padded):
        assert folded[number] == notes_page + Counter([str(number)]), number
    assert folded[padded] == page_words(reading[-1])
    assert "Profil Profesi" in " ".join(folded[padded])


def test_saddle_order_is_the_textbook_one():
    assert saddle_order(4) == [(4, 1), (2, 3)]
    sides = saddle_order(16)
    # Every page once; each side's two pages add up to n + 1.
    assert sorted(p for side in sides for p in side) == list(range(1, 17))
    assert all(left + right == 17 for left, right in sides)
    with pytest.raises(ValueError):
        saddle_order(14)


def test_saddle_places_any_pages(tmp_path):
    import weasyprint
    html = "<style>@page { size: A5 }</style>" + "".join(
        f'<p style="break-after: page">Halaman {n}</p>' for n in range(1, 9))
    pdf, sheets = saddle(weasyprint.HTML(string=html).write_pdf())
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    assert sheets == 2
    assert [" ".join(half_sheet_words(path, side, half)) for side in (1, 2, 3, 4) for half in (0, 1)] == [
        f"Halaman {n}" for n in (8, 1, 2, 7, 6, 3, 4, 5)]


def test_saddle_command_says_how_to_print(tmp_path):
    out = tmp_path / "lipat.pdf"
    result = CliRunner().invoke(cli, ["build", "-p", str(ROOT), "--only", "politik", "--impose", "saddle", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Load 3 sheets of A4 paper" in result.output and "flip on short edge" in result.output
    assert "thick booklet" not in result.output
    with pikepdf.open(out) as pdf:  # the print dialog's defaults say the same
        assert pdf.Root.ViewerPreferences.Duplex == "/DuplexFlipShortEdge"
        assert pdf.Root.ViewerPreferences.PrintScaling == "/None"
    bad = CliRunner().invoke(cli, ["build", "-p", str(ROOT), "--impose", "saddle", "--paper", "A4", "-o", str(out)])
    assert bad.exit_code == 2 and "A5" in bad.output  # a usage mistake


def test_a_thick_saddle_booklet_is_pointed_out(tmp_path):
    from bench.corpus import write_corpus
    write_corpus(24, tmp_path / "besar")  # 24 spreads and more: over 80 A5 pages
    result = CliRunner().invoke(cli, ["build", "-p", str(tmp_path / "besar"), "--impose", "saddle"])
    assert result.exit_code == 0, result.output
    sheets = int(re.search(r"Load (\d+) sheets", result.output).group(1))
    assert sheets > 20 and f"Note: {sheets} sheets fold into a thick booklet" in result.output


def test_saddle_default_name(mini):
    result = build(mini, only=["politik"], impose="saddle")
    assert result.path == mini / "dist" / "booklet-politik-saddle.pdf"


def test_handouts_one_per_profession(mini):
    made = handouts(mini)
    assert [h.path.relative_to(mini) for h in made] == [
        Path("dist/handouts") / p.field / f"{p.slug}.pdf" for p in (h.profile for h in made)]
    assert {h.profile.key for h in made} == {"politik/koordinator-pertemuan-politik",
                                             "politik/pengurus-partai-politik", "kesehatan/perawat"}
    for handout in made:
        assert_sound_pdf(handout.path)
        pages = pdf_pages_text(handout.path)
        assert len(pages) == handout.page_count <= 2
        text = squash(" ".join(pages))
        for sentence in sentences(handout.profile):
            assert squash(sentence) in text, sentence
        for other in made:
            if other is not handout:
                assert other.profile.title not in text
        assert "Daftar Isi" not in text and "Indeks Jurusan" not in text
        # The small header: booklet title and edition.
        assert pages[0].lstrip().startswith("Buku Mini · Edisi 1 Januari 2026")
        # Folios count the handout's own pages; a later page names the profession at its head.
        assert [folio(handout.path, n) for n in range(1, len(pages) + 1)] == [str(n) for n in range(1, len(pages) + 1)]
        for page in pages[1:]:
            assert page.lstrip().startswith(handout.profile.title.upper()), page[:80]
        with pikepdf.open(handout.path) as pdf:
            assert str(pdf.docinfo.Title).startswith(handout.profile.title)


def test_handouts_command(mini):
    result = CliRunner().invoke(cli, ["handouts", "-p", str(mini), "--only", "kesehatan"])
    assert result.exit_code == 0, result.output
    assert (mini / "dist/handouts/kesehatan/perawat.pdf").is_file()
    assert not (mini / "dist/handouts/politik").exists()
    assert result.output.splitlines()[-1] == "1 handout"


def render_page(path: Path, page: int, dpi: int = 36) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(path)],
                         check=True, capture_output=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_print_shop_pdf_has_bleed_trim_and_marks(mini, tmp_path):
    plain = build(mini, only=["kesehatan"], output=tmp_path / "plain.pdf")
    shop = build(mini, only=["kesehatan"], options=PrintOptions(bleed_mm=3, marks="crop"))
    assert shop.path.name == "booklet-kesehatan-cetak.pdf"
    check_booklet(shop)
    bleed = 3 * MM
    with pikepdf.open(shop.path) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            assert trim == pytest.approx([0, 0, 210 * MM, 297 * MM], abs=0.1)
            box = [float(v) for v in page.obj.BleedBox]
            assert box == pytest.approx([-bleed, -bleed, 210 * MM + bleed, 297 * MM + bleed], abs=0.1)
            assert [float(v) for v in page.mediabox] == pytest.approx(box, abs=0.1)
    # The cover's band reaches past the trim edge into the bleed; the plain PDF has no bleed.
    cover = render_page(shop.path, 1, dpi=72)
    band = cover.getpixel((cover.width // 2, 40))
    assert band != (255, 255, 255)
    assert cover.getpixel((cover.width // 2, 2)) == band and cover.getpixel((2, 40)) == band
    # ... and ends as far below the trim edge as in the plain PDF (the bleed is 8.5 pt at 72 dpi).
    plain_cover = render_page(plain.path, 1, dpi=72)

    def band_end(image):
        return next(y for y in range(image.height) if image.getpixel((2, y)) == (255, 255, 255))
    assert band_end(cover) - round(bleed) == pytest.approx(band_end(plain_cover), abs=1)
    # Crop marks: ink in the bleed beside the white foot of the page, none in the plain PDF.
    foot = cover.crop((0, cover.height - 10, 10, cover.height))
    assert min(min(p) for p in foot.get_flattened_data()) < 128
    assert min(min(p) for p in plain_cover.crop((0, plain_cover.height - 10, 10, plain_cover.height)).get_flattened_data()) == 255


def colour_and_tint(image: Image.Image, block: int = 8) -> tuple[int, int]:
    """The largest difference between channels of any pixel, and how many block x block
    squares are tinted all over (text never fills a square; a tinted box or band does)."""
    colour = max(max(p) - min(p) for p in image.get_flattened_data())
    gray = image.convert("L")
    squares = 0
    for top in range(0, gray.height - block, block):
        for left in range(0, gray.width - block, block):
            if gray.crop((left, top, left + block, top + block)).getextrema()[1] < 240:
                squares += 1
    return colour, squares


def test_grayscale_has_no_colour_and_no_large_tinted_areas(mini, tmp_path):
    colour_build = build(mini, output=tmp_path / "colour.pdf")
    gray = build(mini, options=PrintOptions(grayscale=True))
    assert gray.path.name == "booklet-hitam-putih.pdf"
    check_booklet(gray)
    # What the test catches: the colour booklet's band and its tinted list boxes.
    colour, squares = colour_and_tint(render_page(colour_build.path, 1))
    assert colour > 40 and squares > 100
    spread = [colour_and_tint(render_page(colour_build.path, page))[1] for page in (4, 5)]
    assert sum(spread) > 10
    for page in range(1, gray.page_count + 1):
        colour, squares = colour_and_tint(render_page(gray.path, page))
        assert colour <= 3 and squares == 0, page


def struct_elements(pdf: pikepdf.Pdf):
    """(role, page number) of every structure element, in document order."""
    index_of = {p.objgen: n for n, p in enumerate(pdf.pages, start=1)}

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                yield from walk(child)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            page = node.get("/Pg")
            yield str(node.S), index_of.get(page.objgen) if page is not None else None
            if "/K" in node:
                yield from walk(node.K)

    yield from walk(pdf.Root.StructTreeRoot.K)


def xmp(pdf: pikepdf.Pdf) -> str:
    return str(pdf.Root.Metadata.read_bytes(), "utf-8")


def artifacts_unless_reachable(pdf) -> int:
    """Check every marked content's structure element is reachable from the tree's root; count
    the artifacts."""
    reachable, stack = set(), [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack += list(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in reachable:
            reachable.add(node.objgen)
            stack.append(node.get("/K"))
    parent_tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
    artifacts = 0
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) != "BDC":
                continue
            if operands[0] == pikepdf.Name.Artifact:
                artifacts += 1
            elif "/MCID" in operands[1]:
                owner = parent_tree[int(page.obj.StructParents)][int(operands[1].MCID)]
                assert owner.objgen in reachable
    return artifacts


def test_accessible_handouts_pdf_ua(mini):
    made = handouts(mini, options=PrintOptions(pdf_variant="pdf/ua-1"))
    for handout in made:
        with pikepdf.open(handout.path) as pdf:
            assert artifacts_unless_reachable(pdf) >= 1  # its header and folios


def test_accessible_pdf_ua(mini):
    result = build(mini, options=PrintOptions(pdf_variant="pdf/ua-1"))
    assert result.path.name == "booklet-ua-1.pdf"
    starts = check_booklet(result)
    info = subprocess.run(["pdfinfo", str(result.path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE)
    with pikepdf.open(result.path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "id"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert 'pdfuaid:part="1"' in xmp(pdf) and "Buku Mini" in xmp(pdf)
        elements = list(struct_elements(pdf))
        headings = [page for role, page in elements if role == "/H1"]
        # Headings in reading order, one on each profession's first page.
        assert headings == sorted(headings)
        assert set(starts.values()) <= set(headings)
        assert {"/H2", "/P", "/L"} <= {role for role, _ in elements} | {"/L"}
        assert not any(role == "/Figure" for role, _ in elements)  # no images, so no alt text owed
        # Every piece of marked content is reachable from the structure tree, or an artifact:
        # WeasyPrint left the margin boxes' elements unlinked (running heads, folios).
        assert artifacts_unless_reachable(pdf) >= 2 * (len(pdf.pages) - 2)  # a running head and a folio but on the covers
        # Every list item is a label and a body, or a body alone (no bullet): not a bare span.
        items = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/LI"]
        assert len(items) > 20
        for item in items:
            assert [str(k.S) for k in item.K] in (["/Lbl", "/LBody"], ["/LBody"])
            assert all(k.P.objgen == item.objgen for k in item.K)


@pytest.mark.parametrize("variant, part, conformance", [("pdf/a-3u", "3", "U"), ("pdf/a-1b", "1", "B")])
def test_archival_pdf_a(mini, variant, part, conformance):
    result = build(mini, options=PrintOptions(pdf_variant=variant))
    check_booklet(result)
    raw = result.path.read_bytes()
    with pikepdf.open(result.path) as pdf:
        meta = xmp(pdf)
        assert f'pdfaid:part="{part}"' in meta and f'pdfaid:conformance="{conformance}"' in meta
        assert "/OutputIntents" in pdf.Root
        assert str(pdf.Root.Lang) == "id"
        if part == "1":
            assert pdf.pdf_version == "1.4"
            # PDF/A-1 allows no transparency groups and no object streams.
            assert not any(isinstance(o, pikepdf.Dictionary) and "/Group" in o for o in pdf.objects)
            assert b"/ObjStm" not in raw
