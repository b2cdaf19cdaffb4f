"""Request bodies: which media types an operation accepts and what each becomes.

A body may declare several media types. The server accepts each of them
(dispatching on Content-Type); the client sends the preferred one (JSON, else
multipart, else a form, else text, else raw bytes), except that a JSON body
that also has a multipart form with files goes out as that form when the
caller gives files.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Literal

from .form_fields import file_fields, form_layout, form_properties
from .media import BODY_PREFERENCE, MediaKind, concrete, essence, media_kind
from .naming import pascal_case

if TYPE_CHECKING:
    from .ir import Body, _Builder
    from .spec import Pointer

BodyKind = Literal["json", "multipart", "form", "text", "binary"]


def build_body(builder: _Builder, name: str, pointer: Pointer, raw: Any) -> Body | None:
    """The body of an operation: its preferred media type, the others as alternatives."""
    read = builder.read
    raw = read.mapping(raw, pointer, "the request body")
    if not raw:
        return None
    content = read.mapping(raw.get("content"), pointer + ("content",), "`content`")
    required = read.flag(
        raw.get("required"), pointer + ("required",), "`required`", False
    )
    ordered = preferred_order(content)
    if not ordered:
        read.warn(pointer, "a request body without content; ignored")
        return None
    bodies: list[Body] = []
    kinds: set[str] = set()
    for index, media_type in enumerate(ordered):
        kind = body_kind(media_type)
        if kind in ("text", "binary") and kind in kinds:
            continue  # one raw body of each kind takes every such media type
        kinds.add(kind)
        own_name = name if index == 0 else f"{name}{pascal_case(kind)}"
        where = pointer + ("content", media_type)
        media = read.mapping(content[media_type], where, "the media type")
        bodies.append(_one(builder, own_name, where, media_type, kind, media, required))
    first, *others = (
        dataclasses.replace(b, accepts=_accepted(content, b.kind)) for b in bodies
    )
    return dataclasses.replace(first, alternatives=tuple(others))


def _one(
    builder: _Builder,
    name: str,
    where: Pointer,
    media_type: str,
    kind: BodyKind,
    media: dict[str, Any],
    required: bool,
) -> Body:
    from .ir import Body

    if kind in ("text", "binary"):
        return Body(kind, concrete(media_type), None, required)
    model = builder.inline(name, media.get("schema") or {}, where + ("schema",))
    if kind == "json":
        return Body(kind, concrete(media_type), model, required)
    encoding = media.get("encoding")
    properties = form_properties(model, builder.schemas)
    repeated, as_json, objects = form_layout(
        properties,
        encoding if isinstance(encoding, dict) else {},
        builder.schemas,
        urlencoded=kind == "form",
    )
    return Body(
        kind=kind,
        media_type=concrete(media_type),
        model=model,
        required=required,
        array_fields=repeated,
        json_fields=as_json,
        form_objects=objects,
        file_fields=file_fields(properties, builder.schemas),
    )


def body_kind(media_type: str) -> BodyKind:
    """What a request body of `media_type` is read as (an event stream is raw bytes)."""
    kind = media_kind(media_type)
    if kind == "event_stream" or kind == "json_lines":
        return "binary"
    return kind


def preferred_order(content: dict[str, Any]) -> list[str]:
    """The media types of `content`, the preferred first (JSON, multipart, form, text, binary)."""
    return sorted(content, key=lambda m: BODY_PREFERENCE.index(body_kind(m)))


def _accepted(content: dict[str, Any], kind: BodyKind) -> tuple[str, ...]:
    """The declared media types (ranges too, `image/*`) read as `kind`."""
    return tuple(dict.fromkeys(essence(m) for m in content if body_kind(m) == kind))


def media_test(accepts: tuple[str, ...], variable: str) -> str:
    """A Python condition: the essence in `variable` is one of `accepts` (ranges matched)."""
    tests = []
    exact = [m for m in accepts if "*" not in m]
    if len(exact) == 1:
        tests.append(f"{variable} == {exact[0]!r}")
    elif exact:
        tests.append(f"{variable} in {tuple(exact)!r}")
    for pattern in accepts:
        if pattern in ("*/*", "*"):
            return "True"
        if pattern.endswith("/*"):
            tests.append(f"{variable}.startswith({pattern[:-1]!r})")
    return " or ".join(tests) or "False"


__all__ = [
    "BodyKind",
    "MediaKind",
    "body_kind",
    "build_body",
    "media_test",
    "preferred_order",
]
