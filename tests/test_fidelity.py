"""Fidelity suite (issue 10, acceptance 1): kinds of content a user adds to a plan, each built
with the tool a user's program leaves it with (openpyxl, XlsxWriter, or the XML Excel writes),
then `sheetplan refresh` in place. Each kind has its own test: the feature is identical
afterwards, the computed columns and report sheets are there, the backup is kept, every zip
member sheetplan does not own is byte-identical, and a second refresh changes only the report
sheets.

Several kinds share one workbook (one per tool) so that the whole file stays fast; each kind is
still asserted on its own.
"""

from __future__ import annotations

import io
import shutil
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from fidelity_kinds import (
    PATCHED,
    REPORTS,
    Package,
    Snapshot,
    q,
    rels_of,
    tiny_png,
    without_tab_selected,
)
from lxml import etree
from notecheck import assert_notes_kept
from refreshed import OPENPYXL_WARNINGS

from sheetplan.api import load_plan, refresh

from workbooks import minimal_plan, write_workbook

pytestmark = [pytest.mark.filterwarnings(w) for w in OPENPYXL_WARNINGS]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "sample_en.xlsx"
AS_OF = date(2026, 11, 15)
STAMP = datetime(2026, 11, 15, 9, 30)
SECOND_STAMP = datetime(2026, 11, 16, 9, 30)

OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MS_2006 = "http://schemas.microsoft.com/office/2006/relationships"
MS_2007 = "http://schemas.microsoft.com/office/2007/relationships"
MS_2017 = "http://schemas.microsoft.com/office/2017/10/relationships"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass(frozen=True)
class Kind:
    group: str
    build: object
    check: object


KINDS: dict[str, Kind] = {}


def kind(name: str, group: str, build=None):
    """Register a kind: `build` adds it to its group's workbook; the decorated function checks
    it on (before, after)."""

    def register(check):
        KINDS[name] = Kind(group, build, check)
        return check

    return register


# -- checks shared by kinds ---------------------------------------------------------------------


def same_cells(before: Snapshot, after: Snapshot, sheet: str, *refs: str) -> None:
    for ref in refs:
        assert before.cell(sheet, ref) is not None, f"{sheet}!{ref} was not built"
        assert after.cell(sheet, ref) == before.cell(sheet, ref), f"{sheet}!{ref} changed"
        assert after.cell_style(sheet, ref) == before.cell_style(sheet, ref), f"{ref} look"


def same_elements(before: Snapshot, after: Snapshot, sheet: str, tag: str, needle=b"") -> None:
    old = before.elements(sheet, tag)
    assert old and any(needle in e for e in old), f"no {tag} {needle!r} on {sheet} before"
    assert after.elements(sheet, tag) == old, f"{sheet} › {tag} changed"


def same_part(before: Snapshot, after: Snapshot, part: str, needle: bytes = b"") -> None:
    assert part in before.parts and needle in before.parts[part], f"{part} was not built"
    assert after.parts.get(part) == before.parts[part], f"{part} changed"
    assert after.facts[part] == before.facts[part]


def same_sheet(before: Snapshot, after: Snapshot, sheet: str, needle: bytes) -> None:
    part = before.sheets()[sheet]
    assert needle in before.parts[part], f"{needle!r} not built on {sheet}"
    assert after.sheets()[sheet] == part
    # the one change allowed: the selected-tab flag moves to the Dashboard
    assert after.parts[part] == without_tab_selected(before.parts[part]), f"{sheet} changed"


def same_rels(before: Snapshot, after: Snapshot, sheet: str, rel_type_end: str) -> None:
    old = {k: v for k, v in before.sheet_rels(sheet).items() if v[0].endswith(rel_type_end)}
    assert old, f"no {rel_type_end} relationship on {sheet}"
    new = after.sheet_rels(sheet)
    assert all(new.get(k) == v for k, v in old.items())


# -- openpyxl: the sample loaded, edited and saved by a user's script ----------------------------


def _styles(wb):
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws = wb["Tactics"]
    ws["C3"].fill = PatternFill("solid", start_color="FFFFFF00")
    wb["Team"]["A2"].fill = PatternFill("solid", start_color="FF00B0F0")
    ws["C2"].font = Font(bold=True, color="FFFF0000")
    thick = Side(style="thick", color="FF000000")
    ws["A5"].border = Border(left=thick, right=thick, top=thick, bottom=thick)
    ws["K2"].number_format = "€#,##0.00"
    ws["G2"].number_format = "dd/mm/yyyy"
    ws["M2"].number_format = "@"
    ws["C4"].alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)


def _rows_cols(wb):
    ws = wb["Tactics"]
    ws.row_dimensions[6].height = 40
    ws.column_dimensions["C"].width = 20
    ws.column_dimensions["M"].hidden = True
    ws.row_dimensions[7].hidden = True
    for r in (8, 9, 10):
        ws.row_dimensions[r].outlineLevel = 1
    wb["Goals"].freeze_panes = "C2"


def _rules(wb):
    from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb["Tactics"]
    red = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
    ws.conditional_formatting.add(
        "K2:K20", CellIsRule(operator="greaterThan", formula=["5000"], fill=red)
    )
    wb["Actuals"].conditional_formatting.add(
        "C2:C747",
        ColorScaleRule(
            start_type="min", start_color="FFF8696B", end_type="max", end_color="FF63BE7B"
        ),
    )
    dv = DataValidation(type="list", formula1='"Organic,Paid,Partner"', allow_blank=True)
    dv.add("M6:M20")
    ws.add_data_validation(dv)


def _links_and_text(wb):
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb["Tactics"]
    ws["M3"] = "Launch post"
    ws["M3"].hyperlink = "https://example.com/posts/launch"
    ws["M4"] = "See goals"
    ws["M4"].hyperlink = Hyperlink(ref="M4", location="Goals!A1", display="See goals")
    ws["A24"] = "Reviewed by the team on Mondays"
    ws.merge_cells("A24:C24")


