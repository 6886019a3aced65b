"""Speed and memory of `validate` and `build`, as ratios to the floor of parsing the same files.

    python benchmarks/run.py [--sizes 100 1000 10000] [--workdir /tmp/ol-bench]

The floor is merely parsing every case file with libyaml's C parser (PyYAML ``CSafeLoader``).
Each measurement runs in a fresh process (timing the work, not the interpreter's start) and
reports its peak resident memory. Goals (issue 8): validate ≤ 2× the floor, build (Markdown +
HTML) ≤ 4× the floor, time per case flat from 100 to 10,000 cases, peak memory < 1 GB at 10,000,
and `ol-analysis validate` on the shipped study ≤ 0.5 s from a cold start.
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
_REPORT = """
import json, resource
print(json.dumps({"seconds": elapsed,
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ol-bench"))
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from generate import write_study

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"cold start `ol-analysis validate` on the shipped study: {cold_start_validate():.3f} s")
    header = (
        f"{'cases':>7} {'floor s':>9} {'validate s':>11} {'ratio':>6} {'build s':>9} "
        f"{'ratio':>6} {'ms/case val':>12} {'ms/case build':>14} {'peak MB':>8}"
    )
    print(header)
    for size in args.sizes:
        study = args.workdir / f"study-{size}"
        if not (study / "cases").is_dir() or len(list((study / "cases").glob("*.yaml"))) != size:
            write_study(REPO / "framework.yaml", study, size)
        floor = measure(_FLOOR, study)
        validate = measure(_VALIDATE, study)
        build = measure(_BUILD, study)
        if "error" in validate or "error" in floor:
            print(f"{size:>7} error: {validate.get('error') or floor.get('error')}")
            continue
        build_s = build.get("seconds")
        build_text = (
            f"{build_s:9.2f} {build_s / floor['seconds']:6.2f}"
            if build_s
            else (f"{'n/a':>9} {'':>6}")
        )
        peak = max(validate["peak_mb"], build.get("peak_mb", 0))
        per_build = f"{1000 * build_s / size:14.2f}" if build_s else f"{'n/a':>14}"
        print(
            f"{size:>7} {floor['seconds']:9.2f} {validate['seconds']:11.2f} "
            f"{validate['seconds'] / floor['seconds']:6.2f} {build_text} "
            f"{1000 * validate['seconds'] / size:12.2f} {per_build} {peak:8.0f}"
        )
        if "error" in build:
            print(f"        build: {build['error']}")


if __name__ == "__main__":
    main()
