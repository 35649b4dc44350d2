"""The refreshed input and report sheets, read back with openpyxl and pandas: every computed
value is the engine's, every computed cell has a value, the sheets are tables with frozen
headers, and the reports say what the engine found."""

from __future__ import annotations

import warnings
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from refreshed import (
    AS_OF,
    OPENPYXL_WARNINGS,
    build,
    columns_of,
    engine,
    expected_cells,
    formulas_without_values,
    header_row,
    run_refresh,
    same,
)

from sheetplan import labels
from sheetplan.reader import sheet_parts

from workbooks import in_chinese, minimal_plan

pytestmark = [pytest.mark.filterwarnings(w) for w in OPENPYXL_WARNINGS]

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("sample_*.xlsx"))


def mixed_headers() -> dict:
    """English sheet names, with some Chinese headers on Goals, KPIs and Tactics."""
    sheets = minimal_plan()
    chinese = in_chinese(minimal_plan())
    sheets["Goals"] = [chinese["社媒目标"][0], *sheets["Goals"][1:]]
    sheets["KPIs"][0] = [*sheets["KPIs"][0][:4], *chinese["关键指标"][0][4:]]
    sheets["Tactics"][0] = [*chinese["策略"][0][:6], *sheets["Tactics"][0][6:]]
    return sheets


PLANS = {
    "english": minimal_plan,
    "chinese": lambda: in_chinese(minimal_plan()),
    "mixed_headers": mixed_headers,
}


@pytest.fixture(scope="module", params=[*PLANS, *(p.name for p in SAMPLES)])
def refreshed(request, tmp_path_factory):
    """(source, output) for each plan, refreshed once for the module."""
    folder = tmp_path_factory.mktemp(request.param.replace(".", "_"))
    if request.param in PLANS:
        source = build(folder / "plan.xlsx", PLANS[request.param]())
        as_of = AS_OF
    else:
        source = ROOT / "samples" / request.param
        as_of = date(2026, 11, 15)
    output = run_refresh(source, folder / "out.xlsx", as_of)
    return source, output, as_of


def test_every_computed_value_is_the_engines(refreshed):
    source, output, as_of = refreshed
    loaded, results = engine(source, as_of)
    book = openpyxl.load_workbook(output, data_only=True)
    checked = 0
    for key, records in (
        ("goals", results.goals),
        ("kpis", results.kpis),
        ("tactics", results.tactics),
    ):
        ws = book[loaded.raw.sheets[key].name]
        row = header_row(ws)
        cols = columns_of(ws, row)
        for record in records:
            for header, wanted in expected_cells(key, record, loaded.language).items():
                found = ws.cell(record.row, cols[header]).value
                assert same(found, wanted), (key, record.id, header, found, wanted)
                checked += 1
    assert checked > 20


def test_computed_columns_sit_right_of_the_users_and_once(refreshed):
    source, output, _ = refreshed
    loaded, _ = engine(source)
    book = openpyxl.load_workbook(output, data_only=True)
    for key in ("goals", "kpis", "tactics"):
        raw = loaded.raw.sheets[key]
        ws = book[raw.name]
        headers = [c.value for c in ws[header_row(ws)]]
        names = [
            labels.text(k, loaded.language) for k in labels.keys_with_prefix(f"computed.{key}.")
        ]
        user = len(headers) - len(names)
        assert headers[user:] == names
        assert all(h not in names for h in headers[:user] if h not in raw.headers.values())


def test_pandas_reads_the_same_numbers(refreshed):
    pandas = pytest.importorskip("pandas")
    source, output, as_of = refreshed
    loaded, results = engine(source, as_of)
    lang = loaded.language
    raw = loaded.raw.sheets["tactics"]
    frame = pandas.read_excel(
        output, sheet_name=raw.name, header=raw.header_row - 1, engine="openpyxl"
    )
    ids = frame[raw.headers[raw.columns["id"]]].tolist()
    by_id = {t.id: t for t in results.tactics}
    rank = frame[labels.text("computed.tactics.rank", lang)].tolist()
    budget = frame[labels.text("computed.tactics.target_budget", lang)].tolist()
    for ident, r, b in zip(ids, rank, budget, strict=True):
        want = by_id[ident]
        assert (r != r and want.rank is None) or r == want.rank
        assert (b != b and want.target_budget is None) or b == pytest.approx(want.target_budget)


