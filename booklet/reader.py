"""Read one profile: a title, then five headed parts (see docs/format.md)."""
from __future__ import annotations

import difflib
from functools import cache, lru_cache
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BookletError, Problem, warning
from .model import Profile
from .text import HYPHENATION_MARK, clean_lines, decode

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
# The second heading differs in every profile: a question whether one fits the profession.
# With its question mark, any such question may be it (questions in the text too: the likeliest
# is chosen, see _fit_heading_line); without it, only one that says what one would be.
_FIT_ASKED = re.compile(r"^(?:apa(?:kah)? (?:saya|sy|aku|kamu|anda) cocok|cocok(?:kah)? (?:saya|sy|aku|kamu|anda)|siapa (?:yang|yg) cocok) \S")
_FIT = re.compile(_FIT_ASKED.pattern + r".*(?:sebagai|sbg|menjadi|jadi|profesi|pekerjaan|bidang|karier|karir|posisi)(?: \S.*)?$")
_FIT_MAX_WORDS = 20
# Decoration around a heading: Markdown (##, **), an emoji, quotes, a number ("2.", "IV.",
# "B."), a colon.
_DECORATION_BEFORE = re.compile(r"^(?:[#*_~\s\u2190-\u2bff\U0001F000-\U0001FAFF\ufe0f]|\d{1,2}[.)]\s|[IVX]{1,4}[.)]\s|[A-E][.)]\s)+")
_DECORATION_AFTER = re.compile(r"[*_~:\s]+$")
# List markers: bullets (Word's second level is an "o"), numbers, small letters and roman
# numerals ("a.", "b)", "iv."), any letter in brackets. Not "A. " or "I. ": names start so
# ("A. Yani Foundation", "I. Gusti Ngurah Rai").
# Word's Wingdings bullets pasted as text are "§", "Ø", "ü" and "v"; phones add emoji.
_BULLETS = "-*•·▪◦●○■□◆◇♦◾❖➢➤►▶→⇒✓✔☑★"  # "-" first: literal in a character class
_MARKER = re.compile(r"^(?:[" + _BULLETS + r"–—‒−⁃>]|[oüv§Ø](?=\s)|\d{1,3}[.)](?=\s|[A-Z]|$)|\(\d{1,3}\)"
                     r"|(?:[a-z]|[ivx]{1,4})[.)](?=\s)|[A-Z]\)(?=\s)|\([a-zA-Z]\)|[\U0001F000-\U0001FAFF\u2600-\u27bf]\ufe0f?)\s*")
# Emphasis around an item, from Markdown or WhatsApp: *bold*, _italic_, ~struck~.
_EMPHASIS = re.compile(r"^([*_~]+)(.+?)\1$")
# Not items: "dll.", "dan lain-lain", "etc.", "…" at a list's end. Left out of it.
_ETC = re.compile(r"^(?:dll|dsb|dst|etc|dan lain[- ](?:lain|sebagainya)|dan sebagainya|and so on|\.{3}|…)\.?$", re.IGNORECASE)
_ETC_WORD = re.compile(r"\b(?:dll|dsb|dst|etc|lain)\b", re.IGNORECASE)
_ETC_END = re.compile(r"(?:,\s*|\s+)(?i:dll|dsb|dst|etc)\.$|,\s*(?i:dll|dsb|dst|etc)$|\s+(?:dll|dsb|dst|etc)$"
                      r"|,?\s+(?i:dan lain[- ](?:lain|sebagainya))\.?$")
