"""Styles of sheetplan's cells moved into the user's styles part: every font, fill, border,
number format, cell format and conditional-format look is found among the user's own (an
earlier refresh added it) or appended after them, never renumbering what is there, so every
untouched sheet's style indexes still mean what they meant."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from .xml import MAIN, q

ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)
_FIRST_CUSTOM_FORMAT = 164


@dataclass
class StyleMap:
    """Donor index → user index, for cell formats (s=, style=) and conditional looks (dxfId=)."""

    xf: dict[int, int] = field(default_factory=dict)
    dxf: dict[int, int] = field(default_factory=dict)
    added: int = 0
    """How many elements the user's styles part gained (0 on a second refresh)."""


def merge(user_root: Any, donor_root: Any) -> StyleMap:
    """Add what the donor's cells use to `user_root` (edited in place); return the maps."""
    ns = user_root.nsmap.get(user_root.prefix) or MAIN
    merger = _Merger(user_root, donor_root, ns)
    return merger.run()


class _Merger:
    def __init__(self, user: Any, donor: Any, ns: str) -> None:
        self.user, self.donor, self.ns = user, donor, ns
        self.result = StyleMap()
        self._found: dict[str, dict[tuple, int]] = {}

    def run(self) -> StyleMap:
        formats = self._number_formats()
        fonts = self._list_map("fonts", "font")
        fills = self._list_map("fills", "fill")
        borders = self._list_map("borders", "border")
        donor_xfs = self._children(self.donor, "cellXfs", "xf", MAIN)
        for index, xf in enumerate(donor_xfs):
            mapped = copy.deepcopy(xf)
            mapped.tag = q("xf", self.ns)
            for attr, table in (
                ("numFmtId", formats),
                ("fontId", fonts),
                ("fillId", fills),
                ("borderId", borders),
            ):
                value = mapped.get(attr)
                if value is not None:
                    mapped.set(attr, str(table.get(int(value), int(value))))
            mapped.set("xfId", "0")
            self._retag(mapped)
            self.result.xf[index] = self._find_or_append("cellXfs", mapped)
        for index, dxf in enumerate(self._children(self.donor, "dxfs", "dxf", MAIN)):
            mapped = copy.deepcopy(dxf)
            self._retag(mapped)
            self.result.dxf[index] = self._find_or_append("dxfs", mapped)
        return self.result

    def _number_formats(self) -> dict[int, int]:
        table: dict[int, int] = {}
        users = {
            el.get("formatCode"): int(el.get("numFmtId"))
            for el in self._children(self.user, "numFmts", "numFmt", self.ns)
        }
        taken = set(users.values())
        for el in self._children(self.donor, "numFmts", "numFmt", MAIN):
            donor_id, code = int(el.get("numFmtId")), el.get("formatCode")
            if code in users:
                table[donor_id] = users[code]
                continue
            new_id = max([_FIRST_CUSTOM_FORMAT - 1, *taken]) + 1
            taken.add(new_id)
            users[code] = new_id
            added = self._collection("numFmts").makeelement(q("numFmt", self.ns))
            added.set("numFmtId", str(new_id))
            added.set("formatCode", code)
            self._append("numFmts", added)
            table[donor_id] = new_id
        return table

    def _list_map(self, collection: str, tag: str) -> dict[int, int]:
        table = {}
        for index, el in enumerate(self._children(self.donor, collection, tag, MAIN)):
            mapped = copy.deepcopy(el)
            self._retag(mapped)
            table[index] = self._find_or_append(collection, mapped)
        return table

    def _find_or_append(self, collection: str, element: Any) -> int:
        known = self._found.get(collection)
        if known is None:
            known = {}
            for index, el in enumerate(self._collection(collection)):
                if isinstance(el.tag, str):
                    known.setdefault(canonical(el), index)
            self._found[collection] = known
        key = canonical(element)
        if key in known:
            return known[key]
        index = self._append(collection, element)
        known[key] = index
        return index

    def _append(self, collection: str, element: Any) -> int:
        parent = self._collection(collection)
        children = [el for el in parent if isinstance(el.tag, str)]
        if children and children[-1].tail is not None:
            element.tail = children[-1].tail
        parent.append(element)
        parent.set("count", str(len(children) + 1))
        self.result.added += 1
        return len(children)

    def _collection(self, name: str) -> Any:
        found = self.user.find(q(name, self.ns))
        if found is not None:
            return found
        made = self.user.makeelement(q(name, self.ns))
        made.set("count", "0")
        later = ORDER[ORDER.index(name) + 1 :]
        for index, child in enumerate(self.user):
            if isinstance(child.tag, str) and _local(child.tag) in later:
                self.user.insert(index, made)
                return made
        self.user.append(made)
        return made

    def _children(self, root: Any, collection: str, tag: str, ns: str) -> list:
        parent = root.find(q(collection, ns))
        return [] if parent is None else list(parent.iterfind(q(tag, ns)))

    def _retag(self, element: Any) -> None:
        if self.ns == MAIN:
            return
        for el in element.iter():
            if isinstance(el.tag, str) and el.tag.startswith("{" + MAIN + "}"):
                el.tag = q(_local(el.tag), self.ns)


