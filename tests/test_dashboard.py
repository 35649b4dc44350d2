"""The Dashboard read back from the refreshed file: native charts whose series point at the
right cells (checked against the engine's own numbers), tiles equal to the summary, titles in
the plan's language, one landscape page, and a calm note instead of broken charts when the plan
is empty."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from sheetplan import labels, trend
from sheetplan.api import load_plan, refresh
from sheetplan.compute import compute
from sheetplan.compute.kpi import baseline_of
from sheetplan.model import KpiLevel
from sheetplan.results import TONE, Quadrant, Tone
from sheetplan.writer import dashboard
from sheetplan.writer.choose import Standing, worst_first

from workbooks import in_chinese, minimal_plan, write_workbook

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.filterwarnings(
    # The other sheets carry data bars and conditional formats in x14 extensions openpyxl
    # cannot read ("Unknown extension", "Conditional Formatting extension … is not
    # supported"); this module only reads values and page set-up back.
    "ignore:.*extension is not supported and will be removed:UserWarning"
)
AS_OF = date(2026, 8, 15)
STAMP = datetime(2026, 8, 16, 9, 30)
NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _refresh(tmp: Path, name: str, sheets=None, source: Path | None = None, as_of=AS_OF) -> Path:
    if source is None:
        source = write_workbook(tmp / f"{name}.xlsx", sheets)
    out = tmp / f"{name}-out.xlsx"
    refresh(source, output=out, as_of=as_of, backup=False, refreshed_at=STAMP)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each plan refreshed once for the whole module: name → (source, output)."""
    tmp = tmp_path_factory.mktemp("dash")
    plans = {"en": minimal_plan(), "zh": in_chinese(minimal_plan())}
    out = {}
    for name, sheets in plans.items():
        source = write_workbook(tmp / f"{name}.xlsx", sheets)
        out[name] = (source, _refresh(tmp, name, source=source))
    return out


# ------------------------------------------------------------------ reading the file back


class Chart:
    """One chart part: its title and each series' name and ranges (`<c:f>` formulas)."""

    def __init__(self, xml: bytes):
        self.root = ElementTree.fromstring(xml)
        title = self.root.find("c:chart/c:title", NS)
        self.title = (
            "".join(t.text or "" for t in title.iter(f"{{{NS['a']}}}t"))
            if title is not None
            else ""
        )
        self.kind = next(
            el.tag.split("}")[1]
            for el in self.root.find("c:chart/c:plotArea", NS)
            if el.tag.endswith("Chart")
        )
        self.series = []
        for ser in self.root.iter(f"{{{NS['c']}}}ser"):
            refs = {}
            for part in ("tx", "cat", "val", "xVal", "yVal"):
                f = ser.find(f"c:{part}//c:f", NS)
                if f is not None:
                    refs[part] = f.text
            name = ser.find("c:tx//c:v", NS)
            refs["name"] = name.text if name is not None else None
            self.series.append(refs)

    def fonts(self) -> set[str]:
        return {el.get("typeface") for el in self.root.iter(f"{{{NS['a']}}}latin")}


