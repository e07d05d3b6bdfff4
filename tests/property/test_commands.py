"""Every command on generated arguments, environments and input files: never
an internal error (exit 3) and never a traceback, whatever a user types, sets
or hands over. Each run is in-process, in a project folder of its own.

The words come from each command's own options mixed with generated text,
so that the parser lets most of them through to the command itself. Nothing
generated can reach the network (no `--images`, feeds are files) or leave
the project (no `--root`, no absolute paths).
"""

from __future__ import annotations

import io
import shutil
import string
from pathlib import Path

import pytest
import strategies
from hypothesis import example, given, settings
from hypothesis import strategies as st

from broadsheet.cli.main import main

SUPPRESSED = strategies.SUPPRESSED
FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
ISSUE = """\
name: The Gazette
issue: {number: 3, volume: 1, date: 2026-10-01}
articles:
  - title: One
    body: Text.
"""

# Text a user could type as an option's value: dates right and wrong, numbers
# of every kind, names with path separators, control characters and scripts.
VALUES = st.one_of(
    st.sampled_from(
        [
            "2026-10-01", "0999-12-31", "9999-12-31", "2026-02-30", "1e400", "nan", "inf",
            "-1", "0", "٣", "../x", "a/b", "issues", "issues/one.yaml", "x.pdf", "", " ",
            "\n", "\x00", "a" * 300, "𝟘", "2026-10-01T00:00",
        ]
    ),
    st.text(alphabet=string.printable + "éق\u200f\ufdd0", max_size=20),
)  # fmt: skip
ENVIRONMENT = st.dictionaries(
    st.sampled_from(["BROADSHEET_MEMORY_MB", "BROADSHEET_BUILD_SECONDS", "SOURCE_DATE_EPOCH"]),
    VALUES,
    max_size=3,
)

COMMANDS = {
    "check": (["issues/one.yaml", "--quiet"], []),
    # `build` and `watch` with an option the parser or the output checks refuse
    # before any typesetting (the words always hold one): a real layout per
    # example would make this test minutes long; whole builds have their own.
    "build": (["issues/one.yaml", "-o", "--html", "--depfile", "--profile", "--jobs"], []),
    "watch": (["issues/one.yaml", "-o", "--html", "--profile"], []),
    "new": (["--date"], ["slug"]),
    "import": (["--since", "--date", "-o", "feed.xml", "feed.rss"], []),
    "inspect": (["--json", "--profile", "damaged-copy.pdf", "x.pdf"], []),
    "completion": (["bash", "zsh", "fish"], []),
    "man": (["-o"], []),
}


# One of these, at the end, makes every generated `build` or `watch` stop
# before it lays anything out (a `watch` that started would never return):
# an unknown option, an output onto an input, or onto a folder.
REFUSED_EARLY = [["--no-such-option"], ["-o", "issues/one.yaml"], ["--html", "issues"]]


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    options, _ = COMMANDS[command]
    words = draw(st.lists(st.one_of(st.sampled_from(options), VALUES), max_size=6))
    words = [w for w in words if not w.startswith("/")]
    if command in ("build", "watch"):  # last, so no later word can undo it
        words += draw(st.sampled_from(REFUSED_EARLY))
    return [command, *words]


