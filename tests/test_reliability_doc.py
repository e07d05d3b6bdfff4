"""docs/reliability.md is kept honest: every test it names exists, and every
item of the reliability checklist is there, marked `[x]` or `[ ]`.

The checklist itself is not in the repository, so the number of items in each
of its sections is written down here; a section that loses or gains an item
fails the test. The last section holds the classes of failure of the second
adversarial round, which the checklist does not list.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "reliability.md"

# Items per section of the checklist, in its order.
SECTIONS = {
    "Input (YAML)": 9,
    "Markdown, HTML and templates": 5,
    "Rendering and fetcher (SSRF and local files)": 7,
    "Output files": 7,
    "Building messages": 6,
    "Sending (fault injection against aiosmtpd on 127.0.0.1)": 10,
    "Resume and idempotency": 6,
    "Dry run": 3,
    "Continuous": 2,
    "Second round: classes of failure": 15,
}

# `tests/path/test_file.py::name`: a test function (or fixture) in a file under tests/.
REFERENCE = re.compile(r"\b(tests/(?:[\w.-]+/)*[\w.-]+\.py)::(\w+)")
ITEM = re.compile(r"^- \[([x ])\] ")


def items_by_section(text: str) -> dict[str, list[str]]:
    """Each `### ` section's items, each with its indented continuation lines."""
    sections: dict[str, list[str]] = {}
    items: list[str] | None = None
    in_item = False
    for line in text.splitlines():
        if line.startswith("### "):
            items = sections.setdefault(line.removeprefix("### ").strip(), [])
            in_item = False
        elif items is not None and ITEM.match(line):
            items.append(line)
            in_item = True
        elif in_item and line.startswith("  "):
            items[-1] += "\n" + line
        else:
            in_item = False
    return sections


def test_every_named_test_exists():
    text = DOC.read_text(encoding="utf-8")
    references = sorted(set(REFERENCE.findall(text)))
    assert len(references) > 50, "docs/reliability.md names hardly any test"
    missing = []
    for file, name in references:
        path = REPO / file
        if not path.is_file():
            missing.append(f"{file}::{name} (no such file)")
            continue
        source = path.read_text(encoding="utf-8")
        if not re.search(rf"^\s*(?:async\s+)?def {re.escape(name)}\(", source, re.MULTILINE):
            missing.append(f"{file}::{name} (no such function)")
    assert not missing, "docs/reliability.md names tests that do not exist:\n" + "\n".join(missing)


def test_every_checklist_item_is_there_in_its_section():
    sections = items_by_section(DOC.read_text(encoding="utf-8"))
    counts = {name: len(items) for name, items in sections.items()}
    assert counts == SECTIONS


def test_every_item_is_proved_or_says_why_not():
    """A `[x]` names at least one test (or the lint rule that stands for one); a `[ ]`
    says whether it is not applicable, not done yet, or done in part."""
    sections = items_by_section(DOC.read_text(encoding="utf-8"))
    for section, items in sections.items():
        for item in items:
            head = item.splitlines()[0][:80]
            if item.startswith("- [x]"):
                assert REFERENCE.search(item) or "ruff S506" in item, f"{section}: {head}"
            else:
                reason = re.search(r"\b(Not applicable|Not done yet|Partly):", item)
                assert reason, f"{section}: {head} gives no reason"
