"""What `broadsheet mail` refuses before it connects to anything: a bad
subscriber list, text that could add a header, a send nobody confirmed; and
the DKIM signature it adds, verified offline, over the unsubscribe headers."""

from __future__ import annotations

import shutil

import dkim
import pytest
from mailing import dkim_key_pair, parsed, people, run_mail, smtp_args, subscribers
from smtp_sink import SmtpSink

SECRET = {"BROADSHEET_UNSUBSCRIBE_SECRET": "a secret"}  # the list has no token column


def write_csv(mail_project, text: str):
    path = mail_project / "list.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


# -- the subscriber list ------------------------------------------------------------------


def test_every_bad_address_is_a_located_error_and_nothing_is_sent(mail_project):
    csv = write_csv(
        mail_project,
        "email,name\n"
        "ok@example.org,Fine\n"
        '"""a@example.org"" <b@evil.example>",Display name trick\n'
        "a@example.org@evil.example,Two ats\n"
        '"a@example.org, b@example.org",Two addresses\n'
        "not-an-address,Nothing\n",
    )
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), environ=SECRET)
    assert run.code == 1
    lines = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error:")[0] for line in lines] == [
        f"{csv}:3",
        f"{csv}:4",
        f"{csv}:5",
        f"{csv}:6",
    ]
    assert sink.connections == 0


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('email,name\n"ok@example.org,Ann\nb@example.org,Bob\n', 2, "a quote left open"),
        ("email,name\nok@example.org," + "x" * 200_000 + "\n", 2, "longer than 131,072"),
        ("email," + "x" * 200_000 + "\nok@example.org,Ann\n", 1, "longer than 131,072"),
    ],
    ids=["stray quote", "huge field", "huge header"],
)
def test_a_list_the_csv_reader_chokes_on_is_a_located_error(mail_project, text, line, words):
    csv = write_csv(mail_project, text)
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), environ=SECRET)
    assert run.code == 1, run.stderr
    assert f"{csv}:{line}: error: " in run.stderr and words in run.stderr, run.stderr
    assert "internal error" not in run.stderr
    assert sink.connections == 0


def test_an_international_sender_domain_goes_out_in_its_ascii_form(mail_project, tmp_path):
    csv = write_csv(mail_project, "email\nada@example.org\n")
    out = tmp_path / "out"
    run = run_mail(
        mail_project,
        "--to", str(csv), "--dry-run", str(out), "--from", "news@bücher.example",
        environ=SECRET,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    message = parsed(next(out.iterdir()).read_bytes())
    assert message["From"].addresses[0].addr_spec == "news@xn--bcher-kva.example"
    assert message["Message-ID"].endswith("@xn--bcher-kva.example>")


def test_a_repeated_address_is_sent_once_with_a_warning(mail_project, tmp_path):
    csv = write_csv(mail_project, "email,name\nada@example.org,Ada\nADA@example.org,Ada again\n")
    run = run_mail(
        mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"), environ=SECRET
    )
    assert run.code == 0
    assert f"{csv}:3: warning: ADA@example.org again (first on line 2): sent once" in run.stderr
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_a_list_without_an_email_column_is_refused(mail_project):
    csv = write_csv(mail_project, "address,name\nada@example.org,Ada\n")
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", "out")
    assert run.code == 1
    assert f"{csv}:1: error: the first row must name an 'email' column" in run.stderr


# -- header injection ---------------------------------------------------------------------

INJECTIONS = [
    "Eve\r\nBcc: spy@evil.example",
    "Eve\nBcc: spy@evil.example",
    "Eve\rBcc: spy@evil.example",
    "Eve\n",
    "Eve\x00",
    "Eve\u2028Bcc: spy@evil.example",
    "Eve\u0085Bcc: spy@evil.example",
    "=?UTF-8?Q?Eve=0ABcc=3A_spy=40evil=2Eexample?=",
]


@pytest.mark.parametrize("name", INJECTIONS)
def test_a_name_that_could_add_a_header_is_refused(mail_project, name):
    quoted = '"' + name.replace('"', '""') + '"'
    csv = write_csv(mail_project, f"email,name\nok@example.org,Fine\neve@example.org,{quoted}\n")
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), environ=SECRET)
    assert run.code == 1
    assert f"{csv}:3: error: " in run.stderr
    assert sink.connections == 0 and sink.received == []


