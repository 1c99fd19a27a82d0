"""The command line, through click's CliRunner: messages, exit codes, no tracebacks."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from click.testing import CliRunner

from booklet.api import build
from booklet.cli import cli

from .conftest import MINI, ROOT, pdf_pages_text


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_check_passes_on_the_mini_folder(mini):
    result = run("check", "--project", mini)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "3 profiles, 2 fields, 19 majors, 0 errors, 0 warnings"


def test_check_reports_every_problem_with_file_and_line(mini):
    (mini / "source" / "politik" / "kosong.txt").write_bytes(b"")
    (mini / "source" / "politik" / "utf16.txt").write_bytes("Judul".encode("utf-16")[:-1])  # cut short
    broken = mini / "source" / "kesehatan" / "bidan.txt"
    broken.write_text("Bidan\n\nProfil Profesi\n\nIsi.\n\nJurusan Kuliah yang Mendukung\n\nKesehatan:\n", encoding="utf-8")
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    assert f"{mini}/source/politik/kosong.txt:1: warning: the file is empty, so the booklet leaves it out" in result.output
    assert f"{mini}/source/politik/utf16.txt:1: error: the file says it is UTF-16 text but cannot be read" in result.output
    assert f"{mini}/source/kesehatan/bidan.txt:9: error: \"Kesehatan:\" ends with a colon" in result.output
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].endswith("2 errors, 1 warnings")


def test_list_shows_the_selectable_names(mini):
    result = run("list", "--project", mini)
    assert result.exit_code == 0
    assert "  kesehatan/perawat  Perawat" in result.output
    # In the booklet's order: booklet.yaml lists politik, the other fields follow.
    assert result.output.startswith("politik  (Politik, 2)") and result.output.index("kesehatan") > result.output.index("politik")


def test_build_writes_the_pdf_and_reports(mini):
    result = run("build", "--project", mini, "--only", "kesehatan")
    assert result.exit_code == 0, result.output
    out = mini / "dist" / "booklet-kesehatan.pdf"
    assert f"-> {out}" in result.output
    assert "Perawat" in " ".join(pdf_pages_text(out))


def test_unknown_selector_is_a_usage_error_listing_fields(mini):
    result = run("build", "--project", mini, "--only", "astronomi")
    assert result.exit_code == 2
    assert "astronomi" in result.output and "kesehatan, politik" in result.output


def test_build_error_is_one_line_and_exit_1(mini):
    (mini / "booklet.yaml").write_text("paper: Letter\n", encoding="utf-8")
    result = run("build", "--project", mini)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines == [f"{mini}/booklet.yaml:1: error: paper \"Letter\" is not supported; use one of A4, A5, F4."]
    assert not (mini / "dist").exists()


def test_version_and_help():
    assert run("--version").output.startswith("booklet, version")
    for command in ("check", "list", "build"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output


def test_two_profiles_with_one_title_or_slug_are_errors(mini):
    perawat = (mini / "source" / "kesehatan" / "perawat.txt").read_bytes()
    (mini / "source" / "kesehatan" / "perawat-lagi.txt").write_bytes(perawat)
    (mini / "source" / "politik" / "perawat-lagi.txt").write_bytes(perawat.replace(b"Perawat\n", b"Perawat Politik\n", 1))
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    # Files are read in sorted order: the later file of each pair carries the error.
    assert f"{mini}/source/kesehatan/perawat.txt:1: error: another profile has the same title \"Perawat\"" in result.output
    assert f"{mini}/source/politik/perawat-lagi.txt: error: another profile has the same short name \"perawat-lagi\"" in result.output


def test_windows_1252_file_builds_with_a_warning(mini):
    path = mini / "source" / "kesehatan" / "perawat.txt"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Puskesmas", "Puskesmas \u2013 Posyandu").encode("cp1252"))
    result = run("check", "--project", mini)
    assert result.exit_code == 0
    # The first byte UTF-8 cannot read is the non-breaking space before the heading on line 3.
    assert f"{path}:3: warning: the file is not UTF-8 throughout; this line and " in result.output


def test_a_ten_megabyte_profile_is_refused(mini):
    (mini / "source" / "politik" / "besar.txt").write_bytes(b"Judul\n\n" + b"kata " * 2_000_000)
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    assert "besar.txt: error: the file is 10,000,007 bytes; a profile may be at most 1,000,000 bytes." in result.output


def test_an_unreadable_profile_is_a_located_error(mini, monkeypatch):
    from pathlib import Path
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "perawat.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    assert "perawat.txt: error: the file cannot be read (permission denied)." in result.output
    assert "Traceback" not in result.output


def test_a_folder_or_booklet_yaml_that_cannot_be_read_is_one_sentence(mini, monkeypatch):
    # Tests run as root, whom permissions do not stop: the refusal is the operating system's.
    kesehatan = mini / "source" / "kesehatan"
    original_iterdir, original_read_bytes = Path.iterdir, Path.read_bytes

    def iterdir(self):
        if self == kesehatan:
            raise PermissionError(13, "Permission denied", str(self))
        return original_iterdir(self)

    def read_bytes(self):
        if self.name == "booklet.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return original_read_bytes(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    assert f"{kesehatan}: error: the folder cannot be read (permission denied)." in result.output
    assert f"{mini / 'booklet.yaml'}: error: the file cannot be read (permission denied)." in result.output
    assert "Traceback" not in result.output


def test_a_broken_labels_file_is_one_sentence(mini):
    labels = mini / "layouts" / "labels"
    labels.mkdir(parents=True)
    (labels / "id.yaml").write_text("contents: Daftar Isi\nindex: [tidak ditutup\n", encoding="utf-8")
    result = run("build", "--project", mini)
    assert result.exit_code == 1
    assert f"{labels / 'id.yaml'}:" in result.output and "not valid YAML" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("text, words", [
    ("back_contents: \"Berisi {jumlah} profesi\"\n", "has {jumlah}, which booklet does not fill in; it may use {professions}, {fields}, {majors}"),
    ("handout_header: \"{title} {edition\"\n", "without its pair"),
    ("months: [Jan, Feb]\n", "should list the 12 months"),
])
def test_a_label_booklet_cannot_fill_in_is_one_sentence(mini, text, words):
    labels = mini / "layouts" / "labels"
    labels.mkdir(parents=True)
    (labels / "id.yaml").write_text(text, encoding="utf-8")
    config = mini / "booklet.yaml"
    config.write_text("\n".join(l for l in config.read_text(encoding="utf-8").splitlines() if not l.startswith("edition:")),
                      encoding="utf-8")
    for command in ("build", "check"):
        result = run(command, "--project", mini)
        assert result.exit_code == 1, (command, result.output)
        assert f"{labels / 'id.yaml'}: error: " in result.output and words in result.output, (command, result.output)
        assert "Traceback" not in result.output


def test_characters_the_fonts_lack_are_reported_by_check_with_file_and_line(mini):
    path = mini / "source" / "kesehatan" / "perawat.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if "Puskesmas" in line)
    lines[number] = lines[number].replace("Puskesmas", "Puskesmas \U0001F3E5 \u2265 \u6f22", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = run("check", "--project", mini)
    assert result.exit_code == 0
    assert f"{path}:{number + 1}: warning: the booklet's fonts have no \u2265 \u6f22 \U0001F3E5" in result.output
    # The build says it once, with the file and line: not again in WeasyPrint's words.
    built = run("build", "--project", mini)
    assert built.exit_code == 0
    assert "fonts have no" in built.output and ".notdef" not in built.output


def test_labels_of_booklet_that_are_lists_may_be_overridden_with_lists(mini):
    labels = mini / "layouts" / "labels"
    labels.mkdir(parents=True)
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    (labels / "id.yaml").write_text(f"months: [{', '.join(months)}]\ncontents: Isi Buku\n", encoding="utf-8")
    assert run("check", "--project", mini).exit_code == 0
    built = run("build", "--project", mini)
    assert built.exit_code == 0, built.output
    text = " ".join(pdf_pages_text(mini / "dist" / "booklet.pdf"))
    assert "Isi Buku" in text
    (labels / "id.yaml").write_text("months: Januari\n", encoding="utf-8")
    result = run("build", "--project", mini)
    assert result.exit_code == 1 and "the label \"months\" should be a list" in result.output


TEMPLATE_MISTAKES = {
    # name: (template, line to add as line 2, words in the sentence)
    "syntax": ("profession.html.j2", "{% if profile.overview %", "cannot be read"),
    "undefined": ("profession.html.j2", "{{ salary }}", "'salary' is undefined"),
    "attribute": ("profession.html.j2", "{{ profile.gaji }}", "no attribute 'gaji'"),
    "include": ("booklet.html.j2", '{% include "kata-pengantar.html.j2" %}', '"kata-pengantar.html.j2" is in neither'),
    "type": ("cover.html.j2", '{{ 1 + "a" }}', "unsupported operand"),
}


@pytest.mark.parametrize("mistake", TEMPLATE_MISTAKES)
def test_a_template_mistake_is_one_sentence_naming_the_file(mini, mistake):
    name, added, words = TEMPLATE_MISTAKES[mistake]
    lines = (ROOT / "layouts" / name).read_text(encoding="utf-8").splitlines(keepends=True)
    (mini / "layouts").mkdir(exist_ok=True)
    (mini / "layouts" / name).write_text("".join(lines[:1] + [added + "\n"] + lines[1:]), encoding="utf-8")
    commands = [["build"], ["build", "--single-pass"], ["check"]]
    if name == "profession.html.j2":
        commands.append(["handouts"])  # a handout draws its profession with the same template
    for command in commands:
        result = CliRunner().invoke(cli, [*command, "--project", str(mini)])
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit), result.exception
        assert f"{mini}/layouts/{name}:" in result.output and words in result.output, (command, result.output)
    line = result.output.split(f"{name}:")[1].split(":")[0]
    assert int(line) in (2, 3), result.output  # where the mistake is (a syntax error shows on the next line)


def test_only_the_fonts_the_layout_uses_count_for_that_warning(mini):
    """A layout that sets its text in other fonts (one with ≥ here) is not warned about what
    booklet's own, unused fonts lack."""
    from fontTools.ttLib import TTFont
    (mini / "fonts").mkdir()
    (mini / "layouts").mkdir()
    css = (ROOT / "layouts" / "fonts.css").read_text(encoding="utf-8")
    for path in sorted((ROOT / "fonts").glob("Noto*.ttf")):
        font = TTFont(path)
        for table in font["cmap"].tables:
            if table.isUnicode():
                table.cmap[0x2265] = table.cmap[ord("=")]
        font.save(mini / "fonts" / path.name.replace("Noto", "Lain"))
        css = css.replace(path.name, path.name.replace("Noto", "Lain"))
    (mini / "layouts" / "fonts.css").write_text(css, encoding="utf-8")
    path = mini / "source" / "kesehatan" / "perawat.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("Puskesmas", "Puskesmas \u2265 \u6f22", 1), encoding="utf-8")
    result = run("check", "--project", mini)
    assert "warning: the booklet's fonts have no \u6f22" in result.output, result.output
    assert "\u2265" not in result.output.split("fonts have no")[1].splitlines()[0]


