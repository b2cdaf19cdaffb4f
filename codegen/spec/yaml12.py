"""YAML read as JSON data, with YAML 1.2's scalars.

PyYAML follows YAML 1.1: `2024-01-01` and `2024-01-01T10:00:00Z` become dates,
`1e-08` a string, `yes`/`on` booleans and `012` an octal number. Specs are JSON
documents written in YAML, so here only the YAML 1.2 core schema's plain
scalars are typed (null, true/false, decimal/octal/hex integers, floats with an
optional exponent, .inf, .nan) and everything else stays the string it was
written as. Mapping keys are always the text written (`200:` -> "200",
`yes:` -> "yes"), as in JSON. The C parser is used when PyYAML has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

Lines = dict[int, dict[str, int] | list[int]]
"""The line of every key and item, by the `id()` of the mapping or list holding it."""

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_SPECIAL_FLOATS = {"inf": float("inf"), "nan": float("nan")}


class Yaml12Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe loader with YAML 1.2 core-schema scalars and string keys."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.lines: Lines = {}

    def construct_mapping(  # type: ignore[override]
        self, node: MappingNode, deep: bool = False
    ) -> dict[str, Any]:
        self.flatten_mapping(node)  # `<<: *anchor` merges
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key = key_node.value
            else:
                key = str(self.construct_object(key_node, deep=True))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _int(loader: yaml.SafeLoader, node: ScalarNode) -> int:
    text = str(node.value)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


def _float(loader: yaml.SafeLoader, node: ScalarNode) -> float:
    text = str(node.value).lower()
    sign = -1.0 if text.startswith("-") else 1.0
    special = _SPECIAL_FLOATS.get(text.lstrip("+-").lstrip("."))
    if special is not None and "." in text[:2]:
        return sign * special
    return float(text)


def _bool(loader: yaml.SafeLoader, node: ScalarNode) -> bool:
    return str(node.value).lower() == "true"


def _null(loader: yaml.SafeLoader, node: ScalarNode) -> None:
    return None


for _tag, _pattern, _first in (
    ("null", _NULL, ["~", "n", "N", ""]),
    ("bool", _BOOL, list("tTfF")),
    ("int", _INT, list("-+0123456789")),
    ("float", _FLOAT, list("-+0123456789.")),
):
    Yaml12Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", _pattern, _first)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"]
)
Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", _float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _bool)
Yaml12Loader.add_constructor("tag:yaml.org,2002:null", _null)


def _map(loader: Yaml12Loader, node: MappingNode) -> Iterator[dict[str, Any]]:
    data: dict[str, Any] = {}
    yield data  # first, so that anchors may refer back to the mapping
    data.update(loader.construct_mapping(node))
    loader.lines[id(data)] = {
        str(getattr(key, "value", "")): key.start_mark.line + 1 for key, _ in node.value
    }


def _seq(loader: Yaml12Loader, node: SequenceNode) -> Iterator[list[Any]]:
    data: list[Any] = []
    yield data
    data.extend(loader.construct_sequence(node))
    loader.lines[id(data)] = [item.start_mark.line + 1 for item in node.value]


Yaml12Loader.add_constructor("tag:yaml.org,2002:map", _map)
Yaml12Loader.add_constructor("tag:yaml.org,2002:seq", _seq)


def load_yaml(text: str) -> tuple[Any, Lines]:
    """The data of one YAML document and its lines (raises yaml.YAMLError)."""
    loader = Yaml12Loader(text)
    try:
        return loader.get_single_data(), loader.lines
    finally:
        loader.dispose()


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, for finding the line of a pointer."""
    return yaml.compose(text, Loader=Yaml12Loader)
