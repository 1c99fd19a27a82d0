"""The reader: the seeds as they come, every tolerated variant, every error class."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booklet.errors import BookletError
from booklet.reader import parse_profile, read_profile
from booklet.text import decode

from .conftest import MINI

SEEDS = MINI / "source" / "politik"
KOORDINATOR = SEEDS / "koordinator-pertemuan-politik.txt"
PENGURUS = SEEDS / "pengurus-partai-politik.txt"


def parse(text: str, name="x.txt"):
    return parse_profile(text, Path(name), "uji", "x")


def test_seed_koordinator_is_read_exactly():
    profile, problems = read_profile(KOORDINATOR, "politik", "koordinator-pertemuan-politik")
    assert problems == []
    assert profile.title == "Koordinator Pertemuan Politik"
    assert profile.fit_heading == "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"
    assert [len(profile.overview), len(profile.fit), len(profile.reality)] == [3, 3, 3]
    assert profile.overview[0].startswith("Pekerjaan sebagai koordinator pertemuan politik melibatkan")
    assert profile.reality[2].endswith("mengadvokasi kepentingan klien mereka.")
    assert profile.majors == (
        "Ilmu Politik", "Hubungan Internasional", "Komunikasi Politik", "Manajemen Komunikasi",
        "Administrasi Publik", "Hukum Internasional", "Diplomasi", "Studi Keamanan",
        "Penelitian dan Kebijakan Publik", "Ilmu Sosial")
    assert profile.employers[0] == "Partai Politik"
    assert profile.employers[-1] == "Lembaga Survei Opini Publik Politik"
    assert len(profile.employers) == 10


def test_seed_pengurus_is_read_exactly():
    profile, problems = read_profile(PENGURUS, "politik", "pengurus-partai-politik")
    assert problems == []
    assert profile.title == "Pengurus Partai Politik"
    assert [len(profile.overview), len(profile.fit), len(profile.reality)] == [3, 2, 3]
    assert profile.majors[4] == "Hukum" and profile.majors[6] == "Public Policy"
    assert profile.employers[0] == "Partai Demokrasi Indonesia Perjuangan (PDIP)"
    assert profile.employers[-1] == "Partai Berkarya"


def seed_text() -> str:
    return KOORDINATOR.read_text(encoding="utf-8")


@pytest.mark.parametrize("variant", [
    pytest.param(lambda t: "\ufeff" + t, id="utf8-bom"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t + "\n\n", id="final-newlines"),
    pytest.param(lambda t: t.replace("Profil Profesi", "PROFIL PROFESI:"), id="upper-colon"),
    pytest.param(lambda t: t.replace("politik?", "politik ?"), id="space-before-question"),
    pytest.param(lambda t: t.replace("Konsep, ekspektasi dan realita", "konsep,  ekspektasi dan realita :"), id="lower-spaces"),
    pytest.param(lambda t: t.replace("\nIlmu Politik\n", "\n- Ilmu Politik\n").replace("\nDiplomasi\n", "\n* Diplomasi\n"), id="dash-star"),
    pytest.param(lambda t: t.replace("\nHubungan Internasional\n", "\n• Hubungan Internasional\n"), id="bullet"),
    pytest.param(lambda t: t.replace("\nParlemen\n", "\n3. Parlemen\n").replace("\nDiplomasi\n", "\n7) Diplomasi\n"), id="numbered"),
    pytest.param(lambda t: t.replace("Pekerjaan sebagai", "Pekerjaan\tsebagai  \u200b").replace("Tugas utama", "Tugas\u00a0utama"), id="tabs-zero-width-nbsp"),
    pytest.param(lambda t: t.replace("Diplomasi", "Diplomasi   "), id="trailing-spaces"),
    # What Word, web pages, PDFs and phones make of the same file.
    pytest.param(lambda t: t.replace("\nIlmu Politik\n", "\na. Ilmu Politik\n").replace("\nDiplomasi\n", "\n(g) Diplomasi\n")
                 .replace("\nParlemen\n", "\niv. Parlemen\n"), id="letter-and-roman-markers"),
    pytest.param(lambda t: t.replace("\nIlmu Politik\n", "\n\u25cf Ilmu Politik\n").replace("\nDiplomasi\n", "\n\u27a2 Diplomasi\n")
                 .replace("\nIlmu Sosial", "\no\tIlmu Sosial").replace("\nStudi Keamanan\n", "\n\u2713 Studi Keamanan\n"), id="more-bullets"),
    pytest.param(lambda t: t.replace("\nIlmu Politik\n", "\nIlmu Politik.\n").replace("Kebijakan Publik\n", "Kebijakan Publik; dan\n"), id="item-punctuation"),
    pytest.param(lambda t: t.replace("\nHubungan Internasional\nKomunikasi Politik\n", "\nHubungan Internasional\x0bKomunikasi Politik\n"), id="word-line-break"),
    pytest.param(lambda t: t.replace("\nHubungan Internasional\nKomunikasi Politik\n", "\nHubungan Internasional\u2028Komunikasi Politik\n"), id="unicode-line-separator"),
    pytest.param(lambda t: t.replace("\n", "\r\r\n"), id="cr-cr-lf"),
    pytest.param(lambda t: t.replace("politik?", "politik"), id="fit-without-question-mark"),
    pytest.param(lambda t: t.replace("politik?", "politik:"), id="fit-with-colon"),
    pytest.param(lambda t: t.replace("Apa saya cocok bekerja sebagai Koordinator pertemuan politik?",
                                     "**Apa saya cocok bekerja sebagai Koordinator pertemuan politik?**"), id="fit-markdown-bold"),
    pytest.param(lambda t: t.replace("Apa saya cocok bekerja sebagai Koordinator pertemuan politik?",
                                     "2. \u201cApa saya cocok bekerja sebagai Koordinator pertemuan politik?\u201d"), id="fit-numbered-quoted"),
    pytest.param(lambda t: t.replace("politik?", "politik\uff1f"), id="fit-full-width-question-mark"),
    pytest.param(lambda t: t.replace("Jurusan Kuliah yang Mendukung\n\n", "Jurusan Kuliah yang Mendukung: ")
                 .replace("Ilmu Politik\nHubungan Internasional\nKomunikasi Politik\nManajemen Komunikasi\nAdministrasi Publik\n"
                          "Hukum Internasional\nDiplomasi\nStudi Keamanan\nPenelitian dan Kebijakan Publik\nIlmu Sosial",
                          "Ilmu Politik, Hubungan Internasional, Komunikasi Politik, Manajemen Komunikasi, Administrasi Publik, "
                          "Hukum Internasional, Diplomasi, Studi Keamanan, Penelitian dan Kebijakan Publik, Ilmu Sosial"), id="list-on-the-heading-line"),
])
def test_tolerated_variants_read_like_the_seed(variant):
    expected, _ = parse(seed_text())
    profile, problems = parse(variant(seed_text()))
    assert [p for p in problems if p.severity == "error"] == []
    assert profile.title == expected.title
    assert profile.overview == expected.overview
    assert profile.fit == expected.fit and profile.reality == expected.reality
    assert profile.majors == expected.majors
    assert profile.employers == expected.employers


def test_cp1252_is_decoded_with_a_warning():
    data = seed_text().replace("Diplomasi", "Diplomasi \u2013 Ilmu Hubungan").encode("cp1252")
    text, problems = decode(data, Path("w.txt"))
    assert "Diplomasi \u2013 Ilmu Hubungan" in text
    assert [p.severity for p in problems] == ["warning"] and "Windows-1252" in problems[0].message


def test_decomposed_letters_become_nfc():
    profile, _ = parse(seed_text().replace("Pekerjaan", "Pe\u0301kerjaan"))
    assert profile.overview[0].startswith("P\u00e9kerjaan")


def test_bidi_overrides_are_stripped_with_a_warning():
    profile, problems = parse(seed_text().replace("Tugas utama", "Tugas \u202eutama"))
    assert "Tugas utama" in profile.overview[1]
    assert any(p.severity == "warning" and p.line == 7 for p in problems)


def test_wrapped_paragraph_lines_are_joined():
    text = seed_text().replace("melibatkan perencanaan, ", "melibatkan\nperencanaan, ")
    profile, _ = parse(text)
    assert profile.overview[0] == parse(seed_text())[0].overview[0]


def test_missing_part_is_a_warning():
    text = seed_text()
    start = text.index("Contoh perusahaan")
    profile, problems = parse(text[:start])
    assert profile.employers == ()
    assert [p.severity for p in problems] == ["warning"]
    assert "Contoh perusahaan atau institusi yang membutuhkan" in problems[0].message


@pytest.mark.parametrize("text, line, words", [
    ("", 1, "empty"),
    ("   \n\n  ", 1, "empty"),
    ("\u00a0Profil Profesi\n\nIsi.", 1, "no title"),
    ("Judul\n\nHanya paragraf biasa.\n\nDan paragraf lain.", 1, "no recognised heading"),
    ("Judul\n\nParagraf sebelum heading.\n\nProfil Profesi\n\nIsi.", 3, "expected a heading"),
    ("Judul\n\nProfil Profesi\n\nIsi.\n\nKonsep ekspetasi dan realitas\n\nIsi.", 7, "not a known heading"),
    ("Judul\n\nProfil Profesi\n\nIsi.\n\nJurusan Kuliah yang Mendukung\n\nHukum\nIni adalah paragraf panjang. Paragraf ini tidak seharusnya berada di dalam daftar jurusan.", 10, "paragraph"),
    ("Judul\n\nProfil Profesi\n\nIsi.\n\nProfil Profesi\n\nIsi lagi.", 7, "second time"),
])
def test_errors_name_the_line(text, line, words):
    with pytest.raises(BookletError) as caught:
        parse(text, "rusak.txt")
    assert caught.value.path == Path("rusak.txt")
    assert caught.value.line == line
    assert words in caught.value.sentence
    assert str(caught.value).startswith(f"rusak.txt:{line}: error: ")


@pytest.mark.parametrize("data, words", [
    (b"\xff\xfeJ\x00u", "says it is UTF-16"),  # an odd number of bytes
    (b"\xff\xfe\x00\x00J\x00\x00\x00\x00\xd8\x00\x00", "says it is UTF-32"),
    (b"Judul\n\nProfil\x00 Profesi", "NUL"),
    (b"Judul\n\x81\x8d\x8f", "neither UTF-8 nor Windows-1252"),
    (b"x" * 1_000_001, "at most"),
])
def test_files_that_are_not_text_are_errors(data, words):
    with pytest.raises(BookletError) as caught:
        decode(data, Path("f.txt"))
    assert words in caught.value.sentence


def test_overlong_line_is_rejected():
    with pytest.raises(BookletError) as caught:
        parse("Judul\n\nProfil Profesi\n\n" + "a" * 200_000)
    assert caught.value.line == 5 and "at most" in caught.value.sentence


def test_lone_surrogate_is_an_error():
    with pytest.raises(BookletError) as caught:
        parse("Judul\n\nProfil Profesi\n\nIsi \udc80 rusak.")
    assert caught.value.line == 5


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list("ab \n\r\t-*•1.:?\u00a0\u202e\ud800")) ),
    st.lists(st.sampled_from(["Judul", "", "Profil Profesi", "Apa saya cocok bekerja sebagai X?", "Konsep, ekspektasi dan realita",
                              "Jurusan Kuliah yang Mendukung", "Contoh perusahaan atau institusi yang membutuhkan",
                              "- Hukum", "Kalimat. Kalimat lain.", "\ud800", "Profil Profesl:"]), max_size=20).map("\n".join),
))
def test_reader_returns_a_profile_or_a_user_error(text):
    try:
        profile, problems = parse(text)
    except BookletError as exc:
        assert exc.sentence and exc.path == Path("x.txt")
    else:
        assert profile.title


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decoder_returns_text_or_a_user_error(data):
    try:
        text, _ = decode(data, Path("b.txt"))
        parse(text)
    except BookletError as exc:
        assert exc.sentence


_CHUNKS = st.sampled_from([
    "Perawat\n\n\u00a0Profil Profesi\n\nKalimat satu.\n\n".encode(), b"Jurusan Kuliah yang Mendukung\n\nHukum\n",
    b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\x93kutip\x94", b"\r", b"\xe2\x80\xae",
])


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.lists(_CHUNKS, max_size=12).map(b"".join),
    # Strings with lone surrogates, written out as the bytes a careless program would write.
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFFFF)).map(lambda t: t.encode("utf-8", "surrogatepass")),
))
def test_reader_on_bytes_with_surrogates_gives_a_profile_or_a_user_error(data):
    """Bytes hypothesis does not make by itself: encoded surrogates, BOMs, NULs, Windows quotes."""
    try:
        text, _ = decode(data, Path("b.txt"))
        profile, _ = parse(text, "b.txt")
    except BookletError as exc:
        assert exc.sentence and exc.path == Path("b.txt")
    else:
        assert profile.title and not any(0xD800 <= ord(c) <= 0xDFFF for c in profile.title)


def test_abbreviations_in_list_items_are_not_sentence_ends():
    employers = ["PT. Pertamina (Persero)", "CV. Maju Jaya", "Kementerian Luar Negeri R.I. Jakarta",
                 "RSUP Prof. Dr. R. D. Kandou", "Dinas Pendidikan Kab. Bandung", "PT Bank Central Asia Tbk."]
    profile, problems = parse(seed_text().replace("Parlemen\n", "\n".join(employers) + "\n"))
    assert [p for p in problems if p.severity == "error"] == []
    for employer in employers:
        assert employer in profile.employers


def test_two_items_on_one_line_are_still_refused():
    with pytest.raises(BookletError) as caught:
        parse(seed_text().replace("Parlemen\n", "Bank Indonesia. Otoritas Jasa Keuangan\n"), "dua.txt")
    assert "paragraph" in caught.value.sentence and caught.value.line == seed_text().splitlines().index("Parlemen") + 1


def test_a_question_in_the_fit_part_is_text_not_a_second_heading():
    question = "Apakah kamu cocok bekerja di bawah tekanan?"
    fit = "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"
    profile, problems = parse(seed_text().replace(fit + "\n\n", f"{fit}\n\n{question}\n\n"))
    assert profile.fit[0] == question and profile.fit[1:] == parse(seed_text())[0].fit
    assert problems == []


def test_other_words_for_a_list_heading_are_read_with_a_warning():
    text = seed_text().replace("Jurusan Kuliah yang Mendukung", "Jurusan Kuliah Terkait")
    profile, problems = parse(text)
    assert profile.majors == parse(seed_text())[0].majors
    line = text.splitlines().index("Jurusan Kuliah Terkait") + 1
    assert [(p.severity, p.line) for p in problems] == [("warning", line)]
    assert "Jurusan Kuliah yang Mendukung" in problems[0].message


def test_bulleted_lines_in_a_paragraph_part_stay_apart():
    fit = "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"
    profile, _ = parse(seed_text().replace(fit + "\n\n", f"{fit}\n\nKamu cocok jika:\n- teliti\n- komunikatif,\n  dan sabar\n\n"))
    assert profile.fit[:3] == ("Kamu cocok jika:", "- teliti", "- komunikatif, dan sabar")


def test_a_utf8_file_with_one_windows_line_keeps_its_other_letters():
    data = seed_text().replace("Diplomasi", "Diplomasi Caf\u00e9").encode() .replace(b"Parlemen", b"Parlemen \x93Senayan\x94")
    text, problems = decode(data, Path("campur.txt"))
    assert "Diplomasi Caf\u00e9" in text and "Parlemen \u201cSenayan\u201d" in text
    assert [(p.severity, p.line) for p in problems] == [("warning", seed_text().splitlines().index("Parlemen") + 1)]


def test_characters_the_fonts_cannot_draw_are_named_with_their_line():
    fit = "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"
    text = seed_text().replace("Diplomasi", "Diplomasi \u2192 \U0001F600").replace(fit, fit + " \u00e9")
    asked = []

    def drawable():
        asked.append(1)
        return frozenset(map(chr, range(0x20, 0x250)))

    _, problems = parse_profile(text, Path("emoji.txt"), "uji", "x", drawable)
    lines = text.splitlines()
    diplomasi = next(n for n, line in enumerate(lines, start=1) if line.startswith("Diplomasi"))
    assert [(p.severity, p.line) for p in problems] == [("warning", diplomasi)]
    assert "\u2192" in problems[0].message and "\U0001F600" in problems[0].message
    _, problems = parse_profile(seed_text(), Path("biasa.txt"), "uji", "x", lambda: asked.append(2))
    assert problems == [] and 2 not in asked  # plain text never needs the fonts looked at


def test_a_line_like_a_list_heading_is_text_where_the_heading_itself_is_there():
    text = seed_text().replace("Miskonsepsi", "Jurusan yang relevan antara lain:\n\nMiskonsepsi", 1)
    profile, problems = parse(text)
    assert "Jurusan yang relevan antara lain:" in profile.reality
    assert profile.majors == parse(seed_text())[0].majors and problems == []


def test_the_fit_heading_is_the_question_that_names_the_profession():
    question = "Apakah kamu cocok menjadi pemimpin tim?"
    text = seed_text().replace("Tugas utama", f"{question}\n\nTugas utama", 1)
    profile, problems = parse(text)
    assert question in profile.overview and profile.fit == parse(seed_text())[0].fit
    assert profile.fit_heading == "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"


FIT = "Apa saya cocok bekerja sebagai Koordinator pertemuan politik?"


def test_the_fit_heading_in_its_usual_words_wins_over_questions_in_the_text():
    # Even when it does not name the profession, and the question in the text does.
    text = seed_text().replace(FIT, "Apa saya cocok bekerja sebagai \u2026?").replace(
        "Tugas utama", "Apakah kamu cocok menjadi koordinator pertemuan politik?\n\nTugas utama", 1)
    profile, problems = parse(text)
    assert profile.fit_heading == "Apa saya cocok bekerja sebagai \u2026?"
    assert "Apakah kamu cocok menjadi koordinator pertemuan politik?" in profile.overview
    assert profile.fit == parse(seed_text())[0].fit
    assert problems == []  # the template's "…" stands for the profession: no doubt which is the heading


@pytest.mark.parametrize("paragraph", [
    "Apakah kamu cocok bekerja sebagai pemimpin: tidak selalu, dan itu wajar.",
    "Apakah saya harus jago berdebat?",
    "Profil Profesional yang baik dimulai dari sini.",
])
def test_text_that_looks_like_a_heading_stays_whole_text(paragraph):
    profile, _ = parse(seed_text().replace("Tugas utama", f"{paragraph}\n\nTugas utama", 1))
    assert paragraph in profile.overview


def test_hard_wrapped_lines_starting_with_a_number_or_dash_stay_in_their_paragraph():
    wrapped = "Jumlah pertemuan bisa mencapai\n100. Jumlah itu terus naik\n\u2013 terutama menjelang kampanye \u2013 kata mereka."
    profile, _ = parse(seed_text().replace("Tugas utama", f"{wrapped}\n\nTugas utama", 1))
    assert " ".join(wrapped.split("\n")) in profile.overview


@pytest.mark.parametrize("item", ["Ilmu Politik cocok untuk itu. Lulusan bisa bekerja di mana saja",
                                  "Bekerja di BUMN. Gaji lumayan"])
def test_two_sentences_in_a_list_item_are_refused(item):
    with pytest.raises(BookletError) as caught:
        parse(seed_text().replace("Diplomasi\n", item + "\n"))
    assert "paragraph" in caught.value.sentence


@pytest.mark.parametrize("line, items", [
    ("A. Yani Foundation", ["A. Yani Foundation"]),
    ("I. Gusti Ngurah Rai Airport", ["I. Gusti Ngurah Rai Airport"]),
    ("Universitas Jend. Soedirman", ["Universitas Jend. Soedirman"]),
    ("Microsoft Corp.", ["Microsoft Corp."]),
    ("Manajemen SDM.", ["Manajemen SDM"]),
    ("\u201cPublic Policy\u201d", ["Public Policy"]),
    ("Pendidikan Jasmani, Kesehatan, dan Rekreasi", ["Pendidikan Jasmani, Kesehatan, dan Rekreasi"]),
    ("\"Kompas\" dan \"Tempo\"", ["\"Kompas\" dan \"Tempo\""]),
    ("Yayasan Dana Sosial DSB", ["Yayasan Dana Sosial DSB"]),
    ("\u00d8. Kristiansen AS", ["\u00d8. Kristiansen AS"]),
    ("\u00bbIlmu Politik\u00ab", ["Ilmu Politik"]),
    ("Ilmu Kesehatan Masy.", ["Ilmu Kesehatan Masy."]),
    ("Hukum Pidana; atau", ["Hukum Pidana"]),
    ("Hukum Perdata, or", ["Hukum Perdata"]),
])
def test_list_items_as_written(line, items):
    profile, _ = parse(seed_text().replace("Diplomasi\n", line + "\n"))
    index = profile.majors.index(items[0])
    assert list(profile.majors[index:index + len(items)]) == items


def test_a_list_on_the_heading_line_drops_its_and():
    profile, _ = parse(seed_text().replace("Jurusan Kuliah yang Mendukung\n\n", "Jurusan Kuliah yang Mendukung: Hukum; dan Matematika.\n\n"))
    assert profile.majors[:2] == ("Hukum", "Matematika")


def test_a_cr_only_file_with_one_windows_line_keeps_its_other_letters():
    data = seed_text().replace("Diplomasi", "Diplomasi Caf\u00e9").replace("\n", "\r").encode().replace(b"Parlemen", b"Parlemen \x93S\x94")
    text, problems = decode(data, Path("cr.txt"))
    assert "Diplomasi Caf\u00e9" in text and "Parlemen \u201cS\u201d" in text
    assert problems[0].line == seed_text().splitlines().index("Parlemen") + 1


def test_bullets_and_decoration_booklet_removes_are_not_reported_as_undrawable():
    text = seed_text().replace("\nDiplomasi\n", "\n\u27a2 Diplomasi\n").replace(FIT, FIT[:-1] + "\uff1f")
    _, problems = parse_profile(text, Path("x.txt"), "uji", "x", lambda: frozenset(map(chr, range(0x20, 0x250))))
    assert problems == []


def test_a_wrapped_line_is_not_taken_for_another_word_for_a_heading():
    text = seed_text().replace("Jurusan Kuliah yang Mendukung", "Program Studi").replace(
        "Tugas utama", "Jurusan yang diambil para koordinator\nbiasanya ilmu sosial.\n\nTugas utama", 1)
    profile, problems = parse(text)
    assert "Jurusan yang diambil para koordinator biasanya ilmu sosial." in profile.overview
    assert profile.majors == parse(seed_text())[0].majors
    assert [p.line for p in problems] == [text.splitlines().index("Program Studi") + 1]


def test_a_wrapped_line_that_asks_like_the_fit_heading_stays_in_its_paragraph():
    wrapped = "Untuk mengetahui\napakah kamu cocok bekerja sebagai koordinator, coba\nikuti kegiatan relawan."
    profile, _ = parse(seed_text().replace("Tugas utama", f"{wrapped}\n\nTugas utama", 1))
    assert " ".join(wrapped.split("\n")) in profile.overview
    assert profile.fit == parse(seed_text())[0].fit


def test_text_before_another_word_for_a_list_heading_stays_text():
    text = seed_text().replace("Jurusan Kuliah yang Mendukung", "Jurusan Kuliah Terkait").replace(
        "Tugas utama", "Program studi yang relevan antara lain:\n- Keperawatan\n- Kebidanan\n\n"
        "Lulusan dapat bekerja di banyak tempat.\n\nTugas utama", 1)
    profile, _ = parse(text)
    assert profile.majors == parse(seed_text())[0].majors
    assert "Program studi yang relevan antara lain:" in profile.overview
    assert "Lulusan dapat bekerja di banyak tempat." in profile.overview


def test_text_that_starts_with_a_heading_and_a_colon_is_text_where_the_heading_is_in_the_file():
    line = "Jurusan kuliah yang mendukung: Ilmu Keperawatan dan Kebidanan."
    profile, _ = parse(seed_text().replace("Tugas utama", f"{line}\n\nTugas utama", 1))
    assert line in profile.overview and profile.majors == parse(seed_text())[0].majors


def test_commas_in_brackets_and_before_abbreviations_split_nothing():
    profile, _ = parse(seed_text().replace("Diplomasi\n", "Ilmu Komunikasi (Jurnalistik, Public Relations, Penyiaran)\n"))
    assert "Ilmu Komunikasi (Jurnalistik, Public Relations, Penyiaran)" in profile.majors
    text = seed_text().replace("Contoh perusahaan atau institusi yang membutuhkan\n\n",
                               "Contoh perusahaan atau institusi yang membutuhkan: PT Astra International, Tbk; PT Telkom Indonesia (Persero), Tbk\n\n")
    profile, _ = parse(text)
    assert profile.employers[:2] == ("PT Astra International, Tbk", "PT Telkom Indonesia (Persero), Tbk")


def test_a_fit_heading_with_an_abbreviation_is_still_the_heading():
    fit = "Apa saya cocok bekerja sebagai Dokter Gigi Sp. Ortodonti?"
    profile, _ = parse(seed_text().replace(FIT, fit))
    assert profile.fit_heading == fit and profile.fit == parse(seed_text())[0].fit


def test_a_quote_at_one_end_of_the_fit_heading_is_kept():
    profile, _ = parse(seed_text().replace(FIT, "Apa saya cocok bekerja sebagai \u201cKoordinator Pertemuan\u201d"))
    assert profile.fit_heading == "Apa saya cocok bekerja sebagai \u201cKoordinator Pertemuan\u201d?"


def test_bullets_printed_in_a_text_part_are_checked_for_the_fonts():
    text = seed_text().replace(FIT + "\n\n", FIT + "\n\nTugas koordinator:\n\u27a2 menyusun jadwal\n\n")
    _, problems = parse_profile(text, Path("x.txt"), "uji", "x", lambda: frozenset(map(chr, range(0x20, 0x250))))
    line = text.splitlines().index("\u27a2 menyusun jadwal") + 1
    assert [(p.severity, p.line) for p in problems] == [("warning", line)]


def test_the_windows_line_is_numbered_as_the_reader_numbers_lines():
    data = "Judul\nsatu\u2028dua\ntiga \u00e9".encode().replace("\u00e9".encode(), b"\xe9")
    text, problems = decode(data, Path("x.txt"))
    from booklet.text import clean_lines
    lines, _ = clean_lines(text, Path("x.txt"))
    assert lines[problems[0].line - 1] == "tiga \u00e9"


SHORT = ("Perawat\n\nProfil Profesi\n\nTeks.\n\nApa saya cocok bekerja sebagai Perawat?\n\nYa.\n\n"
         "Konsep, ekspektasi dan realita\n\nTeks.\n\n")
MAJORS = "Jurusan Kuliah yang Mendukung\n\nIlmu Keperawatan\n\n"
EMPLOYERS = "Contoh perusahaan atau institusi yang membutuhkan\n\nRumah Sakit\n"


@pytest.mark.parametrize("text, majors, employers", [
    pytest.param(SHORT + "Jurusan Kuliah Terkait\n\nJurusan Keperawatan\n\nJurusan Kebidanan\n\n" + EMPLOYERS,
                 ("Jurusan Keperawatan", "Jurusan Kebidanan"), ("Rumah Sakit",), id="items-start-like-the-heading"),
    pytest.param(SHORT + "Jurusan Kuliah Terkait\n\n1. Jurusan Keperawatan\n\n2. Jurusan Kebidanan\n\n" + EMPLOYERS,
                 ("Jurusan Keperawatan", "Jurusan Kebidanan"), ("Rumah Sakit",), id="numbered-items-start-like-the-heading"),
    pytest.param(SHORT + "Majors\n\nIlmu Keperawatan\n\nCompanies\n\nRumah Sakit\n", ("Ilmu Keperawatan",), ("Rumah Sakit",), id="english-headings"),
    pytest.param(SHORT + MAJORS + "Institusi yang membutuhkan\n\nRumah Sakit\n", ("Ilmu Keperawatan",), ("Rumah Sakit",), id="institusi-heading"),
    pytest.param(SHORT + "Jurusan Kuliah yang Mendukung\n\n1. Ilmu Keperawatan\n2. Kebidanan, dll.\nFarmasi, dsb\ndll.\nDan lain-lain\n\u2026\n\n" + EMPLOYERS,
                 ("Ilmu Keperawatan", "Kebidanan", "Farmasi"), ("Rumah Sakit",), id="etcetera-left-out"),
    pytest.param(SHORT + "Jurusan Kuliah yang Mendukung\n\n\u2714\ufe0f Farmasi\n\u00d8 Kesehatan Masyarakat\n*Ilmu Keperawatan*\n(1) Kebidanan\n1.\n"
                 "\u00a7 Gizi\n\u00fc Biologi\n\u2605 Kimia\n_Fisika_\n\n" + EMPLOYERS,
                 ("Farmasi", "Kesehatan Masyarakat", "Ilmu Keperawatan", "Kebidanan", "Gizi", "Biologi", "Kimia", "Fisika"),
                 ("Rumah Sakit",), id="phone-word-and-markdown-markers"),
])
def test_lists_as_counselors_write_them(text, majors, employers):
    profile, problems = parse(text)
    assert profile.majors == majors and profile.employers == employers
    assert profile.overview == ("Teks.",) and profile.fit == ("Ya.",) and profile.reality == ("Teks.",)


@pytest.mark.parametrize("lines, employers, why", [
    pytest.param("Dinas Pendidikan dan\nKebudayaan", ("Dinas Pendidikan dan Kebudayaan",), 'the first ends with "dan"', id="and"),
    pytest.param("Dinas Pendidikan Dan\nKebudayaan", ("Dinas Pendidikan Dan Kebudayaan",), 'the first ends with "Dan"', id="title-case-and"),
    pytest.param("Lembaga yang bergerak di\nbidang kesehatan", ("Lembaga yang bergerak di bidang kesehatan",), 'the first ends with "di"', id="preposition"),
    pytest.param("Badan Pusat Statistik (BPS\nRI)", ("Badan Pusat Statistik (BPS RI)",), "the first opens a bracket the second closes", id="bracket"),
    pytest.param("Kementerian Pen\u2010\ndidikan", ("Kementerian Pendidikan",), "the first ends inside a word", id="pdf-hyphenation"),
    pytest.param("Kementerian Pen\u00ad\ndidikan", ("Kementerian Pendidikan",), "the first ends inside a word", id="soft-hyphen"),
    pytest.param("Kementerian PPN/\nBappenas", ("Kementerian PPN/Bappenas",), 'the first ends with "/"', id="slash"),
    pytest.param("Perusahaan yang wajib melapor dan/atau\nmengaudit", ("Perusahaan yang wajib melapor dan/atau mengaudit",), 'ends with "atau"', id="and-or"),
    pytest.param("Kementerian Lingkungan Hidup\ndan Kehutanan", ("Kementerian Lingkungan Hidup dan Kehutanan",), 'the second starts with "dan"', id="second-starts-with-and"),
    pytest.param("Procter\n& Gamble", ("Procter & Gamble",), 'the second starts with "&"', id="second-starts-with-ampersand"),
    pytest.param("PT Bank Rakyat Indonesia\n(Persero) Tbk", ("PT Bank Rakyat Indonesia (Persero) Tbk",), 'the second is "(Persero) Tbk"', id="legal-form-in-brackets"),
    pytest.param("PT Bank Negara Indonesia (Persero)\nTbk", ("PT Bank Negara Indonesia (Persero) Tbk",), 'the second is "Tbk"', id="legal-form"),
    pytest.param("Kementerian Pendidikan, Kebudayaan, Riset, dan\nTeknologi",
                 ("Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",), 'the first ends a series with "dan"', id="series"),
])
def test_an_item_wrapped_over_two_lines_is_one_item_with_a_warning(lines, employers, why):
    text = SHORT + MAJORS + "Contoh perusahaan atau institusi yang membutuhkan\n\nRumah Sakit\n" + lines + "\nPuskesmas\n"
    profile, problems = parse(text)
    assert profile.employers == ("Rumah Sakit", *employers, "Puskesmas")
    second = text.splitlines().index(lines.splitlines()[1]) + 1
    assert [(p.severity, p.line) for p in problems] == [("warning", second)]
    assert f"lines {second - 1} and {second} as one item" in problems[0].message and why in problems[0].message


@pytest.mark.parametrize("lines, employers", [
    pytest.param("Rumah Sakit,\nPuskesmas, dan\nKlinik", ("Rumah Sakit", "Puskesmas", "Klinik"), id="list-joined-with-and"),
    pytest.param("Dinas Pendidikan dan\n- Klinik", ("Dinas Pendidikan dan", "Klinik"), id="marker-starts-an-item"),
    pytest.param("Dinas Pendidikan dan\n\nKlinik", ("Dinas Pendidikan dan", "Klinik"), id="blank-line-between"),
    pytest.param("Kementerian Dalam Negeri\nKomisi Pemilihan Umum", ("Kementerian Dalam Negeri", "Komisi Pemilihan Umum"), id="whole-items"),
    pytest.param("PT DI\nPT PAL Indonesia (Persero)", ("PT DI", "PT PAL Indonesia (Persero)"), id="acronym-like-a-joining-word"),
    pytest.param("Badan Pusat Statistik (BPS\nKementerian Keuangan", ("Badan Pusat Statistik (BPS", "Kementerian Keuangan"), id="bracket-left-open"),
    pytest.param("KAP Purwantono,\nKAP Tanudiredja, Wibisana, Rintis & Rekan, dan\nKAP Siddharta Widjaja & Rekan",
                 ("KAP Purwantono", "KAP Tanudiredja, Wibisana, Rintis & Rekan", "KAP Siddharta Widjaja & Rekan"), id="series-in-a-list-of-commas"),
    pytest.param("RSUP Dr. Sardjito, Yogyakarta, dan\nRSUP Dr. Hasan Sadikin, Bandung",
                 ("RSUP Dr. Sardjito, Yogyakarta", "RSUP Dr. Hasan Sadikin, Bandung"), id="one-comma-before-and"),
    pytest.param("Rumah Sakit\ndan lain-lain", ("Rumah Sakit",), id="etcetera"),
])
def test_items_that_can_end_where_they_do_stay_apart(lines, employers):
    profile, problems = parse(SHORT + MAJORS + "Contoh perusahaan atau institusi yang membutuhkan\n\n" + lines + "\n")
    assert profile.employers == employers and problems == []


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("sebagai Perawat", "sbg Perawat"), id="sbg"),
    pytest.param(lambda t: t.replace("Apa saya", "\U0001F914 Apa saya"), id="emoji"),
    pytest.param(lambda t: t.replace("Apa saya", "II. Apa saya").replace("Profil Profesi", "I. Profil Profesi")
                 .replace("Konsep", "III. Konsep"), id="roman-numbered"),
    pytest.param(lambda t: t.replace("Profil Profesi", "A. Profil Profesi"), id="lettered"),
    pytest.param(lambda t: t.replace("Apa saya cocok bekerja sebagai", "Siapa yang cocok menjadi"), id="siapa"),
    pytest.param(lambda t: t.replace("Profil Profesi", "Profil Profesi Perawat"), id="heading-and-name"),
    pytest.param(lambda t: "# " + t, id="markdown-title"),
])
def test_headings_and_titles_as_counselors_write_them(change):
    profile, problems = parse(change(SHORT) + MAJORS + EMPLOYERS)
    assert profile.title == "Perawat"
    assert profile.overview == ("Teks.",) and profile.fit == ("Ya.",) and profile.reality == ("Teks.",)
    assert profile.majors == ("Ilmu Keperawatan",) and problems == []


@pytest.mark.parametrize("text, line, words", [
    (SHORT + "Jurusan Kuliah yang Mendukung\n\nBeberapa jurusan yang mendukung antara lain:\n- Ilmu Keperawatan\n\n" + EMPLOYERS, 17, "ends with a colon"),
    (SHORT + MAJORS + EMPLOYERS + "\nBidan\n\nBidan membantu persalinan.\n\nApa saya cocok bekerja sebagai Bidan?\n\nYa.\n", 27, "another profession"),
    (SHORT.replace("Profil Profesi", "Profil Profesii") + MAJORS + EMPLOYERS, 3, "did you mean \"Profil Profesi\""),
    ("?\n\n" + SHORT[len("Perawat\n\n"):] + MAJORS + EMPLOYERS, 1, "no letters"),
])
def test_what_a_list_or_title_cannot_hold_is_one_sentence(text, line, words):
    with pytest.raises(BookletError) as caught:
        parse(text, "salah.txt")
    assert caught.value.line == line and words in caught.value.sentence


@pytest.mark.parametrize("heading", [
    "Apa saya cocok untuk Koordinator Pertemuan Politik?", "Apakah saya cocok bekerja di partai politik?",
    "Apakah saya cocok berkarir di dunia politik?", "Apa saya cocok menekuni dunia politik?",
    "Apakah kamu cocok bekerja di dunia politik?",
])
def test_any_such_question_with_its_question_mark_is_the_fit_heading(heading):
    profile, problems = parse(seed_text().replace(FIT, heading))
    assert profile.fit_heading == heading and profile.fit == parse(seed_text())[0].fit and problems == []


@pytest.mark.parametrize("heading, question, where", [
    ("Apa Anda cocok bekerja sebagai Koordinator Pertemuan Politik?", "Apakah saya cocok menjadi pemimpin tim?", "fit"),
    ("Apakah saya cocok menjadi Koordinator Pertemuan Politik?", "Apa saya cocok bekerja sebagai koordinator jika saya pemalu?", "fit"),
    ("Apakah saya cocok menjadi Koordinator Pertemuan Politik?", "Apa saya cocok bekerja sebagai koordinator jika saya pemalu?", "overview"),
    ("Siapa yang cocok menjadi Koordinator Pertemuan Politik?", "Apakah saya cocok menjadi pemimpin tim?", "overview"),
])
def test_the_heading_that_names_the_profession_wins_over_a_question_in_the_text(heading, question, where):
    text = seed_text().replace(FIT, heading)
    if where == "fit":
        text = text.replace(heading + "\n\n", f"{heading}\n\n{question}\n\n")
    else:
        text = text.replace("Tugas utama", f"{question}\n\nTugas utama", 1)
    profile, _ = parse(text)
    seed = parse(seed_text())[0]
    assert profile.fit_heading == heading
    assert question in getattr(profile, where)
    assert [b for b in profile.overview if b != question] == list(seed.overview)
    assert [b for b in profile.fit if b != question] == list(seed.fit)


def test_majors_all_on_one_line_are_split_at_commas_with_a_warning():
    majors = "Ilmu Politik\nHubungan Internasional\nKomunikasi Politik\nManajemen Komunikasi\nAdministrasi Publik\nHukum Internasional\nDiplomasi\nStudi Keamanan\nPenelitian dan Kebijakan Publik\nIlmu Sosial"
    text = seed_text().replace(majors, "Hukum, Ilmu Politik, dan Sosiologi")
    profile, problems = parse(text)
    assert profile.majors == ("Hukum", "Ilmu Politik", "Sosiologi")
    assert [(p.severity, p.line) for p in problems] == [("warning", text.splitlines().index("Hukum, Ilmu Politik, dan Sosiologi") + 1)]


@pytest.mark.parametrize("line, part", [
    ("Perusahaan besar atau startup?", "reality"), ("Tempat kerja yang dinamis", "reality"),
    ("Instansi pemerintah vs swasta", "reality"), ("Jurusan apa yang perlu diambil?", "fit"),
])
def test_a_line_of_text_is_not_another_word_for_a_list_heading(line, part):
    text = (seed_text().replace("Jurusan Kuliah yang Mendukung", "Jurusan Kuliah Terkait")
            .replace("Contoh perusahaan atau institusi yang membutuhkan", "Perusahaan atau Instansi yang Membutuhkan"))
    anchor = "Miskonsepsi" if part == "reality" else "Seorang yang memiliki"
    profile, _ = parse(text.replace(anchor, f"{line}\n\n{anchor}", 1))
    assert line in getattr(profile, part)
    seed = parse(seed_text())[0]
    assert profile.majors == seed.majors and profile.employers == seed.employers


def test_an_item_that_starts_like_a_heading_word_stays_an_employer():
    employers = "Partai Politik\nKementerian/Lembaga Pemerintah"
    text = seed_text().replace("Contoh perusahaan atau institusi yang membutuhkan\n\n" + employers,
                               "Contoh Tempat Kerja\n\nInstansi Pemerintah\n\nPartai Politik")
    profile, _ = parse(text)
    assert profile.employers[:2] == ("Instansi Pemerintah", "Partai Politik")


def test_a_title_keeps_its_initials():
    profile, _ = parse("D. J. Radio" + seed_text()[seed_text().index("\n"):])
    assert profile.title == "D. J. Radio"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_with_a_byte_order_mark_reads_like_utf8(tmp_path, encoding):
    """Notepad's and Word's "Unicode" .txt: UTF-16 with a byte-order mark, CRLF lines."""
    text = KOORDINATOR.read_text(encoding="utf-8").replace("\n", "\r\n")
    data = text.encode(encoding)
    if encoding == "utf-16-be":  # Python writes no mark for an explicit byte order
        data = "\ufeff".encode(encoding) + data
    (tmp_path / "k.txt").write_bytes(data)
    profile, problems = read_profile(tmp_path / "k.txt", "politik", "koordinator-pertemuan-politik")
    expected, _ = read_profile(KOORDINATOR, "politik", "koordinator-pertemuan-politik")
    assert problems == []
    assert dataclasses.replace(profile, source=KOORDINATOR) == expected


def test_a_heading_with_nothing_under_it_is_left_out_with_a_warning():
    profile, problems = parse("Judul\n\nProfil Profesi\n\nJurusan Kuliah yang Mendukung\n\nHukum")
    assert profile.overview == () and profile.majors == ("Hukum",)
    assert [(p.line, p.severity) for p in problems if "nothing under it" in p.message] == [(3, "warning")]


@pytest.mark.parametrize("text", ["", "\n \n\u00a0\n", "Judul\n\nProfil Profesi\n\nJurusan Kuliah yang Mendukung\n"])
def test_an_empty_or_unwritten_profile_is_left_out_with_a_warning(tmp_path, text):
    """Windows' "New > Text Document" and a fresh `booklet new` file: not in the booklet yet."""
    from booklet.library import load_library
    shutil.copytree(MINI, tmp_path / "mini")
    (tmp_path / "mini" / "source" / "politik" / "baru.txt").write_text(text, encoding="utf-8")
    library = load_library(tmp_path / "mini")
    assert library.errors == ()
    assert len(library.profiles) == 3
    assert [str(p.path.name) for p in library.warnings] == ["baru.txt"]


