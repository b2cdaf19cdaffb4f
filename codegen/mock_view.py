"""What the mock template prints, worked out from the IR and the server's view.

Each mock method keeps the `Handlers` method's signature as server_view wrote
it, so the mock follows whatever shape an operation's handler has; only the
statement that answers is decided here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .ir import Api, Operation
from .mock_answers import MockAnswers
from .naming import snake_case
from .server_view import OperationView
from .streams import GENERIC_EVENT

_IDENTIFIER = re.compile(r"\b[A-Z]\w*")
_SERVER_NAMES = frozenset({"RequestContext"})
_TYPING_NAMES = frozenset({"Any", "Literal"})


@dataclass(frozen=True)
class MockMethod:
    signature: str
    doc: str
    answer: str
    """The method's body: one `return` statement."""


@dataclass(frozen=True)
class StreamAdapter:
    name: str
    union: str


def mock_context(
    api: Api, operations: list[OperationView], answers: MockAnswers
) -> dict[str, Any]:
    """The template context of mock.py, from the server's operation views."""
    methods: list[MockMethod] = []
    adapters: dict[str, StreamAdapter] = {}
    for op, view in zip(api.operations, operations, strict=True):
        plain = _plain_answer(op)
        if view.answer == "stream":
            methods.append(
                _stream_method(op, view.handler_signature, op.name, adapters)
            )
            continue
        methods.append(MockMethod(view.handler_signature, _doc(op, answers), plain))
        if view.stream_handler_signature:
            methods.append(
                _stream_method(
                    op, view.stream_handler_signature, f"{op.name}_stream", adapters
                )
            )
    names = set(_IDENTIFIER.findall(" ".join(m.signature for m in methods)))
    model_names = {m.name for m in api.models}
    stream_names = {s.union for s in api.streams} | {GENERIC_EVENT}
    generic = any(m.answer.startswith("return _unknown_events(") for m in methods)
    return {
        "mock_methods": methods,
        "mock_adapters": sorted(adapters.values(), key=lambda a: a.name),
        "mock_model_imports": sorted((names & model_names) | _answer_models(api)),
        "mock_streaming_imports": sorted(
            (names & stream_names) | ({GENERIC_EVENT} if generic else set())
        ),
        "mock_typing_imports": sorted(
            (names & _TYPING_NAMES) | {"Any"} | ({"TypeVar"} if adapters else set())
        ),
        "mock_has_streams": "AsyncIterator" in names,
        "mock_reads_json": any("_answer(" in m.answer for m in methods),
        "mock_reads_text": any("_text(" in m.answer for m in methods),
        "mock_generic_events": generic,
    }


def _answer_models(api: Api) -> set[str]:
    return {
        op.success.json_model
        for op in api.operations
        if op.success and op.success.json_model
    }


def _doc(op: Operation, answers: MockAnswers) -> str:
    """Where the answer comes from."""
    success = op.success
    if op.name in answers.from_examples:
        return "The spec's example."
    if success is not None and success.json_model:
        return "A value built from the schema."
    if success is not None and success.raw is not None:
        return "A short text." if success.raw.text else "A few bytes."
    return "No content."


def _plain_answer(op: Operation) -> str:
    success = op.success
    if success is None:
        return "return None"
    if success.json_model:
        return f"return {success.json_model}.model_validate_json(_answer({op.name!r}))"
    if success.raw is not None:
        text = f"_text({op.name!r})"
        return f"return {text}" if success.raw.text else f"return {text}.encode()"
    return "return None"


def _stream_method(
    op: Operation, signature: str, method: str, adapters: dict[str, StreamAdapter]
) -> MockMethod:
    stream = op.stream
    assert stream is not None
    if not stream.typed:
        return MockMethod(
            signature,
            "A few generic events, then the end.",
            f"return _unknown_events({method!r})",
        )
    adapter = adapters.setdefault(
        stream.union,
        StreamAdapter(f"_{snake_case(stream.union).upper()}", stream.union),
    )
    return MockMethod(
        signature,
        "One event of each type but `error`, then the end.",
        f"return _events({adapter.name}, {method!r})",
    )
