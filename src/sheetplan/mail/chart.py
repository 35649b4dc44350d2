"""The inline chart: each KPI's progress as a bar, with a mark where it should be by now.

Drawn with matplotlib's Agg backend (no Excel, no display). Chinese labels use a Noto CJK
font when the machine has one; the background is opaque white so dark-mode clients that
invert the mail leave it readable.
"""

from __future__ import annotations

import io
import warnings

from .. import labels
from ..labels import Lang
from ..results import Tone
from .digest import Bar

COLOURS = {Tone.GOOD: "#2e7d32", Tone.WARN: "#ef8f00", Tone.BAD: "#c62828", Tone.MUTED: "#9e9e9e"}
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC")
WIDTH_PX = 600
"""The chart's width in the mail; drawn at twice that for sharp screens."""
MAX_BARS = 20


def render_png(bars: tuple[Bar, ...], lang: Lang) -> bytes:
    """The PNG bytes of the progress-vs-expected chart (the first MAX_BARS KPIs, in sheet order)."""
    from matplotlib import font_manager, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    shown = list(bars)[:MAX_BARS]
    available = {f.name for f in font_manager.fontManager.ttflist}
    family = [f for f in CJK_FONTS if f in available] + ["DejaVu Sans"]
    height = 0.9 + 0.36 * max(len(shown), 1)
    with warnings.catch_warnings(), rc_context({"font.family": family, "font.size": 9}):
        warnings.simplefilter("ignore", UserWarning)  # missing glyphs without a CJK font
        figure = Figure(figsize=(WIDTH_PX / 100, height), dpi=200, facecolor="white")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        names = [_short(b.name) for b in shown][::-1]
        values = [min(b.progress, 1.5) * 100 for b in shown][::-1]
        colours = [COLOURS[b.tone] for b in shown][::-1]
        positions = range(len(shown))
        axes.barh(positions, values, color=colours, height=0.6, label=_t("chart_progress", lang))
        expected = [(i, b.expected * 100) for i, b in enumerate(shown[::-1]) if b.expected]
        if expected:
            ys, xs = zip(*expected, strict=True)
            axes.scatter(
                xs, ys, marker="|", s=300, color="black", zorder=3, label=_t("chart_expected", lang)
            )
        axes.set_yticks(list(positions), names)
        axes.set_xlim(0, max([100, *values, *(x for _, x in expected)]) * 1.05)
        axes.xaxis.set_major_formatter(lambda x, _: f"{x:.0f}%")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="lower right", bbox_to_anchor=(1, 1), ncols=2, fontsize=8, frameon=False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", facecolor="white", metadata={"Software": None})
    return out.getvalue()


def _t(key: str, lang: Lang) -> str:
    return labels.text(f"mail.{key}", lang)


def _short(name: str, limit: int = 28) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
