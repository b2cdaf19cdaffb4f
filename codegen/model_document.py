"""The component schemas as handed to datamodel-code-generator, where it needs help.

Shapes it reads in a way that loses data:
- a free-form object (`type: object`, no properties) becomes an empty model
  that drops every field: it is given `additionalProperties: true`, so its
  model keeps what it is given (`extra="allow"`);
- so does every object model that does not close itself
  (`additionalProperties: false`, then `extra="forbid"`): an answer's fields
  the spec does not list yet are kept (`model_extra`), not dropped. A model
  that extends another (`allOf` with a `$ref`) inherits its base's setting;
- `allOf` over a component that only aliases another (`Aliased: {$ref: X}`,
  a RootModel) inherits nothing: the part points at the aliased schema instead.

Binary strings (files) are typed `UploadedFile`, not bytes: see codegen/upload_types.py.
"""

from __future__ import annotations

from typing import Any

from .upload_types import with_upload_types

SchemaMap = dict[str, Any]
COMPONENT_REF = "#/components/schemas/"
# Keywords that give a schema a shape of its own: with any of them it is no alias.
_SHAPING = frozenset(
    {"type", "properties", "additionalProperties", "patternProperties", "items"}
    | {"allOf", "oneOf", "anyOf", "not", "enum", "const", "discriminator"}
    | {"prefixItems", "if", "then", "else"}
)


def generator_schemas(schemas: dict[str, SchemaMap]) -> dict[str, SchemaMap]:
    """`schemas` with free-form objects opened, `allOf` aliases followed, files typed (copies)."""
    return with_upload_types(
        {
            name: _open_object(_open_free_form(_follow_aliases(schema, schemas)))
            for name, schema in schemas.items()
        }
    )


def is_free_form(schema: SchemaMap) -> bool:
    """An object schema that says nothing of its fields (`type: object` alone)."""
    declared = schema.get("type")
    if declared != "object":
        return False  # `[object, null]` and untyped schemas already become dicts or Any
    if any(key in schema for key in ("properties", "patternProperties", "$ref")):
        return False
    if any(schema.get(key) for key in ("allOf", "oneOf", "anyOf")):
        return False
    return schema.get("additionalProperties", True) in (True, {})


def _open_free_form(schema: SchemaMap) -> SchemaMap:
    if is_free_form(schema):
        return {**schema, "additionalProperties": True}
    return schema


def _open_object(schema: SchemaMap) -> SchemaMap:
    """An object model that says nothing of other fields keeps them, unless it extends a base."""
    if "additionalProperties" in schema or not (
        schema.get("properties") or schema.get("allOf")
    ):
        return schema
    if any(isinstance(p, dict) and "$ref" in p for p in schema.get("allOf") or ()):
        return schema
    return {**schema, "additionalProperties": True}


def _follow_aliases(node: Any, schemas: dict[str, SchemaMap]) -> Any:
    """A copy of `node` whose `allOf` parts name the schema an alias stands for."""
    if isinstance(node, list):
        return [_follow_aliases(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _follow_aliases(value, schemas) for key, value in node.items()}
    parts = out.get("allOf")
    if isinstance(parts, list):
        out["allOf"] = [_aliased(part, schemas) for part in parts]
    return out


def _aliased(part: Any, schemas: dict[str, SchemaMap]) -> Any:
    """`{$ref: Alias}` -> `{$ref: Target}` while the named schema is only a `$ref`."""
    seen: set[str] = set()
    while isinstance(part, dict) and set(part) == {"$ref"}:
        name = str(part["$ref"]).removeprefix(COMPONENT_REF)
        target = schemas.get(name)
        if name in seen or not isinstance(target, dict) or not _is_alias(target):
            break
        seen.add(name)
        part = {"$ref": target["$ref"]}
    return part


def _is_alias(schema: SchemaMap) -> bool:
    """Only a `$ref` (with a title or description at most)."""
    ref = schema.get("$ref")
    return (
        isinstance(ref, str)
        and ref.startswith(COMPONENT_REF)
        and not _SHAPING & set(schema)
    )


__all__ = ["generator_schemas", "is_free_form"]
