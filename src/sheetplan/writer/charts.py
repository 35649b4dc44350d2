"""The Dashboard's native Excel charts, one function each, drawn from the data block on the
sheet (chartkit.py). A chart function returns the chart, or the label key of a short note to
show in its place when the plan has nothing to draw yet.
"""

from __future__ import annotations

import math
from typing import Any

from .. import labels
from ..compute.kpi import baseline_of
from ..model import KpiLevel
from ..results import TONE, DueStatus, Quadrant
from .chartkit import (
    DUE_FILL,
    DUE_ORDER,
    LEGEND_LIMIT,
    MAX_KPIS,
    MAX_MONTHLY_KPIS,
    MAX_OWNERS,
    MAX_TREND,
    QUADRANT_COLOUR,
    SERIES_COLOURS,
    TONE_COLOUR,
    TREND_COLOURS,
    TREND_MARKERS,
    Kit,
    cut_note,
    fraction,
    level_rank,
    major_unit,
    money_axis_format,
    money_text,
    money_unit,
    month_label,
    percent_range,
)
from .choose import SIDES, Chosen, Standing, distinct_labels, place_labels, worst_first
from .styles import PALETTE


def progress_chart(kit: Kit) -> Any:
    """Horizontal bars: each KPI's progress coloured by its status, its expected pace as an
    outline behind, on a 0–100 % axis (wider only when a KPI is past its target)."""
    results = kit.ctx.results
    plan_kpis = {k.id: k for k in kit.ctx.plan.kpis}
    drawable = [k for k in results.kpis if k.progress is not None or k.expected is not None]
    if not drawable:
        return "dash.no.kpis"
    chosen = worst_first(
        [
            Standing(k.id, k.status, k.progress, k.expected, level_rank(plan_kpis[k.id].level))
            for k in drawable
        ],
        MAX_KPIS,
    )
    by_id = {k.id: k for k in drawable}
    shown = [by_id[i] for i in chosen.ids]
    title = kit.t("dash.chart.progress") + cut_note(kit, chosen)
    names = dict(
        zip(
            chosen.ids,
            distinct_labels([(i, plan_kpis[i].name) for i in chosen.ids], kit.label_limit),
            strict=True,
        )
    )
    rows = [
        (
            names[k.id],
            k.progress,
            k.expected,
            labels.text(k.status.label_key, kit.lang) if k.status else None,
        )
        for k in shown
    ]
    block = kit.data.table(
        kit.t("dash.chart.progress"),
        [
            kit.t("dash.data.label"),
            kit.t("dash.series.progress"),
            kit.t("dash.series.expected"),
            kit.t("dash.data.status"),
        ],
        rows,
        "tppt",
    )
    chart = kit.chart("bar", title)
    points = [
        {"fill": {"color": TONE_COLOUR[TONE[k.status]] if k.status else PALETTE["grey"]}}
        for k in shown
    ]
    chart.add_series(
        {
            "name": kit.t("dash.series.progress"),
            "categories": block.ref(0),
            "values": block.ref(1),
            "fill": {"color": PALETTE["grey"]},
            "points": points,
            "gap": 70,
            "overlap": 100,
        }
    )
    chart.add_series(
        {
            "name": kit.t("dash.series.expected"),
            "categories": block.ref(0),
            "values": block.ref(2),
            "fill": {"none": True},
            "border": {"color": PALETTE["ink"], "width": 1},
        }
    )
    low, high = percent_range([v for k in shown for v in (k.progress, k.expected)])
    chart.set_x_axis(
        kit.value_axis(min=low, max=high, major_unit=major_unit(high - low), num_format="0%")
    )
    chart.set_y_axis(kit.category_axis(reverse=True, crossing="max"))
    kit.plot_layout(
        chart,
        left=max(kit.text_px(name) for name in names.values()) + 14,
        top=kit.title_px(title),
        right=kit.text_px(f"{high:.0%}") / 2 + 6,
        bottom=2 * kit.line_px() + 16,
    )
    return chart


