"""A `discriminator` without `mapping`: whether its implicit values hold.

Without `mapping`, the value that picks an option is the option's schema name.
Specs often mean the discriminating property's own values instead
(`type: {enum: [eq, ne]}` in a schema named `ComparisonFilter`); read
literally, such a union accepts nothing. The mapping is then derived from each
option's values (`const`, `enum`; its name when it has none), unless two
options share a value: then the discriminator cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .schema_walk import object_properties, resolve

SchemaMap = dict[str, Any]
COMPONENT_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Implicit:
    """What to do with a discriminator that has no `mapping`."""

    mapping: dict[str, str] | None = None
    """Value -> component name, from the options' own values; None: keep it as it is."""
    problem: str | None = None
    """Why no mapping can be derived: the discriminator is dropped."""


def implicit(options: list[str], property_name: str, schemas: SchemaMap) -> Implicit:
    """The decision for a union of the components `options` discriminated on `property_name`."""
    values: dict[str, list[Any]] = {}
    for name in options:
        properties, _ = object_properties({"$ref": COMPONENT_REF + name}, schemas)
        values[name] = _values(properties.get(property_name), schemas)
    if all(not found or name in found for name, found in values.items()):
        return Implicit()
    mapping: dict[str, str] = {}
    for name in options:
        for value in values[name] or [name]:
            if not isinstance(value, str):
                return Implicit(problem=f"{name} has the value {value!r}, not a string")
            if value in mapping and mapping[value] != name:
                return Implicit(
                    problem=f"{mapping[value]} and {name} share the value {value!r}"
                )
            mapping[value] = name
    return Implicit(mapping=mapping)


def _values(schema: Any, schemas: SchemaMap) -> list[Any]:
    """The values a property may hold (`const`, `enum`), through `$ref`; [] when open."""
    if not isinstance(schema, dict):
        return []
    schema = resolve(schema, schemas)
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
        schema = resolve(parts[0], schemas)
    if "const" in schema:
        return [schema["const"]]
    found = schema.get("enum")
    return [v for v in found if v is not None] if isinstance(found, list) else []


__all__ = ["Implicit", "implicit"]
