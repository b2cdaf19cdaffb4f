"""What the generated mock handlers answer, decided at generation time.

Per handler method: its answer, the first 2xx answer the operation declares
(the JSON body of a model: a spec example valid against it, else one
synthesised from it; a text; a few bytes), with the values of the headers it
declares; or the events of its stream (one per event type but `error`, which
would end the stream as a failure; a few of a stream of one model or of
untyped events). The generated package ships these as `mock.json`, so the
mock needs nothing of the toolkit at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ir import Api, Operation, Response
from .responses import Answer
from .schema_clean import COMPONENT_REF
from .streams import StreamEvent, StreamEvents
from .synth import Synthesiser

REPEATED_EVENTS = 2
"""How many events a stream sends when nothing tells them apart (one model, untyped, raw)."""
BINARY_ANSWER = "mock binary content"
TEXT_ANSWER = "mock text"


@dataclass(frozen=True)
class MockAnswers:
    answers: dict[str, Any]
    """By handler method name: a JSON value, a list of events, or the text of a raw answer.

    The values of an answer's headers are under `<method>.headers`.
    """
    from_examples: frozenset[str]
    """The methods whose answer is one of the spec's own examples."""


def synthesiser(api: Api) -> Synthesiser:
    """A synthesiser over the API's models, their cross-field rules included."""
    return Synthesiser(
        {m.name: m.schema for m in api.models},
        {m.name: m.rules for m in api.models if m.rules},
    )


def mock_answer(op: Operation) -> Answer | None:
    """The answer the mock's plain handler gives (the first declared).

    None when the handler has no plain answer to give: it answers nothing, or
    only streams (as server_view decides the handler's return type).
    """
    if not op.reply and all(a.kind == "empty" for a in op.answers):
        return None
    return op.answers[0] if op.answers else None


def stream_method(op: Operation) -> str:
    """The handler method that streams: the operation's own, or `<name>_stream` beside a plain one."""
    return op.name if mock_answer(op) is None else f"{op.name}_stream"


def headers_key(method: str) -> str:
    """Where in `MockAnswers.answers` a method's header values are."""
    return f"{method}.headers"


def sent_events(stream: StreamEvents) -> tuple[StreamEvent, ...]:
    """The events of a union stream the mock sends, in order: each type but `error`."""
    return tuple(e for e in stream.events if e.type != "error")


def mock_answers(api: Api, synth: Synthesiser | None = None) -> MockAnswers:
    synth = synth or synthesiser(api)
    answers: dict[str, Any] = {}
    from_examples: set[str] = set()
    for op in api.operations:
        answer = mock_answer(op)
        if answer is not None:
            response = _response(op, answer)
            if answer.kind == "json" and answer.model:
                schema = {"$ref": COMPONENT_REF + answer.model}
                examples = [
                    *(response.examples if response else ()),
                    *synth.examples_of(schema),
                ]
                answers[op.name] = synth.choose(schema, examples)
                if any(answers[op.name] == e for e in examples):
                    from_examples.add(op.name)
            elif answer.kind == "text":
                texts = [
                    e
                    for e in (response.examples if response else ())
                    if isinstance(e, str)
                ]
                answers[op.name] = texts[0] if texts else TEXT_ANSWER
                if texts:
                    from_examples.add(op.name)
            elif answer.kind == "binary":
                answers[op.name] = BINARY_ANSWER
            if op.headers_model:
                answers[headers_key(op.name)] = synth.value(
                    {"$ref": COMPONENT_REF + op.headers_model}
                )
        if op.stream is not None:
            answers[stream_method(op)] = _events(op.stream, synth)
    return MockAnswers(answers, frozenset(from_examples))


def _response(op: Operation, answer: Answer) -> Response | None:
    return next((r for r in op.responses if r.status == answer.status), None)


def _events(stream: StreamEvents, synth: Synthesiser) -> list[Any]:
    if stream.raw:
        return [
            {"event": "message", "data": f"mock event {i}"}
            for i in range(REPEATED_EVENTS)
        ]
    if stream.item:
        return [synth.value({"$ref": COMPONENT_REF + stream.item})] * REPEATED_EVENTS
    if not stream.events:
        return [
            {"type": "message", "data": {"index": i}} for i in range(REPEATED_EVENTS)
        ]
    events = []
    for event in sent_events(stream):
        data = synth.value({"$ref": COMPONENT_REF + event.model})
        if stream.discriminator and isinstance(data, dict):
            # The tag may be a plain string in the schema, fixed only by the mapping.
            data = {**data, stream.discriminator: event.type}
        events.append(data)
    return events
