"""The fast build (parts, workers, cache) gives the booklet the single pass gives."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from collections import Counter

import pytest

from booklet import build

from .conftest import MINI, ROOT, link_targets, outline, pdf_pages_text, squash
from .test_build import check_booklet


def page_words(path):
    return [Counter(squash(text).split()) for text in pdf_pages_text(path)]


def assert_same_booklet(fast, slow):
    assert fast.page_count == slow.page_count
    assert fast.page_of == slow.page_of
    assert page_words(fast.path) == page_words(slow.path)
    # The single pass splits some links into more rectangles; where they go is the same.
    assert set(link_targets(fast.path)) == set(link_targets(slow.path))
    assert outline(fast.path) == outline(slow.path)


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    """The sample booklet folder, without anything a previous build cached."""
    target = tmp_path_factory.mktemp("sample") / "booklet"
    shutil.copytree(ROOT / "source", target / "source")
    shutil.copy(ROOT / "booklet.yaml", target / "booklet.yaml")
    return target


def test_fast_build_equals_single_pass_on_the_sample(sample_copy, tmp_path):
    slow = build(sample_copy, single_pass=True, output=tmp_path / "slow.pdf")
    fast = build(sample_copy, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    check_booklet(slow)
    check_booklet(fast)
    assert_same_booklet(fast, slow)


@pytest.mark.parametrize("paper", ["A5", "F4"])
def test_fast_build_equals_single_pass_on_other_papers(mini, tmp_path, paper):
    slow = build(mini, paper=paper, single_pass=True, output=tmp_path / "slow.pdf")
    fast = build(mini, paper=paper, jobs=1, output=tmp_path / "fast.pdf")
    assert_same_booklet(fast, slow)


def test_fonts_are_shared_not_repeated(sample_copy, tmp_path):
    import pikepdf
    fast = build(sample_copy, cache=False, output=tmp_path / "fast.pdf")
    slow = build(sample_copy, single_pass=True, output=tmp_path / "slow.pdf")
    with pikepdf.open(fast.path) as pdf:
        faces = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]
        assert len({str(f.BaseFont) for f in faces}) == len(faces)  # one font object per face
    assert fast.path.stat().st_size <= 1.3 * slow.path.stat().st_size


def _as_cff(source: Path, target: Path) -> None:
    """An OpenType font with CFF outlines (.otf) drawn from a TrueType one."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.ttLib import TTFont
    font = TTFont(source)
    glyphs, order = font.getGlyphSet(), font.getGlyphOrder()
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    builder = FontBuilder(font["head"].unitsPerEm, isTTF=False)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(font.getBestCmap())
    family = "Uji " + target.stem
    builder.setupCFF(family.replace(" ", ""), {"FullName": family}, charstrings, {})
    builder.setupHorizontalMetrics({name: font["hmtx"][name] for name in order})
    builder.setupHorizontalHeader(ascent=font["hhea"].ascent, descent=font["hhea"].descent)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    os2 = font["OS/2"]
    builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender, usWinAscent=os2.usWinAscent,
                     usWinDescent=os2.usWinDescent, sTypoLineGap=os2.sTypoLineGap)
    builder.setupPost()
    for tag in ("GSUB", "GPOS", "GDEF"):
        if tag in font:
            builder.font[tag] = font[tag]
    builder.save(target)


def test_cff_fonts_are_shared_too(mini, tmp_path):
    """A layout set in .otf (CFF) fonts: one font per face in the fast build too (the parts'
    own cuts made it five times the single pass's size)."""
    import pikepdf
    (mini / "fonts").mkdir()
    (mini / "layouts").mkdir()
    css = (ROOT / "layouts" / "fonts.css").read_text(encoding="utf-8")
    for path in sorted((ROOT / "fonts").glob("Noto*.ttf")):
        _as_cff(path, mini / "fonts" / (path.stem + ".otf"))
        css = css.replace(path.name, path.stem + ".otf")
    (mini / "layouts" / "fonts.css").write_text(css, encoding="utf-8")
    fast = build(mini, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    slow = build(mini, single_pass=True, output=tmp_path / "slow.pdf")
    assert_same_booklet(fast, slow)
    with pikepdf.open(fast.path) as pdf:
        files = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/OpenType"]
        faces = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]
        assert len(files) == len({str(f.BaseFont) for f in faces}) == len(faces)
    assert fast.path.stat().st_size <= 1.2 * slow.path.stat().st_size


def cache_entries(folder):
    return {p.name: p.read_bytes() for p in (folder / ".booklet-cache" / "parts").glob("*.part")}


