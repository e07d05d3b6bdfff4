"""docs/performance.md from a bench run's results (build/bench/results.json).

Kept apart from the measuring so the page can be rewritten from saved
results (`python -m benchmarks.report build/bench/results.json`) without
measuring again. Every number on the page comes from the results; the
sentences that recommend changes are written around those numbers.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

NAMES = {
    "build": "(a) `broadsheet build`, fresh process",
    "weasy": "(b) WeasyPrint alone, same HTML",
    "typst": "(c) Typst, same content",
    "chromium": "(d) Chromium `--print-to-pdf`, same HTML",
    "help": "`broadsheet --help`",
    "check": "`broadsheet check`",
}
MB = 1e6 / 2**20  # MiB in a megabyte


def _ok(samples: list[dict]) -> list[dict]:
    return [s for s in samples if not s.get("failed")]


def _median(samples: list[dict], key: str) -> float | None:
    values = [s[key] for s in _ok(samples)]
    return statistics.median(values) if values else None


def _spread(samples: list[dict], key: str = "wall", unit: str = "s") -> str:
    values = [s[key] for s in _ok(samples)]
    if not values:
        failed = next((s["failed"] for s in samples if s.get("failed")), "not run")
        return f"failed: {failed[:80]}"
    middle = statistics.median(values)
    if len(values) == 1:
        return f"{middle:.2f} {unit}"
    return f"{middle:.2f} {unit} ({min(values):.2f}-{max(values):.2f})"


def _ratio(top: float | None, bottom: float | None) -> str:
    if not top or not bottom:
        return "n/a"
    return f"{top / bottom:.2f}x"


def markdown(results: dict) -> str:
    parts = [_head(results), _judged(results), _contenders_table(results), _targets(results)]
    parts += [_warm(results), _batch(results), _profile(results), _experiments(results)]
    parts += [
        _recommendations(results),
        _one_process(results),
        _stamping(results),
        _beyond(results),
        _about(),
    ]
    return "\n".join(parts)


def _cpu_against_engine(results: dict) -> list[tuple[str, tuple, tuple]]:
    """(size, (wall, CPU) of `broadsheet build`, (wall, CPU) of WeasyPrint alone on
    the same HTML) for every size where both ran, medians of this run."""
    out = []
    for size, found in results["sizes"].items():
        samples = found["samples"]
        build, weasy = samples.get("build", []), samples.get("weasy", [])
        ours = _median(build, "wall"), _median(build, "cpu")
        engine = _median(weasy, "wall"), _median(weasy, "cpu")
        if ours[1] and engine[1]:
            out.append((size, ours, engine))
    return out


def _warm_medians(results: dict) -> tuple[tuple, tuple, tuple | None] | None:
    """(warm rebuild, cold build in a fresh process, WeasyPrint's own warm floor),
    each (wall, CPU), 4 pages; None when the warm rebuilds did not run."""
    warm = results.get("warm", {})
    cold = results["sizes"].get("4", {}).get("samples", {}).get("build", [])
    if not warm.get("rebuilds") or not _ok(cold):
        return None
    rebuild = (
        statistics.median(w for w, _ in warm["rebuilds"]),
        statistics.median(c for _, c in warm["rebuilds"]),
    )
    return rebuild, (_median(cold, "wall"), _median(cold, "cpu")), _engine_floor(warm)


def _judged(results: dict) -> str:
    """The two measures the build is judged by, stated first and plainly."""
    lines = [
        "## The build against its engine: CPU, and warm rebuilds",
        "",
        "A build is one process: `broadsheet build` loads and validates the issue, renders it,"
        " lays it out with WeasyPrint (again when copy-fit asks), writes the PDF, verifies it"
        " and writes the files, all in the process the command started. Its CPU (user + system"
        " seconds) is set against WeasyPrint alone laying out and writing the same HTML in a"
        " fresh process of its own (contender (b)); the ratio is what broadsheet costs on top"
        " of its engine.",
        "",
        "| pages asked | `broadsheet build`, CPU | WeasyPrint alone, same HTML, CPU"
        " | CPU ratio | wall, build | wall, WeasyPrint | wall ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    pairs = _cpu_against_engine(results)
    for size, ours, engine in pairs:
        lines.append(
            f"| {size} | {ours[1]:.2f} s | {engine[1]:.2f} s | **{_ratio(ours[1], engine[1])}**"
            f" | {ours[0]:.2f} s | {engine[0]:.2f} s | {_ratio(ours[0], engine[0])} |"
        )
    if pairs:
        lines += [
            "",
            "In words: "
            + "; ".join(
                f"at {size} pages a build takes {ours[1]:.2f} s of CPU, WeasyPrint alone"
                f" {engine[1]:.2f} s ({ours[1] / engine[1]:.2f}x)"
                for size, ours, engine in pairs
            )
            + "."
            + _layouts_note(results),
        ]
    found = _warm_medians(results)
    if found:
        rebuild, cold, floor = found
        floor_cpu = floor[1] if floor else None
        lines += [
            "",
            "A warm rebuild (`broadsheet watch` after a save: `pipeline.build` again with the"
            " same `Session`, 4 pages) against a cold build in a fresh process and against"
            " WeasyPrint's own warm floor (the same HTML laid out and written again in a process"
            " that has its stylesheets and fonts loaded):",
            "",
            "| 4 pages | wall | CPU | CPU / cold build | CPU / WeasyPrint warm |",
            "| --- | --- | --- | --- | --- |",
            f"| warm rebuild | {rebuild[0]:.2f} s | {rebuild[1]:.2f} s"
            f" | **{_ratio(rebuild[1], cold[1])}** | **{_ratio(rebuild[1], floor_cpu)}** |",
            f"| cold build, fresh process ((a)) | {cold[0]:.2f} s | {cold[1]:.2f} s | 1.00x"
            f" | {_ratio(cold[1], floor_cpu)} |",
        ]
        if floor:
            lines.append(
                f"| WeasyPrint alone, warm (the floor) | {floor[0]:.2f} s | {floor[1]:.2f} s"
                f" | {_ratio(floor[1], cold[1])} | 1.00x |"
            )
    return "\n".join([*lines, ""])


def _layouts_note(results: dict) -> str:
    """Why a larger issue's ratio is higher: copy-fit's extra layouts, from the profiles."""
    said = []
    for size in results.get("profiles", {}):
        p = _cold(results, size)
        if p and p["layouts"] > 1:
            said.append(f"{size} pages: {p['layouts']} layouts of the whole issue")
    if not said:
        return ""
    return (
        " Where the ratio is well above 1, copy-fit laid the issue out more than once to close"
        f" its holes ({'; '.join(said)}, from the profiles below), and WeasyPrint alone lays it"
        " out once."
    )


def _head(results: dict) -> str:
    machine = results["machine"]
    versions = machine["versions"]
    load = results["load_before"], results["load_after"]
    shared = max(load[0][0], load[1][0]) >= 0.5
    kind = "a quick smoke run (`BENCH_QUICK=1`)" if results["quick"] else "a full run"
    lines = [
        "# Performance",
        "",
        "Generated by `make bench` (" + kind + f", {results['seconds'] / 60:.1f} minutes);"
        " rerun it to refresh every number here. Rerun:",
        "",
        "```sh",
        "make bench                 # installs the bench extras into .venv, measures, "
        "rewrites this page",
        "BENCH_QUICK=1 make bench   # a smoke run: no 160-page issue, fewer repetitions",
        "python -m benchmarks.report build/bench/results.json   # this page again from saved "
        "results",
        "```",
        "",
        "Times are medians with the range (min-max) in brackets. Wall is the clock, CPU is user +"
        " system seconds of the process and its children (`os.wait4`), peak is the largest"
        " resident set of any one process (MiB; each command is started from a small launcher,"
        f" whose {results.get('launcher_floor_mb', 0):.0f} MiB are the floor of every peak)."
        " Contenders take turns within a size, in an order"
        " rotated each repetition; compare ratios from the same run, not absolute seconds from"
        " different runs (drift between runs minutes apart reached 35% on these machines).",
        "",
        f"**Machine:** {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB,"
        f" {machine['os']} ({machine['system']}). Load average {load[0][0]:.2f} before,"
        f" {load[1][0]:.2f} after.",
        "",
    ]
    if shared:
        lines += [
            "**This run shared the machine** with other builds and test runs (see the load"
            " averages), so absolute seconds are pessimistic; the paired ratios are what to read.",
            "",
        ]
    lines += [
        "**Versions:** "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
        + ". Repetitions per size: "
        + ", ".join(f"{n} at {size} pages" for size, n in results["repetitions"].items())
        + ".",
        "",
    ]
    return "\n".join(lines)


def _contenders_table(results: dict) -> str:
    lines = [
        "## The contenders, size by size",
        "",
        "| pages asked | contender | wall | CPU | peak MiB | PDF bytes | pages"
        " | wall / (b) | CPU / (b) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, found in results["sizes"].items():
        samples = found["samples"]
        engine = _median(samples.get("weasy", []), "wall"), _median(samples.get("weasy", []), "cpu")
        for name, runs in samples.items():
            if name in ("help", "check"):
                continue
            lines.append(_row(size, NAMES[name], runs, engine))
        if "chromium" not in samples:
            lines.append(
                f"| {size} | {NAMES['chromium']} | skipped: no `chromium` on this machine"
                " (Debian: `apt-get install chromium`) | | | | | | |"
            )
        first = found["first"]
        lines.append(
            f"| {size} | first build (empty picture and measure caches, writes the HTML)"
            f" | {first['wall']:.2f} s"
            f" | {first['cpu']:.2f} s | {first['peak_mb']:.0f} | {first['pdf_bytes']:,}"
            f" | {first['pages']} | {_ratio(first['wall'], engine[0])}"
            f" | {_ratio(first['cpu'], engine[1])} |"
        )
    return "\n".join([*lines, ""])


def _row(size: str, name: str, runs: list[dict], engine: tuple) -> str:
    ok = _ok(runs)
    if not ok:
        return f"| {size} | {name} | {_spread(runs)} | | | | | | |"
    peak = _median(runs, "peak_mb")
    size_bytes = _median(runs, "pdf_bytes")
    pages = _median(runs, "pages")
    return (
        f"| {size} | {name} | {_spread(runs)} | {_spread(runs, 'cpu')} | {peak:.0f}"
        f" | {size_bytes:,.0f} | {pages:.0f} | {_ratio(_median(runs, 'wall'), engine[0])}"
        f" | {_ratio(_median(runs, 'cpu'), engine[1])} |"
    )


def _pair(top: tuple, bottom: tuple, unit: str = "s") -> str:
    """'0.55x wall (12.7 s against 22.9 s), 0.56x CPU' from (wall, cpu) pairs."""
    return (
        f"{top[0] / bottom[0]:.2f}x wall ({top[0]:.2f} {unit} against {bottom[0]:.2f} {unit}),"
        f" {top[1] / bottom[1]:.2f}x CPU"
    )


def measured_targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue. Time targets are
    judged on wall clock, as asked; the CPU ratio beside it is what a machine
    shared with other work cannot blur."""
    sizes = results["sizes"]
    out: list[tuple[str, str, bool | None]] = []

    def med(size: str, name: str, key: str = "wall") -> float | None:
        return _median(sizes.get(size, {}).get("samples", {}).get(name, []), key)

    def both(size: str, name: str) -> tuple:
        return med(size, name), med(size, name, "cpu")

    build4, weasy4 = both("4", "build"), both("4", "weasy")
    if build4[0] and weasy4[0]:
        over = build4[0] / weasy4[0] - 1
        out.append(
            (
                "overhead over raw WeasyPrint on the same HTML, 4 pages: at most 15%",
                f"{over:+.0%}: {_pair(build4, weasy4)} ({build4[1] / weasy4[1] - 1:+.0%} CPU)",
                over <= 0.15,
            )
        )
    if med("40", "build") and med("160", "build"):
        pages40, pages160 = med("40", "build", "pages"), med("160", "build", "pages")
        per40 = tuple(value / pages40 for value in both("40", "build"))
        per160 = tuple(value / pages160 for value in both("160", "build"))
        out.append(
            (
                "time per page at 160 pages within 1.2x of 40 pages",
                _pair(per160, per40, "s/page"),
                per160[0] / per40[0] <= 1.2,
            )
        )
    else:
        out.append(
            ("time per page at 160 pages within 1.2x of 40 pages", "not measured (quick run)", None)
        )
    warm = results.get("warm", {})
    if warm.get("rebuilds") and build4[0]:
        rebuild = (
            statistics.median(w for w, _ in warm["rebuilds"]),
            statistics.median(c for _, c in warm["rebuilds"]),
        )
        floor = _engine_floor(warm)
        engine = (
            f"; the engine alone, laying out and writing the same HTML again in a warm"
            f" process, takes {floor[0]:.2f} s ({floor[0] / build4[0]:.2f}x of the cold build):"
            " the target is below the engine's floor"
            if floor and floor[0] / build4[0] > 0.3
            else ""
        )
        out.append(
            (
                "warm rebuild of the 4-page issue at most 0.3x its cold build",
                f"{_pair(rebuild, build4)}; {warm['label']}{engine}",
                rebuild[0] / build4[0] <= 0.3,
            )
        )
    batch = results.get("batch", {}).get("samples", {})
    way = "one call --jobs 2" if batch.get("one call --jobs 2") else "one call"
    one = _median(batch.get(way, []), "wall"), _median(batch.get(way, []), "cpu")
    apart_runs = batch.get("separate processes, one at a time", [])
    apart = _median(apart_runs, "wall"), _median(apart_runs, "cpu")
    if one[0] and apart[0]:
        shown = way if way != "one call" else "one call, serial: no --jobs in this tree"
        out.append(
            (
                f"{results['batch']['issues']} issues in one call at most 0.5x"
                " separate processes (one at a time)",
                f"{_pair(one, apart)} ({shown})",
                one[0] / apart[0] <= 0.5,
            )
        )
    for size in sizes:
        ours, theirs = med(size, "build", "pdf_bytes"), med(size, "chromium", "pdf_bytes")
        if ours and theirs:
            out.append(
                (
                    f"PDF bytes at most 0.5x Chromium's, {size} pages",
                    f"{ours / theirs:.2f}x ({ours:,.0f} against {theirs:,.0f} bytes)",
                    ours / theirs <= 0.5,
                )
            )
    peak = med("160", "build", "peak_mb")
    if peak:
        engine_peak = med("160", "weasy", "peak_mb")
        floor = (
            f"; WeasyPrint alone on the same HTML peaks at {engine_peak / MB:.0f} MB: the target"
            " is below the engine's floor"
            if engine_peak and engine_peak / MB >= 300
            else ""
        )
        out.append(
            (
                "peak memory at 160 pages under 300 MB",
                f"{peak / MB:.0f} MB ({peak:.0f} MiB){floor}",
                peak / MB < 300,
            )
        )
    else:
        out.append(("peak memory at 160 pages under 300 MB", "not measured (quick run)", None))
    for name in ("help", "check"):
        value = both("4", name)
        if value[0]:
            suffix = " (4-page issue)" if name == "check" else ""
            out.append(
                (
                    f"{NAMES[name]} under 0.4 s{suffix}",
                    f"{value[0]:.2f} s wall, {value[1]:.2f} s CPU",
                    value[0] < 0.4,
                )
            )
    return out


def _engine_floor(warm: dict) -> tuple[float, float] | None:
    """Median (wall, CPU) of WeasyPrint alone laying out and writing the same
    HTML again in one warm process: no warm rebuild can be faster."""
    again = warm.get("engine_again")
    if not isinstance(again, list) or not again:
        return None
    return statistics.median(w for w, _ in again), statistics.median(c for _, c in again)


def _targets(results: dict) -> str:
    lines = [
        "## Targets",
        "",
        "Judged on the wall-clock medians of this run, as the targets are set; the CPU ratio"
        " beside each is the one a busy machine cannot blur.",
        "",
        "| target | measured (medians, same run) | met |",
        "| --- | --- | --- |",
    ]
    for target, measured, met in measured_targets(results):
        verdict = "n/a" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {target} | {measured} | {verdict} |")
    return "\n".join([*lines, ""])


def _warm(results: dict) -> str:
    warm = results.get("warm", {})
    if warm.get("failed") or not warm:
        return f"## (e) Warm rebuilds\n\nFailed: {warm.get('failed', 'not run')}\n"
    walls = [w for w, _ in warm["rebuilds"]]
    cpus = [c for _, c in warm["rebuilds"]]
    cold = results["sizes"]["4"]["samples"]["build"]
    return "\n".join(
        [
            "## (e) Warm rebuilds, 4 pages",
            "",
            f"What was timed: {warm['label']}. One process builds the issue once, then the issue's"
            f" YAML is edited and rebuilt {len(walls)} times (as a watcher does after each save).",
            "",
            "| build | wall | CPU | peak MiB |",
            "| --- | --- | --- | --- |",
            f"| cold, fresh process ((a) above) | {_spread(cold)} | {_spread(cold, 'cpu')}"
            f" | {_median(cold, 'peak_mb'):.0f} |",
            f"| first build inside the long-lived process | {warm['cold'][0]:.2f} s | "
            f"{warm['cold'][1]:.2f} s | |",
            f"| warm rebuild | {statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f})"
            f" | {statistics.median(cpus):.2f} s | {warm['peak_mb']:.0f} (the process) |",
            *_floor_row(warm),
            "",
        ]
    )


def _floor_row(warm: dict) -> list[str]:
    floor = _engine_floor(warm)
    if floor is None:
        return []
    walls = [w for w, _ in warm["engine_again"]]
    return [
        "| WeasyPrint alone, the same HTML laid out and written again in one process"
        f" (the floor) | {floor[0]:.2f} s ({min(walls):.2f}-{max(walls):.2f})"
        f" | {floor[1]:.2f} s | |"
    ]


def _batch(results: dict) -> str:
    batch = results.get("batch", {})
    if not batch:
        return ""
    note = (
        "`broadsheet build --help` lists `--jobs`, so the one call also ran with `--jobs 2`."
        if batch["jobs_option"]
        else "`broadsheet build --help` does not list `--jobs` in this tree: the one call"
        " builds its issues one after another in one process. The bench passes `--jobs 2`"
        " as soon as the option exists."
    )
    lines = [
        f"## (f) {batch['issues']} issues of 4 pages: one call against separate processes",
        "",
        note,
        "",
        "| how | wall | CPU | peak MiB | wall / one at a time |",
        "| --- | --- | --- | --- | --- |",
    ]
    apart = _median(batch["samples"].get("separate processes, one at a time", []), "wall")
    for name, runs in batch["samples"].items():
        if not _ok(runs):
            lines.append(f"| {name} | {_spread(runs)} | | | |")
            continue
        lines.append(
            f"| {name} | {_spread(runs)} | {_spread(runs, 'cpu')}"
            f" | {_median(runs, 'peak_mb'):.0f} | {_ratio(_median(runs, 'wall'), apart)} |"
        )
    return "\n".join([*lines, ""])


MODE_NAMES = {
    "cold": "cold build",
    "warm": "warm rebuild",
}


def _profiled(results: dict) -> list[tuple[str, str, dict]]:
    """(size, mode, profile) for every profile that ran."""
    return [
        (size, mode, found)
        for size, modes in results.get("profiles", {}).items()
        for mode, found in modes.items()
        if not found.get("failed")
    ]


def _cold(results: dict, size: str) -> dict | None:
    """The profile of a cold build, as `broadsheet build` runs it: every stage shows."""
    found = results.get("profiles", {}).get(size, {}).get("cold", {})
    return found if found and not found.get("failed") else None


def _profile(results: dict) -> str:
    lines = [
        "## Where a build's time goes (pyinstrument)",
        "",
        "One `pipeline.build` in a fresh process under pyinstrument (1 ms samples; the profiler"
        " adds some time), two ways: a *cold build* is the build `broadsheet build` runs, every"
        " stage in one process, imports included; a *warm rebuild* is the second build in a"
        " process that keeps a `Session` (the watch path). Each region is the outermost time of"
        " its functions, so indented rows are part of the row above them. Full profiles:"
        " `build/bench/profile-*.txt`.",
        "",
    ]
    columns = _profiled(results)
    if not columns:
        return "\n".join([*lines, "Not profiled.", ""])
    header = "| region | " + " | ".join(
        f"{size} pages, {MODE_NAMES.get(mode, mode)}" for size, mode, _ in columns
    )
    lines += [header + " |", "| --- |" + " --- |" * len(columns)]
    labels = list(dict.fromkeys(label for _, _, p in columns for label in p["regions"]))
    for label in labels:
        cells = []
        for _, _, p in columns:
            seconds = p["regions"].get(label)
            cells.append("" if not seconds else f"{seconds:.2f} s ({seconds / p['profiled']:.0%})")
        if not any(cells):
            continue
        shown = label.replace("  ", "&nbsp;&nbsp;")
        lines.append(f"| {shown} | " + " | ".join(cells) + " |")
    rows = (
        ("**whole build** (wall, profiled)", lambda p: f"{p['profiled']:.2f} s"),
        ("pages in the PDF", lambda p: str(p["pages"])),
        (
            "layouts of the whole issue (copy-fit attempts)",
            lambda p: str(p["layouts"]),
        ),
        (
            "pages laid out by the engine, all layouts and passes",
            lambda p: str(p["pages_laid_out"]),
        ),
        ("repagination passes", lambda p: str(p["repagination_passes"])),
    )
    for name, cell in rows:
        lines.append(f"| {name} | " + " | ".join(cell(p) for _, _, p in columns) + " |")
    return "\n".join([*lines, ""])


def _experiment_medians(results: dict) -> dict[str, dict]:
    out = {}
    for variant in results.get("experiments", {}).get("variants", []):
        runs = [r for r in variant["runs"] if "failed" not in r]
        key = "layout_cpu" if runs and "layout_cpu" in runs[0] else "layout"
        if runs:
            out[variant["key"]] = {
                "change": variant["change"],
                "css": variant["css"],
                "layout": statistics.median(r[key] for r in runs),
                "low": min(r[key] for r in runs),
                "high": max(r[key] for r in runs),
                "wall": statistics.median(r["layout"] for r in runs),
                "pages": runs[0]["pages"],
                "laid_out": runs[0]["pages_laid_out"],
                "passes": runs[0]["passes"],
            }
    return out


def _experiments(results: dict) -> str:
    found = _experiment_medians(results)
    if not found:
        return ""
    base = found.get("theme", {}).get("layout")
    lines = [
        f"## What the templates cost the engine ({results['experiments']['pages']})",
        "",
        "The HTML of the issue above, laid out by WeasyPrint alone (layout only, no PDF written),"
        " with one rule of the theme overridden by an extra stylesheet. Before = `theme`; after ="
        " each variant. Layout is the CPU seconds of the layout alone (median, min-max; wall"
        " beside it); pages laid out counts pages the engine made, re-made ones included. A"
        " difference inside the runs' spread is noise.",
        "",
        "| variant | what changes | layout CPU | wall | vs theme | pages | pages laid out"
        " | passes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, f in found.items():
        spread = f"{f['layout']:.2f} s" + (
            f" ({f['low']:.2f}-{f['high']:.2f})" if f["low"] != f["high"] else ""
        )
        lines.append(
            f"| `{key}` | {f['change']} | {spread} | {f['wall']:.2f} s"
            f" | {_ratio(f['layout'], base)}"
            f" | {f['pages']} | {f['laid_out']} | {f['passes']} |"
        )
    lines += ["", "The CSS of each variant:", ""]
    lines += [f"- `{key}`: `{f['css']}`" for key, f in found.items() if f["css"]]
    return "\n".join([*lines, ""])


def _recommendations(results: dict) -> str:
    found = _experiment_medians(results)
    profiles = results.get("profiles", {})
    lines = ["## What would cut the engine's time, measured", ""]
    base = found.get("theme", {}).get("layout")
    if base:
        for key, words in (
            ("no-balance", "Balancing story columns (`column-fill: balance`)"),
            ("one-column", "Multi-column story bodies altogether"),
            ("no-pages", '`counter(pages)` in the footer ("Page X of Y")'),
            ("no-targets", "`target-counter()` in the contents and jump lines"),
            ("cheapest", "All three cheaper rules together"),
        ):
            if key in found:
                saved = 1 - found[key]["layout"] / base
                extra = ""
                if found[key]["pages"] != found["theme"]["pages"]:
                    pages, theirs = found[key]["pages"], found["theme"]["pages"]
                    extra = f" (and the issue takes {pages} pages, not {theirs})"
                made = found[key]["laid_out"] - found[key]["pages"]
                theme = found["theme"]
                if found[key]["low"] <= theme["high"] and theme["low"] <= found[key]["high"]:
                    extra += " (inside the runs' spread: not a measurable difference)"
                lines.append(
                    f"- {words}: {saved:.0%} of layout time{extra}; the variant re-made {made}"
                    f" page(s) in {found[key]['passes']} repagination pass(es)"
                    f" (the theme: {found['theme']['laid_out'] - found['theme']['pages']} in"
                    f" {found['theme']['passes']})."
                )
        lines.append("")
    for size in profiles:
        p = _cold(results, size)
        if p is None:
            continue
        total = p["profiled"]
        r = p["regions"]
        typeset = r["typeset, every layout (engine)"]
        extra_layouts = typeset * (p["layouts"] - 1) / p["layouts"] if p["layouts"] > 1 else 0
        lines.append(
            f"- {size} pages asked: {p['layouts']} layout(s) of the whole issue; the copy-fit"
            f" retries cost {extra_layouts:.2f} s of {total:.2f} s ({extra_layouts / total:.0%});"
            f" imports {r['imports'] / total:.0%}; verify "
            f"{r['verify (read back, checks)'] / total:.0%};"
            f" write {r['write PDF (engine + finisher)'] / total:.0%}; multi-column boxes"
            f" {r['    multi-column boxes'] / total:.0%} of the build"
            f" ({r['    multi-column boxes'] / max(r['  page layout (all passes)'], 1e-9):.0%}"
            " of page layout)."
        )
    lines += _overhead(results)
    for size, found_size in results["sizes"].items():
        ours = _median(found_size["samples"].get("build", []), "peak_mb")
        engine = _median(found_size["samples"].get("weasy", []), "peak_mb")
        if ours and engine:
            lines.append(
                f"- Peak memory, {size} pages asked: {ours:.0f} MiB for the build against"
                f" {engine:.0f} MiB for WeasyPrint alone on the same HTML ({ours / engine:.2f}x)."
            )
    lines += ["", *PROPOSALS, ""]
    return "\n".join(lines)


def _overhead(results: dict) -> list[str]:
    """Where the 4-page build's CPU beyond raw WeasyPrint goes, from the profile's regions."""
    samples = results["sizes"]["4"]["samples"]
    ours, engine = (
        _median(samples.get("build", []), "cpu"),
        _median(samples.get("weasy", []), "cpu"),
    )
    profile = _cold(results, "4")
    if not ours or not engine or profile is None:
        return []
    r = profile["regions"]
    parts = {
        "verify": r["verify (read back, checks)"],
        "render": r["render (Jinja2, Markdown)"],
        "load + validate": r["load + validate"],
        "pictures": r["pictures (prepare, cache)"],
        "copy-fit": r["copy-fit measure"],
    }
    shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in parts.items())
    firsts = "; ".join(
        f"{size} pages {found['first']['cpu']:.2f} s against"
        f" {_median(found['samples'].get('build', []), 'cpu') or 0:.2f} s"
        for size, found in results["sizes"].items()
    )
    verdict = (
        " Verification alone is more than the target allows."
        if parts["verify"] > 0.15 * engine
        else ""
    )
    return [
        f"- Overhead at 4 pages: the build spends {ours - engine:.2f} s of CPU more than"
        f" WeasyPrint alone ({ours:.2f} against {engine:.2f} s); the 15% target allows"
        f" {0.15 * engine:.2f} s. Profiled (under pyinstrument, so a little slower): {shown}."
        + verdict,
        f"- First build with empty picture and measure caches against the cached builds, CPU:"
        f" {firsts}."
        " Preparing these issues' pictures costs little either way.",
    ]


PROPOSALS = (
    "What the numbers above led to, and what they did not (with the reason):",
    "",
    "1. **One session per process** (`engine/session.py`): a long-lived process keeps one font"
    " configuration per theme, the parsed stylesheets (by content hash), the compiled"
    " templates and the prepared pictures; `broadsheet watch` and the `--jobs` workers use it,"
    " and a build without one makes a throwaway one, so warm and cold builds run the same code"
    " and give the same bytes. Rows (e) and (f).",
    "2. **Verification reads the PDF once with pypdf**: the strict parse that checks the file"
    " also reads its facts, and the contents numbers are read from PDFium's character boxes,"
    " one pass per page (`verify` on the October sample: 0.25 s before, 0.14 s after, from"
    " `broadsheet build issues/2026-10.yaml --debug`).",
    "3. **One laid-out document in memory at a time** for long issues: from 100 pages a layout"
    " is written to PDF bytes (and its boxes let go) before copy-fit makes another, and the"
    " kept layout is let go before `verify`. Measured at 160 pages: peak 472 MiB before, 389"
    " MiB after, for 7% more time (a write thrown away when the next layout wins), which is"
    " why shorter issues, far from the memory cap, keep both layouts instead.",
    "4. **Nothing heavy before it is needed**: `--help` and `check` load no engine, the mail"
    " and watch commands are imported only when they run (targets above).",
    "5. **Pictures** stay cached by content hash (`build/.cache/pictures/`; the first-build"
    " rows show what a cold cache costs).",
    "6. **A build is one process** (`pipeline.build`, every stage in the process the command"
    " started): the same code for `broadsheet build`, `watch` and the `--jobs` workers. The"
    " forked build that came before it saved wall clock on two cores and no CPU; the section"
    " after this list gives the measurements, then and now.",
    "7. **The program ends as any Python program does**: the interpreter's teardown (WeasyPrint's"
    " caches taken apart object by object, about 60 ms measured before) is paid by (a) and (b)"
    " alike, so the ratios above compare like with like.",
    "",
    "Measured and left as they are:",
    "",
    "- **Column balancing** (`no-balance` row): a third of the layout time, but the same issue"
    " then takes more pages with ragged column ends. Balanced columns are the design, the"
    " visual tests hold the pages to it, and WeasyPrint 70 balances a multi-column box as a"
    " whole, so it cannot be kept for a story's last page alone.",
    "- **`target-counter()`** (`no-targets` row): a few per cent of layout. Writing the numbers"
    " as text after layout would change the text of page 1 and need another layout to be safe.",
    "- **`counter(pages)`** (`no-pages` row): inside the noise; kept.",
    "- **Copy-fit layouts**: an issue with a hole is laid out up to two more times; that is how"
    " the hole goes, only issues with holes pay, and time per page stays linear (target above).",
    "- **The CPU over raw WeasyPrint at 4 pages** is verification and its readers (pypdf,"
    " PDFium, pikepdf's qpdf check) plus loading and rendering the issue (YAML, Jinja2,"
    " Markdown): each build proves its PDF (structure, fonts, contents numbers, links, tags,"
    " the standard claimed) before it replaces the last one, and that proof is kept. Doing"
    " that work in other processes moves it off the clock, never off the CPU.",
    "- **A warm rebuild** is bounded by the engine: WeasyPrint alone, laying out and writing"
    " the same HTML again in a warm process (the last row of table (e)), takes more than 0.3x"
    " of a cold build, and both are redone after any edit; the rebuild adds rendering and"
    " verification to that floor.",
    "- **Peak memory at 160 pages**: WeasyPrint alone on the same HTML peaks above 300 MB"
    " (row (b)): the engine keeps every laid-out page until the PDF is written, so the target"
    " is below the engine's own floor for this issue. The build's peak is the engine's layout"
    " and write plus what the build holds beside it (the issue, its HTML, the PDF's bytes and"
    " the readers that verify them).",
)


# The last full run with the forked build (docs/performance.md at commit da1dd9d,
# same machine type, 4 pages, medians), as that page gave them: wall s, CPU s,
# peak MiB, then wall and CPU over WeasyPrint alone on the same HTML.
FORKED = {
    "forked": (1.62, 1.84, 73, 1.10, 1.24),  # (a) then: a companion + a process per layout
    "one process": (1.85, 1.86, 109, 1.26, 1.25),  # (a0) then: the same build, one process
}
FORKED_PEAK_160 = (319, 294)  # MiB at 160 pages then: (a)'s largest process, (b)
FORK_LINES = 540  # companion.py 160, forked.py 191, the rest in pipeline, layouts and batch


def _one_process(results: dict) -> str:
    """Why the forks went: what they saved then, what one process measures now."""
    forked, alone = FORKED["forked"], FORKED["one process"]
    lines = [
        "## Why a build is one process (the forks removed)",
        "",
        "**Before**, in the last full run with them (this page at commit da1dd9d, the same"
        " machine type, 4 pages): `broadsheet build` forked a companion process before it"
        " imported the engine (load, validate and render during the import, then verify the"
        " finished bytes, with a verifier of its own forked beside it) and made each copy-fit"
        f" layout in a process of its own. It took {forked[0]:.2f} s wall against"
        f" {alone[0]:.2f} s for the same build in one process: {alone[0] - forked[0]:.2f} s"
        f" saved of {alone[0]:.2f} s ({1 - forked[0] / alone[0]:.0%}), on two cores, for the"
        f" same CPU ({forked[1]:.2f} s against {alone[1]:.2f} s: the same work ran, in more"
        " processes). Against WeasyPrint alone on the same HTML, CPU was"
        f" {forked[4]:.2f}x forked and {alone[4]:.2f}x in one process;"
        f" wall {forked[3]:.2f}x and {alone[3]:.2f}x. The price: about"
        f" {FORK_LINES} lines woven through the pipeline, the copy-fit loop and the batch"
        " builder; Linux only (plain `os.fork`, children tied to their parent's life);"
        " safe only in a process with one thread, so `watch` and the `--jobs` workers never"
        " used it and ran other code than `broadsheet build`; and `os._exit` at the end of the"
        " command to skip the interpreter's teardown.",
        "",
        "The build is judged by its CPU against WeasyPrint alone and by warm rebuilds in"
        " `watch`: the forks changed neither (the same CPU; `watch` could not fork). So they"
        " are gone, not confined to a module.",
        "",
    ]
    samples = results["sizes"].get("4", {}).get("samples", {})
    build, weasy = samples.get("build", []), samples.get("weasy", [])
    if _ok(build) and _ok(weasy):
        wall, cpu, peak = (_median(build, key) for key in ("wall", "cpu", "peak_mb"))
        engine_wall, engine_cpu = _median(weasy, "wall"), _median(weasy, "cpu")
        lines += [
            f"**After**, this run, 4 pages: `broadsheet build` in one process takes {wall:.2f} s"
            f" wall and {cpu:.2f} s CPU, peak {peak:.0f} MiB; WeasyPrint alone on the same HTML"
            f" {engine_wall:.2f} s wall and {engine_cpu:.2f} s CPU. The CPU ratio to WeasyPrint"
            f" is **{cpu / engine_cpu:.2f}x** (before: {forked[4]:.2f}x forked,"
            f" {alone[4]:.2f}x in one process), the wall ratio"
            f" {wall / engine_wall:.2f}x (before: {forked[3]:.2f}x forked,"
            f" {alone[3]:.2f}x in one process). Seconds from runs apart drift"
            " (see the top of this page); the ratios, each from one run, are what to compare.",
            "",
        ]
    long = results["sizes"].get("160", {}).get("samples", {})
    peak, engine_peak = (
        _median(long.get("build", []), "peak_mb"),
        _median(long.get("weasy", []), "peak_mb"),
    )
    if peak and engine_peak:
        then, then_engine = FORKED_PEAK_160
        lines += [
            "What one process costs besides: memory on long issues. At 160 pages the forked"
            f" build peaked at {then} MiB in its largest process ({then / then_engine:.2f}x"
            " WeasyPrint alone), each copy-fit layout's memory handed back when its process"
            f" ended; in one process it peaks at {peak:.0f} MiB ({peak / engine_peak:.2f}x"
            f" WeasyPrint alone's {engine_peak:.0f} MiB in this run): what the engine keeps"
            " after each layout (its caches and a fragmented heap) stays with the process"
            " until the build ends. Writing a long issue's layout before the next is made"
            " (item 3 above) is what bounds it now.",
            "",
        ]
    return "\n".join(lines)


def _stamping(results: dict) -> str:
    """Personalised copies (benchmarks/stamping.py): per copy, and the send rate."""
    found = results.get("stamping", {})
    lines = ["## Personalised copies", ""]
    if "failed" in found or not found:
        return "\n".join([*lines, f"Not measured: {found.get('failed', 'no results')}", ""])
    copy, send = found["per_copy"], found["send"]
    plain, stamped = send["plain"], send["personalised"]
    lines += [
        f"`mail.personalise` on the October sample ({copy['pdf_bytes'] / 1e3:.0f} kB, classic):"
        f" the stamper is made once for the list in {copy['prepare_ms']:.0f} ms (the place read"
        " back, the faces cut, every line shaped and checked); then each copy, made and hashed"
        f" for the journal, takes **{copy['median_ms']:.2f} ms** (median of {copy['copies']};"
        f" 95th percentile {copy['p95_ms']:.2f} ms, slowest {copy['max_ms']:.2f} ms), against a"
        " target of 20 ms. A copy is"
        f" {copy['copy_bytes'] - copy['pdf_bytes']:+,} bytes on the issue's PDF (the faces' cut"
        " and the room for the line).",
        "",
        "| `broadsheet mail`, loopback aiosmtpd, `--rate 1000` | messages | a second | wall |"
        " CPU |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| plain | {plain['messages']} | {plain['per_second']:.1f} | {plain['wall']:.1f} s |"
        f" {plain['cpu']:.1f} s |",
        f"| personalised | {stamped['messages']} | {stamped['per_second']:.1f} |"
        f" {stamped['wall']:.1f} s | {stamped['cpu']:.1f} s |",
        "",
        f"The personalised send runs at **{found['ratio']:.2f}x** the plain one's rate (target:"
        f" at least 0.9x), and uses {stamped['cpu'] / plain['cpu']:.2f}x its CPU, stamper"
        " included: composing each message costs far more than its stamp. On a shared machine"
        " the CPU ratio is the steadier of the two. Measured by `benchmarks/stamping.py`, part"
        " of `make bench`; alone: `python -m benchmarks.stamping`.",
        "",
    ]
    return "\n".join(lines)


def _beyond(results: dict) -> str:
    mail = results.get("mail", {})
    sizes = results["sizes"]
    build4 = _median(sizes["4"]["samples"]["build"], "cpu")
    build40 = _median(sizes.get("40", {}).get("samples", {}).get("build", []), "cpu")
    rate = mail.get("per_second")
    lines = ["## Beyond one machine", ""]
    if rate:
        hours = 100_000 / rate / 3600
        lines += [
            f"**Measured:** `broadsheet mail` sent {mail['messages']} messages of"
            f" {mail['message_bytes'] / 1e3:.0f} kB (the 4-page issue attached) to aiosmtpd on"
            f" 127.0.0.1 in {mail['process']['wall']:.1f} s, start-up and journal included:"
            f" **{rate:.0f} messages a second** with `--rate 1000` ({mail['process']['cpu']:.1f} s"
            f" CPU, {mail['process']['peak_mb']:.0f} MiB). At that ceiling 100,000 subscribers"
            f" take {hours:.1f} hours on one connection; at the default `--rate 5`, 5.6 hours.",
            "",
        ]
    elif mail:
        lines += [f"The mail measurement failed: {mail.get('failed')}", ""]
    archive = ""
    if build4:
        archive = (
            f" One cold 4-page build takes {build4:.1f} s of CPU here"
            + (f" and a 40-page one {build40:.0f} s" if build40 else "")
            + f"; 200 issues of 4 pages are about {200 * build4 / 60:.0f} minutes on one core,"
            f" {200 * build4 / 60 / 2:.0f} on two"
            + (
                f", and 200 of 40 pages {200 * build40 / 3600:.1f} hours on one core,"
                f" {200 * build40 / 60 / 8:.0f} minutes on four machines of two cores"
                if build40
                else ""
            )
            + " (separate processes scale with cores: table (f), two at a time)."
        )
    lines += [
        "An organisation with a **200-issue archive** and **100,000 subscribers**:",
        "",
        "- **Rebuilding the archive** is 200 independent jobs: each PDF depends only on its YAML,"
        " `newsletter.yaml`, its pictures and the theme (the depfiles say exactly which). "
        "`make -j N`"
        " already runs one `broadsheet build` per core and rebuilds only what changed."
        + archive
        + " Across machines the same rule spreads the list: split the issues into N shares"
        " (`ls issues/*.yaml | split -n r/N`) and run `make -j$(nproc)` on each machine against a"
        " shared or synced project folder, or let a batch runner (a CI matrix, a job queue) run"
        " `broadsheet build` per issue and collect `build/`. Builds are deterministic (same bytes"
        " on every rebuild), so a PDF made on any machine is interchangeable and can be cached by"
        " the hash of its inputs: a machine skips an issue whose inputs' hash was already built."
        " The picture cache (`build/.cache/pictures/`, named by content) can be shared too,"
        " though in these issues it saves little (see the first-build rows).",
        "- **Sending** should not hold SMTP connections for hours. `broadsheet mail` keeps one"
        " connection, one recipient per message, a journal for restarts and a rate limit: right"
        " for hundreds or a few thousand readers. For 100,000, hand the messages to a real MTA's"
        " queue and let it do retries, greylisting, per-domain concurrency and bounces: point"
        " `--smtp` at a local Postfix (`--plain` to 127.0.0.1:25: a server on loopback, like the"
        " one measured above, which then delivers to many domains in parallel) or at the"
        " provider's relay with the rate it allows. At the measured rate broadsheet itself is"
        " the slower side: "
        + (f"{mail['process']['cpu'] / mail['messages'] * 1000:.0f} ms of CPU" if rate else "CPU")
        + " per message (composed, read back for header safety, journalled), so several"
        " senders on shares of the list (below) are what scales it."
        " The journal then records *accepted by the queue*, which is the state"
        " broadsheet can know. Each message carries the whole PDF, so 100,000 messages of this"
        " size are about "
        + (f"{100_000 * mail['message_bytes'] / 1e9:.0f} GB" if rate else "tens of GB")
        + " of queue: for a large list, a link to the PDF on the web is the cheaper letter.",
        "- **Splitting the list**: several `broadsheet mail` runs on disjoint CSV shares, each"
        " with its own `--journal`, send in parallel against one relay; the journal keeps each"
        " share's restarts exact.",
        "",
    ]
    return "\n".join(lines)


def _about() -> str:
    return "\n".join(
        [
            "## The contenders",
            "",
            "- The issue is synthetic and the same on every run (`benchmarks/synthetic.py`, "
            "seeded):"
            " articles with photos (the sample issue's and 2400 x 1600 drawn JPEGs), pull quotes,"
            " links, boxes; 3, 41 and 165 articles for about 4, 40 and 160 A4 pages in the classic"
            " theme. The first build of each size (untimed in the table's ratios) fills the picture"
            " and measure caches and writes the HTML that (b) and (d) set: (a) is a rebuild of an"
            " unchanged issue, which lays it out once (`make bench-planner` times first builds).",
            "- (a) `broadsheet build ISSUE -o OUT -q`: load, validate, render, every copy-fit"
            " layout, PDF, verification and the files written, as the command runs them, all in"
            " the one process it starts.",
            "- (b) `benchmarks/raw_weasyprint.py`: WeasyPrint on that HTML with the theme's"
            " stylesheets, broadsheet's font configuration, 200 dpi pictures, tagged PDF/UA-1; one"
            " layout, nothing else. (a) / (b) is our overhead.",
            "- (c) `benchmarks/typst_source.py` writes the same words and pictures as Typst (two"
            " columns, outline with page numbers, Page X of Y); `typst_compile.py` compiles it with"
            " the PyPI `typst` package in a fresh process. Typst's columns run as one flow "
            "per page,"
            " not balanced per story, so its page count differs.",
            "- (d) Debian's `chromium --headless --print-to-pdf` on the same HTML with the "
            "stylesheets"
            " linked in; skipped with a note when absent. It prints no contents page numbers"
            " (`target-counter()` and `leader()` are ignored). Peak is its largest process.",
            "- (e) `benchmarks/warm.py`: `pipeline.build` repeated in one process with one"
            " `Session`, the issue's YAML saved again before each rebuild; its floor row is"
            " `raw_weasyprint.py --again`, WeasyPrint laying out and writing the same HTML again"
            " in one process with its stylesheets and fonts loaded.",
            "- (f) one `broadsheet build` call with every issue (with `--jobs 2` when "
            "`--help` lists"
            " it) against one process per issue, one at a time and two at a time.",
            "- Profiles and CSS experiments: `benchmarks/profile_build.py`, "
            "`benchmarks/experiments.py`.",
            "",
        ]
    )


def main() -> int:
    results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    target = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
    target.write_text(markdown(results), encoding="utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
