"""Measure sheetplan against a floor measured in the same run, as ratios.

    python benchmarks/run.py                       # 1k, 10k, 100k Actuals rows, 5 runs each
    python benchmarks/run.py --sizes 1000 --runs 3
    python benchmarks/run.py --jobs-bench          # refresh --jobs 1 vs 2: 20 small, 4 large plans

For each size it writes a plan (benchmarks/out/plan_N.xlsx), then runs every case in a fresh
process, interleaved, several times, and prints the median wall time and peak memory (RSS) of
each case and its ratio to the baseline:

    read    baseline of check: read every cell of every sheet with python-calamine, nothing else
    check   `sheetplan check plan_N.xlsx`
    summary `sheetplan summary plan_N.xlsx --json` (check's work plus the whole engine)
    floor   baseline of refresh: read every cell as `read` does, then write the same cells
            with XlsxWriter (typed write calls, a date format), nothing else
    refresh `sheetplan refresh plan_N.xlsx -o out.xlsx --no-backup`
    formatted `sheetplan check` on the same plan with 50,000 formatted empty cells below the
            Tactics (as Excel and LibreOffice save a sheet formatted down to row 4,000);
            its baseline is `check` on the plan without them
    posts   `sheetplan refresh` on a plan of the same size whose log is per post, as
            `sheetplan import` writes it: many rows share date, KPI and channel and differ
            in Source; its baseline is `posts_floor`, the floor on that plan
    import  `sheetplan import` of an X content export of IMPORTED rows (one mapped column)
            into a copy of the plan (the copy, a few milliseconds, is inside the time); its
            baseline is `floor`
    imported `sheetplan refresh` of that plan after the import (Actuals rows + IMPORTED);
            its baseline is `imported_floor`, the floor on the same file

Machines are noisy: compare ratios from one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

BARE_READ = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
cells = 0
for name in book.sheet_names:
    for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
        cells += len(row)
"""

FLOOR = """
import sys, datetime, python_calamine, xlsxwriter
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
grids = [(n, book.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in book.sheet_names]
out = xlsxwriter.Workbook(sys.argv[2], {"strings_to_formulas": False, "strings_to_urls": False,
                                       "strings_to_numbers": False})
day = out.add_format({"num_format": "yyyy-mm-dd"})
for name, grid in grids:
    sheet = out.add_worksheet(name)
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            kind = type(value)
            if kind is str:
                if value:
                    sheet.write_string(r, c, value)
            elif kind is float:
                sheet.write_number(r, c, value)
            elif kind is datetime.date or kind is datetime.datetime:
                sheet.write_datetime(r, c, value, day)
            elif kind is bool:
                sheet.write_boolean(r, c, value)
out.close()
"""

IMPORT = """
import shutil, sys
shutil.copyfile(sys.argv[1], sys.argv[2])
from sheetplan.cli import main
main(["import", sys.argv[2], sys.argv[3], "--no-backup"])
"""

UNIQUE_KEYS = 184 * 100 * 6
"""(date, KPI, channel) pairs of the benchmark log: 184 days × 100 KPIs × 6 channels."""

IMPORTED = 10_000
"""Posts in the export the import cases bring in."""

CASES: dict[str, list[str]] = {
    "read": [sys.executable, "-c", BARE_READ, "{plan}"],
    "check": [sys.executable, "-m", "sheetplan", "check", "{plan}"],
    "summary": [sys.executable, "-m", "sheetplan", "summary", "{plan}", "--json"],
    "formatted": [sys.executable, "-m", "sheetplan", "check", "{formatted}"],
    "floor": [sys.executable, "-c", FLOOR, "{plan}", "{out}"],
    "refresh": [
        sys.executable,
        "-m",
        "sheetplan",
        "refresh",
        "{plan}",
        "-o",
        "{out}",
        "--no-backup",
    ],
    "posts_floor": [sys.executable, "-c", FLOOR, "{posts}", "{out}"],
    "posts": [
        sys.executable,
        "-m",
        "sheetplan",
        "refresh",
        "{posts}",
        "-o",
        "{out}",
        "--no-backup",
    ],
    "import": [sys.executable, "-c", IMPORT, "{plan}", "{out}", "{export}"],
    "imported_floor": [sys.executable, "-c", FLOOR, "{imported}", "{out}"],
    "imported": [
        sys.executable,
        "-m",
        "sheetplan",
        "refresh",
        "{imported}",
        "-o",
        "{out}",
        "--no-backup",
    ],
}
"""Each case runs in a fresh process; {plan} is the input, {formatted} the same plan with
FORMATTED_EMPTY formatted empty cells, {posts} a plan with a per-post log of the same length,
{export} an X export of IMPORTED posts, {imported} the plan after importing it, {out} a
scratch output path."""
FORMATTED_EMPTY = 50_000
BASELINE_OF = {
    "read": "read",
    "check": "read",
    "summary": "read",
    "formatted": "check",
    "floor": "floor",
    "refresh": "floor",
    "posts_floor": "posts_floor",
    "posts": "posts_floor",
    "import": "floor",
    "imported_floor": "imported_floor",
    "imported": "imported_floor",
}
"""Each case is compared with the baseline that does the same file work and nothing else."""


