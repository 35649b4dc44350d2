"""What the Dashboard's charts and lists show when not everything fits, and how items are named.

Pure functions of plain data (no workbook, no XlsxWriter), so the rules are tested without a
file: the worst first (Off track and Missed, then At risk, then by how far behind the expected
pace), a count of what was left out, labels that tell items apart (the ID plus the words that
differ from the other items' names), and lines that break only between items.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..results import KpiStatus

SEVERITY: dict[KpiStatus, int] = {
    KpiStatus.OFF_TRACK: 0,
    KpiStatus.MISSED: 0,
    KpiStatus.AT_RISK: 1,
}
"""Statuses that come first, worst first; every other status ranks after them (2)."""


@dataclass(frozen=True)
class Standing:
    """Where one KPI or goal stands: enough to rank it against the others."""

    id: str
    status: KpiStatus | None
    progress: float | None
    expected: float | None
    tie: int = 0
    """Breaks ties after the gap (a KPI's level rank); the input order breaks the rest."""

    @property
    def gap(self) -> float | None:
        """Progress minus the expected pace: negative when behind."""
        if self.progress is None or self.expected is None:
            return None
        return self.progress - self.expected


@dataclass(frozen=True)
class Chosen:
    """The IDs a chart shows, worst first, and how many there were to choose from."""

    ids: tuple[str, ...]
    total: int

    @property
    def cut(self) -> bool:
        return len(self.ids) < self.total


def worst_first(standings: Sequence[Standing], limit: int) -> Chosen:
    """The `limit` worst: Off track (and Missed), then At risk, then the rest; within each
    group the furthest behind the expected pace first, those without a pace last."""
    order = {s.id: i for i, s in enumerate(standings)}

    def key(s: Standing) -> tuple:
        gap = s.gap
        severity = SEVERITY.get(s.status, 2) if s.status is not None else 2
        return (severity, gap is None, gap if gap is not None else 0.0, s.tie, order[s.id])

    ranked = sorted(standings, key=key)
    return Chosen(tuple(s.id for s in ranked[:limit]), len(standings))


# --- names ------------------------------------------------------------------------------------


def width(text: str) -> int:
    """Columns `text` takes: a Chinese (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` columns at the end of a clause or else at a word boundary
    (any character between wide characters), ending with … when anything was cut."""
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    out, used, last_break = "", 0, 0
    for i, ch in enumerate(text):
        w = width(ch)
        if used + w > limit - 1:
            if ch in " -/" or w == 2:
                last_break = len(out)  # the cut falls between words
            break
        out, used = out + ch, used + w
        if ch in " -/" or w == 2 or (i + 1 < len(text) and width(text[i + 1]) == 2):
            last_break = len(out)
    clause = max((out.rfind(mark) for mark in CLAUSE_ENDS), default=-1)
    if clause >= 0 and width(out[:clause]) >= limit * 0.4:
        out = out[:clause]
    elif last_break:
        out = out[:last_break]
    return out.rstrip(" ,;:-—·、，：") + "…"


CLAUSE_ENDS = ("：", "，", "；", "。", ": ", "; ")
"""Where a cut name reads best: at the end of a clause ("让冷泡茶被认识：11 月…" becomes
"让冷泡茶被认识…"), when that keeps at least 40 % of the room."""


def distinct_labels(items: Sequence[tuple[str, str | None]], limit: int) -> list[str]:
    """ "ID words" for each (id, name): where names start alike ("12 月 31 日前通过社媒…") so far
    that a cut name would show little past the shared start, that start is dropped so the words
    shown are the ones that tell the items apart."""
    names = [_LEADING_DATE.sub("", " ".join((name or "").split())) for _, name in items]
    labels = []
    for i, (ident, _) in enumerate(items):
        name = names[i]
        if not name:
            labels.append(ident)
            continue
        if width(name) <= limit:
            labels.append(f"{ident} {name}")
            continue
        shared = max(
            (_common_prefix(name, other) for j, other in enumerate(names) if j != i and other),
            default=0,
        )
        plain = shorten(name, limit)
        if width(plain) - 1 - width(name[:shared]) >= 6:
            labels.append(f"{ident} {plain}")  # the words that differ show anyway
            continue
        start = _word_start(name, shared) if shared and width(name[:shared]) >= 4 else 0
        rest = name[start:].lstrip(" ,;:-—·、，：")
        shown = ("…" + shorten(rest, limit - 1)) if start and rest else shorten(name, limit)
        labels.append(f"{ident} {shown}")
    return labels


_LEADING_DATE = re.compile(r"^\d{1,2}\s*月\s*\d{1,2}\s*日(?:之?前)?[，,]?\s*")
"""A deadline at the start of a Chinese goal ("12 月 31 日前…") says when, not what: the
label starts after it (the Due column has the date)."""


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _word_start(name: str, shared: int) -> int:
    """Where the distinguishing words begin: back from the first differing character to the
    start of its word (Latin), or at it (Chinese, where each character is a word boundary)."""
    if shared >= len(name):
        return 0
    if width(name[shared]) == 2 or (shared and width(name[shared - 1]) == 2):
        return shared
    cut = name.rfind(" ", 0, shared)
    return cut + 1 if cut >= 0 else 0


def full_name_lines(items: Iterable[str], limit: int, sep: str = "  ") -> str:
    """Items joined on lines of at most `limit` columns, breaking only between items (an item
    longer than a line gets a line of its own, never split)."""
    lines: list[str] = []
    for item in items:
        if lines and width(lines[-1]) + width(sep) + width(item) <= limit:
            lines[-1] += sep + item
        else:
            lines.append(item)
    return "\n".join(lines)


# --- point labels -----------------------------------------------------------------------------

Box = tuple[float, float, float, float]
"""x0, y0, x1, y1 in pixels, y growing downwards."""

SIDES = ("above", "right", "below", "left")
"""Where a point's label may go, in order of preference (Excel's data-label positions)."""


def place_labels(
    points: Sequence[tuple[float, float, float, float]],
    keep_clear: Sequence[Box],
    bounds: Box,
    faint: Sequence[Box] = (),
    gap: float = 6.0,
    marker: float = 5.0,
) -> list[str]:
    """A side for each point's label: points are (x, y, label width, label height). Longest
    labels first, each takes the side that covers least of the other labels, the markers and
    the boxes in `keep_clear` (a quarter as bad: `faint` ones, such as gridlines) and stays
    inside `bounds`; then each label in turn moves while a move makes the whole less crowded."""
    markers = [(x - marker, y - marker, x + marker, y + marker) for x, y, _, _ in points]
    boxes: list[Box | None] = [None] * len(points)
    sides = [""] * len(points)

    def cost(i: int, box: Box) -> float:
        near = [b for j, b in enumerate(boxes) if j != i and b is not None]
        return (
            3 * sum(_overlap(box, b) for b in near)
            + 2 * sum(_overlap(box, m) for j, m in enumerate(markers) if j != i)
            + 2 * sum(_overlap(box, b) for b in keep_clear)
            + 0.5 * sum(_overlap(box, b) for b in faint)
            + 4 * _outside(box, bounds)
        )

    def best(i: int) -> tuple[str, float]:
        x, y, w, h = points[i]
        scored = [
            (cost(i, label_box(side, x, y, w, h, gap)), n, side) for n, side in enumerate(SIDES)
        ]
        low = min(scored)
        return low[2], low[0]

    for i in sorted(range(len(points)), key=lambda i: -points[i][2] * points[i][3]):
        sides[i], _ = best(i)
        boxes[i] = label_box(sides[i], *points[i], gap)
    for _ in range(4):
        moved = False
        for i in range(len(points)):
            side, low = best(i)
            if side != sides[i] and low < cost(i, boxes[i]) - 1e-6:
                sides[i], boxes[i], moved = side, label_box(side, *points[i], gap), True
        if not moved:
            break
    return sides


def label_box(side: str, x: float, y: float, w: float, h: float, gap: float) -> Box:
    if side == "above":
        return (x - w / 2, y - gap - h, x + w / 2, y - gap)
    if side == "below":
        return (x - w / 2, y + gap, x + w / 2, y + gap + h)
    if side == "right":
        return (x + gap, y - h / 2, x + gap + w, y + h / 2)
    return (x - gap - w, y - h / 2, x - gap, y + h / 2)


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _outside(box: Box, bounds: Box) -> float:
    area = (box[2] - box[0]) * (box[3] - box[1])
    return area - _overlap(box, bounds)
