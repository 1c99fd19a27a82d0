"""Choose the professions for a booklet and group them: fields, order, index of majors."""
from __future__ import annotations

import datetime as dt
import fnmatch
import os
from collections import Counter, defaultdict

from .library import slugify
from .model import Booklet, Field, Library, Major, Profile
from .text import collation_key, fold


def matches(profile: Profile, selector: str) -> bool:
    """A selector is a field name, a slug, or a shell glob over `field/slug`; in any case, and
    a name as its folder or file is called ("Kesehatan Masyarakat" for kesehatan-masyarakat),
    or the profession's title."""
    return names(profile.field, profile.slug, profile.title, selector)


def names(field: str, slug: str, title: str | None, selector: str) -> bool:
    """Whether a selector names the profile source/<field>/<slug>.txt with this title."""
    selector = selector.strip().strip("/")
    if any(c in selector for c in "*?["):
        return fnmatch.fnmatchcase(f"{field}/{slug}", selector.lower())
    wanted = "/".join(slugify(part) for part in selector.split("/"))
    return wanted in (field, slug, f"{field}/{slug}") or (title is not None and wanted == slugify(title))


def by_field_title(config, selectors) -> tuple[str, ...]:
    """The selectors, a field's title from booklet.yaml ("Teknologi Informasi dan Komunikasi", as
    the booklet prints it) turned into its folder's name ("teknologi")."""
    folder_of = {slugify(title): name for name, title in config.field_titles if title}
    return tuple(folder_of.get(slugify(s.strip()), s) for s in selectors)


def selected(field: str, slug: str, title: str | None, only=(), exclude=()) -> bool:
    return ((not only or any(names(field, slug, title, s) for s in only))
            and not any(names(field, slug, title, s) for s in exclude))


def unmatched(library: Library, selectors) -> list[str]:
    """The selectors that match no profile, read or not."""
    return [s for s in selectors if not any(names(*file, s) for file in library.files)
            and not any(matches(p, s) for p in library.profiles)]


def select_profiles(profiles, only=(), exclude=()) -> tuple[Profile, ...]:
    return tuple(p for p in profiles if selected(p.field, p.slug, p.title, only, exclude))


def selection_label(only=(), exclude=()) -> str | None:
    """The suffix of a subset's file name: booklet-<label>.pdf."""
    if not only and not exclude:
        return None
    parts = [slugify(s) or "x" for s in only]
    if exclude:
        parts += ["tanpa"] + [slugify(s) or "x" for s in exclude]
    return "-".join(parts)


def field_title(name: str) -> str:
    small = {"dan", "atau", "di", "ke", "dari", "yang", "untuk", "and", "or", "of"}
    words = name.split("-")
    return " ".join(w if i and w in small else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _fields(library: Library, profiles) -> tuple[Field, ...]:
    titles = dict(library.config.field_titles)
    by_field = defaultdict(list)
    for profile in profiles:
        by_field[profile.field].append(profile)
    configured = [name for name, _ in library.config.field_titles if name in by_field]
    rest = sorted(set(by_field) - set(configured))
    return tuple(
        Field(name, titles.get(name) or field_title(name),
              tuple(sorted(by_field[name], key=lambda p: (fold(p.title), p.slug))))
        for name in configured + rest)


def _majors(library: Library, profiles) -> tuple[Major, ...]:
    alias_of = {}
    for display, variants in library.config.major_aliases:
        for spelling in (display, *variants):
            alias_of[fold(spelling)] = display
    spellings = defaultdict(Counter)
    listed_by = defaultdict(list)
    for profile in profiles:
        for name in profile.majors:
            key = fold(alias_of.get(fold(name), name))
            spellings[key][name] += 1
            if profile not in listed_by[key]:
                listed_by[key].append(profile)
    majors = []
    for key, counts in spellings.items():
        display = alias_of.get(key)
        if display is None:
            # The most common spelling wins; among equals one in mixed case ("Hubungan
            # Internasional", not "HUBUNGAN INTERNASIONAL"), then the alphabetically first.
            display = min(counts, key=lambda s: (-counts[s], s.isupper() or s.islower(), s))
        majors.append(Major(display, tuple(listed_by[key])))
    # Names that start with a digit or a sign (index letter "#") first, then by letter.
    return tuple(sorted(majors, key=lambda m: (m.letter != "#", collation_key(m.name), m.name)))


def source_date(library: Library) -> dt.date:
    """SOURCE_DATE_EPOCH, else the newest source file's date: never "now", so that
    rebuilding the same sources gives the same booklet."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    if library.newest_source_mtime is not None:
        return dt.datetime.fromtimestamp(library.newest_source_mtime, dt.timezone.utc).date()
    return dt.date(1970, 1, 1)


def make_booklet(library: Library, only=(), exclude=()) -> Booklet:
    profiles = select_profiles(library.profiles, only, exclude)
    fields = _fields(library, profiles)
    ordered = [p for f in fields for p in f.profiles]
    # Index entries list professions in booklet order, so page numbers ascend.
    rank = {p.key: i for i, p in enumerate(ordered)}
    majors = tuple(Major(m.name, tuple(sorted(m.profiles, key=lambda p: rank[p.key])))
                   for m in _majors(library, ordered))
    date = source_date(library)
    return Booklet(library.config, fields, majors, library.config.edition or date, date,
                   selection_label(only, exclude))
