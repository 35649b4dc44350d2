"""The two ways to edit a plan in place, measured on the same plan (issue 10's choice).

    python benchmarks/compare_editors.py benchmarks/out/plan_100000.xlsx --runs 3

Both do what a refresh needs of the package: the computed columns of Tactics written with a
format, a Dashboard sheet with a chart added, the file saved. Each run is a fresh process and
times only the edit (open → save), not reading or computing the plan:

    package   sheetplan's editor: a donor written by XlsxWriter, moved into the user's zip,
              every other part copied as its stored bytes, then verified (what refresh does)
    excelize  excelize-py (the Go Excelize library): open, set the cells and styles on
              Tactics, new sheet + add_chart, save_as — without the extra zip steps (strip
              old reports before, copy parts back after) that it needs to be safe, so this
              is its lower bound

For each it reports the median edit time, the child's peak memory, and how many of the
input's zip entries came out byte-identical. excelize is optional: pip install excelize.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGE = r"""
import io, sys, time
from datetime import datetime
from sheetplan import api, trend
from sheetplan.compute import compute
from sheetplan.package import verify
from sheetplan.package.editor import edit
from sheetplan.writer.context import RefreshContext
from sheetplan.writer.owned import write_owned
loaded = api.load_plan(sys.argv[1])
day = api.resolve_as_of(loaded.plan, None)
results = compute(loaded.plan, day, loaded.language)
ctx = RefreshContext(loaded=loaded, results=results, lang=loaded.language, as_of=day,
                     refreshed_at=datetime(2026, 12, 1), version="bench", trend=(),
                     problems=())
start = time.perf_counter()
donor = io.BytesIO()
owned, _ = write_owned(donor, ctx)
change = edit(loaded.path, owned, sys.argv[2])
verify.unchanged_except(loaded.path, sys.argv[2], change)
print(time.perf_counter() - start)
"""

EXCELIZE = r"""
import sys, time
import excelize
start = time.perf_counter()
f = excelize.open_file(sys.argv[1])
style = f.new_style(excelize.Style(num_fmt=10))
for col in "NOPQRST":
    f.set_cell_value("Tactics", f"{col}1", "Computed " + col)
    for row in range(2, int(sys.argv[3]) + 2):
        f.set_cell_float("Tactics", f"{col}{row}", row / 1000, 2, 64)
    f.set_cell_style("Tactics", f"{col}2", f"{col}{int(sys.argv[3]) + 1}", style)
f.new_sheet("Dashboard")
for i, v in enumerate([3, 5, 2, 8], start=1):
    f.set_cell_value("Dashboard", f"A{i}", f"KPI {i}")
    f.set_cell_value("Dashboard", f"B{i}", v)
f.add_chart("Dashboard", "D2", excelize.Chart(type=excelize.ChartType.Bar, series=[
    excelize.ChartSeries(name="Dashboard!$B$1", categories="Dashboard!$A$1:$A$4",
                         values="Dashboard!$B$1:$B$4")]))
f.save_as(sys.argv[2])
f.close()
print(time.perf_counter() - start)
"""


def run(code: str, plan: Path, out: Path, tactics: int) -> tuple[float, float]:
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(plan), str(out), str(tactics)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    output = process.stdout.read().decode().strip()
    if status != 0:
        raise SystemExit(process.stderr.read().decode())
    return float(output.splitlines()[-1]), usage.ru_maxrss / 1024


def identical(plan: Path, out: Path) -> tuple[int, int]:
    with zipfile.ZipFile(plan) as a, zipfile.ZipFile(out) as b:
        new = {i.filename: (i.CRC, i.file_size) for i in b.infolist()}
        old = [(i.filename, (i.CRC, i.file_size)) for i in a.infolist()]
    return sum(1 for name, key in old if new.get(name) == key), len(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import python_calamine

    tactics = len(python_calamine.CalamineWorkbook.from_path(str(args.plan))
                  .get_sheet_by_name("Tactics").to_python()) - 1  # fmt: skip
    cases = {"package": PACKAGE}
    try:
        import excelize  # noqa: F401

        cases["excelize"] = EXCELIZE
    except ImportError:
        print("excelize is not installed: only the package editor is measured")
    print("| editor | edit s (median) | runs | peak MB | entries byte-identical |")
    print("|---|---:|---|---:|---:|")
    for name, code in cases.items():
        out = args.plan.with_name(f"compare_{name}.xlsx")
        samples = [run(code, args.plan, out, tactics) for _ in range(args.runs)]
        times = [s[0] for s in samples]
        same, total = identical(args.plan, out)
        print(
            f"| {name} | {statistics.median(times):.2f} | "
            f"{' / '.join(f'{t:.2f}' for t in times)} | "
            f"{statistics.median(s[1] for s in samples):.0f} | {same} of {total} |"
        )


if __name__ == "__main__":
    main()
