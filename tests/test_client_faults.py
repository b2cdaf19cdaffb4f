"""The generated client against hostile servers: bounded memory, one error family.

A raw HTTP/1.1 server on 127.0.0.1 misbehaves on purpose (the `x-mode` header
of each request says how); every write it makes is bounded, and it stops as
soon as the client goes away. Limits are set small through the client's
public options, so nothing here moves more than a few MiB.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from images_api.client import AsyncClient, Client
from images_api.errors import (
    ApiConnectionError,
    ApiError,
    ApiProtocolError,
    ApiTimeoutError,
    ContentDecodingError,
    EventTooLargeError,
    InternalServerError,
    RateLimitError,
    StreamIdleTimeoutError,
    StreamReadError,
    StreamTextError,
    TooManyRedirectsError,
)

HOST = "127.0.0.1"
EVENT_LIMIT = 64 * 1024
"""The client's `max_event_size` in these tests; hostile streams send up to 128 times that."""
HOSTILE_BYTES = 128 * EVENT_LIMIT
CHUNK = 16 * 1024

Conn = socket.socket


def _head(status: str, *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _send_until_gone(conn: Conn, chunks: Iterator[bytes]) -> None:
    """Write chunks until they run out or the client closes the connection."""
    try:
        for chunk in chunks:
            conn.sendall(chunk)
    except OSError:
        pass  # the client went away: what the test wants


def _wait_until_gone(conn: Conn) -> None:
    """Hold the connection open without a byte more, until the client closes it (10 s at most)."""
    conn.settimeout(10)
    try:
        while conn.recv(1024):
            pass
    except OSError:
        pass


def _endless(piece: bytes, total: int = HOSTILE_BYTES) -> Iterator[bytes]:
    chunk = piece * max(1, CHUNK // len(piece))
    for _ in range(total // len(chunk)):
        yield chunk


_SSE = "Content-Type: text/event-stream"
_PARTIAL = b'data: {"type": "image_generation.partial_image", "b64_json": "aGk="}\n\n'


def _endless_event(conn: Conn) -> None:
    conn.sendall(_head("200 OK", _SSE) + b"data: ")
    _send_until_gone(conn, _endless(b"x"))


def _endless_data_lines(conn: Conn) -> None:
    conn.sendall(_head("200 OK", _SSE) + _PARTIAL)
    _send_until_gone(conn, _endless(b"data: " + b"y" * 1000 + b"\n"))


def _comments_only(conn: Conn) -> None:
    conn.sendall(_head("200 OK", _SSE) + _PARTIAL)

    def pings() -> Iterator[bytes]:
        for _ in range(400):  # 20 s at most
            time.sleep(0.05)
            yield b": keep-alive\n"

    _send_until_gone(conn, pings())


def _invalid_utf8(conn: Conn) -> None:
    event = (
        b'data: {"type": "image_generation.partial_image", "b64_json": "aGk=\xff"}\n\n'
    )
    conn.sendall(_head("200 OK", _SSE) + event)


def _big_error(conn: Conn) -> None:
    size = 8 * 1024 * 1024
    conn.sendall(
        _head(
            "500 Internal Server Error",
            "Content-Type: application/json",
            f"Content-Length: {size}",
            "Retry-After: 0",
        )
        + b'{"error": {"message": "'
    )
    _send_until_gone(conn, _endless(b"z", size))


def _stalled_body(conn: Conn) -> None:
    conn.sendall(
        _head("200 OK", "Content-Type: application/json", "Content-Length: 100")
        + b'{"created"'
    )
    _wait_until_gone(conn)


def _short_body(conn: Conn) -> None:
    conn.sendall(
        _head("200 OK", "Content-Type: application/json", "Content-Length: 100")
        + b'{"created"'
    )


def _bad_gzip(conn: Conn) -> None:
    body = b"this is not gzip at all"
    conn.sendall(
        _head(
            "200 OK",
            "Content-Type: application/json",
            "Content-Encoding: gzip",
            f"Content-Length: {len(body)}",
        )
        + body
    )


def _redirect_loop(conn: Conn) -> None:
    conn.sendall(
        _head(
            "307 Temporary Redirect",
            "Location: /v1/images/generations",
            "Content-Length: 0",
        )
    )


def _long_retry_after(conn: Conn) -> None:
    body = b'{"error": {"message": "come back in an hour"}}'
    conn.sendall(
        _head(
            "429 Too Many Requests",
            "Content-Type: application/json",
            "Retry-After: 3600",
            f"Content-Length: {len(body)}",
        )
        + body
    )


def _hang_up(conn: Conn) -> None:
    """Close the connection without a byte of answer."""


MODES: dict[str, Callable[[Conn], None]] = {
    "endless-event": _endless_event,
    "endless-data-lines": _endless_data_lines,
    "comments-only": _comments_only,
    "invalid-utf8": _invalid_utf8,
    "big-error": _big_error,
    "stalled-body": _stalled_body,
    "short-body": _short_body,
    "bad-gzip": _bad_gzip,
    "redirect-loop": _redirect_loop,
    "long-retry-after": _long_retry_after,
    "hang-up": _hang_up,
}


class HostileServer:
    """Answers each request as its `x-mode` header says; counts requests per mode."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, 0))
        self.sock.listen(64)
        self.url = f"http://{HOST}:{self.sock.getsockname()[1]}"
        self.calls: dict[str, int] = {}
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: Conn) -> None:
        with conn:
            conn.settimeout(10)
            try:
                head = self._read_request(conn)
            except OSError:
                return
            mode = head.get("x-mode", "")
            with self._lock:
                self.calls[mode] = self.calls.get(mode, 0) + 1
            MODES[mode](conn)
            try:
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    @staticmethod
    def _read_request(conn: Conn) -> dict[str, str]:
        data = b""
        while b"\r\n\r\n" not in data:
            received = conn.recv(65536)
            if not received:
                raise ConnectionError("no request")
            data += received
        raw_head, body = data.split(b"\r\n\r\n", 1)
        headers = {}
        for line in raw_head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            received = conn.recv(65536)
            if not received:
                break
            body += received
        return headers

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    hostile = HostileServer()
    yield hostile
    hostile.close()


def _client(server: HostileServer, mode: str, **options: Any) -> Client:
    options.setdefault("max_retries", 0)
    options.setdefault("timeout", 10)
    return Client(
        server.url, bearer_auth="k", default_headers={"x-mode": mode}, **options
    )


def _async_client(server: HostileServer, mode: str, **options: Any) -> AsyncClient:
    options.setdefault("max_retries", 0)
    options.setdefault("timeout", 10)
    return AsyncClient(
        server.url, bearer_auth="k", default_headers={"x-mode": mode}, **options
    )


def _stream(client: Client) -> Any:
    return client.images.generation(model="m/x", prompt="p", stream=True)


# -- 1. bounded memory: events and error bodies ------------------------------------


@pytest.mark.parametrize("mode", ["endless-event", "endless-data-lines"])
def test_an_event_past_max_event_size_ends_the_stream(
    server: HostileServer, mode: str
) -> None:
    with _client(server, mode, max_event_size=EVENT_LIMIT) as client:
        stream = _stream(client)
        with pytest.raises(EventTooLargeError) as caught:
            list(stream)
    assert isinstance(caught.value, StreamReadError)
    assert isinstance(caught.value, ApiConnectionError)
    assert "max_event_size" in str(caught.value)
    assert caught.value.__cause__ is not None
    assert stream.response.is_closed


def test_max_event_size_is_kept_by_with_options(server: HostileServer) -> None:
    with _client(server, "endless-event") as client:
        stream = _stream(client.with_options(max_event_size=EVENT_LIMIT))
        with pytest.raises(EventTooLargeError):
            list(stream)


def test_the_async_client_ends_an_endless_event_too(server: HostileServer) -> None:
    async def read() -> Any:
        async with _async_client(
            server, "endless-event", max_event_size=EVENT_LIMIT
        ) as client:
            stream = await client.images.generation(
                model="m/x", prompt="p", stream=True
            )
            with pytest.raises(EventTooLargeError):
                async for _ in stream:
                    pass
            return stream

    stream = asyncio.run(read())
    assert stream.response.is_closed


def test_an_error_body_is_read_up_to_its_limit_and_the_connection_let_go(
    server: HostileServer,
) -> None:
    with _client(
        server, "big-error", max_error_body_size=1024, max_retries=2
    ) as client:
        with pytest.raises(InternalServerError) as caught:
            client.images.generation(model="m/x", prompt="p")
    error = caught.value
    assert (
        server.calls["big-error"] == 3
    )  # retried, each answer read only up to the limit
    assert len(error.raw_body) == 1024 and error.body_truncated
    assert error.body is None  # the cut-off JSON fits no model
    assert "only the first 1024 bytes" in str(error)
    assert error.response.is_closed
    with pytest.raises(httpx.ResponseNotRead):
        error.response.content  # noqa: B018  (the 8 MiB are not kept)


def test_an_error_body_is_cut_at_one_mib_by_default(server: HostileServer) -> None:
    with _client(server, "big-error") as client:
        with pytest.raises(InternalServerError) as caught:
            client.images.generation(model="m/x", prompt="p")
    assert len(caught.value.raw_body) == 1024 * 1024  # of the 8 MiB sent
    assert caught.value.body_truncated


# -- 2. one error family ----------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected", "cause"),
    [
        ("stalled-body", ApiTimeoutError, httpx.ReadTimeout),
        ("short-body", ApiProtocolError, httpx.RemoteProtocolError),
        ("bad-gzip", ContentDecodingError, httpx.DecodingError),
    ],
)
def test_a_failure_reading_the_answer_is_an_api_error_and_not_retried(
    server: HostileServer, mode: str, expected: type[ApiError], cause: type[Exception]
) -> None:
    before = server.calls.get(mode, 0)
    with _client(
        server, mode, timeout=httpx.Timeout(0.5, connect=5), max_retries=2
    ) as client:
        with pytest.raises(expected) as caught:
            client.images.generation(model="m/x", prompt="p")
    assert isinstance(caught.value.__cause__, cause)
    assert server.calls[mode] == before + 1  # the answer had begun: never sent again


def test_the_async_client_maps_failures_reading_the_answer(
    server: HostileServer,
) -> None:
    async def call(mode: str) -> None:
        async with _async_client(
            server, mode, timeout=httpx.Timeout(0.5, connect=5)
        ) as client:
            await client.images.generation(model="m/x", prompt="p")

    with pytest.raises(ApiTimeoutError) as timed_out:
        asyncio.run(call("stalled-body"))
    assert isinstance(timed_out.value.__cause__, httpx.ReadTimeout)
    with pytest.raises(ContentDecodingError):
        asyncio.run(call("bad-gzip"))


def test_a_redirect_loop_is_an_api_error(server: HostileServer) -> None:
    with (
        httpx.Client(follow_redirects=True, max_redirects=3) as http,
        _client(server, "redirect-loop", http_client=http) as client,
        pytest.raises(TooManyRedirectsError) as caught,
    ):
        client.images.generation(model="m/x", prompt="p")
    assert isinstance(caught.value.__cause__, httpx.TooManyRedirects)


def test_a_connection_dropped_before_the_answer_is_retried(
    server: HostileServer,
) -> None:
    with _client(server, "hang-up", max_retries=1) as client:
        with pytest.raises(ApiConnectionError) as caught:
            client.images.generation(model="m/x", prompt="p")
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert server.calls["hang-up"] == 2


def test_a_retry_after_beyond_the_cap_ends_retrying_at_once(
    server: HostileServer,
) -> None:
    with _client(server, "long-retry-after", max_retries=2) as client:
        with pytest.raises(RateLimitError) as caught:
            client.images.generation(model="m/x", prompt="p")
    assert server.calls["long-retry-after"] == 1
    assert caught.value.retry_after == 3600
    assert "3600" in str(caught.value)
    assert any("Not retried" in note for note in caught.value.__notes__)


def test_a_stream_of_comments_only_hits_the_idle_deadline(
    server: HostileServer,
) -> None:
    with _client(server, "comments-only", stream_idle_timeout=0.3) as client:
        stream = _stream(client)
        assert next(stream).type == "image_generation.partial_image"
        with pytest.raises(StreamIdleTimeoutError) as caught:
            next(stream)
    assert isinstance(caught.value, ApiTimeoutError)
    assert "stream_idle_timeout" in str(caught.value)
    assert stream.response.is_closed


def test_the_idle_deadline_is_the_read_timeout_by_default(
    server: HostileServer,
) -> None:
    with _client(
        server, "comments-only", timeout=httpx.Timeout(0.3, connect=5)
    ) as client:
        stream = _stream(client)
        with pytest.raises(StreamIdleTimeoutError):
            list(stream)


def test_invalid_utf8_in_a_stream_is_an_error(server: HostileServer) -> None:
    with _client(server, "invalid-utf8") as client:
        stream = _stream(client)
        with pytest.raises(StreamTextError) as caught:
            list(stream)
    assert isinstance(caught.value.__cause__, UnicodeDecodeError)
    assert stream.response.is_closed


def test_invalid_utf8_is_replaced_when_asked(server: HostileServer) -> None:
    with _client(server, "invalid-utf8", stream_text_errors="replace") as client:
        events = list(_stream(client))
    assert [event.b64_json for event in events] == ["aGk=\ufffd"]


# -- the decoder's limit, byte by byte ----------------------------------------------


def test_the_decoder_counts_an_event_across_chunks_without_rescanning() -> None:
    from images_api.sse import EventSizeError, SSEDecoder

    decoder = SSEDecoder(max_event_size=100)
    assert decoder.feed(b"data: " + b"a" * 50 + b"\n\n")[0].data == "a" * 50
    fed = 0
    with pytest.raises(EventSizeError):
        for byte in b"data: " + b"b" * 200:
            decoder.feed(bytes([byte]))
            fed += 1
    assert fed <= 101  # it stopped at the limit, not at the end of the line
    lines = SSEDecoder(max_event_size=100)
    with pytest.raises(EventSizeError):
        for _ in range(20):
            lines.feed(
                b"data: 0123456789\n"
            )  # short lines, one event growing past the limit


def test_the_decoder_still_replaces_invalid_utf8_unless_strict() -> None:
    from images_api.sse import SSEDecoder

    assert SSEDecoder().feed(b"data: \xff\n\n")[0].data == "\ufffd"
    with pytest.raises(UnicodeDecodeError):
        SSEDecoder(errors="strict").feed(b"data: \xff\n\n")
