"""What the generated code does with a media type: JSON, a form, events or raw content."""

from __future__ import annotations

from typing import Literal

MediaKind = Literal[
    "json", "multipart", "form", "event_stream", "json_lines", "text", "binary"
]

JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
EVENT_STREAM = "text/event-stream"
OCTET_STREAM = "application/octet-stream"
# One JSON document per line (json-seq: each after an RS byte), streamed like events.
JSON_LINES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/json-seq"}
    | {"application/x-jsonlines", "application/jsonlines", "application/ndjson"}
)

# The order a request body's media types are preferred in.
BODY_PREFERENCE: tuple[MediaKind, ...] = ("json", "multipart", "form", "text", "binary")


def essence(media_type: str) -> str:
    """`Application/JSON; charset=utf-8` -> `application/json`."""
    return media_type.split(";", 1)[0].strip().lower()


def media_kind(media_type: str) -> MediaKind:
    """JSON is `application/json` and every `*/*+json`; other text is `text/*`.

    `text/event-stream` and the JSON-lines types are streams of events.
    """
    name = essence(media_type)
    if name == JSON or name.endswith("+json"):
        return "json"
    if name == MULTIPART:
        return "multipart"
    if name == FORM:
        return "form"
    if name == EVENT_STREAM:
        return "event_stream"
    if name in JSON_LINES:
        return "json_lines"
    if name.startswith("text/"):
        return "text"
    return "binary"


def concrete(media_type: str) -> str:
    """The media type to label content with: for a range (`image/*`), the generic one."""
    name = essence(media_type)
    if "*" not in name and "/" in name:
        return name
    return "text/plain" if media_kind(name) == "text" else OCTET_STREAM


def is_stream(kind: MediaKind) -> bool:
    """Whether content of this kind is a stream of events."""
    return kind in ("event_stream", "json_lines")
