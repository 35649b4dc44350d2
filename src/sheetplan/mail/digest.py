"""What the e-mail says, as plain data: the same results the Dashboard shows, plus what
changed since the previous snapshot in the Trend sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import labels
from ..labels import Lang, Matcher
from ..report import money, plan_title
from ..results import TONE, DueStatus, KpiStatus, Tone
from ..trend import TrendRow, read_rows

BEHIND = (KpiStatus.OFF_TRACK, KpiStatus.AT_RISK, KpiStatus.MISSED)
MOVERS = 3
"""How many of the biggest progress changes the mail lists."""


@dataclass(frozen=True)
class Row:
    """One line of a table: its cells as text, and the tone of its status cell."""

    cells: tuple[str, ...]
    tone: Tone | None = None


@dataclass(frozen=True)
class Bar:
    name: str
    progress: float
    expected: float | None
    tone: Tone


@dataclass(frozen=True)
class Digest:
    lang: Lang
    title: str
    as_of: date
    file: str
    currency: str
    errors: int
    tiles: tuple
    """writer.tiles.Tile: the Dashboard's six headline tiles."""
    previous: date | None
    flips: tuple[Row, ...]
    movers: tuple[str, ...]
    behind: tuple[Row, ...]
    overdue: tuple[Row, ...]
    due_soon: tuple[Row, ...]
    stale: tuple[Row, ...]
    over: tuple[Row, ...]
    unallocated: str
    bars: tuple[Bar, ...]

    @property
    def subject(self) -> str:
        return labels.text("mail.subject", self.lang, name=self.title, as_of=self.as_of.isoformat())


@dataclass(frozen=True)
class _TileView:
    """What writer.tiles reads from a refresh context: the results and the language."""

    results: object
    lang: Lang


def build(loaded, results, file: str) -> Digest:
    """The digest for a plan read by api.summarize (loaded, results); `file` names the
    attachment."""
    from ..writer.tiles import tiles

    lang = loaded.language
    plan = loaded.plan
    s = results.summary
    names = {k.id: k.name or k.id for k in plan.kpis} | {g.id: g.name or g.id for g in plan.goals}
    owners = {g.id: g.owner for g in plan.goals}
    previous, flips, movers = _changes(read_rows(loaded.raw.trend), results, names, lang)
    tactics = {t.id: t for t in plan.tactics}
    due_soon = [
        Row(
            (
                tactics[t.id].name or t.id,
                tactics[t.id].owner or "—",
                _iso(tactics[t.id].due),
                labels.text("mail.days_left", lang, days=t.days_left),
            ),
            Tone.WARN,
        )
        for t in results.tactics
        if t.due_status is DueStatus.DUE_SOON and t.id in tactics
    ]
    unallocated = (
        labels.text(
            "mail.unallocated",
            lang,
            amount=money(s.budget_unallocated, s.currency),
            share=f"{s.unallocated_share:.0%}",
        )
        if s.unallocated_share > 0
        else labels.text("mail.all_allocated", lang)
    )
    return Digest(
        lang=lang,
        title=plan_title(s, file),
        as_of=s.as_of,
        file=file,
        currency=s.currency,
        errors=sum(1 for p in loaded.problems if p.severity.value == "error"),
        tiles=tuple(tiles(_TileView(results, lang))),
        previous=previous,
        flips=tuple(flips),
        movers=tuple(movers),
        behind=tuple(_behind(results, names, owners, lang)),
        overdue=tuple(
            Row(
                (
                    o.name or o.tactic_id,
                    o.owner or "—",
                    o.due.isoformat(),
                    labels.text("mail.days_overdue", lang, days=o.days_overdue),
                ),
                Tone.BAD,
            )
            for o in s.overdue
        ),
        due_soon=tuple(sorted(due_soon, key=lambda r: r.cells[2])),
        stale=tuple(
            Row(
                (
                    i.name or i.kpi_id,
                    i.last_update.isoformat(),
                    labels.text("mail.stale_days", lang, days=i.days_since),
                ),
                Tone.WARN,
            )
            for i in s.stale_kpis
        ),
        over=tuple(
            Row(
                (o.name, _num(o.hours), _num(o.capacity), _pct(o.utilisation)),
                Tone.BAD,
            )
            for o in s.over_allocated
        ),
        unallocated=unallocated,
        bars=tuple(
            Bar(names.get(k.id, k.id), k.progress, k.expected, TONE[k.status])
            for k in results.kpis
            if k.progress is not None and k.status is not None
        ),
    )


def _behind(results, names: dict, owners: dict, lang: Lang) -> list[Row]:
    """KPIs off track, at risk or missed, worst gap first: name, owner, progress, expected, gap."""
    rows = []
    for k in results.kpis:
        if k.status not in BEHIND:
            continue
        known = k.expected is not None and k.progress is not None
        gap = k.expected - k.progress if known else None
        points = labels.text("mail.gap_points", lang, points=f"{-gap * 100:+.0f}") if known else "—"
        cells = (
            names.get(k.id, k.id),
            owners.get(k.goal_id) or "—",
            _pct(k.progress),
            _pct(k.expected),
            points,
            labels.text(k.status.label_key, lang),
        )
        rows.append((-(gap or 0), len(rows), Row(cells, TONE[k.status])))
    return [row for *_, row in sorted(rows, key=lambda r: r[:2])]


def _changes(
    history: list[TrendRow], results, names: dict, lang: Lang
) -> tuple[date | None, list[Row], list[str]]:
    """Status flips and the biggest progress moves against the latest snapshot before as-of."""
    as_of = results.frame.as_of
    earlier = [row for row in history if row.as_of < as_of]
    if not earlier:
        return None, [], []
    previous = max(row.as_of for row in earlier)
    before = {(r.kind, r.id): r for r in earlier if r.as_of == previous}
    statuses = Matcher(labels.keys_with_prefix("kpi_status."))
    flips, moves = [], []
    now = [("goal", g) for g in results.goals] + [("kpi", k) for k in results.kpis]
    for kind, item in now:
        old = before.get((kind, item.id))
        if old is None:
            continue
        name = names.get(item.id, item.id)
        old_key = statuses.match(old.status or "")
        new_key = item.status.label_key if item.status is not None else None
        if old_key and new_key and old_key != new_key:
            text = labels.text(
                "mail.flip",
                lang,
                name=name,
                old=labels.text(old_key, lang),
                new=labels.text(new_key, lang),
            )
            flips.append(Row((text,), TONE[item.status]))
        if kind == "kpi" and old.progress is not None and item.progress is not None:
            delta = item.progress - old.progress
            if round(delta * 100):
                moves.append((-abs(delta), len(moves), name, old.progress, item.progress, delta))
    movers = [
        labels.text(
            "mail.mover",
            lang,
            name=name,
            before=_pct(old),
            after=_pct(new),
            delta=labels.text("mail.gap_points", lang, points=f"{delta * 100:+.0f}"),
        )
        for *_, name, old, new, delta in sorted(moves)[:MOVERS]
    ]
    return previous, flips, movers


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "—"
