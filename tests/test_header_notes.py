"""The note on a computed column's header ("On course" on KPIs: why it can disagree with the
Status) is put into the user's own sheet by the package editor: added to the sheet's notes
when it has some, as new parts when it has none, never twice, and never at the cost of a note
or a data validation of the user's."""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from refreshed import OPENPYXL_WARNINGS, build, run_refresh

from sheetplan import labels
from sheetplan.package import notes

from workbooks import in_chinese, minimal_plan, write_workbook

pytestmark = [pytest.mark.filterwarnings(w) for w in OPENPYXL_WARNINGS]
ROOT = Path(__file__).resolve().parent.parent
OURS = "sheetplan"


def _kpis(path: Path, lang: str):
    book = openpyxl.load_workbook(path)
    return book[labels.text("sheet.kpis", lang)]


def _header(ws, key: str) -> openpyxl.cell.Cell:
    wanted = labels.text(key, "en"), labels.text(key, "zh")
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value in wanted:
                return cell
    raise AssertionError(f"no {key} header on {ws.title}")


def _notes(ws) -> dict[str, tuple[str, str]]:
    return {
        cell.coordinate: (cell.comment.text, cell.comment.author)
        for row in ws.iter_rows()
        for cell in row
        if cell.comment is not None
    }


def _note_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            n: archive.read(n)
            for n in archive.namelist()
            if n.endswith(".vml") or "comments" in n.rsplit("/", 1)[-1]
        }


def _refresh_twice(source: Path, folder: Path) -> tuple[Path, Path]:
    once = run_refresh(source, folder / "once.xlsx")
    twice = run_refresh(once, folder / "twice.xlsx")
    return once, twice


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sample_gets_the_on_course_note_beside_the_templates_own(tmp_path, lang):
    source = ROOT / "samples" / f"sample_{lang}.xlsx"
    before = _notes(_kpis(source, lang))
    assert before, "the sample's input headers carry the template's notes"
    once, twice = _refresh_twice(source, tmp_path)
    ws = _kpis(once, lang)
    cell = _header(ws, "computed.kpis.on_course")
    assert cell.comment is not None
    assert cell.comment.text == labels.text("note.computed.kpis.on_course", lang)
    assert cell.comment.author == OURS
    after = _notes(ws)
    assert {k: v for k, v in after.items() if k != cell.coordinate} == before
    assert _notes(_kpis(twice, lang)) == after
    assert _note_parts(twice) == _note_parts(once), "a second refresh changes no note"


def test_plan_without_notes_gets_new_note_parts_once(tmp_path):
    source = write_workbook(tmp_path / "plan.xlsx", minimal_plan())
    assert not _note_parts(source)
    once, twice = _refresh_twice(source, tmp_path)
    ws = _kpis(once, "en")
    cell = _header(ws, "computed.kpis.on_course")
    assert _notes(ws) == {
        cell.coordinate: (labels.text("note.computed.kpis.on_course", "en"), OURS)
    }
    parts = _note_parts(once)
    assert len([n for n in parts if n.endswith(".vml")]) == 1
    assert parts[next(n for n in parts if n.endswith(".vml"))].count(b'ObjectType="Note"') == 1
    assert _note_parts(twice) == parts
    # the other sheets got no notes
    book = openpyxl.load_workbook(once)
    assert all(not _notes(book[n]) for n in book.sheetnames if n != ws.title)


def _with_user_notes_and_validations(book) -> None:
    ws = book.get_worksheet_by_name("KPIs")
    ws.write_comment(0, 2, "Strategic means board-level", {"author": "Ann"})
    ws.write_comment(1, 3, "Counted on Mondays", {"author": "Bo"})
    ws.data_validation(
        1,
        2,
        50,
        2,
        {
            "validate": "list",
            "source": ["Strategic", "Tactical"],
            "input_title": "Level",
            "input_message": "Pick one",
        },
    )
    ws.data_validation(1, 6, 50, 6, {"validate": "decimal", "criteria": ">=", "value": 0})


def _validations(ws) -> list[tuple]:
    return sorted(
        (str(v.sqref), v.type, v.formula1, v.prompt, v.promptTitle, v.showInputMessage)
        for v in ws.data_validations.dataValidation
    )


