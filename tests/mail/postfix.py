"""A private Postfix instance on 127.0.0.1, for testing the relay hand-off for real.

`broadsheet mail --relay` hands every message to a local mail server and
treats its 250 as final. Only a real one shows that the hand-off works as a
deployment uses it, so this starts Debian's Postfix with a configuration of
its own, in a folder of its own: its main.cf and master.cf, queue, data
directory and log all live in a
folder of its own under the system's temporary folder, and nothing of the system's
/etc/postfix is read or changed (the system's Postfix need not run).

It listens on 127.0.0.1 at a free port, resolves no names (no DNS, no
relayhost), accepts mail from loopback only, and delivers everything for
`DOMAIN` (and the other test domains) into one Maildir in that folder,
through the virtual delivery agent, so no local user is needed:

    with Postfix() as relay:
        ...  # send to relay.host, relay.port
        relay.wait_for(3)
        messages = relay.delivered()

Postfix's master process must start as root (it opens its queue as its own
user, `postfix`); `skip_reason()` says why the tests cannot run otherwise.
"""

from __future__ import annotations

import mailbox
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

HOST = "127.0.0.1"
DOMAINS = ("example.org", "example.com", "example.net")
POSTFIX = "/usr/sbin/postfix"
REFUSED = "nobody-here@example.org"  # the one address the relay refuses at RCPT (550)
START_SECONDS = 20.0


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def skip_reason() -> str | None:
    """Why a private Postfix cannot run here, or None when it can."""
    if not Path(POSTFIX).exists():
        return "Postfix is not installed (Debian's `postfix`; .ci/run installs it)"
    if os.geteuid() != 0:
        return "a private Postfix instance needs root: its master process starts as root"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "the `postfix` user is missing (Debian's postfix package makes it)"
    return None


def _main_cf(folder: Path, port: int, owner: int) -> str:
    defaults = {
        name: subprocess.run(
            ["postconf", "-dh", name], check=True, capture_output=True, text=True
        ).stdout.strip()
        for name in ("daemon_directory", "command_directory", "shlib_directory", "meta_directory")
    }
    settings = {
        **defaults,
        "queue_directory": folder / "queue",
        "data_directory": folder / "data",
        "maillog_file": folder / "maillog",
        "maillog_file_prefixes": folder,
        "mail_owner": "postfix",
        "setgid_group": "postdrop",
        "compatibility_level": "3.6",
        "myhostname": "relay.broadsheet.test",
        "mydomain": "broadsheet.test",
        "myorigin": "$myhostname",
        "mydestination": "",
        "inet_interfaces": "loopback-only",
        "inet_protocols": "ipv4",
        "mynetworks": "127.0.0.0/8",
        "relayhost": "",
        "smtpd_relay_restrictions": "permit_mynetworks, reject_unauth_destination",
        "smtpd_recipient_restrictions": (
            f"check_recipient_access inline:{{ {{{REFUSED} = 550 5.1.1 No such user}} }},"
            " permit_mynetworks, reject"
        ),
        # No name is ever looked up: not the client's, not a destination's.
        "smtp_dns_support_level": "disabled",
        "smtpd_peername_lookup": "no",
        "lmtp_dns_support_level": "disabled",
        "virtual_mailbox_domains": " ".join(DOMAINS),
        "virtual_mailbox_base": folder / "mail",
        "virtual_mailbox_maps": "static:Maildir/",  # every recipient: the one Maildir
        "virtual_uid_maps": f"static:{owner}",
        "virtual_gid_maps": f"static:{owner}",
        "virtual_minimum_uid": "1",
        "message_size_limit": str(50 * 1024 * 1024),
        "virtual_mailbox_limit": "0",
        "smtpd_client_connection_count_limit": "0",
        "biff": "no",
        "alias_maps": "",
        "alias_database": "",
        "local_recipient_maps": "",
        "append_dot_mydomain": "no",
        "default_process_limit": "20",
    }
    return "".join(f"{name} = {value}\n" for name, value in settings.items())


