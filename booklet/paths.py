"""Where the built-in layouts, fonts and labels live, in a checkout and when installed."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def builtin(name: str) -> Path:
    """`layouts` or `fonts`: at the repository's top in a checkout, inside the package when installed."""
    checkout = _PACKAGE.parent / name
    if (_PACKAGE.parent / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return _PACKAGE / name


LABELS = _PACKAGE / "labels"
