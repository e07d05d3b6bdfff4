"""The web edition of the samples, built once per session in-process.

The repository's own project is the root (its caches of cut fonts and
prepared pictures are reused); the pages go to a scratch folder, where the
command runs, as `make site` writes build/site/ where make runs.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from pathlib import Path

import pytest

from broadsheet.cli.main import main

REPO = Path(__file__).resolve().parents[2]
CACHE = Path("build/.cache")  # under a project's root: pictures and faces made once


@contextlib.contextmanager
def working_in(folder: Path):
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def build_web(root: Path, slug: str, where: Path) -> Path:
    """`broadsheet build issues/<slug>.yaml --edition web`, run in `where`."""
    where.mkdir(parents=True, exist_ok=True)
    err = io.StringIO()
    issue = str(root / "issues" / f"{slug}.yaml")
    with working_in(where):
        code = main(
            ["build", issue, "--edition", "web", "--root", str(root), "--quiet"],
            stdout=io.StringIO(),
            stderr=err,
            environ={},
        )
    assert code == 0, err.getvalue()
    return where / "build" / "site" / slug / "index.html"


@pytest.fixture(scope="session")
def october(tmp_path_factory) -> Path:
    """The October sample's page, classic theme."""
    return build_web(REPO, "2026-10", tmp_path_factory.mktemp("classic"))


def october_in(theme: str, root: Path) -> Path:
    """The October sample's page in `theme`: a copy of the samples whose
    newsletter.yaml picks it, in `root`, given the samples' cache as it is
    (build/.cache/: pictures prepared and faces cut by an earlier page), so
    that only what the theme needs anew is made."""
    shutil.copytree(REPO / "issues", root / "issues")
    if (REPO / CACHE).is_dir():
        shutil.copytree(REPO / CACHE, root / CACHE)
    shared = root / "issues" / "newsletter.yaml"
    shared.write_text(f"theme: {theme}\n" + shared.read_text(encoding="utf-8"), encoding="utf-8")
    return build_web(root, "2026-10", root)


@pytest.fixture(scope="session")
def october_modern(tmp_path_factory) -> Path:
    """The October sample's page in the modern theme."""
    return october_in("modern", tmp_path_factory.mktemp("modern") / "project")


@pytest.fixture(scope="session")
def persian(tmp_path_factory) -> Path:
    """The Persian sample's page (right to left, modern theme)."""
    return build_web(REPO, "fa/2026-12", tmp_path_factory.mktemp("persian"))
