"""The digest's HTML opened in a real browser (headless Chromium) at 600 px, as a recipient
would see it: it renders, nothing is wider than the mail, and the hand-worked numbers
(mailplan.py) are in the page's text. Skips with a reason without Chromium; fails in CI."""

from __future__ import annotations

import email
import shutil
import struct
import subprocess
from email import policy
from pathlib import Path

import pytest

from sheetplan import mail

from conftest import skip_or_fail
from mailplan import digest_plan

MEASURE = (
    "<script>document.body.setAttribute('data-width', "
    "document.documentElement.scrollWidth)</script></body>"
)
"""Added to the test's copy only (the mail has no script): the page's real rendered width."""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    skip_or_fail("Chromium is not installed (Debian: apt-get install chromium)")
    raise AssertionError  # unreachable


def page_from(message, folder: Path) -> Path:
    """The HTML body with its cid: image pointing at a file beside it, as a client shows it."""
    html = message.get_body(("html",)).get_content()
    for part in message.walk():
        if part["Content-ID"]:
            (folder / "chart.png").write_bytes(part.get_content())
            html = html.replace("cid:" + part["Content-ID"].strip("<>"), "chart.png")
    page = folder / "mail.html"
    page.write_text(html, encoding="utf-8")
    return page


def run(browser: str, *args: str) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio"]
    done = subprocess.run(
        [browser, *flags, *args], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


@pytest.mark.parametrize(
    ("zh", "expected"),
    [
        (False, ["Q3 social", "-26 pts", "-20 pts", "24%", "30%", "50%", "4 d late", "in 5 d",
                 "Followers: On track → At risk", "$10,000"]),
        (True, ["Q3 social", "-26 个百分点", "-20 个百分点", "24%", "30%", "逾期 4 天", "5 天后",
                "Followers：正常 → 有风险", "落后或有风险的指标"]),
    ],
)  # fmt: skip
def test_digest_renders_at_600_px(tmp_path, zh, expected):
    browser = chromium()
    plan = digest_plan(tmp_path, zh=zh)
    built = mail.compose(plan).message
    message = email.message_from_bytes(built.as_bytes(), policy=policy.default)
    page = page_from(message, tmp_path)
    shot = tmp_path / "shot.png"
    run(browser, "--window-size=600,1400", f"--screenshot={shot}", page.as_uri())
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert (width, height) == (600, 1400)
    assert shot.stat().st_size > 20_000  # a page with text and a chart, not a blank frame
    measured = tmp_path / "measured.html"
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE))
    dom = run(browser, "--window-size=600,1400", "--dump-dom", measured.as_uri())
    assert 'data-width="600"' in dom
    for text in expected:
        assert text in dom, text
