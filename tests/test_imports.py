"""The engine stays pure: no Excel library, Click or pandas, no files, no clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import sheetplan.compute

COMPUTE = Path(sheetplan.compute.__file__).parent
FORBIDDEN = ("openpyxl", "xlsxwriter", "python_calamine", "click", "pandas", "numpy")
ENGINE_MODULES = sorted(COMPUTE.glob("*.py"))


def test_importing_the_engine_loads_no_heavy_library() -> None:
    code = (
        "import sys; import sheetplan.compute, sheetplan.results; "
        f"print(','.join(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_engine_modules_import_only_the_standard_library_and_plain_records() -> None:
    allowed_stdlib = {
        "__future__",
        "bisect",
        "calendar",
        "collections",
        "collections.abc",
        "dataclasses",
        "datetime",
        "enum",
        "math",
        "re",
        "typing",
    }
    for path in ENGINE_MODULES:
        extra = _imported_names(path) - allowed_stdlib
        assert not extra, f"{path.name} imports {sorted(extra)}"


def test_engine_modules_use_only_the_records_and_labels_of_the_package() -> None:
    allowed = {"labels", "model", "results", "errors", "dedupe"}
    for path in ENGINE_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                if node.module:
                    modules = {node.module.split(".")[0]}
                else:
                    modules = {alias.name for alias in node.names}
                assert modules <= allowed, f"{path.name} imports sheetplan.{sorted(modules)}"


def test_engine_never_asks_for_today_or_opens_files() -> None:
    banned_calls = {"today", "now", "utcnow", "open", "read_text", "write_text", "getenv"}
    for path in ENGINE_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in banned_calls, f"{path.name}:{node.lineno} calls {name}()"
