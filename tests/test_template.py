"""`sheetplan new`: the blank template and the sample, read back as a user's Excel would see them.

Expected values come from the declarations (schema.py, data/labels) and from the thresholds of
issue 3, never from a previous run of the writer.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from sheetplan import labels
from sheetplan.api import load_plan
from sheetplan.errors import Severity
from sheetplan.model import (
    Aggregation,
    Category,
    KpiLevel,
    Language,
    Platform,
    Settings,
    TacticStatus,
    ValueKind,
)
from sheetplan.schema import INPUT_SHEETS, SETTINGS, SHEETS_BY_KEY, Kind
from sheetplan.writer.template import write_plan_template

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = {
    ("en", False): ROOT / "templates" / "plan_en.xlsx",
    ("zh", False): ROOT / "templates" / "plan_zh.xlsx",
    ("en", True): ROOT / "samples" / "sample_en.xlsx",
    ("zh", True): ROOT / "samples" / "sample_zh.xlsx",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[tuple[str, bool], Path]:
    folder = tmp_path_factory.mktemp("new")
    out = {}
    for lang, sample in COMMITTED:
        path = folder / f"{'sample' if sample else 'plan'}_{lang}.xlsx"
        write_plan_template(path, lang=lang, sample=sample)
        out[(lang, sample)] = path
    return out


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in sorted(archive.namelist())}


def sheet_name(key: str, lang: str) -> str:
    return labels.text(f"sheet.{key}", lang)


def book(path: Path):
    return openpyxl.load_workbook(path)


# ---------------------------------------------------------------------------------------------
# Determinism and the committed copies


@pytest.mark.parametrize(
    "case", list(COMMITTED), ids=lambda c: f"{c[0]}-{'sample' if c[1] else 'blank'}"
)
def test_committed_copy_matches_what_new_writes(case, written):
    committed = COMMITTED[case]
    lang, sample = case
    command = f"sheetplan new {committed.relative_to(ROOT)} --lang {lang}"
    command += " --sample --force" if sample else " --force"
    assert committed.exists(), f"missing {committed}: run `{command}`"
    assert parts(committed) == parts(written[case]), f"{committed.name} is stale: run `{command}`"


def test_two_runs_write_identical_parts(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_plan_template(first, lang="zh", sample=True)
    write_plan_template(second, lang="zh", sample=True)
    assert parts(first) == parts(second)
    assert b"2026-01-01T00:00:00Z" in parts(first)["docProps/core.xml"]


# ---------------------------------------------------------------------------------------------
# Sheets, headers, notes, formats


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sheet_names_and_headers_in_the_language(lang, written):
    wb = book(written[(lang, False)])
    expected = [sheet_name("guide", lang)] + [sheet_name(s.key, lang) for s in INPUT_SHEETS]
    assert wb.sheetnames == expected
    assert wb.active.title == sheet_name("guide", lang)
    for sheet in INPUT_SHEETS:
        ws = wb[sheet_name(sheet.key, lang)]
        headers = [c.value for c in ws[1] if c.value is not None]
        declared = [labels.text(c.label_key, lang) for c in sheet.columns]
        assert headers[: len(declared)] == declared


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_header_has_a_note_from_the_labels(lang, written):
    wb = book(written[(lang, False)])
    for sheet in INPUT_SHEETS:
        ws = wb[sheet_name(sheet.key, lang)]
        for col, cell in enumerate(ws[1], start=1):
            if cell.value is None:
                continue
            assert cell.comment is not None, f"{ws.title}!{cell.coordinate} has no note"
            assert cell.comment.text.strip(), f"{ws.title}!{cell.coordinate} has an empty note"
            if col <= len(sheet.columns) and sheet.key != "settings":
                column = sheet.columns[col - 1]
                specific = f"note.{sheet.key}.{column.key}"
                key = specific if specific in labels.all_labels() else column.note_key
                assert cell.comment.text == labels.text(key, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_header_rows_are_frozen(lang, written):
    wb = book(written[(lang, True)])
    for sheet in INPUT_SHEETS:
        ws = wb[sheet_name(sheet.key, lang)]
        assert ws.freeze_panes in ("A2", "B2"), ws.title


@pytest.mark.parametrize(("lang", "symbol"), [("en", "$"), ("zh", "¥")])
def test_input_formats_on_date_money_percent_columns(lang, symbol, written):
    wb = book(written[(lang, False)])
    for sheet in INPUT_SHEETS:
        if sheet.key == "settings":
            continue
        ws = wb[sheet_name(sheet.key, lang)]
        for col, column in enumerate(sheet.columns, start=1):
            fmt = ws.cell(row=2, column=col).number_format
            if column.kind is Kind.DATE:
                assert fmt == "yyyy-mm-dd", (ws.title, column.key)
            elif column.kind is Kind.MONEY:
                assert symbol in fmt and "#,##0" in fmt, (ws.title, column.key)
            elif column.kind is Kind.PERCENT:
                assert fmt == "0%", (ws.title, column.key)


def test_sample_dates_are_real_dates(written):
    ws = book(written[("en", True)])[sheet_name("actuals", "en")]
    assert ws.cell(row=2, column=1).is_date


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_settings_lists_every_key_with_its_default(lang, written):
    ws = book(written[(lang, False)])[sheet_name("settings", lang)]
    keys = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert keys == [labels.text(s.label_key, lang) for s in SETTINGS]
    about = [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)]
    assert about == [labels.text(s.note_key, lang) for s in SETTINGS]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blank_template_reads_back_as_the_default_settings(lang, written):
    loaded = load_plan(written[(lang, False)])
    assert loaded.plan.sources == ()  # the Sources rows are suggestions: none is mapped yet
    # the only thing said about a blank plan: its Sources rows wait for a KPI ID
    assert [(p.severity, p.code) for p in loaded.problems] == [(Severity.INFO, "source_unmapped")]
    assert loaded.language == lang
    currency = {"en": "USD", "zh": "CNY"}[lang]
    assert loaded.plan.settings == Settings(currency=currency, language=Language(lang))


# ---------------------------------------------------------------------------------------------
# Dropdowns


def validations(ws) -> dict[str, object]:
    """First cell of each validated range → its rule."""
    found = {}
    for rule in ws.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            found[cells.coord.split(":")[0]] = rule
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_closed_list_has_a_dropdown_of_its_values(lang, written):
    wb = book(written[(lang, False)])
    for sheet in INPUT_SHEETS:
        ws = wb[sheet_name(sheet.key, lang)]
        rules = validations(ws)
        for col, column in enumerate(sheet.columns, start=1):
            if column.choices is None:
                continue
            rule = rules.get(f"{openpyxl.utils.get_column_letter(col)}2")
            assert rule is not None, (ws.title, column.key)
            assert rule.type == "list"
            values = [labels.text(m.label_key, lang) for m in column.choices]
            assert rule.formula1 == '"' + ",".join(values) + '"'
            assert (rule.errorStyle or "stop") == ("warning" if column.open_list else "stop")
            assert {r.max_row for r in rule.sqref.ranges} == {1_048_576}


def test_category_accepts_other_text_with_a_warning(written):
    ws = book(written[("en", False)])[sheet_name("goals", "en")]
    column = [c.key for c in SHEETS_BY_KEY["goals"].columns].index("category") + 1
    rule = validations(ws)[f"{openpyxl.utils.get_column_letter(column)}2"]
    assert rule.errorStyle == "warning"
    assert {c.value for c in Category} <= {v.lower() for v in rule.formula1.strip('"').split(",")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_references_have_dropdowns_that_grow_with_their_sheet(lang, written):
    wb = book(written[(lang, False)])
    checked = 0
    for sheet in INPUT_SHEETS:
        ws = wb[sheet_name(sheet.key, lang)]
        rules = validations(ws)
        for col, column in enumerate(sheet.columns, start=1):
            if column.kind not in (Kind.REF, Kind.OWNER):
                continue
            rule = rules.get(f"{openpyxl.utils.get_column_letter(col)}2")
            assert rule is not None and rule.type == "list", (ws.title, column.key)
            target = SHEETS_BY_KEY[column.refers_to]
            key = target.id_column or target.columns[0].key
            letter = openpyxl.utils.get_column_letter(
                [c.key for c in target.columns].index(key) + 1
            )
            name = "'" + sheet_name(target.key, lang).replace("'", "''") + "'"
            assert rule.formula1 == (
                f"OFFSET({name}!${letter}$2,0,0,MAX(1,COUNTA({name}!${letter}:${letter})-1),1)"
            )
            assert (rule.errorStyle or "stop") == (
                "warning" if column.kind is Kind.OWNER else "stop"
            )
            checked += 1
    assert checked == 8  # company goal ID, goal ID ×2, KPI ID ×2 (Actuals, Sources), owner ×3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_settings_language_and_currency_have_dropdowns(lang, written):
    ws = book(written[(lang, False)])[sheet_name("settings", lang)]
    rows = {s.key: row for row, s in enumerate(SETTINGS, start=2)}
    rules = validations(ws)
    language = rules[f"B{rows['language']}"]
    assert (
        language.formula1
        == '"' + ",".join(labels.text(f"language.{code}", lang) for code in ("en", "zh")) + '"'
    )
    currency = rules[f"B{rows['currency']}"]
    assert {"USD", "CNY", "EUR"} <= set(currency.formula1.strip('"').split(","))
    assert currency.errorStyle == "warning"


def test_guide_explains_the_method_in_the_language(written):
    for lang in ("en", "zh"):
        ws = book(written[(lang, False)])[sheet_name("guide", lang)]
        text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        for key in ("guide.s4.title", "guide.s5.body", "guide.s8.title", "guide.s3.strategic"):
            snippet = labels.text(
                key, lang, **{s.key: sheet_name(s.key, lang) for s in INPUT_SHEETS}
            )
            assert snippet in text, key
        assert "sheetplan refresh" in text and "sheetplan check" in text
        if lang == "zh":
            assert len(CJK.findall(text)) > 500


# ---------------------------------------------------------------------------------------------
# The sample plan: every requirement of issue 3, counted from the workbook


@pytest.fixture(scope="module", params=["en", "zh"])
def sample(request, written):
    loaded = load_plan(written[(request.param, True)])
    return request.param, loaded


def test_sample_has_no_errors_and_check_exits_0(sample, written, run_cli):
    lang, loaded = sample
    assert not [p for p in loaded.problems if p.severity is Severity.ERROR]
    result = run_cli("check", written[(lang, True)])
    assert result.exit_code == 0, result.output


def test_sample_goals_and_company_goals(sample):
    lang, loaded = sample
    plan = loaded.plan
    assert len(plan.company_goals) == 3
    assert len(plan.goals) >= 6
    assert len({g.category for g in plan.goals if isinstance(g.category, Category)}) >= 5
    assert all(re.fullmatch(r"C\d+", c.id) for c in plan.company_goals)
    assert all(re.fullmatch(r"G\d+", g.id) for g in plan.goals)
    if lang == "zh":
        assert all(CJK.search(g.name) for g in plan.goals)
    else:
        assert not any(CJK.search(g.name) for g in plan.goals)


def test_sample_kpis_cover_levels_aggregations_direction_and_stretch(sample):
    _, loaded = sample
    kpis = loaded.plan.kpis
    assert len(kpis) >= 15
    assert all(re.fullmatch(r"K\d+", k.id) for k in kpis)
    assert {k.level for k in kpis} == set(KpiLevel)
    assert {k.aggregation for k in kpis} == set(Aggregation)
    assert any(k.target < k.baseline for k in kpis if k.baseline is not None)
    assert any(k.stretch is not None for k in kpis)


def test_sample_tactics_cover_statuses_quadrants_and_blank_dates(sample):
    _, loaded = sample
    plan = loaded.plan
    tactics = plan.tactics
    assert len(tactics) >= 15
    assert all(re.fullmatch(r"T\d+", t.id) for t in tactics)
    assert {t.status for t in tactics} == set(TacticStatus)
    low, high = plan.settings.score_scale
    mid = (low + high) / 2
    quadrants = {(t.value >= mid, t.complexity >= mid) for t in tactics}
    assert quadrants == {(True, False), (True, True), (False, False), (False, True)}
    assert any(t.start is None or t.due is None for t in tactics)
    assert all(low <= t.value <= high and low <= t.complexity <= high for t in tactics)


def test_sample_team_and_weights(sample):
    _, loaded = sample
    plan = loaded.plan
    assert 4 <= len(plan.team) <= 5
    assert all(m.capacity_hours and m.capacity_hours > 0 for m in plan.team)
    owners = {t.owner for t in plan.tactics} | {g.owner for g in plan.goals}
    assert owners <= {m.name for m in plan.team}
    profiles: dict[str, dict] = {}
    for w in plan.weights:
        profiles.setdefault(w.profile, {})[w.category] = w.weight
    assert len(profiles) == 2
    launch = {Category.AWARENESS: 60, Category.ENGAGEMENT: 30, Category.CONVERSION: 10}
    assert launch in profiles.values()
    assert plan.settings.weighting_profile in profiles
    chosen = profiles[plan.settings.weighting_profile]
    assert {g.category for g in plan.goals} <= set(chosen)


def test_sample_settings(sample):
    lang, loaded = sample
    s = loaded.plan.settings
    assert s.plan_name
    assert (s.plan_start, s.plan_end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert s.as_of == date(2026, 11, 15)
    assert s.total_budget and s.total_budget > 0
    assert s.currency == {"en": "USD", "zh": "CNY"}[lang]
    assert s.language == Language(lang)


def test_sample_actuals_log(sample):
    _, loaded = sample
    plan = loaded.plan
    log = plan.actuals
    as_of = plan.settings.as_of
    assert len(log) >= 500
    assert len({a.channel for a in log if a.channel}) >= 4
    assert len({(a.date.year, a.date.month) for a in log}) >= 4
    assert max(a.date for a in log) <= as_of
    goal_start = {g.id: g.start for g in plan.goals}
    for kpi in plan.kpis:
        start = kpi.start or goal_start.get(kpi.goal_id) or plan.settings.plan_start
        assert all(a.date >= start for a in log if a.kpi_id == kpi.id), kpi.id
    keys = Counter((a.date, a.kpi_id, a.channel) for a in log)
    assert max(keys.values()) == 1
    logged = {a.kpi_id for a in log}
    assert all(k.id in logged or k.current is not None for k in plan.kpis)
    newest = {}
    for a in log:
        newest[a.kpi_id] = max(newest.get(a.kpi_id, a.date), a.date)
    stale = [k for k, d in newest.items() if as_of - d > timedelta(days=14)]
    assert len(stale) >= 1


def test_sample_sources_map_real_export_columns_to_the_sample_kpis(sample):
    lang, loaded = sample
    plan = loaded.plan
    channel = {
        "en": {"wechat": "WeChat", "douyin": "Douyin"},
        "zh": {"wechat": "微信", "douyin": "抖音"},
    }
    mapped = {(m.platform, m.export_column): m for m in plan.sources}
    x = mapped[(Platform.X, "Impressions")]
    assert (x.kpi_id, x.channel, x.value_kind) == ("K2", "X", ValueKind.PER_PERIOD)
    followers = mapped[(Platform.WECHAT, "累积关注人数")]
    assert (followers.kpi_id, followers.channel) == ("K1", channel[lang]["wechat"])
    assert followers.value_kind is ValueKind.RUNNING_TOTAL
    views = mapped[(Platform.DOUYIN, "播放量")]
    assert (views.channel, views.value_kind) == (channel[lang]["douyin"], ValueKind.RUNNING_TOTAL)
    assert (Platform.INSTAGRAM, "Reach") in mapped and (Platform.XIAOHONGSHU, "观看量") in mapped
    kpis = {k.id: k for k in plan.kpis}
    for mapping in plan.sources:  # a running total feeds a latest KPI, or is a per-post total
        if mapping.value_kind is ValueKind.RUNNING_TOTAL:
            assert kpis[mapping.kpi_id].aggregation is Aggregation.LATEST or mapping.platform in (
                Platform.DOUYIN,
                Platform.XIAOHONGSHU,
            ), mapping
    sources_sheet = sheet_name("sources", lang)
    assert not [p for p in loaded.problems if p.sheet == sources_sheet]


# Headers exactly as the platforms export them (shared/research/mail-imports.md, part B).
EXPORT_HEADERS = {
    ("x", "Impressions", "per_period"),
    ("instagram", "Follows", "per_period"),
    ("instagram", "Reach", "per_period"),
    ("facebook", "Reactions, Comments and Shares", "per_period"),
    ("linkedin", "Total followers", "running_total"),
    ("tiktok", "Followers", "running_total"),
    ("youtube", "Watch time (hours)", "per_period"),
    ("wechat", "累积关注人数", "running_total"),
    ("wechat", "新关注人数", "per_period"),
    ("douyin", "播放量", "running_total"),
    ("xiaohongshu", "观看量", "running_total"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_blank_sources_suggest_every_platform_s_export_columns(lang, written):
    ws = book(written[(lang, False)])[sheet_name("sources", lang)]
    platform = {labels.text(p.label_key, lang): p.value for p in Platform}
    kind = {labels.text(k.label_key, lang): k.value for k in ValueKind}
    rows = [[c.value for c in row[:5]] for row in ws.iter_rows(min_row=2)]
    assert all(kpi_id is None and channel is None for _, _, kpi_id, channel, _ in rows)
    found = {(platform[p], column, kind[k]) for p, column, _, _, k in rows}
    assert found >= EXPORT_HEADERS
    assert {p for p, _, _ in found} == {p.value for p in Platform}


def test_both_samples_hold_the_same_plan(written):
    en, zh = (load_plan(written[(lang, True)]).plan for lang in ("en", "zh"))
    assert [a.date for a in en.actuals] == [a.date for a in zh.actuals]
    assert [k.weight for k in en.kpis] == [k.weight for k in zh.kpis]
    assert [(t.value, t.complexity, t.status) for t in en.tactics] == [
        (t.value, t.complexity, t.status) for t in zh.tactics
    ]


# ---------------------------------------------------------------------------------------------
# The command


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("sample_flag", [False, True])
def test_new_writes_blank_and_sample_in_both_languages(tmp_path, run_cli, lang, sample_flag):
    target = tmp_path / "plan.xlsx"
    args = ["new", target, "--lang", lang] + (["--sample"] if sample_flag else [])
    result = run_cli(*args, catch=False)
    assert result.exit_code == 0, result.output
    wb = book(target)
    assert wb.sheetnames[0] == sheet_name("guide", lang)
    actuals = wb[sheet_name("actuals", lang)]
    has_rows = actuals.cell(row=2, column=1).value is not None
    assert has_rows is sample_flag


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_new_refuses_to_overwrite_without_force(tmp_path, run_cli, lang):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"my work")
    result = run_cli("new", target, "--lang", lang)
    assert result.exit_code == 2  # README: the command line asks for what sheetplan won't do
    assert result.stderr == f"sheetplan: {labels.text('file.exists', lang, file='plan.xlsx')}\n"
    assert target.read_bytes() == b"my work"


def test_new_force_overwrites(tmp_path, run_cli):
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"my work")
    result = run_cli("new", target, "--force", catch=False)
    assert result.exit_code == 0
    assert zipfile.is_zipfile(target)
    assert not list(tmp_path.glob(".sheetplan-*")), "the temporary file was left behind"


def test_chinese_workbook_uses_a_chinese_font_not_the_theme(written):
    styles = parts(written[("zh", True)])["xl/styles.xml"].decode()
    names = set(re.findall(r'<name val="([^"]+)"/>', styles))
    assert names <= {"Microsoft YaHei", "Consolas", "Tahoma"}  # Tahoma: Excel's note-box entry
    assert "<scheme " not in styles  # a theme font would draw Chinese in the theme's SimSun
