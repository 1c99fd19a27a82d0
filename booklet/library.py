"""Read a booklet folder: `booklet.yaml` and every profile under `source/<field>/`."""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from pathlib import Path

from .config import load_config
from .errors import BookletError, Problem, cannot_read, error, warning
from .model import Config, Library, Profile
from .paths import builtin, font_files
from .reader import EmptyProfile, read_profile, title_of
from .text import fold

MAX_PROFILES = 5000


def slugify(name: str) -> str:
    """The slug of a file or folder name: lowercase ASCII letters, digits and hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _profile_files(source: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    files = []
    try:
        entries = sorted(source.iterdir())
    except OSError as exc:
        problems.append(cannot_read(source, exc))
        return files
    for entry in entries:
        if entry.name.startswith((".", "~")):
            continue
        if entry.is_symlink():
            problems.append(error(entry, None, "is a symbolic link; booklet only reads real files and folders inside source/."))
        elif entry.is_dir():
            field_name = slugify(entry.name)
            if not field_name:
                problems.append(error(entry, None, "the field folder's name needs letters or digits."))
                continue
            try:
                items = sorted(entry.iterdir())
            except OSError as exc:
                problems.append(cannot_read(entry, exc))
                continue
            for item in items:
                if item.name.startswith((".", "~")):
                    continue
                if item.is_symlink():
                    problems.append(error(item, None, "is a symbolic link; booklet only reads real files inside source/."))
                elif item.is_dir():
                    problems.append(warning(item, None, "folders inside a field folder are ignored; put profiles directly in source/<field>/."))
                elif item.suffix.lower() == ".txt":
                    files.append((item, field_name))
                else:
                    problems.append(warning(item, None, "is not a .txt file and was ignored."))
        else:
            problems.append(warning(entry, None, "profiles belong in a field folder (source/<field>/<name>.txt); this file was ignored."))
    return files


def drawable_characters(root: Path) -> frozenset[str] | None:
    """The characters every font the booklet may use can draw: its own fonts/ and booklet's,
    a file of the same name in its own folder taking the place of booklet's."""
    from fontTools.ttLib import TTFont  # loaded only for a profile with unusual characters

    fonts = {}
    for path in referenced_font_files(root) or font_files(root):
        fonts.setdefault(path.name, path)
    covered = None
    for path in fonts.values():
        try:
            codes = set(TTFont(path, lazy=True)["cmap"].getBestCmap())
        except Exception:  # a font fontTools cannot read: WeasyPrint reports it when it renders
            continue
        covered = codes if covered is None else covered & codes
    return None if covered is None else frozenset(map(chr, covered))


def referenced_font_files(root: Path) -> list[Path]:
    """The font files the layout's @font-face rules name (a booklet folder's own first, as the
    render reads them): the fonts that draw its text, not every file in fonts/."""
    import tinycss2

    from .folio_css import read_sheets
    from .layout import STYLESHEETS, layout_dirs
    root = Path(root).resolve()
    found = []
    for _, css in read_sheets(STYLESHEETS, layout_dirs(root)):
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type != "at-rule" or rule.lower_at_keyword != "font-face" or rule.content is None:
                continue
            for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if declaration.type == "declaration" and declaration.lower_name == "src":
                    found += [path for url in _urls(declaration.value) if (path := _layout_file(root, url))]
    return found


def _urls(tokens) -> list[str]:
    urls = []
    for token in tokens:
        if token.type == "url":
            urls.append(token.value)
        elif token.type == "function" and token.lower_name == "url":
            urls += [t.value for t in token.arguments if t.type == "string"]
    return urls


def _layout_file(root: Path, url: str) -> Path | None:
    """Where a URL in a stylesheet of layouts/ leads, as the render's fetcher finds it."""
    wanted = (root / "layouts" / url).resolve()
    for virtual in ("layouts", "fonts"):
        if wanted.is_relative_to(root / virtual):
            relative = wanted.relative_to(root / virtual)
            for folder in (root / virtual, builtin(virtual)):
                if (folder / relative).is_file():
                    return folder / relative
    return None