# A line of a text part that starts a list inside the text, after a line ending with ":"
# (not a dash: a hard-wrapped line of prose may start with one).
_BROKEN_WORD = re.compile(r"\w[-\u2010]$")  # a line that ends inside a word
_BULLET_LINE = re.compile(r"^(?:[" + _BULLETS + r"]|\d{1,2}[.)]|[a-z][.)])\s")
# A list item longer than this, or holding more than one sentence, is a paragraph.
_MAX_ITEM_WORDS = 25
# A full stop followed by a capital ends a sentence, unless the word before it is an
# abbreviation: an initial ("R. D. Kandou"), dotted ("R.I."), or a short form in this list
# (names of companies, offices and degrees). ! and ? inside an item always end one.
_INNER_QUESTION = re.compile(r"[!?]\s+\S")
_FULL_STOP = re.compile(r"(\S+)\.\s+[A-Z0-9(]")
_ABBREVIATIONS = frozenset("""
    pt cv ud fa tbk bhd sdn pte ltd co corp inc intl assoc dept inst univ persero
    kab kec kel kota prov pemkab pemkot pemprov jl jln rt rw no
    dr drs dra ir prof h hj st sh se sp spd sked skom mm mba mt ms ph pend jend
    rs rsu rsud rsup dll dsb dst tsb yth bpk rp gg sd smp sma smk mi mts ma
    prop tk kh kol drg dep perum upt pvt pty bros mr mrs jr sr masy
""".split())
# An item's own trailing punctuation: "Ilmu Politik." and "Ilmu Politik" are one major.
_ITEM_END = re.compile(r"(?:[;,]\s*(?:dan|atau|and|or))?[\s;,]*$")
_QUOTES = "\"'“”‘’«»"
# An item wrapped over two lines: words no item ends or starts with, a series ended on its
# first line ("A, B, dan"), a company's legal form on a line of its own.
_SERIES_END = re.compile(r",\s*(dan|atau|serta|and|or)$", re.IGNORECASE)
# At an item's end in any case but capitals ("Dan", not "PT DI"); at a line's start in lower
# case only ("Dan Kehutanan" may be a name).
_JOINING_WORDS_LOWER = frozenset("dan atau serta dengan di ke dari untuk bagi pada oleh yang & and or of for".split())
_JOINING_WORD = re.compile("|".join(map(re.escape, _JOINING_WORDS_LOWER)), re.IGNORECASE)
_LEGAL_FORM = re.compile(r"(?:Tbk|Persero)\.?$", re.IGNORECASE)


def _is_abbreviation(word: str) -> bool:
    word = word.lstrip("(" + _QUOTES)
    return len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS


def heading_kind(line: str) -> str | None:
    """Which part a line starts, or None: case, spacing, decoration (a number, Markdown marks,
    quotes) and a trailing colon do not matter, nor the second heading's question mark."""
    if not line or len(line) > 160:
        return None
    plain = _undecorated(line)
    letters = _LETTERS.sub("", plain.lower())
    if letters in _FIXED_HEADINGS:
        return _FIXED_HEADINGS[letters]
    asked = plain.endswith("?")
    lower = plain.lower().rstrip("?").strip()
    # Without its question mark, a line must not read as a sentence ("… sebagai pemimpin: tidak.")
    sentence = ". " in lower or ": " in lower or lower.endswith(".")
    if len(lower.split()) > _FIT_MAX_WORDS:
        return None
    # With its question mark, any such question; without, one that names what one would be.
    if (asked and _FIT_ASKED.match(lower)) or (not sentence and _FIT.match(lower)):
        return "fit"
    return None


# Other words for the two lists' headings, by how their letters start ("Jurusan Kuliah
# Terkait", "Program Studi", "Contoh Tempat Kerja"): read as those headings, with a warning.
_LIST_HEADING_STARTS = (("jurusan", "majors"), ("programstudi", "majors"), ("prodi", "majors"),
                        ("bidangstudi", "majors"), ("major", "majors"), ("relatedmajor", "majors"),
                        ("contohperusahaan", "employers"), ("contohinstitusi", "employers"),
                        ("contohinstansi", "employers"), ("contohtempatkerja", "employers"),
                        ("perusahaan", "employers"), ("institusi", "employers"), ("instansi", "employers"),
                        ("tempatkerja", "employers"), ("tempatbekerja", "employers"),
                        ("compan", "employers"), ("employer", "employers"), ("institution", "employers"))


