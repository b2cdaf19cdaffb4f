"""The generated servers over real HTTP: uvicorn on loopback, httpx as the client.

Part A serves the committed `images_api` with test handlers that return fixed
models and record the typed request they were given. Part B generates the
library fixture spec into a temporary folder and serves that package, for
path, query and header parameters, a 204 DELETE, a 201 POST and per-operation
security.

Each server starts once per module; every HTTP call has a timeout.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from images_api.models import (
    BifrostError,
    ImageData,
    ImageEditCompletedEvent,
    ImageEditErrorEvent,
    ImageEditPartialImageEvent,
    ImageEditRequest,
    ImageGenerationCompletedEvent,
    ImageGenerationErrorEvent,
    ImageGenerationPartialImageEvent,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageUsage,
    ImageVariationRequest,
)
from images_api.server import ApiError, Credentials, RequestContext, create_app
from images_api.streaming import ImageEditStreamEvent, ImageGenerationStreamEvent
from images_api.uploads import UploadedFile
from pydantic import BaseModel, TypeAdapter

from .conftest import FIXTURES, GENERATED
from .server_harness import GeneratedPackage, generated_package, serve

TIMEOUT = httpx.Timeout(5.0)
GATE_TIMEOUT = 10.0  # longer than TIMEOUT: a buffered stream fails as a client timeout

GENERATIONS = "/v1/images/generations"
EDITS = "/v1/images/edits"
VARIATIONS = "/v1/images/variations"
BEARER = {"Authorization": "Bearer test-token"}

# A handler's exception text: it must never reach the client.
SECRET = "secret-internal-detail-4f1c"

# Not valid UTF-8, so a text round trip would show.
IMAGE = b"\x89PNG\r\n\x1a\n\xff\xfe-image-one"
IMAGE_TWO = b"\x89PNG\r\n\x1a\n\x00\x80-image-two"
MASK = b"\x89PNG\r\n\x1a\n\xc3\x28-mask"

RESPONSE = ImageGenerationResponse(
    id="img-123",
    created=1700000000,
    model="openai/gpt-image-1",
    data=[ImageData(b64_json="aGVsbG8=", index=0, revised_prompt="a red fox")],
    usage=ImageUsage(input_tokens=3, output_tokens=5, total_tokens=8),
)
GENERATION_EVENTS = [
    ImageGenerationPartialImageEvent(
        type="image_generation.partial_image",
        partial_image_index=0,
        sequence_number=0,
        b64_json="cGFydA==",
    ),
    ImageGenerationCompletedEvent(
        type="image_generation.completed",
        sequence_number=1,
        b64_json="ZG9uZQ==",
        usage=ImageUsage(input_tokens=3, output_tokens=5, total_tokens=8),
    ),
]
EDIT_EVENTS = [
    ImageEditPartialImageEvent(
        type="image_edit.partial_image",
        partial_image_index=0,
        sequence_number=0,
        b64_json="cGFydA==",
    ),
    ImageEditCompletedEvent(
        type="image_edit.completed",
        sequence_number=1,
        b64_json="ZG9uZQ==",
        usage=ImageUsage(input_tokens=4, output_tokens=6, total_tokens=10),
    ),
]
GENERATION_EVENT = TypeAdapter(ImageGenerationStreamEvent)
EDIT_EVENT = TypeAdapter(ImageEditStreamEvent)


# --- helpers --------------------------------------------------------------------------------


def wire(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def generation(**fields: Any) -> dict[str, Any]:
    return {"model": "openai/gpt-image-1", "prompt": "a red fox", **fields}


def edit_form(**fields: str) -> dict[str, str]:
    return {"model": "openai/gpt-image-1", "prompt": "make it blue", **fields}


def png(content: bytes, name: str = "in.png") -> tuple[str, bytes, str]:
    return (name, content, "image/png")


def sse_blocks(text: str) -> list[list[str]]:
    """The lines of each event of a raw text/event-stream body."""
    assert text.endswith("\n\n"), "the stream ends in the middle of an event"
    return [block.split("\n") for block in text.split("\n\n") if block]


def sse_events(text: str, adapter: TypeAdapter[Any]) -> list[Any]:
    """Each event as `event: <type>` then `data: <json>`, validated as the stream's union."""
    events = []
    for lines in sse_blocks(text):
        assert len(lines) == 2, lines
        assert lines[0].startswith("event: ") and lines[1].startswith("data: "), lines
        event = adapter.validate_json(lines[1].removeprefix("data: "))
        assert lines[0].removeprefix("event: ") == event.type
        events.append(event)
    return events


