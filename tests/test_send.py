"""`sheetplan send` through real SMTP servers on loopback (aiosmtpd): plain, STARTTLS and
implicit TLS with a certificate made here, AUTH accepted and refused, a server that never
answers, a refused recipient; the received message parsed back. Expected lines are worked
out by hand in mailplan.py."""

from __future__ import annotations

import email
import socket
import warnings
from email import policy
from pathlib import Path

import pytest

from sheetplan import mail
from sheetplan.mail.smtp import MailError, Server

from mailplan import PASSWORD, USER, Recorder, authenticator, digest_plan, free_port, self_signed

pytest.importorskip("aiosmtpd")


@pytest.fixture(autouse=True)
def no_mail_settings_from_the_machine(monkeypatch):
    for name in ("SHEETPLAN_SMTP", "SHEETPLAN_SMTP_USER", "SHEETPLAN_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SHEETPLAN_MAIL_FROM", raising=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(certificate, monkeypatch) -> None:
    """The client trusts the test certificate the way a user's machine trusts a real one:
    through the default verify paths (SSL_CERT_FILE), not by turning verification off."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.fixture
def smtp_server(certificate):
    """start(mode, auth=False, refuse=()) → (handler, "127.0.0.1:port"); stopped after the test."""
    import ssl

    from aiosmtpd.controller import Controller

    running = []

    def start(mode: str = "none", *, auth: bool = False, refuse: tuple[str, ...] = ()):
        handler = Recorder(refuse)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*certificate)
        options: dict = {"hostname": "127.0.0.1", "port": free_port()}
        if mode == "starttls":
            options |= {"tls_context": context, "require_starttls": True}
        elif mode == "ssl":
            options |= {"ssl_context": context}
        if auth:
            options |= {
                "authenticator": authenticator,
                "auth_require_tls": mode != "none",
            }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # aiosmtpd warns about AUTH without TLS on purpose
            controller = Controller(handler, **options)
            controller.start()
        running.append(controller)
        return handler, f"127.0.0.1:{options['port']}"

    yield start
    for controller in running:
        controller.stop()


def parsed(envelope) -> email.message.EmailMessage:
    return email.message_from_bytes(envelope.original_content, policy=policy.default)


def test_plain_relay_delivers_the_digest_and_the_workbook(tmp_path, run_cli, smtp_server):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("none")
    result = run_cli("send", plan, "--smtp", server, "--tls", "none", catch=False)
    assert result.exit_code == 0, result.output
    assert result.output == f"Sent “Q3 social — 2026-08-05” to 2 recipient(s) through {server}.\n"
    (envelope,) = handler.received
    assert envelope.rcpt_tos == ["ann@example.com", "bo@example.com"]
    message = parsed(envelope)
    assert message["Subject"] == "Q3 social — 2026-08-05"
    assert message["X-Unsent"] is None and message["Message-ID"] and message["Date"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Followers: On track → At risk" in body
        assert "Comments: On track → Off track" in body
        assert "Followers: 20% → 30% (+10 pts)" in body
        assert "-26 pts" in body and "-20 pts" in body
        assert "4 d late" in body and "in 5 d" in body
    assert "Comments | Bo | 24% | 50% | -26 pts | Off track" in text
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    (image,) = images
    assert image.get_content_disposition() == "inline"
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "plan.xlsx"
    assert attachment.get_content() == plan.read_bytes()
    assert "<script" not in html.lower() and "http://" not in html and "https://" not in html
    assert len(html.encode()) < 100_000


def test_starttls_with_login(tmp_path, run_cli, smtp_server, trusted, monkeypatch):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("starttls", auth=True)
    monkeypatch.setenv("SHEETPLAN_SMTP", server)
    monkeypatch.setenv("SHEETPLAN_SMTP_USER", USER)
    monkeypatch.setenv("SHEETPLAN_SMTP_PASSWORD", PASSWORD)
    result = run_cli("send", plan, "--to", "lead@example.com", "--cc", "x@example.com", catch=False)
    assert result.exit_code == 0, result.output
    (envelope,) = handler.received
    assert envelope.mail_from == USER
    assert envelope.rcpt_tos == ["lead@example.com", "x@example.com"]
    assert parsed(envelope)["Cc"] == "x@example.com"


def test_implicit_tls(tmp_path, run_cli, smtp_server, trusted):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("ssl")
    result = run_cli("send", plan, "--smtp", server, "--tls", "ssl", catch=False)
    assert result.exit_code == 0, result.output
    assert len(handler.received) == 1


def test_an_untrusted_certificate_is_refused(tmp_path, run_cli, smtp_server):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("ssl")
    result = run_cli("send", plan, "--smtp", server, "--tls", "ssl")
    assert result.exit_code == 3
    assert result.stderr.startswith(f"sheetplan: {server}: TLS failed (CERTIFICATE_VERIFY_FAILED")
    assert result.stderr.count("\n") == 1
    assert handler.received == []


def test_login_refused(tmp_path, run_cli, smtp_server, trusted, monkeypatch):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("starttls", auth=True)
    monkeypatch.setenv("SHEETPLAN_SMTP_PASSWORD", "wrong")
    result = run_cli("send", plan, "--smtp", server, "--user", USER)
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: {server}: login rejected for {USER} (535 5.7.8 Authentication credentials"
        " invalid). Nothing was sent.\n"
    )
    assert handler.received == []


def test_a_refused_recipient_sends_to_nobody(tmp_path, run_cli, smtp_server):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("none", refuse=("bo@example.com",))
    result = run_cli("send", plan, "--smtp", server, "--tls", "none")
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: {server}: recipient bo@example.com refused (550 5.1.1 mailbox"
        " unavailable). Nothing was sent.\n"
    )
    assert handler.received == []


def test_starttls_asked_of_a_server_without_it(tmp_path, run_cli, smtp_server):
    plan = digest_plan(tmp_path)
    _, server = smtp_server("none")
    result = run_cli("send", plan, "--smtp", server)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"sheetplan: {server}: the server does not offer STARTTLS")


def test_connection_refused(tmp_path, run_cli):
    plan = digest_plan(tmp_path)
    server = f"127.0.0.1:{free_port()}"
    result = run_cli("send", plan, "--smtp", server, "--tls", "none")
    assert result.exit_code == 3
    assert result.stderr == (
        f"sheetplan: {server}: connection refused — is the server name and port right?"
        " Nothing was sent.\n"
    )


def test_a_server_that_never_answers_times_out(tmp_path):
    plan = digest_plan(tmp_path)
    with socket.socket() as silent:  # accepts connections (the kernel does) and says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        composed = mail.compose(plan)
        with pytest.raises(MailError) as raised:
            mail.send(composed, Server("127.0.0.1", port, "none", timeout=0.3))
    assert str(raised.value) == (
        f"127.0.0.1:{port}: no answer within 0.3 s — check the address and the network."
        " Nothing was sent."
    )
    assert raised.value.exit_code == 3


def test_no_recipients(tmp_path, run_cli):
    plan = digest_plan(tmp_path, Settings=[["Key", "Value"], ["Plan name", "Q3"]])
    result = run_cli("send", plan, "--smtp", "127.0.0.1:1", "--tls", "none")
    assert result.exit_code == 1
    assert result.stderr == (
        'sheetplan: plan.xlsx: no recipients — give --to or fill the "Mail to" setting.\n'
    )


def test_no_server(tmp_path, run_cli):
    result = run_cli("send", digest_plan(tmp_path))
    assert result.exit_code == 3
    assert "no SMTP server" in result.stderr


def test_a_plan_with_errors_sends_with_a_warning_unless_strict(tmp_path, run_cli, smtp_server):
    bad_kpis = [
        ["ID", "Goal ID", "Level", "KPI", "Unit", "Baseline", "Target", "Aggregation", "Current"],
        ["K1", "G1", "Strategic", "Followers", "count", 1000, 2000, "latest", None],
        ["K2", "G9", "Tactical", "Comments", "count", 0, 500, "sum", 120],
    ]
    plan = digest_plan(tmp_path, KPIs=bad_kpis)
    handler, server = smtp_server("none")
    strict = run_cli("send", plan, "--smtp", server, "--tls", "none", "--strict")
    assert strict.exit_code == 1
    assert "--strict is set; nothing was sent" in strict.stderr
    assert handler.received == []
    result = run_cli("send", plan, "--smtp", server, "--tls", "none")
    assert result.exit_code == 0, result.output
    text = parsed(handler.received[0]).get_body(("plain",)).get_content()
    assert "This plan has 1 data error(s)" in text


def test_dry_run_prints_who_would_get_what(tmp_path, run_cli):
    plan = digest_plan(tmp_path)
    size = round(plan.stat().st_size / 1024)
    result = run_cli("send", plan, "--dry-run", "--cc", "x@example.com", "--smtp", "mx:25")
    assert result.exit_code == 0
    assert result.output == (
        "Would send “Q3 social — 2026-08-05” to ann@example.com, bo@example.com; cc x@example.com,"
        f" with plan.xlsx ({size} KB) attached, through mx:25.\n"
    )


def test_a_bad_address_is_named(tmp_path, run_cli):
    result = run_cli("send", digest_plan(tmp_path), "--to", "ann@example.com, bo", "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == 'sheetplan: plan.xlsx: "bo" is not an e-mail address.\n'


def test_save_eml_writes_an_unsent_draft(tmp_path, run_cli):
    plan = digest_plan(tmp_path, "计划.xlsx", zh=True)
    draft = tmp_path / "draft.eml"
    result = run_cli("send", plan, "--save-eml", draft, catch=False)
    assert result.exit_code == 0
    raw = draft.read_bytes()
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["Date"] is None and message["Message-ID"] is None
    assert message["To"] == "ann@example.com, bo@example.com"
    assert message["Subject"] == "Q3 social — 2026-08-05"
    assert "Followers：正常 → 有风险" in message.get_body(("plain",)).get_content()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "计划.xlsx"
    assert "filename*=utf-8''%E8%AE%A1%E5%88%92.xlsx" in raw.decode()
    assert attachment.get_content() == plan.read_bytes()


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("社媒计划.xlsx", "filename*=utf-8''%E7%A4%BE%E5%AA%92%E8%AE%A1%E5%88%92.xlsx"),
        ("2026年第三季度社交媒体营销计划.xlsx", "filename*0*=utf-8''"),
    ],
)
def test_chinese_attachment_names_use_rfc_2231(tmp_path, name, raw):
    """Short names fit one `filename*=`; a long one is split into RFC 2231 continuations,
    which Python reads back whole (README: keep names short for older Outlook)."""
    plan = digest_plan(tmp_path, name)
    message = mail.compose(plan, chart=False).message
    serialised = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    (attachment,) = list(serialised.iter_attachments())
    header = (
        attachment["Content-Disposition"].as_raw()
        if hasattr(attachment["Content-Disposition"], "as_raw")
        else str(attachment["Content-Disposition"])
    )
    assert raw in message.as_string()
    assert attachment.get_filename() == name
    assert header


def test_the_password_never_shows(tmp_path, run_cli, smtp_server, trusted, monkeypatch):
    """Every way send can end, with the password set: not in stdout, stderr or the draft."""
    plan = digest_plan(tmp_path)
    monkeypatch.setenv("SHEETPLAN_SMTP_PASSWORD", PASSWORD)
    _, good = smtp_server("starttls", auth=True)
    _, plain = smtp_server("none", refuse=("bo@example.com",))
    draft = tmp_path / "d.eml"
    runs = [
        ("--smtp", good, "--user", USER),
        ("--smtp", good, "--user", "someone@example.com"),
        ("--smtp", plain, "--tls", "none", "--user", USER),
        ("--smtp", plain, "--tls", "none"),
        ("--smtp", f"127.0.0.1:{free_port()}", "--user", USER),
        ("--smtp", good, "--user", USER, "--dry-run"),
        ("--save-eml", draft),
        ("--debug", "--smtp", good, "--user", "someone@example.com"),
    ]
    seen = []
    for args in runs:
        result = run_cli(
            *(
                ["send", plan, *args]
                if args[0] != "--debug"
                else ["--debug", "send", plan, *args[1:]]
            )
        )
        seen.append(result.output + result.stderr)
    seen.append(draft.read_bytes().decode("utf-8", "replace"))
    assert all(PASSWORD not in text for text in seen)
    assert any("login rejected" in text for text in seen)


def test_a_chinese_address_goes_through_smtputf8(tmp_path, run_cli, smtp_server):
    plan = digest_plan(tmp_path)
    handler, server = smtp_server("none")
    result = run_cli("send", plan, "--to", "张三@例子.中国", "--smtp", server, "--tls", "none")
    assert result.exit_code == 0, result.output
    (envelope,) = handler.received
    assert envelope.rcpt_tos == ["张三@例子.中国"] and envelope.smtp_utf8
    assert parsed(envelope)["To"] == "张三@例子.中国"
