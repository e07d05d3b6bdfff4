"""Where templates and stylesheets come from: the project first, then the bundled theme.

A theme's stylesheets are two layers: `styles/base/`, the structure every
theme shares (break rules, bookmarks, the contents' page numbers, the
columns of a box, A5 in one column), then `styles/<theme>/`, its look. A
project's `layout/`, `styles/base/` and `styles/<theme>/` override the
bundled files file by file, so an editor can change one template or one
stylesheet and keep the rest. `styles/fonts/` is shared by every theme and
overridden the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from broadsheet.errors import ContentError
from broadsheet.paths import inside, outside_error

BUNDLED = Path(__file__).parent / "bundled"
BASE = "base"  # styles/base/: applied before every theme's own stylesheets, never a theme
WEB = "web"  # styles/<theme>/web/: the screen stylesheets of the web edition


@dataclass(frozen=True)
class Theme:
    name: str
    root: Path  # the project root

    @property
    def layout_dirs(self) -> tuple[Path, ...]:
        return (self.root / "layout", BUNDLED / "layout")

    @property
    def style_dirs(self) -> tuple[Path, ...]:
        return _style_dirs(self.root, self.name)

    @property
    def base_dirs(self) -> tuple[Path, ...]:
        return _style_dirs(self.root, BASE)

    def stylesheets(self) -> list[Path]:
        """Every `*.css` of the base, then of the theme, each layer in name
        order and each file from the project when it has one; a located
        error for any that leads out of the project."""
        found = [*_layer(self.base_dirs), *_layer(self.style_dirs)]
        refused = [outside_error(path) for path in found if not contained(path, self.root)]
        if refused:
            raise ContentError(refused)
        return found

    def screen_stylesheets(self) -> list[Path]:
        """The web edition's stylesheets: every `*.css` of `styles/base/web/`,
        then of `styles/<theme>/web/`, found file by file as the print ones
        are. A folder of their own, so the engine never reads them."""
        folders = [tuple(d / WEB for d in dirs) for dirs in (self.base_dirs, self.style_dirs)]
        found = [path for layer in folders for path in _layer(layer)]
        refused = [outside_error(path) for path in found if not contained(path, self.root)]
        if refused:
            raise ContentError(refused)
        return found

    def find_style(self, name: str) -> Path:
        """One stylesheet of the theme itself (not of the base)."""
        return _find(self.style_dirs, name)


def _style_dirs(root: Path, name: str) -> tuple[Path, Path]:
    return (root / "styles" / name, BUNDLED / "styles" / name)


def _layer(folders: tuple[Path, ...]) -> list[Path]:
    names = sorted({p.name for d in folders if d.is_dir() for p in d.glob("*.css")})
    return [_find(folders, name) for name in names]


def _find(folders: tuple[Path, ...], name: str) -> Path:
    for folder in folders:
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
    """The themes a project can pick: its own `styles/*` folders and the
    bundled ones; `base` is under every theme, not one of them."""
    names = set()
    for styles in (root / "styles", BUNDLED / "styles"):
        if styles.is_dir():
            names |= {p.name for p in styles.iterdir() if p.is_dir() and any(p.glob("*.css"))}
    return sorted(names - {BASE})


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