def test_cache_reuses_parts_and_renders_only_what_changed(mini, tmp_path):
    # Profiles last edited long ago: the edit below moves the booklet's source date (its
    # metadata and, unless booklet.yaml names one, its edition), as a counselor's first edit
    # of a day does. That must not render the other professions again.
    for profile in (mini / "source").rglob("*.txt"):
        os.utime(profile, (1_600_000_000, 1_600_000_000))
    first = build(mini)
    before = cache_entries(mini)
    assert before
    again = build(mini)
    assert again.path.read_bytes() == first.path.read_bytes()
    assert cache_entries(mini) == before  # nothing rendered, nothing added

    perawat = mini / "source" / "kesehatan" / "perawat.txt"
    perawat.write_text(perawat.read_text(encoding="utf-8").replace(
        "Perawat merawat pasien", "Perawat, tenaga kesehatan terlatih, merawat pasien", 1), encoding="utf-8")
    edited = build(mini)
    check_booklet(edited)
    added = set(cache_entries(mini)) - set(before)
    # The edited profession, the front matter and index if numbers moved, the whole booklet
    # and its finished form: never the other professions.
    assert 1 <= len(added) <= 5
    rendered_anchors = set()
    for name in added:
        meta = json.loads((mini / ".booklet-cache" / "parts" / name).read_bytes().partition(b"\n")[0])
        rendered_anchors |= set(meta.get("anchors", {})) if "finished" not in meta else set()
    assert "p-kesehatan-perawat" in rendered_anchors
    assert not {a for a in rendered_anchors if a.startswith("p-") and a != "p-kesehatan-perawat"}
    assert "terlatih" in squash(" ".join(pdf_pages_text(edited.path)))
    assert_same_booklet(edited, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def test_corrupt_cache_entries_are_rendered_again(mini, tmp_path):
    build(mini)
    for entry in (mini / ".booklet-cache" / "parts").glob("*.part"):
        data = entry.read_bytes()
        # Truncated, or the same length with changed bytes: both must be caught.
        entry.write_bytes(data[: len(data) // 2] if len(data) % 2 else data[:-10] + b"0123456789")
    rebuilt = build(mini)
    check_booklet(rebuilt)
    assert_same_booklet(rebuilt, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def test_only_the_pdf_waits_for_the_disk(mini, monkeypatch):
    # The cache and the hints are checked when read back, so a crash costs a render, never a
    # wrong booklet; syncing each of them held a build up on a slow disk.
    synced = []
    original = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), original(fd)))
    result = build(mini)
    assert len(list((mini / ".booklet-cache" / "parts").glob("*.part"))) > len(result.booklet.profiles)
    assert len(synced) == 1 and Path(synced[0]).name.startswith(f".{result.path.name}.")


def test_a_layout_change_renders_everything_again(mini):
    before = build(mini).path.read_bytes()
    (mini / "layouts").mkdir()
    (mini / "layouts" / "type.css").write_text(
        (ROOT / "layouts" / "type.css").read_text(encoding="utf-8") + "\nh1 { color: #553311; }\n", encoding="utf-8")
    second = build(mini)
    check_booklet(second)
    assert second.path.read_bytes() != before


def test_a_wrong_guess_from_the_last_build_is_corrected(mini, tmp_path):
    build(mini)  # leaves the lengths it measured as the next build's guess
    perawat = mini / "source" / "kesehatan" / "perawat.txt"
    text = perawat.read_text(encoding="utf-8")
    first = text.split("\n")[4]
    # Now three spreads, not one: every page number after it moves, and the guess is wrong.
    perawat.write_text(text.replace(first, "\n\n".join([first] * 40), 1), encoding="utf-8")
    grown = build(mini)
    check_booklet(grown)
    assert grown.page_of["index"] > 10
    assert_same_booklet(grown, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def test_a_long_profession_on_a_cold_build_moves_the_numbers(mini, tmp_path):
    # With nothing measured before, the contents and index are rendered on the guess that each
    # profession takes one spread; a longer one proves the guess wrong and they are redone.
    perawat = mini / "source" / "kesehatan" / "perawat.txt"
    text = perawat.read_text(encoding="utf-8")
    first = text.split("\n")[4]
    perawat.write_text(text.replace(first, "\n\n".join([first] * 40), 1), encoding="utf-8")
    fast = build(mini, cache=False, jobs=2, output=tmp_path / "fast.pdf")
    check_booklet(fast)
    assert fast.page_of["index"] > 10
    assert_same_booklet(fast, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def _folio_model(folder, digits=3):
    from booklet.api import load, prepare
    from booklet.layout import render_folios_html
    from booklet.parts import _render, folio_specimens, learn_folios
    numbers = folio_specimens(digits)
    specimen = _render(render_folios_html(prepare(load(folder)), folder, 1, 0, numbers=numbers), folder)[0]
    return learn_folios(specimen, numbers)


def test_folios_are_drawn_from_a_few_specimen_pages(mini):
    # The built-in layout's folios are a run of digit glyphs: the fast build draws them from the
    # specimens instead of rendering a page per folio (the equivalence tests check the result).
    model = _folio_model(mini)
    assert model is not None
    assert sorted(model.glyph_of) == list("0123456789")
    assert {kind for kind in model.page_of} == {(d, odd) for d in (1, 2, 3) for odd in (0, 1)}
    assert model.covers(999) and not model.covers(1000)


def test_folios_the_model_cannot_draw_are_rendered_page_by_page(mini, tmp_path):
    # A layout whose folios are more than the number is not guessed at: its folio pages are
    # rendered, and the booklet is still the single pass's.
    (mini / "layouts").mkdir()
    # Its first page is styled apart too: each chunk of folio pages must not start on a :first page.
    (mini / "layouts" / "page.css").write_text(
        (ROOT / "layouts" / "page.css").read_text(encoding="utf-8").replace(
            "content: counter(page);", 'content: "Hal. " counter(page, lower-roman);')
        + "\n@page :first { @bottom-right { content: none; } }\n", encoding="utf-8")
    assert _folio_model(mini) is None
    fast = build(mini, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    slow = build(mini, single_pass=True, output=tmp_path / "slow.pdf")
    assert_same_booklet(fast, slow)
    assert "Hal. xi" in pdf_pages_text(fast.path)[10]  # page 11: the index, before the back cover


@pytest.mark.parametrize("wrong", [(5, 3), (3, 5), (1, 1)])
def test_a_wrong_guess_of_the_front_matter_on_a_cold_build_is_corrected(mini, tmp_path, monkeypatch, wrong):
    # A cold build renders the contents at once on a guess of the front matter's length (see
    # guess_front); another layout or long titles make it wrong, and the contents are redone.
    import booklet.parts
    monkeypatch.setattr(booklet.parts, "guess_front", lambda booklet: wrong)
    fast = build(mini, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    check_booklet(fast)
    assert_same_booklet(fast, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def test_a_first_page_styled_apart_does_not_stop_the_folio_model(mini, tmp_path):
    # The specimens' first page is a :first page; the booklet's (the cover) has no folio anyway.
    (mini / "layouts").mkdir()
    (mini / "layouts" / "page.css").write_text(
        (ROOT / "layouts" / "page.css").read_text(encoding="utf-8")
        + "\n@page :first { @bottom-right { content: none; } }\n", encoding="utf-8")
    assert _folio_model(mini) is not None
    fast = build(mini, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    check_booklet(fast)
    assert_same_booklet(fast, build(mini, single_pass=True, output=tmp_path / "slow.pdf"))


def test_completeness_gate_guards_the_assembly(mini, tmp_path, monkeypatch):
    """A part that lost a page (as WeasyPrint has dropped pages before) stops the fast build with
    a sentence, and the PDF is not written: the gate runs on the assembled booklet too."""
    from booklet import BookletError
    from booklet import parts

    extract = parts._extract

    def lose_a_page(pdf, first, stop, *args):
        part = extract(pdf, first, stop, *args)
        if "p-kesehatan-perawat" in part.anchors and part.pages > 1:
            return extract(pdf, first, stop - 1, *args)
        return part

    monkeypatch.setattr(parts, "_extract", lose_a_page)  # the workers fork after this
    with pytest.raises(BookletError, match="whole spread"):
        build(mini, jobs=1, cache=False, output=tmp_path / "fast.pdf")
    assert not (tmp_path / "fast.pdf").exists()


def test_parts_cached_without_font_maps_are_read_from_their_pdf(mini, tmp_path):
    """The assembly merges fonts from what the workers read of each part; a part cached without
    that (by an older booklet) has its fonts read from its PDF, to the same bytes."""
    import json
    build(mini, jobs=1, output=tmp_path / "first.pdf")
    stripped = 0
    for entry in (mini / ".booklet-cache" / "parts").glob("*.part"):
        header, _, data = entry.read_bytes().partition(b"\n")
        meta = json.loads(header)
        if meta.pop("font_maps", None):
            entry.write_bytes(json.dumps(meta).encode() + b"\n" + data)
            stripped += 1
    assert stripped
    # Another profile, so the booklet is assembled again, mostly from the stripped parts.
    donor = mini / "source" / "kesehatan" / "perawat.txt"
    (donor.parent / "perawat-gigi.txt").write_text(
        donor.read_text(encoding="utf-8").replace("Perawat", "Perawat Gigi", 1), encoding="utf-8")
    mixed = build(mini, jobs=1, output=tmp_path / "mixed.pdf")
    fresh = build(mini, jobs=1, cache=False, output=tmp_path / "fresh.pdf")
    assert mixed.page_count == fresh.page_count
    assert mixed.path.read_bytes() == fresh.path.read_bytes()


def test_a_rebuild_with_nothing_changed_starts_no_render_worker(mini, tmp_path, monkeypatch):
    """Render workers are started before the booklet is read, except when no input changed since
    the last build of the same selection: its PDF is cached, and loading WeasyPrint twice would
    only slow the rebuild. The hint is never trusted for the PDF itself."""
    import os
    from booklet import limits
    started = []
    workers = limits.Workers

    class CountedWorkers(workers):
        def __init__(self, count):
            started.append(count)
            super().__init__(count)

    monkeypatch.setattr(limits, "Workers", CountedWorkers)
    first = build(mini, jobs=2, output=tmp_path / "first.pdf")
    assert started == [2]
    again = build(mini, jobs=2, output=tmp_path / "again.pdf")
    assert started == [2]  # nothing started: the booklet came from the cache
    assert again.path.read_bytes() == first.path.read_bytes()
    build(mini, jobs=2, paper="A5", output=tmp_path / "a5.pdf")  # another selection: not cached
    assert started == [2, 2]
    # The hint says unchanged, but the cache is gone: workers start late, the PDF is the same.
    shutil.rmtree(mini / ".booklet-cache" / "parts")
    late = build(mini, jobs=2, output=tmp_path / "late.pdf")
    assert started == [2, 2, 2]
    assert late.path.read_bytes() == first.path.read_bytes()
    # Before the booklet is read: nothing to start while unchanged; an edit starts them.
    from booklet.api import start_early
    start_early(mini, jobs=2)
    assert started == [2, 2, 2] and not limits._started
    profile = mini / "source" / "kesehatan" / "perawat.txt"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nKalimat tambahan.", encoding="utf-8")
    os.utime(profile, ns=(profile.stat().st_atime_ns, profile.stat().st_mtime_ns + 10**9))
    start_early(mini, jobs=2)
    assert started == [2, 2, 2, 2]
    build(mini, jobs=2, output=tmp_path / "edited.pdf")  # and the build uses them
    assert started == [2, 2, 2, 2] and not limits._started


@pytest.mark.parametrize("count", [1, 2, 7, 25, 300])
def test_batches_keep_order_and_end_small(count):
    from booklet.parts import MAX_BATCH, _batches
    batches = _batches(list(range(count)), 2)
    assert [p for batch in batches for p in batch] == list(range(count))
    assert all(1 <= len(batch) <= MAX_BATCH for batch in batches)
    # The cores finish together: the last batches are small.
    assert all(len(batch) <= 2 for batch in batches[-min(count, 4):])


def test_a_cover_that_runs_onto_a_second_page_gets_no_folio(mini, tmp_path):
    """The pages of the cover show no folio in the single pass; the folio layer stamped one on
    every page but the first and the last."""
    (mini / "layouts").mkdir()
    (mini / "layouts" / "cover.css").write_text((ROOT / "layouts" / "cover.css").read_text(encoding="utf-8")
                                                + "\n.cover-band { height: 250mm !important; }\n", encoding="utf-8")
    fast = build(mini, jobs=2, cache=False, output=tmp_path / "fast.pdf")
    slow = build(mini, single_pass=True, output=tmp_path / "slow.pdf")
    assert "Politik" in pdf_pages_text(slow.path)[1]  # the fields, on the cover's second page
    assert_same_booklet(fast, slow)
    assert pdf_pages_text(fast.path)[1] == pdf_pages_text(slow.path)[1]


@pytest.mark.parametrize("count, name", [(13, "bidang-{}"), (18, "bidang-ilmu-terapan-dan-teknologi-{}"),
                                         (30, "bidang-ilmu-terapan-dan-teknologi-{}")])
def test_many_fields_keep_the_cover_one_page(tmp_path, count, name):
    folder = tmp_path / "buku"
    perawat = (MINI / "source" / "kesehatan" / "perawat.txt").read_text(encoding="utf-8")
    for number in range(1, count + 1):
        (folder / "source" / name.format(number)).mkdir(parents=True)
        (folder / "source" / name.format(number) / f"perawat-{number}.txt").write_text(
            perawat.replace("Perawat", f"Perawat Nomor {number}", 1).replace("sebagai Perawat?", f"sebagai Perawat Nomor {number}?"),
            encoding="utf-8")
    (folder / "booklet.yaml").write_text("title: Buku Uji\nsubtitle: Panduan memilih jurusan dan karier\npaper: A5\n",
                                         encoding="utf-8")
    result = build(folder)
    assert result.page_of["contents"] == 3  # cover, how-to, contents
    cover = pdf_pages_text(result.path)[0]
    if count > 24:  # more than a cover holds: how many, and the contents list them
        assert f"{count} bidang" in cover
    else:
        assert all(field.title in squash(cover) for field in result.booklet.fields)
