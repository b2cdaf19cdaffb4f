"""The generated server under hostile clients: abandoned streams, disconnects, bad bodies.

Each test drives the committed images package (or a fixture spec's) over real
HTTP on loopback, with raw sockets where a well-behaved client could not make
the fault: bounded sizes and waits, behaviour asserted, never memory or time.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import socket
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from images_api.models import BifrostError, ImageGenerationPartialImageEvent
from images_api.server import RequestContext, create_app, create_router

from .server_harness import generated_package, serve
from .test_security import SPEC as SECURITY_SPEC
from .test_security import Handlers as SecurityHandlers
from .test_server_http import (
    BEARER,
    EDITS,
    GENERATIONS,
    RecordingHandlers,
    assert_bifrost_error,
    generation,
)

SERVER_LOGGER = "images_api.server"
WAIT = 5.0  # the longest any bounded wait below lasts
TIMEOUT = httpx.Timeout(5.0)


def wait_for(condition: Any, what: str) -> None:
    """Poll `condition()` until it holds, for at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT} s: {what}")
        time.sleep(0.02)


class Authenticating:
    async def __call__(self, credentials: Any) -> object:
        return object()


@contextmanager
def running(handlers: Any, **options: Any) -> Iterator[str]:
    app = create_app(handlers, authenticate=Authenticating(), **options)
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def shared() -> Iterator[str]:
    """One server with fixed answers for the tests that only send requests to it."""
    with running(RecordingHandlers()) as url:
        yield url


def raw_request(url: str, head: bytes, body: bytes = b"") -> socket.socket:
    """A socket that sent `head` (the request line and headers) then `body`, left open."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=WAIT)
    sock.sendall(head + body)
    return sock


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes or WAIT passes."""
    chunks = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not chunk:
            break
        chunks.append(chunk)
        if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
            break
    return b"".join(chunks)


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value)
    return False


# --- abandoned streams --------------------------------------------------------------------


BIG_EVENT = ImageGenerationPartialImageEvent(
    type="image_generation.partial_image", partial_image_index=0, b64_json="A" * 65536
)


class Held:
    """What a handler holds while it streams (a rendered image, say): weakly referenced."""


class EndlessStream(RecordingHandlers):
    """The generation stream sends large events until the client goes away (or 2,000 are sent).

    `closed` is set by the generator's `finally`; `held` refers weakly to an
    object the generator holds, to see when its frame is freed.
    """

    def __init__(self) -> None:
        super().__init__()
        self.closed = threading.Event()
        self.held: weakref.ref[Held] | None = None
        self.sent = 0

    async def image_generation_stream(
        self, body: Any, context: RequestContext
    ) -> AsyncIterator[Any]:
        held = Held()
        self.held = weakref.ref(held)
        try:
            for _ in range(2000):
                self.sent += 1
                yield BIG_EVENT
                await asyncio.sleep(0.001)
        finally:
            self.closed.set()


