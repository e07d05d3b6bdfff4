"""Where templates and stylesheets come from: the project first, then the bundled theme.

A project's `layout/` and `styles/<theme>/` override the bundled files file by
file, so an editor can change one template or one stylesheet and keep the
rest. `styles/fonts/` is shared by every theme and overridden the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadsheet.errors import ContentError
from broadsheet.paths import inside, outside_error

BUNDLED = Path(__file__).parent / "bundled"


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path  # the project root

    @property
    def layout_dirs(self) -> tuple[Path, ...]:
        return (self.root / "layout", BUNDLED / "layout")

    @property
    def style_dirs(self) -> tuple[Path, ...]:
        return (self.root / "styles" / self.name, BUNDLED / "styles" / self.name)

    def stylesheets(self) -> list[Path]:
        """Every `*.css` of the theme in name order, each from the project when
        it has one; a located error for any that leads out of the project."""
        names = sorted({p.name for d in self.style_dirs if d.is_dir() for p in d.glob("*.css")})
        found = [self.find_style(name) for name in names]
        refused = [outside_error(path) for path in found if not contained(path, self.root)]
        if refused:
            raise ContentError(refused)
        return found

    def find_style(self, name: str) -> Path:
        for folder in self.style_dirs:
            if (folder / name).is_file():
                return folder / name
        raise FileNotFoundError(name)


def contained(path: Path, root: Path) -> bool:
    """Whether a file a build reads, its links followed, lies inside the
    project or the bundled theme: a link in `layout/` or `styles/` (or the
    folder itself) that leads elsewhere would put any file of the machine
    into the PDF."""
    resolved = path.resolve()
    return inside(resolved, root.resolve()) or inside(resolved, BUNDLED.resolve())


def available(root: Path) -> list[str]:
    """The themes a project can pick: its own `styles/*` folders and the bundled ones."""
    names = set()
    for styles in (root / "styles", BUNDLED / "styles"):
        if styles.is_dir():
            names |= {p.name for p in styles.iterdir() if p.is_dir() and any(p.glob("*.css"))}
    return sorted(names)


def shadowed_file(root: Path, requested: Path) -> Path | None:
    """The bundled counterpart of a missing project file under `layout/` or `styles/`.

    A project's stylesheet may say `url(../fonts/X.otf)` without the project
    having a `styles/fonts/` of its own: the bundled file answers instead.
    """
    root = root.resolve()
    try:
        relative = requested.relative_to(root)
    except ValueError:
        return None
    if relative.parts and relative.parts[0] in ("layout", "styles"):
        candidate = BUNDLED / relative
        if candidate.is_file():
            return candidate
    return None
