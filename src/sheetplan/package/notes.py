"""Notes on the computed columns' headers, moved from the donor sheet into the user's sheet.

A note is a legacy comment: an entry in the sheet's comments part plus a shape in its VML
drawing (the box Excel and LibreOffice show on hover). A sheet has at most one of each, so when
the user's sheet already has notes, sheetplan's are added to their parts; otherwise new parts
are added. sheetplan only ever touches notes on the header cells of its own columns, and only
its own there: a note the user put on such a header stays and sheetplan's is left out.

The VML is edited as bytes: Excel writes VML that is not always well-formed XML (`<br>` in form
controls' text), so shapes are found by pattern and the rest of the part is never re-serialised.
"""

from __future__ import annotations

import re
from typing import Any

from .xml import MAIN, PKG_RELS, R, cell_ref, parse, q, relative, rels_path, resolve, serialise

COMMENTS_REL = R + "/comments"
VML_REL = R + "/vmlDrawing"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
_VML_NAMESPACES = (
    b'xmlns:v="urn:schemas-microsoft-com:vml"',
    b'xmlns:o="urn:schemas-microsoft-com:office:office"',
    b'xmlns:x="urn:schemas-microsoft-com:office:excel"',
)
_SHAPE = re.compile(rb"<v:shape\b(?:[^>]*/>|[^>]*>.*?</v:shape>)", re.S)
_NOTE_TYPE = re.compile(
    rb"<v:shapetype\b[^>]*\bid=\"_x0000_t202\"(?:[^>]*/>|[^>]*>.*?</v:shapetype>)", re.S
)
_ROW = re.compile(rb"<x:Row>\s*(\d+)\s*</x:Row>")
_COLUMN = re.compile(rb"<x:Column>\s*(\d+)\s*</x:Column>")
_SHAPE_ID = re.compile(rb'(?<![\w:])id="_x0000_s(\d+)"')
_ANY_SHAPE_ID = re.compile(rb'"_x0000_s(\d+)"')
_IDMAP = re.compile(rb'<o:idmap\b[^>]*\bdata="(\d+)')


def note_cell(shape: bytes) -> tuple[int, int] | None:
    """(row, column) of a note's shape, or None for any other shape (a button, a picture)."""
    if b'ObjectType="Note"' not in shape:
        return None
    row, column = _ROW.search(shape), _COLUMN.search(shape)
    if row is None or column is None:
        return None
    return int(row[1]), int(column[1])


def without_notes(vml: bytes, cells: set[tuple[int, int]]) -> bytes:
    """The VML without the note shapes anchored on `cells`."""
    return _SHAPE.sub(lambda m: b"" if note_cell(m[0]) in cells else m[0], vml)


def note_type_in(vml: bytes) -> bool:
    return _NOTE_TYPE.search(vml) is not None


def without_note_type(vml: bytes) -> bytes:
    """The VML without its note shape type (which sheetplan adds with its first note)."""
    return _NOTE_TYPE.sub(b"", vml, count=1)


def move(editor: Any, part: str, root: Any, donor_part: str, header_cells: set) -> None:
    """Put the donor sheet's header notes into the user's sheet `part` (its XML `root`, edited
    in place); `header_cells` are the (row, column) header cells sheetplan owns there. Records
    the parts it changes on the editor's Edit. Leaves the sheet's notes alone where they are
    not what it can edit safely (an unreadable comments part, a VML drawing in other hands)."""
    donor = _Donor(editor, donor_part)
    if not donor.notes:
        return  # a sheet without header notes: its notes are not even read
    user = _user_notes(editor, part, root)
    if user is None:
        return
    comments_part, comments, vml_part, vml = user
    if comments is None:
        comments = parse(
            b'<comments xmlns="%s"><authors/><commentList/></comments>' % MAIN.encode()
        )
    ns = comments.tag[1:].split("}")[0]
    author_list = comments.find(q("authors", ns))
    authors = [a.text or "" for a in author_list.iterfind(q("author", ns))]
    listed = comments.find(q("commentList", ns))
    theirs, remove, unchanged = set(), set(), set()
    for comment in list(listed):
        cell = cell_ref(comment.get("ref", ""))
        if cell not in header_cells:
            continue
        author_id = int(comment.get("authorId", "0") or 0)
        author = authors[author_id] if 0 <= author_id < len(authors) else None
        if author != donor.author:
            theirs.add(cell)
        elif cell in donor.notes and _text(comment) == _text(donor.notes[cell][0]):
            unchanged.add(cell)
        else:
            listed.remove(comment)
            remove.add(cell)
    add = {c: note for c, note in sorted(donor.notes.items()) if c not in theirs | unchanged}
    if not add and not remove:
        return
    if add and donor.author not in authors:
        made = author_list.makeelement(q("author", ns))
        made.text = donor.author
        author_list.append(made)
        authors.append(donor.author)
    for comment, _shape in add.values():
        made = _in_ns(comment, ns)
        made.set("authorId", str(authors.index(donor.author)))
        listed.append(made)
    if vml is None:
        vml = donor.frame(_free_idmap(editor))
    vml = _append_shapes(without_notes(vml, remove), [s for _c, s in add.values()], donor)
    _save(
        editor, part, root, (comments_part, comments), (vml_part, vml), header_cells, donor.author
    )


