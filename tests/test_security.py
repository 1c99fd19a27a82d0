"""Hostile input: markup stays text, nothing outside the folders is read, same bytes every time."""
from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from booklet import build
from booklet.errors import BookletError

from .conftest import pdf_pages_text, squash

PERAWAT = Path("source") / "kesehatan" / "perawat.txt"


def test_markup_and_template_code_in_a_profile_print_literally(mini):
    path = mini / PERAWAT
    hostile = "<b>tebal</b> <script>alert(1)</script> {{ 7*7 }} {% if x %}y{% endif %} &amp; <img src=\"file:///etc/passwd\">"
    path.write_text(path.read_text(encoding="utf-8").replace("Puskesmas", hostile), encoding="utf-8")
    result = build(mini, only=["perawat"])
    # Lines may wrap inside the pieces (after a "/"), so compare without spaces.
    text = squash(" ".join(pdf_pages_text(result.path))).replace(" ", "")
    for piece in ("<b>tebal</b>", "<script>alert(1)</script>", "{{ 7*7 }}", "{% if x %}y{% endif %}", "&amp;", '<img src="file:///etc/passwd">'):
        assert piece.replace(" ", "") in text, piece
    assert "{{7*7}}" in text and "49" not in squash(" ".join(pdf_pages_text(result.path))).split()


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary.css"
    path.write_text("body { color: red }", encoding="utf-8")
    return path


