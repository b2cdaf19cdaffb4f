"""Typed events of the Bifrost Images API event streams, and the streams that read them.

One model per event type, a union per stream told apart by `type`, a parser
per stream from `ServerSentEvent` to the typed event, and `Stream` /
`AsyncStream`, which the client returns for a streamed answer.

A stream's `error` event is raised as `StreamError`, never yielded: the union
of what a client reads leaves it out. Events of a type the spec does not list
(a newer server's) are skipped; `with_unknown_events()` yields them too.
A stream that cannot be read on (cut off, an event past `max_event_size`,
bytes that are not UTF-8, no event within the idle deadline, a broken
connection) raises an `ApiConnectionError` and closes the connection.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import json
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from dataclasses import dataclass
from types import TracebackType
from typing import Annotated, Any, Generic, Literal, Self, TypeVar, cast

import httpx
from pydantic import BaseModel, Field, ValidationError

from .errors import (
    EventDecodeError,
    EventTooLargeError,
    IncompleteStreamError,
    StreamError,
    StreamIdleTimeoutError,
    StreamTextError,
    connection_error,
)
from .models import (
    ImageGenerationPartialImageEvent,
    ImageGenerationCompletedEvent,
    ImageGenerationErrorEvent,
    ImageEditPartialImageEvent,
    ImageEditCompletedEvent,
    ImageEditErrorEvent,
)
from .sse import EventSizeError, ServerSentEvent, SSEDecoder

DONE = "[DONE]"
"""The data of the event some servers send last; it ends the stream."""

ImageGenerationStreamEvent = Annotated[
    ImageGenerationPartialImageEvent
    | ImageGenerationCompletedEvent
    | ImageGenerationErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageGenerationStreamResponse` stream, told apart by its `type`: what a server's handler yields, the `error` event included."""

ImageGenerationEvent = Annotated[
    ImageGenerationPartialImageEvent | ImageGenerationCompletedEvent,
    Field(discriminator="type"),
]
"""One event a client reads from the `ImageGenerationStreamResponse` stream: its `error` event is raised as `StreamError` instead."""