_LIST_HEADING_START = re.compile(r"^[^a-zA-Z]{0,8}(?:jurusan|program|prodi|bidang|major|related|contoh|perusahaan"
                                 r"|institu|instansi|tempat|compan|employer)", re.IGNORECASE)
# Words that start employers' names and lines of text as often as a heading: a heading needs
# "yang membutuhkan" (or "Companies") too.
_NEEDS_MEMBUTUHKAN = ("perusahaan", "institusi", "instansi", "tempatkerja", "tempatbekerja")


def _list_heading_variant(line: str) -> str | None:
    if not _LIST_HEADING_START.match(line) or _MARKER.match(line):  # most lines: the quick way out
        return None
    plain = _undecorated(line)
    if len(plain.split()) > 7 or plain.endswith((".", "?")) or ". " in plain:
        return None
    letters = _LETTERS.sub("", plain.lower())
    if letters.startswith(_NEEDS_MEMBUTUHKAN) and "membutuh" not in letters and "compan" not in letters:
        return None  # "Instansi Pemerintah", "Tempat kerja yang dinamis": an item or a line of text
    return next((key for start, key in _LIST_HEADING_STARTS if letters.startswith(start)), None)


def _undecorated(line: str) -> str:
    line = line.replace("\uff1f", "?")  # a full-width question mark, from a Chinese keyboard
    if line[:1].isalpha() and (line[-1:].isalnum() or line.endswith("?")) and not _DECORATION_BEFORE.match(line):
        return line  # most lines: nothing to take off
    return _unquoted(_DECORATION_AFTER.sub("", _DECORATION_BEFORE.sub("", line)).strip())


def _unquoted(text: str) -> str:
    """Without quotes around the whole of it (a quote at one end only is part of the text)."""
    if len(text) > 1 and text[0] in _QUOTES and text[-1] in _QUOTES and not any(q in text[1:-1] for q in _QUOTES):
        return text[1:-1].strip()
    return text


# One matcher per heading: SequenceMatcher indexes its second sequence once.
_HEADING_MATCHERS = [(difflib.SequenceMatcher(None, "", letters), key) for letters, key in _FIXED_HEADINGS.items()]


@lru_cache(maxsize=8192)  # list items repeat across profiles; the comparison is not cheap
def _looks_like_heading(line: str) -> str | None:
    """The part whose heading a misspelled heading line resembles, if any."""
    if len(line.split()) > 9:
        return None
    plain = _LETTERS.sub("", line.lower())
    for matcher, key in _HEADING_MATCHERS:
        matcher.set_seq1(plain)
        # The quick bounds rule out most lines before the full comparison.
        if matcher.real_quick_ratio() >= 0.8 and matcher.quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
            return key
    if plain.startswith(("apasaya", "apakahsaya")) and "cocok" not in plain:
        return "fit"
    return None


def _fit_heading(line: str) -> str:
    text = re.sub(r"\s+\?", "?", _undecorated(line)).rstrip("?")
    return text + "?"


def _list_item(text: str) -> str:
    """An item as the booklet prints and indexes it, or "" for none ("dll.")."""
    item = text.strip()
    if item[:1] in "*_~":  # before markers: "*" is one too
        item = _EMPHASIS.sub(r"\2", item)
    if not (item[:1].isupper() and item[1:2].isalpha()):  # "Ilmu …" has no marker: most items
        item = _MARKER.sub("", item)
    item = item.strip()
    if item[-1:] in ";,nur":  # a separator left at the end: ";", ",", "; dan", ", atau", "; or"
        item = _ITEM_END.sub("", item)
    for _ in range(2):  # "“Ilmu Politik.”" and "“Ilmu Politik”." alike
        item = _unquoted(_without_full_stop(item))  # “Public Policy” is Public Policy
        if item[:1] in "*_~":
            item = _EMPHASIS.sub(r"\2", item).strip()  # *Ilmu Keperawatan*
    if _ETC.match(item):
        return ""
    return _ETC_END.sub("", item) if _ETC_WORD.search(item) else item