def run(root: Path, argv: list[str], environ: dict[str, str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--debug", *argv] if "--debug" in argv else argv, out, err, environ, io.StringIO())
    return code, err.getvalue()


@pytest.fixture
def playground(project, sample_pdf):
    """A project with one issue, two feeds and two PDFs, one of them damaged."""
    project.write("issues/one.yaml", ISSUE)
    shutil.copyfile(FEEDS / "lantern.rss", project.root / "feed.rss")
    (project.root / "feed.xml").write_bytes(b"<rss><channel><item><title>x")
    data = sample_pdf.read_bytes()
    (project.root / "x.pdf").write_bytes(data)
    (project.root / "damaged-copy.pdf").write_bytes(data[: len(data) // 3] + data[-2000:])
    return project


@settings(max_examples=strategies.examples(120), deadline=None, suppress_health_check=SUPPRESSED)
@given(argv=command_lines(), environ=ENVIRONMENT)
@example(argv=["new", "--date", "9999-12-31"], environ={})
@example(argv=["inspect", "damaged-copy.pdf", "--json"], environ={})
@example(argv=["import", "feed.xml", "--since", "2026-01-01"], environ={})
@example(argv=["check", "issues/one.yaml"], environ={"SOURCE_DATE_EPOCH": "1e400"})
@example(argv=["check", "a" * 300], environ={})  # a name the system refuses: no crash
@example(argv=["man", "-o", "a" * 300], environ={})
def test_no_command_line_is_an_internal_error(playground, argv, environ):
    code, stderr = run(playground.root, argv, environ)
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr


@st.composite
def damaged_pdfs(draw, original: bytes) -> bytes:
    """A PDF cut short, with bytes overwritten, or with a stretch repeated."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["cut", "overwrite", "repeat"]))
        if how == "cut":
            del data[at:]
            if not data:
                data = bytearray(b"%PDF-1.7\n")
        elif how == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=64))
            data[at : at + len(chunk)] = chunk
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 4096))]
    return bytes(data)


@settings(max_examples=strategies.examples(40), deadline=None, suppress_health_check=SUPPRESSED)
@given(data=st.data())
def test_inspect_never_fails_on_a_damaged_pdf(playground, sample_pdf, data):
    damaged = data.draw(damaged_pdfs(sample_pdf.read_bytes()))
    (playground.root / "damaged-copy.pdf").write_bytes(damaged)
    for argv in (["inspect", "damaged-copy.pdf"], ["inspect", "damaged-copy.pdf", "--json"]):
        code, stderr = run(playground.root, argv, {})
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr


@settings(max_examples=strategies.examples(60), deadline=None, suppress_health_check=SUPPRESSED)
@given(
    title=st.text(max_size=400),
    body=st.text(max_size=2000),
    link=st.one_of(VALUES, st.text(max_size=60).map(lambda t: "https://" + t)),
)
@example(title="", body="", link="https://\x1b")  # the draft kept a link validation refused
def test_import_takes_any_post_in_a_feed_file(playground, title, body, link):
    """A feed's text goes through feedparser, the HTML cleaner and the draft's
    own validation: whatever a post holds, a draft or a located error."""
    from xml.sax.saxutils import escape

    item = (
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        "<pubDate>Mon, 19 Oct 2026 12:00:00 +0000</pubDate>"
        f"<description>{escape(body)}</description></item>"
    )
    feed = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{item}</channel></rss>'
    )
    (playground.root / "generated.rss").write_text(feed, encoding="utf-8", errors="replace")
    draft = playground.root / "issues" / "draft.yaml"
    draft.unlink(missing_ok=True)
    argv = ["import", "generated.rss", "--since", "2026-01-01", "-o", "issues/draft.yaml"]
    code, stderr = run(playground.root, argv, {})
    assert code in (0, 1), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if code == 0:
        assert run(playground.root, ["check", "issues/draft.yaml"], {})[0] == 0


CSV_CELLS = st.one_of(
    st.sampled_from(
        ["ada@example.org", "ADA@example.org", "bücher@example.org", "a@b", "", '"', '""',
         "x" * 300, "a@example.org, b@example.org", "=cmd()", "Zoë\r\nBcc: x@evil.example"]
    ),
    st.text(max_size=30),
)  # fmt: skip


@settings(max_examples=strategies.examples(40), deadline=None, suppress_health_check=SUPPRESSED)
@given(
    header=st.sampled_from(["email,name", "email", "name,email,token", "Email;Name", ""]),
    rows=st.lists(st.lists(CSV_CELLS, min_size=1, max_size=3), max_size=5),
    options=st.lists(
        st.one_of(st.sampled_from(["--rate", "--from", "--smtp", "--journal", "--yes"]), VALUES),
        max_size=4,
    ),
    environ=ENVIRONMENT,
)
def test_mail_takes_any_subscriber_list_and_options(mail_project, header, rows, options, environ):
    """A dry run (it writes messages, opens no socket): any list, any options,
    any environment is messages, a located error or a usage error."""
    lines = [header] + [",".join(row) for row in rows]
    (mail_project / "list.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = mail_project / "outbox"
    shutil.rmtree(out, ignore_errors=True)
    argv = [
        "mail", str(mail_project / "issues" / "2026-11.yaml"), "--root", str(mail_project),
        "--to", str(mail_project / "list.csv"), *[o for o in options if not o.startswith("/")],
        "--dry-run", str(out),
    ]  # fmt: skip
    code, stderr = run(mail_project, argv, {"BROADSHEET_UNSUBSCRIBE_SECRET": "s"} | environ)
    assert code in (0, 1, 2), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
