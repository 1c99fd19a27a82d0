"""Subset Debian's Noto Serif and Noto Sans to what Indonesian text needs.

Run once when the fonts change: `python tools/subset_fonts.py`. Small, pre-subset faces keep
every PDF small and let identical font streams be shared between parts of a booklet.
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/noto")
TARGET = Path(__file__).resolve().parent.parent / "fonts"
FACES = [f"Noto{family}-{style}.ttf" for family in ("Serif", "Sans")
         for style in ("Regular", "Bold", "Italic", "BoldItalic")]
# Latin with the accents Indonesian names and loanwords use, plus typographic punctuation.
UNICODES = [
    *range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2028), *range(0x2030, 0x203B),
    0x20AC, 0x2122, 0x2212, *range(0x2190, 0x2194), 0xFFFD, 0x2026, 0x2022, 0x25CF,
]
FEATURES = ["kern", "liga", "clig", "calt", "ccmp", "locl", "mark", "mkmk",
            "onum", "lnum", "tnum", "pnum", "smcp", "c2sc", "frac"]
FIXED_TIME = 3850070400  # 2026-01-01 in seconds since 1904: output must not depend on when the script ran


def subset_face(source: Path, target: Path) -> None:
    options = subset.Options()
    options.layout_features = FEATURES
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    font["head"].created = font["head"].modified = FIXED_TIME
    font.save(target)


def main() -> int:
    TARGET.mkdir(exist_ok=True)
    for face in FACES:
        subset_face(SOURCE / face, TARGET / face)
        print(f"{face}: {(TARGET / face).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
