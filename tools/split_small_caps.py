"""Give a font's capitals-to-small-capitals (`c2sc`) glyphs ids of their own.

Linux Libertine maps `A` under `c2sc` and `a` under `smcp` to the same glyph,
`a.sc`. A PDF maps each glyph of a font to one piece of text (its ToUnicode
map), so a shared glyph reads back as whichever letter the engine met first:
"Inside this issue" in all small capitals was extracted as "InsIde thIs
Issue", and "About the Trust" as "About the trust". Search, copy and paste
and screen readers all see that text.

This script copies every glyph that both features reach (same outline, same
width) to a new glyph at the end of the font, and points `c2sc` at the
copies. The copies join every class, coverage table and record the original
is in (kerning, mark attachment, later substitutions), so the pages look
exactly as before; only the glyph ids differ, and with them the text a
reader gets back. New glyphs go last so that every coverage table stays in
glyph-id order when a copy is appended to it.

Run once over the shipped Libertine faces (it refuses a font already
split):

    python tools/split_small_caps.py styles/fonts/LinLibertine_R.otf ...
"""

from __future__ import annotations

import copy as copy_module
import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

SUFFIX = ".c2sc"


def _subtables(table, extension_type: int):
    for lookup in table.LookupList.Lookup:
        for subtable in lookup.SubTable:
            if lookup.LookupType == extension_type:
                yield lookup, subtable.ExtensionLookupType, subtable.ExtSubTable
            else:
                yield lookup, lookup.LookupType, subtable


def _feature_lookups(table, tag: str) -> set[int]:
    return {
        index
        for record in table.FeatureList.FeatureRecord
        if record.FeatureTag == tag
        for index in record.Feature.LookupListIndex
    }


def _single_mappings(gsub, tag: str) -> list[dict[str, str]]:
    wanted = _feature_lookups(gsub, tag)
    mappings = []
    for index, lookup in enumerate(gsub.LookupList.Lookup):
        if index not in wanted:
            continue
        for subtable in lookup.SubTable:
            if lookup.LookupType == 7:
                subtable = subtable.ExtSubTable
            if getattr(subtable, "mapping", None) is not None:
                mappings.append(subtable.mapping)
    return mappings


def _extend_coverage(coverage, copies: dict[str, str], parallel: list | None = None):
    """Append each copy after the glyphs, with a copy of its record in `parallel`."""
    if coverage is None:
        return
    for original, copy in copies.items():
        if original in coverage.glyphs and copy not in coverage.glyphs:
            index = coverage.glyphs.index(original)
            coverage.glyphs.append(copy)
            if parallel is not None:
                parallel.append(parallel[index])


def _extend_class_def(class_def, copies: dict[str, str]):
    if class_def is None:
        return
    for original, copy in copies.items():
        if original in class_def.classDefs:
            class_def.classDefs[copy] = class_def.classDefs[original]


def _extend_gsub(gsub, copies: dict[str, str]):
    for _lookup, kind, st in _subtables(gsub, 7):
        if kind == 1:
            for original, copy in copies.items():
                if original in st.mapping:
                    st.mapping[copy] = st.mapping[original]
        elif kind == 3:
            for original, copy in copies.items():
                if original in st.alternates:
                    st.alternates[copy] = list(st.alternates[original])
        elif kind == 2:  # multiple
            for original, copy in copies.items():
                if original in st.mapping:
                    st.mapping[copy] = list(st.mapping[original])
        elif kind == 4:  # ligature: the copy may start one and be part of one
            for original, copy in copies.items():
                if original in st.ligatures:
                    st.ligatures[copy] = list(st.ligatures[original])
            for ligatures in list(st.ligatures.values()):
                for ligature in list(ligatures):
                    if any(part in copies for part in ligature.Component):
                        extra = otTables.Ligature()
                        extra.LigGlyph = ligature.LigGlyph
                        extra.Component = [copies.get(p, p) for p in ligature.Component]
                        extra.CompCount = ligature.CompCount
                        ligatures.append(extra)
        elif kind in (5, 6):
            _extend_contextual(st, copies)


