"""Event streams of every shape, typed on both sides, over real HTTP.

tests/fixtures/streams is an OpenAPI 3.2 spec over three files with one
operation per shape: a discriminated union of component models (with a
mapping, one variant in another file), a union told apart by a shared `const`,
the images spec's `type` enum, one model per event ending with `[DONE]`, a
discriminator the data lacks (the SSE event name), a 3.2 `itemSchema` of SSE
fields, no schema at all, and JSON lines (ndjson of one model, jsonl of a
union). The generated server runs the handlers below under uvicorn; the
generated clients, sync and async, must get back the very events the handlers
yielded.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.errors import Diagnostics
from codegen.ir import Api, build_api
from codegen.media import media_kind
from codegen.spec import load_spec
from codegen.streams import GENERIC_STREAM, RAW_STREAM, StreamEvent

from .conftest import FIXTURES, mypy_strict_command
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "streams" / "openapi.yaml"
Document = dict[str, Any]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(
        SPEC, tmp_path_factory.mktemp("streams"), stem="streams"
    ) as p:
        yield p


class Handlers:
    """One handler per stream shape, yielding typed events (and one unknown type)."""

    def __init__(self, package: GeneratedPackage) -> None:
        self.models = package.module("models")
        self.server = package.module("server")
        self.sse = package.module("sse")

    async def transcribe(self, context: Any) -> AsyncIterator[Any]:
        m = self.models
        yield m.TextDelta(type="transcript.text.delta", delta="Hel")
        # A type this client does not know (as a newer server might send).
        yield m.TextDelta.model_construct(type="transcript.text.segment", delta="?")
        yield m.TextDelta(type="transcript.text.delta", delta="lo")
        yield m.TextDone(type="transcript.text.done", text="Hello")
        yield m.ErrorEvent(type="error", message="quota reached")

    async def moderate(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.Flagged(type="flagged", category="spam")
        yield self.models.Cleared(type="cleared")
        raise self.server.ApiError(503, "moderation went away")

    async def watch_progress(self, context: Any) -> AsyncIterator[Any]:
        m = self.models
        yield m.ProgressStepEvent(type="progress.step", step=1)
        yield m.ProgressDoneEvent(type="progress.done", step=2)
        raise RuntimeError("the job's log could not be written")

    async def chat(self, context: Any) -> AsyncIterator[Any]:
        for piece in ["Hi", " there"]:
            yield self.models.ChatChunk(id="c1", content=piece, finish_reason=None)
        yield self.models.ChatChunk(id="c1", content="", finish_reason="stop")

    async def alerts(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.Alert(level="warning", text="disk at 91%")
        yield self.models.Heartbeat(at=17)

    async def ticks(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.Tick(n=1)
        yield self.models.Tick(n=2)
        yield self.models.TicksSummaryEvent(count=2)

    async def tail_logs(self, context: Any) -> AsyncIterator[Any]:
        yield self.sse.ServerSentEvent(data="started")
        yield self.sse.ServerSentEvent(event="log", data="line one\nline two", id="7")

    async def pull(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.PullProgress(status="pulling manifest")
        yield self.models.PullProgress(status="downloading", completed=5, total=10)
        yield self.models.PullProgress(status="success")

    async def feed(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.Tick(n=1)
        yield self.models.Tick(n=2)

    async def jobs(self, context: Any) -> AsyncIterator[Any]:
        yield self.models.JobStarted(kind="started", id="j1")
        yield self.models.JobFinished(kind="finished", id="j1", ok=True)


@pytest.fixture(scope="module")
def base_url(package: GeneratedPackage) -> Iterator[str]:
    app = package.module("server").create_app(Handlers(package))
    with serve(app) as url:
        yield url


@pytest.fixture()
def client(package: GeneratedPackage, base_url: str) -> Iterator[Any]:
    with package.module("client").Client(base_url, max_retries=0) as client:
        yield client


def collect(stream: Any, limit: int = 50) -> list[Any]:
    """The events of a stream, and the error that ended it if any (bounded)."""
    events: list[Any] = []
    try:
        for event in stream:
            events.append(event)
            assert len(events) < limit
    except Exception as error:  # noqa: BLE001 - the error is what some tests expect
        events.append(error)
    return events


# --- over HTTP ------------------------------------------------------------------------------


def test_a_discriminated_union_keeps_its_component_models(
    package: GeneratedPackage, client: Any
) -> None:
    m, streaming = package.module("models"), package.module("streaming")
    errors = package.module("errors")
    events = collect(client.transcribe().with_unknown_events())
    assert events[:4] == [
        m.TextDelta(type="transcript.text.delta", delta="Hel"),
        streaming.UnlistedEvent(
            "transcript.text.segment", {"type": "transcript.text.segment", "delta": "?"}
        ),
        m.TextDelta(type="transcript.text.delta", delta="lo"),
        m.TextDone(type="transcript.text.done", text="Hello"),
    ]
    # The error variant comes from the other file; it ends the stream as StreamError.
    assert isinstance(events[4], errors.StreamError)
    assert events[4].event == m.ErrorEvent(type="error", message="quota reached")
    assert len(events) == 5
    # Iterated plainly, the stream skips the event of a type it does not list.
    assert collect(client.transcribe())[:3] == [events[0], events[2], events[3]]


def test_the_async_client_gets_the_same_events(
    package: GeneratedPackage, base_url: str
) -> None:
    client_module, m = package.module("client"), package.module("models")

    async def main() -> tuple[list[Any], list[Any]]:
        async with client_module.AsyncClient(base_url, max_retries=0) as client:
            chunks = [chunk async for chunk in await client.chat()]
            items = [item async for item in await client.pull()]
            return chunks, items

    chunks, items = asyncio.run(main())
    assert [c.content for c in chunks] == ["Hi", " there", ""]
    assert all(isinstance(c, m.ChatChunk) for c in chunks)
    assert items[1] == m.PullProgress(status="downloading", completed=5, total=10)


def test_a_shared_const_tells_variants_apart_and_a_failure_is_a_stream_error(
    package: GeneratedPackage, client: Any
) -> None:
    m, errors = package.module("models"), package.module("errors")
    events = collect(client.moderate())
    assert events[:2] == [
        m.Flagged(type="flagged", category="spam"),
        m.Cleared(type="cleared"),
    ]
    assert isinstance(events[2], errors.StreamError)
    assert events[2].event.type == "error"
    assert "moderation went away" in str(events[2])


def test_the_type_enum_shape_still_derives_one_model_per_type(
    package: GeneratedPackage, client: Any
) -> None:
    m, errors = package.module("models"), package.module("errors")
    events = collect(client.watch_progress())
    assert events[:2] == [
        m.ProgressStepEvent(type="progress.step", step=1),
        m.ProgressDoneEvent(type="progress.done", step=2),
    ]
    assert isinstance(events[2], errors.StreamError)
    assert isinstance(events[2].event, m.ProgressErrorEvent)


def test_one_model_per_event_ends_with_done(
    package: GeneratedPackage, client: Any, base_url: str
) -> None:
    wire = httpx.post(f"{base_url}/chat").text
    assert wire.rstrip("\n").endswith("data: [DONE]")
    assert "event:" not in wire  # nothing to name: every event is a chunk
    chunks = collect(client.chat())
    assert [c.content for c in chunks] == ["Hi", " there", ""]
    assert chunks[-1].finish_reason == "stop"


def test_a_discriminator_the_data_lacks_is_the_sse_event_name(
    package: GeneratedPackage, client: Any, base_url: str
) -> None:
    m = package.module("models")
    wire = httpx.get(f"{base_url}/alerts").text
    assert "event: alert\n" in wire and "event: ping\n" in wire
    assert '"event"' not in wire
    assert collect(client.alerts()) == [
        m.Alert(level="warning", text="disk at 91%"),
        m.Heartbeat(at=17),
    ]


def test_an_item_schema_of_sse_fields_types_each_event_by_its_name(
    package: GeneratedPackage, client: Any
) -> None:
    m = package.module("models")
    assert collect(client.ticks()) == [
        m.Tick(n=1),
        m.Tick(n=2),
        m.TicksSummaryEvent(count=2),
    ]


def test_a_stream_without_schema_gives_its_events_as_they_came(
    package: GeneratedPackage, client: Any
) -> None:
    sse = package.module("sse")
    assert collect(client.tail_logs()) == [
        sse.ServerSentEvent(data="started"),
        sse.ServerSentEvent(event="log", data="line one\nline two", id="7"),
    ]


def test_ndjson_round_trip(
    package: GeneratedPackage, client: Any, base_url: str
) -> None:
    m = package.module("models")
    answer = httpx.post(f"{base_url}/pull")
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    lines = answer.text.split("\n")
    assert lines[-1] == "" and [json.loads(line) for line in lines[:-1]] == [
        {"status": "pulling manifest"},
        {"status": "downloading", "completed": 5, "total": 10},
        {"status": "success"},
    ]
    assert collect(client.pull()) == [
        m.PullProgress(status="pulling manifest"),
        m.PullProgress(status="downloading", completed=5, total=10),
        m.PullProgress(status="success"),
    ]


def test_json_lines_of_a_union_are_told_apart_by_their_tag(
    package: GeneratedPackage, client: Any, base_url: str
) -> None:
    m = package.module("models")
    answer = httpx.get(f"{base_url}/jobs")
    assert answer.headers["content-type"].startswith("application/jsonl")
    assert collect(client.jobs()) == [
        m.JobStarted(kind="started", id="j1"),
        m.JobFinished(kind="finished", id="j1", ok=True),
    ]


def test_json_text_sequences_start_each_record_with_rs(
    package: GeneratedPackage, client: Any, base_url: str
) -> None:
    m = package.module("models")
    assert httpx.get(f"{base_url}/feed").content == b'\x1e{"n":1}\n\x1e{"n":2}\n'
    assert collect(client.feed()) == [m.Tick(n=1), m.Tick(n=2)]


def test_an_error_event_off_its_model_is_still_a_stream_error(
    package: GeneratedPackage,
) -> None:
    streaming, sse = package.module("streaming"), package.module("sse")
    errors = package.module("errors")
    body = '{"error": {"message": "overloaded"}}'
    with pytest.raises(errors.StreamError) as raised:
        streaming.parse_transcript_event(sse.ServerSentEvent(event="error", data=body))
    assert raised.value.event == streaming.UnknownEvent("error", json.loads(body))
    with pytest.raises(errors.StreamError):
        streaming.parse_chat_chunk_event(sse.ServerSentEvent(event="error", data=body))


def test_json_lines_decoder_takes_any_split_and_the_record_separator(
    package: GeneratedPackage,
) -> None:
    streaming = package.module("streaming")
    wire = b'\x1e{"a": 1}\n\n{"b":\r\n'
    decoder = streaming.JSONLinesDecoder()
    found = [e.data for i in range(len(wire)) for e in decoder.feed(wire[i : i + 1])]
    assert found == ['{"a": 1}', '{"b":'] and not decoder.incomplete
    assert decoder.feed(b'{"c": 3}') == [] and decoder.incomplete


def test_the_handler_and_client_types_are_the_precise_unions(
    package: GeneratedPackage,
) -> None:
    server = package.files["server.py"]
    client = package.files["client.py"]
    assert "-> AsyncIterator[TranscriptStreamEvent]:" in server
    assert "-> AsyncIterator[ChatChunk]:" in server
    assert "-> AsyncIterator[ServerSentEvent]:" in server
    # The client never yields the error event (it raises it): its union leaves it out.
    assert "-> Stream[TranscriptEvent]:" in client
    assert "TranscriptEvent = TextDelta | TextDone\n" in package.files["streaming.py"]
    assert "-> AsyncStream[PullProgress]:" in client


def test_the_generated_package_is_mypy_strict_clean_without_unused_names(
    package: GeneratedPackage,
) -> None:
    flakes = subprocess.run(
        [sys.executable, "-m", "pyflakes", str(package.folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert flakes.returncode == 0, flakes.stdout + flakes.stderr
    result = subprocess.run(
        mypy_strict_command(package.name),
        cwd=package.folder.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- the IR: which shape is which -----------------------------------------------------------


def built(folder: Path, paths: Document, schemas: Document) -> tuple[Api, Diagnostics]:
    document = {
        "openapi": "3.2.0",
        "info": {"title": "Shapes", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    path = folder / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    diagnostics = Diagnostics()
    return build_api(load_spec(path, diagnostics)), diagnostics


def streamed(media_type: str, schema: Any = None, key: str = "schema") -> Document:
    media = {} if schema is None else {key: schema}
    return {
        "get": {
            "operationId": "watch",
            "responses": {
                "200": {"description": "events", "content": {media_type: media}}
            },
        }
    }


def ref(name: str) -> Document:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(**properties: Any) -> Document:
    return {"type": "object", "properties": properties}


def test_the_fixture_streams_reuse_their_component_models() -> None:
    api = build_api(load_spec(SPEC, Diagnostics()))
    by_op = {op.name: op.stream for op in api.operations}
    transcribe = by_op["transcribe"]
    assert transcribe is not None and transcribe.union == "TranscriptStreamEvent"
    assert transcribe.events == (
        StreamEvent("transcript.text.delta", "TextDelta"),
        StreamEvent("transcript.text.done", "TextDone"),
        StreamEvent("error", "ErrorEvent"),
    )
    assert transcribe.discriminator == "type" and not transcribe.derived
    names = [m.name for m in api.models]
    assert len(names) == len(set(names))
    assert by_op["alerts"] is not None and by_op["alerts"].discriminator is None
    assert by_op["chat"] is not None and by_op["chat"].ends_with_done
    assert by_op["tail_logs"] == RAW_STREAM
    pull = by_op["pull"]
    assert (
        pull is not None
        and pull.framing == "json_lines"
        and pull.item == "PullProgress"
    )


def test_a_discriminator_without_mapping_takes_consts_else_schema_names(
    tmp_path: Path,
) -> None:
    schemas = {
        "Start": obj(kind={"const": "begin"}),
        "Stop": obj(kind={"type": "string"}),
        "Events": {
            "oneOf": [ref("Start"), ref("Stop")],
            "discriminator": {"propertyName": "kind"},
        },
    }
    api, diagnostics = built(
        tmp_path, {"/e": streamed("text/event-stream", ref("Events"))}, schemas
    )
    stream = api.operations[0].stream
    assert stream is not None and stream.discriminator == "kind"
    assert stream.events == (StreamEvent("begin", "Start"), StreamEvent("Stop", "Stop"))
    assert not diagnostics.warnings


def test_a_shared_single_value_enum_is_the_tag_of_an_inline_union(
    tmp_path: Path,
) -> None:
    schema = {
        "anyOf": [
            obj(event={"enum": ["a"]}, n={"type": "integer"}),
            obj(event={"enum": ["b"]}, s={"type": "string"}),
        ]
    }
    api, diagnostics = built(
        tmp_path, {"/e": streamed("text/event-stream", schema)}, {}
    )
    stream = api.operations[0].stream
    assert stream is not None and stream.union == "WatchStreamEvent"
    assert [e.type for e in stream.events] == ["a", "b"]
    assert stream.discriminator == "event"
    assert {e.model for e in stream.events} <= {m.name for m in api.models}
    assert not diagnostics.warnings


@pytest.mark.parametrize(
    "media",
    [
        {},
        {"schema": {}},
        {"schema": {"type": "string"}},
        {"itemSchema": {"type": "string"}},
    ],
)
def test_no_schema_is_the_raw_stream_without_a_warning(
    tmp_path: Path, media: Document
) -> None:
    paths = {"/e": streamed("text/event-stream")}
    paths["/e"]["get"]["responses"]["200"]["content"]["text/event-stream"] = media
    api, diagnostics = built(tmp_path, paths, {})
    assert api.operations[0].stream == RAW_STREAM
    assert api.raw_streams and not diagnostics.warnings


@pytest.mark.parametrize(
    ("media_type", "schema", "said"),
    [
        (
            "text/event-stream",
            {"oneOf": [obj(a={"type": "string"}), obj(b={"type": "string"})]},
            "tells its events apart by no property it fixes",
        ),
        ("application/x-ndjson", None, "JSON lines without a schema"),
        (
            "application/x-ndjson",
            {
                "oneOf": [ref("A"), ref("B")],
                "discriminator": {"propertyName": "event"},
            },
            "cannot carry an event name",
        ),
    ],
)
def test_what_stays_generic_is_a_warning(
    tmp_path: Path, media_type: str, schema: Any, said: str
) -> None:
    schemas = {"A": obj(a={"type": "string"}), "B": obj(b={"type": "string"})}
    api, diagnostics = built(tmp_path, {"/e": streamed(media_type, schema)}, schemas)
    stream = api.operations[0].stream
    assert stream is not None and stream.generic
    assert stream.events == GENERIC_STREAM.events
    messages = " ".join(w.message for w in diagnostics.warnings)
    assert said in messages and "UnknownEvent" in messages


@pytest.mark.parametrize(
    "media_type",
    [
        "application/x-ndjson",
        "application/jsonl",
        "application/json-seq",
        "Application/X-NDJSON; charset=utf-8",
    ],
)
def test_json_lines_media_types(media_type: str) -> None:
    assert media_kind(media_type) == "json_lines"


def test_item_schema_refs_are_bundled_and_3_2_is_not_off_the_meta_schema() -> None:
    diagnostics = Diagnostics()
    api = build_api(load_spec(SPEC, diagnostics))
    assert not diagnostics.warnings, diagnostics.warnings
    jobs = next(op.stream for op in api.operations if op.name == "jobs")
    assert jobs is not None and jobs.models == ("JobStarted", "JobFinished")


def test_a_nullable_boolean_stream_property_is_the_stream_flag(tmp_path: Path) -> None:
    nullable = {"anyOf": [{"type": "boolean"}, {"type": "null"}]}
    paths = {
        "/e": {
            "post": {
                "operationId": "complete",
                "requestBody": {
                    "content": {"application/json": {"schema": obj(stream=nullable)}}
                },
                "responses": {
                    "200": {
                        "description": "a completion, or its chunks",
                        "content": {
                            "application/json": {"schema": ref("Chunk")},
                            "text/event-stream": {"schema": ref("Chunk")},
                        },
                    }
                },
            }
        }
    }
    api, _ = built(tmp_path, paths, {"Chunk": obj(text={"type": "string"})})
    assert api.operations[0].stream_flag == "stream"
