"""The Dashboard page as LibreOffice prints it (issue 14), in English, in Chinese and for an
English plan whose goal names are long and start alike: every category label of the bar
charts is printed (a chart skips labels it has no room for), and no two words on the page
cover each other (scatter labels, list cells, legends). Each plan is refreshed on two as-of
dates so the Trend chart is drawn too. Slow: one LibreOffice run for three files."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pdfpages import Word, words

from sheetplan import labels
from sheetplan.api import refresh

from conftest import skip_or_fail, soffice_convert

ROOT = Path(__file__).resolve().parent.parent

LONG_NAMES = {
    "Make Cold Brew known: reach 2 million people in the launch markets by 30 Nov": (
        "Through social media by the end of November, make Cold Brew known to two million "
        "people in the launch markets"
    ),
    "Bring 120,000 shop visits from social by 31 Dec": (
        "Through social media by the end of December, bring 120,000 visits to the online shop"
    ),
    "Collect 6,000 newsletter sign-ups from social by 30 Nov": (
        "Through social media by the end of November, collect 6,000 newsletter and member sign-ups"
    ),
    "Sell $150,000 through social links and the mini-program by 31 Dec": (
        "Through social media by the end of December, sell $150,000 via links, live streams "
        "and the mini-program"
    ),
}
"""Goal names of the English sample made long and alike at the start (the shape of the
Chinese sample's "12 月 31 日前通过社媒…")."""


def _long_names(source: Path, target: Path) -> Path:
    """The sample with its goal names replaced in the shared strings (the rest untouched)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/sharedStrings.xml":
                text = data.decode("utf-8")
                for short, long in LONG_NAMES.items():
                    assert short in text, short
                    text = text.replace(short, long)
                data = text.encode("utf-8")
            new.writestr(item, data)
    return target


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name → (refreshed workbook, its PDF)."""
    if shutil.which("pdftotext") is None:
        skip_or_fail("poppler (pdftotext) is needed to read the printed Dashboard")
    folder = tmp_path_factory.mktemp("dashpdf")
    books = {
        "en": shutil.copy(ROOT / "samples" / "sample_en.xlsx", folder / "en.xlsx"),
        "zh": shutil.copy(ROOT / "samples" / "sample_zh.xlsx", folder / "zh.xlsx"),
        "long": _long_names(ROOT / "samples" / "sample_en.xlsx", folder / "long.xlsx"),
    }
    for book in books.values():
        for as_of in (date(2026, 10, 1), date(2026, 11, 15)):
            refresh(Path(book), as_of=as_of, backup=False)
    result = soffice_convert(list(books.values()), folder / "pdf", "pdf")
    assert result.returncode == 0, result.stderr
    return {name: (Path(book), folder / "pdf" / f"{name}.pdf") for name, book in books.items()}


def _categories(book: Path) -> dict[str, list[str]]:
    """Each Dashboard chart's title → the category labels it carries (first series)."""
    found = {}
    for xml in _chart_xml(book):
        title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
        cat = re.search(r"<c:cat>(.*?)</c:cat>", xml, re.S)
        found[title] = re.findall(r"<c:v>([^<]*)</c:v>", cat[1]) if cat else []
    return found


def _chart_xml(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as z:
        return [
            z.read(n).decode("utf-8")
            for n in z.namelist()
            if re.match(r"xl/charts/chart\d+\.xml$", n)
        ]


def _words_carried(book: Path) -> list[str]:
    """Every word the Dashboard page should print: its cells' text, the charts' category
    labels and the names in their legends (less the entries a legend leaves out)."""
    import openpyxl

    sheet = openpyxl.load_workbook(book).worksheets[0]
    out = [
        word
        for row in sheet.iter_rows(max_col=18, values_only=True)
        for value in row
        if isinstance(value, str)
        for word in value.split()
    ]
    for xml in _chart_xml(book):
        cat = re.search(r"<c:cat>(.*?)</c:cat>", xml, re.S)
        if cat:
            out += [w for v in re.findall(r"<c:v>([^<]*)</c:v>", cat[1]) for w in v.split()]
        if "<c:legend>" not in xml:
            continue
        left_out = {
            int(i) for i in re.findall(r'<c:legendEntry><c:idx val="(\d+)"/><c:delete', xml)
        }
        for index, series in enumerate(re.findall(r"<c:ser>(.*?)</c:ser>", xml, re.S)):
            name = re.search(r"<c:tx>.*?<c:v>([^<]*)</c:v>", series, re.S)
            if name and index not in left_out:
                out += name[1].split()
    return out


def _chart(categories: dict[str, list[str]], key: str, lang: str) -> list[str]:
    start = labels.text(key, lang)
    return next(v for t, v in categories.items() if t.startswith(start))


def _page_one(pdf: Path) -> list[Word]:
    return [w for w in words(pdf) if w.page == 1]


@pytest.mark.parametrize("name", ["en", "zh", "long"])
def test_every_category_label_is_printed(printed, name):
    """The progress, budget and owners charts' labels are all on the page: each label's first
    word (the KPI or goal ID, the owner's first name) is printed as often as the page's cells,
    chart labels and legends carry it, so a skipped label is a missing word."""
    book, pdf = printed[name]
    lang = "zh" if name == "zh" else "en"
    categories = _categories(book)
    printed_words = [w.text for w in _page_one(pdf)]
    carried = _words_carried(book)
    for key in ("dash.chart.progress", "dash.chart.budget", "dash.chart.owners"):
        labels_here = _chart(categories, key, lang)
        assert labels_here, key
        for label in labels_here:
            first = label.split(" ")[0]
            assert printed_words.count(first) >= carried.count(first), (key, label)


@pytest.mark.parametrize("name", ["en", "zh", "long"])
def test_no_words_cover_each_other(printed, name):
    """No two words on the Dashboard page overlap by more than a sliver: a third of a line's
    height (two lines of a wrapped label touch by less) and a point across."""
    found = _page_one(printed[name][1])
    assert len(found) > 200  # the page was read
    crowded = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            down = min(a.y1, b.y1) - max(a.y0, b.y0)
            if across > 1 and down > 0.3 * min(a.y1 - a.y0, b.y1 - b.y0):
                crowded.append((a.text, b.text))
    assert crowded == []
