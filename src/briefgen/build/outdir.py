"""The output folder: one build at a time in it, and nothing left behind by a build that died.

Two builds into one folder would each write a manifest of only what they built; a build killed
mid-write leaves a temporary file that nothing else removes; build workers whose parent was
killed would go on rendering (and holding 150 MB each) for nobody.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import signal
import time
from pathlib import Path
from typing import Callable, Iterator

from ..errors import BriefgenError, Problem

WAIT_SECONDS = 600  # a whole default build takes about a minute; past this the other one is stuck
# The temporary names files.atomic_output and the Word writer make: .NAME.XXXXXXXX.tmp (mkstemp).
TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


@contextlib.contextmanager
def locked(out_dir: Path, notify: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder's lock (flock on the folder itself: no lock file to leave behind).

    A second build into the same folder says so and waits; the lock goes with the process,
    so a killed build never leaves the folder locked.
    """
    fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            notify(f"{out_dir}: another briefgen build is writing into this folder; waiting for it to finish")
            deadline = time.monotonic() + WAIT_SECONDS
            while True:
                time.sleep(0.2)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise BriefgenError([Problem(str(out_dir), 0, f"another briefgen build has been writing here for {WAIT_SECONDS // 60} minutes; stop it or choose another --out")]) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def sweep_temporaries(out_dir: Path) -> int:
    """Remove the temporary files an interrupted build left in OUT_DIR (call with the lock held)."""
    removed = 0
    for folder, dirs, files in os.walk(out_dir):  # links are not followed: only our own folder
        for name in files:
            if TEMPORARY.fullmatch(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
    return removed


def die_with_parent(parent: int) -> None:
    """Make this build worker die when the process that started it dies, even by SIGKILL.

    Linux's PR_SET_PDEATHSIG; elsewhere the worker notices only when it next talks to its parent.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
