"""Shared fixtures: a scratch project folder, the CLI run in-process, built samples."""

from __future__ import annotations

import concurrent.futures
import io
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from broadsheet.cli.main import main

REPO = Path(__file__).resolve().parent.parent
PHOTOS = REPO / "issues" / "images"

MINIMAL_ISSUE = """\
name: The Test Gazette
issue:
  number: 1
  date: 2026-01-31
articles:
  - title: First story
    body: Some text.
"""


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


class Project:
    """A throwaway project folder with an issues/ folder, as an editor would have."""

    def __init__(self, root: Path):
        self.root = root
        (root / "issues").mkdir()

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def photo(self, name: str = "coffee.png", as_name: str | None = None) -> Path:
        target = self.root / "issues" / "images" / (as_name or name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PHOTOS / name, target)
        return target

    def run(self, *args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), stdout=out, stderr=err, environ={})
        return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return Project(root)


def build_sample(slug: str, out: Path, *options: str) -> Path:
    """One of the repository's own sample issues built to `out`, in-process."""
    err = io.StringIO()
    command = ["build", str(REPO / "issues" / f"{slug}.yaml"), "-o", str(out), "--quiet"]
    code = main(
        [*command, "--root", str(REPO), *options], stdout=io.StringIO(), stderr=err, environ={}
    )
    assert code == 0, err.getvalue()
    return out


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory) -> Path:
    """The repository's own four-page sample, built once for the session."""
    return build_sample("2026-10", tmp_path_factory.mktemp("sample") / "2026-10.pdf")


def build_as_make_does(root: Path, slug: str) -> Path:
    """`issues/<slug>.yaml` of the project in `root` built where make puts it,
    build/<slug>.pdf with its depfile, so that `broadsheet mail` finds it current."""
    issue, output = root / "issues" / f"{slug}.yaml", root / "build" / f"{slug}.pdf"
    command = ["build", str(issue), "--quiet", "--root", str(root), "-o", str(output)]
    err = io.StringIO()
    code = main(
        [*command, "--depfile", str(output.with_suffix(".d"))],
        stdout=io.StringIO(),
        stderr=err,
        environ={},
    )
    assert code == 0, err.getvalue()
    return output


def built_project(root: Path, *slugs: str) -> Path:
    """A copy of the samples in `root` with the issues `slugs` built as make does."""
    shutil.copytree(REPO / "issues", root / "issues")
    for slug in slugs:
        build_as_make_does(root, slug)
    return root


@pytest.fixture(scope="session")
def mail_ready(tmp_path_factory) -> Path:
    """The sample publication with its November issue built, once for the
    session: what `broadsheet mail` sends in the mail tests."""
    return built_project(tmp_path_factory.mktemp("mail") / "project", "2026-11")


@pytest.fixture(scope="session")
def languages_ready(tmp_path_factory) -> Path:
    """The samples with the French and the Persian issues built, once for the
    session (build/fr/2026-12.pdf, build/fa/2026-12.pdf): the mail tests of
    those languages."""
    root = tmp_path_factory.mktemp("languages") / "project"
    return built_project(root, "fr/2026-12", "fa/2026-12")


@pytest.fixture
def mail_project(mail_ready, tmp_path) -> Path:
    """A fresh copy of it for one test: its own journal, its own settings."""
    root = tmp_path / "project"
    shutil.copytree(mail_ready, root)
    return root


@pytest.fixture(scope="session", autouse=True)
def every_pdf_made_passes_qpdf(tmp_path_factory):
    """After the whole run: every PDF written in any test passes `qpdf --check`,
    whatever the test itself looked at. A file a test damages on purpose is
    named `damaged-*`."""
    yield
    made = [
        path
        for path in tmp_path_factory.getbasetemp().rglob("*.pdf")
        if path.is_file()
        and not path.name.startswith("damaged-")
        and path.read_bytes()[:5] == b"%PDF-"
    ]
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed to check the PDFs the tests made (Debian: qpdf)"

    def check(path: Path) -> str | None:
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        return None if result.returncode == 0 else f"{path}: {result.stdout}{result.stderr}"

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        failures = [problem for problem in pool.map(check, made) if problem]
    assert not failures, "\n".join(failures[:5])


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless (tests/chromium.py): what a reader's browser shows."""
    from chromium import browser_session

    yield from browser_session()
