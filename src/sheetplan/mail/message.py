"""One MIME message: text and HTML alternatives, the chart inline by Content-ID, the workbook
attached under its own name.

Shape (research/mail-imports.md A1): multipart/mixed[ alternative[ text, related[ html, png ] ],
workbook ]. The chart is `inline` without a file name so no client lists it as an attachment.
A non-ASCII workbook name is written the RFC 2231 way (`filename*=utf-8''…`), which Python's
email package does by itself.
"""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from . import render
from .digest import Digest

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
XLSM = ("application", "vnd.ms-excel.sheet.macroEnabled.12")


def build(
    digest: Digest,
    workbook: Path,
    *,
    sender: str | None,
    to: list[str],
    cc: list[str],
    chart: bytes | None,
    draft: bool = False,
) -> EmailMessage:
    """The message; a `draft` carries `X-Unsent: 1` and no Date or Message-ID, so Outlook and
    Thunderbird open it as a new message ready to send."""
    message = EmailMessage()
    message["Subject"] = digest.subject
    if sender:
        message["From"] = sender
    if to:
        message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    if draft:
        message["X-Unsent"] = "1"
    else:
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain=_domain(sender))
    message["Content-Language"] = "zh-CN" if digest.lang == "zh" else "en"
    cid = make_msgid(idstring="chart", domain="sheetplan") if chart else None
    message.set_content(render.text(digest))
    message.add_alternative(render.html(digest, cid[1:-1] if cid else None), subtype="html")
    if chart and cid:
        html_part = message.get_payload()[1]
        html_part.add_related(chart, "image", "png", cid=cid, disposition="inline")
    maintype, subtype = XLSM if workbook.suffix.lower() == ".xlsm" else XLSX
    message.add_attachment(workbook.read_bytes(), maintype, subtype, filename=workbook.name)
    return message


def _domain(sender: str | None) -> str:
    if sender and "@" in sender:
        try:
            return Address(addr_spec=sender).domain or "sheetplan"
        except (ValueError, IndexError):
            return "sheetplan"
    return "sheetplan"
