"""What the Dashboard's charts keep when not everything fits, and how items are named: pure
rules (choose.py) as worked examples, then the sample refreshed end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetplan import labels
from sheetplan.results import KpiStatus
from sheetplan.writer.chartkit import money_text, money_unit
from sheetplan.writer.choose import (
    Standing,
    distinct_labels,
    full_name_lines,
    label_box,
    place_labels,
    shorten,
    width,
    worst_first,
)

ON, RISK, OFF, DONE = (
    KpiStatus.ON_TRACK,
    KpiStatus.AT_RISK,
    KpiStatus.OFF_TRACK,
    KpiStatus.ACHIEVED,
)


def test_worst_first_ignores_level_order():
    """Strategic KPIs first by level would show K1–K3; the worst are at the bottom."""
    standings = [
        Standing("K1", ON, 0.9, 0.5, tie=0),
        Standing("K2", DONE, 1.0, 0.5, tie=0),
        Standing("K3", ON, 0.6, 0.5, tie=1),
        Standing("K4", RISK, 0.3, 0.5, tie=2),
        Standing("K5", OFF, 0.4, 0.5, tie=3),
        Standing("K6", OFF, 0.1, 0.5, tie=3),
        Standing("K7", RISK, 0.45, 0.5, tie=3),
    ]
    chosen = worst_first(standings, 4)
    assert chosen.ids == ("K6", "K5", "K4", "K7")
    assert chosen.total == 7 and chosen.cut


def test_the_rest_by_gap_to_expected_then_without_a_pace():
    standings = [
        Standing("A", None, None, None),
        Standing("B", ON, 0.7, 0.5),
        Standing("C", ON, 0.55, 0.5),
        Standing("D", KpiStatus.NO_DATA, None, 0.5),
        Standing("E", KpiStatus.MISSED, 0.2, 1.0),
    ]
    assert worst_first(standings, 9).ids == ("E", "C", "B", "A", "D")


def test_nothing_cut_when_everything_fits():
    chosen = worst_first([Standing("G1", OFF, 0, 1), Standing("G2", ON, 1, 1)], 6)
    assert not chosen.cut and chosen.ids == ("G1", "G2")


def test_labels_tell_alike_chinese_goals_apart():
    goals = [
        ("G3", "12 月 31 日前通过社媒为网店带来 12 万次访问"),
        ("G4", "11 月 30 日前通过社媒获得 6,000 个会员注册"),
        ("G5", "12 月 31 日前通过社媒链接和小程序实现 105 万元销售额"),
        ("G6", "12 月 31 日前茶友会活跃会员达到 3,000 人"),
    ]
    tags = distinct_labels(goals, 20)
    assert len(set(tags)) == 4
    assert [t.split(" ")[0] for t in tags] == ["G3", "G4", "G5", "G6"]
    assert "为网店" in tags[0] and "获得" in tags[1] and "链接" in tags[2] and "茶友会" in tags[3]
    assert all(width(t) <= 20 + 4 for t in tags)


def test_labels_keep_short_names_whole_and_cut_long_ones_at_a_word():
    tags = distinct_labels(
        [("K5", "Engagement rate"), ("K8", "Link click-through rate for all the channels")], 24
    )
    assert tags[0] == "K5 Engagement rate"
    assert tags[1].endswith("…") and " click-" in tags[1] + "-"
    assert shorten("Ana Lindqvist and friends", 12) == "Ana…"
    assert distinct_labels([("G1", None)], 10) == ["G1"]


def test_a_cut_name_ends_at_a_clause_and_keeps_the_words_that_differ():
    # "让冷泡茶被认识：11 月…" read as a number cut in half; the clause before the colon is whole
    assert shorten("让冷泡茶被认识：11 月 30 日前在新市场触达 200 万人", 22) == "让冷泡茶被认识…"
    # 14 letters fill the 15 columns a cut leaves room for: the cut falls at the space after
    assert shorten("Weekly Stories poll on the new flavour", 15) == "Weekly Stories…"
    # a clause end that would keep under 40 % of the room is not used
    assert shorten("Tea: a very long name about cold brew", 20) == "Tea: a very long…"
    # cut to 15 columns, T9 would read "Monthly…", telling nothing: its shared start goes;
    # "Monthly online…" shows a differing word (6 columns past the shared "Monthly ") and stays
    tags = distinct_labels(
        [("T9", "Monthly tasting-box giveaway"), ("T14", "Monthly online tasting club")], 15
    )
    assert tags == ["T9 …tasting-box…", "T14 Monthly online…"]
    # names that differ soon enough keep their start
    tags = distinct_labels(
        [("G3", "通过社媒为网店带来 12 万次访问"), ("G4", "通过社媒获得 6,000 个会员注册")], 22
    )
    assert tags == ["G3 通过社媒为网店带来 12…", "G4 通过社媒获得 6,000 个…"]


def test_money_axis_steps_are_round_few_and_reach_the_largest_amount():
    # 227,500 in at most 3 steps: 100k (to 300k) wastes less than 200k (to 400k); 250k would
    # be a single step, no gridline between
    assert money_unit(227_500, 3) == 100_000
    assert money_unit(227_500, 2) == 200_000
    assert money_unit(32_500, 4) == 10_000  # $0 $10k $20k $30k $40k
    assert money_unit(840_000, 5) == 200_000  # ¥0 … ¥1,000k
    assert money_unit(3, 4) == 1  # whole amounts only
    assert money_text('"¥"#,##0,"k";-"¥"#,##0,"k";"¥"0', 227_500) == "¥228k"
    assert money_text('"$"#,##0', 2_275) == "$2,275"


def test_point_labels_go_where_they_cover_nothing():
    """Three points a column apart, as on the Value vs complexity chart: (2,5) T1, (2,4) with a
    wide label, (3,4) T3. Above (2,4) the label would cover T1's marker; right, T3's marker;
    below is free. T1's and T3's labels stay above."""
    points = [(100, 65, 20, 18), (100, 85, 60, 18), (160, 85, 20, 18)]
    sides = place_labels(points, [], (0, 0, 300, 200))
    assert sides == ["above", "below", "above"]
    boxes = [label_box(side, *p, 6) for side, p in zip(sides, points, strict=True)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_point_labels_keep_clear_of_names_and_the_chart_edge():
    # a quadrant name right above the point, and the chart's left edge 10 px to its left:
    # above and left are taken, right is free
    sides = place_labels([(10, 100, 30, 18)], [(0, 60, 60, 90)], (0, 0, 300, 200))
    assert sides == ["right"]
    # a faint line (a midline) is crossed only when every other side is worse
    sides = place_labels([(100, 100, 20, 18)], [], (0, 0, 300, 200), faint=[(0, 70, 300, 90)])
    assert sides == ["right"]


def test_lines_break_between_items_only():
    items = ["● 3 On track", "● 2 At risk", "● 1 Off track"]
    text = full_name_lines(items, 26)
    assert text.split("\n") == ["● 3 On track  ● 2 At risk", "● 1 Off track"]
    assert full_name_lines(["a very long item indeed"], 5) == "a very long item indeed"


# --- end to end: the sample's 18 KPIs ---------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sample_progress_chart_shows_every_kpi_that_is_behind(lang, tmp_path):
    from refreshed import run_refresh
    from test_dashboard import Cells, by_title, dashboard_charts, engine

    source = ROOT / "samples" / f"sample_{lang}.xlsx"
    out = run_refresh(source, tmp_path / "out.xlsx")
    _plan, results, _ = engine(source)
    chart = by_title(dashboard_charts(out), "dash.chart.progress", lang)
    drawable = [k for k in results.kpis if k.progress is not None or k.expected is not None]
    shown = [c.split(" ")[0] for c in Cells(out)(chart.series[0]["cat"])]
    behind = {k.id for k in drawable if k.status in (OFF, RISK, KpiStatus.MISSED)}
    assert behind and behind <= set(shown)
    note = labels.text("dash.chart.worst", lang, shown=len(shown), total=len(drawable))
    assert (note in chart.title) == (len(shown) < len(drawable))
    assert len(shown) < len(drawable)  # the sample has more KPIs than fit


def test_no_count_in_titles_when_nothing_is_cut(tmp_path):
    from test_dashboard import _refresh, dashboard_charts

    from workbooks import minimal_plan

    out = _refresh(tmp_path, "small", minimal_plan())
    titles = [c.title for c in dashboard_charts(out)]
    assert labels.text("dash.chart.progress", "en") in titles
    assert not any(" of " in t for t in titles)


def test_jobs_run_in_parallel_only_when_it_pays(tmp_path, monkeypatch):
    from sheetplan import cli

    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    small = []
    for i in range(20):
        path = tmp_path / f"s{i}.xlsx"
        path.write_bytes(b"x" * 60_000)
        small.append((path,))
    assert cli.workers_for(small[:2], 2) == 1  # two small plans: start-up would cost more
    assert cli.workers_for(small, 2) == 2  # twenty: the second core pays for itself
    big = []
    for i in range(4):
        path = tmp_path / f"b{i}.xlsx"
        path.write_bytes(b"x" * 3_000_000)
        big.append((path,))
    assert cli.workers_for(big, 2) == 2
    assert cli.workers_for(big, 8) == 2  # never more processes than cores
    assert cli.workers_for(big, 1) == 1
    assert cli.workers_for(big[:1], 4) == 1
