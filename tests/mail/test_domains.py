"""Several connections at once, and the pace per recipient domain, against a
real SMTP server on 127.0.0.1 (tests/mail/smtp_sink.py).

The sink holds each message a while before its 250, so that connections
that can overlap do; it records when each transaction began and ended, by
its own clock. What is asserted of those times is what no slow machine can
break: overlaps that must not happen, and pauses of at least a length.
Where an order or an exact pace is asserted, the send runs on one
connection with a clock whose time moves only when the send waits
(mailing.FakeClock), so the order is the schedule's and nothing else's.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import time
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from mailing import (
    FakeClock,
    journal_states,
    mail_directly,
    mail_process,
    message_ids,
    run_mail,
    smtp_args,
    subscribers,
)
from scripted_smtp import ScriptedSmtp
from smtp_sink import Faults, SmtpSink

from broadsheet.mail import send

DOMAINS = ("north.example", "south.example", "east.example", "west.example")


def readers(per_domain: int, domains=DOMAINS) -> list[tuple[str, str]]:
    """`per_domain` readers at each domain, listed domain after domain."""
    return [
        (f"r{n}@{domain}", f"Reader {n}") for domain in domains for n in range(1, per_domain + 1)
    ]


def domain(message) -> str:
    return message.rcpt_tos[0].rpartition("@")[2]


def most_at_once(messages) -> int:
    """The most transactions under way at once, by the sink's times; one that
    ends as another begins is not counted as overlapping it."""
    events = sorted([(m.started, 1) for m in messages] + [(m.ended, -1) for m in messages])
    most = under_way = 0
    for _, change in events:
        under_way += change
        most = max(most, under_way)
    return most


def by_domain(messages) -> dict[str, list]:
    found = defaultdict(list)
    for message in sorted(messages, key=lambda m: m.started):
        found[domain(message)].append(message)
    return found


def pauses(messages) -> list[float]:
    """From the end of each message to the beginning of the next (in one domain)."""
    return [after.started - before.ended for before, after in pairwise(messages)]


def per_domain_settings(project, settings: str) -> None:
    """Lines written under `mail: smtp:` in newsletter.yaml."""
    path = project / "issues" / "newsletter.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    security: starttls\n", f"    security: starttls\n{settings}"))


# -- several connections --------------------------------------------------------------------


@pytest.mark.parametrize("per_domain", [1, 2])
def test_connections_overlap_but_never_past_the_limit_for_one_domain(mail_project, per_domain):
    everyone = readers(2)
    csv = subscribers(mail_project, everyone)
    args = ["--connections", "3", "--per-domain-connections", str(per_domain)]
    with SmtpSink(Faults(hold=0.5)) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), *args)
    assert run.code == 0, run.stderr
    assert Counter(m.rcpt_tos[0] for m in sink.received) == {e: 1 for e, _ in everyone}
    assert sink.peak_sessions >= 2
    assert 2 <= most_at_once(sink.received) <= 3
    for name, messages in by_domain(sink.received).items():
        assert most_at_once(messages) <= per_domain, name


def test_after_a_run_on_three_connections_the_journal_has_everyone_once(mail_project):
    everyone = readers(3)
    csv = subscribers(mail_project, everyone)
    with SmtpSink() as sink:
        first = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--connections", "3")
        again = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--connections", "3")
    assert first.code == 0, first.stderr
    assert f"sent {len(everyone)} now" in first.stderr
    assert again.code == 0 and f"already sent to all {len(everyone)} subscribers" in again.stderr
    assert Counter(m.rcpt_tos[0] for m in sink.received) == {e: 1 for e, _ in everyone}
    assert len(set(message_ids(sink.received))) == len(everyone)
    assert set(journal_states(mail_project).values()) == {"sent"}
    db = sqlite3.connect(mail_project / "build" / "2026-11.mail.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("SELECT min(attempts), max(attempts) FROM subscribers").fetchone() == (1, 1)


def test_the_file_sets_the_connections_and_the_command_line_wins(mail_project):
    per_domain_settings(mail_project, "    connections: 3\n    per_domain:\n      connections: 2\n")
    csv = subscribers(mail_project, readers(2, DOMAINS[:1]))
    with SmtpSink(Faults(hold=1.0)) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink))
        assert run.code == 0, run.stderr
        assert most_at_once(sink.received) == 2  # both of north's at once: the hold sees to it
    csv = subscribers(mail_project, readers(2, DOMAINS[1:2]))
    with SmtpSink(Faults(hold=0.2)) as sink:
        args = ["--per-domain-connections", "1"]
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), *args)
        assert run.code == 0, run.stderr
        assert most_at_once(sink.received) == 1


# -- the pace per domain ----------------------------------------------------------------------


def test_messages_to_one_domain_are_a_pause_apart(mail_project):
    """At 2 a second per domain, each message to a domain begins at least
    half a second after the one before it to that domain ended (as the
    server saw both: a bound a slow machine only widens)."""
    csv = subscribers(mail_project, readers(3, DOMAINS[:3]))
    args = ["--connections", "3", "--per-domain-rate", "2"]
    with SmtpSink() as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), *args)
    assert run.code == 0, run.stderr
    messages = by_domain(sink.received)
    assert sorted(messages) == sorted(DOMAINS[:3])
    for name, sent in messages.items():
        assert len(sent) == 3
        assert min(pauses(sent)) >= 0.5, (name, pauses(sent))


def test_a_paced_domain_does_not_hold_up_the_rest_of_the_list(mail_project):
    """north.example comes first in the list, three times, at 1 message a
    second; the other domains' readers go in its pauses, not after it."""
    everyone = [*readers(3, DOMAINS[:1]), *readers(1, DOMAINS[1:])]
    csv = subscribers(mail_project, everyone)
    clock = FakeClock()
    with SmtpSink(clock=clock.now) as sink:
        report = mail_directly(mail_project, csv, sink, clock, per_domain_rate=1)
    assert report.complete
    assert [m.rcpt_tos[0] for m in sink.received] == [
        "r1@north.example",
        "r1@south.example",
        "r1@east.example",
        "r1@west.example",
        "r2@north.example",
        "r3@north.example",
    ]
    north = by_domain(sink.received)["north.example"]
    assert [m.started for m in north] == pytest.approx([0, 1, 2])