def test_no_formula_without_a_value_and_no_links(refreshed):
    _, output, _ = refreshed
    assert formulas_without_values(output) == []
    with zipfile.ZipFile(output) as archive:
        rels = [n for n in archive.namelist() if n.endswith(".rels")]
        assert not any(b"/hyperlink" in archive.read(n) for n in rels)


def test_input_sheets_keep_their_own_tables_and_reports_are_tables(refreshed):
    """Issue 10: the refresh adds no table, filter or frozen pane to the user's sheets (they
    keep what they had); a table over an input sheet's headers grows over the computed
    columns; sheetplan's report sheets are tables of their own."""
    source, output, _ = refreshed
    loaded, _ = engine(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        before = openpyxl.load_workbook(source)
        book = openpyxl.load_workbook(output)
    for key, raw in loaded.raw.sheets.items():
        old, ws = before[raw.name], book[raw.name]
        assert ws.freeze_panes == old.freeze_panes, raw.name
        assert sorted(ws.tables) == sorted(old.tables), raw.name
        if key in ("goals", "kpis", "tactics"):
            for table in ws.tables.values():
                last = table.ref.split(":")[1].rstrip("0123456789")
                assert last == get_column_letter(ws.max_column), (raw.name, table.name)
        else:
            assert [t.ref for t in ws.tables.values()] == [t.ref for t in old.tables.values()]
    names = {"allocation", "breakdown", "trend", "data_checks"}
    for key in names:
        sheet = loaded.raw.output_sheets.get(key) or labels.text(f"sheet.{key}", loaded.language)
        assert book[sheet].tables, sheet


def test_status_colours_and_progress_bars_are_conditional_formats(refreshed):
    source, output, _ = refreshed
    loaded, _ = engine(source)
    with zipfile.ZipFile(output) as archive:
        names = sheet_parts(archive)
        kpis = archive.read(names[loaded.raw.sheets["kpis"].name]).decode()
    on_track = labels.text("kpi_status.on_track", loaded.language)
    assert f"&quot;{on_track}&quot;" in kpis or f'"{on_track}"' in kpis
    assert "dataBar" in kpis


def test_trend_and_data_checks_say_what_the_engine_found(refreshed):
    source, output, as_of = refreshed
    loaded, results = engine(source, as_of)
    lang = loaded.language
    book = openpyxl.load_workbook(output, data_only=True)
    trend = book[labels.text("sheet.trend", lang)]
    rows = list(trend.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(results.goals) + len(results.kpis)
    assert {r[0].date() for r in rows} == {as_of}
    checks = book[labels.text("sheet.data_checks", lang)]
    listed = [r for r in checks.iter_rows(min_row=2, values_only=True) if r[0]]
    expected = [*loaded.problems, *results.problems]
    assert len(listed) == len(expected)
    severities = {labels.text(f"severity.{s}", lang) for s in ("error", "warning", "info")}
    assert all(r[0] in severities for r in listed)


def test_allocation_adds_up(refreshed):
    source, output, as_of = refreshed
    loaded, results = engine(source, as_of)
    lang = loaded.language
    ws = openpyxl.load_workbook(output, data_only=True)[labels.text("sheet.allocation", lang)]
    header = header_row(ws)
    cols = columns_of(ws, header)
    share = cols[labels.text("computed.allocation.target_share", lang)]
    goal_rows = len(results.allocation.goals) + 1  # and the Unallocated line
    values = [ws.cell(header + 1 + i, share).value or 0 for i in range(goal_rows)]
    assert sum(values) == pytest.approx(1.0)
    unallocated = ws.cell(header + goal_rows, cols[labels.text("computed.allocation.goal", lang)])
    assert unallocated.value == labels.text("computed.allocation.unallocated", lang)


def test_breakdown_is_one_row_per_kpi_month(refreshed):
    source, output, as_of = refreshed
    loaded, results = engine(source, as_of)
    lang = loaded.language
    ws = openpyxl.load_workbook(output, data_only=True)[labels.text("sheet.breakdown", lang)]
    cols = columns_of(ws, 1)
    planned = cols[labels.text("computed.breakdown.planned", lang)]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    points = [p for m in results.monthly for p in m.months]
    assert len(rows) == len(points)
    for row, point in zip(rows, points, strict=True):
        assert same(row[planned - 1], point.planned)


# ---------------------------------------------------------------------------------------------


def test_a_plan_with_problems_lists_them_located(tmp_path):
    sheets = minimal_plan()
    sheets["Tactics"][2][7] = "31/13/2026"
    out = run_refresh(build(tmp_path / "p.xlsx", sheets), tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(out, data_only=True)["Data Checks"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    found = [r for r in rows if r[1] == "Tactics" and r[2] == 3]
    assert found and found[0][0] == "Error" and found[0][3] == "Due"
    assert found[0][4] == "31/13/2026"


def test_a_clean_plan_says_so(tmp_path):
    sheets = minimal_plan()
    sheets["Actuals"].append([date(2026, 8, 14), "K1", 1600, "Weibo"])
    out = run_refresh(build(tmp_path / "p.xlsx", sheets), tmp_path / "o.xlsx")
    loaded, results = engine(tmp_path / "p.xlsx")
    if loaded.problems or results.problems:
        pytest.skip("the minimal plan is not clean any more")
    ws = openpyxl.load_workbook(out, data_only=True)["Data Checks"]
    assert ws["F2"].value == labels.text("refresh.checks.none", "en")


def test_a_long_log_is_copied_as_its_stored_bytes(tmp_path):
    """Issue 10: the log is never re-serialised — its zip member (compressed bytes, checksum)
    is the original's, so a big log costs nothing to keep."""
    sheets = minimal_plan()
    start = date(2026, 7, 1).toordinal()
    sheets["Actuals"] += [
        [date.fromordinal(start + i % 40), "K1", 1000 + i, "Weibo"] for i in range(6000)
    ]
    plan = build(tmp_path / "p.xlsx", sheets)
    out = run_refresh(plan, tmp_path / "o.xlsx")
    with zipfile.ZipFile(plan) as a, zipfile.ZipFile(out) as b:
        part = sheet_parts(a)["Actuals"]
        assert sheet_parts(b)["Actuals"] == part
        old, new = a.getinfo(part), b.getinfo(part)
        assert (old.CRC, old.compress_size, old.file_size) == (
            new.CRC,
            new.compress_size,
            new.file_size,
        )


def test_data_checks_lists_a_thousand_of_one_kind_and_counts_the_rest(tmp_path):
    """A log pasted twice over: 1,205 exact repeats (same date, KPI, channel, source, value)
    are one kind of problem: 1,000 rows listed, then one row saying 205 more."""
    from datetime import timedelta

    from sheetplan import api

    from workbooks import write_workbook

    first = date(2026, 7, 1)
    original = [
        [first + timedelta(days=i % 40), "K1", 1000 + i, f"Channel {i}"] for i in range(1_205)
    ]
    log = [["Date", "KPI ID", "Value", "Channel"], *original, *original]
    plan = write_workbook(tmp_path / "plan.xlsx", minimal_plan(Actuals=log))
    api.refresh(plan, backup=False, as_of=date(2026, 8, 15))
    sheet = openpyxl.load_workbook(plan, read_only=True)["Data Checks"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "Actuals"]
    repeats = [r for r in rows if r[2] is not None and r[2] > 1_206]
    assert len(repeats) == 1_000
    more = [r for r in rows if r[5] and r[5].startswith("…and")]
    assert len(more) == 1 and "205 more rows" in more[0][5]
    at = rows.index(more[0])
    assert rows[at - 1] == repeats[-1]
