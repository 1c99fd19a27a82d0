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
    assert unmatched(lib, ["politik", "nothing-here"]) == ["nothing-here"]
    # As a counselor types them: any case, the folder's or file's name as written.
    assert matches(perawat, "Kesehatan") and matches(perawat, "PERAWAT") and matches(perawat, "Kesehatan/Perawat")
    assert matches(perawat, "KES*/*") and matches(perawat, " kesehatan/ ")
    koordinator = next(p for p in lib.profiles if p.slug == "koordinator-pertemuan-politik")
    assert matches(koordinator, "Koordinator Pertemuan Politik") and not matches(koordinator, "Koordinator")
    renamed = dataclasses.replace(perawat, slug="ners")  # a file named otherwise than its title
    assert matches(renamed, "Perawat") and matches(renamed, "ners")


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


def test_index_order_ignores_quotes_accents_and_case_and_puts_signs_first():
    lib = library()
    extra = ("\u201cPublic Policy\u201d", "\u00c9tudes Politiques", "ILMU DATA", "3D Animasi", "zoologi")
    first = dataclasses.replace(lib.profiles[0], majors=lib.profiles[0].majors + extra)
    second = dataclasses.replace(lib.profiles[1], majors=lib.profiles[1].majors + ("Ilmu Data",))
    booklet = make_booklet(dataclasses.replace(lib, profiles=(first, second, *lib.profiles[2:])))
    names = [m.name for m in booklet.majors]
    letters = [m.letter for m in booklet.majors]
    assert letters == sorted(letters, key=lambda letter: (letter != "#", letter))  # letters in order, "#" first
    assert names[0] == "3D Animasi"
    assert {"\u201cPublic Policy\u201d": "P", "\u00c9tudes Politiques": "E", "zoologi": "Z"} == {
        m.name: m.letter for m in booklet.majors if m.name in extra and m.letter != "#"}
    # A tie between spellings goes to the one in mixed case, not the one in capitals.
    assert "Ilmu Data" in names and "ILMU DATA" not in names