def _rejoined(before: str, after: str, words_of) -> str:
    """A word broken over two lines (text copied from a PDF or an e-mail) is one word again:
    without a hyphenation mark that only broke the line (U+2010, a soft hyphen); with its hyphen
    (anak-anak, detail-oriented), unless the word is written whole elsewhere in the file
    ("dokumen-" / "tasi" where "dokumentasi" is too)."""
    if before.endswith(HYPHENATION_MARK):
        return before[:-1] + after
    first, whole = re.search(r"\w*$", before[:-1])[0], re.match(r"\w*", after)[0]
    if first and whole and not whole.casefold().startswith(first.casefold()) \
            and (first + whole).casefold() in words_of() and f"{first}-{whole}".casefold() not in words_of():
        return before[:-1] + after
    return before + after


def _continued_item(item: str, written: str, line: str, commas_end_items, words_of) -> tuple[str, str] | None:
    """The item `item` (its line as `written`) and the next line `line` as one, and why, if the
    two cannot be items of their own: the first ends inside a word or brackets the next closes,
    after a "/", on a word that joins it to more ("Dinas Pendidikan dan", "Lembaga yang bergerak
    di"), or a series ("Kementerian Pendidikan, Kebudayaan, Riset, dan") in a list that does not
    end its items with commas (`commas_end_items()`); or the next starts with a joining word ("dan
    Kehutanan") or a bracket ("(Persero) Tbk"). A list written "Puskesmas, dan" has lost its "dan"
    already (_list_item); the caller leaves a line that starts with a list marker an item."""
    last, first = item.rsplit(None, 1)[-1], line.split(None, 1)[0]
    if item[-1] in "-\u2010" and _BROKEN_WORD.search(item) and line[:1].isalpha():
        joined, why = _rejoined(item, line, words_of), "the first ends inside a word"
    elif item.endswith("/"):
        joined, why = item + line, "the first ends with \"/\""
    elif "(" in item and item.count("(") > item.count(")") and line.count(")") > line.count("("):
        joined, why = item + " " + line, "the first opens a bracket the second closes"
    elif _JOINING_WORD.fullmatch(last.rsplit("/", 1)[-1]) and not last.isupper():
        joined, why = item + " " + line, f"the first ends with \"{last.rsplit('/', 1)[-1]}\""
    elif first in _JOINING_WORDS_LOWER and " " in line:
        joined, why = item + " " + line, f"the second starts with \"{first}\""
    elif line.startswith("(") or _LEGAL_FORM.match(line):
        joined, why = item + " " + line, f"the second is \"{_short(line)}\""
    elif (series := _SERIES_END.search(written[-8:])) and written.count(",") >= 3 and not commas_end_items():
        joined, why = f"{item}, {series.group(1)} {line}", f"the first ends a series with \"{series.group(1)}\""
    else:
        return None
    if not _list_item(line):  # "dll.", "dan lain-lain": no item, nothing to join
        return None
    joined = _list_item(joined)
    return (joined, why) if joined and not _is_paragraph(joined) else None


def _drop_repeated_items(part: _Part, path: Path, problems: list) -> None:
    """An item listed twice ("Ilmu Komunikasi", "ILMU KOMUNIKASI") is printed once, as first written."""
    lines = part.item_lines if len(part.item_lines) == len(part.blocks) else [part.line] * len(part.blocks)
    kept, seen = [], {}
    for item, line in zip(part.blocks, lines):
        key = item.casefold()  # cleaned already: one space between words, nothing invisible
        if key in seen:
            problems.append(warning(path, line, f"\"{_short(item)}\" is in the list under \"{_HEADING_NAMES[part.key]}\" twice (also on line {seen[key]}); the booklet prints it once."))
            continue
        seen[key] = line
        kept.append(item)
    part.blocks = kept


def _without_full_stop(item: str) -> str:
    """"Ilmu Politik." is "Ilmu Politik", but "PT Astra Tbk." keeps its abbreviation's stop."""
    words = item[:-1].split()
    if item.endswith(".") and words and not _is_abbreviation(words[-1]):
        return item[:-1].rstrip()
    return item