@pytest.mark.parametrize(
    ("fault", "code"),
    [(Faults(defer_once={"r1@north.example"}), 451), (Faults(busy_once={"r1@north.example"}), 421)],
)
def test_a_4xx_about_one_domain_slows_that_domain_only(mail_project, fault, code):
    """north.example answers r1's RCPT with a 4xx: its pace halves, from 1
    message a second to one every 2 s; south.example's stays 1 a second, and
    the whole run's 1000."""
    csv = subscribers(mail_project, readers(3, DOMAINS[:2]))
    clock, rates = FakeClock(), []
    with SmtpSink(fault, clock=clock.now) as sink:
        report = mail_directly(mail_project, csv, sink, clock, rates, per_domain_rate=1)
    assert report.complete, report
    assert rates == [1000] * 6
    assert [r.code for r in sink.rcpt_log if r.address == "r1@north.example"] == [code, 250]
    paced = by_domain(sink.received)
    assert pauses(paced["north.example"]) == pytest.approx([2, 2])
    assert pauses(paced["south.example"]) == pytest.approx([1, 1])


def test_trouble_with_the_server_slows_every_domain(mail_project):
    """A 421 before any recipient is named (at the greeting) is the server's,
    not a domain's: the whole run halves its pace, from 2 a second to 1."""
    csv = subscribers(mail_project, readers(2, DOMAINS[:2]))
    clock, rates = FakeClock(), []
    with SmtpSink(Faults(disconnect_on_connect_once=True), clock=clock.now) as sink:
        report = mail_directly(mail_project, csv, sink, clock, rates, rate=2)
    assert report.complete, report
    assert rates == [1] * 4
    starts = [m.started for m in sink.received]
    assert [later - earlier for earlier, later in pairwise(starts)] == pytest.approx([1, 1, 1])


