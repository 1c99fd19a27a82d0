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


def check_output(root: Path, target: Path, folder: bool = False) -> Path:
    """Refuse an output that would cost the user a file: anything in source/, the booklet folder
    itself or a folder above it, a file that is not a PDF, and (`folder`: the HTML edition,
    which replaces its folder whole) a folder that holds anything but an earlier edition."""
    root, target = Path(root).resolve(), Path(os.path.abspath(target))
    source = root / "source"
    if target == source or target.is_relative_to(source):
        raise BookletError(target, None, "is inside source/, which booklet only ever reads; write the output elsewhere (dist/ by default).")
    if root.is_relative_to(target):
        raise BookletError(target, None, "holds the booklet folder itself; give a new folder for the output, such as dist/html.")
    if folder:
        if target.exists() and not (target.is_dir() and _replaceable_edition(target)):
            raise BookletError(target, None, "already holds files that are not an HTML edition of booklet's; give a new or empty folder, such as dist/html.")
    elif target.exists() and not target.is_dir() and target.suffix.lower() != ".pdf":
        raise BookletError(target, None, "exists and is not a PDF; booklet writes PDFs over PDFs only, so give another file name.")
    return target


def _replaceable_edition(folder: Path) -> bool:
    """Empty, or an edition booklet wrote (its mark; or, written before the mark, nothing but
    index.html, web.css, fonts/ and field folders of .html pages)."""
    try:
        entries = list(folder.iterdir())
        if not entries or (folder / EDITION_MARK).is_file():
            return True
        if not (folder / "index.html").is_file():
            return False
        for entry in entries:
            if entry.name in ("index.html", "web.css") and entry.is_file():
                continue
            if entry.is_dir() and entry.name == "fonts":
                continue
            if entry.is_dir() and not entry.is_symlink() and all(p.suffix == ".html" and p.is_file() for p in entry.iterdir()):
                continue
            return False
        return True
    except OSError:
        return False