def _master_cf(port: int) -> str:
    """The services Postfix needs for mail in by SMTP and out to a Maildir, no chroot."""
    services = [
        f"{HOST}:{port} inet n - n - - smtpd",
        "pickup unix n - n 60 1 pickup",
        "cleanup unix n - n - 0 cleanup",
        "qmgr unix n - n 300 1 qmgr",
        "tlsmgr unix - - n 1000? 1 tlsmgr",
        "rewrite unix - - n - - trivial-rewrite",
        "bounce unix - - n - 0 bounce",
        "defer unix - - n - 0 bounce",
        "trace unix - - n - 0 bounce",
        "verify unix - - n - 1 verify",
        "flush unix n - n 1000? 0 flush",
        "proxymap unix - - n - - proxymap",
        "smtp unix - - n - - smtp",
        "relay unix - - n - - smtp",
        "showq unix n - n - - showq",
        "error unix - - n - - error",
        "retry unix - - n - - error",
        "discard unix - - n - - discard",
        "local unix - n n - - local",
        "virtual unix - n n - - virtual",
        "anvil unix - - n - 1 anvil",
        "scache unix - - n - 1 scache",
        "postlog unix-dgram n - n - 1 postlogd",
    ]
    return "\n".join(services) + "\n"


class Postfix:
    """Postfix started with `postfix -c FOLDER/config start`, stopped on exit."""

    def __init__(self):
        # Not pytest's tmp_path: Postfix's processes run as `postfix` and
        # `nobody`, who must pass through every folder above the queue and the
        # Maildir, and pytest's folders are root's alone (0700).
        self.folder = Path(tempfile.mkdtemp(prefix="broadsheet-postfix-"))
        self.folder.chmod(0o755)
        self.config = self.folder / "config"
        self.maildir = self.folder / "mail" / "Maildir"
        self.host = HOST
        self.port = free_port()

    def __enter__(self) -> Postfix:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        owner = pwd.getpwnam("nobody").pw_uid
        self.config.mkdir(parents=True)
        (self.folder / "mail").mkdir()
        (self.folder / "queue").mkdir()
        (self.folder / "data").mkdir()
        postfix_user = pwd.getpwnam("postfix")
        os.chown(self.folder / "data", postfix_user.pw_uid, postfix_user.pw_gid)
        os.chown(self.folder / "mail", owner, owner)
        (self.config / "main.cf").write_text(_main_cf(self.folder, self.port, owner))
        (self.config / "master.cf").write_text(_master_cf(self.port))
        self._postfix("check")
        self._postfix("start")
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as probe:
                    if probe.recv(512).startswith(b"220"):
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Postfix did not answer on port {self.port}:\n{self.log()}")

    def stop(self) -> None:
        if (self.folder / "queue" / "pid" / "master.pid").exists():
            subprocess.run([POSTFIX, "-c", str(self.config), "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _postfix(self, command: str) -> None:
        done = subprocess.run(
            [POSTFIX, "-c", str(self.config), command], capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"postfix {command} failed:\n{done.stderr}\n{self.log()}")

    def log(self) -> str:
        path = self.folder / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def flush(self) -> None:
        """Deliver what waits in the queue now, not at the next scan."""
        subprocess.run([POSTFIX, "-c", str(self.config), "flush"], capture_output=True)

    def count(self) -> int:
        """Messages delivered so far: the files in the Maildir's new/."""
        try:
            return sum(1 for _ in os.scandir(self.maildir / "new"))
        except FileNotFoundError:
            return 0

    def wait_for(self, count: int, seconds: float = 60.0) -> int:
        """Wait until `count` messages are in the Maildir; return how many are."""
        deadline = time.monotonic() + seconds
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.count()

    def delivered(self) -> list[EmailMessage]:
        """Every message in the Maildir, parsed, in no particular order."""
        if not self.maildir.exists():
            return []
        box = mailbox.Maildir(self.maildir, factory=None, create=False)
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(box.get_bytes(key)) for key in box.iterkeys()]

    def queued(self) -> str:
        """The queue as `postqueue -p` lists it (empty: all delivered or bounced)."""
        return subprocess.run(
            ["postqueue", "-c", str(self.config), "-p"], capture_output=True, text=True
        ).stdout
