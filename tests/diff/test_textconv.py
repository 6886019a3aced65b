"""The textconv view of a case and ``git-setup``, tested through real git in a temporary repo."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import changed_lines, git

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
MINI = HERE.parent / "fixtures" / "mini" / "framework.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
DRIVER = f"{shlex.quote(sys.executable)} -m ol_analysis diff --textconv --framework framework.yaml"


EXPECTED_VIEW = """\
id: m01
title: Eerste casus
profile.team: north
profile.age_group: 18_25
profile.severity: 7
course.pattern: rising
course.rising_variant: after_crises
course.outcomes: stability
course.outcomes: more_self_direction [evidence: 2]
    quote: "Ik doe het nu zelf." (report, client, 3.1)
    note: a note that is removed (session)
course.team_wide: true
"""


def test_textconv_view(run_cli) -> None:
    result = run_cli(
        [
            "diff",
            "--textconv",
            "--framework",
            str(MINI),
            str(FIXTURES / "codes_and_evidence" / "old.yaml"),
        ]
    )
    assert result.exit_code == 0
    assert result.stdout == EXPECTED_VIEW


def test_textconv_ignores_form_and_order(run_cli) -> None:
    folder = FIXTURES / "same_meaning"
    views = [
        run_cli(["diff", "--textconv", "--framework", str(MINI), str(folder / name)]).stdout
        for name in ("old.yaml", "new.yaml")
    ]
    assert views[0] == views[1]


def test_textconv_shows_an_invalid_file_as_it_is(tmp_path: Path, run_cli) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_text("id: [m01\n", encoding="utf-8")
    result = run_cli(["diff", "--textconv", "--framework", str(MINI), str(broken)])
    assert result.exit_code == 0
    assert result.stdout == "# ol-analysis: not a valid case file; the text as it is:\nid: [m01\n"


@pytest.fixture
def study(tmp_path: Path) -> Path:
    shutil.copy(MINI, tmp_path / "framework.yaml")
    (tmp_path / "cases").mkdir()
    shutil.copy(FIXTURES / "codes_and_evidence" / "old.yaml", tmp_path / "cases" / "m01.yaml")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first coding")
    return tmp_path


def test_git_setup_is_idempotent(study: Path, run_cli) -> None:
    (study / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # no final newline
    first = run_cli(["git-setup"], cwd=study)
    assert first.exit_code == 0, first.stderr
    second = run_cli(["git-setup"], cwd=study)
    assert second.exit_code == 0
    assert "updated" not in second.stderr
    assert (study / ".gitattributes").read_text(encoding="utf-8") == (
        "*.png binary\ncases/*.yaml diff=ol-analysis\n"
    )
    command = git(study, "config", "--local", "diff.ol-analysis.textconv").strip()
    assert command == DRIVER  # this Python by its absolute path: no PATH needed


def test_git_setup_prints_the_command_on_one_line(study: Path, run_cli) -> None:
    result = run_cli(["git-setup"], cwd=study)
    expected = f"git config diff.ol-analysis.textconv {shlex.quote(DRIVER)}"
    assert expected in result.stderr.splitlines()


def test_git_setup_warns_about_a_virtual_environment(
    study: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "prefix", "/opt/venvs/ol")
    monkeypatch.setattr(sys, "base_prefix", "/usr")
    warned = run_cli(["git-setup"], cwd=study).stderr
    assert "warning: the diff driver runs the Python of the virtual environment /opt/venvs/ol; " \
        "if it is moved or deleted" in warned.replace("\n", " ")  # fmt: skip
    monkeypatch.setattr(sys, "base_prefix", "/opt/venvs/ol")
    assert "warning" not in run_cli(["git-setup"], cwd=study).stderr


def test_git_diff_works_with_a_bare_path(study: Path, run_cli) -> None:
    """As from a GUI client or a shell without the virtual environment: only /usr/bin:/bin."""
    bare = "/usr/bin:/bin"
    git_program = shutil.which("git", path=bare)
    if git_program is None:
        pytest.skip("git is not in /usr/bin or /bin")
    assert shutil.which("ol-analysis", path=bare) is None  # the command is not to be found
    assert run_cli(["git-setup"], cwd=study).exit_code == 0
    case = study / "cases" / "m01.yaml"
    text = case.read_text(encoding="utf-8").replace("pattern: rising", "pattern: stable")
    case.write_text(text.replace("  rising_variant: after_crises\n", ""), encoding="utf-8")
    env = {"PATH": bare, "HOME": str(study), "LANG": os.environ.get("LANG", "C.UTF-8")}
    shown = subprocess.run(
        [git_program, "diff", "--no-color", "-U0"],
        cwd=study,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert changed_lines(shown.stdout) == [
        "-course.pattern: rising",
        "-course.rising_variant: after_crises",
        "+course.pattern: stable",
    ]


def test_git_diff_shows_the_semantic_view(study: Path, run_cli) -> None:
    assert run_cli(["git-setup"], cwd=study).exit_code == 0
    # reformat the file and change one coding: only the coding shows in git diff
    new = (FIXTURES / "codes_and_evidence" / "old.yaml").read_text(encoding="utf-8")
    new = new.replace("  team: north\n", "  team: {code: north}\n").replace("    - stability\n", "")
    new = new.replace("pattern: rising", "pattern: stable").replace(
        "  rising_variant: after_crises\n", ""
    )
    (study / "cases" / "m01.yaml").write_text("# reformatted\n" + new, encoding="utf-8")
    changed = changed_lines(git(study, "diff", "--no-color", "-U0"))
    assert changed == [
        "-course.pattern: rising",
        "-course.rising_variant: after_crises",
        "-course.outcomes: stability",
        "+course.pattern: stable",
    ]
    raw = git(study, "diff", "--no-color", "--no-textconv")
    assert "+# reformatted" in raw  # the plain text diff is still there when asked for


def test_git_setup_outside_a_repository_exits_2(tmp_path: Path, run_cli) -> None:
    shutil.copy(MINI, tmp_path / "framework.yaml")
    result = run_cli(["git-setup"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr
