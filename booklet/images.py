"""The one image a booklet may have: a logo named in booklet.yaml, checked before it is used."""
from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BookletError, cannot_read

MAX_BYTES = 2_000_000
MAX_PIXELS = 16_000_000
MAX_SIDE = 8_000
KINDS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
_SVG_REFERENCE = re.compile(r"""(?:href\s*=\s*["']\s*(?!#|data:)[^"']|url\(\s*["']?\s*(?!#|data:))""", re.I)


@dataclass(frozen=True)
class Logo:
    mime: str
    data: bytes

    @property
    def data_uri(self) -> str:
        # Embedded in the HTML, so WeasyPrint needs to read no file for it.
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode()}"


def load_logo(root: Path, value: str, config_path: Path, line: int | None) -> Logo:
    def refuse(sentence: str):
        raise BookletError(config_path, line, f"logo \"{value}\": {sentence}")

    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts:
        refuse("give a path inside the booklet folder, such as logo.png.")
    path = (Path(root) / relative)
    if path.is_symlink() or not path.resolve().is_relative_to(Path(root).resolve()):
        refuse("the file must be inside the booklet folder, not a link out of it.")
    mime = KINDS.get(path.suffix.lower())
    if mime is None:
        refuse("a logo must be a PNG, JPEG or SVG file.")
    if not path.is_file():
        refuse("there is no such file.")
    if path.stat().st_size > MAX_BYTES:
        refuse(f"the file has {path.stat().st_size:,} bytes; a logo may have at most {MAX_BYTES:,}.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        refuse(cannot_read(path, exc).message)
    if mime == "image/svg+xml":
        _check_svg(data, refuse)
    else:
        _check_bitmap(data, mime, refuse)
    return Logo(mime, data)


def _check_bitmap(data: bytes, mime: str, refuse) -> None:
    magic = b"\x89PNG\r\n\x1a\n" if mime == "image/png" else b"\xff\xd8\xff"
    kind = "PNG" if mime == "image/png" else "JPEG"
    if not data.startswith(magic):
        refuse(f"the file is not a {kind} image (its name says it is, its content does not).")
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                refuse(f"the image is {width} x {height} pixels; a logo may have at most {MAX_PIXELS:,} pixels and {MAX_SIDE} on a side.")
            image.verify()
    except BookletError:
        raise
    except Exception:  # Pillow's many ways of saying "broken"
        refuse(f"the {kind} image is damaged and cannot be read.")


def _check_svg(data: bytes, refuse) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        refuse("the SVG file is not UTF-8 text.")
    if "<svg" not in text:
        refuse("the file is not an SVG image.")
    if re.search(r"<!(DOCTYPE|ENTITY)", text, re.I):
        refuse("the SVG declares a DOCTYPE or entities, which booklet does not accept (they can read other files).")
    if _SVG_REFERENCE.search(text):
        refuse("the SVG refers to another file or address; a logo must be self-contained.")
    import xml.etree.ElementTree as ElementTree
    try:
        ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        refuse(f"the SVG is not well-formed XML ({exc}).")
