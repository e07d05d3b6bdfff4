"""What the mail tests share: a project with the November issue built once,
subscriber lists, and `broadsheet mail` run in-process or as a user runs it."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

from broadsheet.cli.main import main
from broadsheet.content.load import load
from broadsheet.content.validate import validate
from broadsheet.mail import send
from broadsheet.mail.journal import Journal

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # in the past: DKIM refuses a future t=
EPOCH = str(int(NOW.timestamp()))  # SOURCE_DATE_EPOCH: the messages' date


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def subscribers(root: Path, rows: list[tuple[str, str]], name: str = "subscribers.csv") -> Path:
    """A CSV of (email, name) rows, with a token column."""
    lines = ["email,name,token"]
    lines += [f"{email},{person},tok{n}" for n, (email, person) in enumerate(rows, start=1)]
    path = root / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def people(count: int) -> list[tuple[str, str]]:
    return [(f"reader{n}@example.org", f"Reader {n}") for n in range(1, count + 1)]


def run_mail(root: Path, *args: str, environ: dict | None = None, stdin: str = "") -> Run:
    """`broadsheet mail ISSUE ...` in-process, for the project in `root`."""
    out, err = io.StringIO(), io.StringIO()
    env = {"SOURCE_DATE_EPOCH": EPOCH} | (environ or {})
    issue = str(root / "issues" / "2026-11.yaml")
    code = main(
        ["mail", issue, "--root", str(root), *args],
        stdout=out,
        stderr=err,
        environ=env,
        stdin=io.StringIO(stdin),
    )
    return Run(code, out.getvalue(), err.getvalue())


def smtp_args(sink) -> list[str]:
    return ["--smtp", f"{sink.host}:{sink.port}", "--plain", "--yes", "--rate", "1000"]


def mail_process(root: Path, *args: str) -> subprocess.Popen:
    """`python -m broadsheet mail ...` as a separate process, as a user runs it
    (in `root`, so relative paths are the project's)."""
    import broadsheet

    env = {k: v for k, v in os.environ.items() if not k.startswith("BROADSHEET_")}
    env |= {"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(Path(broadsheet.__file__).parents[1])}
    return subprocess.Popen(
        [sys.executable, "-m", "broadsheet", "mail", "issues/2026-11.yaml", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def mail_directly(project: Path, csv: Path, sink, clock=None, rates=None, **settings):
    """send.mail itself to `sink` (on one connection unless `settings` say
    otherwise), at 1000 a second, retrying after 10 ms rather than 10 s;
    `rates` gets the overall rate the progress line shows after each message."""
    issue = validate(load(project / "issues" / "2026-11.yaml"), project)
    options = send.Options(
        subscribers=csv,
        host=sink.host,
        port=sink.port,
        security="none",
        **{"rate": 1000, "retry_delays": (0.01, 0.01), **settings},
    )
    pdf = (project / "build" / "2026-11.pdf").read_bytes()
    shown = rates if rates is not None else []

    def progress(sent: int, failed: int, left: int, rate: float) -> None:
        shown.append(rate)

    return send.mail(issue, pdf, options, {}, NOW, progress=progress, clock=clock or send.Clock())


def parsed(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def message_ids(messages) -> list[str]:
    return [parsed(m.data)["Message-ID"] for m in messages]


def dkim_key_pair(folder: Path) -> tuple[Path, bytes]:
    """An RSA key pair made with openssl: the private PEM in `folder`, and the
    DNS record's p= (base64 of the public key)."""
    private = folder / "dkim.pem"
    subprocess.run(
        ["openssl", "genrsa", "-traditional", "-out", str(private), "2048"],
        check=True,
        capture_output=True,
    )
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(private), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return private, base64.b64encode(public)


def journal_states(root: Path) -> dict[str, str]:
    """Each address's state in the November issue's journal."""
    journal = Journal(root / "build" / "2026-11.mail.sqlite")
    try:
        return {row.address: row.state for row in journal.rows().values()}
    finally:
        journal.close()


class FakeClock:
    """send.Clock for a send on one connection whose time moves only when it
    waits: a rate limit is kept without the test waiting for it. Each wait
    is recorded."""

    def __init__(self):
        self.time = 0.0
        self.waits: list[float] = []

    def now(self) -> float:
        return self.time

    def wait(self, condition, seconds: float | None) -> None:
        # Nothing else runs to wake a single connection: it always waits for a time.
        assert seconds is not None, "one connection waited for another"
        self.waits.append(seconds)
        self.time += max(0.0, seconds)
