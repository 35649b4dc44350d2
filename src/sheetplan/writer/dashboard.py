"""The Dashboard: the state of the plan in ten seconds, on one landscape page.

FIRST VERSION; issue 5 builds it out (tiles, short tables, native charts).
"""

from __future__ import annotations

from .context import RefreshContext
from .styles import FormatCache


def write_dashboard(
    book, sheet, formats: FormatCache, ctx: RefreshContext, names: dict[str, str]
) -> None:
    sheet.write_string(0, 0, ctx.plan.settings.plan_name or ctx.raw.path.stem, formats.get("title"))
