"""A study in a temporary git repository, for the tests of ``diff``, the textconv driver and
``agree`` across revisions (imported by the test modules of this folder)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"
HAS_GIT = shutil.which("git") is not None


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (as a test user); its output, or CalledProcessError."""
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def make_study(root: Path, cases: dict[str, str], framework: Path = MINI) -> Path:
    """A git repository at ``root``: ``framework.yaml`` and ``cases/NAME.yaml``, committed."""
    shutil.copy(framework, root / "framework.yaml")
    (root / "cases").mkdir()
    for name, text in cases.items():
        (root / "cases" / f"{name}.yaml").write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first coding")
    return root


def use_textconv(repo: Path) -> None:
    """The diff driver as ``git-setup`` writes it, run by this very interpreter."""
    (repo / ".gitattributes").write_text("cases/*.yaml diff=ol-analysis\n", encoding="utf-8")
    command = (
        f"{shlex.quote(sys.executable)} -m ol_analysis diff --textconv --framework framework.yaml"
    )
    git(repo, "config", "--local", "diff.ol-analysis.textconv", command)


def changed_lines(diff: str) -> list[str]:
    """The ``+``/``-`` lines of a unified diff, without the file headers."""
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
