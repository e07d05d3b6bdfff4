"""The corpus run in words and numbers: a table row per case as it is built,
then how many issues meet each target, and the same as JSON for comparing
one planner's run with the next."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from .builds import Row
from .targets import CLEAN_SHARE, FULL_PAGE, LAST_PAGE

HEADER = f"{'case':<32} {'theme':<8} {'size':<6} {'pages':>5}  {'findings':>8} {'s':>6}  fill %"
# What a copy-fit finding is about, from the words measure.py writes.
FINDING_KINDS = (
    ("empty at the foot", "white at a page foot"),
    ("mostly empty", "a short column"),
    ("headline is left", "a stranded headline"),
    ("cut about that much", "a short last page"),
    ("pushed away", "a photo pushed from its story"),
    ("split from its caption", "a photo split from its caption"),
    ("the target is", "not the target page count"),
    ("printed over", "content printed over content"),
    ("wider than its column", "a line too wide"),
    ("overflows", "an overflow"),
    ("runs off", "an overflow"),
)


def row_line(row: Row) -> str:
    if row.error:
        first = row.error.splitlines()[0] if row.error else ""
        return f"{row.name:<32} {row.theme:<8} {row.size:<6} {'-':>5}  {'-':>8} " + (
            f"{row.seconds:6.1f}  BUILD FAILED: {first}"
        )
    fill = " ".join(f"{round(share * 100):3d}" for share in row.fill)
    return (
        f"{row.name:<32} {row.theme:<8} {row.size:<6} {row.pages:>5}  "
        f"{len(row.findings):>8} {row.seconds:6.1f}  {fill}{_flags(row)}"
    )


def _flags(row: Row) -> str:
    verdict = row.verdict
    missed = [
        word for word, met in (("hole", verdict.pages_full), ("tail", verdict.last_page)) if not met
    ]
    return f"   <- {', '.join(missed)}" if missed else ""


def summary(rows: Sequence[Row], seconds: float) -> dict:
    built = [row for row in rows if not row.error]
    inner = [share for row in built for share in row.fill[:-1]]
    last = [row.fill[-1] for row in built if row.fill]
    counts = {
        "pages_full": sum(row.verdict.pages_full for row in rows),
        "last_page": sum(row.verdict.last_page for row in rows),
        "filled": sum(row.verdict.filled for row in rows),
        "clean": sum(row.verdict.clean for row in rows),
    }
    total = len(rows)
    worst = sorted(
        (row for row in built if len(row.fill) > 1),
        key=lambda row: min(row.fill[:-1]),
    )[:8]
    kinds = Counter(_kind(finding) for row in built for finding in row.findings)
    return {
        "issues": total,
        "failed_to_build": [row.name for row in rows if row.error],
        "seconds": round(seconds, 1),
        "median_seconds": round(statistics.median(r.seconds for r in rows), 1) if rows else 0,
        "pages": sum(row.pages for row in built),
        "median_fill_not_last": _median(inner),
        "median_fill_last": _median(last),
        "median_fill_all": _median([share for row in built for share in row.fill]),
        "met": counts,
        "targets": {
            "pages_full": counts["pages_full"] == total,
            "last_page": counts["last_page"] == total,
            "clean": total > 0 and counts["clean"] / total >= CLEAN_SHARE,
        },
        "worst": [
            {"name": row.name, "lowest_fill_not_last": round(min(row.fill[:-1]), 3)}
            for row in worst
        ],
        "finding_kinds": dict(kinds.most_common()),
    }


def summary_lines(facts: dict) -> list[str]:
    total, met, targets = facts["issues"], facts["met"], facts["targets"]

    def line(label: str, key: str, target: str) -> str:
        verdict = "" if key not in targets else "met" if targets[key] else "NOT MET"
        share = met[key] / total if total else 0
        return f"  {label:<46} {met[key]:>3}/{total:<3} {share:5.0%}   {target:<17} {verdict}"

    lines = [
        "",
        f"{total} issues, {facts['pages']} pages, in {facts['seconds']} s "
        f"(median {facts['median_seconds']} s an issue)",
    ]
    if facts["failed_to_build"]:
        lines.append(f"FAILED TO BUILD: {', '.join(facts['failed_to_build'])}")
    lines += [
        f"median fill: {_percent(facts['median_fill_not_last'])} of the pages before the last,"
        f" {_percent(facts['median_fill_last'])} of last pages,"
        f" {_percent(facts['median_fill_all'])} of all pages",
        "",
        f"  {'target':<46} {'issues':>7} {'share':>5}   {'wanted':<17} result",
        line(f"every page but the last >= {FULL_PAGE:.0%} full", "pages_full", "every issue"),
        line(f"last page >= {LAST_PAGE:.0%} full, or fewest pages", "last_page", "every issue"),
        line("no copy-fit finding", "clean", f">= {CLEAN_SHARE:.0%} of issues"),
        line("both fill targets", "filled", ""),
        "",
        "emptiest pages before the last: "
        + ", ".join(f"{w['name']} ({_percent(w['lowest_fill_not_last'])})" for w in facts["worst"]),
        "copy-fit findings by kind: "
        + (", ".join(f"{kind} {n}" for kind, n in facts["finding_kinds"].items()) or "none"),
    ]
    missed = [name for name, met_it in targets.items() if not met_it]
    lines.append(f"TARGETS NOT MET: {', '.join(missed)}" if missed else "every target met")
    return lines


def write_json(path: Path, rows: Sequence[Row], facts: dict) -> None:
    cases = [
        {
            "name": row.name,
            "kind": row.kind,
            "lang": row.lang,
            "theme": row.theme,
            "size": row.size,
            "pages": row.pages,
            "fill": [round(share, 4) for share in row.fill],
            "findings": list(row.findings),
            "other_warnings": list(row.other_warnings),
            "seconds": round(row.seconds, 2),
            "pdf": row.pdf.name if row.pdf else None,
            "error": row.error,
            "meets": {
                "pages_full": row.verdict.pages_full,
                "last_page": row.verdict.last_page,
                "clean": row.verdict.clean,
            },
        }
        for row in rows
    ]
    targets = {"full_page": FULL_PAGE, "last_page": LAST_PAGE, "clean_share": CLEAN_SHARE}
    document = {"targets": targets, "summary": facts, "cases": cases}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _kind(finding: str) -> str:
    return next((kind for words, kind in FINDING_KINDS if words in finding), "other")


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"
