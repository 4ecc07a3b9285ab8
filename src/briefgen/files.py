"""Write files so that readers see either the old file or the new one; read only inside a folder."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import BriefgenError, Problem


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside PATH; on success rename it over PATH, else remove it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are shared documents
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, data: bytes) -> None:
    """Write DATA to PATH atomically."""
    with atomic_output(path) as fh:
        fh.write(data)


def folder_file(folder: Path, name: str) -> Path | None:
    """Return NAME (a /-separated path) in template FOLDER as a regular file, links resolved; None if absent.

    A link that leads out of FOLDER, or anything but a regular file (a FIFO, a device), is refused,
    exactly as the stylesheet fetcher refuses it: a templates folder may come from a zip someone sent.
    """
    path = folder.joinpath(*name.split("/"))
    if not os.path.lexists(path):
        return None
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise BriefgenError([Problem(str(path), 0, f"refused to read {name}: it links to {real}, outside the templates folder; copy the file into the folder instead")])
    try:
        mode = real.stat().st_mode
    except OSError:
        return None  # a dangling link: as if absent
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        raise BriefgenError([Problem(str(path), 0, f"refused to read {name}: not a regular file; put a plain file there instead")])
    return real
