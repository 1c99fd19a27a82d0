"""The library API: read a booklet folder, select, lay out, render, check, write."""
from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .errors import BookletError
from .impose import saddle
from .folio_css import read_sheets, stylesheets_of, why_not_stamped
from .layout import layout_dirs, layout_stylesheets, render_handout_html, render_html
from .library import load_library
from .model import Booklet, Library, PrintOptions, Profile, Rendered
from .output import check_output, write_atomically
from .postprocess import finish, finish_handout, finish_pdf
from .limits import Workers, ready_workers, start_workers, started_workers
from .parts import PartCache, assets_digest, render_parts, render_workers
from .paths import LABELS, builtin, file_states
from .select import by_field_title, make_booklet, select_profiles

IMPOSITIONS = ("saddle",)


@dataclass(frozen=True)
class BuildResult:
    path: Path
    booklet: Booklet
    page_count: int  # pages of the booklet, before any imposition
    page_of: dict  # profession key (and 'contents', 'index', 'back') -> physical page
    overflowing: tuple[Profile, ...]  # professions that took more than one spread
    warnings: tuple[str, ...]  # WeasyPrint's own warnings
    sheets: int | None = None  # sheets of paper to load, for an imposed booklet
    notes: tuple[str, ...] = ()  # how the booklet was built, where the user may want to know


@dataclass(frozen=True)
class Handout:
    path: Path
    profile: Profile
    page_count: int


def load(root: Path, only=(), exclude=()) -> Library:
    """Read a booklet folder, or the profiles a selection names; raise the first error found
    (`check` reports them all)."""
    library = load_library(Path(root), only, exclude)
    if library.errors:
        raise BookletError.from_problem(library.errors[0])
    return library


def default_output(library: Library, booklet: Booklet, options: PrintOptions = PrintOptions(),
                   impose: str | None = None) -> Path:
    words = ["booklet", booklet.selection, None if impose else _other_paper(library, booklet), options.suffix, impose]
    return library.root / library.config.output / ("-".join(w for w in words if w) + ".pdf")


def _other_paper(library: Library, booklet: Booklet) -> str | None:
    """"a5" for a booklet on another paper than booklet.yaml's: an A5 build must not take the
    place of the A4 one (and be printed at actual size on A4)."""
    return booklet.config.paper.lower() if booklet.config.paper != library.config.paper else None


def prepare(library: Library, only=(), exclude=(), paper: str | None = None) -> Booklet:
    if paper:
        library = dataclasses.replace(library, config=dataclasses.replace(library.config, paper=paper.upper()))
    only, exclude = by_field_title(library.config, only), by_field_title(library.config, exclude)
    if not library.profiles and not (only or exclude):
        raise BookletError(library.root / "source", None, "no profile has any text yet, so there is nothing to print; write one under a heading of a file in source/<field>/ (booklet new makes one).")
    if not select_profiles(library.profiles, only, exclude):
        raise BookletError(library.root / "source", None, "the selection leaves no profession to print.")
    return make_booklet(library, only, exclude)


CACHE = ".booklet-cache"


def build(root: Path, only=(), exclude=(), paper: str | None = None, output: Path | None = None,
          library: Library | None = None, options: PrintOptions = PrintOptions(),
          impose: str | None = None, single_pass: bool = False, jobs: int | None = None,
          cache: bool = True, progress=None) -> BuildResult:
    """Build a booklet PDF. By default professions are rendered as parts, in parallel and cached
    in `.booklet-cache/`; `single_pass` renders the whole booklet as one document, as does a
    tagged PDF variant (a structure tree cannot be stitched together from parts)."""
    if library is None:
        start_early(root, only, exclude, paper, options, impose, single_pass, jobs, cache)
        library = load(root, only, exclude)
    with build_lock(library.root):
        return _build(library, only, exclude, paper, output, options, impose, single_pass, jobs, cache, progress)


