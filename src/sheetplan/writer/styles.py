"""Named cell styles for every sheet sheetplan writes, and a cache that makes each one Format once.

Writers ask for tokens ("header", "date", "money", "on_track"…) and combine them
("computed", "percent"); the cache merges the dicts in order and hands back one XlsxWriter
Format per distinct result, so a 100,000-row sheet still has a handful of styles. Colours
live in PALETTE only, so the template, the refreshed sheets and the dashboard look like one
product.
"""

from __future__ import annotations

import re
from typing import Any

from ..labels import Lang

PALETTE: dict[str, str] = {
    "ink": "#1F2933",
    "muted": "#5F6B7A",
    "navy": "#1F3A5F",
    "navy_light": "#DCE6F2",
    "teal": "#2A7F7F",
    "teal_light": "#E3F1F1",
    "paper": "#F7F9FB",
    "rule": "#C9D3DF",
    "computed": "#EEF1F6",
    "computed_header": "#4A5B70",
    "green": "#1E7B46",
    "green_light": "#DDF1E4",
    "amber": "#8A5A00",
    "amber_light": "#FFF0C7",
    "amber_mid": "#D08C00",
    "red": "#A4262C",
    "red_light": "#FBDDDD",
    "grey": "#5F6B7A",
    "grey_light": "#E9ECEF",
    "blue": "#1F5E9C",
    "blue_light": "#DDEBF7",
}

FONTS: dict[str, dict[str, Any]] = {
    "en": {"font_name": "Calibri", "font_size": 11},
    # Microsoft YaHei ships with Windows (since Vista) and Office for Mac; Excel links a
    # system CJK font when it is missing, and LibreOffice substitutes Noto Sans CJK.
    "zh": {
        "font_name": "Microsoft YaHei",
        "font_size": 10,
        "font_charset": 134,
        # Not tied to the theme: a theme ("minor") font would make Excel draw Chinese in the
        # theme's East Asian face (SimSun) instead of the font named here.
        "font_scheme": "none",
    },
}
"""The workbook's default font per language (an .xlsx names one font per style)."""

ROW_HEIGHT_PX: dict[str, int] = {"en": 20, "zh": 22}
"""Default row height: YaHei's line is taller than Calibri's, so Chinese rows get more room."""

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
NUMBER_FORMAT = "[<1000]General;#,##0"
"""Thousands separators for big counts, and small values such as 4.5 or 0.25 as typed."""
HOURS_FORMAT = "General"

CURRENCY_FORMATS: dict[str, str] = {
    "USD": '"$"#,##0',
    "CNY": '"¥"#,##0',
    "RMB": '"¥"#,##0',
    "JPY": '"¥"#,##0',
    "EUR": '"€"#,##0',
    "GBP": '"£"#,##0',
    "HKD": '"HK$"#,##0',
    "TWD": '"NT$"#,##0',
    "SGD": '"S$"#,##0',
    "AUD": '"A$"#,##0',
    "CAD": '"C$"#,##0',
    "KRW": '"₩"#,##0',
    "INR": '"₹"#,##0',
    "CHF": '"CHF "#,##0',
}

