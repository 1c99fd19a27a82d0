"""Turning bytes from counselors' word processors into clean, normalized lines."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .errors import BookletError, Problem, warning

# Limits that keep a single broken or hostile file from exhausting memory or time.
# They are documented in docs/format.md.
MAX_FILE_BYTES = 1_000_000
MAX_LINE_CHARS = 50_000

# The mark of a word hyphenated at a line's end in text copied from a PDF (WeasyPrint's, or a
# soft hyphen); the reader joins such a word again without it.
HYPHENATION_MARK = "\u2010"
# Zero-width characters, soft hyphens and emoji variation selectors (a phone's "✔️").
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f"), None)
_BIDI = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# What _SPACES would change: whitespace other than a plain space, or two spaces. Most lines
# have none, and searching is much cheaper than substituting every space with itself.
_ODD_SPACING = re.compile(r"[^\S ]|  ")
_INVISIBLE_CHARS = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
# Besides CR, LF and CRLF: CR CR LF (a file converted twice), Word's manual line break (VT),
# a page break from text copied out of a PDF (FF), and Unicode's own line and paragraph
# separators (from the web). Each ends a line; removed as control characters, they glued words.
_LINE_BREAK = re.compile(r"\r*\n|\r|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ODD_BREAK = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # most files have none: split at \n
_SURROGATE = re.compile("[\ud800-\udfff]")


# UTF-32's marks first: the little-endian one starts with UTF-16's.
UNICODE_MARKS = (((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"), "utf-32"), ((b"\xff\xfe", b"\xfe\xff"), "utf-16"))


def decode(data: bytes, path: Path) -> tuple[str, list[Problem]]:
    """Decode a source file: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM, else
    strict Windows-1252."""
    if len(data) > MAX_FILE_BYTES:
        raise BookletError(path, None, f"the file is {len(data):,} bytes; a profile may be at most {MAX_FILE_BYTES:,} bytes.")
    # Notepad's and Word's "Unicode" is UTF-16 with a byte-order mark, which says how to read it.
    for marks, encoding in UNICODE_MARKS:
        if data.startswith(marks):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError as exc:
                line = data[:exc.start].decode(encoding, "replace").count("\n") + 1
                raise BookletError(path, line, f"the file says it is {encoding.upper()} text but cannot be read as such; save it as UTF-8 (\"Unicode (UTF-8)\" in the Save As dialog).") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise BookletError(path, line, "the file is not plain text (it contains NUL bytes); save it as a .txt file in UTF-8.")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # Line by line: a UTF-8 file with one line pasted from a Windows program keeps its other
    # lines' letters (decoded whole as Windows-1252, "é" became "Ã©" everywhere).
    lines, guessed = [], []
    for number, raw in enumerate(re.split(rb"\r*\n|\r", data.removeprefix(b"\xef\xbb\xbf")), start=1):
        try:
            lines.append(raw.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            lines.append(raw.decode("cp1252"))
        except UnicodeDecodeError as exc:
            raise BookletError(path, number, f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{raw[exc.start]:02x} cannot be read); save it as UTF-8.") from None
        guessed.append(number)
    text = "\n".join(lines)
    # Numbered as clean_lines numbers them: a line break of Unicode's own ends a line there too.
    first = len(_LINE_BREAK.findall("".join(line + "\n" for line in lines[: guessed[0] - 1]))) + 1
    which = "this line was" if len(guessed) == 1 else f"this line and {len(guessed) - 1} more were"
    return text, [warning(path, first, f"the file is not UTF-8 throughout; {which} read as Windows-1252. Save the file as UTF-8 to be sure every letter is right.")]


# A zero-width space is a break chance inside a word (a long address), but a web page may also
# put one where a space was: between "Ilmu" and "Komunikasi", after a comma.
_ZERO_WIDTH_SPACE = re.compile(r"(.)\u200b+(?=(.))")


def _between_words(found: re.Match) -> str:
    before, after = found[1], found[2]
    if (before.islower() and after.isupper()) or (before in ",;:!?" and after.isalpha()):
        return before + " "
    return before


def clean_lines(text: str, path: Path) -> tuple[list[str], list[Problem]]:
    """Split into lines and normalize each: NFC, one space between words, nothing invisible."""
    problems: list[Problem] = []
    lines = []
    for number, raw in enumerate(_LINE_BREAK.split(text) if _ODD_BREAK.search(text) else text.split("\n"), start=1):
        if len(raw) > MAX_LINE_CHARS:
            raise BookletError(path, number, f"the line has {len(raw):,} characters; a line may have at most {MAX_LINE_CHARS:,}.")
        if _SURROGATE.search(raw):
            raise BookletError(path, number, "the line contains an invalid character (a lone surrogate); save the file as UTF-8 again.")
        line = unicodedata.normalize("NFC", raw)
        if line.rstrip().endswith("\u00ad"):  # a soft hyphen that broke a word at the line's end
            line = line.rstrip()[:-1] + HYPHENATION_MARK
        if _INVISIBLE_CHARS.search(line):
            if "\u200b" in line:
                line = _ZERO_WIDTH_SPACE.sub(_between_words, line)
            line = line.translate(_INVISIBLE)
        if not line.isprintable():  # fast path: most lines hold only printable characters
            kept = "".join(c for c in line if c == "\t" or not (
                c in _BIDI or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs")))
            if kept != line:
                problems.append(warning(path, number, "removed invisible control or text-direction characters from the line."))
            line = kept
        lines.append((_SPACES.sub(" ", line) if _ODD_SPACING.search(line) else line).strip())
    return lines, problems


def fold(text: str) -> str:
    """A comparison key: letter case, spacing and invisible characters do not matter."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))
    return _SPACES.sub(" ", text).strip().casefold()


def collation_key(text: str) -> str:
    """Where a name goes in an alphabetical list: letter case, accents and a leading quote or
    bracket do not count ("“Public Policy”" goes under P, "Études" under E)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", fold(text)) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", "", plain).split())
