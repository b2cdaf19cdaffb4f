"""Typed events of the Bifrost Images API Server-Sent Event streams.

One model per event type, a union per stream told apart by `type`, and a
parser per stream from `ServerSentEvent` to the typed event.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from .models import (
    ImageGenerationPartialImageEvent,
    ImageGenerationCompletedEvent,
    ImageGenerationErrorEvent,
    ImageEditPartialImageEvent,
    ImageEditCompletedEvent,
    ImageEditErrorEvent,
)
from .sse import ServerSentEvent

DONE = "[DONE]"
"""The data of the event some servers send last; it ends the stream."""

ImageGenerationStreamEvent = Annotated[
    ImageGenerationPartialImageEvent
    | ImageGenerationCompletedEvent
    | ImageGenerationErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageGenerationStreamResponse` stream, told apart by its `type`."""

ImageEditStreamEvent = Annotated[
    ImageEditPartialImageEvent | ImageEditCompletedEvent | ImageEditErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageEditStreamResponse` stream, told apart by its `type`."""

_Event = TypeVar("_Event", bound=BaseModel)


@dataclass(frozen=True)
class UnknownEvent:
    """An event of a type the spec does not name: kept for the caller, not dropped."""

    type: str
    data: Any
    """The event's data, parsed as JSON when it is JSON."""


class StreamError(Exception):
    """The server reported an error inside the stream (its `error` event)."""

    def __init__(self, event: BaseModel) -> None:
        super().__init__(
            f"the stream reported an error: {event.model_dump_json(exclude_unset=True)}"
        )
        self.event = event


class EventDecodeError(ValueError):
    """An event whose data does not match its type's model."""

    def __init__(self, sse: ServerSentEvent, reason: str) -> None:
        super().__init__(f"cannot decode {sse.event!r} event: {reason}")
        self.sse = sse


_IMAGE_GENERATION_STREAM_EVENT: TypeAdapter[ImageGenerationStreamEvent] = TypeAdapter(
    ImageGenerationStreamEvent
)


def parse_image_generation_event(
    sse: ServerSentEvent,
) -> ImageGenerationStreamEvent | UnknownEvent | None:
    """The typed event of an `ImageGenerationStreamResponse` stream; None for `[DONE]`.

    Raises StreamError for an `error` event and EventDecodeError for data that does not match its type.
    """
    return _parse(
        sse,
        _IMAGE_GENERATION_STREAM_EVENT,
        frozenset(
            {"image_generation.partial_image", "image_generation.completed", "error"}
        ),
    )


_IMAGE_EDIT_STREAM_EVENT: TypeAdapter[ImageEditStreamEvent] = TypeAdapter(
    ImageEditStreamEvent
)


def parse_image_edit_event(
    sse: ServerSentEvent,
) -> ImageEditStreamEvent | UnknownEvent | None:
    """The typed event of an `ImageEditStreamResponse` stream; None for `[DONE]`.

    Raises StreamError for an `error` event and EventDecodeError for data that does not match its type.
    """
    return _parse(
        sse,
        _IMAGE_EDIT_STREAM_EVENT,
        frozenset({"image_edit.partial_image", "image_edit.completed", "error"}),
    )


def _parse(
    sse: ServerSentEvent, adapter: TypeAdapter[_Event], types: frozenset[str]
) -> _Event | UnknownEvent | None:
    if sse.data == DONE:
        return None
    try:
        data = json.loads(sse.data)
    except json.JSONDecodeError:
        data = sse.data
    # The SSE `event:` field names the type; without one, the JSON's own `type` does.
    named = sse.event if sse.event != "message" else None
    event_type = named or (data.get("type") if isinstance(data, dict) else None)
    if (
        not isinstance(event_type, str)
        or event_type not in types
        or not isinstance(data, dict)
    ):
        return UnknownEvent(str(event_type or sse.event), data)
    try:
        event = adapter.validate_python({**data, "type": event_type})
    except ValidationError as error:
        raise EventDecodeError(sse, str(error)) from None
    if event_type == "error":
        raise StreamError(event)
    return event
