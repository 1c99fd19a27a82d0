"""Lay out a booklet as HTML through the Jinja print layouts."""
from __future__ import annotations

import datetime as dt
import re
import string
import traceback as tb_module
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .errors import BookletError, cannot_read
from .model import Booklet, PrintOptions
from .paths import LABELS, builtin, own_folder

STYLESHEETS = ("fonts.css", "page.css", "type.css", "cover.css", "contents.css", "profession.css", "index.css")
LOW_INK = "lowink.css"
HANDOUT = "handout.css"
# Lines of index text that fit one column of one page, per paper; a letter heading counts as two.
INDEX_LINES = {"A4": 48, "A5": 31, "F4": 54}
# Characters of an index entry a column's line holds (index.css: 8.5 pt in half the text width).
# An estimate above the truth lets a column run past its page, and the rest of it then follows
# the next column there: the index out of order.
INDEX_CHARS = {"A4": 55, "A5": 35, "F4": 55}
INDEX_HEADER_LINES = 8


@dataclass(frozen=True)
class PartLayout:
    """How to draw one part of a booklet rendered in parts (see parts.py)."""

    hide_folios: bool = True
    start_left: bool = True
    folio_start: int | None = None
    stubs: tuple[str, ...] = ()  # anchors of other parts this part links to


def layout_dirs(root: Path) -> list[Path]:
    """A booklet folder's own layouts/ first, then the built-in ones it may override in part."""
    own = own_folder(root, "layouts")
    own_folder(root, "fonts")  # checked here too: every build and check draws its HTML first
    return [own, builtin("layouts")] if own.is_dir() else [builtin("layouts")]


@lru_cache(maxsize=8)
def _labels(language: str, override: Path | None, state=None) -> dict:
    """`state`: the override's size and time, so an edited file is read again (--watch)."""
    labels = yaml.safe_load((LABELS / f"{language}.yaml").read_text(encoding="utf-8"))
    if override is not None and override.is_file():
        labels.update(_own_labels(override, labels))
    return labels


def _own_labels(path: Path, builtin_labels: dict) -> dict:
    """A layout's labels file: label names and their texts (or lists, where booklet's are)."""
    try:
        found = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise BookletError.from_problem(cannot_read(path, exc)) from None
    except UnicodeDecodeError:
        raise BookletError(path, None, "the labels file is not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BookletError(path, mark.line + 1 if mark else None, "the labels file is not valid YAML; write one \"name: text\" per line.") from None
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise BookletError(path, None, "the labels file should hold \"name: text\" lines.")
    for name, value in found.items():
        ours = builtin_labels.get(name, value)  # a label booklet does not have is the layout's own
        if not isinstance(value, type(ours)):
            kind = "a list" if isinstance(ours, list) else "a single text"
            raise BookletError(path, None, f"the label \"{name}\" should be {kind}, as in booklet's own labels.")
        if name == "months" and len(value) != 12:
            raise BookletError(path, None, f"the label \"months\" should list the 12 months, January first; it has {len(value)}.")
        if name in builtin_labels and isinstance(value, str) and _placeholders(ours):
            _check_placeholders(path, name, value, ours)
    return found


def _placeholders(label: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(label) if field is not None]


def _check_placeholders(path: Path, name: str, text: str, ours: str) -> None:
    """A label booklet fills in ("{title}") may use only the {placeholders} booklet's own has
    (the others are plain text, braces and all)."""
    try:
        used = _placeholders(text)
    except ValueError:
        raise BookletError(path, None, f"the label \"{name}\" has a {{ or }} without its pair; write {{{{ or }}}} for a brace itself.") from None
    allowed = _placeholders(ours)
    for field in used:
        if field not in allowed:
            may = ", ".join(f"{{{f}}}" for f in allowed) if allowed else "none"
            raise BookletError(path, None, f"the label \"{name}\" has {{{field}}}, which booklet does not fill in; it may use {may}.")


def labels_for(root: Path, language: str) -> dict:
    layouts = own_folder(root, "layouts")
    override = layouts / "labels" / f"{language}.yaml"
    if not override.is_file():
        return _labels(language, None)
    if not override.resolve().is_relative_to(layouts.resolve()):
        raise BookletError(override, None, "is a symbolic link out of layouts/; booklet reads labels only from files inside it.")
    status = override.stat()
    return _labels(language, override, (status.st_size, status.st_mtime_ns))