def test_users_notes_and_validations_stay_and_ours_is_added_once(tmp_path):
    source = write_workbook(
        tmp_path / "plan.xlsx", minimal_plan(), extra=_with_user_notes_and_validations
    )
    theirs = _notes(_kpis(source, "en"))
    assert theirs == {
        "C1": ("Strategic means board-level", "Ann"),
        "D2": ("Counted on Mondays", "Bo"),
    }
    validations = _validations(_kpis(source, "en"))
    once, twice = _refresh_twice(source, tmp_path)
    for path in (once, twice):
        ws = _kpis(path, "en")
        cell = _header(ws, "computed.kpis.on_course")
        assert _notes(ws) == {
            **theirs,
            cell.coordinate: (labels.text("note.computed.kpis.on_course", "en"), OURS),
        }
        assert _validations(ws) == validations
    assert _note_parts(twice) == _note_parts(once)


def test_a_users_note_on_the_header_is_kept_instead_of_ours(tmp_path):
    once = run_refresh(write_workbook(tmp_path / "plan.xlsx", minimal_plan()), tmp_path / "1.xlsx")
    book = openpyxl.load_workbook(once)
    ws = book["KPIs"]
    cell = _header(ws, "computed.kpis.on_course")
    cell.comment = openpyxl.comments.Comment("We only trust Q4 numbers", "Ann")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book.save(tmp_path / "edited.xlsx")
    again = run_refresh(tmp_path / "edited.xlsx", tmp_path / "2.xlsx")
    assert _notes(_kpis(again, "en")) == {cell.coordinate: ("We only trust Q4 numbers", "Ann")}


def test_an_older_wording_of_our_note_is_replaced_not_doubled(tmp_path):
    once = run_refresh(
        build(tmp_path / "plan.xlsx", in_chinese(minimal_plan())), tmp_path / "1.xlsx"
    )
    cell = _header(_kpis(once, "zh"), "computed.kpis.on_course")
    wording = labels.text("note.computed.kpis.on_course", "zh").encode()
    older = tmp_path / "older.xlsx"
    with zipfile.ZipFile(once) as source, zipfile.ZipFile(older, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if "comments" in info.filename:
                assert wording in data
                data = data.replace(wording, "旧的说明".encode())
            target.writestr(info, data)
    assert _notes(_kpis(older, "zh")) == {cell.coordinate: ("旧的说明", OURS)}
    again = run_refresh(older, tmp_path / "2.xlsx")
    assert _notes(_kpis(again, "zh")) == {cell.coordinate: (wording.decode(), OURS)}
    vml = next(v for n, v in _note_parts(again).items() if n.endswith(".vml"))
    assert vml.count(b'ObjectType="Note"') == 1


def test_vml_shapes_are_found_in_vml_that_is_not_well_formed():
    """Excel writes form controls' text with a bare <br>: the notes code must not parse it."""
    button = (
        b'<v:shape id="_x0000_s1025" type="#_x0000_t201"><v:textbox><div><font>Go<br>'
        b'</font></div></v:textbox><x:ClientData ObjectType="Button"><x:Row>0</x:Row>'
        b"<x:Column>3</x:Column></x:ClientData></v:shape>"
    )
    note = (
        b'<v:shape id="_x0000_s1026" type="#_x0000_t202"><x:ClientData ObjectType="Note">'
        b"<x:Row>0</x:Row><x:Column>3</x:Column></x:ClientData></v:shape>"
    )
    vml = b"<xml>" + button + note + b"</xml>"
    assert notes.note_cell(note) == (0, 3)
    assert notes.note_cell(button) is None
    assert notes.without_notes(vml, {(0, 3)}) == b"<xml>" + button + b"</xml>"
    assert notes.without_notes(vml, {(0, 4)}) == vml


def test_a_sheet_with_a_button_keeps_it_and_gets_the_note_in_the_same_drawing(tmp_path):
    """A form button lives in the sheet's one VML drawing: the note's shape joins it there."""

    def button(book) -> None:
        book.get_worksheet_by_name("KPIs").insert_button("L2", {"caption": "Recalculate"})

    source = write_workbook(tmp_path / "plan.xlsx", minimal_plan(), extra=button)
    (before,) = [v for n, v in _note_parts(source).items() if n.endswith(".vml")]
    assert b'ObjectType="Button"' in before and b'ObjectType="Note"' not in before
    once, twice = _refresh_twice(source, tmp_path)
    vml_parts = {n: v for n, v in _note_parts(once).items() if n.endswith(".vml")}
    (after,) = vml_parts.values()
    assert after.count(b'ObjectType="Button"') == 1 and b"Recalculate" in after
    assert after.count(b'ObjectType="Note"') == 1
    ws = _kpis(once, "en")
    cell = _header(ws, "computed.kpis.on_course")
    assert _notes(ws) == {
        cell.coordinate: (labels.text("note.computed.kpis.on_course", "en"), OURS)
    }
    assert _note_parts(twice) == _note_parts(once)


def _rezip(source: Path, target: Path, edits: dict[str, Callable[[bytes], bytes]]) -> Path:
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(target, "w") as after:
        for info in before.infolist():
            data = before.read(info)
            after.writestr(info, edits.get(info.filename, lambda d: d)(data))
    return target


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        # sheetplan's note added on a header cell it owns (F1): allowed
        (
            lambda d: d.replace(b"</authors>", b"<author>sheetplan</author></authors>").replace(
                b"</commentList>",
                b'<comment ref="F1" authorId="2"><text><t>ours</t></text></comment></commentList>',
            ),
            True,
        ),
        # the user's note reworded
        (lambda d: d.replace(b"Counted on Mondays", b"Counted on Fridays"), False),
        # a note of sheetplan's where it owns no header (a user's cell)
        (
            lambda d: d.replace(b"</authors>", b"<author>sheetplan</author></authors>").replace(
                b"</commentList>",
                b'<comment ref="B1" authorId="2"><text><t>ours</t></text></comment></commentList>',
            ),
            False,
        ),
        # an author renamed (every note of theirs would show another name)
        (lambda d: d.replace(b"<author>Bo</author>", b"<author>Bob</author>"), False),
    ],
)
def test_the_verifier_accepts_only_sheetplans_header_notes(tmp_path, change, kept):
    from sheetplan.package import verify
    from sheetplan.package.editor import Edit

    source = write_workbook(
        tmp_path / "plan.xlsx", minimal_plan(), extra=_with_user_notes_and_validations
    )
    (comments,) = [n for n in _note_parts(source) if not n.endswith(".vml")]
    result = _rezip(source, tmp_path / "result.xlsx", {comments: change})
    edit = Edit(
        rewritten={comments},
        note_cells={comments: frozenset({(0, 5)})},
        note_author=OURS,
    )
    if kept:
        verify.unchanged_except(source, result, edit)
    else:
        with pytest.raises(verify.NotKept):
            verify.unchanged_except(source, result, edit)