def test_a_long_first_line_is_named_as_too_long():
    with pytest.raises(BookletError) as caught:
        parse("Perawat " * 20 + "\n\nProfil Profesi\n\nIsi.")
    assert caught.value.line == 1 and "159 characters long" in caught.value.sentence


def test_headings_stacked_above_all_the_text_are_an_error():
    """All five headings, then the text: it would all have printed as the last part's."""
    text = "Perias\n\n" + "\n".join(["Profil Profesi", "Apa saya cocok bekerja sebagai Perias?", "Konsep, ekspektasi dan realita",
                                      "Jurusan Kuliah yang Mendukung", "Contoh perusahaan atau institusi yang membutuhkan"]) \
        + "\n\nPenata rias merias wajah pengantin dan artis di gedung pernikahan\nIa bekerja di salon"
    with pytest.raises(BookletError) as caught:
        parse(text)
    assert caught.value.line == 3 and "follow each other" in caught.value.sentence
    # A profile being written: the first part not yet, the next one written; only the lists
    # written; only the third part written. Warnings, as for a missing part.
    headings = ["Profil Profesi", "Apa saya cocok bekerja sebagai Judul?", "Konsep, ekspektasi dan realita",
                "Jurusan Kuliah yang Mendukung", "Contoh perusahaan atau institusi yang membutuhkan"]
    for written in ({1: "Isi."}, {3: "Keperawatan\nKebidanan", 4: "Rumah Sakit\nPuskesmas"}, {2: "Isi."},
                    {4: "Rumah Sakit\nPuskesmas"}):
        text = "Judul\n\n" + "\n\n".join(h + ("\n\n" + written[i] if i in written else "") for i, h in enumerate(headings))
        _, problems = parse(text)
        assert {p.severity for p in problems} == {"warning"}, (written, problems)