@pytest.mark.parametrize("make_reference", [
    lambda canary, url: f'@import url("{canary.as_uri()}");',
    lambda canary, url: f'@import url("{canary}");',
    lambda canary, url: '@import url("../../canary.css");',
    lambda canary, url: '@import url("%2e%2e/%2e%2e/canary.css");',
    lambda canary, url: f'@import url("{url}/style.css");',
    lambda canary, url: f'body {{ background: url("{url}/img.png"); }}',
    lambda canary, url: '@font-face { font-family: X; src: url("https://example.invalid/x.ttf"); } body { font-family: X; }',
], ids=["file-url", "absolute-path", "dot-dot", "encoded-dot-dot", "http-import", "http-image", "https-font"])
def test_layout_references_outside_the_folders_fail_the_build(mini, canary, listener, make_reference):
    layouts = mini / "layouts"
    layouts.mkdir()
    (layouts / "type.css").write_text(make_reference(canary, listener), encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        build(mini, only=["perawat"])
    assert "outside the booklet's layouts/ and fonts/" in caught.value.sentence
    assert (caught.value.path, caught.value.line) == (layouts / "type.css", 1)  # where it is asked for
    assert _Recorder.hits == []
    assert not (mini / "dist" / "booklet-perawat.pdf").exists()


@pytest.mark.parametrize("reference, folder", [
    ('@font-face { font-family: X; src: url("../fonts/Tidak-Ada.ttf"); } body { font-family: X; }', "fonts"),
    ('body { background: url("tidak-ada.png"); }', "layouts"),
])
def test_a_missing_layout_file_is_named_as_missing(mini, reference, folder):
    (mini / "layouts").mkdir()
    (mini / "layouts" / "type.css").write_text(reference, encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        build(mini, only=["perawat"])
    assert f"in neither the booklet's {folder}/ folder nor booklet's own" in caught.value.sentence
    assert (caught.value.path, caught.value.line) == (mini / "layouts" / "type.css", 1)


def test_symlink_out_of_the_layouts_folder_is_refused(mini, canary):
    layouts = mini / "layouts"
    layouts.mkdir()
    (layouts / "type.css").symlink_to(canary)
    with pytest.raises(BookletError):
        build(mini, only=["perawat"])


def test_templates_and_labels_through_a_symlink_out_of_layouts_are_refused(mini, tmp_path):
    # Jinja and the labels file would follow a link as WeasyPrint's fetcher does not: the text of
    # any file on the computer could be printed in the booklet.
    secret = tmp_path / "secret.txt"
    secret.write_text("RAHASIA-123", encoding="utf-8")
    layouts = mini / "layouts"
    layouts.mkdir()
    (layouts / "rahasia.html.j2").symlink_to(secret)
    builtin = (Path(__file__).resolve().parent.parent / "layouts" / "howto.html.j2").read_text(encoding="utf-8")
    (layouts / "howto.html.j2").write_text('{% include "rahasia.html.j2" %}' + builtin, encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        build(mini)
    assert caught.value.path == layouts / "rahasia.html.j2" and "symbolic link out of layouts/" in caught.value.sentence
    (layouts / "howto.html.j2").unlink()
    (layouts / "labels").mkdir()
    (layouts / "labels" / "id.yaml").symlink_to(secret)
    with pytest.raises(BookletError) as caught:
        build(mini)
    assert caught.value.path == layouts / "labels" / "id.yaml" and "symbolic link out of layouts/" in caught.value.sentence
    assert not (mini / "dist" / "booklet.pdf").exists()


@pytest.mark.parametrize("name", ["layouts", "fonts"])
def test_a_layouts_or_fonts_folder_that_is_a_symlink_is_one_sentence(mini, tmp_path, name):
    elsewhere = tmp_path / "tema"
    elsewhere.mkdir()
    (mini / name).symlink_to(elsewhere)
    with pytest.raises(BookletError) as caught:
        build(mini)
    assert caught.value.path == mini / name and f"real {name}/ folder" in caught.value.sentence


def test_base_href_and_attachments_in_a_layout_are_refused(mini, canary):
    layouts = mini / "layouts"
    layouts.mkdir()
    builtin = (Path(__file__).resolve().parent.parent / "layouts" / "howto.html.j2").read_text(encoding="utf-8")
    (layouts / "howto.html.j2").write_text(
        f'<base href="{canary.parent.as_uri()}/"><link rel="attachment" href="{canary.as_uri()}">' + builtin, encoding="utf-8")
    with pytest.raises(BookletError):
        build(mini, only=["perawat"])


def test_symlinked_profile_is_an_error(mini, tmp_path):
    outside = tmp_path / "luar.txt"
    outside.write_bytes((mini / PERAWAT).read_bytes())
    (mini / "source" / "kesehatan" / "tautan.txt").symlink_to(outside)
    with pytest.raises(BookletError) as caught:
        build(mini)
    assert caught.value.path.name == "tautan.txt"


def test_a_very_long_word_wraps_inside_the_margins(mini):
    path = mini / PERAWAT
    path.write_text(path.read_text(encoding="utf-8").replace("Puskesmas", "Puskesmas" + "a" * 10000), encoding="utf-8")
    result = build(mini, only=["perawat"])
    assert result.warnings == ()
    bbox = subprocess.run(["pdftotext", "-bbox", str(result.path), "-"], capture_output=True, text=True, check=True).stdout
    import re
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    for x_max in re.findall(r'xMax="([\d.]+)"', bbox):
        assert float(x_max) <= page_width - 30


def _build_in_subprocess(folder: Path, output: Path, env_extra: dict, *extra: str) -> bytes:
    import os
    env = {**os.environ, **env_extra}
    subprocess.run([sys.executable, "-m", "booklet", "build", "--project", str(folder), "-o", str(output), *extra],
                   check=True, capture_output=True, env=env)
    return output.read_bytes()


@pytest.mark.parametrize("env", [{}, {"SOURCE_DATE_EPOCH": "1767225600"}], ids=["plain", "source-date-epoch"])
def test_two_builds_give_the_same_bytes(mini, tmp_path, env):
    (mini / "booklet.yaml").write_text("title: Sama\n", encoding="utf-8")
    # Rendered afresh each time (no cache), by the fast build with one and two workers, and
    # from the cache: all the same bytes.
    first = _build_in_subprocess(mini, tmp_path / "a.pdf", env, "--no-cache")
    second = _build_in_subprocess(mini, tmp_path / "b.pdf", env, "--no-cache", "--jobs", "1")
    cached = _build_in_subprocess(mini, tmp_path / "c.pdf", env)
    assert first == second == cached
    single = _build_in_subprocess(mini, tmp_path / "d.pdf", env, "--single-pass")
    assert single == _build_in_subprocess(mini, tmp_path / "e.pdf", env, "--single-pass")
    if env:
        assert "1 Januari 2026" in " ".join(pdf_pages_text(tmp_path / "a.pdf"))


def test_outputs_have_normal_permissions(mini):
    import os
    import stat
    result = build(mini, only=["perawat"])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o666 & ~umask


def test_source_is_only_read(mini):
    before = {p: p.read_bytes() for p in (mini / "source").rglob("*") if p.is_file()}
    build(mini)
    after = {p: p.read_bytes() for p in (mini / "source").rglob("*") if p.is_file()}
    assert before == after


def test_output_inside_source_is_refused(mini):
    (mini / "booklet.yaml").write_text("output: source/hasil\n", encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        build(mini)
    assert "inside source/" in caught.value.sentence
