"""The fast build: render a booklet as independent parts, in parallel and cached, then assemble.

A part is the front matter (cover, how-to, contents), one profession, or the index with the back
cover. Professions do not depend on the page they land on: every one starts on a left page, and
folios are left out and stamped on afterwards from a separate folio layer. So a profession is
rendered once and reused until its own text, the layouts, the fonts or the options change. The
contents and index carry literal page numbers and are rendered last, once those are known.
The result is the same PDF the single pass makes: same pages, text, links and bookmarks.
"""
from __future__ import annotations

import dataclasses
import hashlib
import heapq
import io
import itertools
import json
import os
from importlib import metadata
import re
import threading
import warnings as warnings_module
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from . import __version__
from .errors import BookletError, cannot_read
from .hyphenation import DICTIONARY as HYPHENATION
from .limits import deferred_interrupt, ready_workers, started_workers
from .layout import PartLayout, layout_dirs, render_folios_html, render_html
from .model import Booklet, PrintOptions, Rendered
from .output import write_atomically
from .folio_css import UNNUMBERED_PAGES
from .paths import LABELS, builtin, font_files

FOLIO_CHUNK = 64  # folio pages rendered (and cached) together
DUMMY_PAGE = 888  # stands in for page numbers in the front matter's shape (a cache key)


@dataclass(frozen=True)
class RenderedPart:
    """A part's pages and what a merge needs to rebuild: anchors, destinations, bookmarks."""

    pdf: bytes
    pages: int
    anchors: dict  # anchor -> 0-based page in the part
    destinations: dict  # anchor -> [page index, view, *numbers] as WeasyPrint wrote it
    outline: tuple  # (level, title, [page index, view, *numbers])
    fonts: dict  # PDF font name -> sha256 of its font file
    warnings: tuple[str, ...] = ()
    # PDF font name -> {"widths": {glyph id: width}, "text": {code: text}} of its cut, read in the
    # worker so the assembly need not parse every part's font again (keys are strings, for JSON)
    font_maps: dict = dataclasses.field(default_factory=dict)
    unnumbered: tuple[int, ...] = ()  # pages (0-based, in the part) of a cover: no folio stamped

    @property
    def glyphs(self) -> dict[str, list[int]]:
        """PDF font name -> the glyph ids its cut holds."""
        return {name: sorted(int(gid) for gid in maps["widths"]) for name, maps in self.font_maps.items()}


# ---------------------------------------------------------------- rendering (in workers)

def _render(html: str, root: Path, keep: tuple[int, int] | None = None, splits: tuple[str, ...] = ()):
    """Render one part document; return its kept pages, split at the given anchors."""
    from .render import render_pdf  # WeasyPrint loads only where something is rendered
    rendered = render_pdf(html, root)
    end = rendered.anchor_pages.get("part-end", rendered.page_count + 1) - 1
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        destinations = _destinations(pdf)
        outline = _flat_outline(pdf)
        font_maps = _font_maps(pdf, rendered.fonts)
        # A part's outline is nested within the part only; keep each bookmark's own level so the
        # whole booklet's outline can be nested again (a profession under its field).
        if len(outline) == len(rendered.bookmark_levels):
            outline = [(level, title, dest) for level, (_, title, dest) in zip(rendered.bookmark_levels, outline)]
        if not splits:
            last = rendered.anchor_pages.get("sampul-belakang", end)
            return [_extract(pdf, 0, min(end, last), destinations, outline, rendered, font_maps)]
        starts = [_anchor_page(rendered.anchor_pages, a, root) - 1 for a in splits] + [end]
        return [_extract(pdf, a, b, destinations, outline, rendered, font_maps) for a, b in zip(starts, starts[1:])]


def _anchor_page(anchors: dict, anchor: str, root: Path, base: int = 0) -> int:
    """The page an element the assembly needs was laid out on: a profession's start, the
    contents. A layout that hides one (display: none) cannot be assembled: say so."""
    if anchor not in anchors:
        raise BookletError(Path(root) / "layouts", None, f"the layout leaves out the element with id \"{anchor}\" (display: none, or a template without it); booklet needs it to number and link the pages.")
    return anchors[anchor] + base


def _font_maps(pdf: pikepdf.Pdf, fonts: dict) -> dict[str, dict]:
    """Per font, the widths and text of the glyphs its cut in this document holds, as
    _share_fonts would read them from the assembled booklet: so the workers can make the
    booklet's subsets, and the assembly merge fonts without parsing them again. A font this code
    cannot read is left out, and the assembly reads (or keeps) it itself."""
    maps: dict[str, dict] = {}
    unread = set()
    for name, font in _type0_fonts(pdf):
        name = name.lstrip("/")
        if name in fonts and name not in unread:
            try:
                widths = {str(gid): _number(width) for gid, width in _widths(font.DescendantFonts[0].get("/W")).items()}
                text = _bfchars(font.ToUnicode.read_bytes())
            except (ValueError, IndexError, KeyError, AttributeError):
                unread.add(name)  # no maps of this font at all, rather than some of its cuts'
                maps.pop(name, None)
                continue
            found = maps.setdefault(name, {"widths": {}, "text": {}})
            found["widths"].update(widths)
            found["text"].update(text)
    return maps