class _Donor:
    """The donor sheet's notes: (row, column) → (comment element, VML shape), their author,
    and the VML they came in (for its frame and its note shape type)."""

    def __init__(self, editor: Any, donor_part: str) -> None:
        self.notes: dict[tuple[int, int], tuple[Any, bytes]] = {}
        self.author = ""
        self.vml = b""
        rels = editor.rels(donor_part, editor.donor)
        found = {}
        for rel in rels if rels is not None else ():
            found[rel.get("Type")] = resolve(donor_part, rel.get("Target"))
        if COMMENTS_REL not in found or VML_REL not in found:
            return
        comments = parse(editor.donor.read(found[COMMENTS_REL]))
        ns = comments.tag[1:].split("}")[0]
        self.vml = editor.donor.read(found[VML_REL])
        shapes = {}
        for match in _SHAPE.finditer(self.vml):
            cell = note_cell(match[0])
            if cell is not None:
                shapes[cell] = match[0]
        author = comments.find(q("authors", ns)).find(q("author", ns))
        self.author = author.text or ""
        for comment in comments.iter(q("comment", ns)):
            cell = cell_ref(comment.get("ref", ""))
            if cell in shapes:
                self.notes[cell] = (comment, shapes[cell])

    def frame(self, idmap: int) -> bytes:
        """A VML drawing with no shapes yet, its shape ids in block `idmap`."""
        empty = _SHAPE.sub(b"", self.vml)
        return _IDMAP.sub(lambda m: m[0][: -len(m[1])] + str(idmap).encode(), empty, count=1)

    def note_type(self) -> bytes:
        match = _NOTE_TYPE.search(self.vml)
        return match[0] if match else b""


def _free_idmap(editor: Any) -> int:
    """A shape-id block no VML drawing of the workbook uses (Excel numbers shapes per block)."""
    used = [0]
    for name in [*editor.infos, *editor.change.added]:
        if name.endswith(".vml") and name not in editor.change.removed:
            used += [int(n) for n in _IDMAP.findall(editor.read(name))]
    return max(used) + 1


def _user_notes(editor: Any, part: str, root: Any):
    """(comments part, its XML, VML part, its bytes) of the user's sheet, each None when the
    sheet has none; None when they cannot be edited safely."""
    ns = root.tag[1:].split("}")[0]
    legacy = root.find(q("legacyDrawing", ns))
    rels = editor.rels(part)
    by_id = {}
    comments_parts = []
    for rel in rels if rels is not None else ():
        if rel.get("TargetMode") == "External":
            continue
        by_id[rel.get("Id")] = rel
        if rel.get("Type") == COMMENTS_REL:
            comments_parts.append(resolve(part, rel.get("Target")))
    if len(comments_parts) > 1:
        return None
    comments_part = comments_parts[0] if comments_parts else None
    vml_part = None
    if legacy is not None:
        rel = by_id.get(legacy.get(q("id", R)))
        if rel is None or rel.get("Type") != VML_REL:
            return None
        vml_part = resolve(part, rel.get("Target"))
    if comments_part is not None and vml_part is None:
        return None  # notes without a drawing to show them: nothing to add a shape to
    comments = vml = None
    try:
        if comments_part is not None:
            comments = parse(editor.read(comments_part))
            ns = comments.tag[1:].split("}")[0]
            if comments.find(q("authors", ns)) is None:
                return None
            if comments.find(q("commentList", ns)) is None:
                return None
        if vml_part is not None:
            vml = editor.read(vml_part)
    except Exception:  # a part missing or unreadable: the sheet's notes stay as they are
        return None
    if vml is not None and (
        not all(n in vml for n in _VML_NAMESPACES) or not vml.rstrip().endswith(b"</xml>")
    ):
        return None
    return comments_part, comments, vml_part, vml


