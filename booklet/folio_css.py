"""Whether a layout's page numbers can be left to the fast build's folio layer.

The fast build renders each part on its own, with the folio boxes hidden (paper.j2's
part_rules), and stamps every page but the covers with the folio that a plain left or right page
of the layout shows (parts.FolioModel). That is the whole booklet's page number only if the
layout prints page numbers nowhere else: not in another margin box (a running head, the top
centre), not on some kinds of pages only (no folio on the notes pages), not as the page count
(`counter(pages)`, which a part does not know), not from a counter the layout resets, and not
styled for a document's first page (which in the fast build is every part's). A layout that does
any of that is rendered as one document instead, like `--single-pass`: slower, never wrong.
"""
from __future__ import annotations

import re
from pathlib import Path

import tinycss2

from .errors import BookletError, cannot_read

# Where the fast build expects folios: the boxes part_rules hides and the folio layer draws.
FOLIO_BOXES = {":left": "bottom-left", ":right": "bottom-right"}
# Pages that never show a folio, in the single pass as in the fast build (the first and the last).
UNNUMBERED_PAGES = {"cover", "back"}
MARGIN_BOXES = {f"{side}-{part}" for side in ("top", "bottom") for part in ("left-corner", "left", "center", "right", "right-corner")} | {
    f"{side}-{part}" for side in ("left", "right") for part in ("top", "middle", "bottom")}
_SHEET = re.compile(r"<style[^>]*>(?P<css>.*?)</style>|<link\b(?P<link>[^>]*)>", re.S | re.I)
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.I)
_STYLESHEET_REL = re.compile(r"""\brel\s*=\s*["'][^"']*\bstylesheet\b""", re.I)


def stylesheets_of(html: str, folders: list[Path]) -> list[tuple[Path | None, str]]:
    """The CSS a document applies, in its order: linked sheets (read from the first of `folders`
    that has them, named by their path) and <style> elements (path None), wherever they are."""
    found = []
    for match in _SHEET.finditer(html):
        if match["css"] is not None:
            found.append((None, match["css"]))
        elif _STYLESHEET_REL.search(match["link"]) and (href := _HREF.search(match["link"])):
            found += read_sheets([href[1]], folders)
    return found


def read_sheets(names, folders: list[Path]) -> list[tuple[Path, str]]:
    """Each named stylesheet from the first folder that has it (a booklet's own layouts/ first),
    with the path to name it by."""
    found = []
    for name in names:
        for folder in folders:
            path = folder / name
            if path.is_file():
                try:
                    found.append((path, path.read_text(encoding="utf-8", errors="replace")))
                except OSError as exc:
                    raise BookletError.from_problem(cannot_read(path, exc)) from None
                break
    return found


def why_not_stamped(sheets: list[tuple[Path | None, str]],
                    builtin_sheets: list[tuple[Path | None, str]] | None = None) -> tuple[Path | None, str] | None:
    """None if the fast build's folio layer draws this layout's page numbers as a single pass
    would; else the stylesheet (None: a <style> of the document, from paper.j2) and what it does.
    `builtin_sheets`, booklet's own layout's: a part carries only the running texts it sets
    itself, so the layout must set them (string-set) as booklet's does."""
    for path, css in sheets:
        reason = _check_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        if reason:
            return path, reason
    if builtin_sheets is not None:
        own, builtin = _string_sets(sheets), _string_sets(builtin_sheets)
        if set(own) != set(builtin):
            changed = next(iter(sorted(set(own) ^ set(builtin))))
            path = own.get(changed) if changed in own else None
            return path, f"sets the running texts differently from booklet's own layout (string-set on \"{changed[0]}\"), and a part holds only those it sets itself"
    return None