def _number(value) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


def _type0_fonts(pdf: pikepdf.Pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0" and "/ToUnicode" in obj:
            yield str(obj.BaseFont), obj


def _extract(pdf, first: int, stop: int, destinations, outline, rendered, font_maps) -> RenderedPart:
    out = pikepdf.new()
    for index in range(first, stop):
        out.pages.append(pdf.pages[index])
    # The document's own metadata goes with every part; the assembly keeps the first part's.
    out.docinfo = out.copy_foreign(pdf.docinfo)
    for key in ("/Lang", "/Metadata", "/MarkInfo"):
        if key in pdf.Root:
            out.Root[key] = out.copy_foreign(pdf.Root[key]) if key != "/Lang" else pdf.Root.Lang
    inside = range(first, stop)
    kept_destinations = {name: [d[0] - first, *d[1:]] for name, d in destinations.items() if d[0] in inside}
    kept_outline = tuple((depth, title, [d[0] - first, *d[1:]]) for depth, title, d in outline if d[0] in inside)
    anchors = {name: page - 1 - first for name, page in rendered.anchor_pages.items() if page - 1 in inside}
    unnumbered = tuple(index - first for index in inside
                       if index < len(rendered.page_names) and rendered.page_names[index] in UNNUMBERED_PAGES)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return RenderedPart(buffer.getvalue(), stop - first, anchors, kept_destinations, kept_outline,
                        rendered.fonts, rendered.warnings, font_maps, unnumbered)


def _destinations(pdf: pikepdf.Pdf) -> dict:
    index_of = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found = {}
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        for name, dest in pikepdf.NameTree(names.Dests).items():
            array = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            found[str(name)] = [index_of[array[0].objgen], *(_plain(v) for v in list(array)[1:])]
    return found


def _flat_outline(pdf: pikepdf.Pdf) -> list:
    index_of = {page.objgen: number for number, page in enumerate(pdf.pages)}
    names = pdf.Root.get("/Names")
    tree = pikepdf.NameTree(names.Dests) if names is not None and "/Dests" in names else {}
    items = []
    with pdf.open_outline() as outline:
        def walk(nodes, depth):
            for node in nodes:
                dest = node.destination
                if dest is None and node.action is not None:
                    dest = node.action.get("/D")
                if isinstance(dest, (pikepdf.String, pikepdf.Name)):
                    dest = tree[str(dest).lstrip("/")]
                array = list(dest)
                items.append((depth, node.title, [index_of[array[0].objgen], *(_plain(v) for v in array[1:])]))
                walk(node.children, depth + 1)
        walk(outline.root, 1)
    return items


def _plain(value):
    if isinstance(value, pikepdf.Name):
        return str(value)
    return None if value is None else float(value)


def _pdf_value(value):
    if isinstance(value, str):
        return pikepdf.Name(value)
    return value


# ---------------------------------------------------------------- folios

def folio_specimens(digits: int) -> tuple[int, ...]:
    """The page numbers rendered to learn how the layout draws a folio: every digit, both sides
    of a spread, each count of digits up to `digits`. Odd numbers sit at odd positions, so each
    lands on its own side (page 1 is a right page)."""
    numbers = list(range(1, 14))  # all ten digits; two of each side with one digit and with two
    for count in range(3, digits + 1):
        numbers += range(10 ** (count - 1), 10 ** (count - 1) + 4)
    assert all(number % 2 == position % 2 for position, number in enumerate(numbers, start=1))
    return tuple(numbers)


_TJ = re.compile(rb"\[((?:<[0-9A-Fa-f]+>[^<\]]*)+)\]\s*TJ")
_GLYPH = re.compile(rb"<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class FolioModel:
    """How this layout draws a folio, learned from rendered specimens: per side and count of
    digits, a page whose text is the number alone, one glyph per digit. Any other folio of that
    side and length is the same page with other glyphs. Rendering 620 folio pages costs two
    seconds; this costs one small document."""

    specimen: RenderedPart
    page_of: dict  # (digits, odd) -> 0-based specimen page drawn like every folio of its kind
    glyph_of: dict  # digit -> glyph bytes (hex) as the content stream writes it

    def covers(self, number: int) -> bool:
        return (len(str(number)), number % 2) in self.page_of and all(d in self.glyph_of for d in str(number))

    def content(self, template: bytes, number: int) -> bytes:
        glyphs = iter(self.glyph_of[d] for d in str(number))
        text = _TJ.search(template)
        inner = _GLYPH.sub(lambda _: b"<" + next(glyphs) + b">", text.group(1))
        return template[:text.start(1)] + inner + template[text.end(1):]


def _page_content(page) -> bytes:
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes() if contents is not None else b""


def learn_folios(specimen: RenderedPart, numbers: tuple[int, ...]) -> FolioModel | None:
    """The folio model, or None if this layout's folios are not one glyph run of digits that
    differ only in their glyphs (roman numerals, "Hal. 5", kerned digit pairs, proportional
    digits...): then folios are rendered page by page, as before."""
    if specimen.pages != len(numbers):
        return None
    with pikepdf.open(io.BytesIO(specimen.pdf)) as pdf:
        contents = [_page_content(page) for page in pdf.pages]
        widths = {}
        for _, font in _type0_fonts(pdf):
            widths.update(_widths(font.DescendantFonts[0].get("/W")))
    glyph_of, kinds = {}, {}
    # The first page is a :first page, which a layout may style apart; no booklet page 1 has a folio.
    for index, (number, content) in enumerate(zip(numbers, contents)):
        if index == 0:
            continue
        runs = _TJ.findall(content)
        if len(runs) != 1 or b"Tj" in content:
            return None
        glyphs = _GLYPH.findall(runs[0])
        # Nothing between the glyphs but zero adjustments: no kerning that another pair of
        # digits would need differently.
        if len(glyphs) != len(str(number)) or any(float(gap) for gap in _GLYPH.sub(b" ", runs[0]).split()):
            return None
        for digit, glyph in zip(str(number), glyphs):
            if glyph_of.setdefault(digit, glyph) != glyph:
                return None
        kinds.setdefault((len(str(number)), number % 2), []).append(index)
    # Digits all as wide as each other, so a number sits where any other of its length does.
    if len({widths.get(int(glyph, 16)) for glyph in glyph_of.values()}) != 1 or len(glyph_of) != 10:
        return None
    model = FolioModel(specimen, {kind: pages[0] for kind, pages in kinds.items()}, glyph_of)
    # Every specimen must come out of its kind's first one exactly: otherwise the model is wrong.
    for kind, pages in kinds.items():
        if len(pages) < 2:
            return None
        for index in pages[1:]:
            if model.content(contents[pages[0]], numbers[index]) != contents[index]:
                return None
    return model


# ---------------------------------------------------------------- the cache

class PartCache:
    """Rendered parts on disk, one file each, named by everything that went into them. An
    entry that does not read back whole (truncated, edited, from another version) is ignored
    and rendered again."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get_blob(self, key: str) -> tuple[dict, bytes] | None:
        if self.folder is None:
            return None
        try:
            header, _, data = (self.folder / f"{key}.part").read_bytes().partition(b"\n")
            meta = json.loads(header)
            if meta.get("key") == key and meta.get("sha256") == hashlib.sha256(data).hexdigest():
                return meta, data
        except (OSError, ValueError):
            pass
        return None

    def put_blob(self, key: str, meta: dict, data: bytes) -> None:
        if self.folder is None:
            return
        meta = {**meta, "key": key, "sha256": hashlib.sha256(data).hexdigest()}
        try:
            # Not synced to disk: an entry a crash leaves incomplete fails its checksum and is
            # rendered again, and three hundred syncs held up the build on a slow disk.
            write_atomically(self.folder / f"{key}.part", json.dumps(meta).encode() + b"\n" + data, durable=False)
        except Exception:  # a cache that cannot be written only costs time
            pass

    def get(self, key: str) -> RenderedPart | None:
        found = self.get_blob(key)
        if found is None:
            return None
        meta, pdf = found
        try:
            return RenderedPart(pdf, meta["pages"], meta["anchors"], meta["destinations"],
                                tuple(tuple(o) for o in meta["outline"]), meta["fonts"],
                                tuple(meta.get("warnings", ())), meta.get("font_maps", {}),
                                tuple(meta.get("unnumbered", ())))
        except (KeyError, TypeError):
            return None

    def put(self, key: str, part: RenderedPart) -> None:
        # Its warnings too: a rebuild from the cache repeats what WeasyPrint said about the part.
        self.put_blob(key, {"pages": part.pages, "anchors": part.anchors, "destinations": part.destinations,
                            "outline": part.outline, "fonts": part.fonts, "font_maps": part.font_maps,
                            "warnings": list(part.warnings), "unnumbered": list(part.unnumbered)}, part.pdf)


def assets_digest(root: Path, options: PrintOptions) -> str:
    """Everything besides a part's HTML that changes how it renders."""
    # The installed version, read without importing WeasyPrint (which takes half a second).
    # Notes pages before the back cover show in the HTML of the part they are in; leave them out.
    options = dataclasses.replace(options, notes_before_back=0)
    digest = hashlib.sha256(f"{__version__} {metadata.version('weasyprint')} {options!r}".encode())
    digest.update(HYPHENATION.read_bytes())
    folders = [*layout_dirs(root), Path(root) / "fonts", builtin("fonts"), LABELS]
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    try:
                        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
                    except OSError as exc:
                        raise BookletError.from_problem(cannot_read(path, exc)) from None
    return digest.hexdigest()


# ---------------------------------------------------------------- the build

# Lines of contents a page holds in the built-in layout, per paper (see contents.css).
CONTENTS_LINES = {"A4": 39, "A5": 31, "F4": 42}


def guess_front(booklet: Booklet) -> tuple[int, int]:
    """A guess at the front matter's length and the contents' first page, before anything is
    rendered: the built-in layout's cover, how-to page and contents, each field kept on one page
    if it fits. Only a guess (another layout, long titles): a wrong one costs one more render."""
    capacity = CONTENTS_LINES.get(booklet.config.paper, 39)
    contents_page = 3
    pages, used = 1, 2  # the contents' title
    for field in booklet.fields:
        need = 2 + sum(1 + len(profile.title) // 60 for profile in field.profiles)
        if used + need > capacity:
            pages, used = pages + 1, 0
        used += need
        while used > capacity:
            pages, used = pages + 1, used - capacity
    if used + 2 > capacity:  # the index's entry
        pages += 1
    last = contents_page + pages - 1
    # The professions start on a left page: the front matter ends on a right one.
    return (last if last % 2 else last + 1), contents_page


def render_parts(booklet: Booklet, root: Path, options: PrintOptions = PrintOptions(),
                 jobs: int | None = None, cache_folder: Path | None = None, progress=None,
                 finish=None) -> Rendered:
    """The booklet as one PDF, assembled from parts; returned like a single-pass render.
    `finish(rendered, pdf)`, if given, checks and saves the open assembled PDF (postprocess's
    finish_pdf) and the result is marked finished: one save instead of a save, a re-open and
    another save."""
    root = Path(root).resolve()
    cache = PartCache(cache_folder)
    assets = assets_digest(root, options)
    profiles = booklet.profiles
    anchors = [p.anchor for p in profiles]

    def key_of(html: str) -> str:
        return hashlib.sha256((assets + html).encode()).hexdigest()[:40]

    workers = render_workers(jobs)
    # Workers started early, if any; else they start once the whole booklet proves not cached.
    pool = started_workers(workers)
    front_layout = PartLayout(start_left=False, stubs=(*anchors, "indeks"))
    back_layout = PartLayout(stubs=tuple(anchors))
    queue = jobs_ = specimen_job = early_front = early_guess = None

    def numbers(front_pages: int, pages: dict, contents_page: int) -> dict:
        page_of, page = {}, front_pages + 1
        for profile in profiles:
            page_of[profile.key] = page
            page += pages[profile.key]
        return page_of | {"index": page, "contents": contents_page}

    def front_part(page_of):
        return jobs_.part(render_html(booklet, root, parts=["front"], page_of=page_of, options=options, part=front_layout), URGENT)

    def index_part(page_of):
        return jobs_.part(render_html(booklet, root, parts=["index", "back"], page_of=page_of, options=options, part=back_layout), URGENT)

    def front_and_index(page_of):
        return front_part(page_of), index_part(page_of)

    def start(pool):
        nonlocal queue, jobs_, specimen_job
        queue = _Queue(pool, workers)
        jobs_ = _Jobs(queue, cache, key_of, root)
        # Folios depend on nothing but the page number: learn how the layout draws them from a
        # few specimen pages (see FolioModel), rendered first.
        specimen_job = jobs_.part(render_folios_html(booklet, root, 1, 0, options, numbers=specimens), SOON)

    try:
        # What the last build of this selection measured: lets the contents and index be rendered
        # at once, in parallel with the professions, on the guess that their lengths still hold.
        hint_key = key_of(f"hint {booklet.selection} {booklet.config.paper}")
        hint = (cache.get_blob(hint_key) or ({}, b""))[0]
        # Nothing measured before: render the front matter at once on a guess of its length.
        # Right, it is the one to keep; wrong, it has measured the length for the next one.
        measured = "front" in hint
        front_guess, contents_guess = (hint["front"], hint["contents"]) if measured else guess_front(booklet)
        estimate = hint.get("total") or front_guess + 2 * len(profiles) + 4
        specimens = folio_specimens(len(str(estimate)) + 1)  # four pages more, in case the guess is short
        if pool is not None:
            # The workers started early are loading WeasyPrint: while every profession's key is
            # worked out below (a fifth of a second for 300), they can begin with the specimens
            # and, if nothing was measured before, the front matter.
            start(pool)
            if not measured:
                early_guess = numbers(front_guess, {p.key: hint.get("pages", {}).get(p.key, 2) for p in profiles},
                                      contents_guess)
                early_front = front_part(early_guess)

        profession_html = {p.key: render_html(booklet, root, parts=[p.key], options=options, part=PartLayout())
                           for p in profiles}
        dummy = {p.key: DUMMY_PAGE for p in profiles} | {"index": DUMMY_PAGE, "contents": 3}
        front_shape_html = render_html(booklet, root, parts=["front"], page_of=dummy, options=options, part=front_layout)

        # The whole booklet, keyed by every part's input: an unchanged booklet is not even assembled.
        whole_key = key_of("\0".join([repr(options), front_shape_html, *profession_html.values()]))
        whole = cache.get_blob(whole_key)
        if whole is not None:
            if pool is not None:
                pool.abandon()
            meta, pdf = whole
            return Rendered(pdf, meta["pages"], meta["anchors"], (), key=whole_key, finished=meta.get("finished", False))
        if pool is None:
            pool = ready_workers(workers)
            start(pool)
        parts = {p.key: cache.get(key_of(profession_html[p.key])) for p in profiles}
        missing = [p for p in profiles if parts[p.key] is None]
    except BaseException:  # nothing will be rendered: end the workers now
        if pool is not None:
            pool.abandon()
        raise

    with pool:
        # The pages each profession takes: known if cached, else what the last build saw, else a spread.
        pages = {p.key: parts[p.key].pages if parts[p.key] else hint.get("pages", {}).get(p.key, 2) for p in profiles}
        guessed = numbers(front_guess, pages, contents_guess)
        if measured:
            first_front = None
        else:
            first_front = early_front if early_guess == guessed else front_part(guessed)
        for order, batch in enumerate(_batches(missing, workers)):
            html = render_html(booklet, root, parts=[p.key for p in batch], options=options, part=PartLayout())
            task = queue.submit(LATER + order, _render, html, root, None, tuple(p.anchor for p in batch))
            for profile, part in zip(batch, _Later(task, len(batch))):
                parts[profile.key] = part
        # The contents and index render alongside the professions, on the guessed numbers. A wrong
        # guess is redone below.
        if first_front is None:
            speculative = front_and_index(guessed)
        else:
            front = jobs_.result(first_front)
            if (front.pages, _anchor_page(front.anchors, "daftar-isi", root, 1)) == (front_guess, contents_guess):
                speculative = (front, index_part(guessed))
            else:
                guessed = numbers(front.pages, pages, _anchor_page(front.anchors, "daftar-isi", root, 1))
                speculative = front_and_index(guessed)
        folio_model = learn_folios(jobs_.result(specimen_job), specimens)
        chunks = {}  # first page number -> folio pages rendered one by one, where the model cannot draw them

        def render_chunks(last: int, priority: int) -> None:
            for number in range(2, last):
                first = (number - 1) // FOLIO_CHUNK * FOLIO_CHUNK + 1
                if first not in chunks and not (folio_model and folio_model.covers(number)):
                    # Two pages more in front: the first is a :first page, which a layout may style apart.
                    chunks[first] = jobs_.part(render_folios_html(booklet, root, first - 2, FOLIO_CHUNK + 2, options), priority)

        render_chunks(estimate, SOON)
        for done, profile in enumerate(missing, start=1):
            part = parts[profile.key]
            parts[profile.key] = part = part.get() if isinstance(part, _Later.Item) else part
            cache.put(key_of(profession_html[profile.key]), part)
            if progress:
                progress(done, len(missing), profile)
        pages = {p.key: parts[p.key].pages for p in profiles}

        front, index = (jobs_.result(job) for job in speculative)
        front_pages, contents_page = front.pages, _anchor_page(front.anchors, "daftar-isi", root, 1)
        # Until the numbers printed are the numbers that came out (a guess can be wrong).
        for _ in range(4):
            page_of = numbers(front_pages, pages, contents_page)
            if page_of != guessed:
                front, index = (jobs_.result(job) for job in front_and_index(page_of))
                guessed = page_of
            if front.pages == front_pages and _anchor_page(front.anchors, "daftar-isi", root, 1) == contents_page:
                break
            front_pages, contents_page = front.pages, _anchor_page(front.anchors, "daftar-isi", root, 1)
        else:
            raise RuntimeError("the front matter does not settle on a length")
        total = page_of["index"] + index.pages - 1
        render_chunks(total, URGENT)
        chunks = {first: jobs_.result(job) for first, job in chunks.items() if first < total}

        ordered = [front, *(parts[p.key] for p in profiles), index]
        folios = _FolioStamps(folio_model, chunks)
        font_files = _font_files(root)
        # The workers are idle now and have fontTools loaded; they exit before the assembly.
        subsets = _subsets_in(pool, (*ordered, *folios.parts), font_files, cache)
    # Once each: every part reports what WeasyPrint said about the stylesheets they share.
    warnings = tuple(dict.fromkeys(w for part in ordered for w in part.warnings))
    rendered = _assemble(ordered, folios, warnings, font_files, cache, subsets, finish)
    if not warnings:
        cache.put_blob(whole_key, {"pages": rendered.page_count, "anchors": rendered.anchor_pages,
                                   "finished": rendered.finished}, rendered.pdf)
        cache.put_blob(hint_key, {"front": front_pages, "contents": contents_page, "pages": pages,
                                  "total": rendered.page_count}, b"")
    return dataclasses.replace(rendered, key=whole_key)


class _Jobs:
    """Single-document parts, from the cache or rendered in the pool, cached once done."""

    def __init__(self, queue: "_Queue", cache: PartCache, key_of, root: Path):
        self.queue, self.cache, self.key_of, self.root = queue, cache, key_of, root

    def part(self, html: str, priority: int):
        key = self.key_of(html)
        return self.cache.get(key) or (key, self.queue.submit(priority, _render, html, self.root))

    def result(self, job) -> RenderedPart:
        if isinstance(job, RenderedPart):
            return job
        key, future = job
        part = future.result()[0]
        self.cache.put(key, part)
        return part


URGENT, SOON, LATER = 0, 1, 2  # queue priorities: lower goes first


class _Queue:
    """Work for the pool in priority order. Only as many tasks as there are workers are handed
    to the pool at a time, so urgent work (the contents and index, once their numbers can be
    guessed) starts next rather than behind every profession. Driven by whoever waits."""

    class Task:
        def __init__(self, queue: "_Queue"):
            self.queue, self.future = queue, None

        def result(self):
            while self.future is None or not self.future.done():
                self.queue.pump()
            return self.future.result()

    def __init__(self, pool, slots: int):
        self.pool, self.slots = pool, slots
        self.waiting: list = []  # heap of (priority, order, task, function, args)
        self.running: set = set()
        self.order = itertools.count()

    def submit(self, priority: int, function, *args) -> "_Queue.Task":
        task = self.Task(self)
        heapq.heappush(self.waiting, (priority, next(self.order), task, function, args))
        self._fill()
        return task

    def _fill(self) -> None:
        self.running = {future for future in self.running if not future.done()}
        while self.waiting and len(self.running) < self.slots:
            _, _, task, function, args = heapq.heappop(self.waiting)
            task.future = self.pool.submit(function, *args)
            self.running.add(task.future)

    def pump(self) -> None:
        """Wait for a running task to finish and hand the pool the next one."""
        if self.running:
            finished = threading.Event()
            # Registering takes each future's lock: not a place for Ctrl-C to land (see limits).
            with deferred_interrupt():
                for future in self.running:
                    future.add_done_callback(lambda _: finished.set())
            finished.wait()
        self._fill()


class _Later:
    """The parts of a batch still rendering, one item per profession."""

    class Item:
        def __init__(self, task, index):
            self.task, self.index = task, index

        def get(self) -> RenderedPart:
            return self.task.result()[self.index]

    def __init__(self, task, count: int):
        self.items = [self.Item(task, i) for i in range(count)]

    def __iter__(self):
        return iter(self.items)


def _font_files(root: Path) -> dict[str, Path]:
    """The font files parts may have used, by content hash."""
    found = {}
    for path in font_files(root):
        found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
    return found


def _subsets_in(pool, parts, font_files: dict, cache: PartCache) -> dict[str, bytes]:
    """The booklet's one subset of each shared font, made in the pool from the glyphs the parts
    reported, keyed as _share_fonts will look them up. One that fails is left to the assembly."""
    needed: dict[str, set] = {}  # font name -> glyphs, as _share_fonts will gather them
    users: dict[str, int] = {}
    sha_of: dict[str, str] = {}
    for part in parts:
        sha_of.update(part.fonts)
        for name, glyphs in part.glyphs.items():
            needed.setdefault(name, set()).update(glyphs)
            users[name] = users.get(name, 0) + 1
    futures = {}
    for name, glyphs in needed.items():
        sha = sha_of.get(name)
        key = _subset_key(sha, glyphs)
        if users[name] > 1 and sha in font_files and cache.get_blob(key) is None:
            futures[key] = pool.submit(_subset, font_files[sha], glyphs)
    subsets = {}
    for key, future in futures.items():
        try:
            subsets[key] = future.result()
        except Exception:  # the assembly subsets that font itself, and says why if it fails
            pass
    return subsets


class _FolioStamps:
    """Each page's folio as a form XObject in the assembled PDF: drawn by the folio model where
    it can, else taken from the folio pages rendered one by one."""

    def __init__(self, model: FolioModel | None, chunks: dict[int, RenderedPart]):
        self.model, self.chunks = model, chunks
        self.parts = [*chunks.values(), *([model.specimen] if model else [])]

    def __enter__(self):
        self.opened = {first: pikepdf.open(io.BytesIO(part.pdf)) for first, part in self.chunks.items()}
        self.specimen = pikepdf.open(io.BytesIO(self.model.specimen.pdf)) if self.model else None
        self.templates = {}
        return self

    def __exit__(self, *exc):
        for pdf in [*self.opened.values(), *([self.specimen] if self.specimen else [])]:
            pdf.close()

    def form(self, out: pikepdf.Pdf, number: int):
        if self.model and self.model.covers(number):
            kind = (len(str(number)), number % 2)
            if kind not in self.templates:
                template = out.copy_foreign(self.specimen.pages[self.model.page_of[kind]].as_form_xobject())
                # One resource dictionary for all the folios drawn from this template.
                template.Resources = out.make_indirect(template.Resources)
                self.templates[kind] = template
            template = self.templates[kind]
            form = pikepdf.Stream(out, self.model.content(template.read_bytes(), number))
            for key, value in template.items():
                if key not in ("/Length", "/Filter", "/DecodeParms"):
                    form[key] = value
            return form
        first = (number - 1) // FOLIO_CHUNK * FOLIO_CHUNK + 1
        return out.copy_foreign(self.opened[first].pages[number - first + 2].as_form_xobject())


def _assemble(ordered: list[RenderedPart], folios: _FolioStamps, warnings, font_files: dict,
              cache: PartCache, subsets: dict | None = None, finish=None) -> Rendered:
    """One PDF from the parts: pages in order, folios stamped, links and bookmarks rebuilt."""
    opened = [pikepdf.open(io.BytesIO(part.pdf)) for part in ordered]
    try:
        # The front part's document keeps its metadata (title, author, language, dates).
        out = pikepdf.open(io.BytesIO(ordered[0].pdf))
        with warnings_module.catch_warnings():
            # pikepdf warns that named destinations do not follow the pages; they are rebuilt below.
            warnings_module.simplefilter("ignore", pikepdf.PageCopyWarning)
            for pdf in opened[1:]:
                out.pages.extend(pdf.pages)
        total = len(out.pages)
        # No folio on the covers. Not add_overlay: it names its XObjects at random, and two
        # builds of the same folder must give the same bytes.
        starts = list(itertools.accumulate((part.pages for part in ordered), initial=0))
        unnumbered = {start + page for part, start in zip(ordered, starts) for page in part.unnumbered}
        with folios:
            for number in range(1, total - 1):
                if number in unnumbered:
                    continue  # a cover that runs onto a second page
                page = out.pages[number]
                form = folios.form(out, number + 1)
                # One name per page: WeasyPrint's pages may share one resource dictionary.
                name = page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name(f"/BookletFolio{number + 1}"))
                page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
                page.contents_add(pikepdf.Stream(out, b"Q\nq " + bytes(str(name), "ascii") + b" Do Q\n"))

        offsets, offset = [], 0
        for part in ordered:
            offsets.append(offset)
            offset += part.pages
        anchor_pages, names = {}, []
        for part, first in zip(ordered, offsets):
            for name, page in part.anchors.items():
                if name != "part-end":
                    anchor_pages.setdefault(name, first + page + 1)
            for name, dest in part.destinations.items():
                names.append((name, _dest_array(out, first, dest)))
        out.Root.Names = pikepdf.Dictionary()
        tree = pikepdf.NameTree.new(out)
        for name, array in sorted(names):
            tree[name] = array
        out.Root.Names.Dests = tree.obj

        with out.open_outline() as outline:
            outline.root.clear()
            stack = []  # (level, item): as WeasyPrint nests, under the last lower level
            for part, first in zip(ordered, offsets):
                for level, title, dest in part.outline:
                    item = pikepdf.OutlineItem(title, destination=_dest_array(out, first, dest))
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    (stack[-1][1].children if stack else outline.root).append(item)
                    stack.append((level, item))
        fonts, maps, unread = {}, {}, set()
        for part in (*ordered, *folios.parts):
            fonts.update(part.fonts)
            for name in part.fonts:
                if name not in part.font_maps:
                    unread.add(name)  # a part cached by an older booklet, or a font it could not read
                    continue
                merged = maps.setdefault(name, {"widths": {}, "text": {}})
                merged["widths"].update(part.font_maps[name]["widths"])
                merged["text"].update(part.font_maps[name]["text"])
        _share_fonts(out, {name: (sha, font_files[sha]) for name, sha in fonts.items() if sha in font_files}, cache,
                     subsets or {}, {name: found for name, found in maps.items() if name not in unread})
        rendered = Rendered(b"", total, anchor_pages, warnings)
        if finish is not None:
            return dataclasses.replace(rendered, pdf=finish(rendered, out)[0], finished=True)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return dataclasses.replace(rendered, pdf=buffer.getvalue())
    finally:
        for pdf in opened:
            pdf.close()


def _dest_array(out: pikepdf.Pdf, first: int, dest: list) -> pikepdf.Array:
    return pikepdf.Array([out.pages[first + dest[0]].obj, *(_pdf_value(v) for v in dest[1:])])


def _subset_key(sha: str, glyphs) -> str:
    return hashlib.sha256(f"subset {sha} {sorted(glyphs)}".encode()).hexdigest()[:40]


def _share_fonts(pdf: pikepdf.Pdf, files: dict[str, tuple[str, Path]], cache: PartCache, made: dict,
                 maps: dict | None = None) -> None:
    """Each part embeds its own cut of each font, all with the font's own glyph ids (WeasyPrint
    keeps them). Replace them with one font per face, as a single pass makes: the union of the
    glyphs, widths and text mappings, and one subset of the font file holding every glyph."""
    faces: dict[str, list] = {}
    for name, font in _type0_fonts(pdf):
        faces.setdefault(name, []).append(font)
    shared_of: dict = {}
    subsets = []  # (descendant font, font sha, font file, glyphs it needs)
    for name, fonts in faces.items():
        if name.lstrip("/") not in files or len(fonts) < 2:
            continue
        sha, path = files[name.lstrip("/")]
        kind = _font_file_kind(fonts)
        if kind is None:
            continue  # embedded some other way: keep the parts' own cuts
        widths, unicode = {}, {}
        if maps and name.lstrip("/") in maps:  # as the workers read them from every part
            known = maps[name.lstrip("/")]
            widths = {int(gid): width for gid, width in known["widths"].items()}
            unicode = known["text"]
        else:
            try:
                for font in fonts:
                    widths.update(_widths(font.DescendantFonts[0].get("/W")))
                    unicode.update(_bfchars(font.ToUnicode.read_bytes()))
            except (ValueError, IndexError, KeyError):
                continue  # a mapping this code does not read: keep the parts' own fonts
        shared = fonts[0]
        descendant = shared.DescendantFonts[0]
        descendant.W = pikepdf.Array([x for gid in sorted(widths) for x in (gid, pikepdf.Array([widths[gid]]))])
        shared.ToUnicode = pikepdf.Stream(pdf, _cmap(unicode))
        subsets.append((descendant, sha, path, set(widths), kind))
        for font in fonts[1:]:
            shared_of[font.objgen] = shared
    # Subsetting takes a tenth of a second a face; the same glyphs give the same subset. The
    # workers have usually made them already (`made`), from the glyphs each part reported.
    for descendant, sha, path, glyphs, kind in subsets:
        key = _subset_key(sha, glyphs)
        if key in made:
            data = made[key]
            cache.put_blob(key, {}, data)
        else:
            found = cache.get_blob(key)
            data = found[1] if found else _subset(path, glyphs)
            if not found:
                cache.put_blob(key, {}, data)
        font_file = pikepdf.Stream(pdf, data)
        if kind == "/FontFile2":
            font_file.Length1 = len(data)
        else:  # a CFF font, embedded as the OpenType file WeasyPrint embeds
            font_file.Subtype = pikepdf.Name.OpenType
        descendant.FontDescriptor[kind] = font_file
    if shared_of:
        seen: set = set()
        for page in pdf.pages:
            _redirect_fonts(page.obj.get("/Resources"), shared_of, seen)


def _font_file_kind(fonts) -> str | None:
    """How every cut of a face embeds its font file: TrueType (/FontFile2) or CFF in an
    OpenType file (/FontFile3 /OpenType, WeasyPrint's way for .otf); None if they differ or
    embed it otherwise."""
    kinds = set()
    for font in fonts:
        descriptor = font.DescendantFonts[0].FontDescriptor
        if "/FontFile2" in descriptor:
            kinds.add("/FontFile2")
        elif "/FontFile3" in descriptor and descriptor.FontFile3.get("/Subtype") == "/OpenType":
            kinds.add("/FontFile3")
        else:
            return None
    return kinds.pop() if len(kinds) == 1 else None


def _redirect_fonts(resources, shared_of: dict, seen: set) -> None:
    if not isinstance(resources, pikepdf.Dictionary):
        return
    if resources.is_indirect:
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    fonts = resources.get("/Font")
    if isinstance(fonts, pikepdf.Dictionary):
        for key in list(fonts.keys()):
            font = fonts[key]
            if font.is_indirect and font.objgen in shared_of:
                fonts[key] = shared_of[font.objgen]
    for xobject in (resources.get("/XObject") or {}).values() if isinstance(resources.get("/XObject"), pikepdf.Dictionary) else ():
        if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
            _redirect_fonts(xobject.get("/Resources"), shared_of, seen)


def _widths(array) -> dict[int, object]:
    """A CID font's /W array as glyph id -> width: the glyphs its text uses."""
    found, items, i = {}, list(array or []), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                found[first + offset] = width
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                found[gid] = items[i + 2]
            i += 3
    return found


_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def _bfchars(cmap: bytes) -> dict[str, str]:
    """The glyph -> text entries of a ToUnicode CMap written as bfchar lists (WeasyPrint's)."""
    if b"beginbfrange" in cmap:
        raise ValueError("bfrange")
    found = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _BFCHAR.findall(block):
            found[code.decode().lower()] = text.decode().lower()
    return found


def _cmap(entries: dict[str, str]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange"]
    codes = sorted(entries, key=lambda c: int(c, 16))
    for start in range(0, len(codes), 100):  # a bfchar block holds at most 100 entries
        block = codes[start:start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{code}> <{entries[code]}>" for code in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode()


def _subset(path: Path, glyphs: set[int]) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont
    # Shaping is done: the layout tables go, unread (no closure over them either).
    options = subset.Options(retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
                             hinting=False, desubroutinize=True, notdef_outline=True, layout_closure=False)
    options.drop_tables += ["GSUB", "GPOS", "SVG ", "BASE", "JSTF"]
    font = TTFont(path, recalcTimestamp=False, lazy=True)
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            del font[tag]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs | {0}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


MAX_BATCH = 8  # professions per document: a worker's memory grows with its document


def _batches(profiles, workers: int) -> list[list]:
    """A few batches per worker: large enough to share the cost of starting a document,
    small enough to keep both cores busy and memory flat. The last few hold two professions
    each, so the cores finish together instead of one waiting on the other's last large batch."""
    profiles = list(profiles)
    if not profiles:
        return []
    count = max(min(len(profiles), workers * 4), -(-len(profiles) // MAX_BATCH))
    size = -(-len(profiles) // count)
    tail = min(len(profiles), workers * 4) if size > 2 and workers > 1 else 0
    head = profiles[:len(profiles) - tail]
    return _even(head, -(-len(head) // size)) + _even(profiles[len(head):], -(-tail // 2))


def _even(items: list, count: int) -> list[list]:
    """`items` in `count` consecutive runs whose lengths differ by one at most."""
    if not items:
        return []
    bounds = [round(i * len(items) / count) for i in range(count + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:])]


def render_workers(jobs: int | None) -> int:
    return max(1, jobs or _cores())


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
