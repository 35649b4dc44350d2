"""The refreshed workbook opens in LibreOffice: converting it to PDF must succeed without an
error (a file LibreOffice has to repair fails or hangs here). Slow-ish, so only two files."""

from __future__ import annotations

import shutil
from pathlib import Path

from refreshed import build, run_refresh

from conftest import skip_or_fail, soffice_convert
from workbooks import in_chinese, minimal_plan

ROOT = Path(__file__).resolve().parent.parent


def _source(lang: str, folder: Path) -> Path:
    sample = ROOT / "samples" / f"sample_{lang}.xlsx"
    if sample.exists():
        return sample
    plan = minimal_plan() if lang == "en" else in_chinese(minimal_plan())
    return build(folder / f"plan_{lang}.xlsx", plan)


def test_refreshed_workbooks_convert_to_pdf(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
    outputs = []
    for lang in ("en", "zh"):
        source = _source(lang, tmp_path)
        outputs.append(run_refresh(source, tmp_path / f"refreshed_{lang}.xlsx"))
    result = soffice_convert(outputs, tmp_path / "pdf", "pdf", timeout=240)
    assert result.returncode == 0, result.stderr
    for output in outputs:
        pdf = tmp_path / "pdf" / (output.stem + ".pdf")
        assert pdf.exists(), result.stdout + result.stderr
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_libreoffice_shows_the_header_note_beside_the_users_notes(tmp_path):
    """LibreOffice reads sheetplan's header note both as new note parts (a plan without
    notes) and added to the user's own notes (the sample, whose headers carry the template's)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        skip_or_fail("LibreOffice (soffice) is not installed")
    import re
    import zipfile

    from sheetplan import labels

    plain = build(tmp_path / "plain.xlsx", minimal_plan())
    outputs = [
        run_refresh(plain, tmp_path / "plain_refreshed.xlsx"),
        run_refresh(_source("zh", tmp_path), tmp_path / "zh_refreshed.xlsx"),
    ]
    result = soffice_convert(outputs, tmp_path / "ods", "ods", timeout=240)
    assert result.returncode == 0, result.stderr
    for output, lang in zip(outputs, ("en", "zh"), strict=True):
        with zipfile.ZipFile(tmp_path / "ods" / (output.stem + ".ods")) as ods:
            content = ods.read("content.xml").decode()
        kpis = re.escape(labels.text("sheet.kpis", lang))
        table = re.search(rf'<table:table table:name="{kpis}".*?</table:table>', content, re.S)
        assert table is not None
        notes = re.findall(r"<office:annotation\b.*?</office:annotation>", table[0], re.S)
        texts = ["".join(re.findall(r">([^<]*)<", note)) for note in notes]
        wanted = labels.text("note.computed.kpis.on_course", lang)
        assert sum(wanted in text for text in texts) == 1
        if lang == "zh":
            assert len(notes) > 1, "the template's notes on the user's headers are still there"