def _is_paragraph(item: str) -> bool:
    if len(item.split()) > _MAX_ITEM_WORDS or _INNER_QUESTION.search(item):
        return True
    return any(not _is_abbreviation(match.group(1)) for match in _FULL_STOP.finditer(item))


def _headings(numbered: list, content: list, title_line: int, title: str, path: Path, problems: list):
    """Which lines are headings, looked at before the parts are read: whether a line is one may
    depend on the lines around it and on the rest of the file. Returns each non-blank line's
    part (or None), the second heading's line and the lines that are other words for a list's
    heading (line -> part)."""
    def alone(number: int) -> bool:  # blank lines (or the title) around it
        return ((number - 1 == title_line or not numbered[number - 2][1])
                and (number == len(numbered) or not numbered[number][1]))

    named = _LETTERS.sub("", title.lower())
    kind_of = {}
    for number, line in content[1:]:
        kind = heading_kind(line) or _heading_with_title(line, named)
        # Without its question mark, the second heading could be a line of a wrapped paragraph.
        if kind == "fit" and not _undecorated(line).endswith("?") and not alone(number):
            kind = None
        kind_of[number] = kind
    fit_line = _fit_heading_line([(n, line) for n, line in content[1:] if kind_of[n] == "fit"], title, path, problems)
    # Other words for a list's heading: on a line of their own, where the file lacks the heading
    # itself, after the text parts (and the employers' after the majors'); the first such line
    # for each list, as its items may start with the same word.
    headed = set(kind_of.values())
    after = max([n for n, kind in kind_of.items() if kind in ("overview", "reality")] + [fit_line or 0])
    variants: dict[str, int] = {}
    for number, line in content[1:]:
        variant = _list_heading_variant(line) if kind_of[number] is None and number > after and alone(number) else None
        majors_line = variants.get("majors") or next((n for n, kind in kind_of.items() if kind == "majors"), 0)
        if variant and variant not in headed and not (variant == "employers" and number < majors_line):
            variants.setdefault(variant, number)
    return kind_of, fit_line, {number: kind for kind, number in variants.items()}


@dataclass
class _Part:
    key: str
    line: int
    heading: str
    blocks: list = field(default_factory=list)  # paragraphs or items
    open_paragraph: bool = False
    listing: bool = False  # in a text part, after "…:" or a bulleted line: bullets start lines
    item_lines: list = field(default_factory=list)  # of a list's items, in order


# Characters every font booklet ships can draw, and most profiles hold nothing else: only a
# line with another character needs the fonts' own lists looked at.
_USUAL = re.compile(r"[^\t\n\r\x20-\x7e\u00a0\u00c0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022]")


class EmptyProfile(BookletError):
    """A file with nothing in it (Windows' "New > Text Document"): left out, with a warning."""