def dashboard_charts(path: Path) -> list[Chart]:
    """The charts drawn on the first sheet, following the package relationships."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        first = book.find("{*}sheets/{*}sheet")
        rid = first.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels.iter(REL) if r.get("Id") == rid)
        sheet_part = "xl/" + target.removeprefix("/xl/")
        sheet_rels = sheet_part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        if sheet_rels not in z.namelist():
            return []
        drawing = next(
            r.get("Target")
            for r in ElementTree.fromstring(z.read(sheet_rels)).iter(REL)
            if r.get("Type").endswith("/drawing")
        )
        drawing_part = "xl/drawings/" + drawing.rsplit("/", 1)[1]
        drawing_rels = drawing_part.replace("drawings/", "drawings/_rels/") + ".rels"
        charts = [
            "xl/charts/" + r.get("Target").rsplit("/", 1)[1]
            for r in ElementTree.fromstring(z.read(drawing_rels)).iter(REL)
            if r.get("Type").endswith("/chart")
        ]
        return [Chart(z.read(part)) for part in charts]


class Cells:
    """Cell values looked up by an A1 reference such as `'仪表板'!$U$5:$U$9`."""

    def __init__(self, path: Path):
        self.book = openpyxl.load_workbook(path)

    def __call__(self, ref: str) -> list:
        sheet, cells = ref.rsplit("!", 1)
        sheet = sheet.strip("'").replace("''", "'")
        rows = self.book[sheet][cells.replace("$", "")]
        if not isinstance(rows, tuple):
            return [rows.value]
        if not isinstance(rows[0], tuple):
            rows = (rows,)
        return [cell.value for row in rows for cell in row]


def by_title(charts: list[Chart], key: str, lang: str) -> Chart:
    title = labels.text(key, lang)
    notes = [
        labels.text(key, lang, shown=0, total=0).split("0")[0]
        for key in ("dash.chart.some", "dash.chart.worst")
    ]
    found = [
        c
        for c in charts
        if c.title == title or any(c.title.startswith(title + note) for note in notes)
    ]
    assert len(found) == 1, f"{title!r} not among {[c.title for c in charts]}"
    return found[0]


def engine(source: Path, as_of: date = AS_OF):
    loaded = load_plan(source, as_of=as_of)
    return loaded.plan, compute(loaded.plan, as_of, loaded.language), loaded.language


def approx(values: list) -> list:
    return [pytest.approx(v) if isinstance(v, float) else v for v in values]


# ------------------------------------------------------------------ chart checks


def check_charts(source: Path, out: Path, as_of: date = AS_OF) -> None:
    """Every chart's series read back from its cells equals what the engine computes."""
    plan, results, lang = engine(source, as_of)
    charts, cells = dashboard_charts(out), Cells(out)
    assert len(charts) >= 5
    check_progress(by_title(charts, "dash.chart.progress", lang), cells, plan, results)
    check_budget(by_title(charts, "dash.chart.budget", lang), cells, results)
    check_matrix(by_title(charts, "dash.chart.matrix", lang), cells, plan, results, lang)
    check_owners(by_title(charts, "dash.chart.owners", lang), cells, plan, results, lang)
    check_monthly(charts, cells, plan, results, lang)


def check_progress(chart: Chart, cells: Cells, plan, results) -> None:
    """Worst first (choose.worst_first, tested on its own in test_choose.py)."""
    levels = {k.id: list(KpiLevel).index(k.level) if k.level else 9 for k in plan.kpis}
    drawable = [k for k in results.kpis if k.progress is not None or k.expected is not None]
    order = worst_first(
        [Standing(k.id, k.status, k.progress, k.expected, levels[k.id]) for k in drawable], 99
    ).ids
    by_id = {k.id: k for k in drawable}
    shown = [by_id[i] for i in order]
    progress, expected = chart.series
    ids = [label.split(" ")[0] for label in cells(progress["cat"])]
    assert ids == [k.id for k in shown][: len(ids)]
    assert cells(progress["val"]) == approx([k.progress for k in shown][: len(ids)])
    assert cells(expected["val"]) == approx([k.expected for k in shown][: len(ids)])


def check_budget(chart: Chart, cells: Cells, results) -> None:
    goals = results.allocation.goals
    target, planned = chart.series
    assert [c.split(" ")[0] for c in cells(target["cat"])] == [g.goal_id for g in goals]
    assert cells(target["val"]) == approx([g.target_budget for g in goals])
    assert cells(planned["val"]) == approx([g.planned_budget for g in goals])


def check_matrix(chart: Chart, cells: Cells, plan, results, lang: str) -> None:
    """The series named after a quadrant (one per side its points' labels sit on) hold exactly
    its tactics' (complexity, value) points, each once; two more series draw the midpoint
    lines of the score scale."""
    assert chart.kind == "scatterChart"
    tactics = {t.id: t for t in plan.tactics}
    lo, hi = plan.settings.score_scale
    mid = (lo + hi) / 2
    by_label = {labels.text(q.label_key, lang): q for q in Quadrant}
    drawn: dict[Quadrant, list] = {}
    for series in chart.series:
        if series["name"] is None:
            continue
        points = zip(cells(series["xVal"]), cells(series["yVal"]), strict=True)
        drawn.setdefault(by_label[series["name"]], []).extend(points)
    for quadrant, points in drawn.items():
        expected = {
            (tactics[r.id].complexity, tactics[r.id].value)
            for r in results.tactics
            if r.quadrant is quadrant
        }
        assert sorted(points) == sorted(expected)
    assert set(drawn) == {r.quadrant for r in results.tactics if r.quadrant}
    lines = [cells(s["xVal"]) + cells(s["yVal"]) for s in chart.series if s["name"] is None]
    assert [mid, mid] in [line[:2] for line in lines]
    assert [mid, mid] in [line[2:] for line in lines]


