"""Git plumbing: reading a file as it is in a revision (``REV:PATH``), listing a revision's
folder, the versions a file had in recent commits, and running git. A leaf: it knows nothing of
studies or case files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ol_analysis.errors import UsageError


def is_revision_spec(argument: str) -> bool:
    """``REV:PATH`` or ``:PATH`` (the index), unless a file of that very name exists."""
    return ":" in argument and not Path(argument).exists()


def run_git(
    args: list[str], cwd: Path, *, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise UsageError("git is not installed (needed for REV:PATH and git-setup)")
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)


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
    """``REV:DIR`` expanded to the ``REV:DIR/NAME`` specs of its files with these suffixes (in
    any case: ``.YAML`` too), subfolders included and hidden ones left out, as a working
    folder's case files are found; any other spec (a file, or something git does not know) is
    returned as it is."""
    kind = run_git(["cat-file", "-t", spec], cwd)
    if kind.returncode != 0 or kind.stdout.decode().strip() != "tree":
        return [spec]
    listing = run_git(["ls-tree", "-r", "--name-only", "-z", spec], cwd)
    revision, _, path = spec.partition(":")
    names = sorted(
        name
        for name in listing.stdout.decode("utf-8", "replace").split("\0")
        if name.lower().endswith(suffixes)
        and not any(part.startswith(".") for part in name.split("/"))
    )
    return [f"{revision}:{path.rstrip('/')}/{name}" for name in names]


def object_exists(spec: str, cwd: Path = Path(".")) -> bool:
    """Whether git knows ``spec`` (``REV:PATH``, a blob id, …); False outside a repository."""
    return run_git(["cat-file", "-e", spec], cwd).returncode == 0


def path_in_repository(path: Path, cwd: Path = Path(".")) -> str | None:
    """``path`` as git names it in a revision (from the top of the work tree, with ``/``);
    None when it lies outside the repository. Raises :class:`UsageError` outside any."""
    top = toplevel(cwd).resolve()
    relative = Path(os.path.relpath((cwd / path).resolve(), top)).as_posix()
    return None if relative == ".." or relative.startswith("../") else relative


def blob_id(path: Path, cwd: Path = Path(".")) -> str | None:
    """The id git gives the content of a file (``git hash-object``); None when it cannot."""
    result = run_git(["hash-object", "--", str(path)], cwd)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def git_path(name: str, cwd: Path = Path(".")) -> Path | None:
    """Where git keeps ``name`` in the repository's own folder (``git rev-parse --git-path``)."""
    result = run_git(["rev-parse", "--git-path", name], cwd)
    if result.returncode != 0:
        return None
    return cwd / result.stdout.decode().strip()


def recent_blobs(path: str, cwd: Path = Path("."), *, commits: int = 50) -> list[str]:
    """The distinct versions (blob ids) ``path`` had in the last ``commits`` commits that
    changed it, newest first: ``git log --format=%H -n COMMITS -- PATH``."""
    log = run_git(["log", "--format=%H", "-n", str(commits), "--", path], cwd)
    if log.returncode != 0:
        return []
    specs = "".join(f"{commit}:{path}\n" for commit in log.stdout.decode().split())
    found = run_git(
        ["cat-file", "--batch-check=%(objectname) %(objecttype)"], cwd, stdin=specs.encode()
    )
    blobs = [
        line.split()[0]
        for line in found.stdout.decode(errors="replace").splitlines()
        if line.endswith(" blob")
    ]
    return list(dict.fromkeys(blobs))


def read_blob(blob: str, cwd: Path = Path("."), *, max_bytes: int) -> str | None:
    """A blob's text, or None when it is missing, too large or not UTF-8."""
    shown = run_git(["cat-file", "blob", blob], cwd)
    if shown.returncode != 0 or len(shown.stdout) > max_bytes:
        return None
    try:
        return shown.stdout.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
