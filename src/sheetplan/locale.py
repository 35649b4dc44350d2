"""Which language to speak before a workbook says so (its headers or its Language setting)."""

from __future__ import annotations

import os

from .labels import Lang


def system_language() -> Lang:
    """zh when SHEETPLAN_LANG, LC_ALL, LC_MESSAGES or LANG asks for Chinese, else en."""
    for name in ("SHEETPLAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return "zh" if value.startswith(("zh", "chinese")) else "en"
    return "en"
