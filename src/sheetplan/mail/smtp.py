"""Hand one message to an SMTP server, all or nothing, with one line per failure.

Certificates are verified (`ssl.create_default_context()`; smtplib alone would not). Every
recipient is offered before any data is sent: if the server refuses one, the transaction is
reset and nobody gets the mail. The password is never part of an error line.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses

from .. import labels
from ..errors import FileError
from ..labels import Lang

DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class MailError(FileError):
    """The server could not take the message (exit 3): nothing was sent."""


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    tls: str = "starttls"
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"

    def __repr__(self) -> str:  # never show the password, even in a traceback
        return f"Server({self.name!r}, tls={self.tls!r}, user={self.user!r})"


def parse_server(text: str, tls: str, lang: Lang) -> tuple[str, int]:
    """`host:port` or `host` (the port then follows --tls); `[::1]:25` for IPv6."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or "]" in port:
        host, port = text.strip(), ""
    host = host.strip("[]")
    if not host or (port and not port.isdigit()):
        raise MailError(labels.text("mail.error.bad_server", lang, server=text))
    return host, int(port) if port else DEFAULT_PORTS[tls]


def deliver(message: EmailMessage, server: Server, lang: Lang) -> int:
    """Send `message` to every To and Cc address; return how many recipients accepted it."""
    recipients = [a for _, a in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))]
    sender = _envelope_sender(message, server)
    try:
        with _connect(server) as smtp:
            if server.user:
                _login(smtp, server, lang)
            smtp.ehlo_or_helo_if_needed()
            international = not all(a.isascii() for a in (sender, *recipients))
            if international and not smtp.has_extn("smtputf8"):
                raise _error("server", server, lang, reason=_t("no_smtputf8", lang))
            options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
            code, reply = smtp.mail(sender, options)
            if code != 250:
                smtp.rset()
                raise _error("server", server, lang, reason=_reply(code, reply, server))
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    smtp.rset()
                    raise _error(
                        "recipient",
                        server,
                        lang,
                        address=address,
                        reason=_reply(code, reply, server),
                    )
            wire = message.policy.clone(linesep="\r\n", utf8=international)
            code, reply = smtp.data(message.as_bytes(policy=wire))
            if code != 250:
                raise _error("server", server, lang, reason=_reply(code, reply, server))
    except MailError:
        raise
    except ssl.SSLError as error:
        raise _error("tls", server, lang, reason=_clean(error.reason or error, server)) from None
    except smtplib.SMTPNotSupportedError:
        raise _error("no_starttls", server, lang) from None
    except ConnectionRefusedError:
        raise _error("refused", server, lang) from None
    except TimeoutError:
        raise _error("timeout", server, lang, seconds=f"{server.timeout:g}") from None
    except smtplib.SMTPServerDisconnected as error:
        if isinstance(error.__context__, TimeoutError):
            raise _error("timeout", server, lang, seconds=f"{server.timeout:g}") from None
        raise _error("unreachable", server, lang, reason=_clean(error, server)) from None
    except smtplib.SMTPResponseException as error:
        reason = _reply(error.smtp_code, error.smtp_error, server)
        raise _error("server", server, lang, reason=reason) from None
    except (smtplib.SMTPException, OSError) as error:
        raise _error("unreachable", server, lang, reason=_clean(error, server)) from None
    return len(recipients)


def _connect(server: Server) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if server.tls == "ssl":
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    if server.tls == "starttls":
        try:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError
            smtp.starttls(context=context)
            smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
    return smtp


def _login(smtp: smtplib.SMTP, server: Server, lang: Lang) -> None:
    try:
        smtp.login(server.user, server.password or "")
    except smtplib.SMTPAuthenticationError as error:
        reason = _reply(error.smtp_code, error.smtp_error, server)
        raise _error("login", server, lang, user=server.user, reason=reason) from None
    except smtplib.SMTPNotSupportedError:
        reason = _t("no_auth", lang)
        raise _error("login", server, lang, user=server.user, reason=reason) from None


def _envelope_sender(message: EmailMessage, server: Server) -> str:
    found = getaddresses(message.get_all("From", []))
    if found and found[0][1]:
        return found[0][1]
    return server.user if server.user and "@" in server.user else ""


def _t(key: str, lang: Lang) -> str:
    return labels.text(f"mail.reason.{key}", lang)


def _error(kind: str, server: Server, lang: Lang, **values: object) -> MailError:
    return MailError(labels.text(f"mail.error.{kind}", lang, server=server.name, **values))


def _reply(code: int, reply: bytes | str, server: Server) -> str:
    words = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return _clean(f"{code} {' '.join(words.split())}", server)


def _clean(error: object, server: Server) -> str:
    """An error's text on one line, with the password blanked out should a server echo it."""
    words = " ".join(str(error).split()) or type(error).__name__
    if server.password:
        words = words.replace(server.password, "***")
    return words