def test_the_verifier_accepts_a_vml_drawing_changed_only_by_header_notes(tmp_path):
    from sheetplan.package import verify
    from sheetplan.package.editor import Edit

    source = write_workbook(
        tmp_path / "plan.xlsx", minimal_plan(), extra=_with_user_notes_and_validations
    )
    (vml,) = [n for n in _note_parts(source) if n.endswith(".vml")]
    ours = (
        b'<v:shape id="_x0000_s1100" type="#_x0000_t202"><x:ClientData ObjectType="Note">'
        b"<x:Row>0</x:Row><x:Column>5</x:Column></x:ClientData></v:shape></xml>"
    )
    edit = Edit(rewritten={vml}, note_cells={vml: frozenset({(0, 5)})}, note_author=OURS)
    added = _rezip(source, tmp_path / "added.xlsx", {vml: lambda d: d.replace(b"</xml>", ours)})
    verify.unchanged_except(source, added, edit)
    moved = _rezip(
        source,
        tmp_path / "moved.xlsx",
        {vml: lambda d: d.replace(b"<x:Row>1</x:Row>", b"<x:Row>2</x:Row>", 1)},
    )
    with pytest.raises(verify.NotKept):
        verify.unchanged_except(source, moved, edit)


def test_a_strict_plan_rebuilt_gets_the_note_and_keeps_the_users(tmp_path):
    """Strict OOXML is rebuilt into a new file, not edited: the note is written there too."""
    from test_corpus_refresh import _convert

    from sheetplan.api import refresh

    plain = write_workbook(
        tmp_path / "plain.xlsx", minimal_plan(), extra=_with_user_notes_and_validations
    )
    plan = _convert(plain, tmp_path / "plan.xlsx", strict=True)
    report = refresh(plan, backup=False)
    assert report.written != plan
    ws = _kpis(report.written, "en")
    cell = _header(ws, "computed.kpis.on_course")
    assert _notes(ws) == {
        "C1": ("Strategic means board-level", "Ann"),
        "D2": ("Counted on Mondays", "Bo"),
        cell.coordinate: (labels.text("note.computed.kpis.on_course", "en"), OURS),
    }