TOKENS: dict[str, dict[str, Any]] = {
    "text": {"valign": "vcenter"},
    "cell": {"valign": "vcenter", "bottom": 1, "bottom_color": "#E1E6ED"},
    "pad": {"align": "left", "indent": 1},
    "input": {"bg_color": "#FFFBEA", "border": 1, "border_color": "#E4DDBF", "valign": "vcenter"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "header": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": PALETTE["navy"],
        "text_wrap": True,
        "valign": "vcenter",
        "border": 1,
        "border_color": PALETTE["navy"],
    },
    "computed_header": {"bg_color": PALETTE["computed_header"], "border_color": "#4A5B70"},
    "computed": {"bg_color": PALETTE["computed"], "font_color": PALETTE["ink"]},
    "date": {"num_format": DATE_FORMAT, "align": "left", "indent": 1},
    "percent": {"num_format": PERCENT_FORMAT, "align": "right", "indent": 1},
    "number": {"num_format": NUMBER_FORMAT, "align": "right", "indent": 1},
    "hours": {"num_format": HOURS_FORMAT, "align": "right", "indent": 1},
    "integer": {"num_format": "0", "align": "left", "indent": 1},
    "score": {"num_format": "General", "align": "center"},
    "id": {"bold": True, "font_color": PALETTE["navy"], "align": "left", "indent": 1},
    "key": {"bold": True, "font_color": PALETTE["ink"]},
    "muted": {"font_color": PALETTE["muted"], "text_wrap": True, "valign": "top"},
    "title": {"bold": True, "font_size": 20, "font_color": PALETTE["navy"], "valign": "vcenter"},
    "subtitle": {"font_size": 12, "font_color": PALETTE["muted"], "text_wrap": True},
    "section": {
        "bold": True,
        "font_size": 13,
        "font_color": PALETTE["navy"],
        "bottom": 2,
        "bottom_color": PALETTE["teal"],
        "valign": "bottom",
    },
    "step": {
        "bold": True,
        "font_size": 13,
        "font_color": "#FFFFFF",
        "bg_color": PALETTE["teal"],
        "align": "center",
        "valign": "vcenter",
    },
    "body": {"text_wrap": True, "valign": "top", "font_color": PALETTE["ink"]},
    "flow": {
        "bold": True,
        "align": "center",
        "valign": "vcenter",
        "bg_color": PALETTE["navy_light"],
        "font_color": PALETTE["navy"],
        "text_wrap": True,
        "border": 1,
        "border_color": "#FFFFFF",
    },
    "axis": {"bold": True, "font_color": PALETTE["muted"], "align": "center", "valign": "vcenter"},
    "code": {"font_name": "Consolas", "font_color": PALETTE["navy"], "bg_color": PALETTE["paper"]},
    "quadrant": {"text_wrap": True, "valign": "vcenter", "align": "center", "border": 2},
    # Status colours: fill + dark text of the same hue, readable in print and for colour-blind
    # readers because the label itself is always written too.
    "good": {"bg_color": PALETTE["green_light"], "font_color": PALETTE["green"]},
    "warn": {"bg_color": PALETTE["amber_light"], "font_color": PALETTE["amber"]},
    "bad": {"bg_color": PALETTE["red_light"], "font_color": PALETTE["red"]},
    "neutral": {"bg_color": PALETTE["grey_light"], "font_color": PALETTE["grey"]},
    "info": {"bg_color": PALETTE["blue_light"], "font_color": PALETTE["blue"]},
}

STATUS_TOKENS: dict[str, str] = {
    "on_track": "good",
    "achieved": "good",
    "stretch_achieved": "good",
    "done": "good",
    "quick_win": "good",
    "at_risk": "warn",
    "due_soon": "warn",
    "behind": "warn",
    "fill_in": "neutral",
    "off_track": "bad",
    "missed": "bad",
    "overdue": "bad",
    "blocked": "bad",
    "money_pit": "bad",
    "no_data": "neutral",
    "not_started": "neutral",
    "dropped": "neutral",
    "no_due_date": "neutral",
    "scheduled": "info",
    "big_bet": "info",
}
"""Status or quadrant value → colour token (green / amber / red / grey / blue)."""

TABLE_STYLE = "Table Style Medium 2"
"""Excel table style for data sheets: Excel's own default, whose light-blue bands sit well
under the navy header we write over it. LibreOffice ignores table styles, so data cells also
carry a faint bottom rule ("cell") and read as rows there too."""


def currency_format(code: str | None) -> str:
    """The money number format for a currency code; an unknown code is shown after the number."""
    code = (code or "USD").strip().upper()
    if code in CURRENCY_FORMATS:
        return CURRENCY_FORMATS[code]
    safe = re.sub(r"[^A-Z]", "", code)[:3] or "USD"
    return f'#,##0 "{safe}"'


def workbook_options(lang: Lang) -> dict[str, Any]:
    """XlsxWriter options: user text never becomes a formula, link or number; language font."""
    return {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": dict(FONTS[lang]),
        "default_row_height": ROW_HEIGHT_PX[lang],
    }


class FormatCache:
    """One XlsxWriter Format per distinct combination of tokens, created on first use."""

    def __init__(self, workbook: Any, *, currency: str | None = None):
        self._workbook = workbook
        self._formats: dict[tuple, Any] = {}
        self._money = currency_format(currency)

    def get(self, *tokens: str, **overrides: Any) -> Any:
        props: dict[str, Any] = {}
        for token in tokens:
            props.update(self._props(token))
        props.update(overrides)
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self._workbook.add_format(props)
        return self._formats[key]

    def number_format(self, *tokens: str) -> str | None:
        """The number format the tokens give (the plan's currency for "money")."""
        found = None
        for token in tokens:
            found = self._props(token).get("num_format", found)
        return found

    def _props(self, token: str) -> dict[str, Any]:
        if token == "money":
            return {"num_format": self._money, "align": "right", "indent": 1}
        if token in STATUS_TOKENS:
            return TOKENS[STATUS_TOKENS[token]]
        return TOKENS[token]
