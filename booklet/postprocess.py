"""After WeasyPrint: check nothing went missing, and set how viewers open the booklet."""
from __future__ import annotations

import io

import pikepdf

from .errors import BookletError
from .model import Booklet
from .render import Rendered


def page_map(booklet: Booklet, rendered: Rendered) -> dict[str, int]:
    """Physical page of each profession's first page, plus 'contents' and 'index'."""
    pages = {}
    for profile in booklet.profiles:
        pages[profile.key] = rendered.anchor_pages.get(profile.anchor)
    pages["contents"] = rendered.anchor_pages.get("daftar-isi")
    pages["index"] = rendered.anchor_pages.get("indeks")
    return pages


def check_complete(booklet: Booklet, rendered: Rendered, pdf: pikepdf.Pdf) -> dict[str, int]:
    """The completeness gate: every profession where the contents says, every spread even,
    and as many pages in the PDF as the layout made. WeasyPrint has dropped pages before."""
    pages = page_map(booklet, rendered)
    missing = [key for key, page in pages.items() if page is None]
    if missing:
        raise BookletError(None, None, f"the rendered booklet lost \"{missing[0]}\"; the PDF was not written. Please report this as a bug.")
    if len(pdf.pages) != rendered.page_count:
        raise BookletError(None, None, f"the PDF has {len(pdf.pages)} pages but the layout made {rendered.page_count}; the PDF was not written.")
    starts = [pages[p.key] for p in booklet.profiles] + [pages["index"]]
    for profile, start, end in zip(booklet.profiles, starts, starts[1:]):
        if start % 2 or (end - start) % 2:
            raise BookletError(profile.source, None, f"\"{profile.title}\" does not sit on a whole spread (pages {start}–{end - 1}); the PDF was not written.")
    destinations = _named_destinations(pdf)
    for profile in booklet.profiles:
        if destinations.get(profile.anchor) != pages[profile.key]:
            raise BookletError(profile.source, None, f"the link to \"{profile.title}\" does not land on its page {pages[profile.key]}; the PDF was not written.")
    return pages


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    index_of = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
    found = {}
    names = pdf.Root.get("/Names")
    tree = names.get("/Dests") if names is not None else None
    if tree is not None:
        for name, dest in pikepdf.NameTree(tree).items():
            array = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            found[str(name)] = index_of.get(array[0].objgen)
    return found


def finish(booklet: Booklet, rendered: Rendered) -> tuple[bytes, dict[str, int]]:
    """Run the gate and set viewer preferences; returns the final bytes and the page map."""
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        pages = check_complete(booklet, rendered, pdf)
        # Spreads open as spreads: odd pages on the right, the cover alone.
        pdf.Root.PageLayout = pikepdf.Name.TwoPageRight
        pdf.Root.PageMode = pikepdf.Name.UseOutlines
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if "/Lang" not in pdf.Root:
            pdf.Root.Lang = pikepdf.String(booklet.config.language)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue(), pages
