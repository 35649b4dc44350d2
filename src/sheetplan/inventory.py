"""What is in a user's workbook beyond cell values — charts, images, shapes, pivot tables,
threaded comments, macros, formulas — and which of it a refresh cannot carry over.

(Skeleton: filled in by issue 6, helper C.)
"""

from __future__ import annotations

from pathlib import Path

from .labels import Lang


def uncarried(path: Path, lang: Lang) -> tuple[str, ...]:
    """One short phrase per kind of content a refresh of `path` would lose ("2 charts"),
    in `lang`; empty when everything comes back."""
    return ()
