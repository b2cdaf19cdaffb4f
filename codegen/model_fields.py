"""The fields of a model, each with its type decided once.

A body's keyword arguments, the form parts a client sends and the files it
uploads are read from these; no view looks at the model's schema for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .schema_walk import object_properties, resolve
from .types import PyType, type_of

SchemaMap = dict[str, Any]
FileKind = Literal["single", "many"]


@dataclass(frozen=True)
class Field:
    """One property of an object model."""

    wire: str
    attribute: str
    """The model's attribute for it (`field_200` for `200`)."""
    type: PyType
    required: bool
    description: str
    file: FileKind | None = None
    """A file (`format: binary`), or a list of files."""


def model_fields(
    schema: SchemaMap, schemas: SchemaMap, attributes: dict[str, str]
) -> tuple[Field, ...]:
    """The fields of an object schema (through `$ref` and `allOf`), in order."""
    properties, required = object_properties(schema, schemas)
    return tuple(
        Field(
            wire=wire,
            attribute=attributes.get(wire, wire),
            type=type_of(prop, schemas),
            required=wire in required,
            description=(
                str(prop.get("description", "")).strip()
                if isinstance(prop, dict)
                else ""
            ),
            file=_file_kind(prop, schemas),
        )
        for wire, prop in properties.items()
    )


def required_alternatives(schema: SchemaMap) -> tuple[tuple[str, ...], ...]:
    """`anyOf: [{required: [image]}, {required: [image[]]}]` -> (("image",), ("image[]",))."""
    return tuple(
        tuple(o.get("required") or [])
        for o in schema.get("anyOf") or schema.get("oneOf") or []
        if isinstance(o, dict)
    )


def _file_kind(prop: Any, schemas: SchemaMap) -> FileKind | None:
    if not isinstance(prop, dict):
        return None
    prop = resolve(prop, schemas)
    if _is_binary(prop):
        return "single"
    items = prop.get("items")
    if prop.get("type") == "array" and isinstance(items, dict):
        return "many" if _is_binary(resolve(items, schemas)) else None
    return None


def _is_binary(schema: SchemaMap) -> bool:
    return schema.get("type") == "string" and (
        schema.get("format") == "binary" or "contentMediaType" in schema
    )