@pytest.fixture
def no_gc() -> Iterator[None]:
    """No cyclic GC while the test runs: what is freed is freed by reference counting."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_an_abandoned_stream_closes_and_frees_the_handlers_generator(
    no_gc: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=SERVER_LOGGER)
    handlers = EndlessStream()
    body = json.dumps(generation(stream=True)).encode()
    head = (
        f"POST {GENERATIONS} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer t\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with running(handlers) as url:
        sock = raw_request(url, head, body)
        first = sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200"), first[:200]
        wait_for(lambda: handlers.sent > 5, "the stream is under way")
        sock.close()  # read one event, then gone
        wait_for(handlers.closed.is_set, "the handler's generator was closed")
        wait_for(
            lambda: handlers.held is not None and handlers.held() is None,
            "what the handler held was freed without a GC",
        )
        assert handlers.sent < 2000
    # Nothing worth more than a debug line: no traceback, no error.
    assert all(
        r.levelno <= logging.DEBUG and r.exc_info is None
        for r in caplog.records
        if r.name == SERVER_LOGGER
    ), [r.getMessage() for r in caplog.records]


def test_a_stream_that_ends_closes_the_handlers_generator() -> None:
    class Short(EndlessStream):
        async def image_generation_stream(
            self, body: Any, context: RequestContext
        ) -> AsyncIterator[Any]:
            try:
                yield BIG_EVENT
            finally:
                self.closed.set()

    handlers = Short()
    with (
        running(handlers) as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        answer = client.post(GENERATIONS, json=generation(stream=True), headers=BEARER)
        assert answer.status_code == 200
        assert handlers.closed.is_set()


# --- client disconnects -------------------------------------------------------------------


def test_a_client_gone_mid_body_is_one_debug_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger=SERVER_LOGGER)
    head = (
        f"POST {GENERATIONS} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer t\r\n"
        "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    ).encode()
    with running(RecordingHandlers()) as url:
        sock = raw_request(url, head, b'{"model": "openai/gpt-image-1", "prompt": "')
        time.sleep(0)  # the partial body is on its way; then the client goes away
        sock.close()
        wait_for(
            lambda: any(r.name == SERVER_LOGGER for r in caplog.records),
            "the server logged the disconnect",
        )
    records = [r for r in caplog.records if r.name == SERVER_LOGGER]
    assert [r.levelno for r in records] == [logging.DEBUG], [
        r.getMessage() for r in records
    ]
    assert records[0].exc_info is None
    assert "went away" in records[0].getMessage()


# --- content types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"Content-Type": "text/plain"}, {}, {"Content-Type": "application/xml"}],
    ids=["text-plain", "none", "xml"],
)
def test_a_json_route_answers_415_to_a_body_that_is_not_json(
    shared: str,
    headers: dict[str, str],
) -> None:
    body = json.dumps(generation()).encode()
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        answer = client.post(GENERATIONS, content=body, headers={**BEARER, **headers})
    assert_bifrost_error(answer, 415)


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "application/merge-patch+json",
    ],
)
def test_a_json_route_takes_json_types_with_parameters(content_type: str) -> None:
    handlers = RecordingHandlers()
    body = json.dumps(generation()).encode()
    with (
        running(handlers) as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        answer = client.post(
            GENERATIONS, content=body, headers={**BEARER, "Content-Type": content_type}
        )
    assert answer.status_code == 200, answer.text
    assert handlers.last.operation == "image_generation"


@pytest.mark.parametrize(
    "headers", [{"Content-Type": "application/json"}, {}], ids=["json", "none"]
)
def test_a_form_route_answers_415_to_a_body_that_is_not_a_form(
    shared: str,
    headers: dict[str, str],
) -> None:
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        answer = client.post(
            EDITS, content=b'{"prompt": "x"}', headers={**BEARER, **headers}
        )
    assert_bifrost_error(answer, 415)


# --- trailing slashes -----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE", "OPTIONS"])
def test_a_trailing_slash_is_404_never_a_redirect(shared: str, method: str) -> None:
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        answer = client.request(
            method,
            f"{GENERATIONS}/",
            headers={"Host": "evil.example"},
            json=generation(),
        )
    assert "location" not in answer.headers
    assert_bifrost_error(answer, 404)


def test_routers_in_an_app_of_ones_own_make_no_slash_redirect() -> None:
    from fastapi import FastAPI

    app = FastAPI()  # redirect_slashes on, as FastAPI has it by default
    app.include_router(
        create_router(RecordingHandlers(), authenticate=Authenticating())
    )

    @app.get("/own")
    async def own() -> dict[str, str]:
        return {}

    with serve(app) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        ours = client.post(
            f"{GENERATIONS}/", headers={"Host": "evil.example", **BEARER}
        )
        theirs = client.get("/own/")
        still = client.post(GENERATIONS, headers=BEARER, json=generation())
    assert ours.status_code == 404 and "location" not in ours.headers
    assert theirs.status_code == 307  # the app's own routes keep FastAPI's behaviour
    assert still.status_code == 200, still.text


# --- authentication challenges --------------------------------------------------------------


def test_401_carries_a_challenge_for_each_http_scheme() -> None:
    app = create_app(RecordingHandlers())  # no authenticate: every request is refused
    with serve(app) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        refused = client.post(GENERATIONS, json=generation())
    assert_bifrost_error(refused, 401)
    challenges = refused.headers.get_list("www-authenticate", split_commas=False)
    assert challenges == [
        'Bearer realm="Bifrost Images API", Basic realm="Bifrost Images API", charset="UTF-8"'
    ]


def test_401_for_refused_credentials_carries_the_challenge_too() -> None:
    class Refusing:
        async def __call__(self, credentials: Any) -> None:
            return None

    app = create_app(RecordingHandlers(), authenticate=Refusing())
    with serve(app) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        refused = client.post(GENERATIONS, json=generation(), headers=BEARER)
    assert_bifrost_error(refused, 401)
    assert refused.headers["www-authenticate"].startswith('Bearer realm="')


# --- probes that already held: kept as regression tests -------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"model": "openai/gpt-image-1", "prompt": ',
        b'{"model": "openai/gpt-image-1", "prompt": "\xff\xfe"}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"model": "openai/gpt-image-1", "prompt": "x", "n": 1'
        + b"0" * 100_000
        + b"}",
        b'{"model": "openai/gpt-image-1", "prompt": "x", "n": 1e400}',
    ],
    ids=["invalid-json", "invalid-utf8", "deep-nesting", "huge-integer", "huge-float"],
)
def test_a_malformed_json_body_is_400_in_the_specs_shape(
    shared: str, body: bytes
) -> None:
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        answer = client.post(
            GENERATIONS,
            content=body,
            headers={**BEARER, "Content-Type": "application/json"},
        )
    assert_bifrost_error(answer, 400)


def test_a_megabyte_of_headers_is_refused_and_the_server_goes_on(shared: str) -> None:
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        try:
            refused = client.post(
                GENERATIONS,
                json=generation(),
                headers={**BEARER, "X-Big": "a" * 1_000_000},
            )
            assert 400 <= refused.status_code < 500
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
            pass  # the server dropped the connection without an answer: refused too
        answer = client.post(GENERATIONS, json=generation(), headers=BEARER)
    assert answer.status_code == 200, answer.text


def test_a_body_over_max_body_size_is_413_before_it_is_sent() -> None:
    head = (
        f"POST {GENERATIONS} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer t\r\n"
        f"Content-Type: application/json\r\nContent-Length: {300 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with running(RecordingHandlers(), max_body_size=1024 * 1024) as url:
        sock = raw_request(
            url, head
        )  # the headers only: the server must not wait for the body
        answer = read_answer(sock)
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    error = BifrostError.model_validate_json(answer.partition(b"\r\n\r\n")[2])
    assert error.status_code == 413


def test_a_slowloris_client_does_not_hold_up_others(shared: str) -> None:
    with httpx.Client(base_url=shared, timeout=TIMEOUT) as client:
        # Half a request line, never finished, on a few connections.
        slow = [raw_request(shared, b"POST /v1/images/gen") for _ in range(5)]
        try:
            answer = client.post(GENERATIONS, json=generation(), headers=BEARER)
        finally:
            for sock in slow:
                sock.close()
    assert answer.status_code == 200, answer.text


def test_fifty_concurrent_streams_all_complete(shared: str) -> None:
    streams = 50

    async def one(client: httpx.AsyncClient) -> str:
        answer = await client.post(
            GENERATIONS, json=generation(stream=True), headers=BEARER
        )
        assert answer.status_code == 200, answer.text
        return answer.text

    async def all_of_them(url: str) -> list[str]:
        limits = httpx.Limits(max_connections=streams)
        async with httpx.AsyncClient(
            base_url=url, timeout=TIMEOUT, limits=limits
        ) as client:
            return await asyncio.gather(*(one(client) for _ in range(streams)))

    texts = asyncio.run(all_of_them(shared))
    assert len(texts) == streams
    assert all(t.count("event: image_generation.") == 2 for t in texts), texts[0]


def test_challenges_follow_each_operations_schemes(tmp_path: Path) -> None:
    """API-key schemes get no challenge; an HTTP scheme among them does."""

    async def refuse(credentials: Any) -> None:
        return None

    with generated_package(SECURITY_SPEC, tmp_path) as package:
        handlers = SecurityHandlers(package.module("models"))
        app = package.module("server").create_app(handlers, authenticate=refuse)
        with serve(app) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
            key_only = client.get("/header-key")
            with_bearer = client.get("/both")
    assert key_only.status_code == 401 and "www-authenticate" not in key_only.headers
    assert with_bearer.status_code == 401
    assert with_bearer.headers["www-authenticate"] == 'Bearer realm="Security fixture"'
