"""The generated client against generated servers, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import io
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from images_api import models
from images_api.client import AsyncClient, Client
from images_api.errors import (
    ApiConnectionError,
    ApiStatusError,
    ArgumentError,
    IncompleteStreamError,
    StreamError,
)
from images_api.mock import accept_any
from images_api.server import Credentials, RequestContext, create_app
from images_api.streaming import UnknownEvent, UnlistedEvent
from PIL import Image

from examples.images_demo.app import app as demo_app
from examples.images_demo.backend import DemoImages
from examples.images_demo.storage import ImageStore

from .conftest import FIXTURES
from .server_harness import generated_package, serve


def png(size: tuple[int, int] = (64, 64), alpha: int = 255) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 40, 40, alpha)).save(buffer, "PNG")
    return buffer.getvalue()


def decoded(b64: str | None) -> Image.Image:
    assert b64 is not None
    return Image.open(io.BytesIO(base64.b64decode(b64)))


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve(demo_app) as url:
        yield url


@pytest.fixture
def client(demo_url: str) -> Iterator[Client]:
    with Client(demo_url, bearer_auth="test-key", max_retries=0, timeout=30) as client:
        yield client


# -- every operation, JSON and streaming, one and many files --------------------


def test_generation_as_base64(client: Client) -> None:
    answer = client.images.generation(
        model="openai/gpt-image-1",
        prompt="a red fox",
        n=2,
        size="512x512",
        response_format="b64_json",
        output_format="webp",
    )
    assert isinstance(answer, models.ImageGenerationResponse)
    images = [decoded(item.b64_json) for item in answer.data or []]
    assert [(i.size, i.format) for i in images] == [((512, 512), "WEBP")] * 2


def test_generation_as_urls_the_server_then_serves(client: Client) -> None:
    answer = client.images.generation(model="m/x", prompt="a lighthouse")
    url = str((answer.data or [])[0].url)
    image = Image.open(
        io.BytesIO(httpx.get(url, timeout=10).raise_for_status().content)
    )
    assert image.size == (1024, 1024)


def test_generation_stream_yields_typed_events_and_closes(client: Client) -> None:
    stream = client.images.generation(
        model="m/x", prompt="waves", stream=True, partial_images=2
    )
    events = list(stream)
    assert [type(e).__name__ for e in events] == [
        "ImageGenerationPartialImageEvent",
        "ImageGenerationPartialImageEvent",
        "ImageGenerationCompletedEvent",
    ]
    for event in events:
        assert not isinstance(event, UnknownEvent)
        assert decoded(event.b64_json).size == (1024, 1024)
    assert stream.response.is_closed


def test_abandoned_stream_is_closed_by_its_context(client: Client) -> None:
    with client.images.generation(
        model="m/x", prompt="dunes", stream=True, partial_images=3
    ) as stream:
        first = next(iter(stream))
        assert first.type == "image_generation.partial_image"
    assert stream.response.is_closed


@pytest.mark.parametrize("streamed", [False, True])
def test_edit_with_several_images_and_a_mask(client: Client, streamed: bool) -> None:
    mask = png(alpha=0)
    if streamed:
        events = list(
            client.images.edit(
                model="m/x",
                prompt="add a moon",
                image=[png(), png()],
                mask=mask,
                stream=True,
            )
        )
        completed = [e for e in events if e.type == "image_edit.completed"]
        assert len(completed) == 1
        assert decoded(completed[0].b64_json).format == "PNG"
    else:
        answer = client.images.edit(
            model="m/x",
            prompt="add a moon",
            image=[png(), ("second.png", io.BytesIO(png()))],
            mask=mask,
            response_format="b64_json",
        )
        assert decoded((answer.data or [])[0].b64_json).format == "PNG"


def test_edit_with_one_image_from_a_path(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "input.png"
    path.write_bytes(png((32, 32)))
    answer = client.images.edit(
        model="m/x", type="background_removal", image=path, response_format="b64_json"
    )
    assert decoded((answer.data or [])[0].b64_json).mode == "RGBA"


def test_variation(client: Client) -> None:
    answer = client.images.variation(
        model="m/x", image=png(), n=2, size="256x256", response_format="b64_json"
    )
    assert [decoded(d.b64_json).size for d in answer.data or []] == [(256, 256)] * 2


def test_async_client_generation_and_stream(demo_url: str) -> None:
    async def run() -> list[str]:
        async with AsyncClient(
            demo_url, api_key_auth="k", max_retries=0, timeout=30
        ) as client:
            answer = await client.images.variation(
                model="m/x", image=[png(), png()], response_format="b64_json"
            )
            assert answer.data
            stream = await client.images.edit(
                model="m/x", prompt="p", image=png(), stream=True, partial_images=1
            )
            return [
                event.type
                async for event in stream
                if not isinstance(event, UnknownEvent)
            ]

    assert asyncio.run(run()) == ["image_edit.partial_image", "image_edit.completed"]


# -- auth -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def recording() -> Iterator[tuple[str, list[Credentials]]]:
    seen: list[Credentials] = []

    async def authenticate(credentials: Credentials) -> str:
        seen.append(credentials)
        return credentials.scheme

    with serve(create_app(DemoImages(ImageStore()), authenticate=authenticate)) as url:
        yield url, seen


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"bearer_auth": "tok"}, Credentials("BearerAuth", "bearer", "tok")),
        ({"basic_auth": ("ann", "pw")}, Credentials("BasicAuth", "basic", "pw", "ann")),
        (
            {"virtual_key_auth": "vk-1"},
            Credentials("VirtualKeyAuth", "api_key", "vk-1"),
        ),
        ({"api_key_auth": "ak-1"}, Credentials("ApiKeyAuth", "api_key", "ak-1")),
    ],
)
def test_each_security_scheme_reaches_the_server(
    recording: tuple[str, list[Credentials]],
    arguments: dict[str, Any],
    expected: Credentials,
) -> None:
    url, seen = recording
    seen.clear()
    with Client(url, max_retries=0, **arguments) as client:
        client.images.variation(model="m/x", image=png(), response_format="b64_json")
    assert seen == [expected]


def test_no_credentials_raise_a_typed_401(demo_url: str) -> None:
    with (
        Client(demo_url, max_retries=0) as client,
        pytest.raises(ApiStatusError) as caught,
    ):
        client.images.generation(model="m/x", prompt="p")
    assert caught.value.status_code == 401
    assert isinstance(caught.value.body, models.BifrostError)
    assert (
        caught.value.body.error is not None
        and caught.value.body.error.message == "The request needs credentials."
    )


# -- errors ---------------------------------------------------------------------


def test_invalid_arguments_fail_before_sending(client: Client) -> None:
    with pytest.raises(
        ArgumentError,
        match='`response_format` must be "b64_json" when `stream` is true',
    ):
        client.images.generation(
            model="m/x", prompt="p", stream=True, response_format="url"
        )
    with pytest.raises(ArgumentError, match="less than or equal to 10"):
        client.images.variation(model="m/x", image=png(), n=11)


def test_a_bad_request_raises_the_spec_error_model(client: Client) -> None:
    with pytest.raises(ApiStatusError) as caught:
        client.images.edit(model="m/x", prompt="p", image=b"not an image")
    assert caught.value.status_code == 400
    assert isinstance(caught.value.body, models.BifrostError)
    assert caught.value.body.status_code == 400


class _FailingStream(DemoImages):
    async def image_generation_stream(  # type: ignore[override]
        self, body: models.ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[models.ImageGenerationPartialImageEvent]:
        yield models.ImageGenerationPartialImageEvent(
            type="image_generation.partial_image", b64_json="AA=="
        )
        raise RuntimeError("provider went away")


def test_a_server_error_event_raises_stream_error() -> None:
    with (
        serve(create_app(_FailingStream(ImageStore()), authenticate=accept_any)) as url,
        Client(url, bearer_auth="k", max_retries=0) as client,
    ):
        stream = client.images.generation(model="m/x", prompt="p", stream=True)
        events = iter(stream)
        assert next(events).type == "image_generation.partial_image"
        with pytest.raises(StreamError) as caught:
            next(events)
    event = caught.value.event
    assert isinstance(event, models.ImageGenerationErrorEvent)
    assert event.error is not None and event.error.status_code == 500
    assert "provider went away" not in str(caught.value)
    assert stream.response.is_closed


# -- raw servers: cut-off streams, unknown events, retries ------------------------


def _raw_app() -> tuple[FastAPI, dict[str, int]]:
    """A server speaking the API's wire format badly on purpose."""
    calls: dict[str, int] = {}
    app = FastAPI()

    @app.post("/v1/images/generations")
    async def generations(request: Request) -> Response:
        mode = request.headers["x-mode"]
        calls[mode] = calls.get(mode, 0) + 1
        if mode == "cut":
            chunks = [
                b'event: image_generation.partial_image\ndata: {"type": "image_generation.partial_image"}\n\n',
                b'event: image_generation.completed\ndata: {"ty',
            ]
            return StreamingResponse(iter(chunks), media_type="text/event-stream")
        if mode == "unknown-then-done":
            body = b'event: keepalive\ndata: {"n": 1}\n\ndata: {"type": "image_generation.completed"}\n\ndata: [DONE]\n\ndata: {"type": "image_generation.completed"}\n\n'
            return Response(body, media_type="text/event-stream")
        if mode == "flaky" and calls[mode] < 3:
            return JSONResponse(
                {"error": {"message": "busy"}},
                status_code=503,
                headers={"Retry-After": "0"},
            )
        if mode == "rate-limited":
            return JSONResponse(
                {"error": {"message": "slow down"}},
                status_code=429,
                headers={"retry-after-ms": "10"},
            )
        if mode == "bad-request":
            return JSONResponse(
                {"status_code": 400, "error": {"message": "no"}}, status_code=400
            )
        return JSONResponse({"created": 7, "data": []})

    return app, calls


