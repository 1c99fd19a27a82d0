"""Write outputs so that a failed or interrupted build never leaves a broken file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BookletError

# Written into every HTML edition: the mark of a folder booklet may replace whole.
EDITION_MARK = ".booklet-html"


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside the target, fsync (if `durable`), then rename over it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BookletError(path, None, f"cannot write the output here ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # mkstemp creates files readable only by their owner; an output is an ordinary file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise BookletError(path, None, f"cannot write the output ({exc.strerror or exc}); the previous file, if any, is unchanged.") from None
        raise


def check_output(root: Path, target: Path, kind: str = "pdf", default: bool = False) -> Path:
    """Refuse an output that would cost the user a file: anything in source/, the booklet folder
    itself or a folder above it; a "pdf" whose name does not end in .pdf; an "edition" (the
    HTML edition, which replaces its folder whole) in a folder that holds anything but an
    earlier edition. A "folder" (of handouts) only gets PDFs written into it. `default`: the
    output is where booklet puts it unasked (dist/html), so an edition booklet wrote there before
    editions carried a mark is recognised by its shape."""
    folder = kind == "edition"
    # Through symbolic links: a link to source/ must not lead a write into it.
    root, target = Path(root).resolve(), Path(os.path.realpath(Path(target).expanduser()))
    source = (root / "source").resolve()  # source/ may itself be a link
    if target == source or target.is_relative_to(source):
        raise BookletError(target, None, "is inside source/, which booklet only ever reads; write the output elsewhere (dist/ by default).")
    if folder and root.is_relative_to(target):
        raise BookletError(target, None, "holds the booklet folder itself, and the HTML edition replaces its folder whole; give a new folder, such as dist/html.")
    if folder and target.exists():
        foreign = _not_of_an_edition(target, unmarked=default)
        if foreign:
            raise BookletError(target, None, f"already holds files that are not of an HTML edition of booklet's (\"{foreign}\"), and the edition replaces its folder whole; give a new or empty folder, such as dist/html.")
    elif kind == "pdf" and target.suffix.lower() != ".pdf":
        raise BookletError(target, None, "is not a PDF's name; give a file name that ends in .pdf (booklet writes PDFs over PDFs only).")
    return target


# What file managers leave in a folder they have shown: not the user's, and gone with the folder.
_FILE_MANAGER_FILES = {".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db", ".directory"}


def _file_managers(name: str) -> bool:
    name = Path(name).name
    return name in _FILE_MANAGER_FILES or name.startswith("._")  # macOS's on a USB stick


def _not_of_an_edition(folder: Path, unmarked: bool = False) -> str | None:
    """A file in `folder` that an edition booklet wrote does not account for, if any: not in
    its mark's list (or, `unmarked` allowed, an edition written before the mark: not index.html,
    web.css, fonts/ of fonts and field folders of pages). None if the folder may be replaced."""
    if not folder.is_dir():
        return folder.name
    try:
        files = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir() or path.is_symlink()}
        files = {name for name in files if not _file_managers(name)}
        mark = folder / EDITION_MARK
        if mark.is_file() and not mark.is_symlink():
            listed = {line.strip() for line in mark.read_text(encoding="utf-8").splitlines()[1:] if line.strip()}
            return next(iter(sorted(files - listed - {EDITION_MARK})), None)
        if files and not unmarked:
            return sorted(files)[0]
        if files and not {"index.html", "web.css"} <= files:
            return sorted(files)[0]
        return next((name for name in sorted(files) if not (
            name in ("index.html", "web.css")
            or (name.startswith("fonts/") and name.count("/") == 1 and Path(name).suffix.lower() in (".ttf", ".otf", ".woff2", ".txt"))
            or (name.count("/") == 1 and name.endswith(".html") and not name.startswith("fonts/")))), None)
    except (OSError, UnicodeDecodeError):
        return folder.name


def write_edition_mark(folder: Path) -> None:
    """The mark of an edition: a line to say what it is, then every file booklet wrote."""
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    (folder / EDITION_MARK).write_text("Written by booklet; the next HTML edition replaces these files:\n"
                                       + "".join(f"{name}\n" for name in files), encoding="utf-8")
