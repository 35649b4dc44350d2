"""The worked example behind `sheetplan new --sample`, built from data/sample_plan.json.

The plan's words live in the JSON in both languages; this module only picks a language,
turns list values into their labels, owners into team names and money into the plan's
currency, and grows the Actuals log from a few trend lines with a seeded random generator,
so the sample is the same on every machine and in both languages (same numbers, same rows).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

from .. import labels
from ..labels import Lang
from ..schema import SETTINGS, SHEETS_BY_KEY, Kind

Row = dict[str, Any]

_MONEY_KPI_FIELDS = frozenset({"baseline", "target", "current", "stretch"})
"""Columns of a KPI measured in money (cost per sign-up, revenue): converted to the currency."""


@dataclass(frozen=True)
class PlanData:
    """What the template writes: setting values and rows per input sheet, as cell values."""

    settings: dict[str, Any]
    rows: dict[str, list[Row]]


def sample_plan(lang: Lang) -> PlanData:
    """The sample plan in `lang`: cell values ready to write (text, numbers, dates)."""
    raw = _raw()
    picker = _Picker(raw, lang)
    settings = {s.key: picker.setting(s.key, s.kind, raw["settings"].get(s.key)) for s in SETTINGS}
    rows: dict[str, list[Row]] = {}
    for key in ("company_goals", "goals", "kpis", "tactics", "team", "weights"):
        rows[key] = [picker.row(key, entry) for entry in raw[key]]
    rows["actuals"] = actuals_log(raw, picker)
    rows["sources"] = [
        {**picker.row("sources", entry), "channel": picker.channel(entry["channel"])}
        for entry in raw["sources"]
    ]
    return PlanData(settings, rows)


def suggested_sources(lang: Lang) -> list[Row]:
    """The blank template's Sources rows: common export columns per platform, KPI ID blank."""
    text = resources.files("sheetplan").joinpath("data", "source_suggestions.json")
    entries = json.loads(text.read_text("utf-8"))["rows"]
    picker = _Picker(_raw(), lang)
    return [picker.row("sources", entry) for entry in entries]


def actuals_log(raw: dict, picker: _Picker) -> list[Row]:
    """Weekly measurements per KPI and channel along each trend line, then the one-off events;
    sorted the way a log grows: by date, then KPI, then channel."""
    rng = random.Random(raw["seed"])
    as_of = date.fromisoformat(raw["settings"]["as_of"])
    rows: list[tuple[tuple, Row]] = []
    order = {entry["id"]: index for index, entry in enumerate(raw["kpis"])}
    for spec in raw["log"]:
        first = date.fromisoformat(spec["first"])
        last = min(date.fromisoformat(spec["last"]), as_of) if spec.get("last") else as_of
        days = list(_every(first, last, spec["every"]))
        spikes = {date.fromisoformat(s["date"]): s for s in spec.get("spikes", ())}
        factor = picker.money_factor if spec.get("money") else 1
        for index, day in enumerate(days):
            share = index / (len(days) - 1) if len(days) > 1 else 1.0
            level = spec["from"] + (spec["to"] - spec["from"]) * share
            spike = spikes.get(day, {})
            for position, (channel, weight) in enumerate(spec["channels"].items()):
                noise = 1 + rng.gauss(0, spec["noise"])
                value = max(0.0, level * weight * noise * spike.get("factor", 1) * factor)
                row = _log_row(picker, day, spec["kpi"], value, spec["digits"], channel, spec)
                if spike.get("notes"):
                    row["notes"] = picker.pick(spike["notes"])
                rows.append(((day, order[spec["kpi"]], position), row))
    for position, event in enumerate(raw["events"]):
        day = date.fromisoformat(event["date"])
        row = _log_row(picker, day, event["kpi"], event["value"], 0, event["channel"], event)
        if event.get("notes"):
            row["notes"] = picker.pick(event["notes"])
        rows.append(((day, order[event["kpi"]], 100 + position), row))
    rows.sort(key=lambda item: item[0])
    return [row for _, row in rows]


# ---------------------------------------------------------------------------------------------


@cache
def _raw() -> dict:
    text = resources.files("sheetplan").joinpath("data", "sample_plan.json").read_text("utf-8")
    return json.loads(text)


def _every(first: date, last: date, step: int):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=step)


def _log_row(
    picker: _Picker, day: date, kpi: str, value: float, digits: int, channel: str, spec: dict
) -> Row:
    return {
        "date": day,
        "kpi_id": kpi,
        "actual_value": float(round(value, digits)),
        "channel": picker.channel(channel),
        "source": picker.pick(spec.get("source")),
    }


class _Picker:
    """Turns one JSON entry into cell values in one language."""

    def __init__(self, raw: dict, lang: Lang):
        self.lang = lang
        self.money_factor = raw["money_factor"][lang]
        self._team = {m["key"]: m["name"][lang] for m in raw["team"]}
        self._channels = raw["channels"]

    def pick(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"en", "zh"}:
            return value[self.lang]
        return value

    def channel(self, key: str) -> str | None:
        return self._channels[key][self.lang] if key else None

    def row(self, sheet_key: str, entry: dict) -> Row:
        sheet = SHEETS_BY_KEY[sheet_key]
        money = bool(entry.get("money"))
        out: Row = {}
        for column in sheet.columns:
            value = self.pick(entry.get(column.key))
            if value is None:
                continue
            if money and column.key in _MONEY_KPI_FIELDS:
                value = round(value * self.money_factor, 2)
            out[column.key] = self._cell(column.kind, column.choices, value)
        return out

    def setting(self, key: str, kind: Kind, value: Any) -> Any:
        value = self.pick(value)
        if value is None:
            return None
        setting = next(s for s in SETTINGS if s.key == key)
        return self._cell(kind, setting.choices, value)

    def _cell(self, kind: Kind, choices: Any, value: Any) -> Any:
        if kind is Kind.DATE:
            return date.fromisoformat(value)
        if kind is Kind.CHOICE and choices is not None:
            return labels.text(choices(value).label_key, self.lang)
        if kind is Kind.OWNER:
            return self._team[value]
        if kind is Kind.MONEY:
            return float(value * self.money_factor)
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value