def _book_level(wb):
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb["Settings"].auto_filter.ref = "A1:C15"
    wb["Tactics"].sheet_properties.tabColor = "FFFF0000"
    wb["Team"].sheet_properties.tabColor = "FF7030A0"
    wb.defined_names["TacticBudget"] = DefinedName("TacticBudget", attr_text="Tactics!$K$2:$K$20")
    wb["Actuals"].defined_names["LogValues"] = DefinedName(
        "LogValues", attr_text="Actuals!$C$2:$C$747"
    )
    ws = wb["Tactics"]
    ws.print_area = "A1:M20"
    ws.print_title_cols = "A:C"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.oddHeader.center.text = "Marketing plan &D"
    ws.oddFooter.right.text = "Page &P of &N"
    wb["Team"].protection.sheet = True
    wb["Team"].protection.password = "secret"
    wb.security = WorkbookProtection(workbookPassword="book", lockStructure=True)
    channels = wb.create_sheet("Channels")
    for row in (["Channel", "Cost"], ["Weibo", 100], ["WeChat", 80]):
        channels.append(row)
    table = Table(displayName="tbl_channels", ref="A1:B3")
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    channels.add_table(table)
    lists = wb.create_sheet("Lists")
    lists.append(["Organic", "Paid"])
    lists.sheet_state = "hidden"
    secret = wb.create_sheet("Secret")
    secret.append(["rate", 0.3])
    secret.sheet_state = "veryHidden"
    actuals = wb["Actuals"]
    actuals.sheet_view.zoomScale = 80
    actuals.sheet_view.showGridLines = False


def build_openpyxl(path: Path) -> None:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(SAMPLE)
    for step in (_styles, _rows_cols, _rules, _links_and_text, _book_level):
        step(wb)
    wb.save(path)


T = "Tactics"


@kind("cell_fill", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "C3")
    assert b"FFFFFF00" in b.cell_style(T, "C3")[2]
    same_sheet(b, a, "Team", b'r="A2"')


@kind("bold_font_colour", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "C2")
    assert b"<b" in b.cell_style(T, "C2")[1] and b"FFFF0000" in b.cell_style(T, "C2")[1]


@kind("borders", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "A5")
    assert b'style="thick"' in b.cell_style(T, "A5")[3]


@kind("number_format_euro", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "K2")
    assert b.cell_style(T, "K2")[4] == "€#,##0.00"


@kind("number_format_ddmmyyyy", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "G2")
    assert b.cell_style(T, "G2")[4] == "dd/mm/yyyy"


@kind("number_format_text", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "M2")
    assert b.cell_style(T, "M2")[4] == "49"


@kind("alignment", "openpyxl")
def _(b, a):
    same_cells(b, a, T, "C4")
    assert b'wrapText="1"' in b.cell_style(T, "C4")[0]


@kind("row_height", "openpyxl")
def _(b, a):
    assert b.row(T, 6).get("ht") == "40"
    assert a.row(T, 6) == b.row(T, 6)


@kind("column_narrowed", "openpyxl")
def _(b, a):
    assert b.cols(T, 3) and b'width="20"' in b.cols(T, 3)[0]
    assert a.cols(T, 3) == b.cols(T, 3)


@kind("column_hidden", "openpyxl")
def _(b, a):
    assert b.cols(T, 13) and b'hidden="1"' in b.cols(T, 13)[0]
    assert a.cols(T, 13) == b.cols(T, 13)


@kind("hidden_row", "openpyxl")
def _(b, a):
    assert b.row(T, 7).get("hidden") == "1"
    assert a.row(T, 7) == b.row(T, 7)


@kind("grouped_rows", "openpyxl")
def _(b, a):
    for r in (8, 9, 10):
        assert b.row(T, r).get("outlineLevel") == "1"
        assert a.row(T, r) == b.row(T, r)
    same_elements(b, a, T, "sheetFormatPr")


@kind("freeze_panes", "openpyxl")
def _(b, a):
    same_elements(b, a, "Goals", "pane", b'topLeftCell="C2"')
    same_elements(b, a, "Goals", "selection")


@kind("conditional_format_tactics_input", "openpyxl")
def _(b, a):
    old = [e for e in b.elements(T, "conditionalFormatting") if b'sqref="K2:K20"' in e]
    assert old and b"greaterThan" in old[0]
    new = [e for e in a.elements(T, "conditionalFormatting") if b'sqref="K2:K20"' in e]
    # the rule is kept as it was (priority included); its look (dxf) is the same entry of
    # the user's styles
    assert new == old
    assert _dxfs(b) and _dxfs(a)[: len(_dxfs(b))] == _dxfs(b)


@kind("conditional_format_other_sheet", "openpyxl")
def _(b, a):
    same_sheet(b, a, "Actuals", b"colorScale")


@kind("data_validation_dropdown", "openpyxl")
def _(b, a):
    same_elements(b, a, T, "dataValidations", b"Organic,Paid,Partner")


@kind("hyperlink_external", "openpyxl")
def _(b, a):
    same_elements(b, a, T, "hyperlinks", b'ref="M3"')
    same_rels(b, a, T, "/hyperlink")
    same_cells(b, a, T, "M3")


@kind("hyperlink_internal", "openpyxl")
def _(b, a):
    same_elements(b, a, T, "hyperlink", b'location="Goals!A1"')
    same_cells(b, a, T, "M4")


@kind("merged_cells", "openpyxl")
def _(b, a):
    same_elements(b, a, T, "mergeCells", b"A24:C24")
    same_cells(b, a, T, "A24")


@kind("autofilter", "openpyxl")
def _(b, a):
    same_sheet(b, a, "Settings", b"<autoFilter")


@kind("tab_colour", "openpyxl")
def _(b, a):
    same_elements(b, a, T, "sheetPr", b"FFFF0000")
    same_sheet(b, a, "Team", b"FF7030A0")


@kind("defined_name_global", "openpyxl")
def _(b, a):
    old = [e for e in b.workbook_elements("definedName") if b'name="TacticBudget"' in e]
    assert old and old == [
        e for e in a.workbook_elements("definedName") if b'name="TacticBudget"' in e
    ]


@kind("defined_name_sheet_scoped", "openpyxl")
def _(b, a):
    def scoped(snap):
        sheets = list(snap.sheets())
        root = etree.fromstring(snap.parts["xl/workbook.xml"])
        return [
            (d.get("name"), sheets[int(d.get("localSheetId"))], d.text)
            for d in root.iter(q("definedName"))
            if d.get("localSheetId") is not None
        ]

    old = scoped(b)
    assert ("LogValues", "Actuals", "Actuals!$C$2:$C$747") in old
    new = scoped(a)
    assert all(entry in new for entry in old)


@kind("print_setup", "openpyxl")
def _(b, a):
    for tag, needle in (
        ("pageSetup", b"landscape"),
        ("headerFooter", b"Marketing plan"),
        ("pageMargins", b""),
        ("printOptions", b""),
    ):
        if tag == "printOptions" and not b.elements(T, tag):
            continue
        same_elements(b, a, T, tag, needle)
    names = [e for e in b.workbook_elements("definedName") if b"$A:$C" in e]
    assert names
    assert all(n in a.workbook_elements("definedName") or _moved(n, a) for n in names)


@kind("sheet_protection", "openpyxl")
def _(b, a):
    same_sheet(b, a, "Team", b"<sheetProtection")


