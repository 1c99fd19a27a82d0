"""After WeasyPrint: check nothing went missing, and set how viewers open the booklet."""
from __future__ import annotations

import io

import pikepdf

from .errors import BookletError
from .model import Booklet, PrintOptions, Profile, Rendered


def page_map(booklet: Booklet, rendered: Rendered) -> dict[str, int]:
    """Physical page of each profession's first page, plus 'contents' and 'index'."""
    pages = {}
    for profile in booklet.profiles:
        pages[profile.key] = rendered.anchor_pages.get(profile.anchor)
    pages["contents"] = rendered.anchor_pages.get("daftar-isi")
    pages["index"] = rendered.anchor_pages.get("indeks")
    pages["back"] = rendered.anchor_pages.get("sampul-belakang")
    return pages


def check_complete(booklet: Booklet, rendered: Rendered, pdf: pikepdf.Pdf) -> dict[str, int]:
    """The completeness gate: every profession where the contents says, every spread even,
    and as many pages in the PDF as the layout made. WeasyPrint has dropped pages before."""
    pages = page_map(booklet, rendered)
    missing = [key for key, page in pages.items() if page is None]
    if missing:
        raise BookletError(None, None, f"the rendered booklet lost \"{missing[0]}\"; the PDF was not written. A layout that hides it (display: none) does that; with booklet's own layouts, please report this as a bug.")
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


def finish(booklet: Booklet, rendered: Rendered, options: PrintOptions = PrintOptions()) -> tuple[bytes, dict[str, int]]:
    """Run the gate and set viewer preferences; returns the final bytes and the page map."""
    if rendered.finished:  # assembled from parts, and finished then (see finish_pdf)
        return rendered.pdf, page_map(booklet, rendered)
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        return finish_pdf(booklet, rendered, pdf, options)


def finish_pdf(booklet: Booklet, rendered: Rendered, pdf: pikepdf.Pdf,
               options: PrintOptions = PrintOptions()) -> tuple[bytes, dict[str, int]]:
    """finish() on an open PDF: the assembly of parts calls it before its only save."""
    pages = check_complete(booklet, rendered, pdf)
    if pages["back"] != rendered.page_count:
        raise BookletError(None, None, f"the back cover landed on page {pages['back']}, not last; the PDF was not written. Please report this as a bug.")
    if "/StructTreeRoot" not in pdf.Root:  # a tagged PDF's structure refers to each annotation
        _drop_nested_links(pdf)
    else:
        _margin_boxes_as_artifacts(pdf)
        _list_bodies(pdf)
    # Spreads open as spreads: odd pages on the right, the cover alone.
    _set_viewer(pdf, booklet, pikepdf.Name.TwoPageRight)
    return _save(pdf, options), pages


def _drop_nested_links(pdf: pikepdf.Pdf) -> None:
    """One link annotation per link. WeasyPrint gives every inline box inside a link, generated
    content too, an annotation of its own over part of the link's: a contents entry had three,
    each page number of the single pass's index two. Readers and screen readers saw them all."""
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept, outer = [], {}  # destination -> areas of the links kept to it
        for annot in annots:
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot and "/Rect" in annot:
                x1, y1, x2, y2 = (float(v) for v in annot.Rect)
                rect = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
                same = outer.setdefault(str(annot.Dest), [])
                if any(r[0] - 0.01 <= rect[0] and r[1] - 0.01 <= rect[1] and rect[2] <= r[2] + 0.01
                       and rect[3] <= r[3] + 0.01 for r in same):
                    continue
                same.append(rect)
            kept.append(annot)
        if len(kept) != len(annots):
            page.obj.Annots = pikepdf.Array(kept)


