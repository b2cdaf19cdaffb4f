"""Model schemas whose generated classes type-check (mypy --strict).

Two shapes of published specs give pydantic classes that Python's type system
rejects even though the spec reads fine:

- a default that is not a value of its schema: `default: null` on a property
  that is not nullable (the spec means null is allowed), or a default the
  schema does not accept at all (`default: []` for a string);
- `allOf: [{$ref: Base}, {properties: ...}]` where the child redefines a
  property of Base with another type (an enum renamed, a union widened): the
  class cannot subclass Base soundly, so it gets Base's properties copied in
  instead of inheriting them.

`make_sound` rewrites the IR's cleaned model schemas in place, before the
models are built from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema_rs

from .read import Reader
from .schema_clean import COMPONENT_REF, SchemaMap
from .spec import Pointer
from .spec.data_copy import copy_data

# Keywords that only document a schema: two schemas that differ only there
# give the same Python type, unless they make a class of their own.
_DOC_KEYS = frozenset(
    {"description", "title", "examples", "example", "default", "deprecated"}
    | {"readOnly", "writeOnly", "x-stainless-const", "externalDocs"}
)
# Keywords that make a named type of their own (a class, an enum's alias): two
# such schemas are two types, whatever they say.
_CLASS_KEYS = frozenset({"enum", "properties", "allOf", "anyOf", "oneOf"})


def make_sound(
    schemas: dict[str, SchemaMap], origins: dict[str, Pointer], read: Reader
) -> None:
    """Rewrite `schemas` (class name -> cleaned schema) so their classes type-check."""
    for name, schema in schemas.items():
        _defaults(schema, origins.get(name, ()), read, schemas, required=True)
    flattened: set[str] = set()
    for name in list(schemas):
        _flatten_narrowed_bases(name, schemas, origins, read, flattened)


# -- defaults -----------------------------------------------------------------------


def _defaults(
    schema: Any,
    pointer: Pointer,
    read: Reader,
    schemas: dict[str, SchemaMap],
    required: bool,
) -> None:
    """Fix the defaults in `schema` and every schema below it."""
    if not isinstance(schema, dict):
        return
    if "default" in schema:
        _default(schema, pointer, read, schemas, required)
    needed = schema.get("required", [])
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            for prop, sub in value.items():
                _defaults(
                    sub,
                    pointer + (key, prop),
                    read,
                    schemas,
                    required=prop in needed,
                )
        elif key in ("allOf", "anyOf", "oneOf", "prefixItems") and isinstance(
            value, list
        ):
            for i, sub in enumerate(value):
                _defaults(sub, pointer + (key, i), read, schemas, required=True)
        elif key in ("items", "additionalProperties") and isinstance(value, dict):
            _defaults(value, pointer + (key,), read, schemas, required=True)


def _default(
    schema: SchemaMap,
    pointer: Pointer,
    read: Reader,
    schemas: dict[str, SchemaMap],
    required: bool,
) -> None:
    default = schema["default"]
    if default is None:
        if _allows_null(schema, schemas):
            return
        if not required:
            # Absent already reads as None; the field's type says it may be.
            del schema["default"]
            return
        # A required field whose default is null: null is one of its values.
        _add_null(schema)
        return
    if not accepts(schema, default, schemas):
        read.warn(
            pointer + ("default",),
            f"default {json.dumps(default)[:60]} is not a value of its schema; ignored",
        )
        del schema["default"]


def _allows_null(schema: SchemaMap, schemas: dict[str, SchemaMap]) -> bool:
    if schema.get("nullable") is True or not _typing_part(schema):
        return True
    kind = schema.get("type")
    if kind == "null" or isinstance(kind, list) and "null" in kind:
        return True
    if "enum" in schema and None in schema["enum"]:
        return True
    return any(
        isinstance(sub, dict)
        and (
            sub.get("type") == "null"
            or sub.get("nullable") is True
            or _ref_allows_null(sub, schemas)
        )
        for sub in schema.get("anyOf", []) + schema.get("oneOf", [])
    ) or _ref_allows_null(schema, schemas)


def _ref_allows_null(schema: SchemaMap, schemas: dict[str, SchemaMap]) -> bool:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return False
    target = schemas.get(ref.removeprefix(COMPONENT_REF))
    return target is not None and _allows_null(target, schemas)


def _add_null(schema: SchemaMap) -> None:
    if "$ref" in schema:
        # `nullable` beside a `$ref` would make the model generator copy the model.
        schema["anyOf"] = [{"$ref": schema.pop("$ref")}, {"type": "null"}]
    else:
        schema["nullable"] = True


def accepts(schema: SchemaMap, value: Any, schemas: dict[str, SchemaMap]) -> bool:
    """Whether `value` is valid for `schema` (its `$ref`s read in `schemas`)."""
    document = {
        **_json_schema(schema),
        "components": {
            "schemas": {k: _json_schema(schemas[k]) for k in _reached(schema, schemas)}
        },
    }
    try:
        return bool(jsonschema_rs.is_valid(document, value))
    except (ValueError, jsonschema_rs.ValidationError):  # a schema it cannot read
        return True


def _reached(schema: Any, schemas: dict[str, SchemaMap]) -> set[str]:
    """The components `schema` refers to, directly or through others."""
    found: set[str] = set()
    todo = [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            name = _ref_name(node)
            if name is not None and name in schemas and name not in found:
                found.add(name)
                todo.append(schemas[name])
            todo.extend(v for k, v in node.items() if k != "$ref")
    return found


def _json_schema(schema: Any) -> Any:
    """`schema` as JSON Schema: OpenAPI 3.0's `nullable` spelled as a type."""
    if isinstance(schema, list):
        return [_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: _json_schema(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable") is True:
        out = {"anyOf": [out, {"type": "null"}]}
    return out


# -- allOf bases a child narrows ----------------------------------------------------


def _flatten_narrowed_bases(
    name: str,
    schemas: dict[str, SchemaMap],
    origins: dict[str, Pointer],
    read: Reader,
    done: set[str],
) -> None:
    """Copy in the properties of every `allOf` base whose property `name` retypes."""
    if name in done:
        return
    done.add(name)
    schema = schemas[name]
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return
    own = dict(_own_properties(schema))
    own_required = set(_own_required(schema))
    kept: list[Any] = []
    copied: list[str] = []
    for part in parts:
        base = _ref_name(part)
        if base is None or base not in schemas:
            kept.append(part)
            continue
        _flatten_narrowed_bases(base, schemas, origins, read, done)
        inherited, base_required = _flat(schemas[base], schemas)
        # Requiring what the base leaves optional retypes it too (`str | None` -> `str`).
        if not any(
            p in inherited and not _same_type(s, inherited[p]) for p, s in own.items()
        ) and not any(p in inherited and p not in base_required for p in own_required):
            kept.append(part)
            continue
        kept.append(
            {
                "type": "object",
                "properties": {
                    p: copy_data(s) for p, s in inherited.items() if p not in own
                },
                "required": [p for p in base_required if p not in own],
            }
        )
        copied.append(base)
    if copied:
        schema["allOf"] = kept
        names = ", ".join(f"`{b}`" for b in copied)
        note = f"Has the fields of {names}, not a subclass: it retypes some of them."
        schema["description"] = (
            f"{schema['description'].rstrip()}\n\n{note}"
            if schema.get("description")
            else note
        )


def _ref_name(part: Any) -> str | None:
    ref = part.get("$ref") if isinstance(part, dict) else None
    return ref.removeprefix(COMPONENT_REF) if isinstance(ref, str) else None


def _own_properties(schema: SchemaMap) -> Iterator[tuple[str, Any]]:
    """The properties a schema writes itself: at its top and in its inline `allOf` parts."""
    yield from schema.get("properties", {}).items()
    for part in schema.get("allOf", []):
        if isinstance(part, dict) and _ref_name(part) is None:
            yield from _own_properties(part)


def _own_required(schema: SchemaMap) -> Iterator[str]:
    """The names a schema itself requires: at its top and in its inline `allOf` parts."""
    yield from (n for n in schema.get("required", []) if isinstance(n, str))
    for part in schema.get("allOf", []):
        if isinstance(part, dict) and _ref_name(part) is None:
            yield from _own_required(part)


def _effective_properties(
    schema: SchemaMap, schemas: dict[str, SchemaMap], seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Any]]:
    """Every property of a schema's class, its bases' first."""
    for part in schema.get("allOf", []):
        base = _ref_name(part)
        if base is not None and base in schemas and base not in seen:
            yield from _effective_properties(schemas[base], schemas, seen | {base})
        elif isinstance(part, dict) and base is None:
            yield from _effective_properties(part, schemas, seen)
    yield from schema.get("properties", {}).items()


def _flat(
    schema: SchemaMap, schemas: dict[str, SchemaMap]
) -> tuple[dict[str, Any], list[str]]:
    """The properties and required names of a schema's class, bases included."""
    properties = dict(_effective_properties(schema, schemas))
    required: list[str] = []

    def collect(node: SchemaMap, seen: frozenset[str]) -> None:
        for part in node.get("allOf", []):
            base = _ref_name(part)
            if base is not None and base in schemas and base not in seen:
                collect(schemas[base], seen | {base})
            elif isinstance(part, dict) and base is None:
                collect(part, seen)
        required.extend(n for n in node.get("required", []) if n not in required)

    collect(schema, frozenset())
    return properties, [n for n in required if n in properties]


def _same_type(child: Any, base: Any) -> bool:
    """Whether a child's property gives the same Python type as its base's."""
    if base in ({}, True):
        return True
    if not (isinstance(child, dict) and isinstance(base, dict)):
        return bool(child == base)
    a, b = _typing_part(child), _typing_part(base)
    # Only the very same type: pyright holds fields invariant, so even a
    # narrower one (a string enum over `str`) is an incompatible override.
    return a == b and not _makes_class(a)


def _typing_part(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_typing_part(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    return {k: _typing_part(v) for k, v in schema.items() if k not in _DOC_KEYS}


def _makes_class(schema: Any) -> bool:
    if isinstance(schema, list):
        return any(_makes_class(s) for s in schema)
    if not isinstance(schema, dict):
        return False
    return bool(_CLASS_KEYS & schema.keys()) or any(
        _makes_class(v) for v in schema.values()
    )