@kind("workbook_protection", "openpyxl")
def _(b, a):
    old = b.workbook_elements("workbookProtection")
    assert old and b'lockStructure="1"' in old[0]
    assert a.workbook_elements("workbookProtection") == old


@kind("rich_text", "excel")
def _(b, a):
    same_cells(b, a, T, "M5")
    same_part(b, a, "xl/sharedStrings.xml", b"<r><rPr><b/>")


@kind("user_table", "openpyxl")
def _(b, a):
    same_sheet(b, a, "Channels", b"<tablePart")
    part = next(p for p, d in b.parts.items() if b'displayName="tbl_channels"' in d)
    same_part(b, a, part)


@kind("hidden_sheet", "openpyxl")
def _(b, a):
    _same_sheet_entry(b, a, "Lists", b'state="hidden"')
    same_sheet(b, a, "Lists", b"Organic")


@kind("very_hidden_sheet", "openpyxl")
def _(b, a):
    _same_sheet_entry(b, a, "Secret", b'state="veryHidden"')
    same_sheet(b, a, "Secret", b"rate")


@kind("zoom_and_gridlines_off", "openpyxl")
def _(b, a):
    same_sheet(b, a, "Actuals", b'zoomScale="80"')
    assert b'showGridLines="0"' in b.parts[b.sheets()["Actuals"]]


def _dxfs(snap: Snapshot) -> list[bytes]:
    root = etree.fromstring(snap.parts["xl/styles.xml"])
    found = root.find(q("dxfs"))
    return [] if found is None else [etree.tostring(d, method="c14n") for d in found]


def _moved(name: bytes, after: Snapshot) -> bool:
    """A sheet-scoped name whose sheet moved (the Dashboard went first): same name and text,
    pointing at the same sheet by its new position."""
    old = etree.fromstring(name)
    for d in etree.fromstring(after.parts["xl/workbook.xml"]).iter(q("definedName")):
        if d.get("name") == old.get("name") and d.text == old.text:
            sheets = list(after.sheets())
            if sheets[int(d.get("localSheetId"))] == "Tactics":
                return True
    return False


def _same_sheet_entry(b, a, name: str, needle: bytes) -> None:
    old = [e for e in b.workbook_elements("sheet") if f'name="{name}"'.encode() in e]
    assert old and needle in old[0]
    assert old[0] in a.workbook_elements("sheet")


# -- Excel's XML: the sample edited the way Excel writes it -------------------------------------


def _shared_string(pkg: Package, text: str, runs: str = "") -> int:
    sst = pkg.text("xl/sharedStrings.xml")
    root = etree.fromstring(pkg.parts["xl/sharedStrings.xml"])
    index = len(root)
    sst = sst.replace("</sst>", f"<si>{runs or f'<t>{text}</t>'}</si></sst>")
    sst = sst.replace(f'uniqueCount="{index}"', f'uniqueCount="{index + 1}"')
    pkg.put("xl/sharedStrings.xml", sst)
    return index


def _add_sheet(pkg: Package, name: str, number: int, xml: str, rid: str) -> str:
    part = f"xl/worksheets/sheet{number}.xml"
    pkg.put(part, xml)
    pkg.content_type(part, SHEET_CT)
    pkg.relate("xl/workbook.xml", rid, OFFICE + "/worksheet", f"worksheets/sheet{number}.xml")
    pkg.sub(
        "xl/workbook.xml",
        "</sheets>",
        f'<sheet name="{name}" sheetId="{number}" r:id="{rid}"/></sheets>',
    )
    return part


def _sheet_xml(body: str, tail: str = "", ns: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{OFFICE}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
        f'mc:Ignorable="x14ac"{ns}><dimension ref="A1:D5"/><sheetViews><sheetView '
        'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15" '
        f'x14ac:dyDescent="0.25"/><sheetData>{body}</sheetData>{tail}'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    )


def build_excel(path: Path) -> None:
    pkg = Package(SAMPLE)
    tactics = pkg.sheet_part("Tactics")
    root = etree.fromstring(pkg.parts[tactics])
    budget = hours = 0.0
    for c in root.iter(q("c")):
        ref, v = c.get("r"), c.find(q("v"))
        if v is not None and ref[0] in "KL" and ref[1:].isdigit() and 2 <= int(ref[1:]) <= 20:
            if ref[0] == "K":
                budget += float(v.text)
            else:
                hours += float(v.text)
    total = _shared_string(pkg, "Total")
    rich = _shared_string(
        pkg,
        "",
        '<r><rPr><b/><sz val="11"/><color rgb="FFC00000"/><rFont val="Calibri"/></rPr>'
        '<t>Urgent:</t></r><r><rPr><sz val="11"/><rFont val="Calibri"/></rPr>'
        '<t xml:space="preserve"> check the brief</t></r>',
    )
    pkg.sub(tactics, '<c r="M5" s="33"/>', f'<c r="M5" s="33" t="s"><v>{rich}</v></c>')
    # a Total row under the table, as Excel writes it after typing =SUM(…)
    pkg.sub(
        tactics,
        "</sheetData>",
        f'<row r="21" spans="1:13"><c r="A21" s="21" t="s"><v>{total}</v></c>'
        f'<c r="K21" s="47"><f>SUM(K2:K20)</f><v>{budget:g}</v></c>'
        f'<c r="L21" s="48"><f>SUM(L2:L20)</f><v>{hours:g}</v></c></row></sheetData>',
    )
    # the Actuals sheet selected when the file was saved
    pkg.sub(pkg.sheet_part("Guide"), ' tabSelected="1"', "")
    actuals = pkg.sheet_part("Actuals")
    pkg.sub(
        actuals, '<sheetView workbookViewId="0">', '<sheetView tabSelected="1" workbookViewId="0">'
    )
    pkg.sub("xl/workbook.xml", 'windowHeight="9660"', 'windowHeight="9660" activeTab="8"')
    # a summary sheet of the user's: SUMIF over Actuals, a shared formula, an array formula
    _add_sheet(
        pkg,
        "Summary",
        10,
        _sheet_xml(
            '<row r="1"><c r="A1"><f>SUMIF(Actuals!B:B,"K1",Actuals!C:C)</f><v>41230</v></c>'
            '<c r="B1"><f>A1*2</f><v>82460</v></c>'
            '<c r="C1"><f t="array" ref="C1">SUM(Tactics!K2:K20*Tactics!L2:L20)</f>'
            "<v>1234567</v></c></row>"
            '<row r="2"><c r="A2"><f t="shared" ref="A2:A4" si="0">A1+1</f><v>41231</v></c></row>'
            '<row r="3"><c r="A3"><f t="shared" si="0"/><v>41232</v></c></row>'
            '<row r="4"><c r="A4"><f t="shared" si="0"/><v>41233</v></c></row>'
        ),
        "rId101",
    )
    _pivot(pkg)
    _slicer(pkg)
    _custom_xml(pkg)
    _external_link(pkg)
    _threaded(pkg, tactics)
    _custom_props(pkg)
    pkg.save(path)