def check_owners(chart: Chart, cells: Cells, plan, results, lang: str) -> None:
    assert chart.kind == "barChart"
    assert chart.root.find(".//c:grouping", NS).get("val") == "stacked"
    owners = cells(chart.series[0]["cat"])
    counted = {}
    for series in chart.series:
        for owner, count in zip(owners, cells(series["val"]), strict=True):
            counted[(owner, series["name"])] = count or 0
    for owner in owners:
        for series in chart.series:
            expected = sum(
                1
                for t, r in zip(plan.tactics, results.tactics, strict=True)
                if (t.owner or labels.text("report.no_owner", lang)) == owner
                and labels.text(r.due_status.label_key, lang) == series["name"]
            )
            assert counted[(owner, series["name"])] == expected
    assert sum(counted.values()) == len(plan.tactics)


def check_monthly(charts: list[Chart], cells: Cells, plan, results, lang: str) -> None:
    """Strategic KPIs as % of the way from baseline to target, plan then actual per KPI."""
    kpis = {k.id: k for k in plan.kpis}
    strategic = [
        m for m in results.monthly if m.months and kpis[m.kpi_id].level is KpiLevel.STRATEGIC
    ]
    chart = by_title(charts, "dash.chart.monthly" if strategic else "dash.chart.monthly_any", lang)
    pool = strategic or [m for m in results.monthly if m.months]
    now = {k.id: k for k in results.kpis}
    levels = {k.id: list(KpiLevel).index(k.level) if k.level else 9 for k in plan.kpis}
    order = worst_first(
        [
            Standing(
                m.kpi_id,
                now[m.kpi_id].status,
                now[m.kpi_id].progress,
                now[m.kpi_id].expected,
                levels[m.kpi_id],
            )
            for m in pool
        ],
        len(chart.series) // 2,
    ).ids
    by_kpi = {m.kpi_id: m for m in pool}
    chosen = [by_kpi[i] for i in order]
    for i, m in enumerate(chosen):
        kpi = kpis[m.kpi_id]
        base = baseline_of(kpi)
        plan_values = [v for v in cells(chart.series[2 * i]["val"]) if v is not None]
        actual_values = [v for v in cells(chart.series[2 * i + 1]["val"]) if v is not None]
        assert plan_values == approx([(p.planned - base) / (kpi.target - base) for p in m.months])
        assert actual_values == approx(
            [(p.actual - base) / (kpi.target - base) for p in m.months if p.actual is not None]
        )


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("name", ["en", "zh"])
def test_charts_point_at_the_engines_numbers(built, name):
    check_charts(*built[name])


@pytest.mark.parametrize("name", ["en", "zh"])
def test_titles_and_fonts_in_the_plans_language(built, name):
    charts = dashboard_charts(built[name][1])
    titles = {c.title for c in charts}
    for key in ("progress", "budget", "matrix", "owners", "monthly"):
        assert labels.text(f"dash.chart.{key}", name) in titles
    font = "Microsoft YaHei" if name == "zh" else "Calibri"
    assert all(font in chart.fonts() for chart in charts)


def test_dashboard_is_first_and_active_and_prints_on_one_landscape_page(built):
    book = openpyxl.load_workbook(built["en"][1])
    sheet = book.worksheets[0]
    assert sheet.title == "Dashboard" and book.active.title == "Dashboard"
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 1  # a USD plan: Letter
    own = ("Dashboard", "Allocation", "Breakdown", "Trend", "Data Checks")
    # the sheets sheetplan writes share one paper; the user's keep their own print set-up
    assert {book[name].page_setup.paperSize for name in own} == {1}
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth or 1, setup.fitToHeight or 1) == (1, 1)  # 1 is the default, omitted
    assert sheet.print_area == f"'Dashboard'!$A$1:$R${len(dashboard.ROWS)}"
    assert not sheet.sheet_view.showGridLines
    charts_sheet = openpyxl.load_workbook(built["zh"][1]).worksheets[0]
    assert charts_sheet.title == "仪表板"


