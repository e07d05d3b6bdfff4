"""Personalised copies (`mail.personalise`): what a stamped copy costs, and the send rate.

Two measurements on the repository's October sample (4 pages, classic):

- **per copy**, in this process: the stamper is made once for the list (the
  place read back, the faces cut, every line shaped and checked), then each
  subscriber's copy is made and hashed as `broadsheet mail` does before
  sending it; the median and 95th percentile over the copies;
- **the send rate**, plain against personalised: `broadsheet mail` in its
  own process to an aiosmtpd server on loopback (benchmarks/mail_rate.py),
  the PDF built first each time so the command sends rather than builds.

    python -m benchmarks.stamping [COPIES]      # prints the numbers as JSON
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from benchmarks import mail_rate

REPOSITORY = Path(__file__).resolve().parent.parent
TEMPLATE = "Prepared for {name} · {email}"  # columns every bench list has
COPIES = 200
SENT = 200


def _project(work: Path, personalised: bool) -> tuple[Path, Path]:
    """A copy of the sample publication, `personalise` set or not, October built."""
    root = work / ("personalised" if personalised else "plain")
    shutil.copytree(REPOSITORY / "issues", root / "issues")
    if personalised:
        newsletter = root / "issues" / "newsletter.yaml"
        text = newsletter.read_text(encoding="utf-8")
        newsletter.write_text(
            text.replace("mail:\n", f'mail:\n  personalise: "{TEMPLATE}"\n', 1), encoding="utf-8"
        )
    issue = root / "issues" / "2026-10.yaml"
    _broadsheet(
        "build", str(issue), "--root", str(root), "-q", "-o", str(root / "build" / "2026-10.pdf"),
        "--depfile", str(root / "build" / "2026-10.d"),
    )  # fmt: skip
    return root, issue


def _broadsheet(*argv: str) -> None:
    from broadsheet.cli.main import main

    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(list(argv), stdout=io.StringIO(), stderr=err, environ={})
    if code != 0:
        raise RuntimeError(err.getvalue())


def per_copy(root: Path, issue: Path, copies: int) -> dict:
    """Milliseconds to make and hash each copy, after the stamper is made once."""
    from broadsheet.content.load import load
    from broadsheet.content.validate import validate
    from broadsheet.mail.copies import Copies
    from broadsheet.mail.subscribers import read_subscribers

    csv = root / "stamp-list.csv"
    rows = [f"reader{n}@example.org,Reader {n} Example" for n in range(1, copies + 1)]
    csv.write_text("email,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    subscribers, _ = read_subscribers(csv)
    model = validate(load(issue), root)
    pdf = (root / "build" / "2026-10.pdf").read_bytes()
    started = time.perf_counter()
    made = Copies(model, pdf, subscribers, csv)
    prepared = time.perf_counter() - started
    times = []
    for subscriber in subscribers:
        began = time.perf_counter()
        copy = made.stamper.copy(subscriber)
        hashlib.sha256(copy).hexdigest()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "copies": copies,
        "pdf_bytes": len(pdf),
        "copy_bytes": len(copy),
        "prepare_ms": prepared * 1000,
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
    }


def measure(broadsheet: str, copies: int = COPIES, sent: int = SENT) -> dict:
    # The sample's unsubscribe address has a {token}: made from a secret, for both runs alike.
    os.environ["BROADSHEET_UNSUBSCRIBE_SECRET"] = "bench"
    with tempfile.TemporaryDirectory(prefix="bench-stamp-") as folder:
        work = Path(folder)
        plain_root, plain_issue = _project(work, personalised=False)
        stamped_root, stamped_issue = _project(work, personalised=True)
        stamping = per_copy(stamped_root, stamped_issue, copies)
        rates = {}
        for name, root, issue in (
            ("plain", plain_root, plain_issue),
            ("personalised", stamped_root, stamped_issue),
        ):
            found = mail_rate.measure(broadsheet, root, issue, sent)
            rates[name] = {
                "messages": found.messages,
                "accepted": found.accepted,
                "message_bytes": found.message_bytes,
                "per_second": found.per_second,
                "wall": found.sample.wall,
                "cpu": found.sample.cpu,
            }
    ratio = rates["personalised"]["per_second"] / rates["plain"]["per_second"]
    return {"per_copy": stamping, "send": rates, "ratio": ratio}


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else COPIES
    executable = str(Path(sys.executable).parent / "broadsheet")
    print(json.dumps(measure(executable, count), indent=1))
