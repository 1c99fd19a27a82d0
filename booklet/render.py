"""Render laid-out HTML to PDF with WeasyPrint, reading only from the layout and font folders."""
from __future__ import annotations

import hashlib
import logging
import os
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import BookletError
from .model import Rendered
from .paths import builtin

MAX_ASSET_BYTES = 20_000_000


class RefusedFetch(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop a render that asked for something outside its folders."""


class BookletFetcher(URLFetcher):
    """Serves files from the booklet folder's layouts/ and fonts/, falling back to the built-in
    ones, plus data: URIs. Everything else (network, other files) is refused and stops the build."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        root = Path(root).resolve()
        # Each virtual folder (where the HTML says a file is) maps to real folders, in order.
        self.overlays = [
            (root / "layouts", [root / "layouts", builtin("layouts").resolve()]),
            (root / "fonts", [root / "fonts", builtin("fonts").resolve()]),
        ]
        self.refused: list[str] = []

    def _locate(self, url: str) -> Path | None:
        raw = url2pathname(unquote(urlsplit(url).path))
        # Resolve the path as written first, so `..` and symlinks cannot step outside.
        wanted = Path(raw).resolve()
        for virtual, real_dirs in self.overlays:
            if not wanted.is_relative_to(virtual):
                continue
            relative = wanted.relative_to(virtual)
            for folder in real_dirs:
                candidate = (folder / relative).resolve()
                if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
                    return candidate
        return None

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._locate(url) if scheme == "file" else None
        if path is None or path.stat().st_size > MAX_ASSET_BYTES:
            self.refused.append(url)
            raise RefusedFetch(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".ttf", ".otf"):
            mime = "font/" + path.suffix[1:]
        # Answer with the URL as asked, so relative references inside a stylesheet stay in
        # the virtual layouts/ and fonts/ folders and keep their override order.
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


_font_configs: dict = {}


def _font_config(root: Path) -> FontConfiguration:
    """One font configuration per booklet folder and state of its fonts, shared by the documents
    a process renders: creating one loads the system's font configuration, and its font and
    shaping caches stay warm. (WeasyPrint knows a font face by its @font-face rule alone, so a
    changed font file needs a new configuration.)"""
    files = []
    for folder in (root / "fonts", root / "layouts", builtin("fonts"), builtin("layouts")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    status = path.stat()
                    files.append((str(path), status.st_size, status.st_mtime_ns))
    key = (str(root), tuple(files))
    if key not in _font_configs:
        _font_configs.clear()  # a process renders one booklet at a time
        _font_configs[key] = FontConfiguration()
    return _font_configs[key]


def _forget_inherited_font_configs() -> None:
    # A forked worker inherits its parent's configurations; dropping them must not delete the
    # temporary folder of fonts the parent still uses (WeasyPrint deletes it when one is freed).
    for config in _font_configs.values():
        config._folder = None
    _font_configs.clear()


os.register_at_fork(after_in_child=_forget_inherited_font_configs)


class _WarningCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_pdf(html: str, root: Path, stylesheet_base: str = "layouts/", **options) -> Rendered:
    """Lay out and write one PDF. WeasyPrint's warnings are returned, not lost in a log."""
    root = Path(root).resolve()
    fetcher = BookletFetcher(root)
    base_url = (root / stylesheet_base).as_uri() + "/"
    collector = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        font_config = _font_config(root)
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=font_config, **options)
        anchors: dict[str, int] = {}
        levels = []
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                anchors.setdefault(anchor, number)
            levels += [bookmark[0] for bookmark in page.bookmarks]
        pdf = document.write_pdf(**options)
        fonts = _font_files(document)
    except RefusedFetch:
        pass  # reported below, from the fetcher's own record
    finally:
        logger.removeHandler(collector)
    if fetcher.refused:
        raise BookletError(root / "layouts", None, f"the layout asked for \"{fetcher.refused[0]}\", which is outside the booklet's layouts/ and fonts/ folders; booklet only reads files from there.")
    return Rendered(pdf, len(document.pages), anchors, tuple(collector.messages), fonts,
                    bookmark_levels=tuple(levels))


def _font_files(document) -> dict:
    """Which font file each embedded font was cut from, so parts rendered apart can share
    one font (WeasyPrint names a font after its description and keeps glyph ids)."""
    try:
        from weasyprint.text.fonts import get_hb_object_data
        return {font.name.decode().lstrip("/"): hashlib.sha256(get_hb_object_data(font.hb_face)).hexdigest()
                for font in document.fonts.values()}
    except (AttributeError, ImportError, TypeError):  # another WeasyPrint: parts keep their own fonts
        return {}
