"""Write files so that readers see either the old file or the new one; read only inside a folder."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import BriefgenError, Problem


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device",
          stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket"}


class NotRegularFile(OSError):
    """PATH is a folder, FIFO, device or socket: reading it would hang or never end."""

    def __init__(self, path: Path, kind: str):
        super().__init__(f"is {kind}, not a regular file")
        self.strerror = f"is {kind}, not a regular file; replace it with a file"
        self.filename = str(path)


class FileTooLarge(OSError):
    def __init__(self, path: Path, size: int, limit: int):
        super().__init__(f"is {size:,} bytes")
        self.strerror = f"is {size / 1e6:.0f} MB; briefgen reads files of at most {limit / 1e6:.0f} MB"
        self.filename = str(path)


def file_kind(path: Path) -> str | None:
    """Return what PATH is when it exists but is not a regular file (following links), else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def read_regular(path: Path, limit: int = 50_000_000) -> bytes:
    """Return PATH's bytes; refuse (without blocking) anything but a regular file of at most LIMIT bytes.

    The file is opened non-blocking and checked on the open handle, so a FIFO swapped in
    between a check and the read cannot hang the reader.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(Path(path), _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file"))
        if info.st_size > limit:
            raise FileTooLarge(Path(path), info.st_size, limit)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise FileTooLarge(Path(path), len(data), limit)
        return data
    finally:
        os.close(fd)


def read_text_regular(path: Path, limit: int = 50_000_000) -> str:
    """Return PATH's UTF-8 text with universal newlines, as Path.read_text would (regular files only)."""
    data = read_regular(path, limit).decode("utf-8")
    return data.replace("\r\n", "\n").replace("\r", "\n")


def check_output_file(path: Path, option: str, protected: list[tuple[Path, str]], example: str = "translation.xlf") -> None:
    """Refuse to write PATH when it is a folder or special file, or lies in a PROTECTED folder.

    PROTECTED pairs a folder briefgen reads (the content) with how to name it. Links are
    followed: a link inside the content folder is as dangerous as the file it points to.
    """
    where = f"{option} {path}"
    kind = file_kind(path)
    if kind == "a folder":
        raise BriefgenError([Problem("", 0, f"{where}: is a folder; name the file to write, e.g. {Path(path) / example}")])
    if kind is not None:
        raise BriefgenError([Problem("", 0, f"{where}: is {kind}, not a file briefgen may replace; write elsewhere")])
    target = Path(os.path.realpath(path))
    for folder, name in protected:
        if target.is_relative_to(os.path.realpath(folder)):
            raise BriefgenError([Problem("", 0, f"{where}: is inside {name} ({folder}), which briefgen reads and never overwrites; write elsewhere")])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def stage(path: Path, data: bytes, *, durable: bool = False) -> Path:
    """Write DATA to a temporary file beside PATH and return its name, for the caller to rename over PATH.

    DURABLE (content a person edits): the file keeps PATH's permissions and is on disk before
    the rename. Otherwise (build artifacts) it gets the umask's normal permissions.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        # Renaming over /dev/null (as root) would replace the device with a file for every program.
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise BriefgenError([Problem(str(path), 0, f"is {kind}, not a file briefgen may replace; write elsewhere")])
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        # mkstemp makes 0600; outputs are shared documents, edited files keep their mode.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if durable and path.exists() else 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Yield a buffer for PATH; on success the file replaces PATH in one step, else nothing changes."""
    buf = io.BytesIO()
    yield buf
    atomic_write(path, buf.getvalue())


def atomic_write(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Replace PATH by DATA in one step: readers see the old file or the new, never half (see stage)."""
    tmp = stage(path, data, durable=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