def start_early(root: Path, only=(), exclude=(), paper: str | None = None, options: PrintOptions = PrintOptions(),
                impose: str | None = None, single_pass: bool = False, jobs: int | None = None, cache: bool = True,
                **_other_settings) -> None:
    """Start the render workers a build will use before the booklet is read (see limits); but
    not when no input has changed since the last build of the same selection. Its PDF is then
    in the cache, and two workers loading WeasyPrint would only slow the rebuild down. (Only a
    hint: a build that does need to render starts its workers then.)"""
    whole_document = single_pass or options.pdf_variant  # rendered in one worker, never cached
    if cache and not whole_document and _last_inputs(Path(root)).get(
            _selection_key(only, exclude, paper, options, impose, single_pass)) == _inputs_fingerprint(Path(root)):
        return
    start_workers(1 if whole_document else render_workers(jobs))


INPUTS_FILE = "last-inputs.json"


def _selection_key(only, exclude, paper, options, impose, single_pass) -> str:
    return repr((tuple(only), tuple(exclude), paper, options, impose, single_pass))


def _inputs_fingerprint(root: Path) -> str:
    """The name, size and modification time of every file a build reads (but a logo), and
    booklet's version: quick to take, and the same when nothing was edited."""
    states = file_states(root / "booklet.yaml", root / "source", root / "layouts", root / "fonts",
                         builtin("layouts"), builtin("fonts"), LABELS)
    return hashlib.sha256(repr((__version__, states)).encode()).hexdigest()


