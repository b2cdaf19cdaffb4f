"""What the generated mock handlers answer, decided at generation time.

Per handler method: the JSON body of its answer (a spec example that validates
against the response's model, else one synthesised from it), the events of
its stream (one per event type but `error`, which would end the stream as a
failure), or the content of a raw answer. The generated package ships these
as `mock.json`, so the mock needs nothing of the toolkit at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .ir import Api, Operation, Response
from .media import media_kind
from .schema_clean import COMPONENT_REF
from .streams import StreamEvents
from .synth import Synthesiser

GENERIC_EVENTS = 2
"""How many events an untyped stream sends."""
BINARY_ANSWER = "mock binary content"
TEXT_ANSWER = "mock text"
_MAX_HOPS = 16


@dataclass(frozen=True)
class MockAnswers:
    answers: dict[str, Any]
    """By handler method name: a JSON value, a list of events, or the text of a raw answer."""
    from_examples: frozenset[str]
    """The methods whose answer is one of the spec's own examples."""


def synthesiser(api: Api) -> Synthesiser:
    """A synthesiser over the API's models, their cross-field rules included."""
    return Synthesiser(
        {m.name: m.schema for m in api.models},
        {m.name: m.rules for m in api.models if m.rules},
    )


def mock_answers(api: Api, synth: Synthesiser | None = None) -> MockAnswers:
    synth = synth or synthesiser(api)
    answers: dict[str, Any] = {}
    from_examples: set[str] = set()
    for op in api.operations:
        success = op.success
        if success is None:
            continue
        if success.json_model:
            schema = {"$ref": COMPONENT_REF + success.json_model}
            examples = _media_examples(api, op, success, "json") + synth.examples_of(
                schema
            )
            answers[op.name] = synth.choose(schema, examples)
            if any(answers[op.name] == e for e in examples):
                from_examples.add(op.name)
        elif success.raw is not None:
            texts = [
                e
                for e in _media_examples(
                    api, op, success, media_kind(success.raw.media_type)
                )
                if isinstance(e, str)
            ]
            if success.raw.text:
                answers[op.name] = texts[0] if texts else TEXT_ANSWER
                if texts:
                    from_examples.add(op.name)
            else:
                answers[op.name] = BINARY_ANSWER
        if success.stream is not None:
            stream_method = op.name if _always_streams(success) else f"{op.name}_stream"
            answers[stream_method] = _events(success.stream, synth)
    return MockAnswers(answers, frozenset(from_examples))


def _always_streams(success: Response) -> bool:
    return success.json_model is None and success.raw is None


def _events(stream: StreamEvents, synth: Synthesiser) -> list[Any]:
    if not stream.typed:
        return [
            {"type": "message", "data": {"index": i}} for i in range(GENERIC_EVENTS)
        ]
    return [
        synth.value({"$ref": COMPONENT_REF + event.model})
        for event in stream.events
        if event.type != "error"
    ]


def _media_examples(
    api: Api, op: Operation, response: Response, kind: str
) -> list[Any]:
    """The examples of the response's first media type of `kind`, as the spec gives them."""
    doc = api.spec
    operation = _follow(
        doc, ((doc.get("paths") or {}).get(op.path) or {}).get(op.method)
    )
    responses = _follow(doc, operation.get("responses"))
    content = _follow(doc, _follow(doc, responses.get(response.status)).get("content"))
    for media_type, media in content.items():
        if media_kind(str(media_type)) != kind:
            continue
        media = _follow(doc, media)
        found = [media["example"]] if "example" in media else []
        for example in _follow(doc, media.get("examples")).values():
            example = _follow(doc, example)
            if "value" in example:
                found.append(example["value"])
        return found
    return []


def _follow(doc: dict[str, Any], node: Any) -> dict[str, Any]:
    """`node` with its local `$ref`s followed; {} for anything that is not an object."""
    for _ in range(_MAX_HOPS):
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        node = target
    return {}