def _extend_contextual(st, copies):
    fmt = st.Format
    if fmt == 2:
        _extend_coverage(st.Coverage, copies)
        for name in ("ClassDef", "BacktrackClassDef", "InputClassDef", "LookAheadClassDef"):
            _extend_class_def(getattr(st, name, None), copies)
    elif fmt == 3:
        for name in ("Coverage", "BacktrackCoverage", "InputCoverage", "LookAheadCoverage"):
            for coverage in getattr(st, name, None) or []:
                _extend_coverage(coverage, copies)
    elif fmt == 1:
        raise SystemExit("glyph-based contextual lookups are not handled")


def _extend_gpos(gpos, copies: dict[str, str]):
    for _lookup, kind, st in _subtables(gpos, 9):
        if kind == 1:
            if st.Format == 1:
                _extend_coverage(st.Coverage, copies)
            else:
                _extend_coverage(st.Coverage, copies, st.Value)
                st.ValueCount = len(st.Value)
        elif kind == 2:
            if st.Format == 2:
                _extend_coverage(st.Coverage, copies)
                _extend_class_def(st.ClassDef1, copies)
                _extend_class_def(st.ClassDef2, copies)
            else:
                # Pairs of glyphs: the copy as a first glyph gets the
                # original's pair set, and as a second glyph a record after
                # the others (ids ascend, and the copies have the highest).
                for pair_set in st.PairSet:
                    for record in list(pair_set.PairValueRecord):
                        if record.SecondGlyph in copies:
                            extra = copy_module.deepcopy(record)
                            extra.SecondGlyph = copies[record.SecondGlyph]
                            pair_set.PairValueRecord.append(extra)
                    pair_set.PairValueCount = len(pair_set.PairValueRecord)
                _extend_coverage(st.Coverage, copies, st.PairSet)
                st.PairSetCount = len(st.PairSet)
        elif kind == 4:
            _extend_coverage(st.BaseCoverage, copies, st.BaseArray.BaseRecord)
            st.BaseArray.BaseCount = len(st.BaseArray.BaseRecord)
            if any(g in copies for g in st.MarkCoverage.glyphs):
                raise SystemExit("a small capital used as a mark is not handled")
        elif kind == 6:
            if any(g in copies for g in st.Mark2Coverage.glyphs + st.Mark1Coverage.glyphs):
                raise SystemExit("a small capital used as a mark is not handled")
        elif kind in (7, 8):
            _extend_contextual(st, copies)
        else:
            raise SystemExit(f"GPOS lookup type {kind} is not handled")


def split(path: Path) -> int:
    """Split the shared glyphs of the font at `path` in place; return how many."""
    font = TTFont(path)
    order = font.getGlyphOrder()
    if any(name.endswith(SUFFIX) for name in order):
        raise SystemExit(f"{path}: already split")
    gsub = font["GSUB"].table
    lowercase = {v for m in _single_mappings(gsub, "smcp") for v in m.values()}
    capitals = _single_mappings(gsub, "c2sc")
    shared = sorted({v for m in capitals for v in m.values()} & lowercase)
    copies = {name: name + SUFFIX for name in shared}

    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    strings = top.CharStrings
    for original, copy in copies.items():
        charstring = strings[original]
        charstring.decompile()
        # The same program under a new name: the outline is identical.
        strings.charStrings[copy] = len(strings.charStringsIndex)
        strings.charStringsIndex.append(charstring)
        font["hmtx"].metrics[copy] = font["hmtx"].metrics[original]
    top.charset = order + list(copies.values())
    font.setGlyphOrder(top.charset)
    font["maxp"].numGlyphs = len(top.charset)

    for mapping in capitals:
        for char, target in mapping.items():
            if target in copies:
                mapping[char] = copies[target]
    _extend_gsub(gsub, copies)
    _extend_gpos(font["GPOS"].table, copies)
    if "GDEF" in font:
        gdef = font["GDEF"].table
        _extend_class_def(gdef.GlyphClassDef, copies)
        _extend_class_def(getattr(gdef, "MarkAttachClassDef", None), copies)
    font.save(path)
    return len(copies)


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {split(Path(name))} glyphs given their own capital copy")
