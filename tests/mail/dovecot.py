"""A private Dovecot IMAP server on 127.0.0.1 for the tests: its own
configuration, runtime folder and mailboxes in a temporary folder, one user
(`bounces`, password `secret`), stopped at the end. The system's own
Dovecot configuration is never read or touched.

Dovecot starts as root and hands each mailbox to an unprivileged user
(here `nobody`), so the tests that use it need root: CI runs as root; a
test elsewhere says so in its skip reason.
"""

from __future__ import annotations

import imaplib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from smtp_sink import free_port

USER, PASSWORD = "bounces", "secret"
NOBODY = 65534
CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={uid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def why_not() -> str | None:
    """Why a private Dovecot cannot run here, or None when it can."""
    if shutil.which("dovecot") is None:
        return "Debian's dovecot-imapd is not installed (.ci/run installs it)"
    if os.geteuid() != 0:
        return "a private Dovecot starts as root (CI runs as root)"
    return None


class Dovecot:
    def __init__(self):
        # Not under pytest's tmp folders: the mailbox user must be able to
        # reach its home, and those are private to root.
        self.root = Path(tempfile.mkdtemp(prefix="broadsheet-dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        self.config = self.root / "dovecot.conf"

    @property
    def url(self) -> str:
        return f"imap://{USER}@127.0.0.1:{self.port}/INBOX"

    def __enter__(self) -> Dovecot:
        for folder in ("run", "state", "home"):
            (self.root / folder).mkdir()
        os.chown(self.root / "home", NOBODY, NOBODY)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.config.write_text(CONFIG.format(root=self.root, port=self.port, uid=NOBODY))
        # Not captured: the daemon it leaves behind would hold the pipes open,
        # and the call would never return. What it says goes to its log.
        subprocess.run(
            ["dovecot", "-c", str(self.config)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Dovecot did not start: {self.log()}") from None
                time.sleep(0.1)

    def __exit__(self, *exc_info: object) -> None:
        subprocess.run(
            ["dovecot", "-c", str(self.config), "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "log"
        return path.read_text(errors="replace") if path.exists() else ""

    def deliver(self, *messages: bytes) -> None:
        """Put messages in the INBOX, as a mail server's delivery would."""
        with self._session() as imap:
            for data in messages:
                imap.append("INBOX", None, None, data)

    def unseen(self) -> int:
        with self._session() as imap:
            imap.select("INBOX", readonly=True)
            _, data = imap.search(None, "UNSEEN")
            return len(data[0].split())

    def _session(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(USER, PASSWORD)
        return imap
