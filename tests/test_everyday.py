"""Everyday use: start a booklet, add a profession, list, progress and quiet output, labels in
two languages, and rebuilding on save."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from booklet import build, load_library
from booklet.cli import cli

from .conftest import ROOT, pdf_pages_text, squash
from .test_build import check_booklet


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_init_makes_a_folder_that_builds(tmp_path):
    folder = tmp_path / "buku-karier"
    result = run("init", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "booklet.yaml").is_file() and (folder / "BACA-SAYA.md").is_file()
    assert "booklet new" in (folder / "BACA-SAYA.md").read_text(encoding="utf-8")
    library = load_library(folder)
    assert not library.problems and len(library.profiles) == 1
    check_booklet(build(folder))


def test_init_never_overwrites(tmp_path):
    folder = tmp_path / "ada"
    folder.mkdir()
    (folder / "booklet.yaml").write_text("title: Milik Saya\n", encoding="utf-8")
    result = run("init", folder)
    assert result.exit_code == 1
    assert "already exists" in result.output and "Traceback" not in result.output
    assert (folder / "booklet.yaml").read_text(encoding="utf-8") == "title: Milik Saya\n"
    assert not (folder / "source").exists()  # nothing written when anything is in the way


def test_new_writes_the_five_headings_and_check_asks_for_content(mini):
    result = run("new", "Ahli Gizi & Pangan", "--field", "kesehatan", "-p", mini)
    assert result.exit_code == 0, result.output
    path = mini / "source" / "kesehatan" / "ahli-gizi-pangan.txt"
    text = path.read_text(encoding="utf-8")
    for heading in ("Profil Profesi", "Apa saya cocok bekerja sebagai Ahli Gizi & Pangan?",
                    "Konsep, ekspektasi dan realita", "Jurusan Kuliah yang Mendukung",
                    "Contoh perusahaan atau institusi yang membutuhkan"):
        assert heading in text
    assert text.splitlines()[0] == "Ahli Gizi & Pangan"
    checked = run("check", "-p", mini)
    assert checked.exit_code == 0  # a profile being written waits, out of the booklet
    assert f"{path}:1: warning: the profile has its headings but no text yet" in checked.output
    assert build(mini).booklet.profiles == build(mini).booklet.profiles
    assert "ahli-gizi-pangan" not in {p.slug for p in build(mini).booklet.profiles}
    again = run("new", "Ahli Gizi & Pangan", "--field", "kesehatan", "-p", mini)
    assert again.exit_code == 1 and "never overwrites" in again.output
    bad = run("new", "Bidan", "--field", "Kesehatan Ibu", "-p", mini)
    assert bad.exit_code == 1 and "kesehatan-ibu" in bad.output


def test_list_json_has_the_page_counts_of_the_last_build(mini):
    before = json.loads(run("list", "--json", "-p", mini).output)
    assert {entry["pages"] for entry in before} == {None}
    result = build(mini)
    listed = json.loads(run("list", "--json", "-p", mini).output)
    starts = sorted(result.page_of[p.key] for p in result.booklet.profiles) + [result.page_of["index"]]
    measured = {p.key: starts[starts.index(result.page_of[p.key]) + 1] - result.page_of[p.key]
                for p in result.booklet.profiles}
    assert {entry["key"]: entry["pages"] for entry in listed} == measured
    assert "[2 pages]" in run("list", "-p", mini).output


def test_quiet_and_verbose(mini):
    quiet = run("build", "-p", mini, "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = run("build", "-p", mini, "--verbose")
    assert verbose.exit_code == 0
    assert "kesehatan/perawat" in verbose.output
    assert verbose.output.strip().splitlines()[-1].startswith("12 pages, 3 professions ->")


def test_version_and_help_with_examples():
    assert run("--version").output.startswith("booklet, version ")
    for command in ("check", "list", "build", "handouts", "init", "new"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, command


def test_english_labels(mini):
    (mini / "booklet.yaml").write_text(
        (mini / "booklet.yaml").read_text(encoding="utf-8") + "language: en\n", encoding="utf-8")
    english = build(mini)
    text = squash(" ".join(pdf_pages_text(english.path)))
    for label in ("Contents", "Index of Majors", "How to Use This Booklet", "Notes"):
        assert label in text
    for label in ("Daftar Isi", "Indeks Jurusan", "Cara Menggunakan", "Catatan"):
        assert label not in text
    assert "Am I suited to work as" in text or "Apa saya cocok" not in text


def default_sigint():
    # A test run started in the background inherits an ignored SIGINT; Ctrl-C is what we test.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(sys.platform != "linux", reason="uses inotify and POSIX signals")
def test_watch_rebuilds_on_save_survives_a_broken_file_and_stops_on_ctrl_c(mini):
    pdf = mini / "dist" / "booklet.pdf"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "booklet", "build", "--watch", "-p", str(mini)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               preexec_fn=default_sigint)
    try:
        assert wait_for(pdf.is_file)
        assert wait_for(lambda: True, 1.5)
        first = pdf.stat().st_mtime_ns
        perawat = mini / "source" / "kesehatan" / "perawat.txt"
        original = perawat.read_text(encoding="utf-8")
        perawat.write_text(original.replace("Perawat merawat pasien", "Perawat dengan sabar merawat pasien", 1),
                           encoding="utf-8")
        assert wait_for(lambda: pdf.stat().st_mtime_ns != first)
        assert wait_for(lambda: "dengan sabar" in squash(" ".join(pdf_pages_text(pdf))))
        good, good_time = pdf.read_bytes(), pdf.stat().st_mtime_ns

        broken = mini / "source" / "politik" / "rusak.txt"
        broken.write_bytes(b"Judul\n\nTeks tanpa judul bagian.\n")
        time.sleep(3)
        assert pdf.read_bytes() == good  # the last good PDF stays
        broken.unlink()
        assert wait_for(lambda: pdf.stat().st_mtime_ns != good_time, 30)  # rebuilt once fixed
        time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "rusak.txt:1: error: no recognised heading" in err
    assert "changed: source/kesehatan/perawat.txt" in err
    assert "Traceback" not in err


def test_new_refuses_a_short_name_another_field_has(mini):
    before = sorted(p.name for p in (mini / "source").rglob("*"))
    result = run("new", "Perawat", "--field", "politik", "-p", mini)
    assert result.exit_code == 1 and "short name \"perawat\"" in result.output
    assert str(mini / "source" / "kesehatan" / "perawat.txt") in result.output
    assert sorted(p.name for p in (mini / "source").rglob("*")) == before


def test_list_says_which_profiles_wait_for_their_text(mini):
    run("new", "Ahli Gizi", "--field", "kesehatan", "-p", mini)
    result = CliRunner().invoke(cli, ["list", "--json", "-p", str(mini)])
    assert result.exit_code == 0
    assert "ahli-gizi" not in {entry["slug"] for entry in json.loads(result.stdout)}
    assert "ahli-gizi.txt:1: warning: the profile has its headings but no text yet" in result.stderr