@pytest.fixture(scope="module")
def raw() -> Iterator[tuple[str, dict[str, int]]]:
    app, calls = _raw_app()
    with serve(app) as url:
        yield url, calls


def _client(url: str, mode: str, retries: int = 0) -> Client:
    return Client(
        url,
        bearer_auth="k",
        max_retries=retries,
        default_headers={"x-mode": mode},
        timeout=10,
    )


def test_a_stream_cut_off_mid_event_raises(raw: tuple[str, dict[str, int]]) -> None:
    url, calls = raw
    with _client(url, "cut", retries=2) as client:
        stream = client.images.generation(model="m", prompt="p", stream=True)
        events = iter(stream)
        assert next(events).type == "image_generation.partial_image"
        with pytest.raises(IncompleteStreamError):
            next(events)
    assert calls["cut"] == 1  # never retried once the streamed answer began


def test_unknown_events_are_skipped_unless_asked_for_and_done_ends_the_stream(
    raw: tuple[str, dict[str, int]],
) -> None:
    with _client(raw[0], "unknown-then-done") as client:
        events = list(client.images.generation(model="m", prompt="p", stream=True))
        stream = client.images.generation(model="m", prompt="p", stream=True)
        every = list(stream.with_unknown_events())
    assert [type(e).__name__ for e in events] == ["ImageGenerationCompletedEvent"]
    assert every[0] == UnlistedEvent("keepalive", {"n": 1})
    assert isinstance(every[0], UnknownEvent)
    assert [type(e).__name__ for e in every] == [
        "UnlistedEvent",
        "ImageGenerationCompletedEvent",
    ]


