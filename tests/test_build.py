"""The built PDF, read back: page numbers, links, bookmarks, text, fonts, paper."""
from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from booklet import build, load
from booklet.errors import BookletError

from .conftest import assert_sound_pdf, link_targets, links_with_text, outline, pdf_columns_text, pdf_pages_text, squash


def sentences(profile):
    """Every sentence and list item of a profile, as a reader should find it in the PDF."""
    for paragraph in (*profile.overview, *profile.fit, *profile.reality):
        yield from (s.strip() for s in re.split(r"(?<=[.!?])\s+", paragraph) if s.strip())
    yield from profile.majors
    yield from profile.employers


def printed_contents(pages_text, booklet):
    """The page number printed after each profession's title in the contents."""
    contents = squash(" ".join(t for t in pages_text[1:6] if "Daftar Isi" in t))
    found = {}
    for profile in booklet.profiles:
        match = re.search(r"(\d+) " + re.escape(profile.title), contents)
        found[profile.key] = int(match.group(1)) if match else None
    return found


def check_booklet(result):
    """Everything a correct booklet shows, checked on the PDF itself."""
    assert result.warnings == ()
    pages = pdf_pages_text(result.path)
    assert len(pages) == result.page_count
    booklet = result.booklet
    actual_start = {}
    for profile in booklet.profiles:
        # The physical page where the profession's title first appears as a heading.
        actual_start[profile.key] = next(n for n, text in enumerate(pages, start=1)
                                         if n > 3 and profile.title in text and "Profil Profesi" in text)
    assert printed_contents(pages, booklet) == actual_start
    assert all(page % 2 == 0 for page in actual_start.values())
    for number, text in enumerate(pages, start=1):
        if 1 < number < len(pages) and text.strip():
            # Every page but the covers carries its physical page number as a folio.
            assert str(number) in text.split(), number
    # The covers show no folio (the cover's last line would be "1").
    assert pages[0].split("\n")[-1].strip() != "1" and [l for l in pages[0].splitlines() if l.strip()][-1] != "1"
    assert str(len(pages)) not in pages[-1].split()
    # The back cover is last, on a left page, and says what the booklet is.
    assert len(pages) % 2 == 0
    assert booklet.config.title in pages[-1] and f"{len(booklet.profiles)} profil profesi" in pages[-1]

    index_start = next(n for n, t in enumerate(pages, start=1) if "Indeks Jurusan" in t and n > 3
                       and "Setiap jurusan" in t)
    index_text = "\n".join(pdf_columns_text(result.path, n) for n in range(index_start, len(pages)))
    index_text = re.sub(r"[ \t]+", " ", index_text)
    for major in booklet.majors:
        match = re.search(r"^ *" + re.escape(major.name) + r"\s+(\d+(?: ?, ?\d+)*) *$", index_text, re.MULTILINE)
        assert match, major.name
        printed = [int(n) for n in match.group(1).split(",")]
        assert printed == sorted({actual_start[p.key] for p in major.profiles}), major.name

    whole = squash(" ".join(pages))
    for profile in booklet.profiles:
        for sentence in sentences(profile):
            assert squash(sentence) in whole, (profile.key, sentence)

    targets = set(link_targets(result.path))
    for profile in booklet.profiles:
        # The contents link (on page 3 or later front pages) lands on the profession.
        assert any(src < actual_start[booklet.profiles[0].key] and dst == actual_start[profile.key]
                   for src, dst in targets), profile.key
    # One link per contents entry and per page number in the index. (WeasyPrint gives each box
    # inside a link an annotation of its own; the structure of a tagged PDF refers to all of them.)
    with pikepdf.open(result.path) as pdf:
        tagged = "/StructTreeRoot" in pdf.Root
    front_links = [(src, dst) for src, dst in link_targets(result.path) if src < actual_start[booklet.profiles[0].key]]
    index_links = links_with_text(result.path, index_start, len(pages))
    if not tagged:
        assert len(front_links) == len(booklet.profiles) + 1
        assert len(index_links) == sum(len(major.profiles) for major in booklet.majors)
    # Each index link is on its number and lands on that page.
    for src, dst, text in index_links:
        assert text.rstrip(",") == str(dst) and dst in actual_start.values(), (src, dst, text)

    marks = outline(result.path)
    titles = {title: page for _, title, page in marks}
    for field in booklet.fields:
        assert titles[field.title] == actual_start[field.profiles[0].key]
        for profile in field.profiles:
            assert (2, profile.title, actual_start[profile.key]) in marks
    assert titles["Daftar Isi"] == 3
    assert titles["Indeks Jurusan"] == index_start
    # Nothing but those: no heading inside a page (WeasyPrint bookmarks every h2 by default).
    assert [(title, page) for depth, title, page in marks if depth == 2] == \
        [(profile.title, actual_start[profile.key]) for profile in booklet.profiles]
    assert [title for depth, title, _ in marks if depth == 1][1:] == \
        ["Daftar Isi", *(field.title for field in booklet.fields), "Indeks Jurusan"]
    assert {depth for depth, _, _ in marks} == {1, 2}
    assert_sound_pdf(result.path)
    return actual_start


def test_mini_booklet_is_correct(mini_build):
    starts = check_booklet(mini_build)
    assert starts == {"politik/koordinator-pertemuan-politik": 4, "politik/pengurus-partai-politik": 6,
                      "kesehatan/perawat": 8}
    pages = pdf_pages_text(mini_build.path)
    # Perawat fits one page: the page after it is a deliberate notes page, then the index,
    # a notes page, and the back cover on a left page.
    assert "Catatan" in pages[8] and "Catatan" in pages[10] and mini_build.page_count == 12


