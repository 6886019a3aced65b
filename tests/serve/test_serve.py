"""``serve``: pages from the build folder, rebuilt when a case changes, diagnostics for a broken
file, and a version endpoint the injected script polls. In-process, on a free local port.

Most tests call ``ReportServer.check()`` themselves (what the watcher thread does every half
second), so they wait on nothing; one test lets the watcher thread do it, with a bounded wait.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import ol_analysis
from ol_analysis.report.serve import VERSION_PATH, ReportServer, snapshot
from ol_analysis.safe_write import write_text_atomic

REPO = Path(__file__).parents[2]


def fetch(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a local URL (no proxies: never leaves the machine)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def version(server: ReportServer) -> dict[str, object]:
    return json.loads(fetch(server.url.rstrip("/") + VERSION_PATH)[2])


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A copy of the mini study, so that tests may edit and break its files."""
    target = tmp_path / "study"
    shutil.copytree(REPO / "tests" / "fixtures" / "mini", target)
    return target


def tiny_build(study: Path, out: Path) -> None:
    """A stand-in for the report build: one page listing the case titles."""
    loaded = ol_analysis.load_study(study)
    (out / "html").mkdir(parents=True, exist_ok=True)
    items = "".join(f"<li>{case.id}: {case.title}</li>" for case in loaded)
    write_text_atomic(out / "html" / "index.html", f"<html><body><ul>{items}</ul></body></html>")
    write_text_atomic(out / "html" / "style.css", "body { color: black }")


@pytest.fixture
def server(study: Path, tmp_path: Path) -> Iterator[ReportServer]:
    out = tmp_path / "build"
    watched = [study / "framework.yaml", study / "cases"]
    running = ReportServer(
        lambda: tiny_build(study, out), watched, out, port=0, interval=60, events=False
    )
    running.start()
    try:
        yield running
    finally:
        running.stop()


def test_root_redirects_to_the_report_and_pages_carry_the_reload_script(
    server: ReportServer,
) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, content_type, body = fetch(server.url)
    assert status == 200
    assert content_type.startswith("text/html")
    assert "m01" in body
    assert "/__version" in body
    assert body.index("live reload") < body.index("</body>")


def test_static_files_are_served_untouched(server: ReportServer) -> None:
    status, content_type, body = fetch(server.url + "html/style.css")
    assert (status, body) == (200, "body { color: black }")
    assert content_type.startswith("text/css")
    assert fetch(server.url + "html/missing.html")[0] == 404


def test_a_changed_case_rebuilds_and_bumps_the_version(server: ReportServer, study: Path) -> None:
    before = version(server)
    assert before == {"version": 1, "ok": True, "complete": True}
    assert server.check() is False
    case = study / "cases" / "m01.yaml"
    text = case.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    case.write_text(text.replace(title, "title: Een nieuwe titel"), encoding="utf-8")
    assert server.check() is True
    assert version(server) == {"version": 2, "ok": True, "complete": True}
    assert "Een nieuwe titel" in fetch(server.url)[2]


def test_a_broken_case_shows_its_diagnostic_and_the_server_keeps_running(
    server: ReportServer, study: Path
) -> None:
    case = study / "cases" / "m02.yaml"
    good = case.read_text(encoding="utf-8")
    case.write_text(good + "\nprofile: [unclosed\n", encoding="utf-8")
    assert server.check() is True
    assert version(server)["ok"] is False
    status, _type, body = fetch(server.url)
    assert status == 200
    assert "could not be built" in body
    assert "m02.yaml:" in body
    assert "error[yaml-syntax]" in body
    assert "/__version" in body  # the error page reloads itself once the file is fixed
    case.write_text(good, encoding="utf-8")
    assert server.check() is True
    assert version(server) == {"version": 3, "ok": True, "complete": True}
    assert "m02" in fetch(server.url)[2]


def test_a_failing_build_of_any_kind_is_shown_not_raised(study: Path, tmp_path: Path) -> None:
    def broken() -> None:
        raise RuntimeError("template exploded")

    server = ReportServer(broken, [study / "cases"], tmp_path / "out", port=0)
    state = server.rebuild()
    assert state.version == 1
    assert state.error == "RuntimeError: template exploded"