def assert_bifrost_error(response: httpx.Response, status: int) -> BifrostError:
    """`response` has `status` and a body in the spec's `BifrostError` shape."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert isinstance(data, dict), data
    assert "detail" not in data, "FastAPI's own error shape"
    assert set(data) <= set(BifrostError.model_fields), data
    error = BifrostError.model_validate(data)
    assert error.error is not None and error.error.message, data
    assert error.status_code == status
    assert "Traceback" not in response.text and SECRET not in response.text
    return error


# --- test handlers --------------------------------------------------------------------------


@dataclass
class Call:
    operation: str
    body: BaseModel
    context: RequestContext


def _files_in_memory(body: BaseModel) -> BaseModel:
    """`body` with in-memory copies of its files: the server closes them when the request ends."""

    def copy(upload: UploadedFile) -> UploadedFile:
        return UploadedFile.from_bytes(
            bytes(upload), filename=upload.filename, content_type=upload.content_type
        )

    copies: dict[str, Any] = {}
    for name in type(body).model_fields:
        value = getattr(body, name)
        if isinstance(value, UploadedFile):
            copies[name] = copy(value)
        elif isinstance(value, list) and any(
            isinstance(v, UploadedFile) for v in value
        ):
            copies[name] = [copy(v) for v in value]
    return body.model_copy(update=copies)


class RecordingHandlers:
    """Fixed answers; every call's typed body and context are kept in `calls`."""

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def record(self, operation: str, body: BaseModel, context: RequestContext) -> None:
        self.calls.append(Call(operation, _files_in_memory(body), context))

    @property
    def last(self) -> Call:
        assert self.calls, "the handler was not called"
        return self.calls[-1]

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        self.record("image_generation", body, context)
        return RESPONSE

    async def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[Any]:
        self.record("image_generation_stream", body, context)
        for event in GENERATION_EVENTS:
            yield event

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        self.record("image_edit", body, context)
        return RESPONSE

    async def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[Any]:
        self.record("image_edit_stream", body, context)
        for event in EDIT_EVENTS:
            yield event

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        self.record("image_variation", body, context)
        return RESPONSE


class FailingHandlers:
    """Every operation raises RuntimeError, streams before their first event."""

    async def image_generation(self, body: Any, context: Any) -> Any:
        raise RuntimeError(SECRET)

    async def image_generation_stream(self, body: Any, context: Any) -> Any:
        raise RuntimeError(SECRET)
        yield  # pragma: no cover - makes this an async generator

    async def image_edit(self, body: Any, context: Any) -> Any:
        raise RuntimeError(SECRET)

    async def image_edit_stream(self, body: Any, context: Any) -> Any:
        raise RuntimeError(SECRET)
        yield  # pragma: no cover

    async def image_variation(self, body: Any, context: Any) -> Any:
        raise RuntimeError(SECRET)


class MidStreamFailingHandlers(RecordingHandlers):
    """Streams send one event, then raise RuntimeError."""

    async def image_generation_stream(self, body: Any, context: Any) -> Any:
        yield GENERATION_EVENTS[0]
        raise RuntimeError(SECRET)

    async def image_edit_stream(self, body: Any, context: Any) -> Any:
        yield EDIT_EVENTS[0]
        raise RuntimeError(SECRET)


CUSTOM_ERROR = BifrostError.model_validate(
    {
        "type": "rate_limit_error",
        "is_bifrost_error": False,
        "status_code": 429,
        "error": {"type": "rate_limit_error", "code": "quota", "message": "slow down"},
        "extra_fields": {"provider": "openai", "retry_after_ms": 1500},
    }
)


class ApiErrorHandlers(RecordingHandlers):
    """Raise ApiError with the status code the request's `user` names.

    `image_generation` raises it at once, its stream after one event;
    `image_variation` raises ApiError(429) with its own body, CUSTOM_ERROR.
    """

    async def image_generation(self, body: Any, context: Any) -> Any:
        raise ApiError(int(body.user), f"refused with {body.user}")

    async def image_generation_stream(self, body: Any, context: Any) -> Any:
        yield GENERATION_EVENTS[0]
        raise ApiError(int(body.user), f"refused with {body.user}")

    async def image_variation(self, body: Any, context: Any) -> Any:
        raise ApiError(429, "ignored: the body is sent", body=CUSTOM_ERROR)


class GatedHandlers(RecordingHandlers):
    """The generation stream sends one event, then waits for `release()` before the next."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gate: asyncio.Event | None = None
        self.released_before_first_event: bool | None = None

    async def image_generation_stream(self, body: Any, context: Any) -> Any:
        self.loop = asyncio.get_running_loop()
        self.gate = asyncio.Event()
        yield GENERATION_EVENTS[0]
        self.released_before_first_event = self.gate.is_set()
        await asyncio.wait_for(self.gate.wait(), GATE_TIMEOUT)
        yield GENERATION_EVENTS[1]

    def release(self) -> None:
        """Open the gate from the test's thread."""
        assert self.loop is not None and self.gate is not None
        self.loop.call_soon_threadsafe(self.gate.set)


class Principal:
    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials


class Authenticator:
    """An `authenticate` hook that records what it is given; refuses the secret `refused`."""

    def __init__(self) -> None:
        self.seen: list[Credentials] = []

    async def __call__(self, credentials: Credentials) -> Principal | None:
        self.seen.append(credentials)
        return None if credentials.secret == "refused" else Principal(credentials)


# --- fixtures -------------------------------------------------------------------------------


@dataclass
class Served:
    client: httpx.Client
    handlers: Any
    auth: Authenticator


@contextmanager
def running(handlers: Any, **options: Any) -> Iterator[Served]:
    auth = Authenticator()
    app = create_app(handlers, authenticate=auth, **options)
    with serve(app) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        yield Served(client, handlers, auth)


def fresh(served: Served) -> Served:
    """`served` with no calls recorded yet."""
    if isinstance(served.handlers, RecordingHandlers):
        served.handlers.calls.clear()
    served.auth.seen.clear()
    return served


@pytest.fixture(scope="module")
def images_server() -> Iterator[Served]:
    with running(RecordingHandlers()) as served:
        yield served


@pytest.fixture(scope="module")
def failing_server() -> Iterator[Served]:
    with running(FailingHandlers()) as served:
        yield served


@pytest.fixture(scope="module")
def mid_stream_server() -> Iterator[Served]:
    with running(MidStreamFailingHandlers()) as served:
        yield served