def _text(comment: Any) -> str:
    return "".join(comment.itertext())


def _in_ns(element: Any, ns: str) -> Any:
    import copy

    made = copy.deepcopy(element)
    for el in made.iter():
        if isinstance(el.tag, str) and not el.tag.startswith("{" + ns + "}"):
            el.tag = q(el.tag.rsplit("}", 1)[-1], ns)
    return made


def _append_shapes(vml: bytes, shapes: list[bytes], donor: _Donor) -> bytes:
    """`shapes` put at the end of `vml` with fresh ids (and the note shape type if missing)."""
    if not shapes:
        return vml
    ids = [int(n) for n in _ANY_SHAPE_ID.findall(vml)]
    idmap = _IDMAP.search(vml)
    next_id = max([*ids, (int(idmap[1]) if idmap else 1) * 1024]) + 1
    added = b"" if _NOTE_TYPE.search(vml) else donor.note_type()
    for shape in shapes:
        added += _SHAPE_ID.sub(b'id="_x0000_s%d"' % next_id, shape, count=1)
        next_id += 1
    end = vml.rindex(b"</xml>")
    return vml[:end] + added + vml[end:]


def _save(
    editor: Any, part: str, root: Any, comments: tuple, vml: tuple, cells: set, author: str
) -> None:
    """Write the comments and VML parts (new ones under free names, with their relationships,
    content types and the sheet's <legacyDrawing>), and tell the verifier what changed."""
    from .sheets import place_child

    comments_part, comments_xml = comments
    vml_part, vml_bytes = vml
    change = editor.change
    rels = editor.rels(part)
    rels_part = rels_path(part)
    if rels is None:
        rels = parse(b'<Relationships xmlns="%s"/>' % PKG_RELS.encode())
    new_rels = False
    if comments_part is None:
        comments_part = _free_name(editor, "xl/comments{}.xml")
        editor.add_rel(rels, COMMENTS_REL, relative(part, comments_part))
        editor.override(comments_part, COMMENTS_TYPE)
        change.added.add(comments_part)
        new_rels = True
    else:
        change.rewritten.add(comments_part)
    if vml_part is None:
        vml_part = _free_name(editor, "xl/drawings/vmlDrawing{}.vml")
        rid = editor.add_rel(rels, VML_REL, relative(part, vml_part))
        editor.default_type("vml", VML_TYPE)
        ns = root.tag[1:].split("}")[0]
        legacy = root.makeelement(q("legacyDrawing", ns), nsmap={"r": R})
        legacy.set(q("id", R), rid)
        place_child(root, legacy, "legacyDrawing", ns)
        change.added.add(vml_part)
        change.noted_sheets.add(part)
        new_rels = True
    else:
        change.rewritten.add(vml_part)
    if new_rels:
        editor.out[rels_part] = serialise(rels)
        (change.rewritten if rels_part in editor.infos else change.added).add(rels_part)
    editor.out[comments_part] = serialise(comments_xml)
    editor.out[vml_part] = vml_bytes
    change.note_author = author
    change.note_cells[comments_part] = frozenset(cells)
    change.note_cells[vml_part] = frozenset(cells)


def _free_name(editor: Any, pattern: str) -> str:
    taken = {n.casefold() for n in [*editor.infos, *editor.change.added]}
    n = 1
    while pattern.format(n).casefold() in taken:
        n += 1
    return pattern.format(n)
