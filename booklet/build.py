"""The library API: read a booklet folder, select, lay out, render, check, write."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError
from .layout import render_html
from .library import load_library
from .model import Booklet, Library, Profile
from .output import write_atomically
from .postprocess import finish
from .render import render_pdf
from .select import make_booklet, select_profiles


@dataclass(frozen=True)
class BuildResult:
    path: Path
    booklet: Booklet
    page_count: int
    page_of: dict  # profession key (and 'contents', 'index') -> physical page
    overflowing: tuple[Profile, ...]  # professions that took more than one spread
    warnings: tuple[str, ...]  # WeasyPrint's own warnings


def load(root: Path) -> Library:
    """Read a booklet folder; raise the first error found (`check` reports them all)."""
    library = load_library(Path(root))
    if library.errors:
        raise BookletError.from_problem(library.errors[0])
    return library


def default_output(library: Library, booklet: Booklet) -> Path:
    name = f"booklet-{booklet.selection}.pdf" if booklet.selection else "booklet.pdf"
    return library.root / library.config.output / name


def prepare(library: Library, only=(), exclude=(), paper: str | None = None) -> Booklet:
    if paper:
        library = dataclasses.replace(library, config=dataclasses.replace(library.config, paper=paper.upper()))
    if not select_profiles(library.profiles, only, exclude):
        raise BookletError(library.root / "source", None, "the selection leaves no profession to print.")
    return make_booklet(library, only, exclude)


def build(root: Path, only=(), exclude=(), paper: str | None = None, output: Path | None = None,
          library: Library | None = None) -> BuildResult:
    library = library or load(root)
    booklet = prepare(library, only, exclude, paper)
    html = render_html(booklet, library.root)
    rendered = render_pdf(html, library.root)
    pdf, page_of = finish(booklet, rendered)
    target = Path(output) if output else default_output(library, booklet)
    write_atomically(target, pdf)
    starts = [page_of[p.key] for p in booklet.profiles] + [page_of["index"]]
    overflowing = tuple(p for p, a, b in zip(booklet.profiles, starts, starts[1:]) if b - a > 2)
    return BuildResult(target, booklet, rendered.page_count, page_of, overflowing, rendered.warnings)
