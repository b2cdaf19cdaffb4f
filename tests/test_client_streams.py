"""The generated client's event streams over real HTTP, and their types.

The client of tests/fixtures/client_types (a stream of `tick` and `done`
events, with an `error` event) reads what a plain FastAPI app written here
sends: each test sets the events of the next answer, as they go on the wire.
A usage snippet, checked with mypy --strict (and pyright strict when it is
installed), shows the events narrow on `event.type` without casts.
"""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from .conftest import FIXTURES
from .server_harness import (
    GeneratedPackage,
    generated_package,
    mypy_strict,
    pyright_errors,
    pyright_strict,
    serve,
)

SPEC = FIXTURES / "client_types" / "openapi.yaml"
LONG = 10_000
"""Ticks in a stream the client leaves early: far more than it reads."""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(
        SPEC, tmp_path_factory.mktemp("client_streams"), stem="ctypes"
    ) as p:
        yield p


class Wire:
    """The events the next GET /events answers with, and how far it got."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any] | str] = []
        self.sent = 0

    def send(self, *events: dict[str, Any] | str) -> None:
        self.events, self.sent = list(events), 0

    async def stream(self) -> AsyncIterator[bytes]:
        for event in self.events:
            data = event if isinstance(event, str) else json.dumps(event)
            yield f"data: {data}\n\n".encode()
            self.sent += 1


def ticks(count: int) -> list[dict[str, Any] | str]:
    return [{"type": "tick", "n": n} for n in range(count)]


@pytest.fixture(scope="module")
def wire() -> Wire:
    return Wire()


@pytest.fixture(scope="module")
def base_url(wire: Wire) -> Iterator[str]:
    app = FastAPI()

    @app.get("/events")
    async def events() -> StreamingResponse:
        return StreamingResponse(wire.stream(), media_type="text/event-stream")

    with serve(app) as url:
        yield url


@pytest.fixture()
def client(package: GeneratedPackage, base_url: str) -> Iterator[Any]:
    with package.module("client").Client(base_url, max_retries=0) as client:
        yield client


def test_next_takes_events_one_by_one_then_iteration_the_rest(
    package: GeneratedPackage, client: Any, wire: Wire
) -> None:
    m = package.module("models")
    wire.send(*ticks(3), {"type": "done", "total": 3})
    stream = client.watch()
    assert next(stream) == m.Tick(type="tick", n=0)
    assert iter(stream) is stream
    assert list(stream) == [
        m.Tick(type="tick", n=1),
        m.Tick(type="tick", n=2),
        m.Done(type="done", total=3),
    ]
    assert stream.response.is_closed
    assert stream.response.status_code == 200
    with pytest.raises(StopIteration):
        next(stream)


def test_close_stops_early_and_releases_the_connection(client: Any, wire: Wire) -> None:
    wire.send(*ticks(LONG))
    stream = client.watch()
    assert [next(stream).n, next(stream).n] == [0, 1]
    stream.close()
    assert stream.response.is_closed
    assert list(stream) == []
    assert wire.sent < LONG


def test_a_with_block_closes_the_stream_it_leaves(client: Any, wire: Wire) -> None:
    wire.send(*ticks(LONG))
    with client.watch() as stream:
        assert next(stream).n == 0
    assert stream.response.is_closed
    assert wire.sent < LONG


def test_events_of_unlisted_types_are_skipped_unless_asked_for(
    package: GeneratedPackage, client: Any, wire: Wire
) -> None:
    m, streaming = package.module("models"), package.module("streaming")
    events = [{"type": "tick", "n": 1}, {"type": "spark", "n": 2}, "[DONE]"]
    wire.send(*events)
    assert list(client.watch()) == [m.Tick(type="tick", n=1)]
    wire.send(*events)
    every = list(client.watch().with_unknown_events())
    assert every == [
        m.Tick(type="tick", n=1),
        streaming.UnlistedEvent("spark", {"type": "spark", "n": 2}),
    ]
    assert isinstance(every[1], streaming.UnknownEvent)


def test_the_error_event_is_raised_with_its_typed_event(
    package: GeneratedPackage, client: Any, wire: Wire
) -> None:
    m, errors = package.module("models"), package.module("errors")
    wire.send({"type": "tick", "n": 0}, {"type": "error", "message": "overheated"})
    stream = client.watch()
    assert next(stream).n == 0
    with pytest.raises(errors.StreamError) as raised:
        next(stream)
    assert isinstance(raised.value, errors.ApiError)
    assert raised.value.event == m.WatchError(type="error", message="overheated")
    assert "overheated" in str(raised.value)
    assert stream.response.is_closed


def test_an_error_event_off_its_model_is_raised_as_it_came(
    package: GeneratedPackage, client: Any, wire: Wire
) -> None:
    errors, streaming = package.module("errors"), package.module("streaming")
    wire.send({"type": "error", "detail": {"why": "gone"}})
    with pytest.raises(errors.StreamError) as raised:
        list(client.watch())
    assert raised.value.event == streaming.UnknownEvent(
        "error", {"type": "error", "detail": {"why": "gone"}}
    )


def test_an_event_off_its_model_is_an_event_decode_error(
    package: GeneratedPackage, client: Any, wire: Wire
) -> None:
    errors = package.module("errors")
    wire.send({"type": "tick", "n": "many"})
    with pytest.raises(errors.EventDecodeError) as raised:
        list(client.watch())
    assert isinstance(raised.value, errors.ApiError)
    assert raised.value.sse.data == '{"type": "tick", "n": "many"}'


def test_events_are_read_leniently(client: Any, wire: Wire) -> None:
    wire.send({"type": "tick", "n": 1, "at": "noon"})
    (tick,) = list(client.watch())
    assert tick.n == 1
    # Needs the models branch: models keep unknown fields when read leniently.
    assert tick.model_extra == {"at": "noon"}


def test_the_async_stream_reads_closes_and_aliases_close(
    package: GeneratedPackage, base_url: str, wire: Wire
) -> None:
    client_module, m = package.module("client"), package.module("models")

    async def main() -> tuple[Any, Any, list[Any], Any]:
        async with client_module.AsyncClient(base_url, max_retries=0) as client:
            wire.send(*ticks(LONG))
            async with await client.watch() as left:
                first = await anext(left)
            wire.send(*ticks(2), {"type": "spark"}, {"type": "done", "total": 2})
            stream = await client.watch()
            events = [event async for event in stream]
            wire.send(*ticks(LONG))
            closed = await client.watch()
            await anext(closed)
            await closed.close()  # the same as aclose()
            assert [e async for e in closed] == []
            return first, left, events, closed

    first, left, events, closed = asyncio.run(main())
    assert first == m.Tick(type="tick", n=0) and left.response.is_closed
    assert [type(e).__name__ for e in events] == ["Tick", "Tick", "Done"]
    assert closed.response.is_closed


USAGE = '''
"""How a user reads the stream and catches its errors: no casts, no Any."""

from __future__ import annotations

from pathlib import Path

from {package}.client import Client
from {package}.errors import (
    ApiError,
    ApiStatusError,
    NotFoundError,
    ResponseValidationError,
    StreamError,
)
from {package}.models import Problem
from {package}.streaming import UnknownEvent, WatchEvent


def total(client: Client) -> int:
    """The total of the `done` event, adding up the ticks when there is none."""
    count = 0
    with client.watch() as stream:
        for event in stream:
            if event.type == "tick":
                count += event.n
            else:
                return event.total
    return count


def first(client: Client) -> WatchEvent:
    return next(client.watch())


def unknown_types(client: Client) -> list[str]:
    return [
        event.type
        for event in client.watch().with_unknown_events()
        if isinstance(event, UnknownEvent)
    ]


def upload(client: Client, paths: list[Path], covers: tuple[Path, ...]) -> int:
    sent = client.upload_files(attachments=paths, cover=covers[0])
    again = client.upload_files(attachments=covers)
    named = client.upload_files(attachments=[("a.txt", b"a"), ("b.bin", b"b", "x/y")])
    return len(sent.parts + again.parts + named.parts)


def problem(client: Client) -> str:
    try:
        client.get_thing(thing_id="x")
    except NotFoundError as error:
        body: Problem | None = error.body
        return body.message if body is not None else error.raw_body.decode()
    except ApiStatusError as error:
        return str(error.status_code)
    except ResponseValidationError as error:
        return error.model + str(len(error.errors))
    except StreamError as error:
        return repr(error.event)
    except ApiError as error:
        return str(error)
    return ""
'''


def _usage(package: GeneratedPackage) -> Path:
    """The usage snippet, written beside the package (imported as users import it)."""
    path = package.folder.parent / f"usage_{package.name}.py"
    path.write_text(textwrap.dedent(USAGE).format(package=package.name))
    return path


def test_a_typed_usage_narrows_on_the_event_type_under_mypy_strict(
    package: GeneratedPackage,
) -> None:
    result = mypy_strict(package.folder, _usage(package))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_and_the_usage_pass_pyright_strict(
    package: GeneratedPackage,
) -> None:
    result = pyright_strict(package.folder, _usage(package))
    if result is None:
        pytest.skip("pyright cannot run here (pip install 'pyright[nodejs]'); mypy ran")
    assert pyright_errors(result) == []