def _pivot(pkg: Package) -> None:
    sheet = _add_sheet(
        pkg,
        "Pivot",
        11,
        _sheet_xml(
            '<row r="3"><c r="A3" t="str"><v>Row Labels</v></c>'
            '<c r="B3" t="str"><v>Sum of Value</v></c></row>'
        ),
        "rId102",
    )
    pkg.put(
        "xl/pivotCache/pivotCacheDefinition1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{OFFICE}" r:id="rId1" refreshedBy="Ann" refreshedDate="46300.5" '
        'createdVersion="8" refreshedVersion="8" minRefreshableVersion="3" recordCount="2">'
        '<cacheSource type="worksheet"><worksheetSource ref="A1:C747" sheet="Actuals"/>'
        '</cacheSource><cacheFields count="2"><cacheField name="KPI ID" numFmtId="0">'
        '<sharedItems count="2"><s v="K1"/><s v="K2"/></sharedItems></cacheField>'
        '<cacheField name="Value" numFmtId="0"><sharedItems containsSemiMixedTypes="0" '
        'containsString="0" containsNumber="1" minValue="0" maxValue="99999"/></cacheField>'
        "</cacheFields></pivotCacheDefinition>",
    )
    pkg.put(
        "xl/pivotCache/pivotCacheRecords1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<pivotCacheRecords xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'xmlns:r="{OFFICE}" count="2"><r><x v="0"/><n v="1200"/></r><r><x v="1"/>'
        '<n v="1500"/></r></pivotCacheRecords>',
    )
    pkg.relate(
        "xl/pivotCache/pivotCacheDefinition1.xml",
        "rId1",
        OFFICE + "/pivotCacheRecords",
        "pivotCacheRecords1.xml",
    )
    pkg.put(
        "xl/pivotTables/pivotTable1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<pivotTableDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'name="PivotTable1" cacheId="5" applyNumberFormats="0" applyBorderFormats="0" '
        'applyFontFormats="0" applyPatternFormats="0" applyAlignmentFormats="0" '
        'applyWidthHeightFormats="1" dataCaption="Values" updatedVersion="8" '
        'minRefreshableVersion="3" useAutoFormatting="1" itemPrintTitles="1" '
        'createdVersion="8" indent="0" outline="1" outlineData="1" multipleFieldFilters="0">'
        '<location ref="A3:B6" firstHeaderRow="1" firstDataRow="1" firstDataCol="1"/>'
        '<pivotFields count="2"><pivotField axis="axisRow" showAll="0"><items count="3">'
        '<item x="0"/><item x="1"/><item t="default"/></items></pivotField>'
        '<pivotField dataField="1" showAll="0"/></pivotFields><rowFields count="1">'
        '<field x="0"/></rowFields><rowItems count="3"><i><x/></i><i><x v="1"/></i>'
        '<i t="grand"><x/></i></rowItems><colItems count="1"><i/></colItems>'
        '<dataFields count="1"><dataField name="Sum of Value" fld="1" baseField="0" '
        'baseItem="0"/></dataFields><pivotTableStyleInfo name="PivotStyleLight16" '
        'showRowHeaders="1" showColHeaders="1" showRowStripes="0" showColStripes="0" '
        'showLastColumn="1"/></pivotTableDefinition>',
    )
    pkg.relate(
        "xl/pivotTables/pivotTable1.xml",
        "rId1",
        OFFICE + "/pivotCacheDefinition",
        "../pivotCache/pivotCacheDefinition1.xml",
    )
    pkg.relate(sheet, "rId1", OFFICE + "/pivotTable", "../pivotTables/pivotTable1.xml")
    pkg.relate(
        "xl/workbook.xml",
        "rId103",
        OFFICE + "/pivotCacheDefinition",
        "pivotCache/pivotCacheDefinition1.xml",
    )
    pkg.sub(
        "xl/workbook.xml",
        "<calcPr",
        '<pivotCaches><pivotCache cacheId="5" r:id="rId103"/></pivotCaches><calcPr',
    )
    # pivotCaches come after calcPr in the schema: move the calcPr in front
    text = pkg.text("xl/workbook.xml")
    start = text.index("<calcPr")
    end = text.index("/>", start) + 2
    calc = text[start:end]
    text = text[:start] + text[end:]
    text = text.replace("<pivotCaches>", calc + "<pivotCaches>")
    pkg.put("xl/workbook.xml", text)
    base = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    pkg.content_type("xl/pivotCache/pivotCacheDefinition1.xml", base + "pivotCacheDefinition+xml")
    pkg.content_type("xl/pivotCache/pivotCacheRecords1.xml", base + "pivotCacheRecords+xml")
    pkg.content_type("xl/pivotTables/pivotTable1.xml", base + "pivotTable+xml")


def _slicer(pkg: Package) -> None:
    x14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
    pkg.put(
        "xl/slicerCaches/slicerCache1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<slicerCacheDefinition xmlns="{x14}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'name="Slicer_KPI_ID" sourceName="KPI ID"><pivotTables><pivotTable tabId="11" '
        'name="PivotTable1"/></pivotTables><data><tabular pivotCacheId="5"><items count="2">'
        '<i x="0" s="1"/><i x="1" s="1"/></items></tabular></data></slicerCacheDefinition>',
    )
    pkg.put(
        "xl/slicers/slicer1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<slicers xmlns="{x14}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'mc:Ignorable="x xr10" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10">'
        '<slicer name="KPI ID" cache="Slicer_KPI_ID" caption="KPI ID" rowHeight="241300"/>'
        "</slicers>",
    )
    pivot = pkg.sheet_part("Pivot")
    pkg.relate(pivot, "rId2", MS_2007 + "/slicer", "../slicers/slicer1.xml")
    pkg.relate(
        "xl/workbook.xml", "rId104", MS_2007 + "/slicerCache", "slicerCaches/slicerCache1.xml"
    )
    pkg.sub(
        pivot,
        "</worksheet>",
        '<extLst><ext uri="{A8765BA9-456A-4dab-B4F3-ACF838C121DE}" '
        f'xmlns:x14="{x14}"><x14:slicerList><x14:slicer r:id="rId2"/></x14:slicerList>'
        "</ext></extLst></worksheet>",
    )
    pkg.sub(
        "xl/workbook.xml",
        "</workbook>",
        '<extLst><ext uri="{BBE1A952-AA13-448e-AADC-164F8A28A991}" '
        f'xmlns:x14="{x14}"><x14:slicerCaches><x14:slicerCache r:id="rId104"/>'
        "</x14:slicerCaches></ext></extLst></workbook>",
    )
    pkg.content_type("xl/slicers/slicer1.xml", "application/vnd.ms-excel.slicer+xml")
    pkg.content_type("xl/slicerCaches/slicerCache1.xml", "application/vnd.ms-excel.slicerCache+xml")


