"""Schema names that survive any file layout.

A schema is named after what it is written under: its component key, the last
segment of the pointer a `$ref` reaches it by, or the file's stem for a
whole-file `$ref`. Names become Python class names (`createIdentityBody` ->
`CreateIdentityBody`), so every module spells them alike.

Two different schemas that want the same class name are told apart by where
they live: the one nearest the root keeps the name, each other one takes the
nearest part of its location (a pointer segment, the file, a folder) that
differs, e.g. `VpcsUrn` beside `Urn`. The result depends only on the set of
locations, never on the order the files were read in, and never numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..naming import pascal_case

Pointer = tuple[str | int, ...]
SchemaKey = tuple[Path, Pointer]

# Pointer segments that say nothing about what a schema is.
_GENERIC = frozenset(
    {"components", "schemas", "definitions", "$defs", "properties", "items"}
    | {"allOf", "anyOf", "oneOf", "additionalProperties", "schema", "content"}
    | {"itemSchema", "contentSchema"}
)


@dataclass(frozen=True)
class NamedSchema:
    """A schema location and the name it asks for."""

    key: SchemaKey
    wanted: str
    in_root: bool
    """A `components/schemas` entry of the root document: it wins its name."""


# Segments of a pointer into a schema that name a position, not a thing.
_POSITIONS = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains"}
    | {"allOf", "anyOf", "oneOf", "prefixItems", "propertyNames", "schema"}
    | {"itemSchema", "contentSchema"}
)


def wanted_name(file: Path, pointer: Pointer) -> str:
    """`schemas.yaml#/Pet` -> `Pet`; `Order.yaml` (the whole file) -> `Order`.

    A pointer that ends at a position inside a schema is named after the schema
    and the position: `#/components/schemas/Pets/items` -> `PetsItems`.
    """
    parts = [str(p) for p in pointer]
    tail: list[str] = []
    while parts and (parts[-1] in _POSITIONS or parts[-1].isdigit()):
        part = parts.pop()
        if not part.isdigit():
            tail.insert(0, part)
    owner = parts[-1] if parts else file.stem
    return "".join([owner, *(class_name(t) for t in tail)])


def class_name(name: str) -> str:
    """The Python class name of a schema name."""
    return pascal_case(name)


def assign_names(schemas: list[NamedSchema], base: Path) -> dict[SchemaKey, str]:
    """A distinct class name for every schema location; `base` is the spec's top folder."""
    groups: dict[str, list[NamedSchema]] = {}
    for schema in schemas:
        groups.setdefault(class_name(schema.wanted), []).append(schema)
    taken = set(groups)
    names: dict[SchemaKey, str] = {}
    for name in sorted(groups):
        ranked = sorted(groups[name], key=lambda s: _rank(s, base))
        winner, *others = ranked
        names[winner.key] = name
        winner_parts = _qualifiers(winner, base)
        for other in others:
            chosen = _qualified(name, _qualifiers(other, base), winner_parts, taken)
            taken.add(chosen)
            names[other.key] = chosen
    return names


def _rank(schema: NamedSchema, base: Path) -> tuple[bool, int, str, str]:
    """Root components first, then the shallowest file, then path order."""
    relative = _relative(schema.key[0], base)
    return (
        not schema.in_root,
        len(relative.parts),
        relative.as_posix(),
        "/".join(map(str, schema.key[1])),
    )


def _relative(file: Path, base: Path) -> Path:
    try:
        return file.relative_to(base)
    except ValueError:
        return file


def _qualifiers(schema: NamedSchema, base: Path) -> list[str]:
    """The parts of a schema's location, nearest first, that could name it."""
    file, pointer = schema.key
    parts = [str(p) for p in reversed(pointer[:-1]) if not _generic(p)]
    if pointer:
        parts.append(file.stem)
    parts += reversed(_relative(file, base).parent.parts)
    return [p for p in parts if class_name(p) != "_"]


def _generic(part: str | int) -> bool:
    return isinstance(part, int) or str(part).isdigit() or part in _GENERIC


def _qualified(
    name: str, parts: list[str], winner_parts: list[str], taken: set[str]
) -> str:
    """`name` prefixed by the nearest parts that differ from the winner's, until free."""
    distinct = [
        part
        for index, part in enumerate(parts)
        if index >= len(winner_parts) or part != winner_parts[index]
    ] or parts
    candidate = name
    for part in distinct:
        prefix = class_name(part)
        if not candidate.startswith(prefix):
            candidate = prefix + candidate
        if candidate not in taken:
            return candidate
    # Every distinguishing part is spent (names that differ only in case or
    # punctuation): the whole location, then a plain marker.
    candidate = "".join(class_name(p) for p in reversed(parts)) + name
    while candidate in taken:
        candidate += "Alt"
    return candidate
