"""The Dashboard's six headline tiles: what each says, its number and its colour.

Kept apart from the drawing (dashboard.py) so the rules are easy to read and test: a status
tile shows good / total in the colour of the worst status present, and its detail line lists
the non-zero counts, most urgent first, as `sheetplan summary` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .. import labels
from ..labels import Lang
from ..report import money
from ..results import TONE, StatusCount, Summary, Tone
from .context import RefreshContext

URGENT_FIRST = {Tone.BAD: 0, Tone.WARN: 1, Tone.GOOD: 2, Tone.MUTED: 3}


@dataclass(frozen=True)
class Tile:
    """One headline number: label, the number (and its format), a coloured detail line."""

    label: str
    number: float | None
    tone: Tone | None
    detail: list[tuple[str, Tone | None]]
    num_format: str | None = None
    money: bool = False


def tiles(ctx: RefreshContext) -> list[Tile]:
    """The six headline tiles, in the order they are read."""
    s = ctx.results.summary
    lang = ctx.lang
    return [
        _status_tile("dash.tile.goals", s.goal_total, s.goals, lang),
        _status_tile("dash.tile.kpis", s.kpi_total, s.kpis, lang),
        _status_tile(
            "dash.tile.tactics",
            s.tactic_total,
            s.tactics,
            lang,
            shown=[c for c in s.tactics if c.status.value not in ATTENTION],
        ),
        _overdue_tile(s, lang),
        _budget_tile(s, lang),
        _unallocated_tile(s, lang),
    ]


def good_count(counts: Sequence[StatusCount]) -> int:
    """How many are fine: on track, achieved or done (the green statuses)."""
    return sum(c.count for c in counts if TONE[c.status] is Tone.GOOD)


def _status_tile(
    key: str,
    total: int,
    counts: Sequence[StatusCount],
    lang: Lang,
    shown: Sequence[StatusCount] | None = None,
) -> Tile:
    """Good / total in the colour of the worst status present; the detail line lists the
    non-zero counts (those in `shown`, else all), most urgent first."""
    tones = {TONE[c.status] for c in counts if c.count}
    tone = next((t for t in (Tone.BAD, Tone.WARN, Tone.GOOD) if t in tones), Tone.MUTED)
    present = sorted(
        (c for c in (counts if shown is None else shown) if c.count),
        key=lambda c: URGENT_FIRST[TONE[c.status]],
    )
    detail = [
        (f"● {c.count} {labels.text(c.status.label_key, lang)}  ", TONE[c.status]) for c in present
    ]
    if not total:
        detail = [(labels.text("dash.tile.none", lang), Tone.MUTED)]
    label = labels.text(key, lang)
    return Tile(label, good_count(counts), tone, detail, num_format=f'0" / {total}"')


ATTENTION = ("overdue", "blocked", "behind", "due_soon")
"""Tactic statuses the Overdue tile details; the Tactics tile details the others."""


def _overdue_tile(s: Summary, lang: Lang) -> Tile:
    by = {c.status.value: c.count for c in s.tactics}
    overdue = by.get("overdue", 0)
    detail = [
        (f"● {by[k]} {labels.text(f'due.{k}', lang)}  ", TONE_OF_DUE[k])
        for k in ATTENTION[1:]
        if by.get(k)
    ]
    if not detail:
        detail = [(labels.text("dash.tile.nothing_late", lang), Tone.MUTED)]
    if overdue:
        tone = Tone.BAD
    elif any(by.get(k) for k in ("blocked", "due_soon", "behind")):
        tone = Tone.WARN
    else:
        tone = Tone.GOOD if s.tactic_total else Tone.MUTED
    return Tile(labels.text("dash.tile.overdue", lang), overdue, tone, detail, num_format="0")


def _budget_tile(s: Summary, lang: Lang) -> Tile:
    planned = money(s.budget_planned, s.currency)
    if s.budget_total is None:
        detail = [(labels.text("dash.tile.no_budget", lang), Tone.MUTED)]
        return Tile(labels.text("dash.tile.budget", lang), None, None, detail, money=True)
    if s.budget_planned > s.budget_total:
        over = money(s.budget_planned - s.budget_total, s.currency)
        text = labels.text("dash.tile.over_budget", lang, planned=planned, over=over)
        return Tile(
            labels.text("dash.tile.budget", lang),
            s.budget_total,
            Tone.BAD,
            [(text, Tone.BAD)],
            money=True,
        )
    share = f"{s.budget_planned / s.budget_total:.0%}" if s.budget_total else "—"
    text = labels.text("dash.tile.planned", lang, planned=planned, share=share)
    return Tile(
        labels.text("dash.tile.budget", lang), s.budget_total, None, [(text, None)], money=True
    )


def _unallocated_tile(s: Summary, lang: Lang) -> Tile:
    title = labels.text("dash.tile.unallocated", lang)
    if s.budget_total is None and not s.goal_total:
        return Tile(
            title, None, Tone.MUTED, [(labels.text("dash.tile.none", lang), Tone.MUTED)], money=True
        )
    if s.unallocated_share > 0:
        text = labels.text("dash.tile.unallocated_share", lang, share=f"{s.unallocated_share:.0%}")
        return Tile(title, s.budget_unallocated, Tone.WARN, [(text, Tone.WARN)], money=True)
    text = labels.text("dash.tile.all_allocated", lang)
    return Tile(title, s.budget_unallocated or 0, Tone.GOOD, [(text, Tone.GOOD)], money=True)


TONE_OF_DUE = {"blocked": Tone.BAD, "due_soon": Tone.WARN, "behind": Tone.WARN}
