"""Time the planning engine alone: a synthetic plan in memory with 1k, 10k and 100k Actuals.

    python benchmarks/bench_engine.py [--runs 7]

Prints the median of several runs of compute() for each size (no workbook is read or written).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from sheetplan.compute import compute
from sheetplan.model import (
    Actual,
    Aggregation,
    Category,
    CompanyGoal,
    Goal,
    Kpi,
    Plan,
    Settings,
    Tactic,
    TacticStatus,
    TeamMember,
)

START = date(2026, 1, 1)
END = date(2026, 12, 31)
AS_OF = date(2026, 9, 15)
CHANNELS = (
    "Weibo",
    "WeChat",
    "Twitter/X",
    "Instagram",
    "LinkedIn",
    "Douyin",
    "Xiaohongshu",
    "YouTube",
    "TikTok",
    None,
)


def synthetic_plan(n_actuals: int, seed: int = 7) -> Plan:
    """9 goals, 40 KPIs over all aggregations, 60 tactics, 8 people, n_actuals log rows."""
    rng = random.Random(seed)
    categories = list(Category)
    goals = tuple(
        Goal(f"G{i}", "C1", categories[i % 9], f"Goal {i}", "Ann", START, END, None, row=i + 1)
        for i in range(1, 10)
    )
    aggregations = list(Aggregation)
    kpis = tuple(
        Kpi(
            f"K{i}",
            f"G{i % 9 + 1}",
            name=f"KPI {i}",
            baseline=0.0,
            target=1000.0 if i % 7 else -50.0,
            aggregation=aggregations[i % 5],
            weight=1.0,
            row=i + 1,
        )
        for i in range(1, 41)
    )
    statuses = list(TacticStatus)
    tactics = tuple(
        Tactic(
            f"T{i}",
            f"G{i % 9 + 1}",
            f"Tactic {i}",
            float(rng.randint(1, 5)),
            float(rng.randint(1, 5)),
            f"P{i % 8}",
            START + timedelta(days=rng.randint(0, 100)),
            START + timedelta(days=rng.randint(101, 364)),
            statuses[i % 5],
            rng.random(),
            float(rng.randint(0, 5000)),
            float(rng.randint(0, 80)),
            row=i + 1,
        )
        for i in range(1, 61)
    )
    team = tuple(TeamMember(f"P{i}", capacity_hours=300.0, row=i + 2) for i in range(8))
    actuals = _log(rng, n_actuals)
    return Plan(
        Settings(plan_name="bench", total_budget=100000.0),
        (CompanyGoal("C1", "Grow"),),
        goals,
        kpis,
        tactics,
        team,
        (),
        actuals,
    )


def _log(rng: random.Random, n: int) -> tuple[Actual, ...]:
    """A realistic log: distinct (date, KPI, channel) rows in date order, with about 1 % exact
    repeats and 0.2 % corrections (same date, KPI and channel, another value)."""
    span = (END - START).days + 1
    slots = rng.sample(range(span * 40 * len(CHANNELS)), n)
    slots.sort()
    rows = []
    for r, slot in enumerate(slots):
        day, rest = divmod(slot, 40 * len(CHANNELS))
        kpi, channel = divmod(rest, len(CHANNELS))
        rows.append(
            Actual(
                START + timedelta(days=day),
                f"K{kpi + 1}",
                float(rng.randint(0, 1200)),
                CHANNELS[channel],
                row=r + 2,
            )
        )
    for r in rng.sample(range(n), n // 100):
        rows[r] = rows[r - 1] if r else rows[r]
    for r in rng.sample(range(1, n), n // 500):
        previous = rows[r - 1]
        rows[r] = Actual(previous.date, previous.kpi_id, previous.value + 1, previous.channel)
    return tuple(
        Actual(a.date, a.kpi_id, a.value, a.channel, row=i + 2) for i, a in enumerate(rows)
    )


def median_seconds(plan: Plan, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        compute(plan, AS_OF)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for n in (1_000, 10_000, 100_000):
        plan = synthetic_plan(n)
        seconds = median_seconds(plan, args.runs)
        print(
            f"compute() with {n:>7,} actuals: median {seconds * 1000:8.1f} ms of {args.runs} runs"
        )


if __name__ == "__main__":
    main()
