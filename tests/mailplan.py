"""A small plan with a Trend history whose digest is worked out by hand, and the loopback SMTP
servers the send tests talk to (aiosmtpd, a self-signed certificate made here).

The plan, as of 2026-08-05 (goals run 2026-07-01 → 2026-09-09: 35 of 70 days, so 50 % of the
time has passed, on-track tolerance 10 pts, at-risk 25 pts):
- K1 Followers: baseline 1000, target 2000, latest actual 1300 → 30 %; 50 − 30 = 20 pts
  behind, inside 25 → At risk. Owner via goal G1: Ann.
- K2 Comments: target 500, current 120 → 24 %; 26 pts behind → Off track. Owner via G2: Bo.
- T1 due 2026-08-01, in progress → Overdue, 4 days late. T2 due 2026-08-10 → Due soon, in 5 d.
- Trend holds a snapshot of 2026-07-20 with K1 at 20 % On track and K2 at 24 % On track:
  both flipped; K1 moved 20 % → 30 % (+10 pts), K2 did not move.
"""

from __future__ import annotations

import socket
from datetime import date, datetime, timedelta
from pathlib import Path

from workbooks import in_chinese, minimal_plan, write_workbook

AS_OF = date(2026, 8, 5)
PASSWORD = "s3cret-Pa55w0rd!"
USER = "team@example.com"


def digest_plan(folder: Path, name: str = "plan.xlsx", *, zh: bool = False, **extra) -> Path:
    sheets = minimal_plan()
    sheets["Settings"] = [
        ["Key", "Value"],
        ["Plan name", "Q3 social"],
        ["As-of date", AS_OF],
        ["Total budget", 10000],
        ["Mail to", "ann@example.com, bo@example.com"],
    ]
    goals = sheets["Goals"]
    for row in goals[1:]:
        row[6] = date(2026, 9, 9)
    tactics = sheets["Tactics"]
    tactics[1][7] = date(2026, 8, 1)
    tactics[2][7] = date(2026, 8, 10)
    sheets["Actuals"] = [
        ["Date", "KPI ID", "Value", "Channel"],
        [date(2026, 7, 10), "K1", 1200, "Weibo"],
        [date(2026, 8, 1), "K1", 1300, "Weibo"],
    ]
    sheets.update(extra)
    if zh:
        sheets = in_chinese(sheets)
    sheets["趋势" if zh else "Trend"] = trend_sheet(zh)
    return write_workbook(folder / name, sheets)


def trend_sheet(zh: bool) -> list[list[object]]:
    if zh:
        header = ["统计日期", "类型", "ID", "名称", "实际值", "进度", "状态"]
        kpi, on_track = "指标", "正常"
    else:
        header = ["As-of date", "Type", "ID", "Name", "Actual", "Progress", "Status"]
        kpi, on_track = "KPI", "On track"
    day = date(2026, 7, 20)
    return [
        header,
        [day, kpi, "K1", "Followers", 1200, 0.2, on_track],
        [day, kpi, "K2", "Comments", 120, 0.24, on_track],
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day: (cert.pem, key.pem)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Recorder:
    """An aiosmtpd handler that keeps every message and refuses the addresses it is told to."""

    def __init__(self, refuse: tuple[str, ...] = ()):
        self.refuse = refuse
        self.received: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535
