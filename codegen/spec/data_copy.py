"""A deep copy of JSON-like data, several times faster than `copy.deepcopy`.

Specs are dicts, lists and scalars; `copy.deepcopy` spends most of its time
dispatching on types it never meets there. The copy is the same as its:
shared and self-containing containers stay so (one memo, the same keys), and
anything other than plain data is left to `copy.deepcopy` itself.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

T = TypeVar("T")

_ATOMS = frozenset({str, int, float, bool, type(None)})


def copy_data(node: T) -> T:
    """A deep copy of `node`, equal to `copy.deepcopy(node)`."""
    result: T = _copy(node, {})
    return result


def _copy(node: Any, memo: dict[int, Any]) -> Any:
    cls = node.__class__
    if cls in _ATOMS:
        return node
    if cls is dict:
        found = memo.get(id(node))
        if found is not None:
            return found
        out: dict[Any, Any] = {}
        memo[id(node)] = out
        for key, value in node.items():
            if key.__class__ is not str:
                key = _copy(key, memo)
            out[key] = value if value.__class__ in _ATOMS else _copy(value, memo)
        return out
    if cls is list:
        found = memo.get(id(node))
        if found is not None:
            return found
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(
            item if item.__class__ in _ATOMS else _copy(item, memo) for item in node
        )
        return items
    return copy.deepcopy(node, memo)
