"""Mutated workbooks for the fuzz test, and the child process that reads them.

`mutants(seed)` makes the same files for the same seed; each id names the base, the mutation
and its number, so one failure can be made again alone. Run as a script, this module is the
child: it reads each file in-process the way `check`, `summary` and `refresh` do, and writes
one JSON line per file, after a progress line, so the parent knows which file a crash hit.
"""

from __future__ import annotations

import io
import json
import random
import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

ODD_REFS = [
    b"XFD1048576",
    b"A0",
    b"a1",
    b"ZZZZ1",
    b"A99999999",
    b"",
    b"1",
    b"A-1",
    b"\xe4\xb8\xad1",
]
ODD_NUMBERS = [b"NaN", b"INF", b"-INF", b"1e309", b"-0", b"1e-400", b"", b"12abc", b"0x10"]
ODD_NAMES = ["Q3/Q4: [draft]?", "x" * 40, "goals", "GOALS", "", "'quoted'", "History", "=1+1"]


def byte_mutation(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    raw = bytearray(data)
    kind = rng.choice(["flip", "insert", "delete", "truncate", "duplicate"])
    at = rng.randrange(len(raw))
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    elif kind == "insert":
        raw[at:at] = rng.randbytes(rng.randint(1, 64))
    elif kind == "delete":
        del raw[at : at + rng.randint(1, 256)]
    elif kind == "truncate":
        del raw[at:]
    else:
        end = min(len(raw), at + rng.randint(1, 512))
        raw[at:at] = raw[at:end]
    return kind, bytes(raw)


def _sub_one(pattern: bytes, data: bytes, rng: random.Random, make: Callable[[re.Match], bytes]):
    found = list(re.finditer(pattern, data))
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + make(match) + data[match.end() :]


XML_MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "xml_flip": lambda d, r: bytes(
        b if r.random() > 0.002 else r.randrange(256) for b in d
    ),
    "xml_truncate": lambda d, r: d[: r.randrange(max(1, len(d)))],
    "drop_element": lambda d, r: _sub_one(rb"<c\b[^>]*>.*?</c>|<row\b[^>]*>", d, r, lambda m: b""),
    "duplicate_element": lambda d, r: _sub_one(
        rb"<c\b[^>]*>.*?</c>|<si>.*?</si>|<sheet [^>]*/>", d, r, lambda m: m.group(0) * 2
    ),
    "drop_attribute": lambda d, r: _sub_one(rb' \w+="[^"]*"', d, r, lambda m: b""),
    "odd_ref": lambda d, r: _sub_one(
        rb'\br="[A-Z]*\d+"', d, r, lambda m: b'r="' + r.choice(ODD_REFS) + b'"'
    ),
    "string_index": lambda d, r: _sub_one(
        rb't="s"(\s*[^>]*)><v>\d+</v>', d, r, lambda m: b't="s"' + m.group(1) + b"><v>99999</v>"
    ),
    "odd_number": lambda d, r: _sub_one(
        rb"<v>[-0-9.E]+</v>", d, r, lambda m: b"<v>" + r.choice(ODD_NUMBERS) + b"</v>"
    ),
    "control_char": lambda d, r: _sub_one(
        rb"<t>|<t xml:space=\"preserve\">", d, r, lambda m: m.group(0) + r.choice([b"&#7;", b"\x01", b"\x1b", b"&#xFFFE;"])
    ),
    "doctype": lambda d, r: re.sub(
        rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + b'<!DOCTYPE x [<!ENTITY e "e">]>', d, count=1
    ),
    "dimension": lambda d, r: _sub_one(
        rb'<dimension ref="[^"]*"/>', d, r, lambda m: r.choice([b'<dimension ref="A1:XFD1048576"/>', b'<dimension ref="junk"/>', b""])
    ),
    "retarget": lambda d, r: _sub_one(
        rb'Target="[^"]*"', d, r, lambda m: r.choice([b'Target="../missing.xml"', b'Target="/etc/passwd"', b'Target=""', b'Target="worksheets/sheet1.xml"'])
    ),
    "sheet_name": lambda d, r: _sub_one(
        rb'<sheet name="[^"]*"', d, r, lambda m: b'<sheet name="' + r.choice(ODD_NAMES).replace("'", "&apos;").encode() + b'"'
    ),
    "date_to_text": lambda d, r: _sub_one(
        rb'<c r="([A-Z]+\d+)" s="1"><v>\d+</v></c>', d, r, lambda m: b'<c r="' + m.group(1) + b'" t="inlineStr"><is><t>31/13/2026</t></is></c>'
    ),
}  # fmt: skip


def xml_mutation(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    if rng.random() < 0.08:
        victim = rng.choice(sorted(parts))
        del parts[victim]
        kind = "drop_part"
    else:
        kind = rng.choice(sorted(XML_MUTATIONS))
        name = rng.choice(sorted(n for n in parts if n.endswith((".xml", ".rels"))))
        if kind in ("odd_ref", "string_index", "odd_number", "dimension", "date_to_text"):
            name = rng.choice(sorted(n for n in parts if n.startswith("xl/worksheets/")))
        elif kind == "sheet_name":
            name = "xl/workbook.xml"
        elif kind == "retarget":
            name = "xl/_rels/workbook.xml.rels"
        elif kind == "control_char":
            name = "xl/sharedStrings.xml"
        parts[name] = XML_MUTATIONS[kind](parts[name], rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            archive.writestr(info, part, zipfile.ZIP_DEFLATED)
    return kind, out.getvalue()


def mutants(bases: dict[str, bytes], seed: int, count: int) -> list[tuple[str, bytes]]:
    """`count` mutated files, half by raw bytes and half by XML, from the named bases."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        base = rng.choice(sorted(bases))
        layer = byte_mutation if n % 2 else xml_mutation
        kind, data = layer(bases[base], rng)
        made.append((f"{n:03d}-{base}-{kind}", data))
    return made


def child(manifest: Path, progress: Path, results: Path, out_dir: Path) -> None:
    """Read each file as the commands do; one JSON line per file in `results`."""
    import resource
    import signal
    import traceback

    from sheetplan import api
    from sheetplan.errors import SheetplanError

    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    def too_slow(*_):
        raise TimeoutError("over 5 s")

    signal.signal(signal.SIGALRM, too_slow)
    done = (
        {json.loads(line)["id"] for line in results.read_text().splitlines()}
        if results.exists()
        else set()
    )
    with progress.open("a") as marks, results.open("a") as out:
        for line in manifest.read_text().splitlines():
            entry = json.loads(line)
            if entry["id"] in done:
                continue
            marks.write(entry["id"] + "\n")
            marks.flush()
            path = Path(entry["path"])
            signal.setitimer(signal.ITIMER_REAL, 5)
            try:
                api.summarize(path)
                if entry["refresh"]:
                    api.refresh(path, output=out_dir / "out.xlsx", backup=False)
                outcome, detail = "ok", ""
            except SheetplanError as error:
                outcome, detail = "refused", str(error)
            except TimeoutError:
                outcome, detail = "timeout", ""
            except Exception:  # a traceback is the bug the test looks for
                outcome, detail = "bug", traceback.format_exc()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            out.write(json.dumps({"id": entry["id"], "outcome": outcome, "detail": detail}) + "\n")
            out.flush()


if __name__ == "__main__":
    child(*(Path(a) for a in sys.argv[1:5]))
