"""The HTML edition: the same booklet as web pages, for a school's site or a shared folder."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError
from .output import check_output, write_edition_mark
from .layout import _common, render_template
from .library import slugify
from .model import Booklet, PrintOptions
from .paths import builtin
from .text import fold


@dataclass(frozen=True)
class HtmlEdition:
    folder: Path
    pages: int


def _major_ids(booklet: Booklet) -> tuple[dict, dict]:
    """An anchor per index entry, and the entry each spelling in a profile was merged into
    (by the same rule as the index: aliases, then case and spacing)."""
    ids = {}
    for major in booklet.majors:
        base = "m-" + (slugify(major.name) or "jurusan")
        anchor, n = base, 2
        while anchor in ids.values():
            anchor, n = f"{base}-{n}", n + 1
        ids[major.name] = anchor
    alias_of = {fold(spelling): display for display, variants in booklet.config.major_aliases
                for spelling in (display, *variants)}
    entry = {fold(major.name): major.name for major in booklet.majors}
    entry_of = {spelling: entry[fold(alias_of.get(fold(spelling), spelling))]
                for profile in booklet.profiles for spelling in profile.majors}
    return ids, entry_of


def write_html_edition(booklet: Booklet, root: Path, folder: Path, default: bool = False) -> HtmlEdition:
    """Write index.html, one page per profession, the stylesheet and fonts into `folder`,
    replacing it whole only once everything is written."""
    root, folder = Path(root), check_output(root, folder, kind="edition", default=default)
    common = _common(booklet, root, PrintOptions())
    ids, entry_of = _major_ids(booklet)
    pages = {p.key: f"{p.field}/{p.slug}.html" for p in booklet.profiles}
    profiles = booklet.profiles
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as exc:
        raise BookletError(folder, None, f"cannot write the HTML edition here ({exc.strerror or exc}).") from None
    try:
        (work / "index.html").write_text(render_template(root, "web/index.html.j2",
            **common, up="", pages=pages, major_ids=ids), encoding="utf-8")
        for number, profile in enumerate(profiles):
            field = next(f for f in booklet.fields if profile in f.profiles)
            target = work / pages[profile.key]
            target.parent.mkdir(exist_ok=True)
            target.write_text(render_template(root, "web/profession.html.j2",
                **common, up="../", pages=pages, major_ids=ids, major_of=entry_of, field=field, profile=profile,
                previous=profiles[number - 1] if number else None,
                next=profiles[number + 1] if number + 1 < len(profiles) else None), encoding="utf-8")
        _copy_assets(root, work)
        write_edition_mark(work)
        _replace(work, folder)
    except BaseException as exc:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, OSError):
            raise BookletError(folder, None, f"cannot write the HTML edition ({exc.strerror or exc}); the previous one, if any, is unchanged.") from None
        raise
    return HtmlEdition(folder, len(profiles) + 1)


def _copy_assets(root: Path, work: Path) -> None:
    for folder in (root / "layouts" / "web", builtin("layouts") / "web"):
        if (folder / "web.css").is_file():
            shutil.copyfile(folder / "web.css", work / "web.css")
            break
    (work / "fonts").mkdir()
    for folder in (builtin("fonts"), root / "fonts"):  # the booklet's own fonts win
        if folder.is_dir():
            for path in folder.iterdir():
                if path.suffix.lower() in (".ttf", ".otf", ".woff2") or path.name == "OFL.txt":
                    shutil.copyfile(path, work / "fonts" / path.name)


def _replace(work: Path, folder: Path) -> None:
    """Swap the new folder in: renames only, so a reader never sees half an edition."""
    old = None
    if folder.exists():
        if not folder.is_dir():
            raise BookletError(folder, None, "exists and is not a folder; the HTML edition was not written.")
        # A fresh name: an old edition that could not be deleted must not block the next.
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
        folder.rename(old / folder.name)
    work.chmod(0o755)  # mkdtemp makes a private folder; an edition is meant to be shared
    work.rename(folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