def budget_chart(kit: Kit) -> Any:
    """Bars per goal: the target budget the weights give it next to what its tactics plan; as
    many goals as have a line each (those with the most money at stake), the title saying how
    many of how many when some are left out."""
    goals = kit.ctx.results.allocation.goals
    if not goals:
        return "dash.no.budget"
    title, bottom = kit.t("dash.chart.budget"), 2 * kit.line_px() + 16
    fit = kit.lines_that_fit(
        title + cut_note(kit, Chosen((), len(goals)), "dash.chart.some"), bottom
    )
    if len(goals) > fit:  # the goals with the most money at stake, in sheet order
        biggest = sorted(goals, key=lambda g: -max(g.planned_budget, g.target_budget or 0))
        keep = {g.goal_id for g in biggest[:fit]}
        title += cut_note(kit, Chosen(tuple(keep), len(goals)), "dash.chart.some")
        goals = [g for g in goals if g.goal_id in keep]
    names = {g.id: g.name for g in kit.ctx.plan.goals}
    tags = distinct_labels([(g.goal_id, names.get(g.goal_id)) for g in goals], kit.label_limit)
    rows = [(tag, g.target_budget, g.planned_budget) for tag, g in zip(tags, goals, strict=True)]
    block = kit.data.table(
        kit.t("dash.chart.budget"),
        [
            kit.t("dash.data.goal"),
            kit.t("dash.series.target_budget"),
            kit.t("dash.series.planned_budget"),
        ],
        rows,
        "tmm",
    )
    chart = kit.chart("bar", title)
    chart.add_series(
        {
            "name": kit.t("dash.series.target_budget"),
            "categories": block.ref(0),
            "values": block.ref(1),
            "fill": {"color": PALETTE["navy"]},
            "gap": 60,
        }
    )
    chart.add_series(
        {
            "name": kit.t("dash.series.planned_budget"),
            "categories": block.ref(0),
            "values": block.ref(2),
            "fill": {"color": PALETTE["teal"]},
        }
    )
    most = max([g.planned_budget for g in goals] + [g.target_budget or 0 for g in goals])
    num_format = money_axis_format(kit.ctx.currency, most)
    left = max(kit.text_px(tag) for tag in tags) + 14
    widest = kit.text_px(money_text(num_format, most)) + 6
    room = kit.seen_width - left - (widest / 2 + 4)  # the plot's width
    unit = money_unit(most, steps=max(2, min(5, int(room / (widest * 1.15)))))
    axis = kit.value_axis(min=0, major_unit=unit, num_format=num_format)
    if most > 0:
        axis["max"] = unit * math.ceil(most / unit)
    axis["num_font"]["rotation"] = 0
    chart.set_x_axis(axis)
    chart.set_y_axis(kit.category_axis(reverse=True, crossing="max"))
    kit.plot_layout(
        chart,
        left=left,
        top=kit.title_px(title),
        right=widest / 2 + 4,
        bottom=bottom,
    )
    return chart