def _snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and ".booklet-cache" not in p.parts}


@pytest.mark.parametrize("command, target", [
    (["build", "--format", "html", "-o"], "dokumen"),  # a folder of the user's own files
    (["build", "--format", "html", "-o"], "."),  # the booklet folder itself
    (["build", "--format", "html", "-o"], ".."),  # the folder above it
    (["build", "--format", "html", "-o"], "source/kesehatan"),
    (["build", "-o"], "source/kesehatan/perawat.txt"),
    (["build", "--impose", "saddle", "-o"], "source/kesehatan/perawat.txt"),
    (["build", "-o"], "dokumen/surat.docx"),  # not a PDF
    (["build", "-o"], "dist/buku"),  # written, it would be refused the next time
    (["build", "-o"], "dist/baru/"),
    (["handouts", "-o"], "source"),
])
def test_outputs_never_cost_the_user_a_file(mini, monkeypatch, command, target):
    (mini / "dokumen").mkdir()
    (mini / "dokumen" / "surat.docx").write_bytes(b"PK\x03\x04 surat penting")
    monkeypatch.chdir(mini)
    before = _snapshot(mini.parent)
    result = CliRunner().invoke(cli, [*command, target, "--project", str(mini)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert "error:" in result.output
    assert _snapshot(mini.parent) == before


def test_the_html_edition_replaces_only_an_edition(mini):
    folder = mini / "dist" / "web"
    assert run("build", "--format", "html", "-o", folder, "--project", mini).exit_code == 0
    assert (folder / "index.html").is_file()
    assert run("build", "--format", "html", "-o", folder, "--project", mini).exit_code == 0  # its own: replaced
    # An edition written before the mark is recognised where booklet writes it unasked (dist/html)...
    assert run("build", "--format", "html", "--project", mini).exit_code == 0
    (mini / "dist" / "html" / ".booklet-html").unlink()
    assert run("build", "--format", "html", "--project", mini).exit_code == 0
    # ...but not in a folder given with -o, which may be a site of the user's of the same shape.
    (folder / ".booklet-html").unlink()
    result = CliRunner().invoke(cli, ["build", "--format", "html", "-o", str(folder), "--project", str(mini)])
    assert result.exit_code == 1 and "not of an HTML edition" in result.output
    shutil.rmtree(folder)
    assert run("build", "--format", "html", "-o", folder, "--project", mini).exit_code == 0
    # Anything besides what booklet wrote there, marked or not, stops it.
    assert run("build", "--format", "html", "-o", folder, "--project", mini).exit_code == 0
    for extra in ("catatan.txt", ".git/config", "fonts/rahasia.docx", "arsip/2023.html"):
        (folder / extra).parent.mkdir(exist_ok=True)
        (folder / extra).write_text("punya saya", encoding="utf-8")
        for marked in (True,):
            result = CliRunner().invoke(cli, ["build", "--format", "html", "-o", str(folder), "--project", str(mini)])
            assert result.exit_code == 1 and "not of an HTML edition" in result.output, (extra, marked)
            assert (folder / extra).read_text(encoding="utf-8") == "punya saya"
        (folder / extra).unlink()
    # A site of the user's own, with an index.html: not an edition.
    site = mini / "situs"
    (site / "arsip").mkdir(parents=True)
    (site / "index.html").write_text("<p>beranda</p>", encoding="utf-8")
    (site / "arsip" / "2023.html").write_text("<p>arsip</p>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--format", "html", "-o", str(site), "--project", str(mini)])
    assert result.exit_code == 1 and (site / "arsip" / "2023.html").is_file()


def test_an_output_through_a_link_into_source_is_refused(mini, tmp_path):
    (mini / "tautan").symlink_to(mini / "source")
    before = _snapshot(mini / "source")
    for args in (["build", "-o", mini / "tautan" / "x.pdf"], ["build", "--format", "html", "-o", mini / "tautan" / "web"]):
        result = CliRunner().invoke(cli, [*map(str, args), "--project", str(mini)])
        assert result.exit_code == 1 and "inside source/" in result.output
    assert _snapshot(mini / "source") == before
    # source/ itself a link (the reader follows it): still only read.
    elsewhere = tmp_path / "profil"
    (mini / "source").rename(elsewhere)
    (mini / "source").symlink_to(elsewhere)
    for args in (["build", "-o", mini / "source" / "politik" / "y.pdf"], ["handouts", "-o", mini / "source"]):
        result = CliRunner().invoke(cli, [*map(str, args), "--project", str(mini)])
        assert result.exit_code == 1 and "inside source/" in result.output
    assert not list(elsewhere.rglob("*.pdf"))


def test_handouts_may_go_to_a_folder_above_the_booklet(tmp_path):
    """The Desktop that holds the booklet folder: handouts only add PDFs to it."""
    desktop = tmp_path / "Desktop"
    shutil.copytree(MINI, desktop / "mini")
    result = CliRunner().invoke(cli, ["handouts", "--only", "perawat", "-o", str(desktop), "--project", str(desktop / "mini")])
    assert result.exit_code == 0, result.output
    assert (desktop / "kesehatan" / "perawat.pdf").is_file()


def test_an_edition_a_file_manager_has_shown_is_replaced(mini):
    folder = mini / "dist" / "html"
    assert run("build", "--format", "html", "--project", mini).exit_code == 0
    (folder / ".DS_Store").write_bytes(b"\0")
    (folder / "kesehatan" / "Thumbs.db").write_bytes(b"\0")
    (folder / ".directory").write_bytes(b"\0")
    (folder / "._index.html").write_bytes(b"\0")
    assert run("build", "--format", "html", "--project", mini).exit_code == 0
    (folder / "catatan.docx").write_bytes(b"PK")
    result = run("build", "--format", "html", "--project", mini)
    assert result.exit_code == 1 and '"catatan.docx"' in result.output


@pytest.mark.parametrize("single_pass", [False, True])
def test_a_layout_that_hides_the_contents_is_a_sentence(mini, single_pass):
    (mini / "layouts").mkdir()
    (mini / "layouts" / "cover.css").write_text(".contents { display: none; }", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--project", str(mini), *(["--single-pass"] if single_pass else [])])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "display: none" in result.output


def test_usage_mistakes_exit_2(mini):
    for args in (["build", "--exclude", "politik", "--exclude", "kesehatan"],
                 ["build", "--impose", "saddle", "--paper", "A4"],
                 ["check", "--project", str(mini / "tidak-ada")]):
        result = CliRunner().invoke(cli, [*args, *(["--project", str(mini)] if "--project" not in args else [])])
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


@pytest.mark.parametrize("mistake", ["calls-a-macro-wrongly", "gives-booklets-template-a-wrong-value", "extends-itself",
                                     "not-utf8", "web-syntax"])
def test_more_template_mistakes_are_sentences(mini, monkeypatch, mistake):
    layouts = mini / "layouts"
    layouts.mkdir()
    command, name, words = ["build"], None, None
    if mistake == "calls-a-macro-wrongly":  # the error shows in Jinja's macro call, the mistake is in head.html.j2
        head = (ROOT / "layouts" / "head.html.j2").read_text(encoding="utf-8")
        (layouts / "head.html.j2").write_text(head.replace("options.bleed_mm) }}", 'options.bleed_mm, "ekstra") }}', 1), encoding="utf-8")
        name, words = "head.html.j2", "the template failed"
    elif mistake == "gives-booklets-template-a-wrong-value":  # the error shows in booklet's index.html.j2
        whole = (ROOT / "layouts" / "booklet.html.j2").read_text(encoding="utf-8")
        (layouts / "booklet.html.j2").write_text('{% set index_lines_per_column = "banyak" %}' + whole, encoding="utf-8")
        name, words = "booklet.html.j2", "the template failed"
    elif mistake == "extends-itself":
        (layouts / "booklet.html.j2").write_text('{% extends "booklet.html.j2" %}', encoding="utf-8")
        words = "extends itself"
    elif mistake == "not-utf8":
        (layouts / "profession.html.j2").write_bytes((ROOT / "layouts" / "profession.html.j2").read_bytes() + b"<p>Caf\xe9</p>\n")
        name, words = "profession.html.j2", "not UTF-8"
    else:  # only the HTML edition draws it; check reads every template
        (layouts / "web").mkdir()
        (layouts / "web" / "index.html.j2").write_text("{% if x %", encoding="utf-8")
        command, name, words = ["check"], "web/index.html.j2", "cannot be read"
    monkeypatch.chdir(mini.parent)  # a relative --project: the path is named once, not twice
    for args in (command, ["check"]):
        result = CliRunner().invoke(cli, [*args, "--project", "mini"])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
        assert words in result.output
        if name:
            assert f"mini/layouts/{name}:" in result.output and "layouts/layouts" not in result.output


def test_the_project_may_come_before_the_command(mini):
    result = run("--project", mini, "check")
    assert result.exit_code == 0 and result.output.strip().splitlines()[-1].startswith("3 profiles")
    assert run("-p", mini, "build", "--only", "perawat").exit_code == 0
    assert (mini / "dist" / "booklet-perawat.pdf").is_file()


def test_a_subset_reads_only_the_profiles_it_names(mini):
    # A colleague's half-written profile in another field does not stop a subset named by its
    # folder or file; the whole booklet, and a subset named by a title, still read it.
    broken = mini / "source" / "kesehatan" / "bidan.txt"
    broken.write_text("Bidan\n\nProfil Profesi\n\nIsi.\n\nJurusan Kuliah yang Mendukung\n\nKesehatan:\n", encoding="utf-8")
    mistake = f"{broken}:9: error"
    for selection in (["--only", "politik"], ["--only", "politik/pengurus-partai-politik"],
                      ["--only", "pol*/*"], ["--exclude", "kesehatan"], ["--exclude", "bidan"]):
        result = run("build", "--project", mini, *selection, "-o", mini / "dist" / "subset.pdf")
        assert result.exit_code == 0, (selection, result.output)
        assert mistake not in result.output
    assert "Pengurus Partai Politik" in " ".join(pdf_pages_text(mini / "dist" / "subset.pdf"))
    for selection in ([], ["--exclude", "perawat"]):
        result = run("build", "--project", mini, *selection)
        assert result.exit_code == 1 and mistake in result.output, (selection, result.output)
    result = run("build", "--project", mini, "--only", "politik", "--exclude", "astronomi")
    assert result.exit_code == 2 and "astronomi" in result.output and "kesehatan, politik" in result.output


def test_a_title_selects_a_profile_whose_file_is_named_otherwise(mini):
    source = mini / "source" / "politik"
    (source / "pengurus-partai-politik.txt").rename(source / "pengurus.txt")
    result = run("build", "--project", mini, "--only", "Pengurus Partai Politik", "-o", mini / "dist" / "t.pdf")
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages_text(mini / "dist" / "t.pdf"))
    assert "Pengurus Partai Politik" in text and "Koordinator Pertemuan Politik" not in text
    # Titles are read from each file's first lines: a mistake further down another file does
    # not stop a subset named by a title either, nor one that leaves a profession out by its title.
    (mini / "source" / "kesehatan" / "bidan.txt").write_text("Bidan\n\nProfil Profesi\n\nIsi.\n\nJurusan Kuliah yang Mendukung\n\nKesehatan:\n", encoding="utf-8")
    for selection in (["--only", "Pengurus Partai Politik"], ["--only", "politik", "--exclude", "Pengurus Partai Politik"],
                      ["--only", "kesehatan", "--exclude", "Bidan"]):
        result = run("build", "--project", mini, *selection, "-o", mini / "dist" / "t.pdf")
        assert result.exit_code == 0 and "bidan.txt" not in result.output, (selection, result.output)
    assert "Pengurus Partai Politik" not in " ".join(pdf_pages_text(mini / "dist" / "t.pdf"))


def test_a_subset_reads_a_title_that_is_also_a_field_name_and_dates_as_the_whole(mini):
    # politik/menteri.txt is titled "Kesehatan": --only kesehatan takes it too, read or not.
    seed = (mini / "source" / "politik" / "pengurus-partai-politik.txt").read_text(encoding="utf-8")
    menteri = mini / "source" / "politik" / "menteri.txt"
    menteri.write_text(seed.replace("Pengurus Partai Politik", "Kesehatan", 1), encoding="utf-8")
    for path in (mini / "source").rglob("*.txt"):
        os.utime(path, (1_760_000_000, 1_760_000_000))
    os.utime(menteri, (1_770_000_000, 1_770_000_000))  # the newest file, outside the subset
    whole = build(mini)
    subset = build(mini, only=("kesehatan",), output=mini / "dist" / "k.pdf")
    assert {p.key for p in subset.booklet.profiles} == {"kesehatan/perawat", "politik/menteri"}
    assert subset.booklet.date == whole.booklet.date


def test_a_field_is_selected_by_the_title_booklet_yaml_gives_it(mini):
    # The booklet prints "Politik dan Pemerintahan"; a counselor may name the field so.
    config = mini / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("politik: Politik", "politik: Politik dan Pemerintahan"),
                      encoding="utf-8")
    result = run("build", "--project", mini, "--only", "politik dan pemerintahan")
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages_text(mini / "dist" / "booklet-politik.pdf"))
    assert "Politik dan Pemerintahan" in text and "Pengurus Partai Politik" in text and "Perawat" not in text
    result = run("build", "--project", mini, "--exclude", "Politik dan Pemerintahan", "-o", mini / "dist" / "x.pdf")
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_pages_text(mini / "dist" / "x.pdf"))
    assert "Perawat" in text and "Pengurus Partai Politik" not in text


