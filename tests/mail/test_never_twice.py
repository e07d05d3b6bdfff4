"""Never twice, never lost: `broadsheet mail` killed with SIGKILL after k of N
messages, for every k, then run again; two runs at once. The sender runs as
a separate process, as an editor runs it, against a real SMTP server."""

from __future__ import annotations

import signal
import time
from collections import Counter

import pytest
from mailing import mail_process, message_ids, people, smtp_args, subscribers
from smtp_sink import SmtpSink

N = 3


@pytest.mark.parametrize("k", range(N))
def test_killed_after_k_messages_the_rerun_sends_exactly_the_rest(mail_project, k):
    csv = subscribers(mail_project, people(N))
    with SmtpSink() as sink:
        sender = mail_process(mail_project, "--to", str(csv), *smtp_args(sink))
        sink.kill_at_rcpt(k + 1, sender.pid)  # while it asks for recipient k + 1
        sender.communicate(timeout=60)
        assert sender.returncode == -signal.SIGKILL
        assert len(sink.received) == k
        rerun = mail_process(mail_project, "--to", str(csv), *smtp_args(sink))
        _, err = rerun.communicate(timeout=60)
        assert rerun.returncode == 0, err
        again = mail_process(mail_project, "--to", str(csv), *smtp_args(sink))
        _, err = again.communicate(timeout=60)
        assert again.returncode == 0 and "already sent to all 3 subscribers" in err
    delivered = Counter(message.rcpt_tos[0] for message in sink.received)
    assert delivered == {email: 1 for email, _ in people(N)}
    assert len(set(message_ids(sink.received))) == N


def test_two_runs_at_once_one_refuses_and_nobody_gets_two(mail_project):
    csv = subscribers(mail_project, people(8))
    with SmtpSink() as sink:
        first = mail_process(
            mail_project, "--to", str(csv), *smtp_args(sink)[:-1], "1"
        )  # 1 a second: the second run starts well before the first ends, on a busy machine too
        deadline = time.monotonic() + 30
        while not sink.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sink.received, "the first run never started sending"
        second = mail_process(mail_project, "--to", str(csv), *smtp_args(sink))
        _, second_err = second.communicate(timeout=60)
        _, first_err = first.communicate(timeout=60)
    assert second.returncode == 1, second_err
    assert "another broadsheet mail is sending this issue" in second_err
    assert first.returncode == 0, first_err
    assert Counter(m.rcpt_tos[0] for m in sink.received) == {e: 1 for e, _ in people(8)}
