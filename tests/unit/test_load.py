"""Stage 1: safe YAML with positions, limits, and the newsletter.yaml merge."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from broadsheet.content.load import load, load_document
from broadsheet.errors import ContentError
from broadsheet.source import Mapping, Scalar, Sequence


def write(tmp_path: Path, text: str | bytes, name: str = "issue.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def only_message(exc: pytest.ExceptionInfo, path: Path) -> str:
    (diagnostic,) = exc.value.diagnostics
    assert diagnostic.span.path == path
    return f"{diagnostic.span.line}:{diagnostic.span.col}: {diagnostic.message}"


def test_every_node_knows_its_line_and_column(tmp_path):
    path = write(tmp_path, "name: Gazette\narticles:\n  - title: One\n    body: |\n      Text\n")
    root = load_document(path)
    assert isinstance(root, Mapping)
    articles = root.items["articles"]
    assert isinstance(articles, Sequence)
    item = articles.items[0]
    assert (item.span.line, item.span.col) == (3, 5)
    title = item.items["title"]
    assert isinstance(title, Scalar)
    assert (title.span.line, title.span.col, title.text) == (3, 12, "One")
    assert item.keys["body"].line == 4
    assert item.items["body"].block


def test_values_keep_the_text_as_written(tmp_path):
    """YAML 1.1 would make these a boolean, an octal number, a date and null."""
    path = write(tmp_path, "a: NO\nb: 012345\nc: 2026-01-05\nd: 1.10\ne: null\n")
    root = load_document(path)
    texts = {key: (node.text, node.tag) for key, node in root.items.items()}
    assert texts == {
        "a": ("NO", "bool"),
        "b": ("012345", "int"),
        "c": ("2026-01-05", "timestamp"),
        "d": ("1.10", "float"),
        "e": ("null", "null"),
    }


def test_duplicate_key_is_located_at_the_second(tmp_path):
    path = write(tmp_path, "name: A\ntagline: x\nname: B\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert only_message(exc, path) == "3:1: duplicate key 'name' (first set at line 1)"


def test_object_tags_are_reported_and_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    path = write(tmp_path, f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert only_message(exc, path) == (
        "1:7: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert not marker.exists()


def test_file_over_two_mebibytes_is_refused(tmp_path):
    path = write(tmp_path, "name: " + "x" * (2 * 1024 * 1024) + "\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert "the limit is 2 MiB" in only_message(exc, path)


def test_billion_laughs_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[n]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert time.perf_counter() - started < 5  # a bound against hanging, not a benchmark
    assert "values once aliases are expanded" in only_message(exc, path)


def test_deep_nesting_is_refused(tmp_path):
    path = write(tmp_path, "a: " + "[" * 40 + "]" * 40 + "\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert "nested deeper than 24 levels" in only_message(exc, path)


def test_several_documents_are_an_error(tmp_path):
    path = write(tmp_path, "name: A\n---\nname: B\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert only_message(exc, path) == "2:1: expected one YAML document, found several"


def test_invalid_utf8_is_located(tmp_path):
    path = write(tmp_path, b"name: A\ntagline: caf\xe9\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert only_message(exc, path) == "2:13: not UTF-8: byte 0xe9 here"


def test_tab_indentation_is_explained(tmp_path):
    path = write(tmp_path, "issue:\n\tnumber: 1\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    message = only_message(exc, path)
    assert message.startswith("2:1: invalid YAML: a tab character here")


def test_syntax_error_is_located(tmp_path):
    path = write(tmp_path, "name: A\ntagline: [unclosed\n")
    with pytest.raises(ContentError) as exc:
        load_document(path)
    assert only_message(exc, path).startswith("3:1: invalid YAML:")


def test_bom_and_crlf_are_accepted(tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbfname: A\r\ntagline: B\r\n")
    root = load_document(path)
    assert root.items["tagline"].text == "B"
    assert root.items["tagline"].span.line == 2


def test_a_list_at_the_top_is_an_error(tmp_path):
    path = write(tmp_path, "- a\n- b\n")
    with pytest.raises(ContentError) as exc:
        load(path)
    assert only_message(exc, path) == "1:1: expected a mapping of keys at the top of the file"


def test_merge_issue_keys_win_and_boxes_come_issue_first(tmp_path):
    write(
        tmp_path, "name: Pub\ntagline: Pub line\nboxes:\n  - title: Standing\n", "newsletter.yaml"
    )
    issue = write(tmp_path, "tagline: Own line\nboxes:\n  - title: Own\n")
    merged = load(issue).merged()
    assert merged.items["name"].text == "Pub"
    assert merged.items["tagline"].text == "Own line"
    assert merged.items["tagline"].span.path == issue
    titles = [box.items["title"].text for box in merged.items["boxes"].items]
    assert titles == ["Own", "Standing"]
