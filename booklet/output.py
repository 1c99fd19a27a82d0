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


def check_output(root: Path, target: Path, kind: str = "pdf") -> Path:
    """Refuse an output that would cost the user a file: anything in source/, the booklet folder
    itself or a folder above it; a "pdf" whose name does not end in .pdf; an "edition" (the
    HTML edition, which replaces its folder whole) in a folder that holds anything but an
    earlier edition. A "folder" (of handouts) only gets PDFs written into it."""
    folder = kind == "edition"
    # Through symbolic links: a link to source/ must not lead a write into it.
    root, target = Path(root).resolve(), Path(os.path.realpath(Path(target).expanduser()))
    source = root / "source"
    if target == source or target.is_relative_to(source):
        raise BookletError(target, None, "is inside source/, which booklet only ever reads; write the output elsewhere (dist/ by default).")
    if root.is_relative_to(target):
        raise BookletError(target, None, "holds the booklet folder itself; give a new folder for the output, such as dist/html.")
    if folder:
        if target.exists() and not (target.is_dir() and _replaceable_edition(target)):
            raise BookletError(target, None, "already holds files that are not an HTML edition of booklet's; give a new or empty folder, such as dist/html.")
    elif kind == "pdf" and target.suffix.lower() != ".pdf":
        raise BookletError(target, None, "is not a PDF's name; give a file name that ends in .pdf (booklet writes PDFs over PDFs only).")
    return target


def _replaceable_edition(folder: Path) -> bool:
    """Empty, or holding nothing but an edition booklet wrote: the files its mark lists (or,
    written before the mark, index.html, web.css, fonts/ of fonts and field folders of pages)."""
    try:
        files = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir() or path.is_symlink()}
        if not files:
            return True
        mark = folder / EDITION_MARK
        if mark.is_file() and not mark.is_symlink():
            listed = {line.strip() for line in mark.read_text(encoding="utf-8").splitlines()[1:] if line.strip()}
            return files <= listed | {EDITION_MARK}
        return {"index.html", "web.css"} <= files and all(
            name in ("index.html", "web.css")
            or (name.startswith("fonts/") and name.count("/") == 1 and Path(name).suffix.lower() in (".ttf", ".otf", ".woff2", ".txt"))
            or (name.count("/") == 1 and name.endswith(".html") and not name.startswith("fonts/"))
            for name in files)
    except (OSError, UnicodeDecodeError):
        return False


def write_edition_mark(folder: Path) -> None:
    """The mark of an edition: a line to say what it is, then every file booklet wrote."""
    files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
    (folder / EDITION_MARK).write_text("Written by booklet; the next HTML edition replaces these files:\n"
                                       + "".join(f"{name}\n" for name in files), encoding="utf-8")
