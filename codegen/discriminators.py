"""A `discriminator` without `mapping`: whether its implicit values hold.

Without `mapping`, the value that picks an option is the option's schema name.
Specs often mean the discriminating property's own values instead
(`type: {enum: [eq, ne]}` in a schema named `ComparisonFilter`); read
literally, such a union accepts nothing. When every option that contradicts
its name has one value (a `const`, an enum of one), the mapping is derived from
those values; otherwise the discriminator cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .error_shape import object_properties, resolve

SchemaMap = dict[str, Any]
COMPONENT_REF = "#/components/schemas/"


@dataclass(frozen=True)
class Implicit:
    """What to do with a discriminator that has no `mapping`."""

    mapping: dict[str, str] | None = None
    """Value -> component name, derived from the options' own values; None: keep as is."""
    contradicted: tuple[str, ...] = ()
    """Options whose values are not their names and cannot be mapped: drop the discriminator."""


def implicit(options: list[str], property_name: str, schemas: SchemaMap) -> Implicit:
    """The decision for a union of the components `options` discriminated on `property_name`."""
    values: dict[str, list[Any]] = {}
    for name in options:
        properties, _ = object_properties({"$ref": COMPONENT_REF + name}, schemas)
        values[name] = _values(properties.get(property_name), schemas)
    wrong = [n for n, found in values.items() if found and n not in found]
    if not wrong:
        return Implicit()
    if any(len(values[n]) != 1 or not isinstance(values[n][0], str) for n in wrong):
        return Implicit(contradicted=tuple(wrong))
    mapping = {str(values[n][0]) if n in wrong else n: n for n in options}
    if len(mapping) != len(options):
        return Implicit(contradicted=tuple(wrong))  # two options share a value
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
