"""Imposition: put a booklet's pages on sheets so that printing and folding gives the booklet."""
from __future__ import annotations

import io

import pikepdf

A4_LANDSCAPE = (841.8898, 595.2756)  # points


def saddle_order(page_count: int) -> list[tuple[int, int]]:
    """Page numbers (1-based) on each side of each sheet, as (left half, right half): front
    of sheet 1, back of sheet 1, front of sheet 2... The stack, folded, reads 1..n."""
    if page_count % 4:
        raise ValueError(f"a saddle-stitched booklet needs a multiple of 4 pages, not {page_count}")
    sides = []
    for sheet in range(page_count // 4):
        outer, inner = 2 * sheet, page_count - 2 * sheet
        sides.append((inner, outer + 1))  # front: last page left, first page right
        sides.append((outer + 2, inner - 1))  # back, turned over the short edge
    return sides


def saddle(pdf_bytes: bytes, sheet=A4_LANDSCAPE) -> tuple[bytes, int]:
    """Two pages up on each side of a sheet, as form XObjects (vectors: text stays text).
    Returns the imposed PDF and the number of sheets to print."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as source, pikepdf.new() as out:
        sides = saddle_order(len(source.pages))
        width, height = sheet
        for left, right in sides:
            side = out.add_blank_page(page_size=(width, height))
            for number, x0 in ((left, 0), (right, width / 2)):
                # Scaled to fit the half-sheet, centred, keeping the page's proportions.
                side.add_overlay(source.pages[number - 1], pikepdf.Rectangle(x0, 0, x0 + width / 2, height))
        _copy_metadata(source, out)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue(), len(sides) // 2


def _copy_metadata(source: pikepdf.Pdf, out: pikepdf.Pdf) -> None:
    if "/Info" in source.trailer:
        out.docinfo = out.copy_foreign(source.trailer.Info)
    if "/Lang" in source.Root:
        out.Root.Lang = source.Root.Lang
    # A print dialog then offers both sides, flipped on the short edge, at actual size: a sheet
    # "fit to page" would shrink the booklet and misplace the fold.
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True, Duplex=pikepdf.Name.DuplexFlipShortEdge,
                                                    PrintScaling=pikepdf.Name("/None"))
