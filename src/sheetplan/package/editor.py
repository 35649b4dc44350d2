"""Edit a user's workbook package: sheetplan's report sheets replaced whole, its computed
columns spliced into the input sheets, every other part copied as its original bytes.

The donor is a small workbook XlsxWriter wrote with exactly what sheetplan owns: the report
sheets under their final names, and for each input sheet a sheet of the same name holding
only the computed columns at their final places. The editor moves that into the user's
package; it knows nothing of goals or KPIs.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from . import notes, zipraw
from . import sheets as sheet_xml
from .styles import StyleMap, merge
from .xml import (
    CONTENT_TYPES,
    MAIN,
    OFFICE_DOCUMENT,
    PKG_RELS,
    STRICT_MAIN,
    WORKSHEET_REL,
    R,
    column_letters,
    parse,
    q,
    range_bounds,
    relative,
    rels_path,
    resolve,
    serialise,
)


class StrictWorkbook(Exception):
    """Strict OOXML: its namespaces differ throughout; it is not edited in place."""


class PackageProblem(Exception):
    """The package cannot be edited as it is (a part missing or not well-formed)."""


@dataclass(frozen=True)
class Owned:
    """What sheetplan owns in the refreshed workbook, rendered into `donor`."""

    donor: Path | BinaryIO
    reports: tuple[tuple[str, str], ...]
    """(key, sheet name) of each report sheet, Dashboard first; the donor holds them by name."""
    replaced: dict[str, str]
    """Report key → name of the sheet an earlier refresh wrote (removed, its place reused)."""
    splices: dict[str, sheet_xml.Splice]
    """Input sheet name → its computed columns (the donor holds a sheet of the same name)."""
    active: str
    """The sheet shown when the workbook opens."""


@dataclass
class Edit:
    """What the editor changed: the verifier checks that nothing else did."""

    removed: set[str] = field(default_factory=set)
    rewritten: set[str] = field(default_factory=set)
    """Parts of the user's package written anew (shared parts, patched sheets)."""
    added: set[str] = field(default_factory=set)
    view_only: set[str] = field(default_factory=set)
    """User sheets whose only change is losing the selected-tab flag."""
    workbook: str = "xl/workbook.xml"
    owned_columns: dict[str, set[int]] = field(default_factory=dict)
    """Patched sheet part → the columns sheetplan owns there."""
    note_cells: dict[str, frozenset[tuple[int, int]]] = field(default_factory=dict)
    """Comments or VML part → the header cells whose notes sheetplan may have changed."""
    noted_sheets: set[str] = field(default_factory=set)
    """Patched sheet parts that got a <legacyDrawing> (their first notes)."""
    note_author: str = ""
    """The author of sheetplan's notes: the only ones it adds, replaces or removes."""


