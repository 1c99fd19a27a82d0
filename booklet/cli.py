"""The `booklet` command: a thin layer over the library API."""
from __future__ import annotations

import functools
import json
import re
import signal
import sys
import time
from pathlib import Path

import click

from . import __version__
from .api import CACHE, IMPOSITIONS, check_layouts, last_pages, load, start_early
from .api import build as build_booklet
from .api import build_html
from .api import handouts as build_handouts
from .errors import BookletError
from .library import load_library
from .model import Library, PrintOptions
from .scaffold import init_booklet, new_profile
from .select import by_field_title, make_booklet, select_profiles, unmatched

PAPERS = ("A4", "A5", "F4")
THICK_STACK = 20  # sheets: about what a long-arm stapler takes, folded (80 pages)
MARKS = ("crop", "cross", "crop cross")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u")

project_option = click.option(
    "--project", "-p", "project", type=click.Path(file_okay=False, exists=True, path_type=Path), default=".",
    show_default=True, help="The booklet folder (holds source/ and optionally booklet.yaml, layouts/, fonts/).")


def user_errors(command):
    """Print a user's mistake as one plain line and exit 1; anything else is a bug."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BookletError as exc:
            click.echo(str(exc.problem), err=True)
            raise SystemExit(1) from None
        except KeyboardInterrupt:
            # Outputs are renamed into place only when complete: nothing half-written remains.
            # Handouts are several files, each whole: those written before the Ctrl-C are new.
            said = ("Interrupted; each handout is either the new one or the previous one, none half-written."
                    if command.__name__ == "handouts" else "Interrupted; the previous output is unchanged.")
            click.echo(said, err=True)
            raise SystemExit(130) from None
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
@click.option("--project", "-p", "project", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="The booklet folder, for the command that follows (which may also take it).")
@click.pass_context
def cli(ctx, project):
    """Turn a folder of career profiles into a print-ready PDF booklet.

    \b
    Example:
      booklet check
      booklet build --only politik
      booklet --project ~/buku-karier build
    """
    if project is not None:  # `booklet -p DIR build` as well as `booklet build -p DIR`
        ctx.default_map = {name: {"project": project} for name in cli.commands}


@cli.command()
@project_option
def check(project: Path):
    """Read every profile, and the templates the booklet overrides; report every problem.

    Exits 1 if there are errors, 0 otherwise.

    \b
    Example:
      booklet check --project ~/buku-karier
    """
    library = load_library(project)
    problems = list(library.problems)
    if library.profiles:
        problems += check_layouts(library)
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    fields = {p.field for p in library.profiles}
    majors = make_booklet(library).majors if library.profiles else ()
    errors = sum(p.severity == "error" for p in problems)
    click.echo(f"{len(library.profiles)} profiles, {len(fields)} fields, {len(majors)} majors, "
               f"{errors} errors, {len(problems) - errors} warnings")
    raise SystemExit(1 if errors else 0)


@cli.command("list")
@project_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array of professions, for scripts.")
@user_errors
def list_(project: Path, as_json: bool):
    """List the fields and their professions: the names --only accepts, and the pages each
    took in the last build.

    \b
    Examples:
      booklet list
      booklet list --json
    """
    library = load(project)
    for problem in library.warnings:  # a profile waiting for its text is not listed: say why
        click.echo(str(problem), err=True)
    pages = last_pages(library.root)
    if as_json:
        click.echo(json.dumps([{"field": p.field, "slug": p.slug, "key": p.key, "title": p.title,
                                "source": str(p.source), "pages": pages.get(p.key)}
                               for p in sorted(library.profiles, key=lambda p: p.key)], ensure_ascii=False, indent=1))
        return
    # In the booklet's order: fields as booklet.yaml lists them, professions by title.
    for field in make_booklet(library).fields if library.profiles else ():
        click.echo(f"{field.name}  ({field.title}, {len(field.profiles)})")
        for profile in field.profiles:
            count = pages.get(profile.key)
            click.echo(f"  {profile.key}  {profile.title}" + (f"  [{_plural(count, 'page')}]" if count else ""))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@user_errors
def init(folder: Path):
    """Start a booklet folder: booklet.yaml, BACA-SAYA.md and an example profile.

    Never overwrites a file.

    \b
    Example:
      booklet init buku-karier && cd buku-karier && booklet build
    """
    for path in init_booklet(folder):
        click.echo(f"created {path}")
    click.echo(f"Next: cd {folder}, read BACA-SAYA.md, then `booklet build`.")


@cli.command()
@click.argument("title")
@click.option("--field", "-f", required=True, help="The field folder under source/, such as kesehatan.")
@project_option
@user_errors
def new(title: str, field: str, project: Path):
    """Add a profession: source/<field>/<slug>.txt with the five headings to fill in.

    The slug is the title in lowercase ASCII with anything but letters and digits turned into
    hyphens ("Ahli Gizi & Pangan" -> ahli-gizi-pangan). Never overwrites a profile.

    \b
    Example:
      booklet new "Ahli Gizi" --field kesehatan
    """
    path = new_profile(project, title, field)
    click.echo(f"created {path}; write under each heading, then `booklet check`.")


def _bleed(ctx, param, value):
    if value is None:
        return 0
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm)?\s*", value)
    if not match or not 0 <= float(match.group(1)) <= 10:
        raise click.BadParameter(f"\"{value}\" is not a bleed; give millimetres from 0 to 10, such as 3mm.")
    return float(match.group(1))


def selection_options(command):
    for option in reversed((
        project_option,
        click.option("--only", multiple=True, metavar="SEL", help="Keep only these: a field, a slug, or a glob over field/slug. Repeatable."),
        click.option("--exclude", multiple=True, metavar="SEL", help="Leave these out (same forms as --only). Repeatable."),
        click.option("--paper", type=click.Choice(PAPERS, case_sensitive=False), help="Paper size (default: booklet.yaml, else A4)."),
    )):
        command = option(command)
    return command


def print_options(command):
    for option in reversed((
        click.option("--grayscale", is_flag=True, help="Black and grey only, no tinted areas: for low-ink or black-and-white printers."),
        click.option("--pdf-variant", type=click.Choice(PDF_VARIANTS, case_sensitive=False),
                     help="An accessible (pdf/ua-1) or archival (pdf/a-...) PDF. See README: which rules are checked."),
    )):
        command = option(command)
    return command


def _read_selection(project: Path, only, exclude) -> Library:
    """Load and report problems; a selector that matches nothing is a usage error."""
    library = load_library(project, only, exclude)
    for problem in library.problems:
        click.echo(str(problem), err=True)
    if library.errors:
        raise SystemExit(1)
    only, exclude = by_field_title(library.config, only), by_field_title(library.config, exclude)
    missing = unmatched(library, tuple(only) + tuple(exclude))
    if missing:
        fields = ", ".join(sorted({file[0] for file in library.files}))
        raise click.BadParameter(f"\"{missing[0]}\" matches no profession. Fields: {fields}. See `booklet list`.",
                                 param_hint="--only/--exclude")
    if (only or exclude) and library.files and not select_profiles(library.profiles, only, exclude):
        raise click.BadParameter("the selection leaves no profession to print.", param_hint="--only/--exclude")
    return library


@cli.command()
@selection_options
@print_options
@click.option("--bleed", callback=_bleed, metavar="MM", help="Print backgrounds this far past the trim edge, for a print shop (e.g. 3mm).")
@click.option("--marks", type=click.Choice(MARKS), help="Draw crop or cross marks outside the trimmed page, for a print shop.")
@click.option("--impose", type=click.Choice(IMPOSITIONS), help="saddle: A5 pages two-up on A4 sheets, to print duplex, fold and staple.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the PDF (default: dist/booklet.pdf, or dist/booklet-<sel>.pdf for a subset); with --format html, the folder.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Worker processes (default: one per available core).")
@click.option("--single-pass", is_flag=True, help="Render the whole booklet as one document, without parts or cache (slower; the reference the fast build is checked against).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .booklet-cache/.")
@click.option("--format", "output_format", type=click.Choice(("pdf", "html")), default="pdf", show_default=True,
              help="html: the HTML edition in dist/html/ (index page with contents and index, one page per profession).")
@click.option("--watch", "-w", is_flag=True, help="Build, then build again whenever a profile, booklet.yaml, a layout or a font changes; Ctrl-C stops.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors.")
@click.option("--verbose", "-v", is_flag=True, help="Also print each profession's pages.")
@user_errors
def build(project: Path, only, exclude, paper, grayscale, pdf_variant, bleed, marks, impose, output, jobs, single_pass,
          no_cache, output_format, watch, quiet, verbose):
    """Build the PDF booklet.

    \b
    Examples:
      booklet build
      booklet build --only politik --paper A5
      booklet build --only 'kesehatan/*' --exclude perawat -o dist/kesehatan.pdf
      booklet build --impose saddle            (fold and staple from A4 sheets)
      booklet build --bleed 3mm --marks crop   (for a print shop)
      booklet build --pdf-variant pdf/ua-1     (accessible PDF)
    """
    options = PrintOptions(bleed_mm=bleed, marks=marks, grayscale=grayscale,
                           pdf_variant=pdf_variant.lower() if pdf_variant else None)
    settings = dict(paper=paper, output=output, options=options, impose=impose, single_pass=single_pass,
                    jobs=jobs, cache=not no_cache)
    if output_format == "pdf" and output is not None and output.is_dir():
        raise click.BadParameter(f"\"{output}\" is a folder; give the PDF's file name.", param_hint="-o/--output")
    if impose is not None and ((paper and paper.upper() != "A5") or bleed or marks):
        raise click.UsageError("a saddle-stitched booklet (--impose) is made of A5 pages folded from A4 sheets, without bleed or crop marks; leave out --paper, --bleed and --marks.")
    if output_format == "html":
        library = _read_selection(project, only, exclude)
        edition = build_html(project, only, exclude, output, library=library)
        if not quiet:
            click.echo(f"{edition.pages} pages -> {edition.folder / 'index.html'}")
        return
    if watch:
        _watch(project, only, exclude, settings, quiet, verbose)
        return
    _build_once(project, only, exclude, settings, quiet, verbose)


def _build_once(project: Path, only, exclude, settings: dict, quiet: bool, verbose: bool):
    started = time.monotonic()
    start_early(project, only, exclude, **settings)
    library = _read_selection(project, only, exclude)
    with _progress(quiet) as progress:
        result = build_booklet(project, only, exclude, library=library, progress=progress, **settings)
    notes = [f"warning: {message}" for message in result.warnings] + list(result.notes)
    for profile in result.overflowing:
        pages = _pages_of(result, profile)
        notes.append(f"{profile.source}: note: \"{profile.title}\" takes {pages} pages, more than one spread.")
    if verbose:
        for profile in result.booklet.profiles:
            first = result.page_of[profile.key]
            click.echo(f"  {first:>4}-{first + _pages_of(result, profile) - 1:<4} {profile.key}")
    if not quiet:
        for note in notes:
            click.echo(note, err=True)
        if len(notes) > 3:
            click.echo(f"{len(result.warnings)} warnings, {len(result.overflowing)} notes (above)", err=True)
        click.echo(f"{result.page_count} pages, {len(result.booklet.profiles)} professions -> {result.path} "
                   f"({time.monotonic() - started:.1f} s)")
        if result.sheets:
            click.echo(f"Load {_plural(result.sheets, 'sheet')} of A4 paper. Print both sides, "
                       "flip on short edge, actual size (100%, no fit to page); fold the stack in half and staple "
                       "on the fold. Steps in Indonesian: docs/cetak-buklet.md")
            if result.sheets > THICK_STACK:
                click.echo(f"Note: {result.sheets} sheets fold into a thick booklet that a stapler may not go through; "
                           "consider one booklet per field (--only <field>) or a print shop's binding.")
    return result


class _progress:
    """A progress bar over the professions being rendered, on a terminal only."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, done: int, total: int, profile):
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering", file=sys.stderr,
                                         item_show_func=lambda p: p.key if p else "")
            self.bar.__enter__()
        self.bar.update(1, profile)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _watch(project: Path, only, exclude, settings: dict, quiet: bool, verbose: bool):
    """Build, then rebuild on every saved change until Ctrl-C; a broken file is reported and
    the last good PDF stays until it is fixed."""
    import watchfiles

    project = Path(project).resolve()
    ignored = {CACHE, "dist", ".git"}

    def relevant(change, path: str) -> bool:
        relative = Path(path).relative_to(project) if Path(path).is_relative_to(project) else Path(path)
        if relative.parts and (relative.parts[0] in ignored or relative.name.startswith((".", "~"))):
            return False
        return relative.parts[:1] in (("source",), ("layouts",), ("fonts",)) or relative.name == "booklet.yaml"

    def attempt():
        try:
            _build_once(project, only, exclude, settings, quiet, verbose)
        except BookletError as exc:
            click.echo(str(exc.problem), err=True)
        except (SystemExit, click.UsageError) as exc:
            if isinstance(exc, click.UsageError):
                click.echo(f"error: {exc.format_message()}", err=True)
        click.echo("Watching for changes (Ctrl-C to stop)...", err=True)

    attempt()
    try:
        for changes in watchfiles.watch(project, watch_filter=relevant, debounce=300, raise_interrupt=True):
            for _, path in sorted(changes, key=lambda c: c[1]):
                click.echo(f"changed: {Path(path).relative_to(project)}", err=True)
            attempt()
    except KeyboardInterrupt:
        click.echo("Stopped watching.", err=True)


@cli.command()
@selection_options
@print_options
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for the handouts (default: dist/handouts).")
@user_errors
def handouts(project: Path, only, exclude, paper, grayscale, pdf_variant, output):
    """Write one PDF per profession, to hand to a student: dist/handouts/<field>/<slug>.pdf.

    \b
    Examples:
      booklet handouts
      booklet handouts --only kesehatan --grayscale
    """
    library = _read_selection(project, only, exclude)
    options = PrintOptions(grayscale=grayscale, pdf_variant=pdf_variant.lower() if pdf_variant else None)
    made = build_handouts(project, only, exclude, paper, output, library=library, options=options)
    for handout in made:
        click.echo(f"{handout.path}  ({_plural(handout.page_count, 'page')})")
    click.echo(_plural(len(made), "handout"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _pages_of(result, profile) -> int:
    starts = sorted(v for v in result.page_of.values() if v)
    start = result.page_of[profile.key]
    later = [s for s in starts if s > start]
    return (later[0] if later else result.page_count + 1) - start


def main():
    try:
        cli(prog_name="booklet")
    finally:
        # The command is over and its output written (or left as it was). A Ctrl-C while
        # Python shuts down, when its own handler is gone, killed the process by the signal.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
