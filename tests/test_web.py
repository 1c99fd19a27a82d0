"""The HTML edition: its files, then a real browser (headless Chromium) following its links."""
from __future__ import annotations

import html.parser
import re
import shutil
from pathlib import Path

import pytest

from booklet.api import build_html, load
from booklet.cli import cli

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class _Checker(html.parser.HTMLParser):
    """Well-formedness of what we write: every opened element closed in order, no duplicate
    ids, and no reference outside the edition's own folder."""

    VOID = {"meta", "link", "br", "img", "hr", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.refs, self.problems = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if name in attrs and not (tag == "a" and attrs[name].startswith(("https://", "http://", "mailto:"))):
                self.refs.append(attrs[name])  # a link the reader may follow out is not loaded
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unexpected </{tag}>")


def check_page(path: Path, folder: Path):
    checker = _Checker()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n<html lang=")
    checker.feed(text)
    assert not checker.problems and not checker.stack, (path, checker.problems, checker.stack)
    for ref in checker.refs:
        assert "://" not in ref and not ref.startswith("/"), ref
        target = (path.parent / ref.split("#")[0]).resolve()
        assert target.is_relative_to(folder.resolve()) and target.exists(), ref
    return checker


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web") / "html"
    return build_html(ROOT, output=folder), load(ROOT)


def test_every_page_is_well_formed_and_self_contained(edition):
    made, library = edition
    pages = sorted(made.folder.rglob("*.html"))
    assert len(pages) == made.pages == len(library.profiles) + 1
    for page in pages:
        check_page(page, made.folder)
    css = (made.folder / "web.css").read_text(encoding="utf-8")
    assert "http" not in css and "@import" not in css
    assert (made.folder / "fonts" / "OFL.txt").is_file()


def test_the_same_content_in_the_same_order(edition):
    made, library = edition
    index = (made.folder / "index.html").read_text(encoding="utf-8")
    positions = [index.index(f'>{p.title}</a></li>') for p in sorted(library.profiles, key=lambda p: p.key)]
    assert len(positions) == len(library.profiles)
    for profile in library.profiles:
        page = (made.folder / profile.field / f"{profile.slug}.html").read_text(encoding="utf-8")
        page = re.sub(r"<[^>]+>", "", page)  # words kept whole and addresses are marked up inside a paragraph
        for paragraph in (*profile.overview, *profile.fit, *profile.reality):
            assert paragraph.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;") in page
        for item in (*profile.majors, *profile.employers):
            assert item.replace("&", "&amp;") in page


def test_addresses_in_the_text_are_links(mini):
    profile = mini / "source" / "kesehatan" / "perawat.txt"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("Perawat merawat pasien", "Lihat https://www.kemkes.go.id/profesi atau tulis ke humas@kemkes.go.id. Perawat merawat pasien", 1),
                       encoding="utf-8")
    made = build_html(mini, output=mini / "dist" / "html")
    page = (made.folder / "kesehatan" / "perawat.html").read_text(encoding="utf-8")
    check_page(made.folder / "kesehatan" / "perawat.html", made.folder)
    assert '<a class="alamat" href="https://www.kemkes.go.id/profesi">https://www.kemkes.go.id/profesi</a>' in page
    assert '<a class="alamat" href="mailto:humas@kemkes.go.id">humas@kemkes.go.id</a>.' in page


def test_rebuilding_replaces_the_folder_whole(tmp_path):
    from click.testing import CliRunner
    folder = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--format", "html", "-p", str(ROOT), "--only", "hukum", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (folder / "hukum").iterdir()) == ["advokat.html", "notaris.html"]
    again = CliRunner().invoke(cli, ["build", "--format", "html", "-p", str(ROOT), "--only", "politik", "-o", str(folder)])
    assert again.exit_code == 0, again.output
    assert not (folder / "hukum").exists()  # the last edition's pages go with it (a file of the user's would stop it)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left behind


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs it when run as root)")
def test_in_a_real_browser(edition, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    made, library = edition
    profile = next(p for p in library.profiles if p.majors)
    errors, requests = [], []
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((made.folder / "index.html").as_uri())
        assert page.locator("h1").first.inner_text() == library.config.title
        page.get_by_role("link", name=profile.title, exact=True).first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/{profile.field}/{profile.slug}.html")
        assert page.locator("h1").inner_text() == profile.title
        assert profile.overview[0][:60] in page.locator("article").inner_text()
        # The page fits a phone's width: nothing scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # Fonts are the edition's own.
        assert page.evaluate("document.fonts.check('16px \"Booklet Serif\"')")
        page.screenshot(path=str(tmp_path / "profession.png"), full_page=True)
        major = profile.majors[0]
        page.get_by_role("link", name=major, exact=True).first.click()
        page.wait_for_load_state()
        assert "/index.html#m-" in page.url
        target = page.locator(":target")
        assert target.count() == 1
        listed = target.locator("xpath=following-sibling::dd[1]").inner_text()
        assert profile.title in listed
        page.screenshot(path=str(tmp_path / "index.png"))
        browser.close()
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests
    assert (tmp_path / "profession.png").stat().st_size > 1000