def load_library(root: Path, only=(), exclude=()) -> Library:
    """Read everything, or what a selection (see select.matches) names; errors in single files
    are collected, not raised, so `check` sees all."""
    root = Path(root)
    problems: list[Problem] = []
    try:
        config = load_config(root)
    except BookletError as exc:
        problems.append(exc.problem)
        config = Config()
    source = root / "source"
    if not source.is_dir():
        problems.append(error(source, None, "there is no source/ folder; put profiles in source/<field>/<name>.txt."))
        return Library(root, config, (), tuple(problems))
    output = (root / config.output).resolve()
    if output == source.resolve() or output.is_relative_to(source.resolve()):
        problems.append(error(root / "booklet.yaml", None, "the output folder may not be inside source/; source/ is only ever read."))

    files = _profile_files(source, problems)
    if len(files) > MAX_PROFILES:
        problems.append(error(source, None, f"there are {len(files)} profiles; a booklet may have at most {MAX_PROFILES}."))
        files = files[:MAX_PROFILES]
    # A selection parses only its own profiles: a subset neither waits for the others nor stops
    # at a mistake in one of them. Which they are, each file's title tells (a selector may be
    # one), read without the rest; a file whose title cannot be told so is read whole.
    names = [(field, slugify(path.stem), title_of(path) if only or exclude else None) for path, field in files]
    if only or exclude:
        from .select import by_field_title, selected  # here: select imports slugify from this module
        only, exclude = by_field_title(config, only), by_field_title(config, exclude)
        chosen = [file for file, name in zip(files, names) if name[2] is None or selected(*name, only, exclude)]
    else:
        chosen = files
    profiles: list[Profile] = []
    drawable = functools.cache(lambda: drawable_characters(root))
    by_slug: dict[str, Profile] = {}
    by_title: dict[str, Profile] = {}
    newest = None
    for path, field_name in chosen:
        slug = slugify(path.stem)
        try:
            profile, found = read_profile(path, field_name, slug, drawable)
        except EmptyProfile as exc:
            problems.append(warning(exc.path, exc.line, exc.sentence))
            continue
        except BookletError as exc:
            problems.append(exc.problem)
            continue
        problems.extend(found)
        if not slug:
            problems.append(error(path, None, "the file name needs letters or digits; it becomes the profession's short name."))
            continue
        if slug in by_slug:
            problems.append(error(path, None, f"another profile has the same short name \"{slug}\" ({by_slug[slug].source}); rename one of the files."))
            continue
        title_key = fold(profile.title)
        if title_key in by_title:
            problems.append(error(path, 1, f"another profile has the same title \"{profile.title}\" ({by_title[title_key].source})."))
            continue
        by_slug[slug] = by_title[title_key] = profile
        profiles.append(profile)
        mtime = path.stat().st_mtime
        newest = mtime if newest is None else max(newest, mtime)
    unread = set(files) - set(chosen)
    for path, _ in unread:  # the edition date is the newest profile's, as in a whole booklet
        try:
            newest = max(newest or 0, path.stat().st_mtime)
        except OSError:
            pass
    folders = {field for _, field in files}
    for name, _ in config.field_titles:
        if name not in folders and files:
            close = difflib.get_close_matches(name, sorted(folders), n=1)
            hint = f"; did you mean \"{close[0]}\"?" if close else "."
            problems.append(warning(root / "booklet.yaml", None, f"\"fields\" names \"{name}\", but source/ has no field folder of that name{hint}"))
    if not files and not any(p.severity == "error" for p in problems):
        problems.append(error(source, None, "there are no profiles; put them in source/<field>/<name>.txt."))
    return Library(root, config, tuple(profiles), tuple(problems), newest, tuple(names))