def _string_sets(sheets) -> dict[tuple[str, str], Path | None]:
    """(selector, value) of every string-set declaration -> the stylesheet it is in."""
    found = {}
    for path, css in sheets:
        stack = list(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        while stack:
            rule = stack.pop(0)
            if rule.type == "qualified-rule":
                selector = " ".join(tinycss2.serialize(rule.prelude).split())
                for item in tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True, skip_whitespace=True):
                    if item.type == "declaration" and item.lower_name == "string-set":
                        found.setdefault((selector, " ".join(tinycss2.serialize(item.value).split())), path)
            elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer") and rule.content:
                stack[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
    return found


def _check_rules(rules) -> str | None:
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            return "imports another stylesheet, which booklet does not look into"
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            reason = _check_page_rule(rule)
        elif rule.type == "at-rule" and rule.content is not None:  # @media, @supports, ...
            reason = _check_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
        elif rule.type == "qualified-rule":
            reason = _check_element_rule(rule)
        else:
            reason = None
        if reason:
            return reason
    return None


def _check_page_rule(rule) -> str | None:
    selectors = [" ".join(s.split()) for s in tinycss2.serialize(rule.prelude).lower().split(",")]
    shown = ", ".join(selectors)
    items = tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True, skip_whitespace=True)
    if any(":first" in s or ":nth" in s for s in selectors) and not all(map(_hides_a_folio, items)):
        return f"styles \"@page {shown}\", which in the fast build would be every part's first page"
    # Pages of one kind only (notes, blank, named pages) whose margins move their folio box.
    some_pages = not set(selectors) <= {"", ":left", ":right"} | UNNUMBERED_PAGES
    for item in items:
        if item.type == "declaration":
            if _page_counter_set(item):
                return f"sets the page counter in \"@page {shown}\""
            if _counters(item.value) & {"page", "pages"}:
                return f"holds a page number in a value of \"@page {shown}\""
            if some_pages and item.lower_name.split("-")[0] in ("margin", "padding", "size", "bleed", "marks"):
                return f"sets {item.lower_name} for \"@page {shown}\" only, which moves its folio"
        elif item.type == "at-rule" and item.lower_at_keyword in MARGIN_BOXES:
            box = item.lower_at_keyword
            declarations = [d for d in tinycss2.parse_blocks_contents(item.content or [], skip_comments=True, skip_whitespace=True)
                            if d.type == "declaration"]
            counters = set().union(*(_counters(d.value) for d in declarations))
            if "pages" in counters:
                return f"prints the number of pages (counter(pages)) in \"@page {shown}\""
            is_folio_box = all(FOLIO_BOXES.get(s) == box for s in selectors)
            if "page" in counters and not is_folio_box:
                return f"prints the page number in @{box} of \"@page {shown}\", not only at the foot of left and right pages"
            if is_folio_box and any(_names_of(d.value) & _PAGE_DEPENDENT for d in declarations if d.lower_name == "content"):
                return f"prints a running text or a variable beside the page number in @{box} of \"@page {shown}\""
            if any(d.lower_name == "content" and "var" in _names_of(d.value) for d in declarations):
                return f"prints a variable (var()) in @{box} of \"@page {shown}\", which may hold the page number"
            first_page = all(":first" in s for s in selectors) and _hides_a_folio(item)
            styled_everywhere = selectors == [""] and not any(d.lower_name == "content" for d in declarations)
            if (box in FOLIO_BOXES.values() and not is_folio_box and not set(selectors) <= UNNUMBERED_PAGES
                    and not first_page and not styled_everywhere):
                return f"changes the folio box @{box} for \"@page {shown}\" only"
    return None


# What a folio box may not print beside the number: the specimen pages the folio layer is
# learned from have no running texts, and a variable may hold anything.
_PAGE_DEPENDENT = {"string", "element", "content", "var", "attr", "leader"}


def _names_of(tokens) -> set[str]:
    """The names of the functions in a value, nested ones too."""
    found = set()
    for token in tokens:
        if token.type == "function":
            found.add(token.lower_name)
            found |= _names_of(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found |= _names_of(token.content)
    return found


def _hides_a_folio(item) -> bool:
    """@bottom-left { content: none } and the like: on the cover, the only first page of the
    single pass, as on each part's first page in the fast build, whose folio boxes are hidden."""
    if item.type != "at-rule" or item.lower_at_keyword not in FOLIO_BOXES.values():
        return False
    declarations = [d for d in tinycss2.parse_blocks_contents(item.content or [], skip_comments=True, skip_whitespace=True)]
    return all(d.type == "declaration" and d.lower_name == "content" and tinycss2.serialize(d.value).strip().lower() == "none"
               for d in declarations)


def _check_element_rule(rule) -> str | None:
    selector = " ".join(tinycss2.serialize(rule.prelude).split())
    for item in tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True, skip_whitespace=True):
        if item.type != "declaration":
            continue
        if _page_counter_set(item):
            return f"sets the page counter for \"{selector}\""
        # A part starts on a left page whatever the layout says; the single pass does as it says.
        if (item.lower_name in ("break-before", "page-break-before") and "profession" in selector
                and tinycss2.serialize(item.value).strip().lower() not in ("left", "verso")):
            return f"starts a profession otherwise than on a left page (\"{selector}\")"
        counters = _counters(item.value)
        if "page" in counters or "pages" in counters:
            return f"prints a page number in \"{selector}\""
        if "target" in counters:
            return f"looks up a page number with target-counter() in \"{selector}\""
    return None


def _page_counter_set(declaration) -> bool:
    return (declaration.lower_name in ("counter-reset", "counter-increment", "counter-set")
            and any(t.type == "ident" and t.lower_value in ("page", "pages") for t in declaration.value))


def _is_data_target(arguments) -> bool:
    """target-counter(attr(data-target ...), ...): how booklet's own contents and index look their
    pages up in the single pass. The fast build writes their numbers out and no data-target."""
    first = next((t for t in arguments if t.type not in ("whitespace", "comment")), None)
    if first is None or first.type != "function" or first.lower_name != "attr":
        return False
    name = next((t for t in first.arguments if t.type not in ("whitespace", "comment")), None)
    return name is not None and name.type == "ident" and name.lower_value == "data-target"


def _counters(tokens) -> set[str]:
    """Which page counters a value prints: 'page', 'pages', or 'target' (a target-counter() the
    fast build cannot resolve)."""
    found = set()
    for token in tokens:
        if token.type == "function":
            name = token.lower_name
            if name in ("counter", "counters"):
                first = next((t for t in token.arguments if t.type not in ("whitespace", "comment")), None)
                if first is not None and first.type == "ident" and first.lower_value in ("page", "pages"):
                    found.add(first.lower_value)
            elif name in ("target-counter", "target-counters") and not _is_data_target(token.arguments):
                found.add("target")
            found |= _counters(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            found |= _counters(token.content)
    return found
