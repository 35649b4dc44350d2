"""The headline as terminal lines or as a JSON-ready dict (pure: cli.py prints).

The JSON shape is a contract for scripts and chat bots: it is described in
the README (The summary as JSON) and in data/summary.schema.json, and versioned by `schema_version`.
New keys may be added within a version; none is renamed or removed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from . import labels
from .errors import DataProblem, Severity
from .labels import Lang
from .model import Choice
from .results import TONE, StatusCount, Summary, Tone

SCHEMA_VERSION = 1

Style = Callable[[str, Tone | None], str]
"""Paints a piece of text in a tone (the CLI passes click.style); plain text when None."""

TONE_STYLES: dict[Tone | None, dict[str, object]] = {
    Tone.GOOD: {"fg": "green"},
    Tone.WARN: {"fg": "yellow"},
    Tone.BAD: {"fg": "red", "bold": True},
    Tone.MUTED: {"fg": "bright_black"},
    None: {"bold": True},
}
"""click.style arguments for each tone; None is used for titles."""

_ORDER = {Tone.BAD: 0, Tone.WARN: 1, Tone.GOOD: 2, Tone.MUTED: 3}
"""Counts read most urgent first: red, amber, green, grey."""

CURRENCY_SYMBOLS = {"USD": "$", "CNY": "¥", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$"}


def _plain(text: str, tone: Tone | None) -> str:
    return text


def problem_counts(problems: Iterable[DataProblem]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "notes": 0}
    names = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "notes"}
    for problem in problems:
        counts[names[problem.severity]] += 1
    return counts


def plan_title(summary: Summary, file: str | None) -> str:
    """The plan name, else the file name without its extension (SPEC §3 default)."""
    if summary.plan_name:
        return summary.plan_name
    if file:
        return file.rsplit(".", 1)[0] if "." in file else file
    return "sheetplan"


def to_dict(
    summary: Summary,
    lang: Lang,
    problems: Iterable[DataProblem] = (),
    file: str | None = None,
    as_of_source: str = "today",
) -> dict[str, object]:
    """The summary as plain JSON types: codes are stable English identifiers, labels are in
    the plan's language, dates ISO strings, shares fractions (0.6 = 60 %), money numbers."""
    return {
        "schema_version": SCHEMA_VERSION,
        "plan": {
            "name": plan_title(summary, file),
            "file": file,
            "as_of": summary.as_of.isoformat(),
            "as_of_source": as_of_source,
            "start": _iso(summary.start),
            "end": _iso(summary.end),
            "currency": summary.currency,
            "language": lang,
        },
        "goals": _group(summary.goal_total, summary.goals, lang),
        "kpis": _group(summary.kpi_total, summary.kpis, lang),
        "tactics": _group(summary.tactic_total, summary.tactics, lang),
        "budget": {
            "total": summary.budget_total,
            "planned": summary.budget_planned,
            "unallocated": summary.budget_unallocated,
            "unallocated_share": summary.unallocated_share,
        },
        "top_priorities": [
            {
                "rank": p.rank,
                "id": p.tactic_id,
                "name": p.name,
                "goal_id": p.goal_id,
                "owner": p.owner,
                "quadrant": p.quadrant.value,
                "quadrant_label": labels.text(p.quadrant.label_key, lang),
                "score": p.score,
                "due": _iso(p.due),
                "due_status": p.due_status.value,
                "due_status_label": labels.text(p.due_status.label_key, lang),
            }
            for p in summary.top_priorities
        ],
        "overdue_tactics": [
            {
                "id": o.tactic_id,
                "name": o.name,
                "owner": o.owner,
                "due": o.due.isoformat(),
                "days_overdue": o.days_overdue,
            }
            for o in summary.overdue
        ],
        "stale_kpis": [
            {
                "id": s.kpi_id,
                "name": s.name,
                "last_update": s.last_update.isoformat(),
                "days_since_update": s.days_since,
            }
            for s in summary.stale_kpis
        ],
        "over_allocated_owners": [
            {
                "name": o.name,
                "hours": o.hours,
                "capacity": o.capacity,
                "utilisation": o.utilisation,
            }
            for o in summary.over_allocated
        ],
        "problems": problem_counts(problems),
    }


