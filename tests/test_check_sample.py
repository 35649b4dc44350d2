"""`check` on the bundled samples, and on copies seeded with one problem of every kind
(issue 3, acceptance 3): each is found on the right sheet, row and column, in the workbook's
language, and the file is not changed."""

import shutil
import warnings
from datetime import date
from hashlib import sha256

import pytest

from sheetplan import labels
from sheetplan.api import load_plan
from sheetplan.errors import Severity

from conftest import ROOT

SAMPLES = {"en": ROOT / "samples" / "sample_en.xlsx", "zh": ROOT / "samples" / "sample_zh.xlsx"}

# (sheet, row, column, value): the cells changed in a copy of the sample. Rows are the
# spreadsheet's; the sample's layout is the same in both languages.
SEEDS = [
    ("settings", 8, "setting_value", "Lunch"),  # a profile not on Weights
    ("goals", 3, "company_goal_id", "C9"),
    ("goals", 4, "category", "Trafic"),
    ("goals", 6, "due", date(2026, 6, 1)),  # G5 starts 2026-08-01
    ("goals", 8, "weight", 5),  # the only weight filled in
    ("goals", 9, "id", "G1"),  # a new row reusing G1
    ("goals", 9, "goal", "A second G1"),
    ("kpis", 3, "goal_id", "G99"),
    ("kpis", 4, "target", 0),  # K3's baseline is 0
    ("kpis", 5, "level", "Stratgic"),
    ("kpis", 6, "aggregation", "median"),
    ("kpis", 20, "id", "K50"),  # a new KPI with neither a log nor Current
    ("kpis", 20, "goal_id", "G1"),
    ("kpis", 20, "target", 10),
    ("tactics", 3, "value", 9),
    ("tactics", 4, "due", "31/13/2026"),
    ("tactics", 5, "budget", "lots"),
    ("tactics", 6, "owner", "Nobody"),
    ("tactics", 7, "id", None),
    ("tactics", 8, "status", "Finshed"),
    ("actuals", 2, "kpi_id", "K99"),
    ("actuals", 3, "date", date(2026, 12, 25)),  # after the as-of date 2026-11-15
    ("actuals", 8, "date", date(2026, 6, 15)),  # K2 (summed) starts 2026-07-01
    ("actuals", 9, "actual_value", "=1+1"),  # a formula never calculated
]
# Row 5 of Actuals becomes an exact copy of row 4, row 7 a conflicting copy of row 6 (below).

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO
EXPECTED = [  # (severity, code, sheet, row, column)
    (E, "unknown_profile", "settings", 8, "setting_value"),
    (E, "unknown_ref", "goals", 3, "company_goal_id"),
    (W, "category_other", "goals", 4, "category"),
    (E, "due_before_start", "goals", 6, "due"),
    (W, "partial_weights", "goals", 0, "weight"),
    (E, "duplicate_id", "goals", 9, "id"),
    (E, "unknown_ref", "kpis", 3, "goal_id"),
    (E, "target_equals_baseline", "kpis", 4, "target"),
    (E, "not_in_list", "kpis", 5, "level"),
    (E, "not_in_list", "kpis", 6, "aggregation"),
    (W, "kpi_no_data", "kpis", 20, "current"),
    (E, "score_out_of_scale", "tactics", 3, "value"),
    (E, "not_a_date", "tactics", 4, "due"),
    (E, "not_a_number", "tactics", 5, "budget"),
    (W, "owner_not_in_team", "tactics", 6, "owner"),
    (E, "missing_id", "tactics", 7, "id"),
    (E, "not_in_list", "tactics", 8, "status"),
    (E, "unknown_ref", "actuals", 2, "kpi_id"),
    (W, "actual_after_as_of", "actuals", 3, "date"),
    (N, "duplicate_actual", "actuals", 5, "actual_value"),
    (W, "conflicting_actual", "actuals", 6, "actual_value"),
    (W, "actual_before_start", "actuals", 8, "date"),
    (W, "unsaved_formula", "actuals", 9, "actual_value"),
    (E, "required_missing", "actuals", 9, "actual_value"),
]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bundled_samples_are_clean(lang):
    loaded = load_plan(SAMPLES[lang])
    assert loaded.problems == ()
    assert loaded.language == lang


def seeded_copy(tmp_path, lang):
    import openpyxl

    path = tmp_path / f"seeded_{lang}.xlsx"
    shutil.copy(SAMPLES[lang], path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl: "Data Validation extension is not supported"
        book = openpyxl.load_workbook(path)
    for sheet_key, row, column_key, value in SEEDS:
        sheet = book[sheet_name(sheet_key, lang)]
        sheet.cell(row, column_of(sheet, column_key, lang)).value = value
    log = book[sheet_name("actuals", lang)]
    for target, source, change in ((5, 4, 0), (7, 6, 1)):
        for col in range(1, 5):
            log.cell(target, col, log.cell(source, col).value)
        log.cell(target, 3, log.cell(source, 3).value + change)  # + 1: another value
    book.save(path)
    return path


def sheet_name(key, lang):
    return labels.text(f"sheet.{key}", lang)


def column_of(sheet, key, lang):
    header = labels.text(f"col.{key}", lang)
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no {header} on {sheet.title}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_seeded_problem_is_found_on_a_copy_of_the_sample(tmp_path, lang):
    path = seeded_copy(tmp_path, lang)
    before = sha256(path.read_bytes()).hexdigest()

    loaded = load_plan(path)

    found = sorted(
        (p.severity.value, p.code, p.sheet, p.row or 0, p.column) for p in loaded.problems
    )
    expected = sorted(
        (s.value, code, sheet_name(sheet, lang), row, labels.text(f"col.{column}", lang))
        for s, code, sheet, row, column in EXPECTED
    )
    assert found == expected
    assert len({code for _, code, *_ in EXPECTED}) >= 15
    assert sha256(path.read_bytes()).hexdigest() == before
    messages = " ".join(p.message for p in loaded.problems)
    if lang == "zh":  # every message speaks the workbook's language
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.message) for p in loaded.problems)
    else:
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in messages)
