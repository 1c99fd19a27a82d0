"""Read one profile: a title, then five headed parts (see docs/format.md)."""
from __future__ import annotations

import difflib
from functools import lru_cache
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BookletError, Problem, warning
from .model import Profile
from .text import clean_lines, decode

# The five parts in booklet order: (key, canonical heading, is a list).
PARTS = (
    ("overview", "Profil Profesi", False),
    ("fit", "Apa saya cocok bekerja sebagai …?", False),
    ("reality", "Konsep, ekspektasi dan realita", False),
    ("majors", "Jurusan Kuliah yang Mendukung", True),
    ("employers", "Contoh perusahaan atau institusi yang membutuhkan", True),
)
_LIST_PARTS = {key for key, _, is_list in PARTS if is_list}
_HEADING_NAMES = {key: heading for key, heading, _ in PARTS}

_LETTERS = re.compile(r"[^a-z]+")
_FIXED_HEADINGS = {
    "profilprofesi": "overview",
    "konsepekspektasidanrealita": "reality",
    "konsepekspektasirealita": "reality",
    "jurusankuliahyangmendukung": "majors",
    "contohperusahaanatauinstitusiyangmembutuhkan": "employers",
}
_FIT = re.compile(r"^apa(kah)? (saya|aku|kamu|anda) cocok (bekerja |menjadi )?(sebagai )?\S.*$")
_MARKER = re.compile(r"^(?:[-*•–·▪◦]|\d{1,3}[.)])\s*")
# A list item longer than this, or holding more than one sentence, is a paragraph.
_MAX_ITEM_WORDS = 25
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")


def heading_kind(line: str) -> str | None:
    """Which part a line starts, or None: case, spacing and a trailing colon do not matter."""
    if not line or len(line) > 160:
        return None
    plain = line.rstrip(":").strip()
    letters = _LETTERS.sub("", plain.lower())
    if letters in _FIXED_HEADINGS:
        return _FIXED_HEADINGS[letters]
    lower = re.sub(r"\s+\?", "?", plain.lower())
    if lower.endswith("?") and _FIT.match(lower):
        return "fit"
    return None


# One matcher per heading: SequenceMatcher indexes its second sequence once.
_HEADING_MATCHERS = [(difflib.SequenceMatcher(None, "", letters), key) for letters, key in _FIXED_HEADINGS.items()]


@lru_cache(maxsize=8192)  # list items repeat across profiles; the comparison is not cheap
def _looks_like_heading(line: str) -> str | None:
    """The canonical heading a misspelled heading line resembles, if any."""
    if len(line.split()) > 9:
        return None
    plain = _LETTERS.sub("", line.lower())
    for matcher, key in _HEADING_MATCHERS:
        matcher.set_seq1(plain)
        # The quick bounds rule out most lines before the full comparison.
        if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
            return _HEADING_NAMES[key]
    if plain.startswith(("apasaya", "apakahsaya")) and "cocok" not in plain:
        return _HEADING_NAMES["fit"]
    return None


def _fit_heading(line: str) -> str:
    text = re.sub(r"\s+\?", "?", line.rstrip(":").strip())
    return text if text.endswith("?") else text + "?"


@dataclass
class _Part:
    key: str
    line: int
    heading: str
    blocks: list = field(default_factory=list)  # paragraphs or items
    open_paragraph: bool = False


def parse_profile(text: str, path: Path, field_name: str, slug: str) -> tuple[Profile, list[Problem]]:
    """Parse one profile's text. Raises BookletError for the first error; returns warnings."""
    lines, problems = clean_lines(text, path)
    numbered = [(n, line) for n, line in enumerate(lines, start=1)]
    content = [(n, line) for n, line in numbered if line]
    if not content:
        raise BookletError(path, 1, "the file is empty; a profile starts with the profession's name on the first line.")
    title_line, title = content[0]
    if heading_kind(title):
        raise BookletError(path, title_line, "the profile has no title; its first line should be the profession's name, before the heading \"Profil Profesi\".")
    if len(title) > 120 or title.endswith("."):
        raise BookletError(path, title_line, "the first line should be the profession's name (a short title), not a sentence.")
    if not any(heading_kind(line) for _, line in content[1:]):
        raise BookletError(path, title_line, "no recognised heading was found; a profile needs the headings " + ", ".join(f"\"{h}\"" for _, h, _ in PARTS) + ".")

    parts: dict[str, _Part] = {}
    current: _Part | None = None
    for number, line in numbered[title_line:]:
        if not line:
            if current is not None:
                current.open_paragraph = False
            continue
        kind = heading_kind(line)
        if kind:
            if kind in parts:
                raise BookletError(path, number, f"the heading \"{_HEADING_NAMES[kind]}\" appears a second time (first on line {parts[kind].line}).")
            _close(current, path)
            current = parts[kind] = _Part(kind, number, line)
            continue
        if current is None:
            raise BookletError(path, number, f"expected a heading such as \"Profil Profesi\" here, but found \"{_short(line)}\".")
        resembles = _looks_like_heading(line)
        if resembles and (current.key in _LIST_PARTS or not current.open_paragraph):
            raise BookletError(path, number, f"\"{_short(line)}\" is not a known heading; did you mean \"{resembles}\"?")
        if current.key in _LIST_PARTS:
            item = _MARKER.sub("", line).strip()
            if not item:
                continue
            if len(item.split()) > _MAX_ITEM_WORDS or _SENTENCE_BREAK.search(item):
                raise BookletError(path, number, f"the list under \"{_HEADING_NAMES[current.key]}\" has a paragraph in it; put one short item on each line.")
            if line.endswith(":") and len(line.split()) <= 9:
                raise BookletError(path, number, f"\"{_short(line)}\" looks like a heading but is not one booklet knows; expected one item per line or one of the five headings.")
            current.blocks.append(item.rstrip(";,"))
        elif current.open_paragraph:
            current.blocks[-1] += " " + line
        else:
            current.blocks.append(line)
            current.open_paragraph = True
    _close(current, path)

    for key, heading, _ in PARTS:
        if key not in parts:
            problems.append(warning(path, None, f"the part \"{heading}\" is missing."))
    order = [parts[k].line for k, _, _ in PARTS if k in parts]
    if order != sorted(order):
        problems.append(warning(path, None, "the parts are not in the usual order; the booklet prints them in the usual order."))

    def blocks(key):
        return tuple(parts[key].blocks) if key in parts else ()

    profile = Profile(
        field=field_name,
        slug=slug,
        title=title,
        source=path,
        overview=blocks("overview"),
        fit_heading=_fit_heading(parts["fit"].heading) if "fit" in parts else "",
        fit=blocks("fit"),
        reality=blocks("reality"),
        majors=blocks("majors"),
        employers=blocks("employers"),
    )
    return profile, problems


def _close(part: _Part | None, path: Path) -> None:
    if part is not None and not part.blocks:
        raise BookletError(path, part.line, f"the heading \"{part.heading}\" has nothing under it.")


def _short(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "…"


def read_profile(path: Path, field_name: str, slug: str) -> tuple[Profile, list[Problem]]:
    """Read and parse a profile file."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise BookletError(path, None, "the file cannot be read (permission denied).") from None
    except OSError as exc:
        raise BookletError(path, None, f"the file cannot be read ({exc.strerror or exc}).") from None
    text, problems = decode(data, path)
    profile, more = parse_profile(text, path, field_name, slug)
    return profile, problems + more
