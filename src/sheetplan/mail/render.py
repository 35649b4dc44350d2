"""The digest as HTML for mail clients and as plain text.

HTML rules from what mail clients support (research/mail-imports.md A2): layout tables, every
style inline, a fixed 600 px width, no scripts, no remote images (the chart is `cid:`), and a
small body so Gmail does not clip it. Status is always written as a word next to its colour,
for dark mode and colour-blind readers.
"""

from __future__ import annotations

from html import escape

from .. import labels
from ..results import Tone
from .digest import Digest, Row

WIDTH = 600
INK = "#1f2328"
MUTED = "#57606a"
FONT = "font-family:Arial,'Helvetica Neue','PingFang SC','Microsoft YaHei',sans-serif;"
TONES = {
    Tone.GOOD: ("#2e7d32", "#e8f5e9"),
    Tone.WARN: ("#9a5b00", "#fff4e0"),
    Tone.BAD: ("#c62828", "#fdecea"),
    Tone.MUTED: ("#57606a", "#f2f3f5"),
    None: (INK, "#f6f8fa"),
}
"""Text colour and background for each tone (dark enough on white to read at 4.5:1)."""


def html(d: Digest, chart_cid: str | None) -> str:
    """The HTML body; `chart_cid` is the chart's Content-ID without angle brackets."""
    t = _texts(d)
    parts = [
        f'<h1 style="{FONT}font-size:20px;margin:0 0 4px;color:{INK}">{escape(d.title)}</h1>',
        _p(t("intro", as_of=d.as_of.isoformat(), file=d.file), MUTED),
    ]
    if d.errors:
        parts.append(_banner(t("has_errors", count=d.errors)))
    parts.append(_tiles(d))
    parts.append(_h2(t("changes", previous=d.previous.isoformat()) if d.previous else None))
    if d.previous is None:
        parts.append(_p(t("no_previous"), MUTED))
    elif not d.flips and not d.movers:
        parts.append(_p(t("no_changes", previous=d.previous.isoformat()), MUTED))
    else:
        parts += [_p("● " + r.cells[0], TONES[r.tone][0]) for r in d.flips]
        parts += [_p("↕ " + m, INK) for m in d.movers]
    parts.append(_h2(t("behind")))
    if d.behind:
        cols = ("col.kpi", "col.owner", "col.progress", "col.expected", "col.gap", "col.status")
        parts.append(_table([t(c) for c in cols], d.behind))
    else:
        parts.append(_p(t("behind_none"), TONES[Tone.GOOD][0]))
    if chart_cid:
        parts.append(_h2(t("chart")))
        parts.append(
            f'<img src="cid:{chart_cid}" width="{WIDTH - 32}" alt="{escape(t("chart_alt"))}" '
            f'style="display:block;width:{WIDTH - 32}px;max-width:100%;height:auto;'
            f'border:0;margin:0 0 12px">'
        )
    parts.append(_h2(t("overdue")))
    tactic_cols = [t("col.tactic"), t("col.owner"), t("col.due"), t("col.days")]
    if d.overdue:
        parts.append(_table(tactic_cols, d.overdue))
    else:
        parts.append(_p(t("overdue_none"), TONES[Tone.GOOD][0]))
    for key, rows, cols in (
        ("due_soon", d.due_soon, tactic_cols),
        ("stale", d.stale, [t("col.kpi"), t("col.last_update"), t("col.days")]),
        ("over", d.over, [t("col.owner"), t("col.hours"), t("col.capacity"), "%"]),
    ):
        if rows:
            parts += [_h2(t(key)), _table(cols, rows)]
    parts.append(_p(d.unallocated, INK, top=14))
    parts.append(_p(t("footer", file=d.file), MUTED, top=18, size=12))
    body = "\n".join(p for p in parts if p)
    lang = "zh-CN" if d.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(d.subject)}</title></head>"
        f'<body style="margin:0;padding:0;background:#ffffff">'
        f'<table role="presentation" width="{WIDTH}" cellpadding="0" cellspacing="0" border="0" '
        f'style="width:{WIDTH}px;background:#ffffff;{FONT}color:{INK}">'
        f'<tr><td style="padding:16px">\n{body}\n</td></tr></table></body></html>'
    )