def test_chart_data_sits_outside_the_print_area(built):
    """Charts draw from cells right of the printed grid, visible (Excel skips hidden cells)."""
    for chart in dashboard_charts(built["en"][1]):
        for series in chart.series:
            for part in ("cat", "val", "xVal", "yVal"):
                if part in series:
                    column = re.search(r"!\$([A-Z]+)\$", series[part]).group(1)
                    index = openpyxl.utils.column_index_from_string(column) - 1
                    assert index >= dashboard.DATA_COL


@pytest.mark.parametrize("name", ["en", "zh"])
def test_tiles_equal_the_summary(built, name):
    source, out = built[name]
    _, results, lang = engine(source)
    s = results.summary
    sheet = openpyxl.load_workbook(out).worksheets[0]
    row = dashboard.ROW["tile_label"] + 1
    found = {
        sheet.cell(row, c).value: sheet.cell(row + 1, c).value
        for c in range(1, dashboard.COLS + 1, dashboard.TILE_COLS)
    }

    def good(counts):
        return sum(c.count for c in counts if TONE[c.status] is Tone.GOOD)

    t = lambda key: labels.text(key, lang)  # noqa: E731
    overdue = next(c.count for c in s.tactics if c.status.value == "overdue")
    assert found == {
        t("dash.tile.goals"): good(s.goals),
        t("dash.tile.kpis"): good(s.kpis),
        t("dash.tile.tactics"): good(s.tactics),
        t("dash.tile.overdue"): overdue,
        t("dash.tile.budget"): s.budget_total,
        t("dash.tile.unallocated"): s.budget_unallocated or 0,
    }
    formats = [sheet.cell(row + 1, c).number_format for c in (1, 4, 7)]
    assert formats == [f'0" / {s.goal_total}"', f'0" / {s.kpi_total}"', f'0" / {s.tactic_total}"']


def test_trend_chart_only_from_the_second_snapshot(built, tmp_path):
    """A Trend sheet with an earlier snapshot (as an earlier refresh leaves it) brings the
    chart; its series are each goal's progress, the earlier date first."""
    assert labels.text("dash.chart.trend", "en") not in {
        c.title for c in dashboard_charts(built["en"][1])
    }
    earlier = date(2026, 8, 1)
    kind = trend.kind_label("goal", "en")
    log = [trend.header("en"), [earlier, kind, "G1", "Be known", None, 0.1, "On track"]]
    log.append([earlier, kind, "G2", "Be loved", None, 0.05, "At risk"])
    sheets = minimal_plan()
    sheets["Trend"] = log

    def marked(book) -> None:  # as an earlier refresh marks the sheets it wrote
        book.define_name("Trend!_sheetplan_report", '"trend"')

    source = write_workbook(tmp_path / "trend.xlsx", sheets, extra=marked)
    out = _refresh(tmp_path, "trend", source=source)
    chart = by_title(dashboard_charts(out), "dash.chart.trend", "en")
    cells = Cells(out)
    assert cells(chart.series[0]["cat"]) == ["2026-08-01", "2026-08-15"]
    _, results, _ = engine(tmp_path / "trend.xlsx")
    order = worst_first(
        [Standing(g.id, g.status, g.progress, g.expected) for g in results.goals], 9
    ).ids
    assert [s["name"].split(" ")[0] for s in chart.series] == list(order)
    goals = {g.id: g for g in results.goals}
    then = {"G1": 0.1, "G2": 0.05}
    for series, ident in zip(chart.series, order, strict=True):
        assert cells(series["val"]) == approx([then[ident], goals[ident].progress])


