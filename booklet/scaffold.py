"""Start a booklet folder and add profiles to it: files a counselor then edits."""
from __future__ import annotations

from pathlib import Path

from .errors import BookletError
from .library import slugify
from .output import write_atomically

SKELETON = Path(__file__).resolve().parent / "skeleton"


def init_booklet(folder: Path) -> list[Path]:
    """A new booklet folder: booklet.yaml, BACA-SAYA.md and one example profile. Refuses to
    overwrite anything, checking every file before writing the first."""
    folder = Path(folder)
    files = sorted(p for p in SKELETON.rglob("*") if p.is_file() and p.name != "profile.txt")
    targets = [(source, folder / source.relative_to(SKELETON)) for source in files]
    existing = [target for _, target in targets if target.exists()]
    if existing:
        raise BookletError(existing[0], None, "already exists; booklet init never overwrites a file. Choose an empty folder.")
    for source, target in targets:
        write_atomically(target, source.read_bytes())
    return [target for _, target in targets]


def new_profile(root: Path, title: str, field: str) -> Path:
    """source/<field>/<slug of the title>.txt with the five headings, ready to fill in."""
    title = " ".join(title.split())
    slug, field_slug = slugify(title), slugify(field)
    if not slug:
        raise BookletError(None, None, f"\"{title}\" has no letters or digits to make a file name from.")
    if not field_slug or field_slug != field:
        raise BookletError(None, None, f"\"{field}\" cannot be a field folder; use lowercase letters, digits and hyphens, such as \"{field_slug or 'kesehatan'}\".")
    target = Path(root) / "source" / field / f"{slug}.txt"
    if target.exists():
        raise BookletError(target, None, "already exists; booklet new never overwrites a profile.")
    # Short names are unique across fields (`--only perawat`): another field's file would clash.
    source = Path(root) / "source"
    same = sorted(p for p in source.glob("*/*") if p.suffix.lower() == ".txt" and slugify(p.stem) == slug) if source.is_dir() else []
    if same:
        raise BookletError(same[0], None, f"already has the short name \"{slug}\", which a new profile \"{title}\" would share; give the new one a more particular title.")
    text = (SKELETON / "profile.txt").read_text(encoding="utf-8").replace("{title}", title)
    write_atomically(target, text.rstrip("\n").encode("utf-8"))
    return target
