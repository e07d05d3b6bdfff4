"""TLS and login: STARTTLS is required when asked for and its certificate is
always checked; the SMTP login comes from the environment only.

The TLS server is aiosmtpd with a certificate made by openssl for this test;
the client trusts it only when SSL_CERT_FILE names it, as a user would point
OpenSSL at a private certificate authority.
"""

from __future__ import annotations

import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from mailing import people, run_mail, subscribers
from smtp_sink import SmtpSink, free_port

LOGIN = {"BROADSHEET_SMTP_USER": "editor", "BROADSHEET_SMTP_PASSWORD": "s3cret"}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    command += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(command, check=True, capture_output=True)
    return key, cert


class Recorder(Sink):
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((session.ssl is not None, envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def starttls_server(certificate):
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    recorder = Recorder()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=free_port(), tls_context=context, require_starttls=True
    )
    controller.start()
    yield controller, recorder
    controller.stop()


def test_starttls_with_a_trusted_certificate_sends_over_tls(
    mail_project, starttls_server, certificate, monkeypatch
):
    controller, recorder = starttls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))
    csv = subscribers(mail_project, people(2))
    server = f"{controller.hostname}:{controller.port}"
    run = run_mail(mail_project, "--to", str(csv), "--smtp", server, "--starttls", "--yes")
    assert run.code == 0, run.stderr
    assert recorder.messages == [(True, ["reader1@example.org"]), (True, ["reader2@example.org"])]


def test_an_untrusted_certificate_is_refused_not_ignored(
    mail_project, starttls_server, monkeypatch
):
    controller, recorder = starttls_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    csv = subscribers(mail_project, people(1))
    server = f"{controller.hostname}:{controller.port}"
    run = run_mail(mail_project, "--to", str(csv), "--smtp", server, "--starttls", "--yes")
    assert run.code == 1
    assert "TLS with 127.0.0.1" in run.stderr and "certificate verify failed" in run.stderr
    assert recorder.messages == []


def test_starttls_required_but_not_offered_sends_nothing(mail_project):
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        server = f"{sink.host}:{sink.port}"
        run = run_mail(mail_project, "--to", str(csv), "--smtp", server, "--starttls", "--yes")
    assert run.code == 1
    assert "does not offer STARTTLS, which is required" in run.stderr
    assert sink.received == [] and sink.rcpt_log == []


def test_the_login_comes_from_the_environment(mail_project):
    csv = subscribers(mail_project, people(1))
    with SmtpSink(auth=("editor", "s3cret")) as sink:
        server = f"{sink.host}:{sink.port}"
        run = run_mail(
            mail_project, "--to", str(csv), "--smtp", server, "--plain", "--yes", environ=LOGIN
        )
    assert run.code == 0, run.stderr
    assert [(a.login, a.success) for a in sink.auth_log] == [("editor", True)]
    assert len(sink.received) == 1


def test_a_refused_login_stops_the_run_and_marks_nobody(mail_project):
    csv = subscribers(mail_project, people(2))
    wrong = LOGIN | {"BROADSHEET_SMTP_PASSWORD": "wrong"}
    with SmtpSink(auth=("editor", "s3cret")) as sink:
        server = f"{sink.host}:{sink.port}"
        run = run_mail(
            mail_project, "--to", str(csv), "--smtp", server, "--plain", "--yes", environ=wrong
        )
    assert run.code == 1
    assert "refused the login: 535" in run.stderr
    assert sink.received == []