def test_a_word_broken_at_a_wrapped_line_is_one_word_again():
    # Copied from a PDF or an e-mail: a hyphen of the text stays (anak-anak), a hyphenation
    # mark that only broke the line goes (WeasyPrint's U+2010, a soft hyphen); a dash between
    # words keeps its spaces.
    wrapped = ("Anak-\nanak yang detail-\noriented menyukai pengorganisa\u2010\nsian dan tidak takut kesa\u00ad\n"
               "lahan, kata orang \u2013\nsebuah kebiasaan.")
    profile, problems = parse(seed_text().replace("Tugas utama", f"{wrapped}\n\nTugas utama", 1))
    assert ("Anak-anak yang detail-oriented menyukai pengorganisasian dan tidak takut kesalahan, "
            "kata orang \u2013 sebuah kebiasaan.") in profile.overview
    assert not problems


def test_a_word_broken_with_a_hyphen_is_whole_where_the_file_writes_it_whole():
    # "dokumen-" / "tasi": a hyphen a PDF copied as a plain one. The file's own "dokumentasi"
    # says which word it is; without it (or where the file also writes "detail-oriented"), the
    # hyphen stays; "anak-anak" repeats its word and keeps it.
    wrapped = "Menulis dokumen-\ntasi, memakai Anak-\nanak dan detail-\noriented, mengasah infor-\nmasi."
    elsewhere = "Dokumentasi itu penting, anakanak, detailoriented, detail-oriented."
    profile, _ = parse(seed_text().replace("Tugas utama", f"{wrapped}\n\n{elsewhere}\n\nTugas utama", 1))
    assert "Menulis dokumentasi, memakai Anak-anak dan detail-oriented, mengasah infor-masi." in profile.overview