def css_string(value: str) -> Markup:
    """A CSS string literal that is safe inside <style>: no quote or `<` can end it."""
    escaped = "".join(c if c.isalnum() or c in " .,:;!?-()" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


# A word with a capital letter after its first (PUSKESMAS, BAPPENAS, WhatsApp, LinkedIn): an
# abbreviation or a name, which Indonesian spelling does not break at a line's end (PUEBI).
_WHOLE_WORD = r"\b\w\w*[A-Z]\w*"
# A web or e-mail address: hyphenated at a line's end it would be copied or typed wrong. A
# sentence's closing punctuation after it is not part of it.
_WEB_ADDRESS = r"(?:https?://|www\.)\S*[\w/#=-]"
_MAIL_ADDRESS = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_KEPT_WHOLE = re.compile(f"(?P<web>{_WEB_ADDRESS})|(?P<mail>{_MAIL_ADDRESS})|(?P<word>{_WHOLE_WORD})")
_WHOLE_WORD_ONLY = re.compile(_WHOLE_WORD)


def whole_words(text: str) -> Markup:
    """The text, escaped, with its abbreviations and capitalised names in <span class="utuh">
    and its web and e-mail addresses as links (type.css: neither is hyphenated). Words shorter
    than hyphenation's least (6 letters) stay as they are."""
    if "@" not in text and "://" not in text and "www." not in text:
        # No address (most paragraphs): escaping leaves such words as they are, so they may be
        # wrapped in the escaped text at once (every profession's HTML is drawn on every build).
        return Markup(_WHOLE_WORD_ONLY.sub(_whole_word, str(Markup.escape(text))))
    out, done = [], 0
    for found in _KEPT_WHOLE.finditer(text):
        out.append(Markup.escape(text[done:found.start()]))
        shown, end = found[0], found.end()
        while found["web"] and shown.count("(") > shown.count(")") and text[end:end + 1] == ")":
            shown, end = shown + ")", end + 1  # https://id.wikipedia.org/wiki/Notaris_(Indonesia)
        if found["word"]:
            out.append(Markup(_whole_word(found)))  # letters and digits only: nothing to escape
        else:
            target = f"mailto:{shown}" if found["mail"] else shown if "://" in shown else f"https://{shown}"
            out.append(Markup('<a class="alamat" href="{}">{}</a>').format(target, shown))
        done = end
    out.append(Markup.escape(text[done:]))
    return Markup("").join(out)


def _whole_word(found: re.Match) -> str:
    """A word of _WHOLE_WORD, in a span if hyphenation could break it."""
    return f'<span class="utuh">{found[0]}</span>' if len(found[0]) >= 6 else found[0]


def index_columns(majors, lines_per_column: int, chars_per_line: int = INDEX_CHARS["A4"]):
    """Split the index into pages of two balanced columns of letter headings and entries. A
    column that goes on with the letter before it starts with that letter again, marked as
    continued ("I (lanjutan)"), so no column opens on an entry without its letter."""
    entries, letter = [], None
    for major in majors:
        if major.letter != letter:
            letter = major.letter
            entries.append(_letter_heading(letter))
        # Long names with many pages take more than one line; a rough count is enough.
        lines = 1 + (len(major.name) + 4 * len(major.profiles)) // chars_per_line
        entries.append({"letter": None, "continued": False, "major": major, "lines": lines})
    pages, page, used = [], [], 0
    # Room is kept on every page for a continued letter heading in each column.
    budget = max(2 * (lines_per_column - INDEX_HEADER_LINES) - 4, 6)
    for entry in entries:
        if used + entry["lines"] > budget and page and not (page[-1]["letter"] and len(page) == 1):
            # A letter heading moves on with its first entry.
            carried = [page.pop()] if page[-1]["letter"] else []
            pages.append(page)
            page, budget = carried, max(2 * lines_per_column - 4, 6)
            used = sum(e["lines"] for e in page)
        page.append(entry)
        used += entry["lines"]
    if page:
        pages.append(page)
    columns = [column for page in pages for column in _two_columns(page)]
    letter = None
    for column in columns:
        if column and not column[0]["letter"] and letter is not None:
            column.insert(0, _letter_heading(letter, continued=True))
        letter = next((e["letter"] for e in reversed(column) if e["letter"]), letter)
    return [columns[i:i + 2] for i in range(0, len(columns), 2)]


def _letter_heading(letter: str, continued: bool = False) -> dict:
    return {"letter": letter, "continued": continued, "major": None, "lines": 2}


def _two_columns(entries):
    total = sum(e["lines"] for e in entries)
    used = 0
    for split, entry in enumerate(entries):
        if used >= total / 2:
            break
        used += entry["lines"]
    else:
        split = len(entries)
    # A letter heading never ends a column.
    while split > 0 and entries[split - 1]["letter"]:
        split -= 1
    return [entries[:split], entries[split:]]


class _LayoutLoader(jinja2.FileSystemLoader):
    """Templates from the layout folders only: a symbolic link in layouts/ that leads out of it is
    refused, as the stylesheets and fonts it would lead to are (render.BookletFetcher)."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        path = Path(filename)
        if not any(path.resolve().is_relative_to(folder) for folder in self.searchpath if path.is_relative_to(folder)):
            raise BookletError(path, None, "is a symbolic link out of layouts/; booklet reads templates only from files inside it.")
        return source, filename, uptodate


def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_LayoutLoader([str(d) for d in dirs]),  # resolved: errors name whole paths
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.filters["whole_words"] = whole_words
    env.filters["index_columns"] = index_columns
    return env


_ENVIRONMENTS: dict = {}


def own_templates(root: Path) -> list[str]:
    """The templates a booklet folder's layouts/ holds, as the loader names them."""
    own = Path(root) / "layouts"
    return sorted(path.relative_to(own).as_posix() for path in own.rglob("*.j2")) if own.is_dir() else []


def render_template(root: Path, name: str, render: bool = True, **context) -> str:
    """Render a layout template (or, `render` False, only read it). A mistake in a template the
    booklet folder overrides is the layout author's: one sentence naming the file and line, not
    a traceback."""
    try:
        template = environment(root).get_template(name)
        return template.render(**context) if render else ""
    except jinja2.TemplateSyntaxError as exc:
        raise BookletError(_template_path(root, exc.filename or exc.name or name), exc.lineno,
                           f"the template cannot be read: {_sentence(exc.message)}") from None
    except jinja2.TemplateNotFound as exc:
        path, line = _template_frame(root, exc.__traceback__) or (_template_path(root, name), None)
        raise BookletError(path, line, f"the template \"{exc.name}\" is in neither the booklet's layouts/ folder nor booklet's own.") from None
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(root, exc.__traceback__) or (_template_path(root, name), None)
        raise BookletError(path, line, f"the template uses something booklet does not give it: {_sentence(exc.message)}") from None
    except BookletError:
        raise
    except RecursionError:
        raise BookletError(Path(root) / "layouts", None, "a template includes or extends itself, directly or through another; a booklet folder's template cannot extend booklet's one of the same name.") from None
    except UnicodeDecodeError:
        path, line = _undecodable_template(root)
        raise BookletError(path, line, "the template is not UTF-8 text; save it as UTF-8.") from None
    except Exception as exc:
        # The booklet folder's own template nearest the error: where the layout author's mistake
        # is, even when it shows in a template of booklet's that theirs calls.
        found = _template_frame(root, exc.__traceback__, own_only=True)
        if found is None:
            raise  # only booklet's own templates were involved: a bug, not the layout's mistake
        raise BookletError(*found, f"the template failed: {_sentence(str(exc) or type(exc).__name__)}") from None


def _sentence(message: str | None) -> str:
    message = " ".join((message or "").split())
    return message if message.endswith(".") else message + "."


def _template_path(root: Path, name: str) -> Path:
    path = Path(name)
    if path.is_absolute():
        return path
    for folder in layout_dirs(root):
        if (folder / name).is_file():
            return folder / name
    return Path(root) / "layouts" / name


def _undecodable_template(root: Path) -> tuple[Path, int | None]:
    own = Path(root) / "layouts"
    for path in sorted(own.rglob("*.j2")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return path, data[:exc.start].count(b"\n") + 1
    return own, None


def _template_frame(root: Path, traceback, own_only: bool = False) -> tuple[Path, int] | None:
    """The template file and line where an error arose: Jinja gives a template's frames the
    template's own file name and line numbers. `own_only`: the booklet folder's templates."""
    found, dirs = None, layout_dirs(root)
    if own_only:
        if len(dirs) == 1:
            return None  # the booklet folder has no layouts/ of its own
        dirs = dirs[:1]
    folders = [folder.resolve() for folder in dirs]
    for frame in tb_module.extract_tb(traceback):
        path = Path(frame.filename)
        if path.suffix == ".j2" and any(path.resolve().is_relative_to(folder) for folder in folders):
            found = (path, frame.lineno)
    return found


def environment(root: Path) -> jinja2.Environment:
    dirs = tuple(folder.resolve() for folder in layout_dirs(root))  # a relative root depends on the cwd
    if dirs not in _ENVIRONMENTS:
        _ENVIRONMENTS[dirs] = _environment(dirs)
    return _ENVIRONMENTS[dirs]


def edition_text(edition, labels) -> str:
    if isinstance(edition, dt.date):
        return f"{edition.day} {labels['months'][edition.month - 1]} {edition.year}"
    return str(edition)


def layout_stylesheets(options: PrintOptions, extra=()) -> tuple[str, ...]:
    """The stylesheets a document of the booklet links, in order."""
    return STYLESHEETS + tuple(extra) + ((LOW_INK,) if options.grayscale else ())


def _common(booklet: Booklet, root: Path, options: PrintOptions, extra=()) -> dict:
    labels = labels_for(root, booklet.config.language)
    return dict(
        booklet=booklet,
        labels=labels,
        language=booklet.config.language,
        edition_text=edition_text(booklet.edition, labels),
        edition_iso=booklet.date.isoformat(),
        stylesheets=layout_stylesheets(options, extra),
        options=options,
    )


def render_html(booklet: Booklet, root: Path, parts=None, page_of=None,
                options: PrintOptions = PrintOptions(), part: PartLayout | None = None) -> str:
    """The booklet as one HTML document. `parts` limits it to some of its parts ('front',
    profession keys, 'index', 'back'); `page_of` gives known page numbers to print literally."""
    common = _common(booklet, root, options)
    if parts is not None and "front" not in parts:
        # The booklet keeps the front part's metadata only. Dated, every part's HTML changed with
        # the source date, and the first edit of a day rendered the whole booklet again.
        common["edition_iso"] = None
    labels = common["labels"]
    first_keys = {f.profiles[0].key for f in booklet.fields if f.profiles}
    title = booklet.config.title
    if booklet.selection:
        title = f"{title} ({labels['subset']}: {', '.join(f.title for f in booklet.fields)})"
    subject = booklet.config.subtitle or ", ".join(f.title for f in booklet.fields)
    return render_template(root, "booklet.html.j2",
        **common,
        document_title=title,
        document_subject=subject,
        index_lines_per_column=INDEX_LINES[booklet.config.paper],
        index_chars_per_line=INDEX_CHARS[booklet.config.paper],
        first_of_field=first_keys,
        parts=parts,
        # Chosen here, not by the template looking through every profession for each part: a
        # build renders each profession as its own part, and N parts times N professions added up.
        professions=_professions_in(booklet, parts),
        page_of=page_of,
        part=part,
    )


def _professions_in(booklet: Booklet, parts) -> list:
    """(field, profile) for each profession drawn, in booklet order."""
    if parts is None:
        return list(booklet.placement.values())
    wanted = set(parts)
    return [pair for key, pair in booklet.placement.items() if key in wanted]


def render_folios_html(booklet: Booklet, root: Path, first: int, count: int,
                       options: PrintOptions = PrintOptions(), numbers: tuple[int, ...] = ()) -> str:
    """Pages that show only their folios, numbered from `first` (an odd, right-hand page), or
    one page for each of `numbers` (odd numbers at odd positions, so each is on its own side)."""
    common = _common(booklet, root, options)
    common["edition_iso"] = None  # as for parts (see render_html): specimens need no date
    return render_template(root, "folios.html.j2",
        **common,
        document_title=booklet.config.title,
        document_subject="",
        part=PartLayout(hide_folios=False, start_left=False, folio_start=first),
        count=count,
        numbers=numbers,
    )


def render_handout_html(booklet: Booklet, profile, root: Path, options: PrintOptions = PrintOptions()) -> str:
    """One profession as its own short document."""
    common = _common(booklet, root, options, extra=(HANDOUT,))
    field = next(f for f in booklet.fields if profile in f.profiles)
    return render_template(root, "handout.html.j2",
        **common,
        document_title=f"{profile.title} — {booklet.config.title}",
        document_subject=f"{common['labels']['field']} {field.title}",
        field=field,
        profile=profile,
        first_of_field=set(),
    )
