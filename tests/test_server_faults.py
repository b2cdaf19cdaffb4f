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
from typing import Any

import httpx
import pytest

from images_api.models import BifrostError, ImageGenerationPartialImageEvent
from images_api.server import RequestContext, create_app, create_router

from .server_harness import serve
from .test_server_http import (
    BEARER,
    EDITS,
    GENERATIONS,
    RecordingHandlers,
    assert_bifrost_error,
    edit_form,
    generation,
    png,
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


def test_an_abandoned_stream_closes_and_frees_the_handlers_generator(no_gc: None) -> None:
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
    with running(handlers) as url, httpx.Client(base_url=url, timeout=TIMEOUT) as client:
        answer = client.post(GENERATIONS, json=generation(stream=True), headers=BEARER)
        assert answer.status_code == 200
        assert handlers.closed.is_set()


# --- client disconnects -------------------------------------------------------------------


def test_a_client_gone_mid_body_is_one_debug_line(caplog: pytest.LogCaptureFixture) -> None:
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
    assert [r.levelno for r in records] == [logging.DEBUG], [r.getMessage() for r in records]
    assert records[0].exc_info is None
    assert "went away" in records[0].getMessage()
