"""Speed and memory of `validate`, `build` and `serve`, as ratios to the floor of parsing the
same files, all measured in one run.

    python benchmarks/run.py [--sizes 100 1000 10000] [--kinds synthetic replicated]
                             [--workdir /tmp/ol-bench] [--skip-full-above N]

The floor is merely parsing every case file with libyaml's C parser (PyYAML ``CSafeLoader``).
Each measurement runs in a fresh process (timing the work, not the interpreter's start) and
reports its peak resident memory. Two kinds of study: ``synthetic`` (benchmarks/generate.py)
and ``replicated`` (the eleven shipped cases copied under new ids). Columns: validate; Markdown
+ HTML; the full default build (every format, an empty output folder, so no cached figure);
a rebuild after one case changed (the same output folder: cached figures); serve's reload
latency (save a case → its new page is published), and "all pages" (save → the whole build,
chapters included, is published); peak memory of the full build. Goals (issue 12):
validate ≤ 1.5×, Markdown + HTML ≤ 3×, full build ≤ 10× at 600 and 10,000 cases, rebuild
≤ 5×, reload within 1 s at 600 cases, peak < 1 GB at 10,000, time per case flat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

_FLOOR = """
import time, pathlib, yaml
files = sorted(pathlib.Path(STUDY, "cases").glob("*.yaml"))
start = time.perf_counter()
for f in files:
    yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
elapsed = time.perf_counter() - start
"""
_VALIDATE = """
import time, pathlib
from ol_analysis.core.study import check_study
start = time.perf_counter()
check = check_study(pathlib.Path(STUDY, "framework.yaml"), None, pathlib.Path(STUDY, "cases"),
                    keep_cases=False)
elapsed = time.perf_counter() - start
assert check.ok, check.diagnostics[:3]
"""
_BUILD = """
import time, pathlib, tempfile
import ol_analysis
from ol_analysis.report.build import build_report
start = time.perf_counter()
study = ol_analysis.load_study(STUDY)
build_report(study, pathlib.Path(tempfile.mkdtemp()), formats=("md", "html"))
elapsed = time.perf_counter() - start
"""
_FULL = """
import time, pathlib
import ol_analysis
from ol_analysis.report.build import build_report
out = pathlib.Path(STUDY, "build-bench")
import shutil; shutil.rmtree(out, ignore_errors=True)
steps, last = {}, [None, 0.0]
def progress(step, done, total):
    now = time.perf_counter()
    if last[0] is not None:
        steps[last[0]] = round(now - last[1], 2)
    last[0], last[1] = step, now
start = time.perf_counter()
study = ol_analysis.load_study(STUDY)
steps["load"] = round(time.perf_counter() - start, 2)
build_report(study, out, progress=progress)
elapsed = time.perf_counter() - start
"""
_REBUILD = """
import time, pathlib
import ol_analysis
from ol_analysis.report.build import build_report
out = pathlib.Path(STUDY, "build-bench")
case = sorted(pathlib.Path(STUDY, "cases").glob("*.yaml"))[0]
text = case.read_text(encoding="utf-8")
import re
case.write_text(re.sub(r"(?m)^title: .*$", 'title: "Herzien"', text, count=1), encoding="utf-8")
try:
    start = time.perf_counter()
    study = ol_analysis.load_study(STUDY)
    build_report(study, out)
    elapsed = time.perf_counter() - start
finally:
    case.write_text(text, encoding="utf-8")
"""
_RELOAD = """
import time, pathlib
from ol_analysis.report.serve import study_server
root = pathlib.Path(STUDY)
server = study_server(root / "framework.yaml", root / "cases", root / "templates",
                      root / "build-serve", port=0, interval=0.05)
server.start()
case = sorted((root / "cases").glob("*.yaml"))[0]
text = case.read_text(encoding="utf-8")
version = server.state.version
import re
case.write_text(re.sub(r"(?m)^title: .*$", 'title: "Herzien"', text, count=1), encoding="utf-8")
start = time.perf_counter()
try:
    page = server.next_state(version, timeout=600)
    elapsed = time.perf_counter() - start
    whole = page
    while not whole.complete and time.perf_counter() - start < 600:
        whole = server.next_state(whole.version, timeout=600)
    complete = time.perf_counter() - start
