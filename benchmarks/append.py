"""Appending to the Actuals log in place (sheetplan.package.append), against a refresh of
the same plan, each in a fresh process, interleaved, median of several runs.

    python benchmarks/append.py                     # 10,000 rows onto a 100,000-row log, 5 runs
    python benchmarks/append.py --log 1000000 --rows 10000 --runs 3

append  append_log + verify.appended_only (what an import's write costs), output to a file
refresh `sheetplan refresh plan_N.xlsx -o out.xlsx --no-backup` on the same plan

Machines are noisy: compare the ratio from one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from run import OUT, write_plan

APPEND = """
import sys, time
from datetime import date, timedelta
from pathlib import Path
from sheetplan.package import verify
from sheetplan.package.append import LogChange, LogRow, append_log

source, target = Path(sys.argv[1]), Path(sys.argv[2])
log, count = int(sys.argv[3]), int(sys.argv[4])
rows = tuple(
    LogRow(date(2027, 1, 1) + timedelta(days=i // 600), f"K{i % 100}", i * 1.5, "WeChat",
           f"wechat:post/{i}", "=risky" if i % 1000 == 0 else None)
    for i in range(count)
)
columns = {"date": 0, "kpi_id": 1, "actual_value": 2, "channel": 3, "source": 4, "notes": 5}
updates = tuple((2 + i * (log // 100), 1.0 + i) for i in range(100))
change = LogChange("Actuals", 1, columns, log + 1, rows, updates)
edit = append_log(source, target, change)
verify.appended_only(source, target, edit)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--log", type=int, default=100_000, help="rows in the plan's log")
    parser.add_argument("--rows", type=int, default=10_000, help="rows appended")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    plan = OUT / f"plan_{args.log}.xlsx"
    if not plan.exists():
        write_plan(plan, args.log)
    out = OUT / "appended.xlsx"
    cases = {
        "append": [sys.executable, "-c", APPEND, plan, out, str(args.log), str(args.rows)],
        "refresh": [
            sys.executable,
            "-m",
            "sheetplan",
            "refresh",
            plan,
            "-o",
            OUT / "refreshed.xlsx",
            "--no-backup",
        ],
    }
    times: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(args.runs):
        for case, command in cases.items():
            start = time.perf_counter()
            subprocess.run([str(c) for c in command], check=True, capture_output=True)
            times[case].append(time.perf_counter() - start)
    median = {case: statistics.median(values) for case, values in times.items()}
    print(f"{args.rows:,} rows onto a {args.log:,}-row log, median of {args.runs} runs")
    for case, seconds in median.items():
        print(f"  {case:8} {seconds:6.2f} s  {seconds / median['refresh']:5.2f}x refresh")


if __name__ == "__main__":
    main()
