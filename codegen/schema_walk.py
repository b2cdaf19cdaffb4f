"""Walking cleaned schemas: `$ref` chains and the properties an object gathers.

The schemas are the cleaned ones (`SchemaCleaner`), where every `$ref` is
`#/components/schemas/<ClassName>` and `schemas` maps class names to them.
"""

from __future__ import annotations

from typing import Any

SchemaMap = dict[str, Any]


def object_properties(
    schema: SchemaMap, schemas: SchemaMap, seen: frozenset[int] = frozenset()
) -> tuple[SchemaMap, list[str]]:
    """Properties and required names of an object schema, through `$ref` and `allOf`."""
    schema = resolve(schema, schemas)
    if id(schema) in seen:
        return {}, []  # a schema that is its own ancestor adds nothing new
    properties = dict(schema.get("properties") or {})
    required = list(schema.get("required") or [])
    for part in schema.get("allOf") or []:
        more, more_required = object_properties(part, schemas, seen | {id(schema)})
        properties.update(more)
        required += more_required
    return properties, required


def resolve(schema: SchemaMap, schemas: SchemaMap) -> SchemaMap:
    """The schema a chain of `$ref`s ends at (`{}` for a chain that loops)."""
    seen: set[str] = set()
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    while isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        if ref in seen:
            return {}
        seen.add(ref)
        schema = schemas.get(ref.rsplit("/", 1)[1], {})
        ref = schema.get("$ref")
    return schema if isinstance(schema, dict) else {}
