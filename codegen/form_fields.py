"""How each field of a form body travels: one part, repeated parts, or JSON text.

OpenAPI's rule for multipart bodies: a scalar (or a file) is one part, an
array of scalars is the part repeated, and an object or an array of objects is
one `application/json` part, unless `encoding.<field>.contentType` says
otherwise. Arrays that repeated parts cannot carry (items that may be null,
nested arrays) go as JSON too. A urlencoded form has no per-field content
type: its structured fields travel as JSON text as well, which both sides of
the generated code agree on.
"""

from __future__ import annotations

from typing import Any

from .error_shape import object_properties, resolve
from .media import media_kind

SchemaMap = dict[str, Any]


def form_properties(model: str, schemas: SchemaMap) -> SchemaMap:
    """The fields a form body may hold: its own, or (a `oneOf`/`anyOf` body) every option's."""
    ref = {"$ref": f"#/components/schemas/{model}"}
    properties, _ = object_properties(ref, schemas)
    if properties:
        return properties
    schema = resolve(ref, schemas)
    merged: SchemaMap = {}
    for option in (schema.get("oneOf") or []) + (schema.get("anyOf") or []):
        if isinstance(option, dict):
            merged.update(object_properties(option, schemas)[0])
    return merged


def form_layout(
    properties: SchemaMap, encoding: SchemaMap, schemas: SchemaMap
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(repeated fields, JSON fields): wire names, in the order of `properties`."""
    repeated: list[str] = []
    as_json: list[str] = []
    for name, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        declared = encoding.get(name)
        content_type = (
            declared.get("contentType") if isinstance(declared, dict) else None
        )
        if isinstance(content_type, str) and media_kind(content_type) == "json":
            as_json.append(name)
            continue
        kinds = _kinds(schema, schemas)
        if "object" in kinds:
            as_json.append(name)
        elif "array" in kinds:
            items = _unwrapped(schema, schemas).get("items")
            item_kinds = _kinds(items if isinstance(items, dict) else {}, schemas)
            if item_kinds & {"object", "array", "null"}:
                as_json.append(name)
            else:
                repeated.append(name)
    return tuple(repeated), tuple(as_json)


def _unwrapped(schema: SchemaMap, schemas: SchemaMap) -> SchemaMap:
    """The schema through `$ref`s and `allOf`s of one schema."""
    schema = resolve(schema, schemas)
    parts = schema.get("allOf")
    while isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
        schema = resolve(parts[0], schemas)
        parts = schema.get("allOf")
    return schema


def _kinds(schema: SchemaMap, schemas: SchemaMap, depth: int = 0) -> set[str]:
    """The JSON types a value of `schema` may have (`null` included); empty when unknown."""
    schema = _unwrapped(schema, schemas)
    kinds: set[str] = set()
    declared = schema.get("type")
    if isinstance(declared, str):
        kinds.add(declared)
    elif isinstance(declared, list):
        kinds.update(t for t in declared if isinstance(t, str))
    if schema.get("nullable") is True:
        kinds.add("null")
    values = schema.get("enum")
    if isinstance(values, list) and None in values:
        kinds.add("null")
    if "const" in schema and schema["const"] is None:
        kinds.add("null")
    if "properties" in schema or schema.get("allOf"):
        kinds.add("object")
    if depth < 8:
        for option in (schema.get("oneOf") or []) + (schema.get("anyOf") or []):
            if isinstance(option, dict):
                kinds |= _kinds(option, schemas, depth + 1)
    return kinds


__all__ = ["form_layout", "form_properties"]