# As written in YAML's double quotes: each escape is the character itself in the subject.
SUBJECTS = [
    "News\\r\\nBcc: spy@evil.example",
    "News\\nBcc: spy@evil.example",
    "News\\rBcc: spy@evil.example",
    "News\\0",
    "News\\u2028Bcc: spy@evil.example",
    "News\\x85Bcc: spy@evil.example",
    "=?UTF-8?Q?a=0Ab?=",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_that_could_add_a_header_is_refused(mail_project, subject):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(
        text.replace('subject: "{name} No. {number}: {date}"', f'subject: "{subject}"'),
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    # Control characters are refused at the subject's line by validation; the
    # rest by the mail's own header check.
    refused = "the subject" in run.stderr and "is refused" in run.stderr
    line = 1 + text[: text.index("subject:")].count("\n")
    located = f"newsletter.yaml:{line}:12: error: mail.subject: character 5 is"
    assert refused or located in run.stderr
    assert sink.connections == 0


def test_names_with_commas_quotes_and_accents_arrive_as_one_recipient(mail_project):
    names = ['Doe, Jane "JD"', "Zoë Ångström", "O'Brien <not an address>"]
    rows = "".join(
        f'r{n}@example.org,"{name.replace(chr(34), chr(34) * 2)}"\n' for n, name in enumerate(names)
    )
    csv = write_csv(mail_project, "email,name\n" + rows)
    with SmtpSink() as sink:
        assert run_mail(mail_project, "--to", str(csv), *smtp_args(sink), environ=SECRET).code == 0
    for n, (name, message) in enumerate(zip(names, sink.received, strict=True)):
        mail = parsed(message.data)
        (to,) = mail["To"].addresses
        assert (to.display_name, to.addr_spec) == (name, f"r{n}@example.org")
        assert message.rcpt_tos == [f"r{n}@example.org"]
        assert mail.get_all("Bcc") is None and mail.get_all("Cc") is None


# -- asking first -------------------------------------------------------------------------


def test_a_real_send_without_yes_and_without_a_terminal_is_refused(mail_project):
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        run = run_mail(
            mail_project, "--to", str(csv), "--smtp", f"{sink.host}:{sink.port}", "--plain"
        )
    assert run.code == 2
    assert "add --yes to send without a terminal to ask on" in run.stderr
    assert sink.connections == 0


def test_no_sender_and_no_server_are_clear_errors(mail_project, tmp_path):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(text[: text.index("\nmail:") + 1], encoding="utf-8")
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 1 and "no sender: give --from" in run.stderr
    run = run_mail(mail_project, "--to", str(csv), "--from", "news@example.org", "--yes")
    assert run.code == 1 and "no SMTP server: give --smtp" in run.stderr


# -- DKIM -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dkim_key(tmp_path_factory):
    """An RSA key pair: the private PEM and the DNS record's p=."""
    return dkim_key_pair(tmp_path_factory.mktemp("dkim"))


def test_dkim_signs_the_unsubscribe_headers_and_verifies_offline(mail_project, dkim_key):
    private, public = dkim_key
    shutil.copyfile(private, mail_project / "issues" / "dkim.pem")
    newsletter = mail_project / "issues" / "newsletter.yaml"
    newsletter.write_text(
        newsletter.read_text(encoding="utf-8")
        + "  dkim:\n    selector: news2026\n    key: dkim.pem\n",
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(2))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 0, run.stderr

    def dns(name, timeout=5):
        assert name == b"news2026._domainkey.lanternhill.example."
        return b"v=DKIM1; k=rsa; p=" + public

    for message in sink.received:
        signature = parsed(message.data)["DKIM-Signature"]
        signed = {h.strip() for h in signature.split("h=")[1].split(";")[0].split(":")}
        assert {"list-unsubscribe", "list-unsubscribe-post", "from", "to"} <= signed
        assert dkim.verify(message.data, dnsfunc=dns)
        for header, forged in (
            (b"List-Unsubscribe: <https:", b"List-Unsubscribe: <http:"),
            (b"List-Unsubscribe-Post: List-Unsubscribe=One-Click", b"List-Unsubscribe-Post: x"),
        ):
            assert header in message.data
            assert not dkim.verify(message.data.replace(header, forged, 1), dnsfunc=dns)


@pytest.mark.parametrize(
    "selector", ["news\r\nBcc: spy@evil.example", "news; d=evil.example", "news\nX: y"]
)
def test_a_dkim_selector_from_the_environment_cannot_add_a_header(mail_project, dkim_key, selector):
    """`check` never sees the environment: the selector is checked by its own
    syntax where it is read, and nothing is sent."""
    private, _ = dkim_key
    environ = SECRET | {"BROADSHEET_DKIM_KEY": str(private), "BROADSHEET_DKIM_SELECTOR": selector}
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), environ=environ)
    assert run.code == 1, run.stderr
    assert "BROADSHEET_DKIM_SELECTOR: expected dot-separated letters" in run.stderr
    assert sink.connections == 0