def _last_inputs(root: Path) -> dict:
    try:
        return json.loads((root / CACHE / INPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _remember_inputs(root: Path, key: str) -> None:
    try:
        known = _last_inputs(root)
        known.pop(key, None)  # the most recent last: the twenty most recent selections are kept
        known[key] = _inputs_fingerprint(root)
        write_atomically(root / CACHE / INPUTS_FILE, json.dumps(dict(list(known.items())[-20:]), indent=1).encode(),
                         durable=False)  # a hint: a file a crash leaves broken reads as no hint
    except (OSError, BookletError):
        pass  # only the next rebuild's head start is lost


@contextlib.contextmanager
def build_lock(root: Path):
    """One build at a time per booklet folder: a second one is refused with a message rather
    than racing the first for the same output."""
    handle = None
    try:
        (root / CACHE).mkdir(exist_ok=True)
        handle = open(root / CACHE / "build.lock", "a+b")
    except OSError:
        pass  # a read-only folder: nothing can be written there anyway, and the write will say so
    if handle is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise BookletError(root, None, "another build of this booklet is running; wait for it to finish, then build again.") from None
        _held_locks.add(handle)
    try:
        yield
    finally:
        if handle is not None:
            _held_locks.discard(handle)
            handle.close()  # closing releases the lock


# Forked render workers would otherwise share the lock and keep it after the build ends.
_held_locks: set = set()
os.register_at_fork(after_in_child=lambda: [_held_locks.pop().close() for _ in range(len(_held_locks))])


def _build(library: Library, only, exclude, paper, output, options: PrintOptions, impose, single_pass: bool,
           jobs, cache: bool, progress) -> BuildResult:
    selection = _selection_key(only, exclude, paper, options, impose, single_pass)  # as start_early sees it
    if impose is not None:
        _check_imposable(library, paper, options, impose)
        paper = "A5"
    booklet = prepare(library, only, exclude, paper)
    target = check_output(library.root, Path(output) if output else default_output(library, booklet, options, impose))
    in_parts = not single_pass and options.pdf_variant is None
    notes = ()
    # The whole booklet as one document's HTML, drawn once per set of options: the layout check
    # reads its stylesheets, and a layout that needs the single pass renders it.
    whole_html = functools.lru_cache(maxsize=2)(lambda options: render_html(booklet, library.root, options=options))
    if in_parts and (found := _why_not_in_parts(library.root, options, whole_html)):
        in_parts = False
        path, reason = found
        where = f"{path}: note: the stylesheet" if path else "note: the page rules (paper.j2)"
        notes = (f"{where} {reason}; the fast build cannot stamp such page numbers, so the booklet was rendered as one document (as --single-pass does), which takes longer.",)
    cache_folder = library.root / CACHE / "parts" if cache else None

    def render(options):
        if in_parts:
            return render_parts(booklet, library.root, options, jobs=jobs, cache_folder=cache_folder,
                                progress=progress, finish=functools.partial(finish_pdf, booklet, options=options))
        html = whole_html(options)
        if not (notes and cache_folder):  # the single pass as asked for (the reference): never cached
            return render_isolated(html, library.root, options.pdf_variant, started_workers(render_workers(jobs)))
        # A layout the fast build cannot do: the whole document is cached instead, so that a
        # rebuild with nothing changed does not take a single pass's minutes.
        whole = PartCache(cache_folder)
        key = hashlib.sha256((assets_digest(library.root, options) + html).encode()).hexdigest()[:40]
        if (found := whole.get_blob(key)) is not None:
            meta, pdf = found
            return Rendered(pdf, meta["pages"], meta["anchors"], tuple(meta["warnings"]))
        rendered = render_isolated(html, library.root, options.pdf_variant, started_workers(render_workers(jobs)))
        whole.put_blob(key, {"pages": rendered.page_count, "anchors": rendered.anchor_pages,
                             "warnings": list(rendered.warnings)}, rendered.pdf)
        return rendered

    rendered = render(options)
    if impose == "saddle" and rendered.page_count % 4:
        # Fill the last sheet with notes pages before the back cover, which must stay last.
        options = dataclasses.replace(options, notes_before_back=-rendered.page_count % 4)
        rendered = render(options)
    pdf, page_of = finish(booklet, rendered, options)
    sheets = None
    if impose == "saddle":
        pdf, sheets = saddle(pdf)
    write_atomically(target, pdf)
    starts = [page_of[p.key] for p in booklet.profiles] + [page_of["index"]]
    overflowing = tuple(p for p, a, b in zip(booklet.profiles, starts, starts[1:]) if b - a > 2)
    if impose is None:
        _remember_pages(library.root, {p.key: b - a for p, a, b in zip(booklet.profiles, starts, starts[1:])})
    if cache:
        _remember_inputs(library.root, selection)
    return BuildResult(target, booklet, rendered.page_count, page_of, overflowing,
                       _unreported(rendered.warnings, booklet), sheets, notes)


_NOTDEF = re.compile(r'^\.notdef glyph rendered for Unicode string unsupported by fonts: "(.)"')


def _unreported(warnings: tuple[str, ...], booklet: Booklet) -> tuple[str, ...]:
    """WeasyPrint's warnings, less its ".notdef" ones for characters of the profiles: reading
    them has already said which file and line has each (a layout's own text keeps them)."""
    profile_text = {c for p in booklet.profiles for text in (p.title, p.fit_heading, *p.overview, *p.fit, *p.reality,
                                                             *p.majors, *p.employers) for c in text}
    return tuple(w for w in warnings if not ((found := _NOTDEF.match(w)) and found[1] in profile_text))


PAGES_FILE = "pages.json"


def _remember_pages(root: Path, pages: dict) -> None:
    """How many pages each profession took in the last build that included it (`booklet list`)."""
    path = root / CACHE / PAGES_FILE
    try:
        known = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        write_atomically(path, json.dumps(known | pages, indent=1, sort_keys=True).encode(), durable=False)
    except (OSError, ValueError, BookletError):
        pass  # only `booklet list` loses a column


def last_pages(root: Path) -> dict:
    try:
        return json.loads((Path(root) / CACHE / PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def render_isolated(html: str, root: Path, pdf_variant: str | None = None, pool: Workers | None = None):
    """One document rendered in a worker process, within the render limits (in `pool`, the
    workers started early for a fast build, if it turned out not to be one)."""
    with pool or ready_workers(1) as worker:
        return worker.submit(_render_one, html, root, pdf_variant, final=True).result()


def _why_not_in_parts(root: Path, options: PrintOptions, whole_html) -> tuple[Path | None, str] | None:
    """Why the booklet folder's own layout needs the single pass (see folio_css), if it does:
    its stylesheets as the whole booklet's document applies them (links and <style> elements
    of any template), against booklet's own layout's."""
    if not (root / "layouts").is_dir():
        return None  # booklet's own layouts are made for the fast build (tested)
    sheets = stylesheets_of(whole_html(options), layout_dirs(root))
    builtin_sheets = read_sheets(layout_stylesheets(options), [builtin("layouts")])
    return why_not_stamped(sheets, builtin_sheets)


def _render_one(html: str, root: Path, pdf_variant: str | None):
    from .render import render_pdf  # WeasyPrint loads only where something is rendered
    return render_pdf(html, root, pdf_variant=pdf_variant)


def _check_imposable(library: Library, paper: str | None, options: PrintOptions, impose: str) -> None:
    if impose not in IMPOSITIONS:
        raise BookletError(None, None, f"unknown imposition \"{impose}\"; booklet knows {', '.join(IMPOSITIONS)}.")
    if paper and paper.upper() != "A5":
        raise BookletError(None, None, f"a saddle-stitched booklet is made of A5 pages folded from A4 sheets; leave out --paper {paper} or use A5.")
    if options.bleed_mm or options.marks:
        raise BookletError(None, None, "bleed and crop marks are for a print shop's single pages, not for a booklet folded from A4 sheets.")


def handouts(root: Path, only=(), exclude=(), paper: str | None = None, output: Path | None = None,
             library: Library | None = None, options: PrintOptions = PrintOptions()) -> tuple[Handout, ...]:
    """One short PDF per selected profession: its spread under a small header, pages 1..n."""
    library = library or load(root, only, exclude)
    booklet = prepare(library, only, exclude, paper)
    folder = check_output(library.root, Path(output) if output else library.root / library.config.output / "handouts", kind="folder")
    made = []
    # Waited for inside the pool's block: a Ctrl-C (or an error) while waiting ends the workers
    # there; after the block, it came while the pool waited for them to finish, and hung.
    with Workers(min(len(booklet.profiles), os.cpu_count() or 1)) as workers:
        renders = [workers.submit(_render_one, render_handout_html(booklet, profile, library.root, options=options),
                                  library.root, options.pdf_variant) for profile in booklet.profiles]
        for profile, future in zip(booklet.profiles, renders):
            rendered = future.result()
            pdf = finish_handout(booklet, profile, rendered, options)
            words = [profile.slug, _other_paper(library, booklet), options.suffix]
            target = folder / profile.field / ("-".join(w for w in words if w) + ".pdf")
            write_atomically(target, pdf)
            made.append(Handout(target, profile, rendered.page_count))
    return tuple(made)


def check_layouts(library: Library) -> list:
    """Problems in the templates a booklet folder overrides, found by drawing its booklet, a
    handout and the folio pages as HTML (no PDF), and in its own stylesheets, as WeasyPrint reads
    them: what `check` adds to the profiles' problems."""
    from .layout import own_templates, render_folios_html, render_template
    booklet = make_booklet(library)
    try:
        for name in own_templates(library.root):  # those drawn only for the HTML edition too
            render_template(library.root, name, render=False)
        render_html(booklet, library.root)
        render_folios_html(booklet, library.root, 1, 2)
        render_handout_html(booklet, booklet.profiles[0], library.root)
    except BookletError as exc:
        return [exc.problem]
    if not any(css.is_file() for css in (library.root / "layouts").glob("**/*.css")):
        return []
    from .render import stylesheet_problems  # WeasyPrint loads only where something reads CSS
    return stylesheet_problems(library.root)


def build_html(root: Path, only=(), exclude=(), output: Path | None = None, library: Library | None = None):
    """The HTML edition: dist/html/ (or dist/html-<sel>/), or `output` as the folder."""
    from .web import write_html_edition
    library = library or load(root, only, exclude)
    booklet = prepare(library, only, exclude)
    folder = Path(output) if output else library.root / library.config.output / (
        f"html-{booklet.selection}" if booklet.selection else "html")
    return write_html_edition(booklet, library.root, folder, default=output is None)