def test_an_item_listed_twice_is_printed_once_with_a_warning():
    text = SHORT + "Jurusan Kuliah yang Mendukung\n\nIlmu Komunikasi\nHukum\nILMU  KOMUNIKASI\n\n" + EMPLOYERS
    profile, problems = parse(text)
    assert profile.majors == ("Ilmu Komunikasi", "Hukum")
    lines = text.splitlines()
    assert [(p.severity, p.line) for p in problems] == [("warning", lines.index("ILMU  KOMUNIKASI") + 1)]
    assert f"also on line {lines.index('Ilmu Komunikasi') + 1}" in problems[0].message


def test_a_zero_width_space_where_a_space_was_separates_words():
    # Copied from a web page: between two words of a name, after a comma. Inside a word (a break
    # chance in a long address) it simply goes.
    text = SHORT + MAJORS.replace("Ilmu Keperawatan", "Ilmu\u200bKeperawatan\nHukum,\u200bdan\u200b") + EMPLOYERS.replace(
        "Rumah Sakit", "Rumah Sa\u200bkit di www.\u200bkemkes.go.id")
    profile, problems = parse(text)
    assert profile.majors == ("Ilmu Keperawatan", "Hukum") and problems == []
    assert profile.employers == ("Rumah Sakit di www.kemkes.go.id",)
