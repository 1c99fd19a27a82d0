"""booklet.yaml: strict, every value text, every mistake located."""
from __future__ import annotations

import pytest

from booklet.config import load_config
from booklet.errors import BookletError


def write(folder, text):
    (folder / "booklet.yaml").write_text(text, encoding="utf-8")
    return folder


def test_no_file_gives_defaults(tmp_path):
    config = load_config(tmp_path)
    assert config.paper == "A4" and config.language == "id"


def test_values_stay_text(tmp_path):
    config = load_config(write(tmp_path, "title: NO\nsubtitle: 01234\nedition: 2026-11-01\nfields:\n  politik: Politik\n"))
    assert config.title == "NO" and config.subtitle == "01234" and config.edition == "2026-11-01"
    assert config.field_titles == (("politik", "Politik"),)


def test_aliases_and_paper(tmp_path):
    config = load_config(write(tmp_path, "paper: a5\nmajor_aliases:\n  Kebijakan Publik: [Public Policy]\n"))
    assert config.paper == "A5"
    assert config.major_aliases == (("Kebijakan Publik", ("Public Policy",)),)


@pytest.mark.parametrize("text, line, words", [
    ("title: a\ntitle: b\n", 2, "appears twice"),
    ("title: !!python/object/apply:os.system ['echo hi']\n", 1, "tags"),
    ("a: &x [1]\nb: *x\n", 1, "anchors or aliases"),
    ("title: 'unclosed\n", None, "cannot be read"),
    ("title: a\n\tsubtitle: b\n", 2, "indent with spaces"),
    ("title: a\n---\ntitle: b\n", None, "cannot be read"),
    ("title: a\norganization: SMA 1: Tim BK\n", 2, "put it in quotes"),
    ("title: a\nsubtitle b\npaper: A4\n", 3, "a line above has no colon"),
    ("", 1, "empty"),
    ("# only a comment\n", 1, "empty"),
    ("titel: typo\n", 1, "unknown setting"),
    ("paper: Letter\n", 1, "not supported"),
    ("language: fr\n", 1, "not supported"),
    ("fields: [a, b]\n", 1, "fields"),
    ("- just\n- a list\n", 1, "list of settings"),
    ("title: a\x00\n", 1, "NUL"),
])
def test_mistakes_are_located(tmp_path, text, line, words):
    write(tmp_path, text)
    with pytest.raises(BookletError) as caught:
        load_config(tmp_path)
    assert words in caught.value.sentence
    assert caught.value.path.name == "booklet.yaml"
    if line is not None:
        assert caught.value.line == line


def test_deep_nesting_is_refused_without_crashing(tmp_path):
    # 50,000 levels (the C loader segfaults on that); the closing half would pass the 64 KB
    # size limit, so the openers alone must be refused, by depth, before any parsing.
    write(tmp_path, "title: " + "[" * 50_000 + "\n")
    with pytest.raises(BookletError) as caught:
        load_config(tmp_path)
    assert "nested" in caught.value.sentence
    write(tmp_path, "title: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(BookletError) as caught:
        load_config(tmp_path)
    assert "64,000" in caught.value.sentence


def test_alias_bomb_is_refused(tmp_path):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: [*c,*c]\n'
    write(tmp_path, bomb)
    with pytest.raises(BookletError):
        load_config(tmp_path)
