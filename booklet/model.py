"""The booklet's data: what a profile is once read, and what a booklet is once selected."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .text import collation_key


@dataclass(frozen=True)
class Profile:
    """One profession, read from `source/<field>/<slug>.txt`."""

    field: str
    slug: str
    title: str
    source: Path
    overview: tuple[str, ...]
    fit_heading: str
    fit: tuple[str, ...]
    reality: tuple[str, ...]
    majors: tuple[str, ...]
    employers: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.field}/{self.slug}"

    @property
    def anchor(self) -> str:
        return f"p-{self.field}-{self.slug}"


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    profiles: tuple[Profile, ...]

    @property
    def anchor(self) -> str:
        return f"f-{self.name}"


@dataclass(frozen=True)
class Major:
    """A university major and the professions that list it, in booklet order."""

    name: str
    profiles: tuple[Profile, ...]

    @property
    def letter(self) -> str:
        first = collation_key(self.name)[:1].upper()
        return first if first.isalpha() else "#"


@dataclass(frozen=True)
class Config:
    """What `booklet.yaml` says, with defaults filled in."""

    title: str = "Profil Profesi"
    subtitle: str = ""
    organization: str = ""
    edition: str | None = None
    paper: str = "A4"
    language: str = "id"
    field_titles: tuple[tuple[str, str], ...] = ()
    major_aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    output: str = "dist"
    logo: object = None  # an images.Logo, checked when booklet.yaml is read


@dataclass(frozen=True)
class Library:
    """Everything read from a booklet folder: profiles plus the problems found on the way."""

    root: Path
    config: Config
    profiles: tuple[Profile, ...]
    problems: tuple = ()
    newest_source_mtime: float | None = None
    # Every profile file found, as (field, slug, title or None), read or not: a selection reads
    # only its own profiles.
    files: tuple[tuple[str, str, str | None], ...] = ()

    @property
    def errors(self):
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self):
        return tuple(p for p in self.problems if p.severity == "warning")


@dataclass(frozen=True)
class Booklet:
    """A selection of profiles, grouped and indexed, ready to lay out."""

    config: Config
    fields: tuple[Field, ...]
    majors: tuple[Major, ...]
    edition: str | date  # as booklet.yaml words it, else the source date
    date: date  # the source date, for the PDF's metadata
    selection: str | None = None  # a label for subsets, None for the whole booklet

    @property
    def profiles(self) -> tuple[Profile, ...]:
        return tuple(p for f in self.fields for p in f.profiles)

    @functools.cached_property
    def placement(self) -> dict[str, tuple[Field, Profile]]:
        """Profile key -> (its field, the profile), in booklet order."""
        return {p.key: (f, p) for f in self.fields for p in f.profiles}


@dataclass(frozen=True)
class PrintOptions:
    """How one PDF is made from a booklet: for a print shop, for low ink, for an archive."""

    bleed_mm: float = 0  # printed past the trim edge, for a print shop's guillotine
    marks: str | None = None  # WeasyPrint's `marks`: "crop", "cross" or "crop cross"
    grayscale: bool = False
    pdf_variant: str | None = None  # one of WeasyPrint's variants, e.g. "pdf/ua-1"
    notes_before_back: int = 0  # extra notes pages, to fill a folded booklet's last sheet

    @property
    def suffix(self) -> str:
        """Words added to an output's name, so variants never overwrite the plain booklet."""
        parts = []
        if self.bleed_mm or self.marks:
            parts.append("cetak")
        if self.grayscale:
            parts.append("hitam-putih")
        if self.pdf_variant:
            parts.append(self.pdf_variant.replace("pdf/", "").replace("/", "-"))
        return "-".join(parts)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page_count: int
    anchor_pages: dict  # anchor id -> 1-based page number where it first appears
    warnings: tuple[str, ...]
    fonts: dict = field(default_factory=dict)  # PDF font name -> sha256 of the font file it subsets
    key: str | None = None  # for a booklet rendered in parts: a digest of everything it was made from
    bookmark_levels: tuple[int, ...] = ()  # of every bookmark, in document order
    finished: bool = False  # the completeness gate passed and the viewer settings are set
    page_names: tuple[str, ...] = ()  # each page's named page (cover, back, notes) or ""
