"""`sheetplan summary`: the headline in both languages, --json against the documented schema."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetplan.cli import main

from workbooks import in_chinese, minimal_plan, write_workbook

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (resources.files("sheetplan") / "data" / "summary.schema.json").read_text(encoding="utf-8")
)
SAMPLES = [ROOT / "samples" / "sample_en.xlsx", ROOT / "samples" / "sample_zh.xlsx"]


def invoke(*args: object, color: bool = False, env: dict | None = None):
    return CliRunner().invoke(
        main, [str(a) for a in args], catch_exceptions=False, color=color, env=env
    )


@pytest.fixture
def plan_en(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "plan.xlsx", minimal_plan())


@pytest.fixture
def plan_zh(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "计划.xlsx", in_chinese(minimal_plan()))


def test_headline_in_english(plan_en: Path) -> None:
    # as of 2026-08-15 (Settings): T1 5/2 quick win, T2 4/4 big bet; both behind their pace
    result = invoke("summary", plan_en)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Q3 social — as of 2026-08-15 (from Settings › As-of date)"
    assert lines[3] == "Tactics    2   ● 2 Behind"
    assert lines[4] == "Budget         $10,000 total · $5,000 planned · $0 unallocated"
    assert "   1. T1  Weekly live  · Quick win · Ann · due 2026-08-31" in lines
    assert "\x1b[" not in result.output  # not a terminal: no colour


def test_headline_in_chinese_with_as_of(plan_zh: Path) -> None:
    result = invoke("summary", plan_zh, "--as-of", "2026-09-20")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("Q3 social — 截至 2026-09-20（来自 --as-of）\n")
    assert "策略    2   ● 2 已逾期" in out
    # T1 due 2026-08-31: 20 days overdue; K1 last logged 2026-08-10: 41 days
    assert "  T1  Weekly live  · Ann · 逾期 20 天" in out
    assert "  K1  Followers  · 最近更新 2026-08-10（41 天前）" in out
    # the stale KPI is a warning `check` lists too (one truth about a plan), so it is counted
    assert out.endswith("数据问题 — 错误：0，警告：1 — 查看详情：sheetplan check 计划.xlsx\n")


def test_colour_on_a_terminal_and_off_with_no_color(plan_en: Path) -> None:
    coloured = invoke("summary", plan_en, color=True)
    assert "\x1b[32m" in coloured.output or "\x1b[31m" in coloured.output
    plain = invoke("summary", plan_en, color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output


@pytest.mark.parametrize("fixture", ["plan_en", "plan_zh"])
def test_json_matches_the_schema(fixture: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(fixture)
    result = invoke("summary", path, "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert validate(data, SCHEMA) == []
    assert data["plan"]["language"] == ("zh" if fixture == "plan_zh" else "en")
    # 10,000 budget; tactics 3,000 + 2,000 planned; both goals funded
    assert data["budget"] == {
        "total": 10000.0,
        "planned": 5000.0,
        "unallocated": 0.0,
        "unallocated_share": 0.0,
    }
    assert [p["id"] for p in data["top_priorities"]] == ["T1", "T2"]


def test_data_errors_exit_1_after_printing(tmp_path: Path) -> None:
    sheets = minimal_plan(
        Actuals=[["Date", "KPI ID", "Value"], ["not a date", "K1", 5], ["2026-08-01", "K9", 1]]
    )
    path = write_workbook(tmp_path / "bad.xlsx", sheets)
    result = invoke("summary", path)
    assert result.exit_code == 1
    assert result.output.startswith("Q3 social — as of 2026-08-15 (from Settings › As-of date)\n")
    # errors: the unreadable date and the unknown KPI K9; warning: K1 now has no data at all
    line = "Data problems — errors: 2, warnings: 1 — see them with: sheetplan check bad.xlsx"
    assert line in result.output
    data = json.loads(invoke("summary", path, "--json").output)
    assert data["problems"]["errors"] == 2


def test_structural_problem_exits_1_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "nope.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    result = CliRunner().invoke(main, ["summary", str(path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_bundled_samples(sample: Path) -> None:
    if not sample.exists():
        pytest.skip(f"{sample.name} is not built yet")
    text = invoke("summary", sample)
    assert text.exit_code in (0, 1)
    data = json.loads(invoke("summary", sample, "--json").output)
    assert validate(data, SCHEMA) == []
    assert data["plan"]["language"] == ("zh" if "zh" in sample.name else "en")
    assert data["goals"]["total"] > 0 and data["tactics"]["total"] > 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sample_plan_in_both_languages(tmp_path: Path, lang: str) -> None:
    sample = tmp_path / f"sample_{lang}.xlsx"
    assert invoke("new", sample, "--sample", "--lang", lang).exit_code == 0
    text = invoke("summary", sample)
    assert text.exit_code == 0
    heads = ("Goals", "KPIs", "Tactics", "Budget", "Top priorities")
    if lang == "zh":
        heads = ("目标", "指标", "策略", "预算", "优先事项")
    lines = text.output.splitlines()
    assert all(any(line.startswith(h) for line in lines) for h in heads)
    data = json.loads(invoke("summary", sample, "--json").output)
    assert validate(data, SCHEMA) == []
    assert data["plan"]["language"] == lang
    assert len(data["top_priorities"]) == 5


# A small checker for the subset of JSON Schema the summary schema uses (no dependency).
_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def validate(value: object, schema: dict, path: str = "$") -> list[str]:
    errors: list[str] = []
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        ok = any(
            isinstance(value, _TYPES[t])
            and not (t in ("integer", "number") and value is True)
            and not (t in ("integer", "number") and value is False)
            for t in types
        )
        if not ok:
            return [*errors, f"{path}: {value!r} is not {types}"]
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and "minimum" in schema and value < schema["minimum"]:
        errors.append(f"{path}: {value!r} < {schema['minimum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        errors += [f"{path}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: unexpected {k}" for k in value if k not in props]
        for key, sub in props.items():
            if key in value:
                errors += validate(value[key], sub, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{path}[{i}]")
    return errors


def test_the_checker_catches_a_wrong_document() -> None:
    errors = validate({"schema_version": 2, "extra": 1}, SCHEMA)
    assert {"$.schema_version: 2 is not 1", "$: missing plan", "$: unexpected extra"} <= set(errors)


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (10000.0, "USD", "$10,000"),
        (1250.5, "usd", "$1,250.50"),
        (-300.0, "CNY", "-¥300"),
        (1000.0, "SEK", "1,000 SEK"),
        (None, "USD", "—"),
    ],
)
def test_money(amount, currency, text) -> None:
    from sheetplan.report import money

    assert money(amount, currency) == text
