"""The `booklet` command: a thin layer over the library API."""
from __future__ import annotations

import functools
import time
from pathlib import Path

import click

from . import __version__
from .build import build as build_booklet
from .build import load
from .errors import BookletError
from .library import load_library
from .model import Library
from .select import field_title, make_booklet, unmatched

PAPERS = ("A4", "A5", "F4")

project_option = click.option(
    "--project", "-p", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
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
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="booklet")
def cli():
    """Turn a folder of career profiles into a print-ready PDF booklet.

    \b
    Example:
      booklet check
      booklet build --only politik
    """


@cli.command()
@project_option
def check(project: Path):
    """Read every profile and report every problem.

    Exits 1 if there are errors, 0 otherwise.

    \b
    Example:
      booklet check --project ~/buku-karier
    """
    library = load_library(project)
    for problem in library.problems:
        click.echo(str(problem), err=problem.severity == "error")
    fields = {p.field for p in library.profiles}
    majors = make_booklet(library).majors if library.profiles else ()
    click.echo(f"{len(library.profiles)} profiles, {len(fields)} fields, {len(majors)} majors, "
               f"{len(library.errors)} errors, {len(library.warnings)} warnings")
    raise SystemExit(1 if library.errors else 0)


@cli.command("list")
@project_option
@user_errors
def list_(project: Path):
    """List the fields and their professions: the names --only accepts.

    \b
    Example:
      booklet list
    """
    library = load(project)
    for name, profiles in _by_field(library).items():
        click.echo(f"{name}  ({field_title(name)}, {len(profiles)})")
        for profile in profiles:
            click.echo(f"  {profile.key}  {profile.title}")


def _by_field(library: Library) -> dict:
    fields: dict = {}
    for profile in sorted(library.profiles, key=lambda p: p.key):
        fields.setdefault(profile.field, []).append(profile)
    return fields


@cli.command()
@project_option
@click.option("--only", multiple=True, metavar="SEL", help="Keep only these: a field, a slug, or a glob over field/slug. Repeatable.")
@click.option("--exclude", multiple=True, metavar="SEL", help="Leave these out (same forms as --only). Repeatable.")
@click.option("--paper", type=click.Choice(PAPERS, case_sensitive=False), help="Paper size (default: booklet.yaml, else A4).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Where to write the PDF (default: dist/booklet.pdf, or dist/booklet-<sel>.pdf for a subset).")
@user_errors
def build(project: Path, only, exclude, paper, output):
    """Build the PDF booklet.

    \b
    Examples:
      booklet build
      booklet build --only politik --paper A5
      booklet build --only 'kesehatan/*' --exclude perawat -o dist/kesehatan.pdf
    """
    started = time.monotonic()
    library = load_library(project)
    for problem in library.problems:
        click.echo(str(problem), err=True)
    if library.errors:
        raise SystemExit(1)
    missing = unmatched(library.profiles, tuple(only) + tuple(exclude))
    if missing:
        fields = ", ".join(sorted({p.field for p in library.profiles}))
        raise click.BadParameter(f"\"{missing[0]}\" matches no profession. Fields: {fields}. See `booklet list`.",
                                 param_hint="--only/--exclude")
    result = build_booklet(project, only, exclude, paper, output, library=library)
    for message in result.warnings:
        click.echo(f"warning: {message}", err=True)
    for profile in result.overflowing:
        pages = _pages_of(result, profile)
        click.echo(f"{profile.source}: note: \"{profile.title}\" takes {pages} pages, more than one spread.", err=True)
    click.echo(f"{result.page_count} pages, {len(result.booklet.profiles)} professions -> {result.path} "
               f"({time.monotonic() - started:.1f} s)")


def _pages_of(result, profile) -> int:
    starts = sorted(v for v in result.page_of.values() if v)
    start = result.page_of[profile.key]
    later = [s for s in starts if s > start]
    return (later[0] if later else result.page_count + 1) - start


def main():
    cli(prog_name="booklet")
