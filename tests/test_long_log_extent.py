"""A log longer than 769,230 rows (MAX_CELLS / 26) was refused as "too large" even when it is
six columns wide: the fast extent scan of a big sheet took every log to reach column Z. A
narrow long log passes; a cell far enough right still makes the sheet too large."""

from __future__ import annotations

import pytest
from hostile_corpus import ACTUALS, edited

from sheetplan import preflight
from sheetplan.errors import InputError

LAST_ROW = 900_000
"""20,000,000 cells / 900,000 rows: a grid up to 22 columns (V) wide is allowed."""


def long_log(last_cell: bytes):
    """Over 4 MB of six-column rows (the fast scan's size), then a row LAST_ROW whose last
    cell is `last_cell`."""

    def change(data: bytes) -> bytes:
        rows = b"".join(
            b'<row r="%d"><c r="A%d"><v>46204</v></c><c r="B%d"><v>1</v></c>'
            b'<c r="C%d"><v>2</v></c><c r="D%d"><v>3</v></c><c r="E%d"><v>4</v></c>'
            b'<c r="F%d"><v>5</v></c></row>' % ((n,) * 7)
            for n in range(10_000, 40_000)
        )
        last = b'<row r="%d"><c r="A%d"><v>1</v></c><c r="%s"><v>1</v></c></row>' % (
            LAST_ROW,
            LAST_ROW,
            last_cell,
        )
        assert len(rows) > preflight.SMALL_PART
        return data.replace(b"</sheetData>", rows + last + b"</sheetData>", 1)

    return change


@pytest.mark.parametrize("last_cell", [b"F900000", b"V900000"])
def test_a_long_narrow_log_is_not_too_large(tmp_path, last_cell):
    path = edited(tmp_path / "plan.xlsx", ACTUALS, long_log(last_cell))
    preflight.check_workbook_file(path)


@pytest.mark.parametrize(
    ("last_cell", "cells"), [(b"W900000", "20,700,000"), (b"Z900000", "23,400,000")]
)
def test_a_cell_past_the_widest_allowed_grid_is_still_too_large(tmp_path, last_cell, cells):
    path = edited(tmp_path / "plan.xlsx", ACTUALS, long_log(last_cell))
    with pytest.raises(InputError, match=f"the sheet is too large \\({cells} cells"):
        preflight.check_workbook_file(path)
