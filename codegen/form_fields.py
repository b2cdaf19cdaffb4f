"""How each field of a form body travels: one part, repeated parts, or JSON text.

OpenAPI's rule for multipart bodies: a scalar (or a file) is one part, an
array of scalars is the part repeated, and an object or an array of objects is
one `application/json` part, unless `encoding.<field>.contentType` says
otherwise. Arrays that repeated parts cannot carry (items that may be null,
nested arrays) go as JSON too. In a urlencoded form an object of scalars
follows its `encoding` style: form, exploded by default (`width=3&height=4`),
form unexploded (`window=width,3,height,4`) or deepObject (`window[width]=3`);
other structured fields (and an exploded object whose keys clash with other
fields) travel as JSON text, which both sides of the generated code agree on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .media import media_kind
from .schema_walk import object_properties, resolve

SchemaMap = dict[str, Any]
_SCALARS = frozenset({"string", "number", "integer", "boolean", "null"})


@dataclass(frozen=True)
class FormObject:
    """An object field of a urlencoded form, written in its `encoding` style."""

    name: str
    style: Literal["exploded", "pairs", "deep"]
    """`width=3&height=4`, `window=width,3,height,4` or `window[width]=3`."""
    fields: tuple[str, ...]
    """Its property names: the keys an exploded object owns in the form."""


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


def file_fields(properties: SchemaMap, schemas: SchemaMap) -> tuple[str, ...]:
    """Wire names of the fields that hold one file (`format: binary`, `contentMediaType`)."""
    found = []
    for name, schema in properties.items():
        schema = _unwrapped(schema, schemas) if isinstance(schema, dict) else {}
        binary = schema.get("format") == "binary" or "contentMediaType" in schema
        if binary and _kinds(schema, schemas) - {"null"} == {"string"}:
            found.append(name)
    return tuple(found)


def form_layout(
    properties: SchemaMap, encoding: SchemaMap, schemas: SchemaMap, urlencoded: bool
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[FormObject, ...]]:
    """(repeated fields, JSON fields, styled objects): wire names, in the order of `properties`."""
    repeated: list[str] = []
    as_json: list[str] = []
    objects: list[FormObject] = []
    for name, schema in properties.items():
        if not isinstance(schema, dict):
            continue
        declared = encoding.get(name)
        declared = declared if isinstance(declared, dict) else {}
        content_type = declared.get("contentType")
        if isinstance(content_type, str) and media_kind(content_type) == "json":
            as_json.append(name)
            continue
        kinds = _kinds(schema, schemas)
        if "object" in kinds:
            styled = _styled(name, schema, declared, properties, schemas)
            if urlencoded and styled is not None:
                objects.append(styled)
            else:
                as_json.append(name)
        elif "array" in kinds:
            items = _unwrapped(schema, schemas).get("items")
            item_kinds = _kinds(items if isinstance(items, dict) else {}, schemas)
            if item_kinds & {"object", "array", "null"}:
                as_json.append(name)
            else:
                repeated.append(name)
    return tuple(repeated), tuple(as_json), tuple(objects)


def _styled(
    name: str,
    schema: SchemaMap,
    encoding: SchemaMap,
    siblings: SchemaMap,
    schemas: SchemaMap,
) -> FormObject | None:
    """How an object of scalars is written in a urlencoded form; None: as JSON."""
    if "array" in _kinds(schema, schemas):
        return None  # an object or a list: only JSON says which
    fields, _ = object_properties(_unwrapped(schema, schemas), schemas)
    if not fields or any(
        not isinstance(f, dict)
        or not _kinds(f, schemas) <= _SCALARS
        or not _kinds(f, schemas)
        for f in fields.values()
    ):
        return None
    style = encoding.get("style", "form")
    explode = encoding.get("explode", style == "form")
    if style == "deepObject":
        return FormObject(name, "deep", tuple(fields))
    if style != "form":
        return None
    if not explode:
        return FormObject(name, "pairs", tuple(fields))
    if set(fields) & (set(siblings) - {name}):
        return None  # its keys would be taken for the other fields
    return FormObject(name, "exploded", tuple(fields))


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


__all__ = ["FormObject", "file_fields", "form_layout", "form_properties"]
