"""The benchmark's own code (benchmarks/): its scripts call the pipeline as it
is, and its report says what the numbers are. No timing is asserted here:
the seconds belong in docs/performance.md, read by people."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINIMAL_ISSUE, REPO

BENCHMARKS = REPO / "benchmarks"


def _report():
    spec = importlib.util.spec_from_file_location("bench_report", BENCHMARKS / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sample(wall: float, cpu: float, peak: float = 100.0, pages: int = 4) -> dict:
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "pdf_bytes": 1000, "pages": pages}


def _results() -> dict:
    """Made-up numbers in the shape run.py saves."""
    sizes = {}
    for size, build, weasy in (("4", 2.0, 1.6), ("40", 20.0, 8.0)):
        pages = int(size)
        sizes[size] = {
            "first": _sample(build, build, pages=pages),
            "samples": {
                "build": [_sample(build, build, pages=pages)] * 3,
                "weasy": [_sample(weasy, weasy, pages=pages)] * 3,
            },
        }
    return {
        "quick": True,
        "seconds": 60.0,
        "machine": {
            "versions": {"broadsheet": "0"},
            "cpu": "a CPU",
            "cores": 2,
            "memory_gb": 1,
            "os": "an OS",
            "system": "a kernel",
        },
        "load_before": (0.1, 0.1, 0.1),
        "load_after": (0.1, 0.1, 0.1),
        "launcher_floor_mb": 9,
        "repetitions": {"4": 3, "40": 3},
        "sizes": sizes,
        "warm": {
            "label": "pipeline.build with one Session (the watch path)",
            "cold": (2.2, 2.1),
            "rebuilds": [(1.0, 1.0)] * 3,
            "peak_mb": 120,
            "engine_again": [(0.8, 0.8)] * 3,
        },
    }


def test_the_report_states_the_cpu_ratio_per_size_and_the_warm_rebuild():
    page = _report().markdown(_results())
    assert "at 4 pages a build takes 2.00 s of CPU, WeasyPrint alone 1.60 s (1.25x)" in page
    assert "at 40 pages a build takes 20.00 s of CPU, WeasyPrint alone 8.00 s (2.50x)" in page
    warm = "| warm rebuild | 1.00 s | 1.00 s | **0.50x** | **1.25x** |"
    assert warm in page  # against the cold build, and against the engine's warm floor
    assert "## Why a build is one process (the forks removed)" in page
    assert "CPU ratio to WeasyPrint is **1.25x**" in page


def test_the_report_describes_the_build_as_one_process():
    page = _report().markdown(_results())
    for gone in ("(a0)", "one-off", "companion process loads", "build_alone"):
        assert gone not in page, gone


def _project(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "project"
    (root / "issues").mkdir(parents=True)
    issue = root / "issues" / "one.yaml"
    issue.write_text(MINIMAL_ISSUE, encoding="utf-8")
    return root, issue


def _script(name: str, *args: str, cwd: Path) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_warm_script_rebuilds_through_the_pipeline(tmp_path):
    root, issue = _project(tmp_path)
    said = _script("warm.py", str(root), str(issue), "out.pdf", "1", cwd=root)
    assert len(said["rebuilds"]) == 1
    assert (root / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert issue.read_text(encoding="utf-8") == MINIMAL_ISSUE  # the edits undone


@pytest.mark.parametrize("mode", ["cold", "warm"])
def test_the_profile_script_builds_both_ways(tmp_path, mode):
    if importlib.util.find_spec("pyinstrument") is None:
        pytest.skip("pyinstrument is a bench extra")
    root, issue = _project(tmp_path)
    text = tmp_path / "profile.txt"
    said = _script("profile_build.py", str(root), str(issue), "out.pdf", str(text), mode, cwd=root)
    assert said["mode"] == mode
    assert said["pages"] >= 1
    assert said["regions"]["typeset, every layout (engine)"] > 0
