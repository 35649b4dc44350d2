"""Docs that cannot drift: every command has help and is in the README; the README's two
set-up commands are the ones CI runs."""

import subprocess
import sys

import click
import pytest

from sheetplan.cli import main

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && pytest"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_and_is_documented(name):
    command = main.commands[name]
    assert command.help and len(command.help) > 20
    assert f"sheetplan {name}" in README
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help, f"{name} {param.opts} has no help"
            assert any(opt in README for opt in param.opts), f"{param.opts} not in README"


def test_readme_test_command_is_what_ci_runs():
    assert TEST_COMMAND in README
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_help_imports_no_heavy_library():
    """`sheetplan --help` must start at once: no Excel library or pandas at import time."""
    code = (
        "import sys; from sheetplan.cli import main; "
        "heavy = {'openpyxl', 'xlsxwriter', 'pandas', 'python_calamine', 'numpy'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
