"""How a parameter travels: its style, explode flag, shape and encoding, decided once.

OpenAPI 3 writes arrays and objects in parameters by `style` and `explode`
(form `a=1&a=2` or `a=1,2`, spaceDelimited, pipeDelimited, deepObject
`f[name]=x`; simple/label/matrix in paths; simple in headers), or, with
`content`, as one encoded value (JSON). The client and the server both read
the decisions made here; nothing downstream looks at the raw parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .read import Reader
from .schema_walk import resolve
from .spec import Pointer

SchemaMap = dict[str, Any]
Shape = Literal["scalar", "array", "object"]
TextLiteral = Literal["int", "bool"]

STYLES = {
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "path": ("simple", "label", "matrix"),
    "header": ("simple",),
    "cookie": ("form",),
}
DEFAULT_STYLES = {
    "query": "form",
    "path": "simple",
    "header": "simple",
    "cookie": "form",
}
DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


@dataclass(frozen=True)
class Wire:
    """How one parameter is written on the wire."""

    style: str
    explode: bool
    shape: Shape
    content: str | None = None
    """The media type of a `content`-encoded parameter (sent as one JSON text)."""


def shape(schema: SchemaMap, schemas: SchemaMap) -> Shape:
    """Whether the schema is an array, an object or a scalar (through `$ref`)."""
    schema = non_null(schema, schemas)
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    if "array" in types:
        return "array"
    if "object" in types or "properties" in schema or "additionalProperties" in schema:
        return "object"
    return "scalar"


def content_media_type(raw: SchemaMap) -> str | None:
    """The media type of a parameter given by `content` instead of `schema`."""
    content = raw.get("content")
    if "schema" in raw or not isinstance(content, dict):
        return None
    return next((str(media) for media in content), None)


def wire(
    read: Reader, where: Pointer, raw: SchemaMap, location: str, kind: Shape
) -> Wire:
    """The style and explode flag of a parameter, checked against its place and shape."""
    media = content_media_type(raw)
    default = DEFAULT_STYLES[location]
    if media is not None:
        return Wire(default, False, kind, media)
    style = raw.get("style", default)
    if style not in STYLES[location]:
        read.warn(
            where + ("style",),
            f"style {style!r} is not one of a {location} parameter "
            f"({', '.join(STYLES[location])}); {default} is used",
        )
        style = default
    if style == "deepObject" and kind != "object":
        read.warn(
            where + ("style",),
            f"style deepObject is for objects, not {kind}s; form is used",
        )
        style = "form"
    if style in ("spaceDelimited", "pipeDelimited") and kind == "scalar":
        style = "form"  # a scalar has nothing to delimit: it is written as form
    explode = read.flag(
        raw.get("explode"), where + ("explode",), "`explode`", style == "form"
    )
    if location == "cookie" and explode and kind != "scalar":
        # A cookie has one value: an exploded array or object cannot be written.
        read.warn(
            where + ("explode",),
            f"an exploded {kind} cannot travel in one cookie; sent comma-separated",
        )
        explode = False
    if style == "deepObject":
        explode = True  # deepObject is defined for explode: true only
    return Wire(style, explode, kind, None)


def parsed_natively(location: str, wire: Wire) -> bool:
    """Whether FastAPI parses the parameter itself: scalars, and `a=1&a=2` lists."""
    if wire.content is not None:
        return False
    if location == "path" and wire.style != "simple":
        return (
            False  # `.5`, `;id=5`: FastAPI would take the prefix as part of the value
        )
    if wire.shape == "scalar":
        return True
    return location == "query" and wire.shape == "array" and wire.explode


def text_literal(schema: SchemaMap, schemas: SchemaMap) -> TextLiteral | None:
    """`int` for an enum of integers, `bool` for one of booleans (or a list of either).

    The wire holds them as text (`-1`, `true`), which a `Literal[-1, 1]` does not
    accept even in lax mode: the server turns the text into the value first.
    """
    schema = _single(non_null(schema, schemas), schemas)
    if shape(schema, schemas) == "array" and isinstance(schema.get("items"), dict):
        schema = _single(non_null(schema["items"], schemas), schemas)
    values = schema.get("enum")
    if not isinstance(values, list):
        values = [schema["const"]] if "const" in schema else []
    values = [v for v in values if v is not None]
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def _single(schema: SchemaMap, schemas: SchemaMap) -> SchemaMap:
    """The schema an `allOf` of one schema stands for (`allOf: [$ref]` with a title)."""
    parts = schema.get("allOf")
    if isinstance(parts, list) and len(parts) == 1 and isinstance(parts[0], dict):
        return non_null(parts[0], schemas)
    return schema


def map_value_type(schema: SchemaMap, schemas: SchemaMap) -> SchemaMap | None:
    """The value schema of a free-form object (`additionalProperties` only), if it is one."""
    schema = non_null(schema, schemas)
    if schema.get("properties") or schema.get("allOf"):
        return None
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return extra
    return {} if extra in (None, True) else None


def non_null(schema: SchemaMap, schemas: SchemaMap) -> SchemaMap:
    """The schema, or its one option besides `null` (`anyOf: [X, {type: null}]`)."""
    schema = resolve(schema, schemas)
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list):
        kept = [
            o
            for o in options
            if not (isinstance(o, dict) and o.get("type") in ("null", ["null"]))
        ]
        if len(kept) == 1 and len(options) == 2 and isinstance(kept[0], dict):
            return resolve(kept[0], schemas)
    return schema
