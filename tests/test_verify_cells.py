"""The verifier's check of a spliced input sheet: every cell outside sheetplan's columns as it
was. Rows are compared whole first and cell by cell only when they differ, so both outcomes
of both comparisons are tried here on a small sheet whose column C (index 2) is sheetplan's."""

from __future__ import annotations

import zipfile

import pytest

from sheetplan.package.editor import Edit
from sheetplan.package.verify import NotKept, unchanged_except

PART = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
ORIGINAL = (
    HEAD + "<sheetData>"
    '<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t>Tactic</t></is></c>'
    '<c r="B1"><v>10</v></c><c r="C1"><v>1</v></c></row>'
    '<row r="2" spans="1:3"><c r="A2" t="inlineStr"><is><t>Reels</t></is></c>'
    '<c r="B2"><v>20</v></c><c r="C2"><v>2</v></c></row>'
    "</sheetData></worksheet>"
)


def check(tmp_path, original: str, result: str) -> None:
    before, after = tmp_path / "before.xlsx", tmp_path / "after.xlsx"
    for path, xml in ((before, original), (after, result)):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(PART, xml)
    unchanged_except(before, after, Edit(rewritten={PART}, owned_columns={PART: {2}}))


def test_sheetplans_column_rewritten_and_a_row_added_for_it_pass(tmp_path):
    result = (
        ORIGINAL.replace("<v>1</v>", "<v>7</v>")
        .replace('<c r="C2"><v>2</v></c>', '<c r="C2" s="3" t="str"><f>B2*2</f><v>40</v></c>')
        .replace('spans="1:3"', 'spans="1:4"')
        .replace("</sheetData>", '<row r="3"><c r="C3"><v>9</v></c></row></sheetData>')
    )
    check(tmp_path, ORIGINAL, result)


def test_a_changed_cell_of_the_users_is_named(tmp_path):
    result = ORIGINAL.replace("<v>20</v>", "<v>21</v>")
    with pytest.raises(
        NotKept,
        match=r"sheet1\.xml › a cell outside the computed columns changed \[\(\(1, 1\), b'<c ",
    ):
        check(tmp_path, ORIGINAL, result)


def test_a_users_cell_moved_into_sheetplans_column_is_caught(tmp_path):
    result = ORIGINAL.replace('<c r="B2"><v>20</v></c>', "")
    with pytest.raises(NotKept, match="a cell outside the computed columns changed"):
        check(tmp_path, ORIGINAL, result)


def test_implied_references_written_out_and_cells_in_another_order_pass(tmp_path):
    """The editor writes out a reference the original left implied (after the cell's other
    attributes); the same cells in another order within their row are the same cells (the row
    comparison fails, the cell one holds)."""
    implied = ORIGINAL.replace('<c r="A1" t="inlineStr">', '<c t="inlineStr">').replace(
        '<c r="B1">', "<c>"
    )
    written_out = ORIGINAL.replace('<c r="A1" t="inlineStr">', '<c t="inlineStr" r="A1">')
    reordered = ORIGINAL.replace(
        '<c r="A2" t="inlineStr"><is><t>Reels</t></is></c><c r="B2"><v>20</v></c>',
        '<c r="B2"><v>20</v></c><c r="A2" t="inlineStr"><is><t>Reels</t></is></c>',
    )
    check(tmp_path, implied, written_out)
    check(tmp_path, ORIGINAL, reordered)