def is_strict(path: Path) -> bool:
    """Whether the workbook is Strict Open XML (read from its workbook part's first bytes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith("workbook.xml") and "/" in info.filename:
                    return STRICT_MAIN.encode() in zipraw.head(archive, info, 4096)
    except (OSError, zipfile.BadZipFile, zlib.error, NotImplementedError, ValueError):
        return False
    return False


REPORT_MARK = "_sheetplan_report"
"""A hidden sheet-scoped name on each sheet sheetplan writes: a sheet of the user's that only
shares a report's name (their own "Dashboard") is never taken for sheetplan's."""


def own_reports(path: Path, named: dict[str, str]) -> dict[str, str]:
    """Of the report sheets found by name (key → sheet name), the ones sheetplan wrote: marked
    by REPORT_MARK, or — for a workbook refreshed before the mark existed, which sheetplan
    rebuilt whole — all of them when its document properties say sheetplan wrote it."""
    if not named:
        return {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            book_part = next((n for n in names if n.endswith("workbook.xml")), None)
            if book_part is None:
                return {}
            book = parse(archive.read(book_part))
            core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else b""
    except Exception:
        return {}
    sheets = [e.get("name") for e in book.iter() if _local_tag(e) == "sheet"]
    marked = {}
    for defined in book.iter():
        if _local_tag(defined) == "definedName" and defined.get("name") == REPORT_MARK:
            index = defined.get("localSheetId")
            key = (defined.text or "").strip('"')
            if index is not None and index.isdigit() and int(index) < len(sheets):
                marked[key] = sheets[int(index)]
    if marked:
        return {key: name for key, name in named.items() if marked.get(key) == name}
    rebuilt = re.search(rb"<(?:\w+:)?description>sheetplan (?!new)", core)
    return dict(named) if rebuilt else {}


def _local_tag(element: Any) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def edit(source: Path, owned: Owned, target: Path) -> Edit:
    """Write `target`: `source` with `owned` put in. Raises StrictWorkbook or PackageProblem."""
    from lxml import etree

    try:
        with zipfile.ZipFile(source) as user, zipfile.ZipFile(owned.donor) as donor:
            return _Editor(user, donor, owned).write(target)
    except etree.XMLSyntaxError as error:
        raise PackageProblem(str(error).splitlines()[0]) from error


class _Editor:
    def __init__(self, user: zipfile.ZipFile, donor: zipfile.ZipFile, owned: Owned) -> None:
        self.user, self.donor, self.owned = user, donor, owned
        self.infos = {info.filename: info for info in user.infolist()}
        self.out: dict[str, bytes] = {}
        """Part → new bytes (user parts rewritten and donor parts added)."""
        self.streamed: dict[str, Any] = {}
        self.change = Edit()

    # -- reading ------------------------------------------------------------------------------

    def read(self, name: str) -> bytes:
        if name in self.out:
            return self.out[name]
        if name not in self.infos:
            raise PackageProblem(f"{name} is missing")
        return self.user.read(name)

    def rels(self, part: str, archive: zipfile.ZipFile | None = None) -> Any | None:
        path = rels_path(part)
        if archive is not None:
            return parse(archive.read(path)) if path in archive.namelist() else None
        if path in self.out:
            return parse(self.out[path])
        return parse(self.user.read(path)) if path in self.infos else None

    # -- the edit -----------------------------------------------------------------------------

    def write(self, target: Path) -> Edit:
        root_rels = parse(self.read("_rels/.rels"))
        workbook = next(
            (
                resolve("", rel.get("Target"))
                for rel in root_rels
                if rel.get("Type") == OFFICE_DOCUMENT
            ),
            "xl/workbook.xml",
        )
        self.change.workbook = workbook
        book = parse(self.read(workbook))
        if book.tag == q("workbook", STRICT_MAIN):
            raise StrictWorkbook
        book_rels = self.rels(workbook)
        types = parse(self.read("[Content_Types].xml"))
        self.types = types
        sheets = self._sheets(book, book_rels, workbook)

        removed_names = {n for n in self.owned.replaced.values() if n in sheets}
        removed_parts = self._exclusive_closure(
            [sheets[n]["part"] for n in removed_names], workbook
        )
        self.change.removed |= removed_parts

        donor_book = parse(self.donor.read("xl/workbook.xml"))
        donor_rels = self.rels("xl/workbook.xml", self.donor)
        donor_sheets = self._sheets(donor_book, donor_rels, "xl/workbook.xml", self.donor)
        styles = self._merge_styles(book_rels, workbook, types)
        strings = sheet_xml.shared_strings(
            self.donor.read("xl/sharedStrings.xml")
            if "xl/sharedStrings.xml" in self.donor.namelist()
            else None
        )
        donor_types = parse(self.donor.read("[Content_Types].xml"))

        for name, splice in self.owned.splices.items():
            if name in sheets and splice.donor_sheet in donor_sheets:
                donor_part = donor_sheets[splice.donor_sheet]["part"]
                self._splice(sheets[name]["part"], donor_part, splice, styles, strings)

        taken = (set(self.infos) - removed_parts) | self.change.added
        new_parts: dict[str, str] = {}
        for _key, name in self.owned.reports:
            new_parts[name] = self._move_report(
                donor_sheets[name]["part"], taken, styles, strings, donor_types, types
            )
        self._workbook(
            book, book_rels, workbook, sheets, removed_names, new_parts, donor_book, donor_sheets
        )
        self._content_types(types, removed_parts)
        self._calc_chain(book_rels, workbook, [sheets[n]["id"] for n in removed_names])
        self._views(sheets, removed_names)
        self.out[workbook] = serialise(book)
        self.out[rels_path(workbook)] = serialise(book_rels)
        self.out["[Content_Types].xml"] = serialise(types)
        self.change.rewritten.add("[Content_Types].xml")
        self._save(target)
        return self.change

    def _sheets(self, book, book_rels, workbook, archive=None) -> dict[str, dict]:
        ns = book.tag[1:].split("}")[0]
        targets = (
            {rel.get("Id"): rel.get("Target") for rel in book_rels} if book_rels is not None else {}
        )
        found = {}
        container = book.find(q("sheets", ns))
        for index, sheet in enumerate([] if container is None else container):
            rid = sheet.get(q("id", R))
            target = targets.get(rid)
            found[sheet.get("name")] = {
                "element": sheet,
                "index": index,
                "id": sheet.get("sheetId"),
                "rid": rid,
                "part": resolve(workbook, target) if target else None,
            }
        return found

    def _exclusive_closure(self, roots: list[str], workbook: str) -> set[str]:
        """The parts reachable only through `roots` (a report sheet's drawing, charts, tables,
        notes): removed with it. A part some other part also points at stays."""
        referrers: dict[str, set[str]] = {}
        for name in self.infos:
            if not name.endswith(".rels"):
                continue
            folder, rel_name = posixpath.split(name)
            source = posixpath.join(posixpath.dirname(folder), rel_name[: -len(".rels")])
            try:
                rels = parse(self.user.read(name))
            except Exception:
                continue
            for rel in rels:
                if rel.get("TargetMode") == "External" or not rel.get("Target"):
                    continue
                referrers.setdefault(resolve(source, rel.get("Target")), set()).add(source)
        gone = {r for r in roots if r}
        changed = True
        while changed:
            changed = False
            for part, sources in referrers.items():
                if part in gone or part not in self.infos:
                    continue
                if sources and sources <= gone:
                    gone.add(part)
                    changed = True
        gone |= {rels_path(p) for p in gone if rels_path(p) in self.infos}
        return {p for p in gone if p in self.infos}

    def _merge_styles(self, book_rels, workbook, types) -> StyleMap:
        donor_styles = parse(self.donor.read("xl/styles.xml"))
        part = None
        for rel in book_rels:
            if rel.get("Type", "").endswith("/styles"):
                part = resolve(workbook, rel.get("Target"))
        if part is None or part not in self.infos:
            part = posixpath.join(posixpath.dirname(workbook), "styles.xml")
            self.out[part] = self.donor.read("xl/styles.xml")
            self.change.added.add(part)
            self._add_rel(book_rels, R + "/styles", relative(workbook, part))
            self._override(types, part, _STYLES_TYPE)
            return StyleMap(xf={i: i for i in range(4096)}, dxf={i: i for i in range(4096)})
        user_styles = parse(self.read(part))
        mapping = merge(user_styles, donor_styles)
        if mapping.added:
            self.out[part] = serialise(user_styles)
            self.change.rewritten.add(part)
        return mapping

    def _splice(self, part, donor_part, splice, styles, strings) -> None:
        root = parse(self.read(part))
        donor_root = parse(self.donor.read(donor_part))
        header = sheet_xml.splice_columns(root, donor_root, splice, styles, strings)
        self._extend_table(part, splice, header)
        owned = set(splice.columns) | set(splice.stale_columns)
        notes.move(self, part, root, donor_part, {(splice.header_row, c) for c in owned})
        self.change.owned_columns[part] = set(splice.columns) | set(splice.stale_columns)
        self.out[part] = serialise(root)
        self.change.rewritten.add(part)

    def _extend_table(self, part: str, splice, header: dict[int, str]) -> None:
        """An Excel table over the header row grows to take the computed columns beside it,
        so filters, banding and structured references keep working."""
        rels = self.rels(part)
        if rels is None or not header:
            return
        for rel in rels:
            if not rel.get("Type", "").endswith("/table"):
                continue
            table_part = resolve(part, rel.get("Target"))
            if table_part not in self.infos:
                continue
            table = parse(self.read(table_part))
            bounds = range_bounds(table.get("ref", ""))
            if bounds is None or bounds[0] != splice.header_row:
                continue
            first_row, first_col, last_row, last_col = bounds
            wanted = sorted(c for c in header if c > last_col or first_col <= c <= last_col)
            wanted = [c for c in wanted if c >= first_col]
            if not wanted:
                continue
            new_last = last_col
            for c in wanted:
                if c == new_last + 1:
                    new_last = c
            if new_last == last_col and not any(first_col <= c <= last_col for c in header):
                continue
            ns = table.tag[1:].split("}")[0]
            columns = table.find(q("tableColumns", ns))
            existing = list(columns.iterfind(q("tableColumn", ns)))
            next_id = max((int(c.get("id", "0")) for c in existing), default=0) + 1
            names = {c.get("name", "").casefold() for c in existing}
            for offset, c in enumerate(range(first_col, new_last + 1)):
                if c <= last_col:
                    column = existing[offset] if offset < len(existing) else None
                    if column is not None and c in header and header[c]:
                        column.set("name", header[c])
                    continue
                made = columns.makeelement(q("tableColumn", ns))
                made.set("id", str(next_id))
                next_id += 1
                name = header.get(c) or f"Column{next_id}"
                while name.casefold() in names:
                    name += " "
                names.add(name.casefold())
                made.set("name", name)
                columns.append(made)
            columns.set("count", str(len(columns)))
            first = f"{column_letters(first_col)}{first_row + 1}"
            table.set("ref", f"{first}:{column_letters(new_last)}{last_row + 1}")
            auto = table.find(q("autoFilter", ns))
            if auto is not None:
                totals = int(table.get("totalsRowCount", "0") or 0)
                auto.set(
                    "ref",
                    f"{column_letters(first_col)}{first_row + 1}:"
                    f"{column_letters(new_last)}{last_row + 1 - totals}",
                )
            self.out[table_part] = serialise(table)
            self.change.rewritten.add(table_part)

    def _move_report(self, donor_part, taken, styles, strings, donor_types, types) -> str:
        """Copy a donor report sheet and everything it points at under free part names."""
        renamed: dict[str, str] = {}

        def place(part: str) -> str:
            if part in renamed:
                return renamed[part]
            folder, name = posixpath.split(part)
            stem, dot, ext = name.rpartition(".")
            base = re.sub(r"\d+$", "", stem)
            n = 1
            while True:
                candidate = posixpath.join(folder, f"{base}{n}{dot}{ext}")
                if candidate not in taken:
                    break
                n += 1
            taken.add(candidate)
            renamed[part] = candidate
            return candidate

        def copy(part: str) -> str:
            new = place(part)
            data = self.donor.read(part)
            if part == donor_part:
                data = sheet_xml.report_sheet(data, styles, strings)
            elif "/tables/" in part:
                data = self._unique_table(data)
            rels = self.rels(part, self.donor)
            if rels is not None:
                for rel in rels:
                    if rel.get("TargetMode") == "External":
                        continue
                    child = resolve(part, rel.get("Target"))
                    rel.set("Target", relative(new, copy(child)))
                self.out[rels_path(new)] = serialise(rels)
                self.change.added.add(rels_path(new))
            self.out[new] = data
            self.change.added.add(new)
            content_type = _override_of(donor_types, part)
            if content_type:
                self._override(types, new, content_type)
            else:
                self._default_from(types, donor_types, part)
            return new

        return copy(donor_part)

    def _unique_table(self, data: bytes) -> bytes:
        """A donor table's id and name, made unique among the user's tables."""
        table = parse(data)
        ids, names = self._table_names()
        new_id = max(ids, default=0) + 1
        ids.add(new_id)
        table.set("id", str(new_id))
        name = table.get("name") or f"Table{new_id}"
        base, n = name, 1
        while name.casefold() in names:
            n += 1
            name = f"{base}_{n}"
        names.add(name.casefold())
        table.set("name", name)
        table.set("displayName", name)
        return serialise(table)

    def _table_names(self) -> tuple[set[int], set[str]]:
        if not hasattr(self, "_tables"):
            ids, names = set(), set()
            for part in self.infos:
                if (
                    part.startswith("xl/tables/")
                    and part.endswith(".xml")
                    and part not in self.change.removed
                ):
                    head = zipraw.head(self.user, self.infos[part], 4096)
                    match = re.search(rb'\bid="(\d+)"', head)
                    if match:
                        ids.add(int(match[1]))
                    for found in re.findall(rb'\b(?:name|displayName)="([^"]*)"', head[:2048]):
                        names.add(found.decode("utf-8", "replace").casefold())
            self._tables = (ids, names)
        return self._tables

    def _workbook(
        self, book, book_rels, workbook, sheets, removed_names, new_parts, donor_book, donor_sheets
    ) -> None:
        ns = book.tag[1:].split("}")[0]
        container = book.find(q("sheets", ns))
        before = [s.get("name") for s in container]
        old_index = {name: i for i, name in enumerate(before)}
        ids = [int(s.get("sheetId", "0") or 0) for s in container]
        next_id = max(ids, default=0) + 1
        rid_numbers = [
            int(m[1]) for rel in book_rels if (m := re.fullmatch(r"rId(\d+)", rel.get("Id", "")))
        ]
        next_rid = max(rid_numbers, default=0) + 1
        old_of = {key: name for key, name in self.owned.replaced.items() if name in sheets}
        elements = {}
        for key, name in self.owned.reports:
            made = container.makeelement(q("sheet", ns))
            made.set("name", name)
            old = sheets.get(old_of.get(key, ""))
            if old is not None:
                made.set("sheetId", old["id"])
                if old["element"].get("state"):
                    made.set("state", old["element"].get("state"))
            else:
                made.set("sheetId", str(next_id))
                next_id += 1
            target = relative(workbook, new_parts[name])
            reused = None
            if old is not None:
                reused = next((r for r in book_rels if r.get("Id") == old["rid"]), None)
            if reused is not None:
                reused.set("Target", target)
                reused.set("Type", WORKSHEET_REL)
                made.set(q("id", R), old["rid"])
            else:
                rid = f"rId{next_rid}"
                next_rid += 1
                made.set(q("id", R), rid)
                self._add_rel(book_rels, WORKSHEET_REL, target, rid)
            elements[key] = made
        kept_rids = {e.get(q("id", R)) for e in elements.values()}
        for name in removed_names:
            rid = sheets[name]["rid"]
            for rel in list(book_rels):
                if rel.get("Id") == rid and rid not in kept_rids:
                    book_rels.remove(rel)
        # order: reports take the places of the ones they replace; a new Dashboard goes first,
        # other new reports last
        order: list = []
        placed = set()
        for sheet in list(container):
            name = sheet.get("name")
            key = next((k for k, n in old_of.items() if n == name), None)
            if key is not None and key in elements:
                order.append(elements[key])
                placed.add(key)
            elif name not in removed_names:
                order.append(sheet)
            container.remove(sheet)
        for key, _name in self.owned.reports:
            if key in placed:
                continue
            if key == "dashboard":
                order.insert(0, elements[key])
            else:
                order.append(elements[key])
        for sheet in order:
            container.append(sheet)
        after = [s.get("name") for s in container]
        new_index = {name: i for i, name in enumerate(after)}
        self._defined_names(
            book, ns, before, old_index, new_index, removed_names, donor_book, donor_sheets
        )
        views = book.find(q("bookViews", ns))
        active = new_index.get(self.owned.active, 0)
        if views is not None:
            for view in views.iterfind(q("workbookView", ns)):
                view.set("activeTab", str(active))
                if int(view.get("firstSheet", "0") or 0) > active:
                    view.set("firstSheet", str(active))
        recalculate_on_open(book, ns)
        self.change.rewritten |= {workbook, rels_path(workbook)}

    def _defined_names(
        self, book, ns, before, old_index, new_index, removed_names, donor_book, donor_sheets
    ) -> None:
        names = book.find(q("definedNames", ns))
        donor_names = donor_book.find(q("definedNames", MAIN))
        donor_order = list(donor_sheets)
        reports = {name for _k, name in self.owned.reports}
        if names is not None:
            for defined in list(names):
                local = defined.get("localSheetId")
                if local is None:
                    continue
                index = int(local)
                sheet = before[index] if 0 <= index < len(before) else None
                if sheet is None or sheet in removed_names:
                    names.remove(defined)
                    continue
                defined.set("localSheetId", str(new_index[sheet]))
        if names is None:
            names = book.makeelement(q("definedNames", ns))
            _place_in_workbook(book, names, ns)
        for defined in list(names):
            if defined.get("name") == REPORT_MARK:
                names.remove(defined)
        for key, name in self.owned.reports:
            mark = names.makeelement(q("definedName", ns))
            mark.set("name", REPORT_MARK)
            mark.set("localSheetId", str(new_index[name]))
            mark.set("hidden", "1")
            mark.text = f'"{key}"'
            names.append(mark)
        for defined in donor_names if donor_names is not None else ():
            local = defined.get("localSheetId")
            if local is None:
                continue
            sheet = donor_order[int(local)]
            if sheet not in reports:
                continue
            made = names.makeelement(q("definedName", ns))
            for attr, value in defined.attrib.items():
                made.set(attr, value)
            made.set("localSheetId", str(new_index[sheet]))
            made.text = defined.text
            names.append(made)
        if len(names) == 0:
            book.remove(names)

    def _content_types(self, types, removed_parts) -> None:
        for override in list(types):
            part = (override.get("PartName") or "").lstrip("/")
            if (
                override.tag == q("Override", CONTENT_TYPES)
                and part in removed_parts
                and part not in self.change.added
            ):
                types.remove(override)

    def _calc_chain(self, book_rels, workbook, removed_ids) -> None:
        if not removed_ids:
            return
        for rel in book_rels:
            if rel.get("Type", "").endswith("/calcChain"):
                part = resolve(workbook, rel.get("Target"))
                if part not in self.infos:
                    return
                chain = parse(self.read(part))
                gone = set(removed_ids)
                current = None
                dropped = False
                for cell in list(chain):
                    current = cell.get("i", current)
                    if current in gone:
                        chain.remove(cell)
                        dropped = True
                if not dropped:
                    return
                if len(chain) == 0:
                    book_rels.remove(rel)
                    self.change.removed.add(part)
                    return
                first = chain[0]
                if first.get("i") is None and current is not None:
                    first.set("i", current)
                self.out[part] = serialise(chain)
                self.change.rewritten.add(part)

    def _views(self, sheets, removed_names) -> None:
        """Only the Dashboard is selected: a second selected tab would open the workbook with
        sheets grouped, where typing on one sheet types on both."""
        for name, sheet in sheets.items():
            part = sheet["part"]
            if name in removed_names or part is None or part in self.out:
                continue
            info = self.infos.get(part)
            if info is None:
                continue
            head = zipraw.head(self.user, info, 16384)
            if sheet_xml.without_tab_selected(head) is None:
                continue
            self.streamed[part] = info
            self.change.view_only.add(part)

    # -- writing ------------------------------------------------------------------------------

    def _save(self, target: Path) -> None:
        writer = zipraw.PackageWriter(target)
        try:
            for info in self.user.infolist():
                name = info.filename
                if name in self.change.removed:
                    continue
                if name in self.out:
                    writer.write(name, self.out[name])
                elif name in self.streamed:
                    writer.write_chunks(name, unselected(self.user, info))
                else:
                    writer.copy_raw(self.user, info)
            for name in sorted(self.change.added):
                if name not in self.infos or name in self.change.removed:
                    writer.write(name, self.out[name])
        finally:
            writer.close()

    def _add_rel(self, rels, rel_type: str, target: str, rid: str | None = None) -> str:
        if rid is None:
            numbers = [
                int(m[1]) for rel in rels if (m := re.fullmatch(r"rId(\d+)", rel.get("Id", "")))
            ]
            rid = f"rId{max(numbers, default=0) + 1}"
        made = rels.makeelement(q("Relationship", PKG_RELS))
        made.set("Id", rid)
        made.set("Type", rel_type)
        made.set("Target", target)
        rels.append(made)
        return rid

    def _override(self, types, part: str, content_type: str) -> None:
        name = "/" + part
        for override in types.iterfind(q("Override", CONTENT_TYPES)):
            if override.get("PartName") == name:
                override.set("ContentType", content_type)
                return
        made = types.makeelement(q("Override", CONTENT_TYPES))
        made.set("PartName", name)
        made.set("ContentType", content_type)
        types.append(made)

    def add_rel(self, rels, rel_type: str, target: str) -> str:
        return self._add_rel(rels, rel_type, target)

    def override(self, part: str, content_type: str) -> None:
        self._override(self.types, part, content_type)

    def default_type(self, ext: str, content_type: str) -> None:
        """A content type for every part named *.`ext`, unless the package has one."""
        have = {
            d.get("Extension", "").lower() for d in self.types.iterfind(q("Default", CONTENT_TYPES))
        }
        if ext not in have:
            made = self.types.makeelement(q("Default", CONTENT_TYPES))
            made.set("Extension", ext)
            made.set("ContentType", content_type)
            self.types.insert(0, made)

    def _default_from(self, types, donor_types, part: str) -> None:
        ext = part.rpartition(".")[2].lower()
        have = {d.get("Extension", "").lower() for d in types.iterfind(q("Default", CONTENT_TYPES))}
        if ext in have:
            return
        for default in donor_types.iterfind(q("Default", CONTENT_TYPES)):
            if default.get("Extension", "").lower() == ext:
                made = types.makeelement(q("Default", CONTENT_TYPES))
                made.set("Extension", default.get("Extension"))
                made.set("ContentType", default.get("ContentType"))
                types.insert(0, made)
                return


_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_WORKBOOK_ORDER = (
    "fileVersion",
    "fileSharing",
    "workbookPr",
    "AlternateContent",
    "workbookProtection",
    "bookViews",
    "sheets",
    "functionGroups",
    "externalReferences",
    "definedNames",
    "calcPr",
    "oleSize",
    "customWorkbookViews",
    "pivotCaches",
    "smartTagPr",
    "smartTagTypes",
    "webPublishing",
    "fileRecoveryPr",
    "webPublishObjects",
    "extLst",
)


def recalculate_on_open(book: Any, ns: str) -> bool:
    """Ask Excel to recalculate on open, so the user's formulas over what sheetplan wrote show
    current numbers: True when the workbook had not asked already."""
    calc = book.find(q("calcPr", ns))
    if calc is None:
        calc = book.makeelement(q("calcPr", ns))
        calc.set("calcId", "191029")
        _place_in_workbook(book, calc, ns)
    if (calc.get("fullCalcOnLoad") or "").strip().lower() in ("1", "true"):
        return False
    calc.set("fullCalcOnLoad", "1")
    return True


def _place_in_workbook(book, element, ns) -> None:
    local = element.tag.rsplit("}", 1)[-1]
    later = _WORKBOOK_ORDER[_WORKBOOK_ORDER.index(local) + 1 :]
    for index, child in enumerate(book):
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] in later:
            book.insert(index, element)
            return
    book.append(element)


def _override_of(types, part: str) -> str | None:
    for override in types.iterfind(q("Override", CONTENT_TYPES)):
        if override.get("PartName") == "/" + part:
            return override.get("ContentType")
    return None


def unselected(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A sheet's XML as stored, with the selected-tab flag taken out of its head."""
    with archive.open(info) as stream:
        first = stream.read(16384)
        yield sheet_xml.without_tab_selected(first) or first
        while chunk := stream.read(1 << 20):
            yield chunk