# -- stops, interruptions, dry runs ---------------------------------------------------------------


def test_a_message_too_large_stops_every_connection(mail_project):
    csv = subscribers(mail_project, readers(3))
    with SmtpSink(Faults(too_large=True, hold=0.2)) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--connections", "3")
    assert run.code == 1
    assert "message too large" in run.stderr
    assert 1 <= len(sink.rcpt_log) <= 3  # each connection's message under way, no more
    assert set(journal_states(mail_project).values()) == {"pending"}


def test_a_run_of_permanent_failures_pauses_every_connection(mail_project):
    everyone = readers(5)
    csv = subscribers(mail_project, everyone)
    with SmtpSink(Faults(reject={email for email, _ in everyone})) as sink:
        run = run_mail(mail_project, "--to", str(csv), *smtp_args(sink), "--connections", "3")
    assert run.code == 1
    assert f"paused after {send.PAUSE_AFTER} permanent failures in a row" in run.stderr
    states = Counter(journal_states(mail_project).values())
    assert send.PAUSE_AFTER <= states["failed"] <= send.PAUSE_AFTER + 2
    assert states["failed"] + states["pending"] == len(everyone)
    assert len(sink.rcpt_log) == states["failed"]


@pytest.mark.parametrize("k", [2, 5])
def test_killed_on_three_connections_nobody_gets_two_copies(mail_project, k):
    """SIGKILL at the k-th RCPT, with three messages under way: a rerun sends
    the rest. Those whose message was being handed over are `unknown` (it may
    have arrived), and a rerun leaves them; nobody is sent two."""
    everyone = readers(3)
    csv = subscribers(mail_project, everyone)
    with SmtpSink(Faults(hold=0.2)) as sink:
        sending = ["--to", str(csv), *smtp_args(sink), "--connections", "3"]
        sender = mail_process(mail_project, *sending)
        sink.kill_at_rcpt(k, sender.pid)
        sender.communicate(timeout=120)
        assert sender.returncode == -signal.SIGKILL
        rerun = mail_process(mail_project, *sending)
        _, err = rerun.communicate(timeout=120)
    delivered = Counter(m.rcpt_tos[0] for m in sink.received)
    assert max(delivered.values()) == 1
    states = journal_states(mail_project)
    assert set(states.values()) <= {"sent", "unknown"}, (states, err)
    for email, _ in everyone:
        if states[email] == "sent":
            assert delivered[email] == 1, email
        else:  # handed over when the process died: delivered once, or not at all
            assert delivered[email] <= 1, email
    assert rerun.returncode == (0 if "unknown" not in states.values() else 1), err


def test_ctrl_c_on_three_connections_loses_nothing_and_sends_nothing_twice(mail_project):
    """SIGINT once messages are arriving: the run ends with status 130 once
    the other connections have finished their messages; a rerun sends the
    rest, and nobody is sent two."""
    everyone = readers(3)
    csv = subscribers(mail_project, everyone)
    with SmtpSink(Faults(hold=0.3)) as sink:
        sending = ["--to", str(csv), *smtp_args(sink), "--connections", "3"]
        sender = mail_process(mail_project, *sending)
        deadline = time.monotonic() + 60
        while not sink.received and time.monotonic() < deadline:
            time.sleep(0.02)
        sender.send_signal(signal.SIGINT)
        _, err = sender.communicate(timeout=120)
        assert sender.returncode == 130, err
        interrupted = journal_states(mail_project)
        rerun = mail_process(mail_project, *sending)
        _, err = rerun.communicate(timeout=120)
    assert "pending" in interrupted.values(), interrupted  # it stopped before the end
    delivered = Counter(m.rcpt_tos[0] for m in sink.received)
    states = journal_states(mail_project)
    assert set(states.values()) <= {"sent", "unknown"}, (states, err)
    assert max(delivered.values()) == 1
    assert all(delivered[email] == 1 for email, state in states.items() if state == "sent")


