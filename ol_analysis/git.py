"""Git plumbing: reading a file as it is in a revision (``REV:PATH``), listing a revision's
folder, and running git. A leaf: it knows nothing of studies or case files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from ol_analysis.errors import UsageError


def is_revision_spec(argument: str) -> bool:
    """``REV:PATH`` or ``:PATH`` (the index), unless a file of that very name exists."""
    return ":" in argument and not Path(argument).exists()


def run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise UsageError("git is not installed (needed for REV:PATH and git-setup)")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def toplevel(cwd: Path) -> Path:
    result = run_git(["rev-parse", "--show-toplevel"], cwd)
    if result.returncode != 0:
        raise UsageError(f"not inside a git repository: {cwd.resolve()}")
    return Path(result.stdout.decode().strip())


def read_revision(spec: str, cwd: Path = Path("."), *, max_bytes: int) -> str:
    """The text of ``PATH`` as it is in revision ``REV`` (``git show REV:PATH``).

    Raises :class:`UsageError` for a revision or path git does not know, and for a file that is
    too large or not UTF-8 (a version of a case file that cannot be read at all).
    """
    revision, _, path = spec.partition(":")
    toplevel(cwd)
    if revision:
        known = run_git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd)
        if known.returncode != 0:
            raise UsageError(f"unknown revision '{revision}' in '{spec}'")
    shown = run_git(["show", spec], cwd)
    if shown.returncode != 0:
        where = f"revision '{revision}'" if revision else "the index"
        detail = shown.stderr.decode(errors="replace").strip().removeprefix("fatal: ")
        raise UsageError(f"'{path}' is not in {where} ({detail})")
    if len(shown.stdout) > max_bytes:
        raise UsageError(f"{spec} is over the size limit of {max_bytes:,} bytes")
    try:
        return shown.stdout.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise UsageError(f"{spec} is not UTF-8") from None


def revision_files(spec: str, suffixes: tuple[str, ...], cwd: Path = Path(".")) -> list[str]:
    """``REV:DIR`` expanded to the ``REV:DIR/NAME`` specs of its files with these suffixes;
    any other spec (a file, or something git does not know) is returned as it is."""
    kind = run_git(["cat-file", "-t", spec], cwd)
    if kind.returncode != 0 or kind.stdout.decode().strip() != "tree":
        return [spec]
    listing = run_git(["ls-tree", "--name-only", "-z", spec], cwd).stdout.decode("utf-8", "replace")
    revision, _, path = spec.partition(":")
    names = sorted(name for name in listing.split("\0") if name.endswith(suffixes))
    return [f"{revision}:{path.rstrip('/')}/{name}" for name in names]