@pytest.fixture(scope="module")
def api_error_server() -> Iterator[Served]:
    with running(ApiErrorHandlers()) as served:
        yield served


@pytest.fixture(scope="module")
def gated_server() -> Iterator[Served]:
    with running(GatedHandlers()) as served:
        yield served


BODY_LIMIT = 4096


@pytest.fixture(scope="module")
def limited_server() -> Iterator[Served]:
    with running(RecordingHandlers(), max_body_size=BODY_LIMIT) as served:
        yield served


@pytest.fixture
def images(images_server: Served) -> Served:
    return fresh(images_server)


@pytest.fixture
def client(images: Served) -> httpx.Client:
    return images.client


@pytest.fixture
def handlers(images: Served) -> RecordingHandlers:
    handlers: RecordingHandlers = images.handlers
    return handlers


# --- A. images API: operations --------------------------------------------------------------


def test_image_generation_answers_the_handler_response_to_a_typed_request(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        GENERATIONS,
        json=generation(
            n=2,
            size="1024x1024",
            quality="high",
            fallbacks=[{"provider": "anthropic", "model": "claude-x"}],
        ),
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == wire(RESPONSE)
    call = handlers.last
    assert call.operation == "image_generation"
    body = call.body
    assert isinstance(body, ImageGenerationRequest)
    assert (body.model, body.prompt, body.n, body.stream) == (
        "openai/gpt-image-1",
        "a red fox",
        2,
        False,
    )
    assert body.size == "1024x1024" and body.quality == "high"
    assert body.fallbacks is not None and body.fallbacks[0].provider == "anthropic"
    assert call.context.credentials == Credentials("BearerAuth", "bearer", "test-token")


def test_image_generation_stream_sends_typed_sse_events(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(GENERATIONS, json=generation(stream=True), headers=BEARER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text, GENERATION_EVENT)
    assert [wire(e) for e in events] == [wire(e) for e in GENERATION_EVENTS]
    assert [type(e) for e in events] == [
        ImageGenerationPartialImageEvent,
        ImageGenerationCompletedEvent,
    ]
    assert handlers.last.operation == "image_generation_stream"
    assert handlers.last.body.stream is True  # type: ignore[attr-defined]


def test_image_edit_with_one_image_gets_bytes_and_typed_scalars(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        EDITS,
        data=edit_form(n="2", stream="false", size="512x512", output_compression="50"),
        files={"image": png(IMAGE)},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert response.json() == wire(RESPONSE)
    call = handlers.last
    assert call.operation == "image_edit"
    body = call.body
    assert isinstance(body, ImageEditRequest)
    assert body.image == IMAGE
    assert body.image_list is None and body.mask is None
    assert body.n == 2 and type(body.n) is int
    assert body.stream is False
    assert body.output_compression == 50
    assert body.size == "512x512" and body.prompt == "make it blue"


def test_image_edit_with_several_images_and_a_mask_gets_a_list_of_bytes(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        EDITS,
        data=edit_form(n="1"),
        files=[
            ("image[]", png(IMAGE, "one.png")),
            ("image[]", png(IMAGE_TWO, "two.png")),
            ("mask", png(MASK, "mask.png")),
        ],
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    body = handlers.last.body
    assert isinstance(body, ImageEditRequest)
    assert body.image_list == [IMAGE, IMAGE_TWO]
    assert body.image is None
    assert body.mask == MASK
    assert body.n == 1


def test_image_edit_stream_sends_typed_sse_events(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        EDITS,
        data=edit_form(stream="true"),
        files={"image": png(IMAGE)},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text, EDIT_EVENT)
    assert [wire(e) for e in events] == [wire(e) for e in EDIT_EVENTS]
    assert [type(e) for e in events] == [
        ImageEditPartialImageEvent,
        ImageEditCompletedEvent,
    ]
    assert handlers.last.operation == "image_edit_stream"
    assert handlers.last.body.stream is True  # type: ignore[attr-defined]


def test_image_edit_background_removal_needs_no_prompt(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        EDITS,
        data={"model": "openai/gpt-image-1", "type": "background_removal"},
        files={"image": png(IMAGE)},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    body = handlers.last.body
    assert isinstance(body, ImageEditRequest)
    assert body.type == "background_removal" and body.prompt is None


def test_image_variation_gets_bytes_and_typed_scalars(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        VARIATIONS,
        data={"model": "openai/dall-e-2", "n": "3", "size": "256x256"},
        files={"image": png(IMAGE)},
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert response.json() == wire(RESPONSE)
    call = handlers.last
    assert call.operation == "image_variation"
    assert isinstance(call.body, ImageVariationRequest)
    assert call.body.image == IMAGE
    assert call.body.n == 3 and call.body.size == "256x256"


def test_stream_events_are_flushed_as_they_are_produced(
    gated_server: Served,
) -> None:
    """The first event arrives while the handler still waits to produce the second."""
    gated: GatedHandlers = gated_server.handlers
    with gated_server.client.stream(
        "POST", GENERATIONS, json=generation(stream=True), headers=BEARER
    ) as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        first = [next(lines), next(lines), next(lines)]
        # Read over HTTP while the gate is still closed: it was sent, not buffered.
        assert first[2] == "" and first[0] == "event: image_generation.partial_image"
        assert gated.gate is not None and not gated.gate.is_set()
        gated.release()
        rest = "\n".join(lines)
    events = sse_events("\n".join(first) + "\n" + rest + "\n", GENERATION_EVENT)
    assert [e.type for e in events] == [e.type for e in GENERATION_EVENTS]
    assert gated.released_before_first_event is False


# --- A. images API: request errors ----------------------------------------------------------

JSON_ERRORS = {
    "invalid JSON": (b'{"model": "openai/x", "prompt": ', "json"),
    "empty body": (b"", ""),
    "blank body": (b"  \n", ""),
    "not an object": (b'["a red fox"]', ""),
    "missing prompt": (json.dumps({"model": "openai/x"}).encode(), "prompt"),
    "missing model": (json.dumps({"prompt": "p"}).encode(), "model"),
    "bad enum size": (json.dumps(generation(size="huge")).encode(), "size"),
    "bad enum quality": (json.dumps(generation(quality="ultra")).encode(), "quality"),
    "n above range": (json.dumps(generation(n=11)).encode(), "n"),
    "n below range": (json.dumps(generation(n=0)).encode(), "n"),
    "n not an int": (json.dumps(generation(n="two")).encode(), "n"),
    "stream with url format": (
        json.dumps(generation(stream=True, response_format="url")).encode(),
        "response_format",
    ),
    "fallback with unknown provider": (
        json.dumps(generation(fallbacks=[{"provider": "nope", "model": "m"}])).encode(),
        "provider",
    ),
}


@pytest.mark.parametrize(
    ("content", "mentions"), list(JSON_ERRORS.values()), ids=list(JSON_ERRORS)
)
def test_invalid_generation_request_is_a_400_bifrost_error(
    client: httpx.Client, handlers: RecordingHandlers, content: bytes, mentions: str
) -> None:
    response = client.post(
        GENERATIONS,
        content=content,
        headers={**BEARER, "Content-Type": "application/json"},
    )
    error = assert_bifrost_error(response, 400)
    assert error.error is not None and mentions in (error.error.message or "").lower()
    assert handlers.calls == []


def test_stream_with_b64_json_format_is_accepted(
    client: httpx.Client, handlers: RecordingHandlers
) -> None:
    response = client.post(
        GENERATIONS,
        json=generation(stream=True, response_format="b64_json"),
        headers=BEARER,
    )
    assert response.status_code == 200, response.text
    assert handlers.last.operation == "image_generation_stream"


MULTIPART_ERRORS: dict[str, tuple[str, dict[str, str], list[Any], str]] = {
    "edit without any image": (EDITS, edit_form(), [], "image"),
    "edit without prompt": (EDITS, {"model": "m"}, [("image", png(IMAGE))], "prompt"),
    "edit with inpainting and no prompt": (
        EDITS,
        {"model": "m", "type": "inpainting"},
        [("image", png(IMAGE))],
        "prompt",
    ),
    "edit without model": (
        EDITS,
        {"prompt": "p"},
        [("image", png(IMAGE))],
        "model",
    ),
    "edit with n out of range": (
        EDITS,
        edit_form(n="0"),
        [("image", png(IMAGE))],
        "n",
    ),
    "edit with n not an int": (
        EDITS,
        edit_form(n="many"),
        [("image", png(IMAGE))],
        "n",
    ),
    "edit with a bad enum": (
        EDITS,
        edit_form(size="huge"),
        [("image", png(IMAGE))],
        "size",
    ),
    "edit with image twice": (
        EDITS,
        edit_form(),
        [("image", png(IMAGE)), ("image", png(IMAGE_TWO))],
        "image",
    ),
    "edit with 17 images": (
        EDITS,
        edit_form(),
        [("image[]", png(IMAGE))] * 17,
        "image[]",
    ),
    "variation without any image": (VARIATIONS, {"model": "m"}, [], "image"),
    "variation with n out of range": (
        VARIATIONS,
        {"model": "m", "n": "11"},
        [("image", png(IMAGE))],
        "n",
    ),
}


@pytest.mark.parametrize(
    ("path", "data", "files", "mentions"),
    list(MULTIPART_ERRORS.values()),
    ids=list(MULTIPART_ERRORS),
)
def test_invalid_multipart_request_is_a_400_bifrost_error(
    client: httpx.Client,
    handlers: RecordingHandlers,
    path: str,
    data: dict[str, str],
    files: list[Any],
    mentions: str,
) -> None:
    # Text fields as file-less parts: multipart even when no file is sent.
    parts = [(name, (None, value)) for name, value in data.items()] + files
    response = client.post(path, files=parts, headers=BEARER)
    assert response.request.headers["content-type"].startswith("multipart/form-data")
    error = assert_bifrost_error(response, 400)
    assert error.error is not None and mentions in (error.error.message or "").lower()
    assert handlers.calls == []


MALFORMED_BODIES = {
    "garbage after the boundary": (
        "multipart/form-data; boundary=XyZ",
        b"--XyZ\r\nthis is not a part header\r\n\r\n\xff\xfe",
    ),
    "part without a name": (
        "multipart/form-data; boundary=XyZ",
        b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XyZ--\r\n",
    ),
    "no boundary parameter": ("multipart/form-data", b"--XyZ\r\n\r\n"),
    "truncated body": (
        "multipart/form-data; boundary=XyZ",
        b'--XyZ\r\nContent-Disposition: form-data; name="model"\r\n\r\nm',
    ),
}


@pytest.mark.parametrize(
    ("content_type", "content"),
    list(MALFORMED_BODIES.values()),
    ids=list(MALFORMED_BODIES),
)
@pytest.mark.parametrize("path", [EDITS, VARIATIONS])
def test_malformed_multipart_body_is_a_400_bifrost_error(
    client: httpx.Client,
    handlers: RecordingHandlers,
    path: str,
    content_type: str,
    content: bytes,
) -> None:
    response = client.post(
        path, content=content, headers={**BEARER, "Content-Type": content_type}
    )
    assert_bifrost_error(response, 400)
    assert handlers.calls == []


def test_body_over_the_limit_is_a_413_by_its_content_length(
    limited_server: Served,
) -> None:
    served = fresh(limited_server)
    body = json.dumps(generation(prompt="x" * BODY_LIMIT)).encode()
    response = served.client.post(
        GENERATIONS,
        content=body,
        headers={**BEARER, "Content-Type": "application/json"},
    )
    error = assert_bifrost_error(response, 413)
    assert error.error.message == f"The request body is larger than {BODY_LIMIT} bytes."
    assert served.handlers.calls == []


def test_chunked_body_over_the_limit_is_a_413_while_it_is_read(
    limited_server: Served,
) -> None:
    """Without a Content-Length, counting stops the read at the limit."""
    served = fresh(limited_server)
    form = httpx.Request(
        "POST", "/", data=edit_form(), files={"image": png(IMAGE * 1000)}
    )
    chunks = [form.read()[i : i + 1024] for i in range(0, len(form.read()), 1024)]
    response = served.client.post(
        EDITS,
        content=iter(chunks),  # an iterator: httpx sends it chunked
        headers={**BEARER, "Content-Type": form.headers["Content-Type"]},
    )
    assert_bifrost_error(response, 413)
    assert served.handlers.calls == []


def test_body_within_the_limit_is_served(limited_server: Served) -> None:
    served = fresh(limited_server)
    response = served.client.post(
        EDITS, data=edit_form(), files={"image": png(IMAGE)}, headers=BEARER
    )
    assert response.status_code == 200, response.text
    assert served.handlers.last.body.image == IMAGE


@pytest.mark.parametrize("path", [EDITS, VARIATIONS])
@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/octet-stream"]
)
def test_multipart_operation_refuses_another_content_type(
    client: httpx.Client, handlers: RecordingHandlers, path: str, content_type: str
) -> None:
    response = client.post(
        path,
        content=json.dumps({"model": "m", "prompt": "p", "image": "aGk="}).encode(),
        headers={**BEARER, "Content-Type": content_type},
    )
    # 415 whatever the spec declares: the status says what is wrong (issue 12).
    error = assert_bifrost_error(response, 415)
    assert error.error is not None and "multipart" in (error.error.message or "")
    assert handlers.calls == []


@pytest.mark.parametrize("media_type", ["Multipart/Form-Data", "MULTIPART/FORM-DATA"])
def test_multipart_media_type_is_case_insensitive(
    client: httpx.Client, handlers: RecordingHandlers, media_type: str
) -> None:
    request = client.build_request(
        "POST", EDITS, data=edit_form(), files={"image": png(IMAGE)}
    )
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data;")
    response = client.post(
        EDITS,
        content=request.read(),
        headers={
            **BEARER,
            "Content-Type": content_type.replace("multipart/form-data", media_type),
        },
    )
    assert response.status_code == 200, response.text
    assert handlers.last.body.image == IMAGE  # type: ignore[attr-defined]


def test_unknown_path_is_a_404_bifrost_error(client: httpx.Client) -> None:
    error = assert_bifrost_error(client.get("/v1/images/nope", headers=BEARER), 404)
    assert error.type == "not_found"  # the reason phrase: the spec gives no kinds


@pytest.mark.parametrize("path", [GENERATIONS, EDITS, VARIATIONS])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_wrong_method_is_a_405_bifrost_error(
    client: httpx.Client, path: str, method: str
) -> None:
    assert_bifrost_error(client.request(method, path, headers=BEARER), 405)


def test_wrong_method_answer_names_the_allowed_method(client: httpx.Client) -> None:
    response = client.get(GENERATIONS, headers=BEARER)
    assert response.status_code == 405
    assert response.headers.get("allow") == "POST"


# --- A. images API: handler failures --------------------------------------------------------

FAILING_REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "generation": (GENERATIONS, {"json": generation()}),
    "generation stream before its first event": (
        GENERATIONS,
        {"json": generation(stream=True)},
    ),
    "edit": (EDITS, {"data": edit_form(), "files": {"image": png(IMAGE)}}),
    "edit stream before its first event": (
        EDITS,
        {"data": edit_form(stream="true"), "files": {"image": png(IMAGE)}},
    ),
    "variation": (VARIATIONS, {"data": {"model": "m"}, "files": {"image": png(IMAGE)}}),
}


@pytest.mark.parametrize(
    ("path", "request_args"),
    list(FAILING_REQUESTS.values()),
    ids=list(FAILING_REQUESTS),
)
def test_handler_exception_is_a_500_without_its_text(
    failing_server: Served, path: str, request_args: dict[str, Any]
) -> None:
    response = failing_server.client.post(path, headers=BEARER, **request_args)
    error = assert_bifrost_error(response, 500)  # also: SECRET not in the body
    assert "RuntimeError" not in response.text
    assert error.type == "internal_server_error"


@pytest.mark.parametrize(
    ("status", "kind"), [(404, "not_found"), (429, "too_many_requests")]
)
def test_api_error_passes_its_status_and_message_through(
    api_error_server: Served, status: int, kind: str
) -> None:
    response = api_error_server.client.post(
        GENERATIONS, json=generation(user=str(status)), headers=BEARER
    )
    error = assert_bifrost_error(response, status)
    assert error.error is not None and error.error.message == f"refused with {status}"
    assert error.type == kind


def test_api_error_with_a_body_sends_that_body(api_error_server: Served) -> None:
    response = api_error_server.client.post(
        VARIATIONS, data={"model": "m"}, files={"image": png(IMAGE)}, headers=BEARER
    )
    assert_bifrost_error(response, 429)
    assert response.json() == wire(CUSTOM_ERROR)


def test_api_error_mid_stream_ends_the_stream_with_its_error_event(
    api_error_server: Served,
) -> None:
    response = api_error_server.client.post(
        GENERATIONS, json=generation(stream=True, user="429"), headers=BEARER
    )
    assert response.status_code == 200
    events = sse_events(response.text, GENERATION_EVENT)
    assert [e.type for e in events] == ["image_generation.partial_image", "error"]
    error = events[-1].error
    assert isinstance(events[-1], ImageGenerationErrorEvent) and error is not None
    assert error.status_code == 429 and error.type == "too_many_requests"
    assert error.error is not None and error.error.message == "refused with 429"


STREAMS = {
    "generation": (
        GENERATIONS,
        {"json": generation(stream=True)},
        GENERATION_EVENT,
        ImageGenerationErrorEvent,
    ),
    "edit": (
        EDITS,
        {"data": edit_form(stream="true"), "files": {"image": png(IMAGE)}},
        EDIT_EVENT,
        ImageEditErrorEvent,
    ),
}


@pytest.mark.parametrize(
    ("path", "request_args", "adapter", "error_model"),
    list(STREAMS.values()),
    ids=list(STREAMS),
)
def test_exception_mid_stream_ends_the_stream_with_an_error_event(
    mid_stream_server: Served,
    path: str,
    request_args: dict[str, Any],
    adapter: TypeAdapter[Any],
    error_model: type[BaseModel],
) -> None:
    response = mid_stream_server.client.post(path, headers=BEARER, **request_args)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert SECRET not in response.text and "Traceback" not in response.text
    events = sse_events(response.text, adapter)
    assert [e.type for e in events] == [events[0].type, "error"]
    assert events[0].type.endswith(".partial_image")
    error_event = events[-1]
    assert type(error_event) is error_model
    data = sse_blocks(response.text)[-1][1].removeprefix("data: ")
    error_model.model_validate_json(data)
    assert error_event.error is not None and error_event.error.error is not None
    assert error_event.error.error.message
    assert error_event.error.status_code == 500


# --- A. images API: authentication ----------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


SCHEMES = {
    "bearer": (
        {"Authorization": "Bearer tok-123"},
        Credentials("BearerAuth", "bearer", "tok-123"),
    ),
    "bearer lowercase": (
        {"Authorization": "bearer tok-456"},
        Credentials("BearerAuth", "bearer", "tok-456"),
    ),
    "basic": (
        {"Authorization": basic("alice", "pa:ss w0rd")},
        Credentials("BasicAuth", "basic", "pa:ss w0rd", "alice"),
    ),
    "virtual key": (
        {"x-bf-vk": "vk-789"},
        Credentials("VirtualKeyAuth", "api_key", "vk-789"),
    ),
    "api key": (
        {"x-api-key": "key-000"},
        Credentials("ApiKeyAuth", "api_key", "key-000"),
    ),
}


@pytest.mark.parametrize(
    ("headers", "expected"), list(SCHEMES.values()), ids=list(SCHEMES)
)
def test_each_scheme_reaches_the_authenticate_hook(
    images: Served, headers: dict[str, str], expected: Credentials
) -> None:
    response = images.client.post(GENERATIONS, json=generation(), headers=headers)
    assert response.status_code == 200, response.text
    assert images.auth.seen == [expected]
    context = images.handlers.last.context
    assert context.credentials == expected
    assert isinstance(context.principal, Principal)
    assert context.principal.credentials == expected


def test_no_credentials_is_a_401_before_the_body_is_read(images: Served) -> None:
    response = images.client.post(GENERATIONS, content=b"{not json")
    error = assert_bifrost_error(response, 401)
    assert error.type == "unauthorized"
    assert images.auth.seen == [] and images.handlers.calls == []


UNACCEPTED = {
    "hook refuses bearer": {"Authorization": "Bearer refused"},
    "hook refuses api key": {"x-api-key": "refused"},
    "basic with bad base64": {"Authorization": "Basic !!not-base64!!"},
    "basic without a colon": {
        "Authorization": "Basic " + base64.b64encode(b"alice").decode()
    },
    "basic not utf-8": {
        "Authorization": "Basic " + base64.b64encode(b"\xff:x").decode()
    },
    "bearer without a token": {"Authorization": "Bearer"},
    "unknown authorization scheme": {"Authorization": "Digest abc"},
    "empty api key": {"x-api-key": ""},
}


@pytest.mark.parametrize("headers", list(UNACCEPTED.values()), ids=list(UNACCEPTED))
def test_unaccepted_credentials_are_a_401(
    images: Served, headers: dict[str, str]
) -> None:
    response = images.client.post(GENERATIONS, json=generation(), headers=headers)
    error = assert_bifrost_error(response, 401)
    assert error.type == "unauthorized"
    assert images.handlers.calls == []


def test_openapi_json_is_the_bundled_spec(client: httpx.Client) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    bundled = json.loads((GENERATED / "openapi.json").read_text(encoding="utf-8"))
    document = response.json()
    assert document == bundled
    assert set(document["paths"]) == {GENERATIONS, EDITS, VARIATIONS}
    assert "/openapi.json" not in document["paths"]
    assert "/docs" not in document["paths"]
    assert set(document["components"]["securitySchemes"]) == {
        "BearerAuth",
        "BasicAuth",
        "VirtualKeyAuth",
        "ApiKeyAuth",
    }


def test_docs_is_an_html_page_over_the_spec(client: httpx.Client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in response.text


# --- B. library fixture server --------------------------------------------------------------

LIBRARY_SPEC = FIXTURES / "library" / "openapi.yaml"
API_KEY = {"X-Api-Key": "staff-key"}
PRINTED = {"kind": "printed", "page-count": 320, "binding": "paperback"}
BOOK = {
    "id": 7,
    "title": "Nineteen Eighty-Four",
    "authors": ["George Orwell"],
    "media": PRINTED,
    "class": "823.912",
    "global": True,
}
SHELF = {"id": 1, "name": "Fiction", "children": []}


class LibraryHandlers:
    """Fixed answers; every call's arguments are kept in `calls` as (operation, kwargs)."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def last(self) -> tuple[str, dict[str, Any]]:
        assert self.calls, "the handler was not called"
        return self.calls[-1]

    async def list_books(self, context: Any, **params: Any) -> Any:
        self.calls.append(("list_books", {"context": context, **params}))
        return self.models.BookPage.model_validate(
            {"items": [BOOK], "next_cursor": None}
        )

    async def create_book(self, body: Any, context: Any, **params: Any) -> Any:
        self.calls.append(("create_book", {"body": body, "context": context, **params}))
        return self.models.Book.model_validate(
            {**body.model_dump(by_alias=True, exclude={"shelf_id"}), "id": 42}
        )

    async def get_book(self, context: Any, **params: Any) -> Any:
        self.calls.append(("get_book", {"context": context, **params}))
        return self.models.Book.model_validate({**BOOK, "id": params["book_id"]})

    async def update_book(self, body: Any, context: Any, **params: Any) -> Any:
        self.calls.append(("update_book", {"body": body, "context": context, **params}))
        return self.models.Book.model_validate(BOOK)

    async def delete_book(self, context: Any, **params: Any) -> None:
        self.calls.append(("delete_book", {"context": context, **params}))

    async def list_shelves(self, context: Any, **params: Any) -> Any:
        self.calls.append(("list_shelves", {"context": context, **params}))
        return self.models.ListShelvesResponse.model_validate([SHELF])

    async def get_shelf(self, context: Any, **params: Any) -> Any:
        self.calls.append(("get_shelf", {"context": context, **params}))
        return self.models.Shelf.model_validate(SHELF)


@dataclass
class Library:
    client: httpx.Client
    handlers: LibraryHandlers
    package: GeneratedPackage

    def assert_error(self, response: httpx.Response, status: int) -> Any:
        """`response` has `status` and a body in the library spec's `Error` shape."""
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/json")
        data = response.json()
        assert isinstance(data, dict) and "detail" not in data, data
        error_model = self.package.module("models").Error
        assert set(data) <= {"code", "message", "request_id"}, data
        error = error_model.model_validate(data)
        assert error.code and error.message
        assert "Traceback" not in response.text
        return error


@pytest.fixture(scope="module")
def library_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    root: Path = tmp_path_factory.mktemp("library_server")
    with generated_package(LIBRARY_SPEC, root, stem="library") as package:
        handlers = LibraryHandlers(package.module("models"))
        # The mock's accept-all hook: any well-formed credentials are accepted.
        app = package.module("server").create_app(
            handlers, authenticate=package.module("mock").accept_any
        )
        with (
            serve(app) as url,
            httpx.Client(base_url=url, timeout=TIMEOUT, headers=API_KEY) as client,
        ):
            yield Library(client, handlers, package)


@pytest.fixture
def library(library_server: Library) -> Library:
    library_server.handlers.calls.clear()
    return library_server


def test_path_parameter_reaches_the_handler_as_an_int(library: Library) -> None:
    response = library.client.get("/books/7")
    assert response.status_code == 200, response.text
    assert response.json() == BOOK
    operation, params = library.handlers.last
    assert operation == "get_book"
    assert params["book_id"] == 7 and type(params["book_id"]) is int
    assert params["x_request_id"] is None


@pytest.mark.parametrize("book_id", ["abc", "1.5", "0", "-3"])
def test_invalid_path_parameter_is_a_400_error(library: Library, book_id: str) -> None:
    error = library.assert_error(library.client.get(f"/books/{book_id}"), 400)
    assert "book_id" in error.message
    assert library.handlers.calls == []


def test_query_parameters_take_their_defaults(library: Library) -> None:
    response = library.client.get("/books")
    assert response.status_code == 200, response.text
    assert response.json() == {"items": [BOOK], "next_cursor": None}
    operation, params = library.handlers.last
    assert operation == "list_books"
    assert {k: v for k, v in params.items() if k != "context"} == {
        "limit": 20,
        "cursor": None,
        "tags": None,
        "kind": None,
        "sort": "title",
        "x_request_id": None,
    }


def test_query_parameters_reach_the_handler_typed(library: Library) -> None:
    response = library.client.get(
        "/books",
        params=[
            ("limit", "5"),
            ("cursor", "c-1"),
            ("tags", "a"),
            ("tags", "b"),
            ("kind", "ebook"),
            ("sort", "-title"),
        ],
    )
    assert response.status_code == 200, response.text
    _, params = library.handlers.last
    assert params["limit"] == 5 and type(params["limit"]) is int
    assert params["cursor"] == "c-1"
    assert params["tags"] == ["a", "b"]
    assert params["kind"] == "ebook"
    assert params["sort"] == "-title"


INVALID_QUERIES = {
    "limit above maximum": ("limit=500", "limit"),
    "limit below minimum": ("limit=0", "limit"),
    "limit not an int": ("limit=many", "limit"),
    "unknown kind": ("kind=vinyl", "kind"),
    "unknown sort": ("sort=author", "sort"),
}


@pytest.mark.parametrize(
    ("query", "mentions"), list(INVALID_QUERIES.values()), ids=list(INVALID_QUERIES)
)
def test_invalid_query_parameter_is_a_400_error(
    library: Library, query: str, mentions: str
) -> None:
    error = library.assert_error(library.client.get(f"/books?{query}"), 400)
    assert mentions in error.message
    assert library.handlers.calls == []


@pytest.mark.parametrize(
    ("path", "operation"), [("/books", "list_books"), ("/books/3", "get_book")]
)
def test_header_parameter_reaches_the_handler(
    library: Library, path: str, operation: str
) -> None:
    response = library.client.get(path, headers={"X-Request-Id": "req-42"})
    assert response.status_code == 200, response.text
    assert library.handlers.last[0] == operation
    assert library.handlers.last[1]["x_request_id"] == "req-42"


def test_delete_is_a_204_with_an_empty_body(library: Library) -> None:
    response = library.client.delete("/books/9")
    assert response.status_code == 204
    assert response.content == b""
    assert library.handlers.last[0] == "delete_book"
    assert library.handlers.last[1]["book_id"] == 9


def test_post_json_body_is_a_201_with_the_model(library: Library) -> None:
    new = {
        "title": "Dune",
        "authors": ["Frank Herbert"],
        "media": {"kind": "ebook", "file_format": "epub"},
        "class": "813.54",
    }
    response = library.client.post(
        "/books", json=new, headers={"X-Request-Id": "req-7"}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"] == 42 and created["title"] == "Dune"
    assert created["class"] == "813.54" and created["global"] is True
    assert created["media"]["kind"] == "ebook"
    operation, params = library.handlers.last
    assert operation == "create_book"
    body = params["body"]
    assert isinstance(body, library.package.module("models").BookCreate)
    assert body.class_ == "813.54" and body.global_ is True
    assert type(body.media.root).__name__ == "EBook"
    assert params["x_request_id"] == "req-7"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{oops",
        json.dumps({"title": "", "authors": ["a"], "media": PRINTED, "class": "1"}),
        json.dumps({"title": "t", "authors": ["a"], "media": {"kind": "vinyl"}}),
    ],
    ids=["empty", "invalid JSON", "empty title", "unknown media kind"],
)
def test_invalid_post_body_is_a_400_error(
    library: Library, content: bytes | str
) -> None:
    response = library.client.post(
        "/books", content=content, headers={"Content-Type": "application/json"}
    )
    library.assert_error(response, 400)
    assert library.handlers.calls == []


def test_public_operation_needs_no_credentials(library: Library) -> None:
    with httpx.Client(base_url=library.client.base_url, timeout=TIMEOUT) as anonymous:
        response = anonymous.get("/shelves")
    assert response.status_code == 200, response.text
    assert response.json() == [SHELF]
    operation, params = library.handlers.last
    assert operation == "list_shelves"
    assert params["limit"] == 10 and params["context"].credentials is None


def test_protected_operation_without_credentials_is_a_401_error(
    library: Library,
) -> None:
    with httpx.Client(base_url=library.client.base_url, timeout=TIMEOUT) as anonymous:
        response = anonymous.get("/books/7")
    error = library.assert_error(response, 401)
    assert error.code == "unauthorized"
    assert library.handlers.calls == []


def test_credentials_are_checked_before_parameters(library: Library) -> None:
    """An anonymous caller gets 401, not a description of its invalid parameters."""
    with httpx.Client(base_url=library.client.base_url, timeout=TIMEOUT) as anonymous:
        response = anonymous.get("/books/not-a-number")
    error = library.assert_error(response, 401)
    assert "book_id" not in error.message
    assert library.handlers.calls == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-Api-Key": "k-1"}, ("ApiKeyAuth", "api_key", "k-1")),
        ({"Authorization": "Bearer jwt-1"}, ("BearerAuth", "bearer", "jwt-1")),
    ],
    ids=["api key", "bearer"],
)
def test_library_schemes_reach_the_handler_context(
    library: Library, headers: dict[str, str], expected: tuple[str, str, str]
) -> None:
    with httpx.Client(base_url=library.client.base_url, timeout=TIMEOUT) as client:
        response = client.get("/books/7", headers=headers)
    assert response.status_code == 200, response.text
    credentials = library.handlers.last[1]["context"].credentials
    assert (credentials.scheme, credentials.kind, credentials.secret) == expected


def test_library_unknown_path_is_a_404_error(library: Library) -> None:
    library.assert_error(library.client.get("/authors"), 404)


def test_library_openapi_json_is_its_own_spec(library: Library) -> None:
    document = library.client.get("/openapi.json").json()
    assert document["info"]["title"] == "Library Catalog API"
    assert set(document["paths"]) == {
        "/books",
        "/books/{book_id}",
        "/shelves",
        "/shelves/{shelf_id}",
    }
