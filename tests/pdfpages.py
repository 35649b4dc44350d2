"""Pages of a PDF as poppler reads them: size, smallest text in points, the text itself.

`pdftohtml -xml` reports each text run's size after every scaling of the page (fit to page,
print scale), at 3× with -zoom 3, so the smallest printed size is read to a third of a point.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ZOOM = 3


@dataclass(frozen=True)
class Page:
    number: int
    width_pt: float
    height_pt: float
    min_pt: float | None
    text: str


def pages(pdf: Path) -> list[Page]:
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-zoom", str(ZOOM), "-stdout", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "replace")
    xml = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", xml)
    root = ET.fromstring(xml)
    sizes: dict[str, float] = {}
    out = []
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            sizes[spec.get("id")] = float(spec.get("size")) / ZOOM
        runs = [(t.get("font"), "".join(t.itertext())) for t in page.iter("text")]
        shown = [(f, s) for f, s in runs if s.strip()]
        out.append(
            Page(
                int(page.get("number")),
                float(page.get("width")) / ZOOM,
                float(page.get("height")) / ZOOM,
                min((sizes[f] for f, _ in shown), default=None),
                "\n".join(s for _, s in shown),
            )
        )
    return out


def small_runs(pdf: Path, below: float = 8.0) -> list[tuple[int, float, str]]:
    """(page, size, text) of every run printed below `below` points."""
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-zoom", str(ZOOM), "-stdout", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8", "replace")
    root = ET.fromstring(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", xml))
    sizes: dict[str, float] = {}
    found = []
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            sizes[spec.get("id")] = float(spec.get("size")) / ZOOM
        for t in page.iter("text"):
            text = "".join(t.itertext()).strip()
            if text and sizes[t.get("font")] < below - 0.2:
                found.append((int(page.get("number")), sizes[t.get("font")], text))
    return found


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


def words(pdf: Path) -> list[Word]:
    """Every word poppler finds, with its bounding box in points (`pdftotext -bbox`)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    found = []
    for number, page in enumerate(re.split(r"<page\b", html)[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        ):
            box = tuple(float(v) for v in m.groups()[:4])
            found.append(Word(number, *box, m[5]))
    return found


MONEY_OR_SHARE = re.compile(r"^[-+]?[$¥€£]?\d[\d,]*(?:\.\d+)?%?$")
"""A printed number: an amount (with a currency sign, separators, decimals) or a share."""