def test_5xx_is_retried_honouring_retry_after(raw: tuple[str, dict[str, int]]) -> None:
    url, calls = raw
    with _client(url, "flaky", retries=2) as client:
        assert client.images.generation(model="m", prompt="p").created == 7
    assert calls["flaky"] == 3


def test_retries_give_up_with_the_last_error(raw: tuple[str, dict[str, int]]) -> None:
    url, calls = raw
    with (
        _client(url, "rate-limited", retries=1) as client,
        pytest.raises(ApiStatusError) as caught,
    ):
        client.images.generation(model="m", prompt="p")
    assert caught.value.status_code == 429
    assert calls["rate-limited"] == 2


def test_4xx_is_not_retried(raw: tuple[str, dict[str, int]]) -> None:
    url, calls = raw
    with (
        _client(url, "bad-request", retries=2) as client,
        pytest.raises(ApiStatusError) as caught,
    ):
        client.images.generation(model="m", prompt="p")
    assert calls["bad-request"] == 1
    assert (
        isinstance(caught.value.body, models.BifrostError)
        and caught.value.body.status_code == 400
    )


def test_connection_errors_are_typed() -> None:
    with Client(
        "http://127.0.0.1:9", bearer_auth="k", max_retries=0, timeout=5
    ) as client:
        with pytest.raises(ApiConnectionError):
            client.images.generation(model="m", prompt="p")


