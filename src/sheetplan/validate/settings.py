"""The Settings sheet: a key/value list, keys in either language, values typed as people type."""

from __future__ import annotations

import re
from dataclasses import replace

from .. import labels
from ..errors import Severity
from ..labels import Lang, Matcher
from ..model import Language, Settings
from ..parse import (
    Invalid,
    parse_date,
    parse_int,
    parse_number,
    parse_percent,
    parse_score_scale,
    parse_text,
)
from ..reader import RawWorkbook
from ..schema import SETTINGS, Kind
from .rows import Problems, choice_matcher, note_date_order, report_invalid

_KEYS = Matcher(setting.label_key for setting in SETTINGS)
_CURRENCIES = Matcher(labels.keys_with_prefix("currency."))
_BY_LABEL = {setting.label_key: setting for setting in SETTINGS}
_PARSERS = {
    Kind.DATE: parse_date,
    Kind.MONEY: parse_number,
    Kind.INTEGER: parse_int,
    Kind.PERCENT: parse_percent,
    Kind.SCALE: parse_score_scale,
}


def settings_language(raw: RawWorkbook) -> Lang | None:
    """The Language setting, read before anything else so every message can use it."""
    for key, value, _ in _entries(raw):
        if _KEYS.match(key) == "setting.language":
            found = choice_matcher(Language).match(str(value))
            if found:
                return found.removeprefix("language.")
    return None


def read_settings(problems: Problems) -> Settings:
    values: dict[str, object] = {}
    first_row: dict[str, int] = {}
    sheet = problems.raw.sheets.get("settings")
    for key_text, cell, row in _entries(problems.raw):
        header = sheet.header_of("setting_value") if sheet else None
        where = {"sheet": problems.sheet_name("settings"), "row": row, "column": header}
        label_key = _KEYS.match(key_text)
        if label_key is None:
            problems.add(
                Severity.WARNING, "unknown_setting", found=key_text, **{**where, "column": None}
            )
            continue
        setting = _BY_LABEL[label_key]
        if setting.key in first_row:
            problems.add(
                Severity.WARNING,
                "duplicate_setting",
                found=key_text,
                first=first_row[setting.key],
                **where,
            )
            continue
        first_row[setting.key] = row
        value = _value(problems, setting.key, setting.kind, cell, where)
        if value is not None:
            values[setting.key] = value
    problems.setting_rows.update(first_row)
    settings = Settings(**values)
    return _consistent(problems, settings, first_row)


def _entries(raw: RawWorkbook):
    """(key text, value cell, row number) for each non-blank key of the Settings sheet."""
    sheet = raw.sheets.get("settings")
    if sheet is None:
        return
    key_col, value_col = sheet.columns["setting_key"], sheet.columns["setting_value"]
    for number, cells in sheet.rows:
        key = parse_text(cells[key_col]) if key_col < len(cells) else None
        if key is None:
            continue
        yield key, (cells[value_col] if value_col < len(cells) else None), number


def _value(problems: Problems, key: str, kind: Kind, cell: object, where: dict) -> object:
    if kind in _PARSERS:
        value = _PARSERS[kind](cell)
        if isinstance(value, Invalid):
            report_invalid(problems, value, **where)
            return None
        if kind == Kind.DATE:
            note_date_order(problems, cell, value, **where)
        if kind in (Kind.MONEY, Kind.INTEGER) and value is not None and value < 0:
            problems.add(Severity.ERROR, "negative", found=value, **where)
            return None
        return value
    text = parse_text(cell)
    if text is None:
        return None
    if key == "language":
        found = choice_matcher(Language).match(text)
        if found is None:
            choices = " / ".join(labels.text(m.label_key, problems.lang) for m in Language)
            problems.add(
                Severity.ERROR, "not_in_list", found=text, suggestion="", choices=choices, **where
            )
            return None
        return Language(found.removeprefix("language."))
    if key == "currency":
        return _currency(problems, text, where)
    if key == "mail_to":
        return tuple(a for a in re.split(r"[,;，；、\s]+", text) if a)
    return text


def _currency(problems: Problems, text: str, where: dict) -> str | None:
    found = _CURRENCIES.match(text)
    if found:
        return found.removeprefix("currency.")
    if re.fullmatch(r"[A-Za-z]{3}", text.strip()):
        return text.strip().upper()
    problems.add(Severity.WARNING, "bad_currency", found=text, **where)
    return None


def _consistent(problems: Problems, settings: Settings, rows: dict[str, int]) -> Settings:
    sheet = problems.sheet_name("settings")
    if settings.plan_start and settings.plan_end and settings.plan_end < settings.plan_start:
        problems.add(
            Severity.ERROR,
            "plan_dates",
            sheet=sheet,
            row=rows.get("plan_end"),
            start=settings.plan_start.isoformat(),
            end=settings.plan_end.isoformat(),
        )
        settings = replace(settings, plan_end=None)
    if settings.at_risk_tolerance <= settings.on_track_tolerance:
        problems.add(
            Severity.ERROR,
            "tolerance_order",
            sheet=sheet,
            row=rows.get("at_risk_tolerance") or rows.get("on_track_tolerance"),
            at_risk=f"{settings.at_risk_tolerance:.0%}",
            on_track=f"{settings.on_track_tolerance:.0%}",
        )
        settings = replace(settings, on_track_tolerance=0.10, at_risk_tolerance=0.25)
    if settings.weighting_profile is not None:
        settings = replace(settings, weighting_profile=settings.weighting_profile.strip())
    return settings