FINDS_ERRORS = ("check", "summary", "formatted")
"""Cases whose exit status 1 reports data errors; for every other case it means the command
refused the file, which must stop the benchmark rather than be timed as a fast run."""


@dataclass
class Sample:
    seconds: float
    peak_mb: float


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="Actuals rows, comma-separated"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median reported)")
    parser.add_argument("--cases", default=",".join(CASES), help="cases to run")
    parser.add_argument(
        "--jobs-bench",
        action="store_true",
        help="instead: `refresh --jobs 1` vs `--jobs 2` on 20 small and 4 large plans",
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.jobs_bench:
        jobs_bench(args.runs)
        return
    cases = args.cases.split(",")
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        plan = OUT / f"plan_{size}.xlsx"
        if not plan.exists():
            write_plan(plan, size)
        formatted = formatted_path(plan)
        if "formatted" in cases and not formatted.exists():
            write_plan(formatted, size, formatted_empty=FORMATTED_EMPTY)
        posts = posts_path(plan)
        if {"posts", "posts_floor"} & set(cases) and not posts.exists():
            write_plan(posts, size, per_post=True)
        if {"import", "imported", "imported_floor"} & set(cases):
            prepare_import(plan)
        samples = measure(plan, cases, args.runs)
        rows.append((size, samples))
    print_table(rows, cases, args.runs)


def measure(plan: Path, cases: list[str], runs: int) -> dict[str, list[Sample]]:
    samples: dict[str, list[Sample]] = {case: [] for case in cases}
    for case in cases:  # one warm-up each, not counted (page cache, .pyc files)
        run_case(case, plan)
    for repetition in range(runs):
        order = cases[repetition % len(cases) :] + cases[: repetition % len(cases)]
        for case in order:
            samples[case].append(run_case(case, plan))
    return samples


def run_case(case: str, plan: Path) -> Sample:
    out = OUT / f"out_{case}_{plan.name}"
    command = [
        part.replace("{plan}", str(plan))
        .replace("{formatted}", str(formatted_path(plan)))
        .replace("{posts}", str(posts_path(plan)))
        .replace("{export}", str(export_path(plan)))
        .replace("{imported}", str(imported_path(plan)))
        .replace("{out}", str(out))
        for part in CASES[case]
    ]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and not (code == 1 and case in FINDS_ERRORS):
        raise SystemExit(f"{case} failed with exit {code}: {stderr.strip()}")
    return Sample(seconds, usage.ru_maxrss / 1024)


def print_table(
    rows: list[tuple[int, dict[str, list[Sample]]]], cases: list[str], runs: int
) -> None:
    print(f"\nmedian of {runs} runs per case; each ratio is to the case's baseline, same run\n")
    print(
        "| Actuals rows | case | wall s (median) | min–max | baseline | × baseline | peak MB",
        end="",
    )
    print(" | × baseline |")
    print("|---:|---|---:|---:|---|---:|---:|---:|")
    for size, samples in rows:
        for case in cases:
            base = BASELINE_OF[case]
            times = [s.seconds for s in samples[case]]
            t = statistics.median(times)
            peak = statistics.median(s.peak_mb for s in samples[case])
            if base in samples:
                base_t = statistics.median(s.seconds for s in samples[base])
                base_m = statistics.median(s.peak_mb for s in samples[base])
                ratio_t, ratio_m = f"{t / base_t:.2f}", f"{peak / base_m:.2f}"
            else:
                ratio_t = ratio_m = "–"
            print(
                f"| {size:,} | {case} | {t:.3f} | {min(times):.3f}–{max(times):.3f} | {base} "
                f"| {ratio_t} | {peak:.0f} | {ratio_m} |"
            )


JOB_SETS = {"20 small (1,000 rows)": (20, 1000), "4 large (100,000 rows)": (4, 100_000)}


def jobs_bench(runs: int) -> None:
    """`refresh --jobs 1` against `--jobs 2` (and the pool forced on, to show what the
    automatic choice avoids) on many small and a few large plans, interleaved, fresh
    processes."""
    rows = []
    for label, (count, size) in JOB_SETS.items():
        folder = OUT / f"jobs_{count}x{size}"
        folder.mkdir(exist_ok=True)
        source = OUT / f"plan_{size}.xlsx"
        if not source.exists():
            write_plan(source, size)
        plans = []
        for i in range(count):
            plan = folder / f"plan_{i:02}.xlsx"
            if not plan.exists():
                plan.write_bytes(source.read_bytes())
            plans.append(str(plan))
        out = folder / "out"
        out.mkdir(exist_ok=True)
        base = [sys.executable, "-m", "sheetplan", "refresh", *plans, "-o", str(out)]
        forced = "import sheetplan.cli as c; c.PARALLEL_FROM_SECONDS = 0; c.main()"
        cases = {
            "--jobs 1": [*base, "--no-backup", "--jobs", "1"],
            "--jobs 2": [*base, "--no-backup", "--jobs", "2"],
            "--jobs 2, pool forced": [
                sys.executable,
                "-c",
                forced,
                *base[3:],
                "--no-backup",
                "--jobs",
                "2",
            ],
        }
        times: dict[str, list[float]] = {case: [] for case in cases}
        for repetition in range(runs + 1):
            for case, command in cases.items():
                start = time.perf_counter()
                subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if repetition:  # the first round warms the page cache
                    times[case].append(time.perf_counter() - start)
        rows.append((label, times))
    print(f"\nmedian of {runs} runs per case\n")
    print("| plans | case | wall s (median) | min–max | × --jobs 1 |")
    print("|---|---|---:|---:|---:|")
    for label, times in rows:
        serial = statistics.median(times["--jobs 1"])
        for case, values in times.items():
            t = statistics.median(values)
            print(
                f"| {label} | `refresh {case}` | {t:.2f} | {min(values):.2f}–{max(values):.2f} "
                f"| {t / serial:.2f} |"
            )


def formatted_path(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}_formatted{plan.suffix}")


def export_path(plan: Path) -> Path:
    return plan.with_name(f"account_analytics_content_{plan.stem}.csv")


def imported_path(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}_imported{plan.suffix}")


def prepare_import(plan: Path) -> None:
    """The export (IMPORTED X posts over the plan's half year) and the plan after importing
    it once, which the `imported` case refreshes."""
    import csv
    import shutil

    export = export_path(plan)
    if not export.exists():
        rng = random.Random(IMPORTED)
        with export.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                ["Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements"]
            )
            for i in range(IMPORTED):
                post = 1_950_000_000_000_000_000 + i
                day = date(2026, 7, 1) + timedelta(days=i * 184 // IMPORTED)
                writer.writerow(
                    [
                        post,
                        day.strftime("%a, %b %d, %Y"),
                        f"Post {i}: what we brewed today",
                        f"https://x.com/sheetplan/status/{post}",
                        f"{rng.randint(100, 90_000):,}",
                        rng.randint(0, 900),
                        rng.randint(0, 2_000),
                    ]
                )
    imported = imported_path(plan)
    if not imported.exists():
        shutil.copyfile(plan, imported)
        command = [sys.executable, "-m", "sheetplan", "import", str(imported), str(export)]
        subprocess.run([*command, "--no-backup"], check=True, capture_output=True)


def posts_path(plan: Path) -> Path:
    return plan.with_name(f"{plan.stem}_posts{plan.suffix}")


def write_plan(
    path: Path, actuals: int, *, formatted_empty: int = 0, per_post: bool = False
) -> None:
    """A realistic plan: the shape of the bundled sample, with `actuals` log rows (per post
    when `per_post` is set), and `formatted_empty` cells with a fill but no value below the
    Tactics."""
    import xlsxwriter

    rng = random.Random(actuals)
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    day = book.add_format({"num_format": "yyyy-mm-dd"})

    def sheet(name: str, header: list[str], rows: list[list[object]]):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    ws.write_datetime(r, c, value, day)
                elif value is not None:
                    ws.write(r, c, value)
        return ws

    start = date(2026, 7, 1)
    goals = [f"G{i}" for i in range(1, 9)]
    kpis = [f"K{i}" for i in range(1, 101)]
    owners = ["Ann", "Bo", "Chen", "Dana", "Eli"]
    categories = ["Awareness", "Engagement", "Traffic", "Leads", "Conversion", "Community"]
    aggregations = ["latest", "sum", "average", "max", "min"]
    statuses = ["Not started", "In progress", "Done", "Blocked", "Dropped"]
    sheet(
        "Settings",
        ["Key", "Value"],
        [
            ["Plan name", "Benchmark"],
            ["Plan start", start],
            ["Plan end", date(2026, 12, 31)],
            ["As-of date", date(2026, 12, 31)],
        ],
    )
    sheet(
        "Goals",
        ["ID", "Category", "Goal", "Owner", "Start", "Due"],
        [
            [g, categories[i % 6], f"Goal {g}", owners[i % 5], start, date(2026, 12, 31)]
            for i, g in enumerate(goals)
        ],
    )
    sheet(
        "KPIs",
        ["ID", "Goal ID", "Level", "KPI", "Baseline", "Target", "Aggregation"],
        [
            [
                k,
                goals[i % 8],
                ["Strategic", "Tactical", "Execution", "Conversion"][i % 4],
                f"KPI {k}",
                100,
                1000,
                aggregations[i % 5],
            ]
            for i, k in enumerate(kpis)
        ],
    )
    tactics = max(20, actuals // 100)
    tactics_sheet = sheet(
        "Tactics",
        [
            "ID",
            "Goal ID",
            "Tactic",
            "Value",
            "Complexity",
            "Owner",
            "Start",
            "Due",
            "Status",
            "% complete",
            "Budget",
            "Hours",
        ],
        [
            [
                f"T{i}",
                goals[i % 8],
                f"Tactic {i}",
                rng.randint(1, 5),
                rng.randint(1, 5),
                owners[i % 5],
                start + timedelta(days=rng.randint(0, 60)),
                start + timedelta(days=rng.randint(61, 180)),
                statuses[i % 5],
                rng.choice([0, 0.25, 0.5, 1.0]),
                rng.randint(1, 50) * 100,
                rng.randint(1, 40),
            ]
            for i in range(1, tactics + 1)
        ],
    )
    fill = book.add_format({"bg_color": "#FFF2CC", "num_format": "yyyy-mm-dd"})
    for n in range(formatted_empty):
        tactics_sheet.write_blank(tactics + 1 + n // 12, n % 12, None, fill)
    sheet("Team", ["Name", "Role", "Capacity hours"], [[o, "Editor", 400] for o in owners])
    sheet(
        "Sources",
        ["Platform", "Export column", "KPI ID", "Channel", "Value is"],
        [["X", "Impressions", "K2", "X", "Per period"]],
    )
    channels = ["Weibo", "WeChat", "X", "Instagram", "Xiaohongshu", "Douyin"]
    log = book.add_worksheet("Actuals")
    log.write_row(0, 0, ["Date", "KPI ID", "Value", "Channel", "Source", "Notes"])
    if per_post:
        write_post_log(log, actuals, kpis, channels, start, day, rng)
        book.close()
        return
    for r in range(1, actuals + 1):
        # (date, KPI, channel) is unique up to 184 days × 100 KPIs × 6 channels = 110,400 rows
        log.write_datetime(r, 0, start + timedelta(days=(r // 600) % 184), day)
        log.write_string(r, 1, kpis[r % 100])
        log.write_number(r, 2, round(rng.uniform(100, 1000), 1))
        log.write_string(r, 3, channels[(r // 100) % 6])
        # past that, each further 110,400 rows come from another export: still one record each
        log.write_string(r, 4, "export" if r < UNIQUE_KEYS else f"export {r // UNIQUE_KEYS + 1}")
        if r % 3 == 0:
            log.write_string(r, 5, "批量导入")
    book.close()


POSTS = 40
"""Posts per import, KPI and channel in the per-post log."""
POST_KPIS = 10
"""KPIs the per-post log feeds (an import maps a few export columns, not every KPI)."""


def write_post_log(log, actuals: int, kpis, channels, start: date, day, rng) -> None:
    """The log `sheetplan import` writes: every few days an import of each channel's posts,
    one row per post and mapped KPI, Source = platform and post (ids, or titles on the
    Chinese platforms); a post is measured in seven imports in a row. (date, KPI, channel,
    source) is unique; (date, KPI, channel) is shared by POSTS rows."""
    per_import = POSTS * POST_KPIS * len(channels)
    for r in range(actuals):
        number, rest = divmod(r, per_import)
        channel_index, rest = divmod(rest, POSTS * POST_KPIS)
        kpi_index, post = divmod(rest, POSTS)
        channel = channels[channel_index]
        serial = post + POSTS * (number // 7)
        if channel in ("Xiaohongshu", "Douyin", "Weibo", "WeChat"):
            source = f"{channel} · 冷泡茶的第 {serial} 种喝法"
        else:
            source = f"{channel.lower()}:{1_800_000_000_000_000_000 + serial * 7919}"
        log.write_datetime(r + 1, 0, start + timedelta(days=(4 * number) % 184), day)
        log.write_string(r + 1, 1, kpis[kpi_index])
        log.write_number(r + 1, 2, rng.randint(0, 5000))
        log.write_string(r + 1, 3, channel)
        log.write_string(r + 1, 4, source)


if __name__ == "__main__":
    main()