# -- another spec: parameters, 204, typed errors ---------------------------------


class _Books:
    def __init__(self, shelf: Any, book: Any, models: Any, api_error: Any) -> None:
        self.models, self.api_error, self.calls = models, api_error, []

    async def get_book(
        self, context: RequestContext, *, book_id: int, x_request_id: str | None
    ) -> Any:
        self.calls.append(("get_book", book_id, x_request_id))
        if book_id == 404:
            raise self.api_error(404, "No such book.")
        return self.models.Book.model_validate(
            {
                "id": book_id,
                "title": "Dune",
                "authors": ["Frank Herbert"],
                "class": "813.54",
                "global": True,
                "media": {"kind": "ebook", "file_format": "epub"},
            }
        )

    async def delete_book(self, context: RequestContext, *, book_id: int) -> None:
        self.calls.append(("delete_book", book_id))

    async def list_shelves(
        self, context: RequestContext, *, limit: int, cursor: str | None
    ) -> Any:
        self.calls.append(("list_shelves", limit, cursor))
        return self.models.ListShelvesResponse.model_validate(
            [{"id": 1, "name": "Sci-fi", "children": []}]
        )


def test_library_client_sends_parameters_and_reads_answers(tmp_path: Path) -> None:
    with generated_package(
        FIXTURES / "library" / "openapi.yaml", tmp_path, stem="library"
    ) as package:
        server, client_module, library = (
            package.module("server"),
            package.module("client"),
            package.module("models"),
        )
        handlers = _Books(None, None, library, server.ApiError)
        app = server.create_app(
            handlers, authenticate=package.module("mock").accept_any
        )  # type: ignore[arg-type]  # partial handlers: only what the test calls
        with (
            serve(app) as url,
            client_module.Client(url, api_key_auth="k", max_retries=0) as client,
        ):
            book = client.books.get(book_id=7, x_request_id="req-1")
            assert isinstance(book, library.Book) and book.class_ == "813.54"
            assert client.books.delete(book_id=7) is None
            shelves = client.shelves.list(cursor="c2")
            assert shelves.root[0].name == "Sci-fi"
            with pytest.raises(client_module.ApiStatusError) as caught:
                client.books.get(book_id=404)
    assert caught.value.status_code == 404
    assert (
        isinstance(caught.value.body, library.Error)
        and caught.value.body.message == "No such book."
    )
    assert handlers.calls == [
        ("get_book", 7, "req-1"),
        ("delete_book", 7),
        ("list_shelves", 10, "c2"),
        ("get_book", 404, None),
    ]
