"""YAML 1.2 loading: the one-walk construction gives PyYAML's data, lines and errors."""

from __future__ import annotations

import gc
import math
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.gc_pause import gc_paused
from codegen.spec.data_copy import copy_data
from codegen.spec.yaml12 import Lines, Yaml12Loader, load_yaml

ROOT = Path(__file__).resolve().parent.parent

TRICKY = textwrap.dedent("""
    scalars:
      date: 2024-01-01
      yes: yes
      exponent: 1e-08
      octal_looking: 012
      hex: 0x1F
      inf: .inf
      minus_inf: -.Inf
      empty:
      quoted: "12"
      tagged: !!str 12
      tagged_int: !!int "7"
    base: &base
      type: string
      maxLength: 3
    other: &other {format: uuid, pattern: x}
    merged:
      <<: *base
      maxLength: 5
    merged_list:
      <<: [*base, *other]
      description: both
    alias: *base
    seq: &seq [a, *base, [1, 2]]
    again: *seq
    self: &self
      name: loop
      child: *self
    self_list: &self_list [1, *self_list]
    200: ok
    1.5: float key
    true: bool key
    ~: null key
    ? [1, 2]
    : list key
    "<<": quoted merge is a key
    """).lstrip()


def reference(text: str) -> tuple[Any, Lines]:
    """PyYAML's own constructors over the same loader (what load_yaml replaced)."""
    loader = Yaml12Loader(text)
    try:
        return loader.get_single_data(), loader.lines
    finally:
        loader.dispose()


def same(a: Any, a_lines: Lines, b: Any, b_lines: Lines, seen: dict[int, Any]) -> bool:
    """Equal data, equal lines, and the same sharing of containers."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if not isinstance(a, (dict, list)):
        return bool(a == b)
    if id(a) in seen:
        return seen[id(a)] is b
    seen[id(a)] = b
    if a_lines.get(id(a)) != b_lines.get(id(b)):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(
            same(a[k], a_lines, b[k], b_lines, seen) for k in a
        )
    return len(a) == len(b) and all(
        same(x, a_lines, y, b_lines, seen) for x, y in zip(a, b, strict=True)
    )


def test_tricky_yaml_gives_the_expected_data() -> None:
    data, lines = load_yaml(TRICKY)
    assert data["scalars"] == {
        "date": "2024-01-01",
        "yes": "yes",
        "exponent": 1e-08,
        "octal_looking": 12,
        "hex": 31,
        "inf": math.inf,
        "minus_inf": -math.inf,
        "empty": None,
        "quoted": "12",
        "tagged": "12",
        "tagged_int": 7,
    }
    assert data["merged"] == {"type": "string", "maxLength": 5}
    assert data["merged_list"] == {
        "type": "string",
        "maxLength": 3,
        "format": "uuid",
        "pattern": "x",
        "description": "both",
    }
    # An alias is the same object as its anchor, in the data as in the file.
    assert data["alias"] is data["base"]
    assert data["again"] is data["seq"] and data["seq"][1] is data["base"]
    assert data["seq"] == ["a", {"type": "string", "maxLength": 3}, [1, 2]]
    assert data["self"]["child"] is data["self"]
    assert data["self_list"][1] is data["self_list"]
    assert list(data)[-6:] == ["200", "1.5", "true", "~", "[1, 2]", "<<"]
    assert data["<<"] == "quoted merge is a key"
    # Lines: of each key (merged keys where they were written) and each item.
    assert lines[id(data)]["scalars"] == 1
    assert lines[id(data["merged"])] == {"type": 14, "maxLength": 19}
    # An alias item's line is where its anchored node starts.
    assert lines[id(data["seq"])] == [24, 13, 24]
    assert lines[id(data["self"])] == {"name": 27, "child": 28}


def test_tricky_yaml_matches_pyyaml_constructors() -> None:
    new, new_lines = load_yaml(TRICKY)
    old, old_lines = reference(TRICKY)
    assert same(new, new_lines, old, old_lines, {})


def test_every_yaml_file_of_the_repo_matches_pyyaml_constructors() -> None:
    files = sorted(
        path
        for folder in ("spec", "tests")
        for pattern in ("*.yaml", "*.yml")
        for path in (ROOT / folder).rglob(pattern)
    )
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8-sig")
        try:
            old = reference(text)
        except yaml.YAMLError as error:
            with pytest.raises(type(error)) as raised:
                load_yaml(text)
            assert str(raised.value) == str(error), path
            continue
        new = load_yaml(text)
        assert same(new[0], new[1], old[0], old[1], {}), path


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "just a string\n",
        "- 1\n- [2, {a: b}]\n",
        "a: !!binary aGk=\nb: !!set {x, y}\n",
        "a: !!timestamp 2024-01-01\n",
    ],
)
def test_documents_of_any_shape_match_pyyaml_constructors(text: str) -> None:
    new, new_lines = load_yaml(text)
    old, old_lines = reference(text)
    assert same(new, new_lines, old, old_lines, {})


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\n",
        "a: *missing\n",
        "a: !custom x\n",
        "a: {<<: 1}\n",
        "a: b\n---\nc: d\n",
        "a: &x 1\nb: &x 2\nc: [\n",
    ],
)
def test_errors_are_pyyaml_errors_with_their_marks(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as expected:
        reference(text)
    with pytest.raises(type(expected.value)) as raised:
        load_yaml(text)
    assert str(raised.value) == str(expected.value)


def test_data_copy_is_a_deep_copy_keeping_sharing() -> None:
    data, _ = load_yaml(TRICKY)
    copied = copy_data(data)
    assert copied == {k: v for k, v in data.items() if not k.startswith("self")} | {
        "self": copied["self"],
        "self_list": copied["self_list"],
    }
    assert copied["alias"] is copied["base"] and copied["base"] is not data["base"]
    assert copied["self"]["child"] is copied["self"]
    assert copied["self_list"][1] is copied["self_list"]
    assert copy_data(data["scalars"]) == data["scalars"]


def test_gc_pause_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
