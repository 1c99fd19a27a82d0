"""A logo in booklet.yaml: PNG, JPEG or SVG, checked, and on the cover; anything else an error."""
from __future__ import annotations

import io
import subprocess

import pytest
from click.testing import CliRunner
from PIL import Image

from booklet import build
from booklet.cli import cli

from .test_build import check_booklet


def with_logo(folder, name, data):
    (folder / name).write_bytes(data)
    config = folder / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"logo: {name}\n", encoding="utf-8")
    return len(config.read_text(encoding="utf-8").splitlines())


def png(width=120, height=40, colour=(31, 95, 107)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def images_on(pdf, page):
    listed = subprocess.run(["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
                            capture_output=True, text=True, check=True).stdout
    return listed.splitlines()[2:]


@pytest.mark.parametrize("name, data", [
    ("logo.png", png()),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#1f5f6b"/></svg>'),
])
def test_a_logo_is_on_the_cover(mini, name, data):
    with_logo(mini, name, data)
    result = build(mini)
    check_booklet(result)
    if name.endswith(".png"):
        assert len(images_on(result.path, 1)) == 1
        assert all(not images_on(result.path, n) for n in range(2, result.page_count + 1))
    else:  # vector: drawn, not an image; the cover's content carries the rectangle
        assert b"re" in subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(result.path), "-"],
                                       capture_output=True, check=True).stdout


def svg_with(body: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{body}</svg>'.encode()


@pytest.mark.parametrize("name, data, words", [
    ("logo.png", b"not really a picture", "is not a PNG image"),
    ("logo.jpg", png(), "is not a JPEG image"),
    ("logo.gif", b"GIF89a....", "must be a PNG, JPEG or SVG"),
    ("logo.png", png(5000, 4000), "5000 x 4000 pixels"),
    ("logo.png", png()[:60], "damaged"),
    ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 2_100_000, "a logo may have at most 2,000,000"),
    ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
     "DOCTYPE or entities"),
    ("logo.svg", svg_with('<image xlink:href="http://127.0.0.1:9/x.png"/>'), "refers to another file"),
    ("logo.svg", svg_with('<image href="/etc/passwd"/>'), "refers to another file"),
    ("logo.svg", svg_with('<rect style="fill: url(file:///etc/x)"/>'), "refers to another file"),
    ("logo.svg", b"<svg><rect></svg>", "not well-formed"),
])
def test_a_bad_logo_is_a_located_error(mini, name, data, words):
    line = with_logo(mini, name, data)
    result = CliRunner().invoke(cli, ["build", "-p", str(mini)])
    assert result.exit_code == 1
    assert f"booklet.yaml:{line}: error: logo \"{name}\": " in result.output
    assert words in result.output and "Traceback" not in result.output
    assert not (mini / "dist" / "booklet.pdf").exists()


@pytest.mark.parametrize("value", ["../logo.png", "/etc/hostname", "link.png"])
def test_a_logo_outside_the_folder_is_refused(mini, tmp_path, value):
    (tmp_path / "logo.png").write_bytes(png())
    (mini / "link.png").symlink_to(tmp_path / "logo.png")
    config = mini / "booklet.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"logo: {value}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "-p", str(mini)])
    assert result.exit_code == 1 and "inside the booklet folder" in result.output
