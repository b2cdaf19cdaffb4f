"""Where an error model of the spec takes a message, a kind and a status.

The generated server answers its own errors (invalid body, missing
credentials, handler failures) in the spec's error schema. This finds, by
property names, the slots of that schema to fill: `BifrostError` takes
`status_code` and `error.message`/`error.type`, a plain `Error` its `code` and
`message`.

A kind slot (`type`, `code`) gets what the spec says of its field: the enum
value naming the status, else its default or example; a free string without
either gets the status's reason phrase in snake_case (`not_found`). The
server chooses at run time, for any status a handler raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .schema_walk import object_properties, resolve

SchemaMap = dict[str, Any]

MESSAGE = "message"
KIND = "kind"
STATUS = "status"

_MESSAGE_NAMES = (
    "message",
    "detail",
    "error_description",
    "error_message",
    "msg",
    "title",
)
_KIND_NAMES = ("type", "code", "error_type", "error_code")
_STATUS_NAMES = ("status_code", "status", "statusCode", "http_status", "code")


@dataclass(frozen=True)
class Kind:
    """A kind slot and the values its field allows."""

    values: tuple[str, ...] = ()
    """The field's enum: the server picks the value naming the status (`not_found_error`
    for 404), else `default`, else the first."""
    default: str | None = None
    """The field's default (or example): without an enum, every error gets it."""


@dataclass(frozen=True)
class ErrorShape:
    """An error model and a template of its body: nested dicts whose leaves are slots.

    A leaf is MESSAGE, STATUS or a `Kind`.
    """

    model: str
    template: SchemaMap


def error_shape(model: str, schemas: SchemaMap) -> ErrorShape | None:
    """The slots of `model`, or None when it has nowhere to put a message."""
    template = _template(schemas.get(model, {}), schemas, depth=0)
    if template is None:
        return None
    return ErrorShape(model, template)


def _template(schema: SchemaMap, schemas: SchemaMap, depth: int) -> SchemaMap | None:
    properties, required = object_properties(schema, schemas)
    template: SchemaMap = {}
    filled: set[str] = set()
    for slot, names, json_type in (
        (MESSAGE, _MESSAGE_NAMES, "string"),
        (KIND, _KIND_NAMES, "string"),
        (STATUS, _STATUS_NAMES, "integer"),
    ):
        for name in names:
            if name not in properties or name in template:
                continue
            if _is(properties[name], json_type, schemas):
                template[name] = (
                    _kind(properties[name], schemas) if slot == KIND else slot
                )
                filled.add(slot)
                break
            kind = _enum_kind(properties[name], schemas) if slot == KIND else None
            if kind is not None:
                template[name] = kind
                filled.add(slot)
                break
    if MESSAGE not in filled and depth == 0:
        # OpenAI style: {"error": {"message": ..., "type": ...}}
        for name, prop in properties.items():
            nested = (
                _template(prop, schemas, depth + 1)
                if _is(prop, "object", schemas)
                else None
            )
            if nested is not None:
                template[name] = nested
                filled.add(MESSAGE)
                break
    if MESSAGE not in filled or any(name not in template for name in required):
        return None
    return template


def _is(schema: SchemaMap, json_type: str, schemas: SchemaMap) -> bool:
    schema = resolve(schema, schemas)
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if json_type == "object" and declared is None:
        return "properties" in schema or "allOf" in schema
    return json_type in types and not schema.get("enum")


def _kind(schema: SchemaMap, schemas: SchemaMap) -> Kind:
    """A free-string kind: its default or example when the spec gives one."""
    schema = resolve(schema, schemas)
    for key in ("default", "example"):
        if isinstance(schema.get(key), str):
            return Kind(default=schema[key])
    examples = schema.get("examples")
    if isinstance(examples, list) and examples and isinstance(examples[0], str):
        return Kind(default=examples[0])
    return Kind()


def _enum_kind(schema: SchemaMap, schemas: SchemaMap) -> Kind | None:
    """A kind that must be one of the field's enum values (all strings), else None."""
    schema = resolve(schema, schemas)
    values = schema.get("enum")
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    default = schema.get("default")
    return Kind(tuple(values), default if default in values else None)
