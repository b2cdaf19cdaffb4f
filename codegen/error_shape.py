"""Where an error model of the spec takes a message, a kind and a status.

The generated server answers its own errors (invalid body, missing
credentials, handler failures) in the spec's error schema. This finds, by
property names, the slots of that schema to fill: `BifrostError` takes
`status_code` and `error.message`/`error.type`, a plain `Error` its `code` and
`message`.
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
class ErrorShape:
    """An error model and a template of its body: nested dicts whose leaves are slot names."""

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
            if (
                name in properties
                and name not in template
                and _is(properties[name], json_type, schemas)
            ):
                template[name] = slot
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
