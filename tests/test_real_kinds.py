"""Issue 12, acceptance 1: plans with the traits of real files from Excel, LibreOffice, WPS
and Google Sheets, built here from the bundled sample, each checked in a child process with a
memory cap (as test_hostile.py runs them): the right answer, within 5 s and 500 MB, the input
byte-identical.

The sample's answer is known by hand: 0 errors and 2 warnings (KPI K15 stale since
2026-10-16, Sam Okafor at 220 of 200 hours). None of the traits below may change it."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from test_hostile import PEAK_MB, SECONDS, run

from sheetplan.api import new_plan
from sheetplan.reader import sheet_parts

FORMATTED_ROWS = 4_000
COLUMNS = "ABCDEFGHIJKL"  # 12 columns × 4,000 rows = 48,000 formatted empty cells


def _edit(base: Path, target: Path, change, add: dict[str, bytes] | None = None) -> Path:
    """Copy `base` to `target`, passing each part through `change(name, data, tactics_part)`."""
    with zipfile.ZipFile(base) as source:
        tactics = sheet_parts(source)["Tactics"]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for entry in source.infolist():
                out.writestr(
                    entry.filename, change(entry.filename, source.read(entry.filename), tactics)
                )
            for name, data in (add or {}).items():
                out.writestr(name, data)
    return target


def _rows(style: str) -> bytes:
    """Formatted empty rows below the Tactics, as each program writes them."""
    rows = []
    for r in range(100, 100 + FORMATTED_ROWS):
        cells = "".join(f'<c r="{c}{r}" s="1"/>' for c in COLUMNS)
        if style == "libreoffice":
            head = (
                f'<row r="{r}" s="1" customFormat="true" ht="12.8" hidden="false"'
                ' customHeight="false" outlineLevel="0" collapsed="false">'
            )
        else:  # Excel
            head = f'<row r="{r}" spans="1:12" s="1" customFormat="1">'
        rows.append(head + cells + "</row>")
    return "".join(rows).encode()


def formatted(style: str):
    def change(name, data, tactics):
        if name == tactics:
            data = data.replace(b"</sheetData>", _rows(style) + b"</sheetData>")
        return data

    return change, None


def google_sheets():
    def change(name, data, tactics):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            data = re.sub(rb"<dimension[^>]*/>", b"", data)
            data = re.sub(rb' spans="[^"]*"', b"", data)
        return data

    return change, None


def wps():
    add = {
        "xl/cellimages.xml": b'<?xml version="1.0" encoding="UTF-8"?><etc:cellImages'
        b' xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>',
        "docProps/custom.xml": b'<?xml version="1.0" encoding="UTF-8"?><Properties'
        b' xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>',
        "customXml/item1.xml": b"<root/>",
    }
    return (lambda name, data, tactics: data), add


def form_controls():
    def change(name, data, tactics):
        if name == tactics:
            data = data.replace(
                b"</worksheet>",
                b'<controls><control shapeId="1025" r:id="rIdCtl1" name="Check Box 1"/>'
                b"</controls></worksheet>",
            )
            if b"xmlns:r=" not in data[:2000]:
                data = data.replace(
                    b"<worksheet ",
                    b'<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships" ',
                    1,
                )
        if name == "[Content_Types].xml":
            data = data.replace(
                b"</Types>",
                b'<Override PartName="/xl/ctrlProps/ctrlProp1.xml"'
                b' ContentType="application/vnd.ms-excel.controlproperties+xml"/></Types>',
            )
        return data

    add = {
        "xl/ctrlProps/ctrlProp1.xml": b'<?xml version="1.0" encoding="UTF-8"?><formControlPr'
        b' xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
        b' objectType="CheckBox" checked="Checked"/>',
    }
    return change, add


def macro_sheet():
    def change(name, data, tactics):
        if name == "xl/workbook.xml":
            data = data.replace(
                b"</sheets>", b'<sheet name="Macro1" sheetId="99" r:id="rId99"/></sheets>'
            )
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.microsoft.com/office/2006/'
                b'relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>',
            )
        return data

    add = {
        "xl/macrosheets/sheet1.xml": b'<?xml version="1.0" encoding="UTF-8"?><xm:macrosheet'
        b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData>'
        b'<row r="1"><c r="A1"><f>RETURN()</f></c></row></sheetData></xm:macrosheet>',
        "xl/vbaProject.bin": bytes(range(256)) * 8,
    }
    return change, add


def far_apart():
    """A sheet of the user's own with cells at A1 and AX40000 (2,000,000 cells apart)."""

    def change(name, data, tactics):
        if name == "xl/workbook.xml":
            data = data.replace(
                b"</sheets>", b'<sheet name="Scratch" sheetId="98" r:id="rId98"/></sheets>'
            )
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/worksheet" Target="worksheets/scratch.xml"/>'
                b"</Relationships>",
            )
        return data

    add = {
        "xl/worksheets/scratch.xml": b'<?xml version="1.0" encoding="UTF-8"?><worksheet'
        b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>top</t></is></c></row>'
        b'<row r="40000"><c r="AX40000"><v>1</v></c></row></sheetData></worksheet>',
    }
    return change, add


KINDS = {
    "libreoffice_formatted.xlsx": formatted("libreoffice"),
    "excel_formatted.xlsx": formatted("excel"),
    "google_sheets.xlsx": google_sheets(),
    "wps.xlsx": wps(),
    "form_controls.xlsx": form_controls(),
    "macro_sheet.xlsm": macro_sheet(),
    "far_apart.xlsx": far_apart(),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "plan.xlsx"
    new_plan(path, sample=True)  # carries VML notes on its headers already
    return path


WARNINGS = [
    "warning: {file} › KPIs › row 16 › Last update: KPI K15 has had no new data since"
    " 2026-10-16 (30 days; stale after 14) — log the latest value on Actuals",
    "warning: {file} › Team › row 5 › Capacity hours: Sam Okafor has 220 hours of tactics for"
    " 200 hours of capacity (110%) — move work or add capacity",
]


@pytest.mark.parametrize("kind", list(KINDS))
def test_real_kind_is_answered_quickly_and_left_unchanged(base, tmp_path, kind):
    change, add = KINDS[kind]
    path = _edit(base, tmp_path / kind, change, add)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    code, out, err, seconds, peak = run("check", str(path))
    assert (code, out.splitlines()) == (0, [w.format(file=kind) for w in WARNINGS]), err
    assert err == f"{kind}: errors 0 · warnings 2 · notes 0\n"
    assert seconds < SECONDS and peak < PEAK_MB
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_formatted_empty_cells_are_scanned_in_linear_time(base, tmp_path):
    """The formula scan over 48,000 formatted empty cells: a count, not a clock — the number
    of regex matches it makes is the number of formulas, whatever the empty cells."""
    from sheetplan.reader import formula_cells

    empty = _rows("excel")
    with_formula = b'<row r="1"><c r="A1"><f>SUM(B1:B2)</f></c></row>' + empty
    unsaved, total, sums = formula_cells(with_formula)
    assert (unsaved, total, sums) == (["A1"], 1, {1: {0}})
