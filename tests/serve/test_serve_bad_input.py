"""Bad input to ``serve``: a port out of range, an output folder that cannot be made. Both stop
the command with a usage error (exit 2) before anything listens; neither is a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ol_analysis.errors import UsageError
from ol_analysis.report.serve import ReportServer


@pytest.mark.parametrize("port", ["-1", "65536", "70000"])
def test_a_port_out_of_range_is_a_usage_error(run_cli: Any, mini_study: Path, port: str) -> None:
    result = run_cli(["serve", "--port", port], cwd=mini_study)
    assert result.exit_code == 2
    assert "Invalid value for '--port'" in result.stderr


def test_the_library_refuses_a_port_out_of_range(tmp_path: Path) -> None:
    server = ReportServer(lambda: None, [], tmp_path / "out", port=70000)
    with pytest.raises(UsageError, match=r"cannot listen on 127\.0\.0\.1:70000"):
        server.start()
    server.stop()


def test_an_out_folder_under_a_file_is_a_usage_error(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("keep", encoding="utf-8")
    result = run_cli(["serve", "--port", "0", "--out", str(blocker / "out")], cwd=mini_study)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot create the output folder {blocker / 'out'}: "
        f"{blocker} is a file, not a folder\n"
    )
    assert blocker.read_text(encoding="utf-8") == "keep"


def test_a_failed_first_build_prints_one_line_per_problem(
    run_cli: Any, mini_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "m01.yaml").write_text("id: m01\ntitle: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(ReportServer, "wait", lambda self: None)
    framework = str(mini_study / "framework.yaml")
    out = str(tmp_path / "build")
    args = ["serve", "--port", "0", "--framework", framework, "--cases", str(cases), "--out", out]
    result = run_cli(args, cwd=tmp_path)
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert "the build failed; the page shows why:" in lines
    problem = next(line for line in lines if "error[yaml-syntax]" in line)
    assert len(problem) > 80 and problem.endswith("started at line 2)")