def matrix_chart(kit: Kit) -> Any:
    """Value (up) against complexity (right), one colour per quadrant, each point labelled with
    its tactic IDs on the side where the label covers no other label, point or quadrant name,
    and dashed lines at the midpoint of the score scale."""
    plan = kit.ctx.plan
    by_id = {t.id: t for t in plan.tactics}
    groups: dict[tuple[Quadrant, float, float], list[str]] = {}
    for result in kit.ctx.results.tactics:
        tactic = by_id[result.id]
        if result.quadrant is None or tactic.value is None or tactic.complexity is None:
            continue
        groups.setdefault((result.quadrant, tactic.complexity, tactic.value), []).append(result.id)
    if not groups:
        return "dash.no.tactics"
    order = list(Quadrant)
    lo, hi = plan.settings.score_scale
    mid = (lo + hi) / 2
    corners = [
        (Quadrant.QUICK_WIN, lo - 0.45, hi + 0.8),
        (Quadrant.BIG_BET, hi + 0.45, hi + 0.8),
        (Quadrant.FILL_IN, lo - 0.45, lo - 0.8),
        (Quadrant.MONEY_PIT, hi + 0.45, lo - 0.8),
    ]
    line = kit.line_px()
    left, top = line + kit.text_px(str(hi + 1)) + 22, kit.title_px(kit.t("dash.chart.matrix"))
    right, bottom = 12.0, 2 * line + 18
    chart = kit.chart("scatter", kit.t("dash.chart.matrix"), "straight")
    kit.plot_layout(chart, left, top, right, bottom)
    keys = list(groups)
    texts = {k: id_lines(kit, groups[k]) for k in keys}
    names = {q: labels.text(q.label_key, kit.lang) for q in order}
    plot = (left, top, kit.seen_width - right, kit.height - bottom)
    sides = label_sides(kit, plot, (lo, hi), {k: (k[1], k[2], texts[k]) for k in keys}, corners)
    keys.sort(key=lambda k: (order.index(k[0]), SIDES.index(sides[k]), k[1], k[2]))
    rows = [(",".join(groups[k]), k[1], k[2], names[k[0]]) for k in keys]
    block = kit.data.table(
        kit.t("dash.chart.matrix"),
        [
            kit.t("dash.data.label"),
            kit.t("dash.data.complexity"),
            kit.t("dash.data.value"),
            kit.t("dash.col.quadrant"),
        ],
        rows,
        "tnnt",
    )
    lines = kit.data.table(
        kit.t("dash.series.line"),
        [kit.t("dash.data.x"), kit.t("dash.data.y")],
        [(mid, lo - 1), (mid, hi + 1), (lo - 1, mid), (hi + 1, mid)],
        "nn",
    )
    corner_block = kit.data.table(
        kit.t("dash.col.quadrant"),
        [kit.t("dash.data.label"), kit.t("dash.data.x"), kit.t("dash.data.y")],
        [(names[q], x, y) for q, x, y in corners],
        "tnn",
    )
    for quadrant in order:
        for side in SIDES:
            at_rows = [
                block.first + i for i, k in enumerate(keys) if k[0] is quadrant and sides[k] == side
            ]
            if not at_rows:
                continue
            colour = QUADRANT_COLOUR[quadrant]
            chart.add_series(
                {
                    "name": names[quadrant],
                    "categories": block.ref(1, at_rows[0], at_rows[-1]),
                    "values": block.ref(2, at_rows[0], at_rows[-1]),
                    "line": {"none": True},
                    "marker": {
                        "type": "circle",
                        "size": 7,
                        "fill": {"color": colour},
                        "border": {"color": "#FFFFFF"},
                    },
                    "data_labels": {
                        "value": True,
                        "custom": [{"value": texts[keys[r - block.first]]} for r in at_rows],
                        "position": side,
                        "font": kit.font(kit.small, color=colour),
                    },
                }
            )
    for first in (lines.first, lines.first + 2):
        chart.add_series(
            {
                "categories": lines.ref(0, first, first + 1),
                "values": lines.ref(1, first, first + 1),
                "line": {"color": PALETTE["muted"], "width": 1, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
    chart.add_series(
        {
            "categories": corner_block.ref(1),
            "values": corner_block.ref(2),
            "line": {"none": True},
            "marker": {"type": "none"},
            "data_labels": {
                "value": True,
                "position": "center",
                "custom": [
                    {
                        "value": names[q],
                        "font": kit.font(kit.small, bold=True, color=QUADRANT_COLOUR[q]),
                    }
                    for q, _, _ in corners
                ],
            },
        }
    )
    chart.set_legend({"none": True})
    axis = {"min": lo - 1, "max": hi + 1, "major_unit": 1, "num_format": "0"}
    chart.set_x_axis(
        kit.value_axis(
            name=kit.t("dash.axis.complexity"), major_gridlines={"visible": False}, **axis
        )
    )
    chart.set_y_axis(
        kit.value_axis(name=kit.t("dash.axis.value"), major_gridlines={"visible": False}, **axis)
    )
    return chart


def label_sides(
    kit: Kit,
    plot: tuple[float, float, float, float],
    scale: tuple[float, float],
    labelled: dict[Any, tuple[float, float, str]],
    corners: list[tuple[Quadrant, float, float]],
) -> dict[Any, str]:
    """The side each point's label goes on (`labelled`: key → complexity, value, label): in
    pixels on the plot, the quadrant names kept clear, the dashed midlines crossed only when
    nothing else is free (choose.place_labels)."""
    lo, hi = scale
    span = hi - lo + 2

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            plot[0] + (x - lo + 1) / span * (plot[2] - plot[0]),
            plot[1] + (hi + 1 - y) / span * (plot[3] - plot[1]),
        )

    line = kit.line_px()
    names = []
    for q, x, y in corners:
        cx, cy = at(x, y)
        w = kit.text_px(labels.text(q.label_key, kit.lang)) * 1.1  # bold
        names.append((cx - w / 2, cy - line / 2, cx + w / 2, cy + line / 2))
    x_mid, y_mid = at((lo + hi) / 2, (lo + hi) / 2)
    midlines = [(x_mid - 1, plot[1], x_mid + 1, plot[3]), (plot[0], y_mid - 1, plot[2], y_mid + 1)]
    points = [
        (
            *at(x, y),
            max(kit.text_px(part) for part in text.split("\n")),
            kit.line_px(text=text) * (text.count("\n") + 1),
        )
        for x, y, text in labelled.values()
    ]
    return dict(zip(labelled, place_labels(points, names, plot, midlines), strict=True))


def id_lines(kit: Kit, ids: list[str]) -> str:
    """The tactic IDs of one point, "T4,T7" on lines no wider than a seventh of the chart
    (LibreOffice wraps a wider data label itself, in the middle of an ID), as many on each."""
    one = ",".join(ids)
    count = math.ceil(kit.text_px(one) / (kit.seen_width / 7))
    if count <= 1:
        return one
    per = math.ceil(len(ids) / count)
    return ",\n".join(",".join(ids[i : i + per]) for i in range(0, len(ids), per))


def owners_chart(kit: Kit) -> Any:
    """Stacked bars: how many tactics each owner has in each due status, urgent ones first;
    as many owners as have a line of the chart's height each (a chart skips names that do not
    fit), the title saying how many of how many."""
    plan, results = kit.ctx.plan, kit.ctx.results
    if not plan.tactics:
        return "dash.no.owners"
    nobody = labels.text("report.no_owner", kit.lang)
    order = [o.name for o in results.allocation.owners]
    tally: dict[str, dict[DueStatus, int]] = {}
    for tactic, result in zip(plan.tactics, results.tactics, strict=True):
        owner = tactic.owner or nobody
        tally.setdefault(owner, {})
        tally[owner][result.due_status] = tally[owner].get(result.due_status, 0) + 1
    owners = sorted(tally, key=lambda o: (o not in order, order.index(o) if o in order else 0, o))
    total = len(owners)
    title = kit.t("dash.chart.owners")
    bottom = kit.line_px() + 14  # the axis labels
    fit = kit.lines_that_fit(title + cut_note(kit, Chosen((), total), "dash.chart.some"), bottom)
    owners = owners[: min(MAX_OWNERS, fit)]
    statuses = [s for s in DUE_ORDER if any(tally[o].get(s) for o in owners)]
    rows = [(o, *(tally[o].get(s) or None for s in statuses)) for o in owners]
    block = kit.data.table(
        kit.t("dash.chart.owners"),
        [kit.t("dash.col.owner"), *(labels.text(s.label_key, kit.lang) for s in statuses)],
        rows,
        "t" + "n" * len(statuses),
    )
    title += cut_note(kit, Chosen(tuple(owners), total), "dash.chart.some")
    chart = kit.chart("bar", title, "stacked")
    for c, status in enumerate(statuses, start=1):
        fill, line = DUE_FILL[status]
        chart.add_series(
            {
                "name": labels.text(status.label_key, kit.lang),
                "categories": block.ref(0),
                "values": block.ref(c),
                "fill": {"color": fill},
                "border": {"color": line, "width": 0.75},
                "gap": 60,
            }
        )
    most = max(sum(tally[o].values()) for o in owners)
    chart.set_x_axis(kit.value_axis(min=0, major_unit=major_unit(most, whole=True), num_format="0"))
    chart.set_y_axis(kit.category_axis(reverse=True, crossing="max"))
    # The legend (up to nine statuses) goes right, one status a line: below, its rows would
    # take the height the owners' names need (a chart skips names that do not fit).
    key = max(kit.text_px(labels.text(s.label_key, kit.lang)) for s in statuses) + 30
    chart.set_legend({"position": "right", "font": kit.font(kit.small)})
    kit.plot_layout(
        chart,
        left=max(kit.text_px(o) for o in owners) + 14,
        top=kit.title_px(title),
        right=key + 14,
        bottom=bottom,
    )
    return chart


def monthly_chart(kit: Kit) -> Any:
    """Strategic KPIs month by month as % of the way from baseline to target: the plan as a
    dashed line, the actual solid, one colour per KPI (all KPIs when none is strategic)."""
    plan = kit.ctx.plan
    kpis = {k.id: k for k in plan.kpis}
    monthly = [m for m in kit.ctx.results.monthly if m.months]
    strategic = [m for m in monthly if kpis[m.kpi_id].level is KpiLevel.STRATEGIC]
    pool = strategic or monthly
    if not pool:
        return "dash.no.monthly"
    results = {k.id: k for k in kit.ctx.results.kpis}
    picked = worst_first(
        [
            Standing(
                m.kpi_id,
                results[m.kpi_id].status if m.kpi_id in results else None,
                results[m.kpi_id].progress if m.kpi_id in results else None,
                results[m.kpi_id].expected if m.kpi_id in results else None,
                level_rank(kpis[m.kpi_id].level),
            )
            for m in pool
        ],
        MAX_MONTHLY_KPIS,
    )
    by_kpi = {m.kpi_id: m for m in pool}
    chosen = [by_kpi[i] for i in picked.ids]
    title = kit.t("dash.chart.monthly" if strategic else "dash.chart.monthly_any")
    title += cut_note(kit, picked)
    tags = dict(
        zip(
            picked.ids,
            distinct_labels([(i, kpis[i].name) for i in picked.ids], kit.label_limit),
            strict=True,
        )
    )
    months = sorted({p.month for m in chosen for p in m.months})
    columns: list[str] = [kit.t("dash.data.month")]
    values: dict[tuple[str, str], dict] = {}
    for m in chosen:
        kpi = kpis[m.kpi_id]
        base, target = baseline_of(kpi), kpi.target
        for part in ("plan", "actual"):
            columns.append(kit.t(f"dash.series.{part}", kpi=m.kpi_id))
            values[(m.kpi_id, part)] = {
                p.month: fraction(p.planned if part == "plan" else p.actual, base, target)
                for p in m.months
            }
    one_year = len({m.year for m in months}) == 1
    rows = [
        (
            month_label(month, kit.lang, one_year),
            *(values[(m.kpi_id, part)].get(month) for m in chosen for part in ("plan", "actual")),
        )
        for month in months
    ]
    block = kit.data.table(title, columns, rows, "t" + "p" * (len(columns) - 1))
    chart = kit.chart("line", title)
    for i, m in enumerate(chosen):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.add_series(
            {
                "name": columns[1 + 2 * i],
                "categories": block.ref(0),
                "values": block.ref(1 + 2 * i),
                "line": {"color": colour, "width": 1.25, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
        chart.add_series(
            {
                "name": tags[m.kpi_id],
                "categories": block.ref(0),
                "values": block.ref(2 + 2 * i),
                "line": {"color": colour, "width": 2.25},
                "marker": {
                    "type": "circle",
                    "size": 5,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
            }
        )
    chart.set_legend(
        {
            "position": "bottom",
            "font": kit.font(kit.small),
            "delete_series": list(range(0, 2 * len(chosen), 2)),
        }
    )
    numbers = [v for series in values.values() for v in series.values()]
    low, high = percent_range(numbers)
    chart.set_y_axis(
        kit.value_axis(min=low, max=high, major_unit=major_unit(high - low), num_format="0%")
    )
    chart.set_x_axis(kit.category_axis())
    chart.show_blanks_as("gap")
    return chart


def trend_chart(kit: Kit) -> Any:
    """Each goal's progress at every as-of date in the Trend log (from the second snapshot)."""
    rows_in = kit.ctx.trend
    dates = sorted({r.as_of for r in rows_in})
    if len(dates) < 2:
        return "dash.no.trend"
    kind = "goal" if any(r.kind == "goal" for r in rows_in) else "kpi"
    ids: list[str] = []
    names: dict[str, str | None] = {}
    for r in rows_in:
        if r.kind == kind:
            if r.id not in ids:
                ids.append(r.id)
            names[r.id] = r.name or names.get(r.id)
    now = {g.id: g for g in (kit.ctx.results.goals if kind == "goal" else kit.ctx.results.kpis)}
    chosen = worst_first(
        [
            Standing(i, now[i].status, now[i].progress, now[i].expected)
            if i in now
            else Standing(i, None, None, None)
            for i in ids
        ],
        MAX_TREND,
    )
    ids = list(chosen.ids)
    tags = distinct_labels([(i, names.get(i)) for i in ids], LEGEND_LIMIT[kit.lang])
    progress = {(r.as_of, r.id): r.progress for r in rows_in if r.kind == kind and r.id in ids}
    rows = [(d.isoformat(), *(progress.get((d, i)) for i in ids)) for d in dates]
    title = kit.t("dash.chart.trend") + cut_note(kit, chosen)
    block = kit.data.table(title, [kit.t("dash.data.as_of"), *tags], rows, "t" + "p" * len(ids))
    chart = kit.chart("line", title)
    for i, tag in enumerate(tags):
        colour = TREND_COLOURS[i % len(TREND_COLOURS)]
        chart.add_series(
            {
                "name": tag,
                "categories": block.ref(0),
                "values": block.ref(1 + i),
                "line": {"color": colour, "width": 2},
                "marker": {
                    "type": TREND_MARKERS[i % len(TREND_MARKERS)],
                    "size": 6,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
            }
        )
    chart.set_legend({"position": "bottom", "font": kit.font(kit.small)})
    low, high = percent_range([p for p in progress.values()])
    chart.set_y_axis(
        kit.value_axis(min=low, max=high, major_unit=major_unit(high - low), num_format="0%")
    )
    chart.set_x_axis(kit.category_axis())
    chart.show_blanks_as("gap")
    entry = max(kit.text_px(tag) for tag in tags) + 48  # the line and marker before the name
    columns = max(1, int(kit.seen_width // entry))
    rows = math.ceil(len(tags) / columns)
    kit.plot_layout(
        chart,
        left=kit.text_px("100%") + 16,
        top=kit.title_px(title),
        right=kit.text_px("2026-01-01") / 2 + 6,
        bottom=(rows + 1) * kit.line_px() + 12,
    )
    return chart


CHARTS = (progress_chart, matrix_chart, budget_chart, monthly_chart, owners_chart, trend_chart)
"""In reading order: are the numbers moving, what to do next, where the money goes; then the
strategic KPIs month by month, who carries what, and how the plan moved over time."""
