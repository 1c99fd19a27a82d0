"""Read `booklet.yaml`: strict, every value a string, located errors."""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import BookletError, cannot_read
from .images import load_logo
from .model import Config
from .text import UNICODE_MARKS

MAX_CONFIG_BYTES = 64_000
MAX_DEPTH = 8
PAPERS = ("A4", "A5", "F4")
LANGUAGES = ("id", "en")
KEYS = ("title", "subtitle", "organization", "edition", "paper", "language", "fields", "major_aliases", "output", "logo")


class _StrictLoader(yaml.BaseLoader):
    """Pure-Python loader (the C one crashes on deep nesting) that reads every scalar
    as a string, so `NO`, `01234` and dates stay as written, and refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key \"{key}\" appears twice (first on line {seen[key] + 1})", key_node.start_mark)
            if isinstance(key, str):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


# YAML's words for the mistakes people make, and what to do about each.
_YAML_HINTS = (
    ("'\\t'", "a tab indents this line; indent with spaces"),
    ("mapping values are not allowed", "a value holds a colon; put it in quotes, as in organization: \"SMA 1: Tim BK\""),
    ("could not find expected ':'", "a line above has no colon between the name and its value (name: value)"),
    ("expected <block end>", "the indentation does not line up with the lines above"),
)


def _located(path: Path, exc: yaml.YAMLError) -> BookletError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark else None
    column = f" (column {mark.column + 1})" if mark else ""
    hint = next((f"{advice} ({problem})" for words, advice in _YAML_HINTS if words in problem), problem)
    return BookletError(path, line, f"booklet.yaml cannot be read{column}: {hint}.")


def _check_structure(path: Path, text: str) -> None:
    """Refuse anchors, aliases, tags and deep nesting before anything is built from them."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise BookletError(path, token.start_mark.line + 1, "booklet.yaml may not use anchors or aliases (& and *); write each value out.")
            if isinstance(token, yaml.TagToken):
                raise BookletError(path, token.start_mark.line + 1, "booklet.yaml may not use tags (!something); write plain values.")
            if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise BookletError(path, token.start_mark.line + 1, f"booklet.yaml is nested more than {MAX_DEPTH} levels deep.")
            elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _located(path, exc) from None


def _string(path, key, value, line) -> str:
    if not isinstance(value, str):
        raise BookletError(path, line, f"\"{key}\" in booklet.yaml should be a single text value.")
    return value.strip()


def load_config(root: Path) -> Config:
    path = root / "booklet.yaml"
    if not path.exists():
        return Config()
    if path.is_symlink() or not path.is_file():
        raise BookletError(path, None, "booklet.yaml must be a regular file inside the booklet folder.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BookletError.from_problem(cannot_read(path, exc)) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise BookletError(path, None, f"booklet.yaml is {len(data):,} bytes; it may be at most {MAX_CONFIG_BYTES:,}.")
    for marks, encoding in UNICODE_MARKS:  # Notepad's "Unicode": UTF-16 with a byte-order mark
        if data.startswith(marks):
            try:
                data = data.decode(encoding).encode("utf-8")
            except UnicodeDecodeError:
                raise BookletError(path, None, f"booklet.yaml says it is {encoding.upper()} text but cannot be read as such; save it as UTF-8.") from None
            break
    if b"\x00" in data:
        raise BookletError(path, data[: data.index(b"\x00")].count(b"\n") + 1, "booklet.yaml contains a NUL byte; it must be plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BookletError(path, data[: exc.start].count(b"\n") + 1, "booklet.yaml is not UTF-8 text.") from None
    if not text.strip() or all(l.strip().startswith("#") or not l.strip() for l in text.splitlines()):
        raise BookletError(path, 1, "booklet.yaml is empty; give at least a title (title: \"…\") or delete the file.")
    _check_structure(path, text)
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
            raw = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _located(path, exc) from None
    if not isinstance(raw, dict):
        raise BookletError(path, 1, "booklet.yaml should be a list of settings (key: value), such as \"title: Profil Profesi\".")
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    unknown = [k for k in raw if k not in KEYS]
    if unknown:
        raise BookletError(path, lines.get(unknown[0]), f"unknown setting \"{unknown[0]}\" in booklet.yaml; known settings are {', '.join(KEYS)}.")

    values = {}
    for key in ("title", "subtitle", "organization", "edition", "output"):
        if key in raw:
            values[key] = _string(path, key, raw[key], lines[key])
    if not values.get("title", "x"):
        raise BookletError(path, lines["title"], "\"title\" in booklet.yaml is empty.")
    paper = _string(path, "paper", raw.get("paper", "A4"), lines.get("paper")).upper()
    if paper not in PAPERS:
        raise BookletError(path, lines.get("paper"), f"paper \"{raw['paper']}\" is not supported; use one of {', '.join(PAPERS)}.")
    language = _string(path, "language", raw.get("language", "id"), lines.get("language")).lower()
    if language not in LANGUAGES:
        raise BookletError(path, lines.get("language"), f"language \"{raw['language']}\" is not supported; use one of {', '.join(LANGUAGES)}.")

    fields = raw.get("fields", {})
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise BookletError(path, lines.get("fields"), "\"fields\" in booklet.yaml should map each field folder to its display name, e.g. \"politik: Politik dan Pemerintahan\".")
    aliases = raw.get("major_aliases", {})
    if not isinstance(aliases, dict) or not all(
            isinstance(v, list) and all(isinstance(i, str) for i in v) for v in aliases.values()):
        raise BookletError(path, lines.get("major_aliases"), "\"major_aliases\" in booklet.yaml should map a major's name to a list of other spellings, e.g. \"Kebijakan Publik: [Public Policy]\".")

    logo = None
    if "logo" in raw:
        logo = load_logo(root, _string(path, "logo", raw["logo"], lines["logo"]), path, lines["logo"])

    return Config(
        logo=logo,
        title=values.get("title", Config.title),
        subtitle=values.get("subtitle", ""),
        organization=values.get("organization", ""),
        edition=values.get("edition") or None,
        paper=paper,
        language=language,
        field_titles=tuple((k.strip(), v.strip()) for k, v in fields.items()),
        major_aliases=tuple((k.strip(), tuple(i.strip() for i in v)) for k, v in aliases.items()),
        output=values.get("output", "dist"),
    )