def test_every_signed_message_is_read_back_after_signing(mail_project, dkim_key, tmp_path):
    """The signed message is what goes out: it is parsed back with its
    DKIM-Signature, which must be one header and the only new one."""
    private, _ = dkim_key
    environ = SECRET | {"BROADSHEET_DKIM_KEY": str(private), "BROADSHEET_DKIM_SELECTOR": "n1"}
    csv = subscribers(mail_project, people(2))
    out = tmp_path / "out"
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(out), environ=environ)
    assert run.code == 0, run.stderr
    for eml in out.iterdir():
        message = parsed(eml.read_bytes())
        assert len(message.get_all("DKIM-Signature")) == 1
        assert message.get_all("Bcc") is None


def test_a_subject_template_fills_only_its_three_placeholders(mail_project, tmp_path):
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(
        text.replace('"{name} No. {number}: {date}"', '"{name.__class__.__mro__}"'),
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "out"))
    assert run.code == 1
    assert "mail.subject: use only {name}, {number} and {date}" in run.stderr


def test_a_sender_that_is_not_one_address_is_refused(mail_project, tmp_path):
    csv = subscribers(mail_project, people(1))
    bad = "news@example.org, spy@evil.example"
    run = run_mail(mail_project, "--to", str(csv), "--from", bad, "--dry-run", str(tmp_path))
    assert run.code == 1
    assert f"the sender {bad!r}" in run.stderr


def test_a_newsletter_name_that_could_add_a_header_is_refused(mail_project):
    """The name reaches From, List-Id and the PDF's file name."""
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(
        text.replace("name: The Lantern", 'name: "The Lantern\\u2028Bcc: spy@evil.example"'),
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
    assert run.code == 1
    refused = "the sender's name 'The Lantern\\u2028Bcc: spy@evil.example' is refused"
    assert refused in run.stderr  # as Python writes it, the separator shown, not obeyed
    assert sink.connections == 0


def test_a_trailing_line_break_in_the_subject_is_trimmed_not_sent(mail_project):
    """YAML text is trimmed as it is read: "News\\n" arrives as the subject "News",
    and the message has exactly its own headers."""
    newsletter = mail_project / "issues" / "newsletter.yaml"
    text = newsletter.read_text(encoding="utf-8")
    newsletter.write_text(
        text.replace('subject: "{name} No. {number}: {date}"', 'subject: "News\\n"'),
        encoding="utf-8",
    )
    csv = subscribers(mail_project, people(1))
    with SmtpSink() as sink:
        assert run_mail(mail_project, "--to", str(csv), *smtp_args(sink)).code == 0
    (message,) = sink.received
    assert parsed(message.data)["Subject"] == "News"
    assert b"\r\nSubject: News\r\nDate: " in message.data


@pytest.mark.parametrize(
    "option",
    [
        ["--rate", "nan"],
        ["--rate", "inf"],
        ["--rate", "0"],
        ["--rate", "1e400"],
        ["--smtp", "localhost:99999"],
        ["--smtp", "localhost:0"],
    ],
)
def test_a_rate_or_port_no_sender_could_keep_is_a_usage_error(mail_project, option):
    csv = write_csv(mail_project, "email\nada@example.org\n")
    run = run_mail(mail_project, "--to", str(csv), *option, "--yes", environ=SECRET)
    assert run.code == 2, run.stderr
    assert run.stderr.startswith("broadsheet: error: ") and option[1] in run.stderr
