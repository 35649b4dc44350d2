"""`sheetplan send`: the monthly digest (HTML, plain text, a chart) → one message → SMTP or .eml.

digest.py gathers what the mail says from the engine's results and the Trend history;
render.py turns it into HTML and text; chart.py draws the PNG; message.py assembles the MIME
message; smtp.py sends it. Nothing here prints or imports Click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path

from .. import labels
from ..errors import InputError
from ..labels import Lang


@dataclass(frozen=True)
class Composed:
    """The message and what the CLI reports about it."""

    message: EmailMessage
    subject: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    language: Lang
    errors: int
    attachment: Path


def compose(
    path: Path | str,
    *,
    to: list[str] | None = None,
    cc: list[str] | None = None,
    as_of: date | None = None,
    sender: str | None = None,
    draft: bool = False,
    strict: bool = False,
    chart: bool = True,
) -> Composed:
    """Read the plan, build the digest and the message (nothing is sent here).

    Args:
        path: the (refreshed) workbook; it is attached as it is on disk.
        to, cc: addresses; `to` defaults to the plan's `Mail to` setting.
        as_of: the date to report on (default: Settings, then today).
        sender: the From address (optional for a draft).
        draft: build a draft (`X-Unsent: 1`, no Date or Message-ID) for --save-eml.
        strict: refuse a plan with data errors instead of sending it with a warning.

    Raises:
        InputError: unreadable plan, no recipients, a malformed address, or errors with strict.
    """
    from ..api import summarize
    from . import digest, message

    path = Path(path)
    loaded, results = summarize(path, as_of=as_of)
    lang = loaded.language
    errors = sum(1 for p in loaded.problems if p.severity.value == "error")
    if strict and errors:
        raise InputError(labels.text("mail.error.strict", lang, file=path.name, count=errors))
    to_list = _addresses(to if to else list(loaded.plan.settings.mail_to), path, lang)
    cc_list = _addresses(cc or [], path, lang)
    if not to_list and not draft:
        raise InputError(labels.text("mail.error.no_recipients", lang, file=path.name))
    d = digest.build(loaded, results, path.name)
    png = None
    if chart and d.bars:
        from .chart import render_png

        png = render_png(d.bars, lang)
    built = message.build(d, path, sender=sender, to=to_list, cc=cc_list, chart=png, draft=draft)
    return Composed(built, d.subject, tuple(to_list), tuple(cc_list), lang, errors, path)


def _addresses(items: list[str], path: Path, lang: Lang) -> list[str]:
    """Comma-separated addresses, split and checked (`Name <a@b>` is kept as written)."""
    out = []
    for item in items:
        for part in _split(item):
            pairs = getaddresses([part])
            address = pairs[0][1] if len(pairs) == 1 else ""
            local, at, domain = address.rpartition("@")
            if not (local and at and "." in domain.strip(".")) or " " in address:
                raise InputError(
                    labels.text("mail.error.bad_address", lang, file=path.name, address=part)
                )
            out.append(part)
    return out


def _split(text: str) -> list[str]:
    for separator in ("；", "，", ";"):
        text = text.replace(separator, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def server(text: str | None, tls: str, user: str | None, lang: Lang, *, required: bool = True):
    """The SMTP server from --smtp / SHEETPLAN_SMTP, with the password from the environment
    (SHEETPLAN_SMTP_PASSWORD only); None when not set and not `required`."""
    import os

    from .smtp import MailError, Server, parse_server

    if not text:
        if required:
            raise MailError(labels.text("mail.error.no_server", lang))
        return None
    host, port = parse_server(text, tls, lang)
    password = os.environ.get("SHEETPLAN_SMTP_PASSWORD") or None
    found = Server(host, port, tls, user, password)
    if user and password is None and required:
        raise MailError(labels.text("mail.error.no_password", lang, server=found.name))
    return found


def send(composed: Composed, server) -> int:
    """Hand the message to the server; the number of recipients who accepted it.

    Raises:
        MailError: refused, timed out, TLS or login failed, a recipient refused (nothing sent).
    """
    from .smtp import deliver

    return deliver(composed.message, server, composed.language)


def save_draft(composed: Composed, target: Path | str) -> Path:
    """Write the draft .eml (CRLF line ends, as RFC 5322 wants and mail programs expect)."""
    from email import policy

    from ..errors import FileError

    target = Path(target)
    try:
        target.write_bytes(composed.message.as_bytes(policy=policy.SMTP))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise FileError(
            labels.text("mail.error.save", composed.language, file=target, reason=reason)
        ) from None
    return target


def dry_run_line(composed: Composed, server) -> str:
    """`Would send "…" to a@x, b@y; cc c@z, with plan.xlsx (48 KB) attached, through host:587.`"""
    lang = composed.language
    size = composed.attachment.stat().st_size
    cc = labels.text("mail.dry_run_cc", lang, cc=", ".join(composed.cc)) if composed.cc else ""
    return labels.text(
        "mail.dry_run",
        lang,
        subject=composed.subject,
        to=", ".join(composed.to) or "—",
        cc=cc,
        file=composed.attachment.name,
        size=f"{max(1, round(size / 1024))} KB",
        server=server.name if server else labels.text("mail.no_server", lang),
    )