def _margin_boxes_as_artifacts(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint tags the page-margin boxes (running heads, folios, the notes pages' title)
    with structure elements it never links into the tree: content that is neither reachable
    from the document's structure nor marked as an artifact, as PDF/UA requires. They are page
    furniture, so they become pagination artifacts, out of what a screen reader reads."""
    root = pdf.Root.StructTreeRoot
    documents = [k for k in (root.K if isinstance(root.K, pikepdf.Array) else [root.K]) if isinstance(k, pikepdf.Dictionary)]
    linked = {kid.objgen for document in documents for kid in _kids(document)}
    document_ids = {document.objgen for document in documents}
    detached: dict = {}  # page objgen -> MCIDs of detached elements on it
    for obj in pdf.objects:
        if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem" and "/P" in obj
                and obj.P.objgen in document_ids and obj.objgen not in linked):
            for page, mcid in _marked_content(obj, obj.get("/Pg")):
                detached.setdefault(page.objgen, set()).add(mcid)
    if not detached:
        return
    parent_tree = pikepdf.NumberTree(root.ParentTree) if "/ParentTree" in root else None
    for page in pdf.pages:
        mcids = detached.get(page.objgen)
        if not mcids:
            continue
        instructions = []
        for operands, operator in pikepdf.parse_content_stream(page):
            if (str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary)
                    and operands[1].get("/MCID") in mcids):
                instructions.append(pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)], pikepdf.Operator("BDC")))
            else:
                instructions.append(pikepdf.ContentStreamInstruction(operands, operator))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
        if parent_tree is not None and "/StructParents" in page.obj:
            entries = parent_tree.get(int(page.obj.StructParents))
            if isinstance(entries, pikepdf.Array):
                for mcid in mcids:
                    if mcid < len(entries):
                        entries[mcid] = None  # PDF null: no structure element


def _list_bodies(pdf: pikepdf.Pdf) -> None:
    """A list item is its label and its body (PDF/UA): WeasyPrint tags an item whose bullet sits
    inside its first line (the majors and employers) as the label and the text's span side by
    side. The span goes into a list body."""
    for element in list(pdf.objects):
        if not (isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/LI"
                and isinstance(element.get("/K"), pikepdf.Array)):
            continue
        kids = list(element.K)
        roles = [str(kid.get("/S")) if isinstance(kid, pikepdf.Dictionary) else None for kid in kids]
        if "/LBody" in roles or not all(isinstance(kid, pikepdf.Dictionary) and "/S" in kid for kid in kids):
            continue
        rest = [kid for kid, role in zip(kids, roles) if role != "/Lbl"]
        if not rest:
            continue
        body = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=element,
                                                    K=pikepdf.Array(rest)))
        if "/Pg" in element:
            body.Pg = element.Pg
        for kid in rest:
            kid.P = body
        element.K = pikepdf.Array([*(kid for kid, role in zip(kids, roles) if role == "/Lbl"), body])


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids]) if isinstance(k, pikepdf.Dictionary)]


def _marked_content(element, page):
    """(page, MCID) of every piece of content under a structure element."""
    page = element.get("/Pg", page)
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, int) and page is not None:
            yield page, int(kid)
        elif isinstance(kid, pikepdf.Dictionary):
            if kid.get("/Type") == "/MCR" and "/MCID" in kid:
                yield kid.get("/Pg", page), int(kid.MCID)
            elif "/S" in kid:
                yield from _marked_content(kid, page)


def finish_handout(booklet: Booklet, profile: Profile, rendered: Rendered, options: PrintOptions = PrintOptions()) -> bytes:
    with pikepdf.open(io.BytesIO(rendered.pdf)) as pdf:
        if rendered.anchor_pages.get(profile.anchor) != 1 or len(pdf.pages) != rendered.page_count:
            raise BookletError(profile.source, None, f"the handout for \"{profile.title}\" lost pages; it was not written. Please report this as a bug.")
        if "/StructTreeRoot" in pdf.Root:
            _margin_boxes_as_artifacts(pdf)
            _list_bodies(pdf)
        _set_viewer(pdf, booklet, pikepdf.Name.OneColumn)
        return _save(pdf, options)


def _set_viewer(pdf: pikepdf.Pdf, booklet: Booklet, layout: pikepdf.Name) -> None:
    pdf.Root.PageLayout = layout
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if "/Lang" not in pdf.Root:
        pdf.Root.Lang = pikepdf.String(booklet.config.language)


def _save(pdf: pikepdf.Pdf, options: PrintOptions) -> bytes:
    # PDF/A-1 is PDF 1.4, which has no object streams.
    streams = (pikepdf.ObjectStreamMode.disable if (options.pdf_variant or "").startswith("pdf/a-1")
               else pikepdf.ObjectStreamMode.generate)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=streams)
    return out.getvalue()