def parse_profile(text: str, path: Path, field_name: str, slug: str,
                  drawable=None) -> tuple[Profile, list[Problem]]:
    """Parse one profile's text. Raises BookletError for the first error; returns warnings.
    `drawable()`, if given, returns the characters the booklet's fonts can draw (or None)."""
    lines, problems = clean_lines(text, path)
    numbered = [(n, line) for n, line in enumerate(lines, start=1)]
    content = [(n, line) for n, line in numbered if line]
    if not content:
        raise EmptyProfile(path, 1, "the file is empty, so the booklet leaves it out; a profile starts with the profession's name on the first line.")
    title_line, title = content[0]
    title = _unquoted(title.strip("#*_ ")) or title  # "# Perawat", "**PERAWAT**"
    if not any(character.isalpha() for character in title):
        raise BookletError(path, title_line, "the first line should be the profession's name; it has no letters.")
    if heading_kind(title):
        raise BookletError(path, title_line, "the profile has no title; its first line should be the profession's name, before the heading \"Profil Profesi\".")
    if len(title) > 120:
        raise BookletError(path, title_line, f"the first line is {len(title)} characters long; it should be the profession's name (a short title, at most 120 characters).")
    if title.endswith("."):
        raise BookletError(path, title_line, "the first line should be the profession's name (a short title), not a sentence.")

    kind_of, fit_line, variant_lines = _headings(numbered, content, title_line, title, path, problems)
    headed = set(kind_of.values()) - {None}
    shown = [(title_line, title)]  # what the booklet prints of each line, for the fonts' check
    if not headed:
        raise BookletError(path, title_line, "no recognised heading was found; a profile needs the headings " + ", ".join(f"\"{h}\"" for _, h, _ in PARTS) + ".")

    parts: dict[str, _Part] = {}
    current: _Part | None = None
    # The file's words, hyphenated ones whole and in pieces, for a word broken at a line's end.
    words_of = cache(lambda: frozenset(re.findall(r"\w+(?:-\w+)*", text.casefold()))
                     | frozenset(re.findall(r"\w+", text.casefold())))
    for number, line in numbered[title_line:]:
        if not line:
            if current is not None:
                current.open_paragraph = current.listing = False
            continue
        kind, rest = kind_of.get(number), ""
        if kind is None and ":" in line:
            # A heading with its part on the same line: "Jurusan Kuliah yang Mendukung: Hukum, ..."
            # Not a question and its answer, nor text that starts so where the heading is in the file.
            head, _, rest = line.partition(":")
            kind = heading_kind(head) if rest.strip() else None
            kind = None if kind == "fit" or kind in headed else kind
            line, rest = (head, rest.strip()) if kind else (line, "")
        if kind is None and number in variant_lines:
            kind = variant_lines[number]
            problems.append(warning(path, number, f"read \"{_short(line)}\" as the heading \"{_HEADING_NAMES[kind]}\"."))
        if kind == "fit" and fit_line is not None and number != fit_line and _undecorated(line).lower() != _undecorated(numbered[fit_line - 1][1]).lower():
            kind = None  # another question of the kind, in the text: only the same heading twice is a mistake
        if kind:
            if kind in parts:
                raise BookletError(path, number, f"the heading \"{_HEADING_NAMES[kind]}\" appears a second time (first on line {parts[kind].line}).")
            _close(current, path, problems)
            current = parts[kind] = _Part(kind, number, line)
            if kind == "fit":
                shown.append((number, _fit_heading(line)))
            if rest and kind in _LIST_PARTS:
                current.blocks += _comma_items(rest, kind)
            elif rest:
                current.blocks.append(rest)
                current.open_paragraph = True
            shown.append((number, rest))
            continue
        if current is None:
            guess = _looks_like_heading(line)
            hint = f" (did you mean \"{_HEADING_NAMES[guess]}\"?)" if guess else ""
            raise BookletError(path, number, f"expected a heading such as \"Profil Profesi\" here, but found \"{_short(line)}\"{hint}.")
        resembles = _looks_like_heading(line)
        if resembles in headed:  # the file has that heading: this is text that looks like it
            resembles = None
        if resembles and (current.key in _LIST_PARTS or not current.open_paragraph):
            raise BookletError(path, number, f"\"{_short(line)}\" is not a known heading; did you mean \"{_HEADING_NAMES[resembles]}\"?")
        if current.key in _LIST_PARTS:
            if kind_of.get(number) == "fit":
                raise BookletError(path, number, f"\"{_short(line)}\" looks like the heading of another profession's profile; a file holds one profession.")
            if line.endswith(":"):
                raise BookletError(path, number, f"\"{_short(line)}\" ends with a colon, like an introduction or a group's name, but a list holds only items, one a line; move it into the text above, or leave it out.")
            if current.item_lines and current.item_lines[-1] == number - 1 and not _MARKER.match(line):
                commas_end_items = lambda: any(numbered[n - 1][1].endswith((",", ";")) for n in current.item_lines[:-1])  # noqa: E731
                continued = _continued_item(current.blocks[-1], numbered[number - 2][1], line, commas_end_items, words_of)
                if continued:
                    # An item wrapped over two lines (copied out of a PDF or a narrow column).
                    joined, why = continued
                    problems.append(warning(path, number, f"read lines {number - 1} and {number} as one item, \"{_short(joined)}\": {why}."))
                    current.blocks[-1] = joined
                    current.item_lines[-1] = number
                    shown.append((number, line))
                    continue
            item = _list_item(line)
            if not item:
                continue
            if _is_paragraph(item):
                raise BookletError(path, number, f"the list under \"{_HEADING_NAMES[current.key]}\" has a paragraph in it; put one short item on each line (an abbreviation booklet does not know, like \"Pemda. Bogor\", reads as a sentence's end: leave out its full stop).")
            current.blocks.append(item)
            current.item_lines.append(number)
            shown.append((number, item))
            continue
        elif current.open_paragraph and not (current.listing and _BULLET_LINE.match(line)):
            previous = current.blocks[-1]
            if _BROKEN_WORD.search(previous) and line[:1].isalpha():
                current.blocks[-1] = _rejoined(previous, line, words_of)
            else:
                current.blocks[-1] += " " + line
        else:
            current.blocks.append(line)
            current.open_paragraph = True
            current.listing = current.listing or bool(_BULLET_LINE.match(line))
        if line.endswith(":"):
            current.listing = True
        shown.append((number, line))
    _close(current, path, problems)
    majors = parts.get("majors")
    if majors is not None and len(majors.blocks) == 1 and majors.blocks[0].count(",") >= 2:
        # All the majors on one line, "Ilmu Politik, Hukum, Sosiologi" (one of several lines with
        # commas is one major: "Pendidikan Jasmani, Kesehatan, dan Rekreasi").
        pieces = _comma_items(majors.blocks[0], "majors")
        if len(pieces) >= 3 and all(len(piece.split()) <= 6 for piece in pieces):
            problems.append(warning(path, majors.item_lines[0], "read the line as one major between each two commas; put one major on each line to be sure."))
            majors.blocks = pieces
    for key in [key for key, _, is_list in PARTS if is_list and key in parts]:
        _drop_repeated_items(parts[key], path, problems)
    if drawable is not None and _USUAL.search(text):
        problems += _undrawable(shown, path, drawable)

    if parts and not any(part.blocks for part in parts.values()):
        # Headings and nothing else: a profile just begun (`booklet new`) waits, out of the booklet.
        raise EmptyProfile(path, title_line, "the profile has its headings but no text yet, so the booklet leaves it out.")
    in_order = sorted(parts.values(), key=lambda part: part.line)
    written = [i for i, part in enumerate(in_order) if part.blocks]
    last = in_order[-1]
    prose_in_a_list = last.key in _LIST_PARTS and any(len(block.split()) >= 8 for block in last.blocks)
    if written == [len(in_order) - 1] and len(in_order) >= 4 and (prose_in_a_list or last.key not in _LIST_PARTS):
        # Every heading one after another, then all the text: it would all print under the last.
        # (A profile being written has its text under some headings, none under others: a list
        # of short items under the last heading alone is one.)
        raise BookletError(path, in_order[0].line, f"the headings on lines {in_order[0].line} to {in_order[-1].line} follow each other with nothing between them, so all the text would go under the last; put each part's text under its own heading.")
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


