"""``ol-analysis serve``: the HTML report on localhost, rebuilt and reloaded while you edit.

A watcher thread waits for the file system's events on the framework, the case files, the
templates and the memos (watchfiles: inotify on Linux, FSEvents on macOS; it falls back to
polling their modification times where events are not available); on a change it rebuilds, the
saved case's page first (:mod:`ol_analysis.report.live`). Pages are served from the output
folder by the standard library's HTTP server, bound to 127.0.0.1 only. Every HTML page gets a
small script injected on the way out (the files on disk stay as ``build`` wrote them) that asks
``/__version`` for the next build (a long poll: the answer comes when the build does) and
reloads. When a build fails — a broken case file, a template error — every page shows the
diagnostics instead, and the server keeps running until the file is fixed.
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from ol_analysis.diagnostics import format_text
from ol_analysis.errors import OlAnalysisError, StudyError, UsageError
from ol_analysis.safe_write import ensure_folder

if TYPE_CHECKING:
    from ol_analysis.report.build import Progress

VERSION_PATH = "/__version"
POLL_SECONDS = 0.5
"""How often the watcher looks at the files when it has no events (and as a safety net)."""
LONG_POLL_SECONDS = 20.0
"""How long ``/__version?after=N`` waits for a build other than N before it answers anyway."""
DEBOUNCE_MS = 30
"""Events this close together are one save (an editor writes a file in several steps)."""
RELOAD_SCRIPT = """<script>/* ol-analysis serve: live reload */
(function () {
  var seen = %d;
  function poll() {
    fetch("%s?after=" + seen, {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (d) { if (d.version !== seen) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
</script>"""
ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed — ol-analysis</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}
pre{background:#fff4f4;border-left:4px solid #c33;padding:1rem;white-space:pre-wrap}</style>
</head><body><h1>The report could not be built</h1>
<p>Fix the problem below and save; this page reloads by itself.</p>
<pre>%s</pre></body></html>"""


Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """(mtime, size) of every file under the given files and folders; missing ones are absent."""
    found: Snapshot = {}
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for file in files:
            try:
                stat = file.stat()
            except OSError:
                continue
            if file.is_file() and not file.name.startswith((".", "~")):
                found[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return found


def describe_failure(error: BaseException) -> str:
    """The text a failed build shows in the page: diagnostics in the compiler format."""
    if isinstance(error, StudyError):
        return "\n".join(format_text(d) for d in error.diagnostics) or str(error)
    if isinstance(error, OlAnalysisError):
        return str(error)
    return f"{type(error).__name__}: {error}"


@dataclass
class BuildState:
    """What the server knows about the latest build; ``version`` grows with every build.

    ``complete`` is False while only the saved cases' pages are new and the rest of the
    report is being built (:mod:`ol_analysis.report.live`)."""

    version: int = 0
    error: str | None = None
    complete: bool = True


class ReportServer:
    """Serve ``root`` (the build output), rebuilding when a watched file changes.

    ``build`` writes the report (raising on problems); ``watched`` are the framework file and
    the case and template folders; ``index`` is the page ``/`` redirects to, relative to root.
    ``quick``, when given, is offered the changed files first: when it returns True (it wrote
    the pages they change), that is published as a build of its own before ``build`` runs.
    ``events=False`` polls every ``interval`` seconds instead of waiting for the file
    system's events; ``interval`` is also how often the watcher looks when there are none.
    """

    def __init__(
        self,
        build: Callable[[], object],
        watched: Iterable[Path],
        root: Path,
        *,
        index: str = "html/index.html",
        host: str = "127.0.0.1",
        port: int = 8000,
        interval: float = POLL_SECONDS,
        log: Callable[[str], None] | None = None,
        quick: Callable[[Sequence[str]], bool] | None = None,
        events: bool = True,
    ) -> None:
        self.build = build
        self.quick = quick
        self.events = events
        self.log = log or (lambda _message: None)
        self.watched = [Path(p) for p in watched]
        self.root = Path(root)
        self.index = index
        self.interval = interval
        self.state = BuildState()
        self._lock = threading.Lock()
        self._published = threading.Condition(self._lock)
        self._building = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._seen: Snapshot = {}
        self._host, self._port = host, port
        self._http: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        if self._http is None:
            return f"http://{self._host}:{self._port}/"
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}/"

    def rebuild(self) -> BuildState:
        """Build once (now) and record the outcome; never raises for a broken study. Each
        rebuild after the first is logged with what changed, how long it took and, if it
        failed, why (the first build is reported by whoever started the server)."""
        with self._building:
            before, self._seen = self._seen, snapshot(self.watched)
            changed = sorted(set(before.items()) ^ set(self._seen.items()))
            names = sorted({path for path, _stat in changed}) if before else []
            what = f" after a change to {', '.join(names[:3])}" if names else ""
            what += f" and {len(names) - 3} more" if len(names) > 3 else ""
            started = time.perf_counter()
            if names and self.state.error is None and self._quick(names):
                seconds = time.perf_counter() - started
                self.log(f"page{'s' if len(names) > 1 else ''} rebuilt{what} in {seconds:.2f} s")
                self._publish(None, complete=False)
            error = self._build()
            seconds = time.perf_counter() - started
            if self.state.version == 0:
                pass  # the first build is reported by whoever started the server
            elif error is None:
                self.log(f"built{what} in {seconds:.1f} s")
            else:
                first = error.strip().splitlines()[0] if error.strip() else "unknown error"
                self.log(f"build failed{what} ({seconds:.1f} s): {first}")
            return self._publish(error, complete=True)

    def _quick(self, names: Sequence[str]) -> bool:
        if self.quick is None:
            return False
        try:
            return self.quick(names)
        except Exception:  # the whole build that follows reports what went wrong
            return False

    def _build(self) -> str | None:
        try:
            self.build()
        except Exception as failure:  # a dev server shows any failure in the page
            return describe_failure(failure)
        return None

    def _publish(self, error: str | None, *, complete: bool) -> BuildState:
        with self._published:
            self.state = BuildState(self.state.version + 1, error, complete)
            self._published.notify_all()
            return self.state

    def next_state(self, after: int, timeout: float = LONG_POLL_SECONDS) -> BuildState:
        """The state once its version differs from ``after`` (or after ``timeout`` seconds)."""
        with self._published:
            self._published.wait_for(
                lambda: self.state.version != after or self._stop.is_set(), timeout
            )
            return self.state

    def check(self) -> bool:
        """Rebuild if a watched file changed since the last build; True if it rebuilt."""
        if snapshot(self.watched) == self._seen:
            return False
        self.rebuild()
        return True

    def start(self) -> None:
        """Build, bind the port and serve and watch in background threads."""
        self.rebuild()
        ensure_folder(self.root, "output folder")
        try:
            self._http = ThreadingHTTPServer((self._host, self._port), self._handler())
        except (OSError, OverflowError) as error:
            raise UsageError(f"cannot listen on {self._host}:{self._port}: {error}") from None
        self._http.daemon_threads = True
        self._threads = [
            threading.Thread(
                target=self._http.serve_forever, args=(0.1,), name="serve-http", daemon=True
            ),
            threading.Thread(target=self._watch, name="serve-watch", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        with self._published:
            self._published.notify_all()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def wait(self) -> None:
        """Block until :meth:`stop` is called (or the process is interrupted)."""
        self._stop.wait()

    def _watch(self) -> None:
        if self.events:
            self._wait_for_events()
        while not self._stop.wait(self.interval):
            self.check()

    def _wait_for_events(self) -> None:
        """Rebuild on the file system's events until stopped; returns early (to polling) when
        events are not available. The watch is made anew after each change, so that a file
        an editor replaced (written aside, then renamed) and a folder that appeared are
        watched too; between events the files are still looked at every ``interval``."""
        import watchfiles

        while not self._stop.is_set():
            roots = [p for p in self.watched if p.exists()]
            if not roots:
                return
            try:
                for _changes in watchfiles.watch(
                    *roots,
                    stop_event=self._stop,
                    debounce=DEBOUNCE_MS,
                    step=10,
                    rust_timeout=max(1, int(self.interval * 1000)),
                    yield_on_timeout=True,
                    raise_interrupt=False,
                ):
                    if self.check():
                        break
            except (OSError, RuntimeError):
                return  # no events here (a full inotify table, say): poll instead

    def _handler(self) -> type[SimpleHTTPRequestHandler]:
        server = self

        class Handler(_Handler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                self.report = server
                super().__init__(*args, directory=str(server.root), **kwargs)

        return Handler


def _after(path: str) -> int | None:
    """The ``after`` of ``/__version?after=N``: the version the page shows."""
    query = parse_qs(urlsplit(path).query)
    try:
        return int(query["after"][0])
    except (KeyError, IndexError, ValueError):
        return None


class _Handler(SimpleHTTPRequestHandler):
    report: ReportServer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        state = self.report.state
        if path == VERSION_PATH:
            after = _after(self.path)
            if after is not None:
                state = self.report.next_state(after)
            body = json.dumps(
                {"version": state.version, "ok": state.error is None, "complete": state.complete}
            )
            self._send(HTTPStatus.OK, "application/json", body.encode())
        elif path == "/favicon.ico" and not (self.report.root / "favicon.ico").is_file():
            self.send_response(HTTPStatus.NO_CONTENT)  # no icon, and no 404 in the console
            self.end_headers()
        elif path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", "/" + self.report.index)
            self.end_headers()
        elif state.error is not None and path.endswith((".html", "/")):
            page = ERROR_PAGE % html.escape(state.error)
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self._inject(page, state))
        elif path.endswith(".html"):
            self._send_page(path, state)
        else:
            super().do_GET()

    def _send_page(self, path: str, state: BuildState) -> None:
        file = Path(self.translate_path(path))
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self.send_error(HTTPStatus.NOT_FOUND, "page not found")
            return
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", self._inject(text, state))

    @staticmethod
    def _inject(page: str, state: BuildState) -> bytes:
        script = RELOAD_SCRIPT % (state.version, VERSION_PATH)
        head, marker, tail = page.rpartition("</body>")
        text = f"{head}{script}{marker}{tail}" if marker else page + script
        return text.encode("utf-8")

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the library never prints; the command line says where it serves."""


def study_server(
    framework: Path,
    cases: Path,
    templates: Path,
    out: Path,
    *,
    lang: str = "nl",
    port: int = 8000,
    interval: float = POLL_SECONDS,
    log: Callable[[str], None] | None = None,
    statuses: Sequence[str] | None = None,
    include_drafts: bool = False,
    events: bool = True,
    progress: Progress | None = None,
) -> ReportServer:
    """A server for a study folder: after a save, the saved case's page first, then the whole
    build of what the browser shows (HTML and its figures; no DOCX), with the caches of
    ``out`` (:mod:`ol_analysis.report.live`). ``statuses`` and ``include_drafts`` choose the
    cases counted, as for ``load_study``; ``progress`` is told the first build's steps."""
    from ol_analysis.core.memos import MEMOS_FOLDER
    from ol_analysis.report.live import LiveBuild

    live = LiveBuild(
        framework,
        cases,
        templates,
        out,
        lang=lang,
        statuses=statuses,
        include_drafts=include_drafts,
    )
    first = [progress]

    def build() -> None:
        live.full(first.pop() if first else None)

    watched = [framework, cases, templates, framework.parent / MEMOS_FOLDER]
    return ReportServer(
        build,
        watched,
        out,
        port=port,
        interval=interval,
        log=log,
        quick=live.quick,
        events=events,
    )
