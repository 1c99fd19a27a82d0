"""Write outputs so that a failed or interrupted build never leaves a broken file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BookletError


def write_atomically(path: Path, data: bytes, durable: bool = True) -> None:
    """Write to a temporary file beside the target, fsync (if `durable`), then rename over it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BookletError(path, None, f"cannot write the output here ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        # mkstemp creates files readable only by their owner; an output is an ordinary file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise BookletError(path, None, f"cannot write the output ({exc.strerror or exc}); the previous file, if any, is unchanged.") from None
        raise