def test_an_empty_plan_gets_notes_not_broken_charts(tmp_path):
    empty = minimal_plan(
        Goals=[["ID", "Company goal ID", "Category", "Goal"]],
        KPIs=[["ID", "Goal ID", "Level", "KPI", "Unit", "Baseline", "Target"]],
        Tactics=[["ID", "Goal ID", "Tactic", "Value", "Complexity", "Owner", "Status"]],
        Actuals=[["Date", "KPI ID", "Value"]],
    )
    out = _refresh(tmp_path, "empty", empty)
    assert dashboard_charts(out) == []
    values = [c.value for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in row]
    for key in ("dash.empty", "dash.no.kpis", "dash.no.tactics", "dash.no.owners", "dash.no.trend"):
        assert labels.text(key, "en") in values
    assert labels.text("dash.none.overdue", "en") in values


def test_a_plan_without_actuals_still_draws_its_charts(tmp_path):
    out = _refresh(tmp_path, "no-log", minimal_plan(Actuals=[["Date", "KPI ID", "Value"]]))
    source = tmp_path / "no-log.xlsx"
    check_charts(source, out)


SAMPLES = [ROOT / "samples" / "sample_en.xlsx", ROOT / "samples" / "sample_zh.xlsx"]


@pytest.mark.parametrize("sample", SAMPLES, ids=["sample_en", "sample_zh"])
def test_samples(sample, tmp_path):
    if not sample.exists():
        pytest.skip(f"{sample.name} is not in samples/ yet")
    out = tmp_path / sample.name
    refresh(sample, output=out, backup=False, refreshed_at=STAMP)
    loaded = load_plan(sample)
    day = loaded.plan.settings.as_of or AS_OF
    if loaded.plan.settings.as_of is None:
        refresh(sample, output=out, as_of=day, backup=False, refreshed_at=STAMP)
    check_charts(sample, out, day)
    lang = "zh" if "zh" in sample.name else "en"
    titles = {c.title for c in dashboard_charts(out)}
    assert labels.text("dash.chart.matrix", lang) in titles


# ------------------------------------------------------------------ room for every label

LINE_PX = {"en": 1.25 * 11 * 4 / 3, "zh": 1.45 * 12 * 4 / 3}
"""A line of the Dashboard's smallest chart type in pixels: Calibri (Carlito) at 11 pt; a CJK
face (YaHei, Noto Sans CJK: about 1.45 em) at 12 pt. A chart skips every other category label
when the categories are closer than that (issue 14: the Chinese KPI chart showed half)."""


