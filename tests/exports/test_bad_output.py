"""Output that cannot be written: a clear usage error (exit 2), never a traceback, and the old
file intact. Symbolic links are written through and devices written to, never replaced."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest

from ol_analysis.errors import UsageError
from ol_analysis.safe_write import ensure_folder, write_bytes_atomic, write_text_atomic

EXPORTS = [
    ["export", "codebook"],
    ["export", "refi"],
    ["export", "csv"],
    ["export", "graphml"],
    ["export", "sqlite"],
]


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: c[1])
def test_export_under_a_file_is_a_usage_error(
    run_cli: Any, mini_study: Path, tmp_path: Path, command: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("keep me", encoding="utf-8")
    result = run_cli([*command, "--out", str(blocker / "sub" / "out")], cwd=mini_study)
    assert result.exit_code == 2
    assert f"{blocker} is a file, not a folder" in result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("command", EXPORTS, ids=lambda c: c[1])
def test_export_into_proc_is_a_usage_error(
    run_cli: Any, mini_study: Path, command: list[str]
) -> None:
    if not Path("/proc").is_dir():
        pytest.skip("no /proc")
    result = run_cli([*command, "--out", "/proc/ol-analysis-test/out"], cwd=mini_study)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot ")


@pytest.mark.parametrize("command", [c for c in EXPORTS if c[1] != "csv"], ids=lambda c: c[1])
def test_a_failed_export_leaves_the_old_file(
    run_cli: Any, mini_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:  # fmt: skip
    target = tmp_path / "out.bin"
    target.write_bytes(b"the previous export")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ol_analysis.safe_write.os.replace", failing_replace)
    result = run_cli([*command, "--out", str(target)], cwd=mini_study)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_export_onto_a_folder_is_a_usage_error(
    run_cli: Any, mini_study: Path, tmp_path: Path
) -> None:
    result = run_cli(["export", "sqlite", "--out", str(tmp_path)], cwd=mini_study)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {tmp_path}: it is a folder\n"


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.qdc"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.qdc"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_device_is_written_to_not_replaced() -> None:
    null = Path("/dev/null")
    if not null.exists():
        pytest.skip("no /dev/null")
    write_bytes_atomic(null, b"nothing")
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_a_pipe_is_written_to_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_text_atomic(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_ensure_folder_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="f is a file, not a folder"):
        ensure_folder(tmp_path / "f" / "g" / "h")
    assert ensure_folder(tmp_path / "a" / "b").is_dir()


def test_a_write_error_is_a_usage_error_and_an_oserror(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        write_text_atomic(tmp_path / "f" / "x.json", "{}")
    assert isinstance(caught.value, UsageError)
    assert caught.value.strerror == f"{tmp_path / 'f'} is a file, not a folder"
    assert str(caught.value) == f"cannot write {tmp_path / 'f' / 'x.json'}: {caught.value.strerror}"