def test_sample_booklet_is_correct(sample_build):
    check_booklet(sample_build)
    assert len(sample_build.booklet.profiles) >= 2


def test_fonts_are_ours_and_embedded(mini_build):
    out = subprocess.run(["pdffonts", str(mini_build.path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Booklet-" in row.split()[0]


def test_metadata(mini_build):
    with pikepdf.open(mini_build.path) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "Buku Mini"
        assert str(info["/Author"]) == "SMA Contoh"
        assert str(info["/Subject"]) == "Contoh kecil untuk pengujian"
        assert str(pdf.Root.Lang) == "id"
        assert pdf.Root.PageLayout == "/TwoPageRight"
    assert subprocess.run(["qpdf", "--check", str(mini_build.path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("paper, size", [("A4", (595, 842)), ("A5", (420, 595)), ("F4", (609, 935))])
def test_paper_sizes(mini, paper, size):
    result = build(mini, paper=paper, only=["kesehatan"])
    with pikepdf.open(result.path) as pdf:
        box = [round(float(v)) for v in pdf.pages[0].mediabox]
        assert (box[2] - box[0], box[3] - box[1]) == size
    assert result.warnings == ()
    check_booklet(result)


def test_subset_has_its_own_contents_and_index(mini):
    result = build(mini, only=["politik"])
    assert result.path.name == "booklet-politik.pdf"
    check_booklet(result)
    text = squash(" ".join(pdf_pages_text(result.path)))
    assert "Perawat" not in text and "Ilmu Keperawatan" not in text
    assert [p.field for p in result.booklet.profiles] == ["politik", "politik"]


def test_failed_build_keeps_the_previous_pdf(mini):
    first = build(mini)
    before = first.path.read_bytes()
    (mini / "layouts").mkdir()
    (mini / "layouts" / "type.css").write_text('@import url("file:///etc/passwd");', encoding="utf-8")
    with pytest.raises(BookletError):
        build(mini)
    assert first.path.read_bytes() == before
    assert [p.name for p in first.path.parent.iterdir()] == ["booklet.pdf"]


def test_layout_override_is_used(mini):
    (mini / "layouts").mkdir()
    (mini / "layouts" / "contents.html.j2").write_text(
        '<nav class="contents" id="daftar-isi"><h1 class="contents-title">Isi Buku Kami</h1></nav>', encoding="utf-8")
    result = build(mini, only=["perawat"])
    assert "Isi Buku Kami" in pdf_pages_text(result.path)[2]


def test_errors_stop_the_build(mini):
    (mini / "source" / "politik" / "rusak.txt").write_bytes(b"Judul\n\nTeks tanpa judul bagian.\n")
    with pytest.raises(BookletError) as caught:
        load(mini)
    assert caught.value.path.name == "rusak.txt"


@pytest.mark.parametrize("single_pass", [False, True])
def test_web_and_mail_addresses_print_whole_and_link_out(mini, single_pass):
    # A hyphen added where an address breaks would be typed or copied with it.
    url = "https://www.kemenkumham.go.id/layanan-publik/pengangkatan-notaris-dan-persyaratan-lengkap"
    mail = "pengaduan-masyarakat-kementerian@kemenkumham.go.id"
    profile = mini / "source" / "kesehatan" / "perawat.txt"
    text = profile.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if len(line) > 150)
    long_sentences = " ".join([first] * 3)
    text = text.replace(first, f"{long_sentences} Syaratnya ada di {url} dan pertanyaan dikirim ke {mail}, "
                                f"juga {long_sentences} Lihat {url} atau tulis ke {mail}.", 1)
    profile.write_text(text, encoding="utf-8")
    result = build(mini, cache=False, single_pass=single_pass)
    assert result.warnings == ()
    # Broken over lines, but nowhere with a hyphenation mark: the text without its line ends
    # holds each address exactly as written (-layout: pdftotext otherwise drops a hyphen that
    # ends a line, the address's own).
    layout_text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(result.path), "-"],
                                 check=True, capture_output=True, text=True).stdout
    printed = re.sub(r"\s+", "", layout_text)
    assert printed.count(url) == 2 and printed.count(mail) == 2
    with pikepdf.open(result.path) as pdf:
        targets = {str(annot.A.URI) for page in pdf.pages for annot in page.obj.get("/Annots", [])
                   if "/A" in annot and "/URI" in annot.A}
    assert targets == {url, "mailto:" + mail}


@pytest.fixture(scope="module")
def forty(tmp_path_factory):
    from bench.corpus import write_corpus
    folder = tmp_path_factory.mktemp("forty") / "booklet"
    write_corpus(40, folder)
    return folder


@pytest.mark.parametrize("paper", ["A4", "A5", "F4"])
def test_the_index_reads_in_order_on_every_paper(forty, paper):
    # Columns are filled by an estimate of each entry's lines; one that runs past its page sends
    # the rest of its column to the next page, after the next column's entries: out of order.
    result = build(forty, paper=paper, output=forty / "dist" / f"{paper}.pdf")
    pages = pdf_pages_text(result.path)
    start = next(n for n, t in enumerate(pages, start=1) if "Indeks Jurusan" in t and "Setiap jurusan" in t)
    text = "\n".join(pdf_columns_text(result.path, n) for n in range(start, len(pages)))
    position = 0
    for major in result.booklet.majors:
        found = re.compile(r"\s+".join(map(re.escape, major.name.split())) + r"\s+\d").search(text, position)
        assert found, f"{major.name} is not after the major before it"
        position = found.end()
