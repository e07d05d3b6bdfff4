"""What the numbers were measured on, and where the installed broadsheet
keeps what the contenders share (stylesheets, fonts, font configuration).

Reported with every run because timings mean nothing without the machine,
and because the machine may have been shared with other work.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "broadsheet",
    "weasyprint",
    "pydyf",
    "pypdf",
    "pikepdf",
    "typst",
    "pyinstrument",
    "aiosmtpd",
)


def describe(browser: str | None) -> dict:
    from benchmarks import chromium

    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["python"] = platform.python_version()
    versions["pango"] = _pango()
    versions["chromium"] = chromium.version(browser) if browser else "not installed"
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
        "system": f"{platform.system()} {platform.release()}",
        "os": _os_release(),
        "versions": versions,
    }


def package() -> Path:
    import broadsheet

    return Path(broadsheet.__file__).resolve().parent


def stylesheets(root: Path) -> list[Path]:
    """The classic theme's stylesheets, as broadsheet finds them for `root`."""
    from broadsheet.theme import Theme

    return list(Theme("classic", root).stylesheets())


def stylesheets_for(root: Path, issue: Path) -> list[Path]:
    """The stylesheets of the theme `issue` asks for, as broadsheet finds them."""
    from broadsheet.content.check import check
    from broadsheet.theme import Theme

    return list(Theme(check(issue, root).theme, root).stylesheets())


def bundled_fonts() -> Path:
    return package() / "bundled" / "styles" / "fonts"


def fontconfig_file() -> Path:
    return package() / "fonts.conf"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _os_release() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return "unknown"


def _pango() -> str:
    try:
        from weasyprint.text.ffi import pango

        number = pango.pango_version()  # 15010 for 1.50.10
        return f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    except Exception:  # a version string is not worth failing the bench for
        return "unknown"
