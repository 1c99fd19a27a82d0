"""Where the built-in layouts, fonts and labels live, in a checkout and when installed."""
from __future__ import annotations

from pathlib import Path

from .errors import BookletError

_PACKAGE = Path(__file__).resolve().parent


def builtin(name: str) -> Path:
    """`layouts` or `fonts`: at the repository's top in a checkout, inside the package when installed."""
    checkout = _PACKAGE.parent / name
    if (_PACKAGE.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return _PACKAGE / name


LABELS = _PACKAGE / "labels"


def own_folder(root: Path, name: str) -> Path:
    """A booklet folder's own `layouts` or `fonts`, which may not be a symbolic link: booklet
    reads a layout only from inside the booklet folder (docs/security.md)."""
    folder = Path(root) / name
    if folder.is_symlink():
        raise BookletError(folder, None, f"is a symbolic link; booklet reads a layout only from a real {name}/ folder inside the booklet folder (copy the files in).")
    return folder


def font_files(root: Path) -> list[Path]:
    """The font files a booklet folder's layouts may use: its own fonts/ first, then booklet's."""
    found = []
    for folder in (own_folder(root, "fonts"), builtin("fonts")):
        if folder.is_dir():
            found += [path for path in sorted(folder.iterdir())
                      if path.suffix.lower() in (".ttf", ".otf") and path.is_file()]
    return found


def file_states(*places: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of each file at or under `places` (those that exist),
    in a stable order: what changes when a file is edited, added or removed."""
    states = []
    for place in places:
        paths = sorted(place.rglob("*")) if place.is_dir() else [place]
        for path in paths:
            try:
                status = path.stat()
            except OSError:
                continue
            if path.is_file():
                states.append((str(path), status.st_size, status.st_mtime_ns))
    return tuple(states)
