"""Writing files so that nothing is ever half-written: a temporary file, then a rename.

A write that cannot be done (a read-only folder, a path under a file, ``/proc``) raises a
:class:`~ol_analysis.errors.WriteError` naming the path (a usage error for the command line,
and an ``OSError`` for code that catches those), and leaves the old file intact. A symbolic
link is written through (the link stays, its target gets the new content), and a device or
pipe such as ``/dev/stdout`` is written to directly: a rename would replace it.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ol_analysis.errors import WriteError


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _make_folder(folder: Path) -> str | None:
    """Create ``folder`` and its parents; None when it is there, else why it cannot be."""
    if folder.is_dir():
        return None
    blocker = next((p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{blocker} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _reason(error)
    return None


def ensure_folder(folder: Path | str, what: str = "folder") -> Path:
    """Create ``folder`` (and its parents) unless it exists; a clear error when it cannot be."""
    folder = Path(folder)
    problem = _make_folder(folder)
    if problem is not None:
        raise WriteError(folder, problem, f"cannot create the {what} {folder}: {problem}")
    return folder


def _target(path: Path) -> tuple[Path, bool]:
    """Where the bytes must go (a link's final target) and whether that is a special file."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return real, False  # does not exist (yet), or a dangling link: create the target
    if stat.S_ISDIR(mode):
        raise WriteError(path, "it is a folder")
    return real, not stat.S_ISREG(mode)


@contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary file to write in full; on success it replaces ``path`` in one step.

    On any failure the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    real, special = _target(path)
    folder = None if special else real.parent
    problem = _make_folder(folder) if folder is not None else None
    if problem is not None:
        raise WriteError(path, problem)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise WriteError(path, _reason(error)) from None
    os.close(descriptor)
    try:
        yield Path(temporary)
        if special:
            with open(temporary, "rb") as source, open(path, "wb") as sink:
                shutil.copyfileobj(source, sink)
        else:
            os.chmod(temporary, real.stat().st_mode & 0o777 if real.exists() else 0o644)
            os.replace(temporary, real)
    except OSError as error:
        raise WriteError(path, _reason(error)) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; on failure the old file stays intact."""
    with atomic_path(path) as temporary, open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_text_atomic(path: Path | str, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))