def canonical(element: Any) -> tuple:
    """A comparable form of a style element, blind to namespace prefixes and attribute order."""
    return (
        _local(element.tag),
        tuple(sorted((_local(k), v) for k, v in element.attrib.items())),
        (element.text or "").strip(),
        tuple(canonical(child) for child in element if isinstance(child.tag, str)),
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def add_cell_format(user_root: Any, xf: Any) -> int:
    """The index of the cell format `xf` among the user's, appended when none equals it (an
    append's date and quote-prefixed text formats; a second append finds the first's)."""
    merger = _Merger(user_root, None, user_root.nsmap.get(user_root.prefix) or MAIN)
    merger._retag(xf)
    return merger._find_or_append("cellXfs", xf)


def add_number_format(user_root: Any, code: str) -> int:
    """The id of the user's number format `code`, appended after the custom ones when new."""
    ns = user_root.nsmap.get(user_root.prefix) or MAIN
    merger = _Merger(user_root, None, ns)
    taken = set()
    for el in merger._children(user_root, "numFmts", "numFmt", ns):
        if el.get("formatCode") == code:
            return int(el.get("numFmtId"))
        taken.add(int(el.get("numFmtId")))
    new_id = max([_FIRST_CUSTOM_FORMAT - 1, *taken]) + 1
    made = merger._collection("numFmts").makeelement(q("numFmt", ns))
    made.set("numFmtId", str(new_id))
    made.set("formatCode", code)
    merger._append("numFmts", made)
    return new_id


BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
"""Excel's built-in number format ids that show a date or time (50–58: East Asian dates)."""


def is_date_format(user_root: Any, xf_index: int) -> bool:
    """Whether cell format `xf_index` shows its number as a date (built-in id, or a custom
    code with day, month or year letters outside quotes, escapes and brackets)."""
    ns = user_root.nsmap.get(user_root.prefix) or MAIN
    xfs = user_root.find(q("cellXfs", ns))
    formats = [] if xfs is None else list(xfs.iterfind(q("xf", ns)))
    if not 0 <= xf_index < len(formats):
        return False
    number = int(formats[xf_index].get("numFmtId", "0") or 0)
    if number in BUILTIN_DATE_FORMATS:
        return True
    parent = user_root.find(q("numFmts", ns))
    for el in [] if parent is None else parent.iterfind(q("numFmt", ns)):
        if int(el.get("numFmtId", "-1")) == number:
            code = re.sub(
                r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]|_.|\*.', "", el.get("formatCode", "")
            )
            code = code.split(";")[0].lower()
            return "y" in code or "d" in code or ("m" in code and "h" not in code)
    return False
