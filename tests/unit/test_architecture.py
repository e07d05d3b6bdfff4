"""The package's shape, as docs/architecture.md draws it: which package may
import which, imports at the top of modules, WeasyPrint in the engine only.

Read from the source with `ast`, so the rules hold for every module, not
only the ones a test happens to import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "broadsheet"

# The modules at the package's top level that everything may use.
LEAVES = "leaves"
# Who may import whom: a package's own modules always, the leaves always.
MAY_IMPORT = {
    LEAVES: set(),
    "content": set(),
    "html": {"content"},
    "planner": set(),
    "engine": {"content", "html", "planner"},
    "pdf": {"content"},
    "outputs": {"content", "html"},
    "editions": {"content", "html", "pdf"},
    "pipeline": {"content", "html", "engine", "pdf", "outputs", "editions"},
    "mail": {"content", "outputs", "pdf", "pipeline", "editions"},
    "editor": {"content", "html", "engine", "pdf", "outputs", "pipeline"},
    "cli": {
        "content",
        "html",
        "engine",
        "pdf",
        "outputs",
        "pipeline",
        "editor",
        "mail",
        "editions",
    },
}
# The imports made inside a function: the engine's, when a build starts,
# so that `broadsheet check` and the mail of a built issue never pay for it;
# the web page's (a font subsetter, an HTML reader), when the web edition is
# built, so that a PDF build never pays for them; the stamp's (pikepdf,
# fontTools, HarfBuzz), when an issue is personalised, so that a plain send
# starts as fast as before.
LATE_IMPORTS = {
    ("pipeline.py", "broadsheet.engine"),
    ("pipeline.py", "broadsheet.editions.web_reader"),
    ("pipeline.py", "broadsheet.html.web"),
    ("mail/copies.py", "broadsheet.mail.stamp"),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def layer(module: str) -> str:
    """`broadsheet.engine.typeset` -> engine; `broadsheet.errors` -> leaves."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "broadsheet":
        return ""
    if parts[1] == "pipeline":
        return "pipeline"
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return LEAVES


def imports(path: Path) -> list[tuple[str, ast.stmt, bool]]:
    """(module imported, statement, whether it stands at the top level)."""
    tree = ast.parse(path.read_text())
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            # `from broadsheet import engine` names a package, `from x import y` a thing in x
            wanted = [n for n in names if (PACKAGE / n.split(".", 1)[-1]).is_dir()] or [node.module]
            found += [(module, node, id(node) in top) for module in wanted]
    return found


def type_checking_only(path: Path) -> set[int]:
    """The line numbers of imports under `if TYPE_CHECKING:` (annotations only)."""
    tree = ast.parse(path.read_text())
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    lines.add(inner.lineno)
    return lines


def own_layer(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    if relative.parts == ("pipeline.py",):
        return "pipeline"
    if relative.parts == ("__main__.py",):  # `python -m broadsheet`: the command line
        return "cli"
    return relative.parts[0] if len(relative.parts) > 1 else LEAVES


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_package_imports_only_the_layers_below_it(path):
    mine = own_layer(path)
    allowed = {mine, LEAVES, *MAY_IMPORT[mine]}
    hints = type_checking_only(path)
    wrong = [
        f"line {node.lineno}: {module}"
        for module, node, _ in imports(path)
        if layer(module) and layer(module) not in allowed and node.lineno not in hints
    ]
    assert not wrong, f"{mine} may import {sorted(allowed)}; found {wrong}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_stand_at_the_top(path):
    name = str(path.relative_to(PACKAGE))
    hints = type_checking_only(path)
    late = [
        f"line {node.lineno}: {module}"
        for module, node, at_top in imports(path)
        if not at_top and node.lineno not in hints and (name, module) not in LATE_IMPORTS
    ]
    assert not late


def test_only_the_engine_imports_weasyprint():
    found = {
        str(path.relative_to(PACKAGE))
        for path in modules()
        for module, _, _ in imports(path)
        if module.split(".")[0] in ("weasyprint", "pydyf")
    }
    assert found
    assert all(name.startswith("engine/") for name in found), sorted(found)


def test_the_leaves_use_nothing_but_each_other():
    leaves = [path for path in modules() if own_layer(path) == LEAVES]
    assert {path.name for path in leaves} >= {"errors.py", "source.py", "limits.py", "profiles.py"}


def test_the_rules_catch_a_wrong_import(tmp_path):
    """The checks read what they should: a content module importing the
    engine, and an import inside a function, are both seen."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from broadsheet.engine.typeset import typeset\n\ndef f():\n    import broadsheet.pdf\n"
    )
    found = imports(wrong)
    assert [(m, top) for m, _, top in found] == [
        ("broadsheet.engine.typeset", True),
        ("broadsheet.pdf", False),
    ]
    assert layer("broadsheet.engine.typeset") == "engine" not in MAY_IMPORT["content"]