ImageEditStreamEvent = Annotated[
    ImageEditPartialImageEvent | ImageEditCompletedEvent | ImageEditErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageEditStreamResponse` stream, told apart by its `type`: what a server's handler yields, the `error` event included."""

ImageEditEvent = Annotated[
    ImageEditPartialImageEvent | ImageEditCompletedEvent,
    Field(discriminator="type"),
]
"""One event a client reads from the `ImageEditStreamResponse` stream: its `error` event is raised as `StreamError` instead."""

_Event = TypeVar("_Event", covariant=True)
_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True)
class StreamLimits:
    """What a stream may hold and how long it may go without an event.

    The client sets them from its options (`max_event_size`,
    `stream_idle_timeout`, `stream_text_errors`); a stream made without them
    reads as the standard says, unbounded.
    """

    max_event_size: int | None = None
    """The most characters of one event's data, or of one line (`EventTooLargeError`)."""
    idle_timeout: float | None = None
    """Seconds without an event (comments do not count) before `StreamIdleTimeoutError`.

    It is checked as bytes arrive: a server that sends nothing at all is the
    read timeout's.
    """
    text_errors: Literal["strict", "replace"] = "replace"
    """`strict`: bytes that are not UTF-8 raise `StreamTextError`; `replace`: they become U+FFFD."""


@dataclass(frozen=True)
class UnknownEvent:
    """An event no model describes: its type and its data."""

    type: str
    data: Any
    """The event's data, parsed as JSON when it is JSON."""


@dataclass(frozen=True)
class UnlistedEvent(UnknownEvent):
    """An event of a type its stream does not list (a newer server's, say).

    A stream skips these; its `with_unknown_events()` yields them too.
    """


class Stream(Generic[_Event]):
    """The typed events of a streamed answer, read as they arrive.

    Iterate it (`for event in stream`) or take events one by one
    (`next(stream)`); the connection is released when the stream ends or
    fails, or by `close()` (or leaving a `with` block) to stop early. The
    `error` event raises `StreamError`; events of types the stream does not
    list are skipped, and `with_unknown_events()` yields them as well.
    """

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[ServerSentEvent], _Event | UnlistedEvent | None],
        *,
        limits: StreamLimits = StreamLimits(),
    ) -> None:
        self.response = response
        """The HTTP response the events come from: its status code and headers."""
        self._parse = parse
        self._limits = limits
        self._events = self._read()

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> _Event:
        for event in self._events:
            if not isinstance(event, UnlistedEvent):
                return event
        raise StopIteration

    def with_unknown_events(self) -> Iterator[_Event | UnknownEvent]:
        """The rest of the events, those of types the stream does not list included."""
        return self._events

    def close(self) -> None:
        """Stop reading and release the connection."""
        self._events.close()
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _read(self) -> Generator[_Event | UnlistedEvent]:
        limits = self._limits
        decoder = SSEDecoder(
            max_event_size=limits.max_event_size, errors=limits.text_errors
        )
        idle = limits.idle_timeout
        deadline = time.monotonic() + idle if idle is not None else None
        try:
            for chunk in self._chunks():
                events = decoder.feed(chunk)
                if not events and deadline is not None and time.monotonic() > deadline:
                    raise StreamIdleTimeoutError(
                        f"the event stream sent no event in time (stream_idle_timeout={idle} s)"
                    )
                for sse in events:
                    event = self._parse(sse)
                    if event is None:
                        return
                    yield event
                if events and idle is not None:
                    # Counted from when the caller asks for more: its own time is not the server's.
                    deadline = time.monotonic() + idle
        except EventSizeError as error:
            raise EventTooLargeError(str(error)) from error
        except UnicodeDecodeError as error:
            raise StreamTextError(f"the event stream is not UTF-8: {error}") from error
        except httpx.RequestError as error:
            raise connection_error(error, "reading the event stream") from error
        finally:
            self.response.close()
        if decoder.incomplete:
            raise IncompleteStreamError(
                "the event stream ended in the middle of an event"
            )

    def _chunks(self) -> Iterator[bytes]:
        yield from self.response.iter_bytes()


class AsyncStream(Generic[_Event]):
    """The typed events of a streamed answer, for `async for`; see `Stream`.

    `aclose()` (or leaving an `async with` block) stops early; `close()` is the same.
    """

    def __init__(
        self,
        response: httpx.Response,
        parse: Callable[[ServerSentEvent], _Event | UnlistedEvent | None],
        *,
        limits: StreamLimits = StreamLimits(),
    ) -> None:
        self.response = response
        """The HTTP response the events come from: its status code and headers."""
        self._parse = parse
        self._limits = limits
        self._events = self._read()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> _Event:
        async for event in self._events:
            if not isinstance(event, UnlistedEvent):
                return event
        raise StopAsyncIteration

    def with_unknown_events(self) -> AsyncIterator[_Event | UnknownEvent]:
        """The rest of the events, those of types the stream does not list included."""
        return self._events

    async def aclose(self) -> None:
        """Stop reading and release the connection."""
        await self._events.aclose()
        await self.response.aclose()

    async def close(self) -> None:
        """The same as `aclose()`."""
        await self.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _read(self) -> AsyncGenerator[_Event | UnlistedEvent]:
        limits = self._limits
        decoder = SSEDecoder(
            max_event_size=limits.max_event_size, errors=limits.text_errors
        )
        idle = limits.idle_timeout
        deadline = time.monotonic() + idle if idle is not None else None
        try:
            async for chunk in self._chunks():
                events = decoder.feed(chunk)
                if not events and deadline is not None and time.monotonic() > deadline:
                    raise StreamIdleTimeoutError(
                        f"the event stream sent no event in time (stream_idle_timeout={idle} s)"
                    )
                for sse in events:
                    event = self._parse(sse)
                    if event is None:
                        return
                    yield event
                if events and idle is not None:
                    # Counted from when the caller asks for more: its own time is not the server's.
                    deadline = time.monotonic() + idle
        except EventSizeError as error:
            raise EventTooLargeError(str(error)) from error
        except UnicodeDecodeError as error:
            raise StreamTextError(f"the event stream is not UTF-8: {error}") from error
        except httpx.RequestError as error:
            raise connection_error(error, "reading the event stream") from error
        finally:
            await self.response.aclose()
        if decoder.incomplete:
            raise IncompleteStreamError(
                "the event stream ended in the middle of an event"
            )

    async def _chunks(self) -> AsyncIterator[bytes]:
        async for chunk in self.response.aiter_bytes():
            yield chunk


_IMAGE_GENERATION_EVENT_TYPES: dict[str, type[ImageGenerationEvent]] = {
    "image_generation.partial_image": ImageGenerationPartialImageEvent,
    "image_generation.completed": ImageGenerationCompletedEvent,
}


def parse_image_generation_event(
    sse: ServerSentEvent,
) -> ImageGenerationEvent | UnlistedEvent | None:
    """The typed event of an `ImageGenerationStreamResponse` stream; None for `[DONE]`.

    An event of a type the stream does not list comes as `UnlistedEvent`. Raises StreamError for an `error` event and EventDecodeError for data that does not fit its type.
    """
    return _parse(
        sse,
        _IMAGE_GENERATION_EVENT_TYPES,
        "type",
        error_event=ImageGenerationErrorEvent,
    )


_IMAGE_EDIT_EVENT_TYPES: dict[str, type[ImageEditEvent]] = {
    "image_edit.partial_image": ImageEditPartialImageEvent,
    "image_edit.completed": ImageEditCompletedEvent,
}


def parse_image_edit_event(
    sse: ServerSentEvent,
) -> ImageEditEvent | UnlistedEvent | None:
    """The typed event of an `ImageEditStreamResponse` stream; None for `[DONE]`.

    An event of a type the stream does not list comes as `UnlistedEvent`. Raises StreamError for an `error` event and EventDecodeError for data that does not fit its type.
    """
    return _parse(sse, _IMAGE_EDIT_EVENT_TYPES, "type", error_event=ImageEditErrorEvent)


def _parse(
    sse: ServerSentEvent,
    types: Mapping[str, type[_Model]],
    discriminator: str | None,
    error_event: type[BaseModel] | None = None,
) -> _Model | UnlistedEvent | None:
    if sse.data == DONE:
        return None
    data = _data(sse)
    fields = _fields(data)
    # The data's own tag names the type; without one, the SSE `event:` field does.
    tag = fields.get(discriminator) if discriminator and fields is not None else None
    named = sse.event if sse.event != "message" else None
    event_type = str(tag) if isinstance(tag, (str, int)) else named
    if event_type == "error":
        raise _stream_error(data, error_event, discriminator)
    model = types.get(event_type) if event_type is not None else None
    if model is None or fields is None:
        return UnlistedEvent(str(event_type or sse.event), data)
    try:
        return model.model_validate(
            {discriminator: event_type, **fields} if discriminator else fields,
            context={"lenient": True},
        )
    except ValidationError as error:
        raise EventDecodeError(sse, str(error)) from None


def _stream_error(
    data: Any, model: type[BaseModel] | None, discriminator: str | None
) -> StreamError[BaseModel | UnknownEvent]:
    """The error an `error` event reports: in its model, else as it came."""
    fields = _fields(data)
    if model is not None and fields is not None:
        try:
            return StreamError(
                model.model_validate(
                    {discriminator: "error", **fields} if discriminator else fields,
                    context={"lenient": True},
                )
            )
        except ValidationError:
            pass  # an error all the same, if not in the spec's shape
    return StreamError(UnknownEvent("error", data))


def _data(sse: ServerSentEvent) -> Any:
    """The event's data, parsed as JSON when it is JSON."""
    try:
        return json.loads(sse.data)
    except json.JSONDecodeError:
        return sse.data


def _fields(data: Any) -> dict[str, Any] | None:
    """The data as the object it is, or None when it is not one."""
    return (
        cast(dict[str, Any], data) if isinstance(data, dict) else None
    )  # JSON keys are strings
