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
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> Any:
        """The tag of a node without one: PyYAML's rules, less the path resolvers
        (none registered); the C parser calls this for every node."""
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG

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
        node = loader.get_single_node()
        if node is None:
            return None, loader.lines
        return _Builder(loader).document(node), loader.lines
    finally:
        loader.dispose()


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALARS: dict[str, Callable[[Any, ScalarNode], Any]] = {
    "tag:yaml.org,2002:null": _null,
    "tag:yaml.org,2002:bool": _bool,
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": _float,
}


class _Builder:
    """The data of a node tree, built in one walk instead of PyYAML's constructors.

    The result, its `lines` and its errors are those of `loader.get_single_data()`
    (PyYAML's generator-based constructors cost twice the time of composing).
    Containers are filled in the order PyYAML fills them, breadth first, each
    registered before it is filled (so anchors that refer back to themselves
    work) in the loader's `constructed_objects`, which any node left to PyYAML
    (a non-scalar key, an explicit tag such as `!!binary`) shares.
    """

    def __init__(self, loader: Yaml12Loader) -> None:
        self.loader = loader
        self.built: dict[Node, Any] = loader.constructed_objects
        self.lines = loader.lines
        # Containers waiting to be filled, or PyYAML's generators doing the same.
        self.pending: deque[tuple[Any, Node] | Iterator[Any]] = deque()

    def document(self, node: Node) -> Any:
        data = self.value(node)
        pending = self.pending
        while pending:
            item = pending.popleft()
            if isinstance(item, tuple):
                container, node = item
                if isinstance(container, dict):
                    self.fill_mapping(container, node)
                else:
                    self.fill_sequence(container, node)
            else:
                for _ in item:
                    pass
                self.take_generators()
        return data

    def value(self, node: Node) -> Any:
        cls = node.__class__
        if cls is ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            scalar = _SCALARS.get(tag)
            if scalar is not None:
                return scalar(self.loader, node)
            return self.by_pyyaml(node)
        built = self.built
        if node in built:
            return built[node]
        tag = node.tag
        container: Any
        if cls is MappingNode and tag == _MAP:
            container = {}
        elif cls is SequenceNode and tag == _SEQ:
            container = []
        else:
            return self.by_pyyaml(node)
        built[node] = container
        self.pending.append((container, node))
        return container

    def by_pyyaml(self, node: Node, deep: bool = False) -> Any:
        data = self.loader.construct_object(node, deep=deep)
        self.take_generators()
        return data

    def take_generators(self) -> None:
        """Queue the generators PyYAML deferred, in the order it would run them."""
        generators = self.loader.state_generators
        if generators:
            self.pending.extend(generators)
            self.loader.state_generators = []

    def fill_mapping(self, data: dict[str, Any], node: MappingNode) -> None:
        pairs = node.value
        for key_node, _ in pairs:
            if key_node.tag == _MERGE:
                self.loader.flatten_mapping(node)  # `<<: *anchor` merges
                pairs = node.value
                break
        lines: dict[str, int] = {}
        mapping: dict[str, Any] = {}
        value = self.value
        for key_node, value_node in pairs:
            if key_node.__class__ is ScalarNode:
                key = key_node.value
                lines[key] = key_node.start_mark.line + 1
            else:
                key = str(self.by_pyyaml(key_node, deep=True))
                lines[str(key_node.value)] = key_node.start_mark.line + 1
            mapping[key] = value(value_node)
        data.update(mapping)
        self.lines[id(data)] = lines

    def fill_sequence(self, data: list[Any], node: SequenceNode) -> None:
        value = self.value
        data.extend([value(item) for item in node.value])
        self.lines[id(data)] = [item.start_mark.line + 1 for item in node.value]


def compose_yaml(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, for finding the line of a pointer."""
    return yaml.compose(text, Loader=Yaml12Loader)