def _chart_parts(path: Path) -> tuple[list[Chart], float]:
    """The Dashboard's charts and their height in pixels as anchored (all six one size): the
    rows they span, less the offsets into the first and last."""
    charts = dashboard_charts(path)
    with zipfile.ZipFile(path) as z:
        drawing = next(
            z.read(n)
            for n in z.namelist()
            if re.match(r"xl/drawings/drawing\d+\.xml$", n) and b"/chart" in z.read(n)
        )
    anchor = ElementTree.fromstring(drawing).find("{*}twoCellAnchor")
    (first, first_off), (last, last_off) = (
        (
            int(anchor.find(f"{{*}}{end}/{{*}}row").text),
            int(anchor.find(f"{{*}}{end}/{{*}}rowOff").text),
        )
        for end in ("from", "to")
    )
    sheet = openpyxl.load_workbook(path).worksheets[0]
    points = sum(sheet.row_dimensions[r + 1].height for r in range(first, last))
    return charts, (points + (last_off - first_off) / 12700) * 4 / 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bar_charts_give_every_category_label_a_line(lang, tmp_path):
    from refreshed import run_refresh

    from sheetplan.writer.chartkit import LABEL_LIMIT, SMALL_PT
    from sheetplan.writer.choose import width

    out = run_refresh(ROOT / "samples" / f"sample_{lang}.xlsx", tmp_path / "out.xlsx")
    charts, height = _chart_parts(out)
    for key in ("dash.chart.progress", "dash.chart.budget", "dash.chart.owners"):
        chart = by_title(charts, key, lang)
        layout = chart.root.find("c:chart/c:plotArea/c:layout/c:manualLayout", NS)
        assert layout is not None, key  # a legend or title cannot squeeze the plot
        plot = float(layout.find("c:h", NS).get("val")) * height
        names = [
            p.text for p in chart.root.find("c:chart/c:plotArea//c:cat", NS).iter(f"{{{NS['c']}}}v")
        ]
        assert plot / len(names) >= 1.1 * LINE_PX[lang], (key, plot, len(names))
        size = chart.root.find("c:chart/c:plotArea/c:catAx/c:txPr//a:defRPr", NS).get("sz")
        assert int(size) == SMALL_PT[lang] * 100  # never smaller: it prints at 8 pt
        if key != "dash.chart.owners":  # "ID words": the words within the language's budget
            for name in names:
                ident = name.split(" ")[0]
                assert width(name) <= width(ident) + 1 + LABEL_LIMIT[lang], name
            assert len(set(names)) == len(names)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_money_axis_labels_are_few_and_level(lang, tmp_path):
    from refreshed import engine, run_refresh

    source = ROOT / "samples" / f"sample_{lang}.xlsx"
    out = run_refresh(source, tmp_path / "out.xlsx")
    _, results = engine(source)
    goals = results.allocation.goals
    most = max([g.planned_budget for g in goals] + [g.target_budget or 0 for g in goals])
    chart = by_title(dashboard_charts(out), "dash.chart.budget", lang)
    axis = chart.root.find("c:chart/c:plotArea/c:valAx", NS)
    top = float(axis.find("c:scaling/c:max", NS).get("val"))
    unit = float(axis.find("c:majorUnit", NS).get("val"))
    assert top >= most and top - unit < most  # reaches the largest amount, no step to spare
    assert 2 <= top / unit <= 5
    assert axis.find("c:txPr/a:bodyPr", NS).get("rot") == "0"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_owners_chart_keeps_as_many_owners_as_have_a_line(lang, tmp_path):
    """Ten owners on a 240-pixel chart would be 17 px apart, less than a line: the chart would
    print every other name. It keeps those that fit, most loaded first, and says so."""
    plan = minimal_plan()
    tactics = plan["Tactics"]
    for i in range(3, 13):  # ten more owners, one tactic each
        tactics.append([f"T{i}", "G1", f"Post {i}", 3, 3, f"Owner {i:02d}", *tactics[1][6:]])
    sheets = plan if lang == "en" else in_chinese(plan)
    out = _refresh(tmp_path, f"owners_{lang}", sheets)
    charts, height = _chart_parts(out)
    chart = by_title(charts, "dash.chart.owners", lang)
    names = [
        p.text for p in chart.root.find("c:chart/c:plotArea//c:cat", NS).iter(f"{{{NS['c']}}}v")
    ]
    layout = chart.root.find("c:chart/c:plotArea/c:layout/c:manualLayout", NS)
    plot = float(layout.find("c:h", NS).get("val")) * height
    assert 5 <= len(names) < 12  # 12 owners in all (Ann, Bo and ten more)
    assert plot / len(names) >= 1.1 * LINE_PX[lang]
    assert labels.text("dash.chart.some", lang, shown=len(names), total=12) in chart.title


def test_budget_chart_keeps_the_goals_with_most_at_stake_when_not_all_have_a_line(tmp_path):
    """Ten goals on a 240-pixel chart whose title, with its "(6 of 10)", takes two lines: the
    plot keeps 240 − 62 (title) − 53 (axis and legend) = 125 px, a line of 1.1 × 18.3 px for
    six goals. Kept are the six with the largest target or planned budget: G1 and G2 (targets
    of 6,000 and 4,000) and G7–G10 (planned 700–1,000), in sheet order."""
    plan = minimal_plan()
    goals, tactics = plan["Goals"], plan["Tactics"]
    for i in range(3, 11):
        goals.append([f"G{i}", "C1", "Awareness", f"Goal {i}", "Ann", *goals[1][5:7], 0])
        row = [f"T{i}", f"G{i}", f"Post {i}", 3, 3, "Ann", *tactics[1][6:]]
        row[10] = i * 100  # the budget column
        tactics.append(row)
    out = _refresh(tmp_path, "goals", plan)
    chart = by_title(dashboard_charts(out), "dash.chart.budget", "en")
    shown = [
        p.text.split(" ")[0]
        for p in chart.root.find("c:chart/c:plotArea//c:cat", NS).iter(f"{{{NS['c']}}}v")
    ]
    assert shown == ["G1", "G2", "G7", "G8", "G9", "G10"]
    assert labels.text("dash.chart.some", "en", shown=6, total=10) in chart.title
