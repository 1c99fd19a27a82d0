"""Render laid-out HTML to PDF with WeasyPrint, reading only from the layout and font folders."""
from __future__ import annotations

import hashlib
import logging
import os
import mimetypes
import re
import types
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from .linker import import_weasyprint

import_weasyprint()  # the imports below then find it loaded

import weasyprint  # noqa: E402
from weasyprint.css.counters import CounterStyle  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse, URLFetchingError  # noqa: E402

from .errors import BookletError, error, warning
from .hyphenation import install as install_hyphenation
from .model import Rendered
from .paths import builtin, file_states

install_hyphenation()

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
        self.reasons: list[str] = []  # one sentence's end for each refused URL

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

    def _why_refused(self, url: str, path: Path | None) -> str:
        if path is not None:
            return f"which is larger than {MAX_ASSET_BYTES // 1_000_000} MB"
        if url.split(":", 1)[0].lower() == "file":
            wanted = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
            for virtual, _ in self.overlays:
                if wanted.is_relative_to(virtual):
                    return f"which is in neither the booklet's {virtual.name}/ folder nor booklet's own"
        return "which is outside the booklet's layouts/ and fonts/ folders; booklet only reads files from there"

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self._locate(url) if scheme == "file" else None
        if path is None or path.stat().st_size > MAX_ASSET_BYTES:
            self.refused.append(url)
            self.reasons.append(self._why_refused(url, path))
            raise RefusedFetch(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix in (".ttf", ".otf"):
            mime = "font/" + path.suffix[1:]
        # Answer with the URL as asked, so relative references inside a stylesheet stay in
        # the virtual layouts/ and fonts/ folders and keep their override order.
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


class _RenderState:
    """What the documents a process renders for one booklet folder share: the font
    configuration (creating one loads the system's, and its font and shaping caches stay warm)
    and the parsed stylesheets (WeasyPrint would parse every stylesheet again for every
    document, a fiftieth of a second each time)."""

    def __init__(self):
        self.font_config = FontConfiguration()
        # url or inline text -> (CSS, or None if it failed to load; whether it can be shared; warnings)
        self.sheets: dict = {}


_states: dict = {}


def _state(root: Path) -> _RenderState:
    """The render state of a booklet folder and the state of its fonts and layouts. (WeasyPrint
    knows a font face by its @font-face rule alone, so a changed font file needs a new one.)"""
    key = (str(root), file_states(root / "fonts", root / "layouts", builtin("fonts"), builtin("layouts")))
    if key not in _states:
        _states.clear()  # a process renders one booklet at a time
        _states[key] = _RenderState()
    return _states[key]


def _forget_inherited_states() -> None:
    # A forked worker inherits its parent's states; dropping them must not delete the temporary
    # folder of fonts the parent still uses (WeasyPrint deletes it when a configuration is freed).
    for state in _states.values():
        state.font_config._folder = None
    _states.clear()


os.register_at_fork(after_in_child=_forget_inherited_states)


def _is_stylesheet(element) -> bool:
    """A <style> or <link rel=stylesheet> for print, as WeasyPrint's find_stylesheets decides."""
    if element.get("media", "all").strip() not in ("all", "print"):
        return False
    if element.get("type", "text/css").split(";", 1)[0].strip() != "text/css":
        return False
    if element.tag == "style":
        return True
    kinds = element.get("rel", "").lower().split()
    return "stylesheet" in kinds and "alternate" not in kinds and bool(element.get("href"))


def _head_stylesheets(root) -> list | None:
    """The document's stylesheet elements, in order, if every one is a plain stylesheet for
    print in its <head> (as the built-in templates write them); else None."""
    head = root.find("head")
    if head is None:
        return None
    found = [child for child in head if child.tag in ("style", "link") and _is_stylesheet(child)]
    anywhere = [*root.iter("style"), *(link for link in root.iter("link")
                                      if "stylesheet" in link.get("rel", "").lower().split())]
    return found if len(anywhere) == len(found) else None


def _shared_stylesheets(document: weasyprint.HTML, state: _RenderState, fetcher, collector) -> list | None:
    """The document's stylesheets as parsed once per process, taken out of its tree; or None,
    and the document keeps them for WeasyPrint to parse. They are given to WeasyPrint as user
    stylesheets, all of them and in order, so they cascade among themselves as the author's do,
    above WeasyPrint's defaults. A document whose stylesheets define counter styles, colour
    profiles or cascade layers keeps them: WeasyPrint gathers those per document across all of
    its stylesheets."""
    elements = _head_stylesheets(document.etree_element)
    if elements is None:
        return None
    mark = len(collector.messages)
    sheets = []
    for element in elements:
        if element.tag == "style":
            text = "".join(element.itertext())
            key, source = ("style", document.base_url, text), {"string": text, "base_url": document.base_url}
        else:
            url = urljoin(document.base_url, element.get("href").strip())
            key, source = url, {"url": url, "_check_mime_type": True}
        if key not in state.sheets:
            before = len(collector.messages)
            counters, profiles = CounterStyle(), {}
            try:
                css = weasyprint.CSS(url_fetcher=fetcher, font_config=state.font_config, counter_style=counters,
                                     color_profiles=profiles, **source)
                shareable = not (counters or profiles or css.layers)
            except URLFetchingError as exception:  # skipped, as WeasyPrint skips it
                logging.getLogger("weasyprint").error("Failed to load stylesheet at %s: %s", key, exception)
                css, shareable = None, True
            # WeasyPrint says where in a stylesheet ("at 5:81"), not which one.
            label = f"layouts/{element.get('href').strip()}" if element.tag == "link" else "the <style> of the document's head (paper.j2)"
            collector.messages[before:] = [f"{label}: {message}" for message in collector.messages[before:]]
            state.sheets[key] = css, shareable, tuple(collector.messages[before:])
        else:
            collector.messages += state.sheets[key][2]
        css, shareable, _ = state.sheets[key]
        if not shareable:
            del collector.messages[mark:]  # WeasyPrint parses them all again, and says it again
            return None
        if css is not None:
            sheets.append(css)
    head = document.etree_element.find("head")
    for element in elements:
        head.remove(element)
    return sheets


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
        state = _state(root)
        source = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        sheets = _shared_stylesheets(source, state, fetcher, collector)
        document = source.render(font_config=state.font_config, stylesheets=sheets, **options)
        if PAGE_LINKS in html:
            _link_page_numbers(document, root)
        anchors: dict[str, int] = {}
        levels = []
        for number, page in enumerate(document.pages, start=1):
            for anchor in page.anchors:
                anchors.setdefault(anchor, number)
            levels += [bookmark[0] for bookmark in page.bookmarks]
        # Which pages are the covers, that show no folio however long the cover runs.
        names = tuple(getattr(getattr(getattr(page, "_page_box", None), "page_type", None), "name", "") or ""
                      for page in document.pages)
        pdf = document.write_pdf(**options)
        fonts = _font_files(document)
    except RefusedFetch:
        pass  # reported below, from the fetcher's own record
    finally:
        logger.removeHandler(collector)
    if fetcher.refused:
        path, line = _referenced_where(root, fetcher.refused[0])
        raise BookletError(path, line, f"the layout asked for \"{fetcher.refused[0]}\", {fetcher.reasons[0]}.")
    return Rendered(pdf, len(document.pages), anchors, tuple(collector.messages), fonts,
                    bookmark_levels=tuple(levels), page_names=names)


def stylesheet_problems(root: Path) -> list:
    """What WeasyPrint says of the booklet folder's own stylesheets as it reads them (an unknown
    property, a value it cannot use, a file it may not load), for `check`: a build says the same
    while it renders."""
    given, root = Path(root), Path(root).resolve()
    layouts = root / "layouts"
    found = []
    for path in sorted(layouts.rglob("*.css")) if layouts.is_dir() else ():
        if not path.is_file() or path.is_symlink():
            continue
        named = given / path.relative_to(root)  # as the user wrote the folder, like check's other problems
        fetcher, collector = BookletFetcher(root), _WarningCollector()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        try:
            weasyprint.CSS(url=path.as_uri(), url_fetcher=fetcher, font_config=_state(root).font_config)
        except (URLFetchingError, RefusedFetch):
            pass  # reported below, from the fetcher's own record
        finally:
            logger.removeHandler(collector)
        for url, reason in zip(fetcher.refused, fetcher.reasons):
            where, line = _referenced_where(root, url)
            found.append(error(given / where.relative_to(root), line, f"the layout asks for \"{url}\", {reason}."))
        for message in collector.messages:
            at = re.search(r" at (\d+):\d+", message)
            found.append(warning(named, int(at.group(1)) if at else None, message))
    return found


def _referenced_where(root: Path, url: str) -> tuple[Path, int | None]:
    """The file and line of the booklet folder's layouts/ that asks for `url` (WeasyPrint says
    only what was asked for): the first line naming it, or its file name; else the folder."""
    layouts = root / "layouts"
    parsed = urlsplit(url)
    wanted = [url] if parsed.scheme not in ("file", "") else []
    name = Path(url2pathname(unquote(parsed.path))).name
    wanted += [name] if name else []
    for path in sorted(layouts.rglob("*")) if layouts.is_dir() else ():
        if path.suffix not in (".css", ".j2", ".html") or not path.is_file() or path.is_symlink():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, text in enumerate(lines, start=1):
            if any(w in text or w in unquote(text) for w in wanted):
                return path, number
    return layouts, None


PAGE_LINKS = "data-page-links"
_NUMBER = re.compile(r"\d+")
_pango_index_to_pos = None


def _link_page_numbers(document, root: Path) -> None:
    """Make links of the page numbers in elements marked data-page-links="anchor anchor ...":
    the numbers in the element's text, in order, lead to those anchors. The index has thousands
    of page numbers; each a link box of its own, they took WeasyPrint three times as long to lay
    out as the same text in one box per entry. Their areas are measured in the laid-out lines."""
    global _pango_index_to_pos
    from weasyprint.formatting_structure.boxes import TextBox
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    if _pango_index_to_pos is None:
        try:
            _pango_index_to_pos = pango.pango_layout_index_to_pos
        except AttributeError:  # not among the functions WeasyPrint declares (version 70 does not)
            ffi.cdef("void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);")
            _pango_index_to_pos = pango.pango_layout_index_to_pos
    position = ffi.new("PangoRectangle *")
    remaining: dict = {}  # element -> the anchors its numbers not yet seen lead to
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, TextBox) or box.element is None or box.element.get(PAGE_LINKS) is None:
                continue
            if "::" in (box.element_tag or ""):
                continue  # generated content (::before, ::marker) is not the element's text
            targets = remaining.setdefault(box.element, box.element.get(PAGE_LINKS).split()[::-1])
            layout = box.pango_layout
            numbers = list(_NUMBER.finditer(layout.text))
            if not numbers:
                continue
            layout.reactivate(box.style)  # WeasyPrint lets go of a line's layout until it draws it
            for number in numbers:
                edges = []
                for index in (len(layout.text[:number.start()].encode()), len(layout.text[:number.end() - 1].encode())):
                    _pango_index_to_pos(layout.layout, index, position)
                    edges += [position.x * FROM_UNITS, (position.x + position.width) * FROM_UNITS]
                if not targets:
                    raise _unmatched_page_links(root, box.element, targets)
                rectangle = (box.position_x + min(edges), box.position_y,
                             box.position_x + max(edges), box.position_y + box.height)
                page.links.append(("internal", targets.pop(), rectangle, types.SimpleNamespace()))
            layout.deactivate()
    for element, targets in remaining.items():
        if targets:
            raise _unmatched_page_links(root, element, targets)


def _unmatched_page_links(root: Path, element, left: list) -> BookletError:
    """The error for an element whose numbers ran out of anchors (`left` empty) or the reverse."""
    text = " ".join((element.text or "").split())
    anchors = len(element.get(PAGE_LINKS).split())
    shown = f"more than {anchors}" if not left else str(anchors - len(left))
    return BookletError(root / "layouts", None, f"an element with {PAGE_LINKS} names {anchors} anchor(s) but its own text \"{text[:60]}\" shows {shown} number(s); give it one anchor per page number, as plain text (a number broken over two lines counts twice).")


def _font_files(document) -> dict:
    """Which font file each embedded font was cut from, so parts rendered apart can share
    one font (WeasyPrint names a font after its description and keeps glyph ids)."""
    try:
        from weasyprint.text.fonts import get_hb_object_data
        return {font.name.decode().lstrip("/"): hashlib.sha256(get_hb_object_data(font.hb_face)).hexdigest()
                for font in document.fonts.values()}
    except (AttributeError, ImportError, TypeError):  # another WeasyPrint: parts keep their own fonts
        return {}
