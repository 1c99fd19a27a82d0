"""Selection and grouping: selectors, field order, the index of majors."""
from __future__ import annotations

import dataclasses

from booklet.library import load_library
from booklet.select import make_booklet, matches, selection_label, unmatched

from .conftest import MINI


def library():
    return load_library(MINI)


def test_selectors_match_field_slug_and_glob():
    lib = library()
    perawat = next(p for p in lib.profiles if p.slug == "perawat")
    assert matches(perawat, "kesehatan") and matches(perawat, "perawat")
    assert matches(perawat, "kes*/*") and matches(perawat, "*/per*")
    assert not matches(perawat, "politik")
    assert unmatched(lib.profiles, ["politik", "nothing-here"]) == ["nothing-here"]


def test_fields_follow_booklet_yaml_then_alphabet():
    booklet = make_booklet(library())
    assert [f.name for f in booklet.fields] == ["politik", "kesehatan"]
    assert [f.title for f in booklet.fields] == ["Politik", "Kesehatan"]


def test_subset_has_only_its_professions_and_majors():
    booklet = make_booklet(library(), only=["politik"])
    assert {p.field for p in booklet.profiles} == {"politik"}
    assert "Ilmu Keperawatan" not in [m.name for m in booklet.majors]
    assert booklet.selection == "politik"
    assert selection_label(["politik"], ["perawat"]) == "politik-tanpa-perawat"


def test_majors_merge_spellings_and_take_the_commonest():
    majors = {m.name: m for m in make_booklet(library()).majors}
    # "Ilmu Politik" twice and "Ilmu politik" once are one major.
    assert "Ilmu politik" not in majors
    assert [p.slug for p in majors["Ilmu Politik"].profiles] == [
        "koordinator-pertemuan-politik", "pengurus-partai-politik", "perawat"]
    names = [m.name for m in make_booklet(library()).majors]
    assert names == sorted(names, key=str.casefold)


def test_aliases_merge_named_variants():
    lib = library()
    config = dataclasses.replace(lib.config, major_aliases=(("Kebijakan Publik", ("Public Policy", "Penelitian dan Kebijakan Publik")),))
    majors = {m.name: m for m in make_booklet(dataclasses.replace(lib, config=config)).majors}
    assert "Public Policy" not in majors
    assert len(majors["Kebijakan Publik"].profiles) == 2