def _fit_heading_line(questions: list, title: str, path: Path, problems: list) -> int | None:
    """Which of the lines read as the second heading is it: questions like it may be asked in
    the text too. The likeliest: one that names the profession (or holds the template's "…" in
    its place) counts most, then the heading's usual words, asking as the student ("saya",
    "aku"), the question mark; the first of equals. A warning when that was a guess."""
    if not questions:
        return None
    named = _LETTERS.sub("", title.lower())

    def score(question):
        lower = _undecorated(question[1]).lower()
        names = named in _LETTERS.sub("", lower) or "…" in lower or "..." in lower
        return (3 * names + 2 * lower.startswith("apa saya cocok bekerja sebagai")
                + bool(re.match(r"(?:apa(?:kah)?|cocok(?:kah)?) (?:saya|sy|aku)\b", lower)) + lower.endswith("?"))

    chosen = max(questions, key=lambda question: (score(question), -question[0]))
    others = [number for number, line in questions if number != chosen[0]
              and _undecorated(line).lower() != _undecorated(chosen[1]).lower()]
    close = any(score(question) >= score(chosen) - 1 for question in questions if question[0] in others)
    if others and close:
        problems.append(warning(path, chosen[0], f"read this line as the heading \"{_HEADING_NAMES['fit']}\" and the similar question on line {others[0]} as text."))
    return chosen[0]