finally:
    case.write_text(text, encoding="utf-8")
    server.stop()
"""
_REPORT = """
import json, resource
print(json.dumps({"seconds": elapsed, "complete": globals().get("complete"),
                  "steps": globals().get("steps"),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(code: str, study: Path) -> dict[str, float]:
    program = f"STUDY = {str(study)!r}\n{code}\n{_REPORT}"
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr else "failed"}  # type: ignore[dict-item]
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def cold_start_validate() -> float:
    """Median wall-clock of the whole `ol-analysis validate` command on the shipped study."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ol_analysis", "validate"],
            cwd=REPO,
            check=False,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def replicated_study(out: Path, size: int) -> None:
    """The shipped cases copied under new ids (c01 → c01x7) until there are ``size``."""
    import shutil

    shutil.rmtree(out, ignore_errors=True)
    (out / "cases").mkdir(parents=True)
    shutil.copy(REPO / "framework.yaml", out / "framework.yaml")
    shipped = sorted((REPO / "cases").glob("c*.yaml"))
    for index in range(size):
        source = shipped[index % len(shipped)]
        new_id = f"{source.stem}x{index // len(shipped)}"
        text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", f"id: {new_id}", 1)
        (out / "cases" / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def _ratio(result: dict[str, float], floor: float) -> str:
    seconds = result.get("seconds")
    return f"{seconds:8.2f} {seconds / floor:6.1f}" if seconds else f"{'n/a':>8} {'':>6}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--kinds", nargs="+", default=["synthetic", "replicated"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ol-bench"))
    parser.add_argument(
        "--skip-full-above", type=int, default=None, help="Measure the full build up to N cases."
    )
    parser.add_argument(
        "--edits-up-to",
        type=int,
        default=None,
        help="Measure the rebuild after an edit and serve's reload up to N cases.",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import write_study

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"cold start `ol-analysis validate` on the shipped study: {cold_start_validate():.3f} s")
    columns = ("validate", "md+html", "full build", "rebuild 1", "reload")
    print(
        f"{'kind':>10} {'cases':>6} {'floor s':>8} "
        + " ".join(f"{name + ' s':>8} {'×':>6}" for name in columns)
        + f" {'all pages s':>11} {'ms/case full':>12} {'peak MB':>8}"
    )
    for kind in args.kinds:
        for size in args.sizes:
            study = args.workdir / f"{kind}-{size}"
            cases = study / "cases"
            if not cases.is_dir() or len(list(cases.glob("*.yaml"))) != size:
                if kind == "synthetic":
                    write_study(REPO / "framework.yaml", study, size)
                else:
                    replicated_study(study, size)
            floor = measure(_FLOOR, study)
            if "error" in floor:
                print(f"{kind:>10} {size:>6} error: {floor['error']}")
                continue
            full_too = args.skip_full_above is None or size <= args.skip_full_above
            results = [measure(_VALIDATE, study), measure(_BUILD, study)]
            edits_too = full_too and (args.edits_up_to is None or size <= args.edits_up_to)
            results += [measure(_FULL, study) if full_too else {}]
            if edits_too:
                results += [measure(_REBUILD, study), measure(_RELOAD, study)]
            else:
                results += [{}, {}]
            full = results[2].get("seconds")
            per_case = f"{1000 * full / size:12.1f}" if full else f"{'n/a':>12}"
            peak = max((r.get("peak_mb", 0) for r in results), default=0)
            complete = results[4].get("complete")
            every_page = f"{complete:11.2f}" if complete else f"{'n/a':>11}"
            print(
                f"{kind:>10} {size:>6} {floor['seconds']:8.2f} "
                + " ".join(_ratio(r, floor["seconds"]) for r in results)
                + f" {every_page} {per_case} {peak:8.0f}"
            )
            for name, result in zip(columns, results, strict=True):
                if "error" in result:
                    print(f"        {name}: {result['error']}")
            peaks = [
                f"{name} {result['peak_mb']:.0f}"
                for name, result in zip(columns, results, strict=True)
                if "peak_mb" in result
            ]
            print(f"        peak MB per run: {', '.join(peaks)}")
            if results[2].get("steps"):
                where = ", ".join(f"{step} {s:.2f}" for step, s in results[2]["steps"].items())
                print(f"        full build, s per step: {where}")


if __name__ == "__main__":
    main()
