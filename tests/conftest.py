import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from sheetplan.cli import main

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    """Messages before a workbook's language is known follow the locale; pin it for tests."""
    monkeypatch.setenv("SHEETPLAN_LANG", "en")


@pytest.fixture
def run_cli():
    def run(*args: str, catch: bool = True):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=catch)

    return run


def skip_or_fail(reason: str) -> None:
    """A test that needs a tool it cannot get: skip on a user's machine, fail in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def soffice_convert(files, folder: Path, to: str, timeout: int = 240):
    """Convert `files` with LibreOffice headless into `folder` (its own profile, so runs do
    not share one); skips (fails in CI) when LibreOffice is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(home / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "HOME": str(home)},
        check=False,
    )
