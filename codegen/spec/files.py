"""The files of a spec: read once, parsed by kind, and asked for line numbers.

A `.json` file is JSON, a `.yaml`/`.yml` file (or one without a suffix) is
YAML with 1.2 scalars, and any other file a `$ref` points at (a Markdown
description, a code sample) is its text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import SpecError
from .yaml12 import Lines, compose_yaml, load_yaml

Pointer = tuple[str | int, ...]

STRUCTURED_SUFFIXES = frozenset({".json", ".yaml", ".yml", ""})
# A `\uD800`-style escape: JSON and YAML can spell a lone surrogate, UTF-8 cannot.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class SourceFiles:
    """Every file read for one spec, by resolved path."""

    def __init__(self) -> None:
        self.data: dict[Path, Any] = {}
        self.texts: dict[Path, str] = {}
        self._lines: dict[Path, Lines] = {}
        self._trees: dict[Path, Node | None] = {}
        self.repaired: list[tuple[Path, Pointer]] = []
        """Where a lone surrogate was replaced by U+FFFD, to be warned about."""

    def read(self, path: Path, not_found: Callable[[], SpecError]) -> Any:
        """The parsed content of `path`; `not_found()` is raised when it is missing."""
        if path not in self.data:
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                raise not_found() from None
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                raise SpecError(path, "-", f"cannot read file: {reason}") from None
            self.texts[path] = text
            if path.suffix.lower() not in STRUCTURED_SUFFIXES:
                self.data[path] = text
            elif path.suffix.lower() == ".json":
                self.data[path] = parse_json(path, text)
            else:
                self.data[path], self._lines[path] = parse_yaml(path, text)
            if _SURROGATE_ESCAPE.search(text):
                self.data[path] = _without_surrogates(
                    self.data[path], (), lambda at: self.repaired.append((path, at))
                )
        return self.data[path]

    def line(self, path: Path, pointer: Pointer) -> int | None:
        """The 1-based line of the deepest node of `pointer` that exists in `path`."""
        if path in self._lines:
            return _line_from_tables(self.data[path], self._lines[path], pointer)
        text = self.texts.get(path)
        if text is None or path.suffix.lower() not in STRUCTURED_SUFFIXES:
            return None
        # JSON is parsed without positions: read it as YAML, once, when asked.
        if path not in self._trees:
            try:
                # PyYAML refuses surrogate escapes; U+FFFD's takes the same columns.
                self._trees[path] = compose_yaml(
                    _SURROGATE_ESCAPE.sub(r"\\ufffd", text)
                )
            except yaml.YAMLError:  # JSON that YAML cannot read: no lines
                self._trees[path] = None
        node = self._trees[path]
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in pointer:
            child, key_line = _child(node, part)
            if child is None:
                break
            node, line = child, key_line
        return line


def _without_surrogates(
    node: Any, pointer: Pointer, repaired: Callable[[Pointer], None]
) -> Any:
    """`node` with every lone surrogate replaced by U+FFFD, each place reported."""
    if isinstance(node, str):
        fixed = node.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if fixed != node:
            repaired(pointer)
        return fixed
    if isinstance(node, list):
        node[:] = [
            _without_surrogates(item, pointer + (i,), repaired)
            for i, item in enumerate(node)
        ]
        return node
    if isinstance(node, dict):
        items = [
            (_without_surrogates(key, pointer, repaired), value)
            for key, value in node.items()
        ]
        node.clear()
        for key, value in items:
            node[key] = _without_surrogates(value, pointer + (key,), repaired)
        return node
    return node


def _line_from_tables(data: Any, lines: Lines, pointer: Pointer) -> int | None:
    line = 1
    for part in pointer:
        table = lines.get(id(data))
        if isinstance(data, dict) and isinstance(table, dict) and str(part) in data:
            line, data = table.get(str(part), line), data[str(part)]
        elif isinstance(data, list) and isinstance(table, list):
            index = int(part) if str(part).isdigit() else -1
            if not 0 <= index < len(data):
                break
            line, data = table[index], data[index]
        else:
            break
    return line


def _child(node: Node, part: str | int) -> tuple[Node | None, int]:
    """The child of `node` named `part`, and the line that names it."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if getattr(key, "value", None) == str(part):
                return value, key.start_mark.line + 1
    elif isinstance(node, SequenceNode):
        index = int(part) if str(part).isdigit() else -1
        if 0 <= index < len(node.value):
            item = node.value[index]
            return item, item.start_mark.line + 1
    return None, 0


def parse_json(path: Path, text: str) -> Any:
    """The data of a JSON file; a syntax error names the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(
            path, f"line {exc.lineno}, column {exc.colno}", exc.msg
        ) from None
    except RecursionError:
        raise SpecError(path, "-", "JSON nested too deeply") from None


def parse_yaml(path: Path, text: str) -> tuple[Any, Lines]:
    """The data of a YAML file and its lines; a syntax error names the line."""
    try:
        return load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = _line(mark) if mark else "line 1"
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem_mark:
            # e.g. "while parsing a flow sequence" started at the unclosed bracket
            message += f" ({exc.context} started at {_line(exc.context_mark)})"
        raise SpecError(path, place, message) from None
    except yaml.YAMLError as exc:
        raise SpecError(path, "-", f"YAML error: {exc}") from None
    except (RecursionError, ValueError, OverflowError) as exc:
        raise SpecError(path, "-", f"YAML error: {exc}") from None


def _line(mark: yaml.Mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"