def terminal_lines(
    summary: Summary,
    lang: Lang,
    problems: Iterable[DataProblem] = (),
    file: str | None = None,
    style: Style | None = None,
    as_of_source: str = "today",
) -> list[str]:
    """A compact report that reads in ten seconds: counts by status in traffic-light colours,
    money, then the short lists (only those with something in them)."""
    paint = style or _plain
    t = _texts(lang)
    title = t(
        "report.title",
        name=plan_title(summary, file),
        as_of=summary.as_of,
        source=t(f"asof.{as_of_source}"),
    )
    lines = [paint(title, None)]
    heads = [t("report.goals"), t("report.kpis"), t("report.tactics"), t("report.budget")]
    width = max(_width(h) for h in heads) + 1
    rows = (
        (heads[0], summary.goal_total, summary.goals),
        (heads[1], summary.kpi_total, summary.kpis),
        (heads[2], summary.tactic_total, summary.tactics),
    )
    for head, total, counts in rows:
        urgent_first = sorted((c for c in counts if c.count), key=lambda c: _ORDER[TONE[c.status]])
        parts = [
            paint(f"● {c.count} {labels.text(c.status.label_key, lang)}", TONE[c.status])
            for c in urgent_first
        ]
        lines.append(f"{_pad(head, width)}{total:>4}   " + "  ".join(parts))
    lines.append(_pad(heads[3], width) + " " * 7 + _budget(summary, lang, paint))
    sections = (
        (t("report.top"), [_priority(p, lang, paint) for p in summary.top_priorities]),
        (t("report.overdue"), [_overdue(o, lang, paint) for o in summary.overdue]),
        (t("report.stale"), [_stale(s, lang) for s in summary.stale_kpis]),
        (t("report.over"), [_over(o, lang, paint) for o in summary.over_allocated]),
    )
    for title, items in sections:
        if items:
            lines.append("")
            lines.append(paint(title, None))
            lines.extend(f"  {item}" for item in items)
    counts = problem_counts(problems)
    if counts["errors"] or counts["warnings"]:
        lines.append("")
        tone = Tone.BAD if counts["errors"] else Tone.WARN
        message = t("report.problems", file=file or "PLAN.xlsx", **counts)
        lines.append(paint(message, tone))
    return lines


def money(amount: float | None, currency: str) -> str:
    """`¥12,500`, `$1,250.50`, `1,000 SEK`; whole amounts without decimals."""
    if amount is None:
        return "—"
    text = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    if symbol is None:
        return f"{text} {currency}"
    return f"-{symbol}{text[1:]}" if text.startswith("-") else f"{symbol}{text}"


def _group(total: int, counts: tuple[StatusCount, ...], lang: Lang) -> dict[str, object]:
    return {
        "total": total,
        "by_status": [
            {
                "status": c.status.value,
                "label": labels.text(c.status.label_key, lang),
                "tone": TONE[c.status].value,
                "count": c.count,
            }
            for c in counts
        ],
    }


def _budget(summary: Summary, lang: Lang, paint: Style) -> str:
    if summary.budget_total is None and not summary.budget_planned:
        return paint(labels.text("report.no_budget", lang), Tone.MUTED)
    unallocated = summary.budget_unallocated
    tone = Tone.WARN if unallocated else Tone.GOOD
    return labels.text(
        "report.budget_line",
        lang,
        total=money(summary.budget_total, summary.currency),
        planned=money(summary.budget_planned, summary.currency),
        unallocated=paint(money(unallocated, summary.currency), tone),
    )


def _priority(item, lang: Lang, paint: Style) -> str:
    quadrant = paint(labels.text(item.quadrant.label_key, lang), TONE[item.quadrant])
    bits = [quadrant, item.owner or labels.text("report.no_owner", lang)]
    if item.due is not None:
        due = labels.text("report.due", lang, date=item.due.isoformat())
        bits.append(paint(due, TONE[item.due_status]) if _urgent(item.due_status) else due)
    return f"{item.rank:>2}. {item.tactic_id}  {item.name or ''}  · " + " · ".join(bits)


def _urgent(status: Choice) -> bool:
    return TONE.get(status) in (Tone.BAD, Tone.WARN)


def _overdue(item, lang: Lang, paint: Style) -> str:
    late = paint(labels.text("report.days_overdue", lang, days=item.days_overdue), Tone.BAD)
    owner = item.owner or labels.text("report.no_owner", lang)
    return f"{item.tactic_id}  {item.name or ''}  · {owner} · {late}"


def _stale(item, lang: Lang) -> str:
    when = labels.text(
        "report.stale_line", lang, date=item.last_update.isoformat(), days=item.days_since
    )
    return f"{item.kpi_id}  {item.name or ''}  · {when}"


def _over(load, lang: Lang, paint: Style) -> str:
    use = f"{round(load.utilisation * 100):d}%" if load.utilisation is not None else "—"
    line = labels.text(
        "report.over_line",
        lang,
        hours=_number(load.hours),
        capacity=_number(load.capacity or 0.0),
        use=paint(use, Tone.BAD),
    )
    return f"{load.name}  {line}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _texts(lang: Lang) -> Callable[..., str]:
    def t(key: str, **values: object) -> str:
        return labels.text(key, lang, **values)

    return t


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
