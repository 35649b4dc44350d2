"""Issue 10: no Excel runs here, so what can be checked is checked — the child order of every
sequence sheetplan writes or edits, against ECMA-376 Part 1 (the order Excel repairs a file
for): chart series, worksheets (patched input sheets and report sheets), the workbook, and
the styles part, on refreshed samples in both languages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from sheetplan import api
from sheetplan.package.sheets import WORKSHEET_ORDER
from sheetplan.package.styles import ORDER as STYLES_ORDER

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

SERIES = {
    "barChart": ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "dPt",
                 "dLbls", "trendline", "errBars", "cat", "val", "shape", "extLst"),
    "bar3DChart": ("idx", "order", "tx", "spPr", "invertIfNegative", "pictureOptions", "dPt",
                   "dLbls", "trendline", "errBars", "cat", "val", "shape", "extLst"),
    "lineChart": ("idx", "order", "tx", "spPr", "marker", "dPt", "dLbls", "trendline",
                  "errBars", "cat", "val", "smooth", "extLst"),
    "scatterChart": ("idx", "order", "tx", "spPr", "marker", "dPt", "dLbls", "trendline",
                     "errBars", "xVal", "yVal", "smooth", "extLst"),
    "pieChart": ("idx", "order", "tx", "spPr", "explosion", "dPt", "dLbls", "cat", "val",
                 "extLst"),
    "doughnutChart": ("idx", "order", "tx", "spPr", "explosion", "dPt", "dLbls", "cat", "val",
                      "extLst"),
    "areaChart": ("idx", "order", "tx", "spPr", "pictureOptions", "dPt", "dLbls", "trendline",
                  "errBars", "cat", "val", "extLst"),
}  # fmt: skip
WORKBOOK = ("fileVersion", "fileSharing", "workbookPr", "AlternateContent",
            "workbookProtection", "bookViews", "sheets", "functionGroups", "externalReferences",
            "definedNames", "calcPr", "oleSize", "customWorkbookViews", "pivotCaches",
            "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr",
            "webPublishObjects", "extLst")  # fmt: skip
CELL = ("f", "v", "is", "extLst")
ROW_CHILDREN = ("c", "extLst")


def local(element) -> str:
    return etree.QName(element).localname


def assert_in_order(parent, sequence: tuple[str, ...], where: str) -> None:
    positions = []
    for child in parent:
        if not isinstance(child.tag, str):
            continue
        name = local(child)
        assert name in sequence, f"{where}: <{name}> is not allowed in <{local(parent)}>"
        positions.append(sequence.index(name))
    assert positions == sorted(positions), f"{where}: children of <{local(parent)}> out of order"


@pytest.fixture(scope="module", params=["sample_en.xlsx", "sample_zh.xlsx"])
def refreshed(request, tmp_path_factory) -> Path:
    plan = tmp_path_factory.mktemp("order") / request.param
    shutil.copyfile(SAMPLES / request.param, plan)
    api.refresh(plan, backup=False)
    api.refresh(plan, backup=False)  # a second refresh edits an already edited package
    return plan


def test_every_chart_series_is_in_schema_order(refreshed):
    seen = 0
    with zipfile.ZipFile(refreshed) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/charts/chart"):
                continue
            root = etree.fromstring(archive.read(name))
            for kind, sequence in SERIES.items():
                for chart in root.iter("{*}" + kind):
                    for series in chart.iterfind("{*}ser"):
                        assert_in_order(series, sequence, f"{name} {kind}")
                        seen += 1
    assert seen >= 6


def test_every_worksheet_cell_and_row_is_in_schema_order(refreshed):
    with zipfile.ZipFile(refreshed) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) >= 13
        for name in sheets:
            root = etree.fromstring(archive.read(name))
            assert_in_order(root, WORKSHEET_ORDER, name)
            for row in root.iter("{*}row"):
                assert_in_order(row, ROW_CHILDREN, name)
                columns = [c.get("r").rstrip("0123456789") for c in row.iterfind("{*}c")]
                keys = [(len(c), c) for c in columns]
                assert keys == sorted(keys), f"{name} row {row.get('r')}: cells out of order"
                for cell in row.iterfind("{*}c"):
                    assert_in_order(cell, CELL, f"{name} {cell.get('r')}")
            rows = [int(r.get("r")) for r in root.iter("{*}row")]
            assert rows == sorted(set(rows)), f"{name}: rows out of order or repeated"


def test_workbook_and_styles_are_in_schema_order(refreshed):
    with zipfile.ZipFile(refreshed) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        assert_in_order(book, WORKBOOK, "workbook.xml")
        styles = etree.fromstring(archive.read("xl/styles.xml"))
        assert_in_order(styles, STYLES_ORDER, "styles.xml")
        for collection in styles:
            count = collection.get("count")
            if count is not None:
                assert int(count) == len(collection), local(collection)