def _custom_xml(pkg: Package) -> None:
    pkg.put(
        "customXml/item1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>'
        '<campaign xmlns="urn:example:campaign"><code>Q4-SOCIAL</code></campaign>',
    )
    pkg.put(
        "customXml/itemProps1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<ds:datastoreItem ds:itemID="{6C4C8E3B-1B8D-4B8C-9E53-6D2F1D0A7A11}" '
        'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
        '<ds:schemaRefs><ds:schemaRef ds:uri="urn:example:campaign"/></ds:schemaRefs>'
        "</ds:datastoreItem>",
    )
    pkg.relate("customXml/item1.xml", "rId1", OFFICE + "/customXmlProps", "itemProps1.xml")
    pkg.relate("xl/workbook.xml", "rId105", OFFICE + "/customXml", "../customXml/item1.xml")
    pkg.content_type(
        "customXml/itemProps1.xml",
        "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
    )


def _external_link(pkg: Package) -> None:
    pkg.put(
        "xl/externalLinks/externalLink1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<externalBook xmlns:r="{OFFICE}" r:id="rId1"><sheetNames><sheetName val="Rates"/>'
        '</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1">'
        "<v>0.25</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>",
    )
    pkg.relate(
        "xl/externalLinks/externalLink1.xml",
        "rId1",
        OFFICE + "/externalLinkPath",
        "file:///C:/Finance/rates.xlsx",
        external=True,
    )
    pkg.relate(
        "xl/workbook.xml", "rId106", OFFICE + "/externalLink", "externalLinks/externalLink1.xml"
    )
    pkg.sub(
        "xl/workbook.xml",
        "</sheets>",
        '</sheets><externalReferences><externalReference r:id="rId106"/></externalReferences>',
    )
    pkg.content_type(
        "xl/externalLinks/externalLink1.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
    )


def _threaded(pkg: Package, tactics: str) -> None:
    ns = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    pkg.put(
        "xl/persons/person.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<personList xmlns="{ns}" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<person displayName="Ann Lee" id="{5A1C9E4B-0E7A-4F3B-9C52-2F1E6B7D8A90}" '
        'userId="ann@example.com" providerId="AD"/></personList>',
    )
    pkg.put(
        "xl/threadedComments/threadedComment1.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ThreadedComments xmlns="{ns}" '
        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<threadedComment ref="C6" dT="2026-11-02T10:15:00.00" '
        'personId="{5A1C9E4B-0E7A-4F3B-9C52-2F1E6B7D8A90}" '
        'id="{0B8F8C1D-2E3F-4A5B-8C9D-0E1F2A3B4C5D}"><text>Can we move this to December?'
        "</text></threadedComment></ThreadedComments>",
    )
    pkg.relate(
        tactics, "rId9", MS_2017 + "/threadedComment", "../threadedComments/threadedComment1.xml"
    )
    pkg.relate("xl/workbook.xml", "rId107", MS_2017 + "/person", "persons/person.xml")
    pkg.content_type(
        "xl/threadedComments/threadedComment1.xml", "application/vnd.ms-excel.threadedcomments+xml"
    )
    pkg.content_type("xl/persons/person.xml", "application/vnd.ms-excel.person+xml")


