"""What is in a user's workbook beyond cell values, notes and column widths — charts, images,
shapes, pivot tables, threaded comments, macros, links to other workbooks, formulas — that a
refresh cannot write back.

A refresh rebuilds the workbook from values, so such content would be dropped; `api.refresh`
then writes beside the original instead of over it and says what stayed behind. Sheetplan's
own sheets (Dashboard and the reports) are skipped: their charts are rebuilt every time.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath

from . import labels
from .labels import Lang

_SHAPE = re.compile(rb"<(?:\w+:)?sp>|<(?:\w+:)?sp\s")
_PICTURE = re.compile(rb"<(?:\w+:)?pic>|<(?:\w+:)?pic\s")
_CHART_REF = re.compile(rb"<(?:\w+:)?chart\s")
_THREAD = re.compile(rb"<(?:\w+:)?threadedComment\s")


def uncarried(
    path: Path,
    lang: Lang,
    *,
    own_sheets: set[str] = frozenset(),
    formula_cells: int = 0,
) -> tuple[str, ...]:
    """One short phrase per kind of content a refresh of `path` would lose ("2 charts"), in
    `lang`; empty when everything comes back. `own_sheets` are sheetplan's output sheets;
    `formula_cells` the user's formulas the reader counted (written back as their values)."""
    found = _count(path, own_sheets)
    if formula_cells:
        found["formulas"] = formula_cells
    return tuple(
        labels.text(f"lost.{kind}", lang, count=found[kind]) for kind in KINDS if found.get(kind)
    )


KINDS = (
    "charts",
    "images",
    "shapes",
    "pivot_tables",
    "threaded_comments",
    "macros",
    "external_links",
    "formulas",
)


def _count(path: Path, own_sheets: set[str]) -> Counter:
    from defusedxml import ElementTree

    from .reader import collapse_path, sheet_parts

    found: Counter = Counter()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/vbaProject.bin" in names:
                found["macros"] = 1
            found["external_links"] = sum(
                1 for n in names if re.fullmatch(r"xl/externalLinks/externalLink\d+\.xml", n)
            )
            found["pivot_tables"] = sum(
                1 for n in names if re.fullmatch(r"xl/pivotTables/pivotTable\d+\.xml", n)
            )
            found["charts"] += sum(
                1 for n in names if re.fullmatch(r"xl/chartsheets/sheet\d+\.xml", n)
            )

            def related(part: str) -> list[str]:
                folder, base = part.rsplit("/", 1)
                rels = f"{folder}/_rels/{base}.rels"
                if rels not in names:
                    return []
                targets = []
                for rel in ElementTree.fromstring(archive.read(rels)):
                    target = rel.get("Target", "")
                    if rel.get("TargetMode") == "External" or not target:
                        continue
                    if target.startswith("/"):
                        targets.append(target.lstrip("/"))
                    else:
                        targets.append(collapse_path(str(PurePosixPath(folder) / target)))
                return [t for t in targets if t in names]

            for sheet, part in sheet_parts(archive).items():
                if sheet in own_sheets or part not in names:
                    continue
                for target in related(part):
                    if target.startswith("xl/threadedComments/"):
                        found["threaded_comments"] += len(_THREAD.findall(archive.read(target)))
                    elif re.fullmatch(r"xl/drawings/drawing\d+\.xml", target):
                        drawing = archive.read(target)
                        found["charts"] += len(_CHART_REF.findall(drawing))
                        found["images"] += len(_PICTURE.findall(drawing))
                        found["shapes"] += len(_SHAPE.findall(drawing))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
        return found
    return found