def test_the_watcher_thread_notices_a_change(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    server = ReportServer(
        lambda: tiny_build(study, out), [study / "cases"], out, port=0, interval=0.05
    )
    server.start()
    try:
        new_case = (study / "cases" / "m01.yaml").read_text(encoding="utf-8")
        (study / "cases" / "m03.yaml").write_text(
            new_case.replace("id: m01", "id: m03"), encoding="utf-8"
        )
        deadline = time.monotonic() + 20
        while server.state.version < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.state.version >= 2
        assert "m03" in fetch(server.url)[2]
    finally:
        server.stop()


def test_a_port_in_use_is_a_usage_error(server: ReportServer, tmp_path: Path) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    other = ReportServer(lambda: None, [], tmp_path / "other", port=port)
    with pytest.raises(ol_analysis.UsageError, match="cannot listen"):
        other.start()


def test_snapshot_sees_new_changed_and_removed_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("a")
    first = snapshot([tmp_path, tmp_path / "missing.yaml"])
    (tmp_path / "b.yaml").write_text("b")
    (tmp_path / ".a.yaml.swp").write_text("editor noise")
    second = snapshot([tmp_path])
    assert set(second) - set(first) == {str(tmp_path / "b.yaml")}
    (tmp_path / "a.yaml").unlink()
    assert set(snapshot([tmp_path])) == {str(tmp_path / "b.yaml")}


# --- the real build -------------------------------------------------------------------------------


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped study (framework and cases) that a test may edit."""
    target = tmp_path / "shipped"
    target.mkdir()
    shutil.copy(REPO / "framework.yaml", target / "framework.yaml")
    shutil.copytree(REPO / "cases", target / "cases")
    return target


def test_study_server_serves_the_built_report_and_follows_edits(shipped: Path) -> None:
    from ol_analysis.report.serve import study_server

    out = shipped / "build"
    server = study_server(
        shipped / "framework.yaml",
        shipped / "cases",
        shipped / "templates",
        out,
        port=0,
        interval=60,
        events=False,
    )
    server.start()
    try:
        assert server.state.error is None
        status, _type, index = fetch(server.url)
        assert status == 200
        assert "Vuur aan de schenen" in index
        assert fetch(server.url + "figures/network_c04.svg")[0] == 200
        case = shipped / "cases" / "c04.yaml"
        good = case.read_text(encoding="utf-8")
        retitled = re.sub(r"^title: .*$", "title: Vuur!", good, count=1, flags=re.M)
        case.write_text(retitled, "utf-8")
        assert server.check() is True  # the case's page first (version 2), then the rest
        assert version(server) == {"version": 3, "ok": True, "complete": True}
        assert "Vuur!" in fetch(server.url + "html/cases/c04.html")[2]
        case.write_text(good.replace("valence: positive", "valence: positief", 1), "utf-8")
        assert server.check() is True
        _status, _type, page = fetch(server.url + "html/cases/c04.html")
        assert "error[unknown-code]" in page
        assert "c04.yaml:" in page
        assert (out / "html" / "index.html").is_file()  # the last good build stays in place
    finally:
        server.stop()


def test_the_serve_command_prints_where_it_serves(shipped: Path) -> None:
    command = [sys.executable, "-m", "ol_analysis", "serve", "--port", "0"]
    process = subprocess.Popen(command, cwd=shipped, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # printed once the first build is served
        assert line.startswith("serving http://127.0.0.1:")
        url = line.split()[1]
        assert "Tot rust komen" in fetch(url)[2]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_each_rebuild_is_logged_with_what_changed_its_time_and_failure(
    study: Path, tmp_path: Path
) -> None:
    logged: list[str] = []
    outcome: list[Exception | None] = [None]

    def build() -> None:
        if outcome[0] is not None:
            raise outcome[0]

    server = ReportServer(build, [study / "cases"], tmp_path / "out", port=0, log=logged.append)
    server.rebuild()
    assert logged == []  # the first build is reported by the command that started the server
    server.rebuild()
    assert re.fullmatch(r"built in \d+\.\d s", logged[-1])
    case = next((study / "cases").glob("*.yaml"))
    case.write_text(case.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    outcome[0] = RuntimeError("template exploded")
    assert server.check()
    assert logged[-1].startswith(f"build failed after a change to {case}")
    assert logged[-1].endswith("RuntimeError: template exploded")