def _custom_props(pkg: Package) -> None:
    pkg.put(
        "docProps/custom.xml",
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Campaign">'
        "<vt:lpwstr>Q4 social</vt:lpwstr></property></Properties>",
    )
    pkg.relate("", "rId9", OFFICE + "/custom-properties", "docProps/custom.xml")
    pkg.content_type(
        "docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    )


@kind("total_row_under_tactics", "excel")
def _(b, a):
    # the user's cells of the row stay as they were (text, formulas, cached sums, looks)
    same_cells(b, a, T, "A21", "K21", "L21")
    assert a.row(T, 21) == b.row(T, 21)


def test_total_row_is_not_a_tactic(refreshed, computed_headers):
    """Issue 10, acceptance 3: a Total row under Tactics is the user's row, not a tactic: no
    computed cell is written on it and the plan counts the same tactics as without it."""
    run = refreshed("excel")
    _REFERENCE.setdefault("sample", computed_headers("excel"))
    a = run.after
    computed = _computed_columns(a, T)
    cells_21 = [
        c.get("r")
        for c in a.sheet_root(T).iter(q("c"))
        if c.get("r", "").endswith("21") and c.get("r")[:-2] in computed
    ]
    assert cells_21 == [], f"computed cells written on the Total row: {cells_21}"
    assert len(load_plan(a.path, as_of=AS_OF).plan.tactics) == len(
        load_plan(SAMPLE, as_of=AS_OF).plan.tactics
    )


@kind("sum_under_budget", "excel")
def _(b, a):
    same_cells(b, a, T, "K21")
    assert b"<f>SUM(K2:K20)</f><v>" in b.cell(T, "K21")


@kind("sumif_over_actuals", "excel")
def _(b, a):
    same_sheet(b, a, "Summary", b"SUMIF(Actuals!B:B")


@kind("shared_formula", "excel")
def _(b, a):
    same_sheet(b, a, "Summary", b't="shared"')


@kind("array_formula", "excel")
def _(b, a):
    same_sheet(b, a, "Summary", b't="array"')


@kind("cached_values_kept", "excel")
def _(b, a):
    def formulas(snap):
        out = {}
        for name, part in snap.sheets().items():
            if name in REPORTS:
                continue
            for c in etree.fromstring(snap.parts[part]).iter(q("c")):
                if c.find(q("f")) is not None:
                    v = c.find(q("v"))
                    out[(name, c.get("r"))] = (canon_f(c), None if v is None else v.text)
        return out

    old = formulas(b)
    assert len(old) >= 6 and all(v is not None for _f, v in old.values())
    new = formulas(a)
    assert {k: new.get(k) for k in old} == old


def canon_f(cell) -> bytes:
    return etree.tostring(cell.find(q("f")), method="c14n")


@kind("pivot_table_and_cache", "excel")
def _(b, a):
    for part in (
        "xl/pivotTables/pivotTable1.xml",
        "xl/pivotCache/pivotCacheDefinition1.xml",
        "xl/pivotCache/pivotCacheRecords1.xml",
        "xl/pivotTables/_rels/pivotTable1.xml.rels",
        "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels",
    ):
        same_part(b, a, part)
    assert a.workbook_elements("pivotCaches") == b.workbook_elements("pivotCaches") != []
    _same_book_rel(b, a, "/pivotCacheDefinition")
    same_sheet(b, a, "Pivot", b"Row Labels")


@kind("slicer", "excel")
def _(b, a):
    same_part(b, a, "xl/slicers/slicer1.xml")
    same_part(b, a, "xl/slicerCaches/slicerCache1.xml")
    assert a.workbook_elements("extLst") == b.workbook_elements("extLst") != []
    _same_book_rel(b, a, "/slicerCache")
    same_part(b, a, rels_of(b.sheets()["Pivot"]), b"slicer1.xml")


@kind("custom_xml_part", "excel")
def _(b, a):
    same_part(b, a, "customXml/item1.xml", b"Q4-SOCIAL")
    same_part(b, a, "customXml/itemProps1.xml")
    same_part(b, a, "customXml/_rels/item1.xml.rels")
    _same_book_rel(b, a, "/customXml")


@kind("external_link", "excel")
def _(b, a):
    same_part(b, a, "xl/externalLinks/externalLink1.xml")
    same_part(b, a, "xl/externalLinks/_rels/externalLink1.xml.rels", b"rates.xlsx")
    assert (
        a.workbook_elements("externalReferences") == b.workbook_elements("externalReferences") != []
    )
    _same_book_rel(b, a, "/externalLink")


@kind("threaded_comments_and_persons", "excel")
def _(b, a):
    same_part(b, a, "xl/threadedComments/threadedComment1.xml", b"December")
    same_part(b, a, "xl/persons/person.xml", b"Ann Lee")
    same_rels(b, a, T, "/threadedComment")
    _same_book_rel(b, a, "/person")


@kind("legacy_notes", "excel")
def _(b, a):
    rels = b.sheet_rels(T)
    comments = next(t for kind_, t, _m in rels.values() if kind_.endswith("/comments"))
    vml = next(t for kind_, t, _m in rels.values() if kind_.endswith("/vmlDrawing"))
    same_part(b, a, "xl/" + comments.removeprefix("../"), b"<comment ")
    same_part(b, a, "xl/" + vml.removeprefix("../"))
    same_elements(b, a, T, "legacyDrawing")
    same_rels(b, a, T, "/comments")


@kind("docprops_custom_properties", "excel")
def _(b, a):
    same_part(b, a, "docProps/custom.xml", b"Campaign")
    same_part(b, a, "_rels/.rels", b"custom-properties")


@kind("actuals_selected_when_saved", "excel")
def _(b, a):
    part = b.sheets()["Actuals"]
    assert b'tabSelected="1"' in b.parts[part][:2000]
    # the Dashboard is the one selected sheet now; Actuals lost only its selected flag
    assert a.parts[part] == without_tab_selected(b.parts[part])
    sheets = list(a.sheets())
    book = etree.fromstring(a.parts["xl/workbook.xml"])
    active = int(book.find(q("bookViews"))[0].get("activeTab", "0"))
    assert sheets[active] == "Dashboard"
    selected = [n for n, p in a.sheets().items() if b'tabSelected="1"' in a.parts[p][:4000]]
    assert selected == ["Dashboard"]


@kind("excel_table_on_tactics_extended", "excel")
def _(b, a):
    part = next(p for p, d in b.parts.items() if b'name="tbl_tactics"' in d)
    old, new = etree.fromstring(b.parts[part]), etree.fromstring(a.parts[part])
    assert {k: v for k, v in new.attrib.items() if k != "ref"} == {
        k: v for k, v in old.attrib.items() if k != "ref"
    }
    old_cols = [canon_el(c) for c in old.find(q("tableColumns"))]
    new_cols = [canon_el(c) for c in new.find(q("tableColumns"))]
    assert new_cols[: len(old_cols)] == old_cols
    computed = _computed_columns(a, T)
    last = max(_col_index(c) for c in computed)
    assert new.get("ref") == f"A1:{_col_letters(last)}20"
    assert new.find(q("autoFilter")).get("ref") == new.get("ref")
    names = [c.get("name") for c in new.find(q("tableColumns"))][len(old_cols) :]
    assert names == [h for h in a.header_texts(T)[len(old_cols) :]]
    assert canon_el(new.find(q("tableStyleInfo"))) == canon_el(old.find(q("tableStyleInfo")))


def canon_el(element) -> bytes:
    return etree.tostring(element, method="c14n")


def _same_book_rel(b, a, type_end: str) -> None:
    def rels(snap):
        return {
            (r.get("Id"), r.get("Type"), r.get("Target"))
            for r in etree.fromstring(snap.parts["xl/_rels/workbook.xml.rels"])
            if r.get("Type").endswith(type_end)
        }

    assert rels(b) and rels(b) <= rels(a)


# -- XlsxWriter: a plan written by a user's script, with charts, pictures, formulas --------------


def _xlsxwriter_extra(book) -> None:
    tactics = book.get_worksheet_by_name("Tactics")
    money = book.add_format({"num_format": "#,##0.00"})
    tactics.write_string(0, 12, "Cost per hour")
    tactics.write_formula(1, 12, "=K2/L2", money, 75)
    tactics.write_formula(2, 12, "=K3/L3", money, 100)
    tactics.autofilter(0, 0, 2, 12)
    tactics.data_validation(
        1, 8, 2, 8, {"validate": "list", "source": ["Not started", "In progress", "Done"]}
    )
    tactics.write_comment(1, 2, "Check the host's availability", {"author": "Ann"})
    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {"name": "Budget", "categories": "=Tactics!$C$2:$C$3", "values": "=Tactics!$K$2:$K$3"}
    )
    tactics.insert_chart("B6", chart)
    charts = book.add_worksheet("Charts")
    pie = book.add_chart({"type": "pie"})
    pie.add_series({"categories": "=Tactics!$C$2:$C$3", "values": "=Tactics!$L$2:$L$3"})
    charts.insert_chart("A1", pie)
    settings = book.get_worksheet_by_name("Settings")
    settings.insert_image("D2", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    book.get_worksheet_by_name("Goals").insert_textbox(
        "B6", "Goals are reviewed quarterly", {"width": 240, "height": 60}
    )
    kpis = book.get_worksheet_by_name("KPIs")
    kpis.add_sparkline("A6", {"range": "KPIs!F2:G2", "type": "column"})
    links = book.add_worksheet("Links")
    links.write_formula(
        "A1", '=HYPERLINK("https://example.com/posts/1","Launch post")', None, "Launch post"
    )
    links.write_array_formula("B1:B1", "{=SUM(Tactics!K2:K3*Tactics!L2:L3)}", None, 100000)
    book.get_worksheet_by_name("Team").write_comment(1, 0, "On leave in December")


def build_xlsxwriter(path: Path) -> None:
    write_workbook(path, minimal_plan(), extra=_xlsxwriter_extra)


@kind("cost_per_hour_column_on_tactics", "xlsxwriter")
def _(b, a):
    same_cells(b, a, T, "M1", "M2", "M3")
    assert b"<f>K2/L2</f><v>75</v>" in b.cell(T, "M2")
    assert "Cost per hour" in a.header_texts(T)
    assert all(_col_index(c) > 12 for c in _computed_columns(a, T))


@kind("autofilter_on_tactics", "xlsxwriter")
def _(b, a):
    same_elements(b, a, T, "autoFilter", b"A1:M3")
    names = [e for e in b.workbook_elements("definedName") if b"_FilterDatabase" in e]
    assert names and all(n in a.workbook_elements("definedName") or _moved(n, a) for n in names)


@kind("dropdown_on_tactics_xlsxwriter", "xlsxwriter")
def _(b, a):
    same_elements(b, a, T, "dataValidation", b"In progress")


@kind("legacy_notes_xlsxwriter", "xlsxwriter")
def _(b, a):
    same_elements(b, a, T, "legacyDrawing")
    for sheet in (T, "Team"):
        rels = b.sheet_rels(sheet)
        for kind_, target, _m in rels.values():
            if kind_.endswith(("/comments", "/vmlDrawing")):
                same_part(b, a, "xl/" + target.removeprefix("../"))
        same_rels(b, a, sheet, "/comments")


@kind("chart_on_own_sheet", "xlsxwriter")
def _(b, a):
    same_sheet(b, a, "Charts", b"<drawing")
    _same_drawing_closure(b, a, "Charts", b"pieChart")


@kind("chart_on_tactics", "xlsxwriter")
def _(b, a):
    same_elements(b, a, T, "drawing")
    same_rels(b, a, T, "/drawing")
    _same_drawing_closure(b, a, T, b"barChart")


@kind("picture_logo", "xlsxwriter")
def _(b, a):
    same_sheet(b, a, "Settings", b"<drawing")
    _same_drawing_closure(b, a, "Settings", b"<xdr:pic>")
    assert any(p.startswith("xl/media/") for p in b.parts)


@kind("shape_text_box", "xlsxwriter")
def _(b, a):
    same_elements(b, a, "Goals", "drawing")
    _same_drawing_closure(b, a, "Goals", b"Goals are reviewed quarterly")


@kind("sparklines_x14", "xlsxwriter")
def _(b, a):
    same_elements(b, a, "KPIs", "extLst", b"sparklineGroup")


@kind("hyperlink_formula", "xlsxwriter")
def _(b, a):
    same_sheet(b, a, "Links", b"HYPERLINK(")


@kind("array_formula_xlsxwriter", "xlsxwriter")
def _(b, a):
    same_sheet(b, a, "Links", b't="array"')


def _same_drawing_closure(b: Snapshot, a: Snapshot, sheet: str, needle: bytes) -> None:
    rels = b.sheet_rels(sheet)
    drawing = next(t for k, t, _m in rels.values() if k.endswith("/drawing"))
    part = "xl/" + drawing.removeprefix("../")
    seen = [part]
    if rels_of(part) in b.parts:
        seen.append(rels_of(part))
        for rel in etree.fromstring(b.parts[rels_of(part)]):
            seen.append("xl/" + rel.get("Target").removeprefix("../"))
    assert any(needle in b.parts[p] for p in seen if p in b.parts), needle
    for p in seen:
        same_part(b, a, p)


# -- a user's own column inserted between input columns ------------------------------------------


def build_inserted(path: Path) -> None:
    sheets = minimal_plan()
    tactics = [list(r) for r in sheets["Tactics"]]
    for row, value in zip(tactics, ["Channel", "Weibo", "WeChat"], strict=True):
        row.insert(3, value)
    sheets["Tactics"] = tactics
    write_workbook(path, sheets)


@kind("user_column_between_inputs", "inserted")
def _(b, a):
    same_cells(b, a, T, "D1", "D2", "D3", "E1", "M1", "M2")
    assert a.header_texts(T)[:13] == b.header_texts(T)[:13]
    assert all(_col_index(c) > 12 for c in _computed_columns(a, T))
    plan = load_plan(a.path, as_of=AS_OF)
    assert [t.budget for t in plan.plan.tactics] == [3000, 2000]


# -- an .xlsm with its VBA project ----------------------------------------------------------------


def build_xlsm(path: Path) -> None:
    pkg = Package(SAMPLE)
    pkg.put("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 64)
    pkg.default_type("bin", "application/vnd.ms-office.vbaProject")
    text = pkg.text("[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    pkg.put("[Content_Types].xml", text)
    pkg.relate("xl/workbook.xml", "rId120", MS_2006 + "/vbaProject", "vbaProject.bin")
    pkg.sub("xl/workbook.xml", "<workbookPr ", '<workbookPr codeName="ThisWorkbook" ')
    pkg.save(path)


@kind("vba_project_in_xlsm", "xlsm")
def _(b, a):
    assert a.origin is not None and a.origin.suffix == ".xlsm" and a.origin.exists()
    same_part(b, a, "xl/vbaProject.bin", b"Attribute VB_Name")
    _same_book_rel(b, a, "/vbaProject")
    assert b"macroEnabled.main+xml" in a.parts["[Content_Types].xml"]
    assert a.workbook_elements("workbookPr") == b.workbook_elements("workbookPr")
    assert not list(a.origin.parent.glob("*(refreshed)*"))


# -- running the groups ---------------------------------------------------------------------------


GROUPS = {
    "openpyxl": ("plan.xlsx", build_openpyxl),
    "excel": ("plan.xlsx", build_excel),
    "xlsxwriter": ("plan.xlsx", build_xlsxwriter),
    "inserted": ("plan.xlsx", build_inserted),
    "xlsm": ("plan.xlsm", build_xlsm),
}


@dataclass
class Refreshed:
    before: Snapshot
    after: Snapshot
    second: Snapshot
    backup: Path | None
    source: Path


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    cache: dict[str, Refreshed] = {}

    def get(group: str) -> Refreshed:
        if group not in cache:
            folder = tmp_path_factory.mktemp(group)
            name, build = GROUPS[group]
            path = folder / name
            build(path)
            keep = tmp_path_factory.mktemp(group + "_snapshots")
            before = Snapshot.of(path, keep / ("before" + path.suffix))
            if group == "xlsm":
                from click.testing import CliRunner

                from sheetplan.cli import main

                result = CliRunner().invoke(
                    main, ["refresh", str(path), "--as-of", AS_OF.isoformat()]
                )
                assert result.exit_code == 0, result.output
                backups = sorted((folder / "sheetplan backups").glob("*"))
                backup = backups[-1] if backups else None
            else:
                report = refresh(path, as_of=AS_OF, refreshed_at=STAMP)
                assert report.written == path, report.lost
                backup = report.backup
            after = Snapshot.of(path, keep / ("after" + path.suffix))
            after.origin = path
            refresh(path, as_of=AS_OF, refreshed_at=SECOND_STAMP)
            second = Snapshot.of(path, keep / ("second" + path.suffix))
            cache[group] = Refreshed(before, after, second, backup, path)
        return cache[group]

    return get


@pytest.fixture(scope="module")
def computed_headers(tmp_path_factory):
    """Per base plan, the headers a refresh adds to Goals, KPIs and Tactics."""
    cache: dict[str, dict[str, list[str]]] = {}

    def get(group: str) -> dict[str, list[str]]:
        base = "sample" if group in ("openpyxl", "excel", "xlsm") else "minimal"
        if base not in cache:
            folder = tmp_path_factory.mktemp("reference_" + base)
            path = folder / "plan.xlsx"
            if base == "sample":
                shutil.copyfile(SAMPLE, path)
            else:
                write_workbook(path, minimal_plan())
            before = Snapshot.of(path)
            refresh(path, as_of=AS_OF, refreshed_at=STAMP, backup=False)
            after = Snapshot.of(path)
            cache[base] = {
                s: [h for h in after.header_texts(s) if h not in before.header_texts(s)]
                for s in PATCHED
            }
        return cache[base]

    return get


def _computed_columns(snap: Snapshot, sheet: str) -> list[str]:
    """Letters of the columns holding a computed header (found by the reference headers)."""
    root = snap.sheet_root(sheet)
    first = next(root.iter(q("row")))
    texts = snap.header_texts(sheet)
    letters = [c.get("r").rstrip("0123456789") for c in first.iter(q("c"))]
    base = "sample" if "Guide" in snap.sheets() else "minimal"
    wanted = _REFERENCE.get(base, {}).get(sheet, [])
    return [col for col, text in zip(letters, texts, strict=True) if text in wanted]


_REFERENCE: dict[str, dict[str, list[str]]] = {}


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _owned_parts(before: Snapshot) -> set[str]:
    """What sheetplan may write: the shared parts, Goals/KPIs/Tactics, and their tables; and
    those sheets' relationships and notes (the notes on its computed headers go there: the
    user's own are checked by _users_notes_kept)."""
    owned = {
        "[Content_Types].xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
    }
    sheets = before.sheets()
    for name in PATCHED:
        if name in sheets:
            owned.add(sheets[name])
            owned.add(rels_of(sheets[name]))
            owned |= set(_note_parts(before, name).values())
    return owned


def _note_parts(snapshot: Snapshot, sheet: str) -> dict[str, str]:
    """ "comments" / "vml" → the part holding a sheet's notes."""
    import posixpath

    found = {}
    part = snapshot.sheets()[sheet]
    for kind, target, mode in snapshot.sheet_rels(sheet).values():
        if mode != "External" and kind.endswith(("/comments", "/vmlDrawing")):
            key = "comments" if kind.endswith("/comments") else "vml"
            folder = posixpath.dirname(part)
            if target.startswith("/"):
                found[key] = target.lstrip("/")
            else:
                found[key] = posixpath.normpath(posixpath.join(folder, target))
    return found


def _users_notes_kept(before: Snapshot, after: Snapshot) -> None:
    """On Goals/KPIs/Tactics, every note the user had is still there as it was, and the VML
    drawing differs only by note shapes on row 1 (where sheetplan's headers are)."""
    for name in PATCHED:
        if name not in before.sheets():
            continue
        old, new = _note_parts(before, name), _note_parts(after, name)
        for kind, part in old.items():
            assert kind in new, f"{name}: its {kind} part is gone"
            assert_notes_kept(before.parts[part], after.parts[new[kind]], part)


def _tables_only_grew(before: Snapshot, after: Snapshot, part: str) -> bool:
    old, new = etree.fromstring(before.parts[part]), etree.fromstring(after.parts[part])
    if old.tag != q("table"):
        return False
    same_attrs = {k: v for k, v in old.attrib.items() if k != "ref"} == {
        k: v for k, v in new.attrib.items() if k != "ref"
    }
    old_cols = [canon_el(c) for c in old.find(q("tableColumns"))]
    new_cols = [canon_el(c) for c in new.find(q("tableColumns"))]
    return same_attrs and new_cols[: len(old_cols)] == old_cols


@pytest.mark.parametrize("name", list(KINDS))
def test_kind_survives_refresh_in_place(name, refreshed, computed_headers):
    spec = KINDS[name]
    run = refreshed(spec.group)
    _REFERENCE.setdefault(
        "sample" if spec.group in ("openpyxl", "excel", "xlsm") else "minimal",
        computed_headers(spec.group),
    )
    before, after, second = run.before, run.after, run.second

    # the feature, as the user left it
    spec.check(before, after)

    # sheetplan's sheets and computed columns are there
    names = list(after.sheets())
    assert all(r in names for r in REPORTS), names
    reference = computed_headers(spec.group)
    for sheet in PATCHED:
        headers = after.header_texts(sheet)
        assert reference[sheet] and all(h in headers for h in reference[sheet]), sheet

    # the backup is the file as the user left it
    assert run.backup is not None and run.backup.exists()
    assert run.backup.read_bytes() == before.path.read_bytes()

    # every member sheetplan does not own is byte-identical (a sheet may lose only its
    # selected-tab flag: the Dashboard is the one selected sheet)
    owned = _owned_parts(before)
    for part, facts in before.facts.items():
        assert part in after.facts, f"{part} is gone"
        if part in owned or after.facts[part] == facts:
            continue
        if after.parts[part] == without_tab_selected(before.parts[part]):
            continue
        if part.startswith("xl/tables/") and _tables_only_grew(before, after, part):
            continue
        raise AssertionError(f"{part} changed")
    _users_notes_kept(before, after)

    # a second refresh changes nothing but the report sheets (stamp, Trend)
    reports = after.report_closure() | second.report_closure()
    changed = sorted(
        p
        for p in set(after.facts) | set(second.facts)
        if p not in reports and after.facts.get(p) != second.facts.get(p)
    )
    assert changed == [], changed