def _heading_with_title(line: str, named: str) -> str | None:
    """The part a heading followed by the profession's name (`named`: its letters) starts
    ("Profil Profesi Perawat")."""
    if not named or not line.lower().startswith(("profil", "konsep", "jurusan", "contoh")):
        return None
    letters = _LETTERS.sub("", line.lower())
    if letters.endswith(named) and len(letters) > len(named):
        return _FIXED_HEADINGS.get(letters[: -len(named)])
    return None


def _comma_items(text: str, kind: str) -> list[str]:
    """The items of a list written on one line. Employers' names may hold commas ("PT Astra
    International, Tbk"): if there is a semicolon, they are split there only. A comma inside
    brackets, or before an abbreviation, splits nothing."""
    separator = ";" if kind == "employers" and ";" in text else ",;"
    pieces, depth, start = [], 0, 0
    for index, character in enumerate(text):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character in separator and depth <= 0:
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    items = []
    for piece in pieces:
        piece = re.sub(r"^(?:dan|atau|and|or)\s+", "", piece.strip())
        if items and piece and _is_abbreviation(piece.rstrip(".")):
            items[-1] += ", " + piece  # "…, Tbk"
        elif piece:
            items.append(piece)
    return [item for item in map(_list_item, items) if item]


def _undrawable(shown: list, path: Path, drawable) -> list[Problem]:
    """A warning for each line whose printed text (`shown`: line number, text) has characters
    the fonts lack (an emoji, Chinese, an arrow): WeasyPrint draws them as empty boxes and says
    so without naming the file."""
    found = []
    for number, line in shown:
        if _USUAL.search(line):
            characters = drawable()
            missing = sorted({c for c in line if not c.isspace()} - characters) if characters else []
            if missing:
                shown = " ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
                found.append(warning(path, number, f"the booklet's fonts have no {shown}: printed in another font on this computer, if one has it, else as an empty box; leave it out or write it in words."))
    return found


def _close(part: _Part | None, path: Path, problems: list) -> None:
    # A warning, as a missing part is: a profile being written (`booklet new`) still builds.
    if part is not None and not part.blocks:
        problems.append(warning(path, part.line, f"the heading \"{part.heading}\" has nothing under it; the booklet leaves the part out."))


def _short(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "…"


def title_of(path: Path) -> str | None:
    """The profession's title as parse_profile reads it, from the file's first lines alone; None
    if it cannot be told so (a file that is empty, unreadable or not a profile)."""
    try:
        text, _ = decode(path.read_bytes(), path)
        lines, _ = clean_lines(text[:4000], path)
    except (OSError, BookletError):
        return None
    content = [line for line in lines[:-1] if line]  # the last line may be cut short
    if not content:
        return None
    title = _unquoted(content[0].strip("#*_ ")) or content[0]
    return None if heading_kind(title) or not any(c.isalpha() for c in title) else title


def read_profile(path: Path, field_name: str, slug: str, drawable=None) -> tuple[Profile, list[Problem]]:
    """Read and parse a profile file (`drawable`: see parse_profile)."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise BookletError(path, None, "the file cannot be read (permission denied).") from None
    except OSError as exc:
        raise BookletError(path, None, f"the file cannot be read ({exc.strerror or exc}).") from None
    text, problems = decode(data, path)
    profile, more = parse_profile(text, path, field_name, slug, drawable)
    return profile, problems + more
