"""Typed events of the Bifrost Images API Server-Sent Event streams.

One model per event type, a union per stream told apart by `type`, and a
parser per stream from `ServerSentEvent` to the typed event.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

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

    def __init__(self, event: BaseModel | UnknownEvent) -> None:
        said = (
            event.model_dump_json(exclude_unset=True)
            if isinstance(event, BaseModel)
            else json.dumps(event.data)
        )
        super().__init__(f"the stream reported an error: {said}")
        self.event = event


class EventDecodeError(ValueError):
    """An event whose data does not match its type's model."""

    def __init__(self, sse: ServerSentEvent, reason: str) -> None:
        super().__init__(f"cannot decode {sse.event!r} event: {reason}")
        self.sse = sse


_IMAGE_GENERATION_STREAM_EVENT_TYPES: dict[str, type[ImageGenerationStreamEvent]] = {
    "image_generation.partial_image": ImageGenerationPartialImageEvent,
    "image_generation.completed": ImageGenerationCompletedEvent,
    "error": ImageGenerationErrorEvent,
}


def parse_image_generation_event(
    sse: ServerSentEvent,
) -> ImageGenerationStreamEvent | UnknownEvent | None:
    """The typed event of an `ImageGenerationStreamResponse` stream; None for `[DONE]`.

    Raises StreamError for an `error` event and EventDecodeError for data that does not match its type.
    """
    return _parse(sse, _IMAGE_GENERATION_STREAM_EVENT_TYPES, "type")


_IMAGE_EDIT_STREAM_EVENT_TYPES: dict[str, type[ImageEditStreamEvent]] = {
    "image_edit.partial_image": ImageEditPartialImageEvent,
    "image_edit.completed": ImageEditCompletedEvent,
    "error": ImageEditErrorEvent,
}


def parse_image_edit_event(
    sse: ServerSentEvent,
) -> ImageEditStreamEvent | UnknownEvent | None:
    """The typed event of an `ImageEditStreamResponse` stream; None for `[DONE]`.

    Raises StreamError for an `error` event and EventDecodeError for data that does not match its type.
    """
    return _parse(sse, _IMAGE_EDIT_STREAM_EVENT_TYPES, "type")


def _parse(
    sse: ServerSentEvent, types: Mapping[str, type[_Event]], discriminator: str | None
) -> _Event | UnknownEvent | None:
    if sse.data == DONE:
        return None
    data = _data(sse)
    # The data's own tag names the type; without one, the SSE `event:` field does.
    tag = data.get(discriminator) if discriminator and isinstance(data, dict) else None
    named = sse.event if sse.event != "message" else None
    event_type = str(tag) if isinstance(tag, (str, int)) else named
    model = types.get(event_type) if event_type is not None else None
    if model is None or not isinstance(data, dict):
        return _unknown(str(event_type or sse.event), data)
    try:
        event = model.model_validate(
            {discriminator: event_type, **data} if discriminator else data
        )
    except ValidationError as error:
        if event_type == "error":  # an error all the same, if not in the spec's shape
            raise StreamError(UnknownEvent(event_type, data)) from None
        raise EventDecodeError(sse, str(error)) from None
    if event_type == "error":
        raise StreamError(event)
    return event


def _data(sse: ServerSentEvent) -> Any:
    """The event's data, parsed as JSON when it is JSON."""
    try:
        return json.loads(sse.data)
    except json.JSONDecodeError:
        return sse.data


def _unknown(event_type: str, data: Any) -> UnknownEvent:
    event = UnknownEvent(event_type, data)
    if event_type == "error":
        raise StreamError(event)
    return event