def text(d: Digest) -> str:
    """The plain-text alternative: the same sections, one line per item."""
    t = _texts(d)
    lines = [d.title, "=" * 40, t("intro", as_of=d.as_of.isoformat(), file=d.file), ""]
    if d.errors:
        lines += [t("has_errors", count=d.errors), ""]
    for tile in d.tiles:
        detail = "".join(part for part, _ in tile.detail).strip()
        lines.append(f"{tile.label}: {_tile_number(tile, d)}  {detail}".rstrip())
    lines.append("")
    if d.previous is None:
        lines.append(t("no_previous"))
    else:
        lines.append(t("changes", previous=d.previous.isoformat()))
        if not d.flips and not d.movers:
            lines.append("  " + t("no_changes", previous=d.previous.isoformat()))
        lines += ["  - " + r.cells[0] for r in d.flips] + ["  - " + m for m in d.movers]
    lines += ["", t("behind")]
    lines += ["  - " + " | ".join(r.cells) for r in d.behind] or ["  " + t("behind_none")]
    lines += ["", t("overdue")]
    lines += ["  - " + " | ".join(r.cells) for r in d.overdue] or ["  " + t("overdue_none")]
    for key, rows in (("due_soon", d.due_soon), ("stale", d.stale), ("over", d.over)):
        if rows:
            lines += ["", t(key)] + ["  - " + " | ".join(r.cells) for r in rows]
    lines += ["", d.unallocated, "", "-- ", t("footer", file=d.file)]
    return "\n".join(lines) + "\n"


def _texts(d: Digest):
    def t(key: str, **values: object) -> str:
        return labels.text(f"mail.{key}", d.lang, **values)

    return t


def _tile_number(tile, d: Digest) -> str:
    from ..report import money

    if tile.number is None:
        return "—"
    if tile.money:
        return money(tile.number, d.currency)
    if tile.num_format and "/" in tile.num_format:
        total = tile.num_format.split("/")[1].strip(' "')
        return f"{tile.number:.0f} / {total}"
    return f"{tile.number:.0f}"


def _tiles(d: Digest) -> str:
    """Six tiles in two rows of three: the number in its tone, the detail as coloured words."""
    cells = []
    for tile in d.tiles:
        ink, paper = TONES[tile.tone]
        detail = "<br>".join(
            f'<span style="color:{TONES[tone][0]}">{escape(part.strip())}</span>'
            for part, tone in tile.detail
        )
        cells.append(
            f'<td width="{(WIDTH - 32) // 3 - 8}" valign="top" style="{FONT}background:{paper};'
            f'border-left:4px solid {ink};padding:8px 10px">'
            f'<div style="font-size:12px;color:{MUTED}">{escape(tile.label)}</div>'
            f'<div style="font-size:22px;font-weight:bold;color:{ink}">'
            f"{escape(_tile_number(tile, d))}</div>"
            f'<div style="font-size:12px;line-height:17px">{detail}</div></td>'
        )
    rows = []
    for start in range(0, len(cells), 3):
        gap = '<td width="8" style="font-size:0">&nbsp;</td>'
        rows.append("<tr>" + gap.join(cells[start : start + 3]) + "</tr>")
    spacer = '<tr><td colspan="5" height="8" style="font-size:0;line-height:8px">&nbsp;</td></tr>'
    return (
        f'<table role="presentation" width="{WIDTH - 32}" cellpadding="0" cellspacing="0" '
        f'border="0" style="margin:12px 0">{spacer.join(rows)}</table>'
    )


def _table(header: list[str], rows: tuple[Row, ...]) -> str:
    head = "".join(
        f'<th align="left" style="{FONT}font-size:12px;color:{MUTED};padding:4px 6px;'
        f'border-bottom:1px solid #d0d7de">{escape(h)}</th>'
        for h in header
    )
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row.cells):
            last = i == len(row.cells) - 1
            colour = TONES[row.tone][0] if last and row.tone else INK
            weight = "font-weight:bold;" if last and row.tone else ""
            cells.append(
                f'<td style="{FONT}font-size:13px;color:{colour};{weight}padding:4px 6px;'
                f'border-bottom:1px solid #eaeef2">{escape(cell)}</td>'
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table role="presentation" width="{WIDTH - 32}" cellpadding="0" cellspacing="0" '
        f'border="0"><tr>{head}</tr>{"".join(body)}</table>'
    )


def _h2(title: str | None) -> str:
    if not title:
        return ""
    return f'<h2 style="{FONT}font-size:15px;margin:18px 0 6px;color:{INK}">{escape(title)}</h2>'


def _p(words: str, colour: str, top: int = 0, size: int = 14) -> str:
    return (
        f'<p style="{FONT}font-size:{size}px;line-height:20px;margin:{top}px 0 4px;'
        f'color:{colour}">{escape(words)}</p>'
    )


def _banner(words: str) -> str:
    ink, paper = TONES[Tone.BAD]
    return (
        f'<p style="{FONT}font-size:14px;margin:10px 0;padding:8px 10px;background:{paper};'
        f'color:{ink};border-left:4px solid {ink}">⚠ {escape(words)}</p>'
    )