def test_a_booklet_on_another_paper_does_not_take_the_place_of_the_usual_one(mini):
    assert run("build", "--project", mini).exit_code == 0
    usual = (mini / "dist" / "booklet.pdf").read_bytes()
    result = run("build", "--project", mini, "--paper", "A5")
    assert result.exit_code == 0 and "booklet-a5.pdf" in result.output
    assert (mini / "dist" / "booklet.pdf").read_bytes() == usual
    assert run("handouts", "--project", mini, "--paper", "A5", "--only", "perawat").exit_code == 0
    assert (mini / "dist" / "handouts" / "kesehatan" / "perawat-a5.pdf").is_file()
    assert not (mini / "dist" / "handouts" / "kesehatan" / "perawat.pdf").exists()


def test_check_reads_the_layouts_own_stylesheets(mini):
    # What a build says while it renders, check says too: a misspelt property, a value WeasyPrint
    # cannot use (warnings, as WeasyPrint skips them), a file it may not load (an error).
    layouts = mini / "layouts"
    layouts.mkdir()
    (layouts / "page.css").write_text("body { margin: 0; }\nh1 { backgrund: red; color: #12345g; }\n", encoding="utf-8")
    result = run("check", "--project", mini)
    assert result.exit_code == 0, result.output
    assert f"{layouts / 'page.css'}:2: warning: Ignored `backgrund: red` at 2:6, unknown property." in result.output
    assert "invalid value" in result.output and "0 errors, 2 warnings" in result.output
    (layouts / "type.css").write_text('@import url("https://example.invalid/x.css");\n', encoding="utf-8")
    result = run("check", "--project", mini)
    assert result.exit_code == 1
    assert f"{layouts / 'type.css'}:1: error: the layout asks for \"https://example.invalid/x.css\"" in result.output