def test_a_dry_run_with_connections_writes_the_same_messages(mail_project, tmp_path):
    csv = subscribers(mail_project, readers(2))
    plain = run_mail(mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "plain"))
    per_domain_settings(mail_project, "    connections: 3\n    per_domain: {rate: 0.5}\n")
    paced = run_mail(
        mail_project, "--to", str(csv), "--dry-run", str(tmp_path / "paced"), "--connections", "4"
    )
    assert plain.code == 0 and paced.code == 0, paced.stderr
    written = sorted((tmp_path / "plain").iterdir())
    assert [p.name for p in sorted((tmp_path / "paced").iterdir())] == [p.name for p in written]
    for path in written:
        assert (tmp_path / "paced" / path.name).read_bytes() == path.read_bytes()
    assert not (mail_project / "build" / "2026-11.mail.sqlite").exists()


def test_a_relay_gets_one_connection_and_a_warning(mail_project):
    csv = subscribers(mail_project, readers(2))
    with ScriptedSmtp("pipelining_only") as server:
        args = ["--smtp", f"{server.host}:{server.port}", "--plain", "--yes", "--relay"]
        run = run_mail(mail_project, "--to", str(csv), *args, "--connections", "3")
        assert run.code == 0, run.stderr
        assert server.connections == 1
    assert "warning: --connections is ignored with a relay" in run.stderr


# -- bad values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "where", "message"),
    [
        ("    connections: 0\n", "connections: 0", "expected a whole number from 1 to 20, got '0'"),
        ("    connections: -2\n", "connections: -2", "got '-2'"),
        ("    connections: many\n", "connections: many", "got 'many'"),
        ("    connections: 21\n", "connections: 21", "from 1 to 20, got '21'"),
        ("    per_domain: 3\n", "per_domain: 3", "expected a mapping of keys, got"),
        ("    per_domain:\n      connections: 0\n", "connections: 0", "got '0'"),
        ("    per_domain:\n      rate: 0\n", "rate: 0", "above 0, like 2 or 0.5, got '0'"),
        ("    per_domain:\n      rate: -1\n", "rate: -1", "got '-1'"),
        ("    per_domain:\n      rate: fast\n", "rate: fast", "got 'fast'"),
        ("    per_domain:\n      rate: .inf\n", "rate: .inf", "got '.inf'"),
        ("    per_domain:\n      speed: 1\n", "speed: 1", "unknown key 'speed'"),
    ],
)
def test_a_bad_pace_in_the_file_is_a_located_error(mail_project, lines, where, message):
    per_domain_settings(mail_project, lines)
    text = (mail_project / "issues" / "newsletter.yaml").read_text(encoding="utf-8")
    line, written = next((n, x) for n, x in enumerate(text.splitlines(), 1) if x.strip() == where)
    column = written.index(where) + 1  # the key's, for an unknown key
    if "unknown key" not in message:
        column += where.index(":") + 2  # else the value's
    csv = subscribers(mail_project, readers(1))
    run = run_mail(mail_project, "--to", str(csv), "--dry-run", str(mail_project / "out"))
    assert run.code == 1
    found = re.search(r"newsletter\.yaml:(\d+):(\d+): error: mail\.smtp\.(\S+): (.*)", run.stderr)
    assert found, run.stderr
    assert (int(found[1]), int(found[2])) == (line, column), run.stderr
    assert message in found[4], run.stderr
    assert not (mail_project / "out").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--connections", "0"),
        ("--connections", "21"),
        ("--connections", "two"),
        ("--per-domain-connections", "-1"),
        ("--per-domain-rate", "0"),
        ("--per-domain-rate", "nan"),
    ],
)
def test_a_bad_pace_on_the_command_line_is_a_usage_error(mail_project, option, value):
    csv = subscribers(mail_project, readers(1))
    run = run_mail(mail_project, "--to", str(csv), f"{option}={value}", "--yes")
    assert run.code == 2
    assert option in run.stderr and repr(value) in run.stderr
