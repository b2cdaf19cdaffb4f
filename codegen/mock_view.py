"""What the mock template prints, worked out from the IR and the server's view.

Each mock method keeps the `Handlers` method's signature as server_view wrote
it, so the mock follows whatever shape an operation's handler has; only the
statement that answers is decided here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .ir import Api, Operation
from .mock_answers import MockAnswers, headers_key, mock_answer, sent_events
from .server_view import OperationView
from .streams import GENERIC_EVENT, RAW_EVENT

_TYPING_NAMES = frozenset({"Any", "Literal"})


@dataclass(frozen=True)
class MockMethod:
    signature: str
    doc: str
    answer: str
    """The method's body: one `return` statement."""
    helper: str | None = None
    """The mock module's function the answer calls (`_answer`, `_events`...)."""
    names: tuple[str, ...] = ()
    """The models (and `Reply`) the answer names."""


def mock_context(
    api: Api, operations: list[OperationView], answers: MockAnswers
) -> dict[str, Any]:
    """The template context of mock.py, from the server's operation views."""
    methods: list[MockMethod] = []
    for op, view in zip(api.operations, operations, strict=True):
        if view.answer == "stream":
            methods.append(_stream_method(op, view.handler_signature, op.name))
            continue
        methods.append(_plain_method(op, view.handler_signature, answers))
        if view.stream_handler_signature:
            methods.append(
                _stream_method(op, view.stream_handler_signature, f"{op.name}_stream")
            )
    names = {n for view in operations for n in view.signature_names}
    names |= {n for m in methods for n in m.names}
    helpers = {m.helper for m in methods}
    unions = {s.union for s in api.streams if s.events}
    generic = "_unknown_events" in helpers
    models = "_events" in helpers or "_items" in helpers
    return {
        "mock_methods": methods,
        # A stream's union is the streaming module's, even where a model has its name.
        "mock_model_imports": sorted((names & {m.name for m in api.models}) - unions),
        "mock_streaming_imports": sorted(
            (names & unions) | ({GENERIC_EVENT} if generic else set())
        ),
        "mock_sse_imports": sorted(names & {RAW_EVENT}),
        "mock_server_imports": sorted(
            {"Credentials", "RequestContext"} | (names & {"Reply"})
        ),
        "mock_typing_imports": sorted(
            (names & _TYPING_NAMES) | {"Any"} | ({"TypeVar"} if models else set())
        ),
        "mock_has_streams": "AsyncIterator" in names,
        "mock_event_models": models,
        "mock_helpers": helpers,
    }


def _plain_method(op: Operation, signature: str, answers: MockAnswers) -> MockMethod:
    """The answer of the plain handler: the first declared, with its headers when it has any."""
    answer = mock_answer(op)
    if answer is None:
        return MockMethod(signature, "No content.", "return None")
    method = json.dumps(op.name)
    example = op.name in answers.from_examples
    names: list[str] = []
    helper: str | None = "_text"
    if answer.kind == "json" and answer.model:
        body = f"{answer.model}.model_validate_json(_answer({method}))"
        helper = "_answer"
        names.append(answer.model)
        doc = "The spec's example." if example else "A value built from the schema."
    elif answer.kind == "text":
        body = f"_text({method})"
        doc = "The spec's example." if example else "A short text."
    elif answer.kind == "binary":
        body = f"_text({method}).encode()"
        doc = "A few bytes."
    else:
        body, helper, doc = "None", None, "No content."
    if not op.headers_model:
        return MockMethod(signature, doc, f"return {body}", helper, tuple(names))
    key = json.dumps(headers_key(op.name))
    headers = f"{op.headers_model}.model_validate(_answers()[{key}])"
    return MockMethod(
        signature,
        f"{doc} A value for each header too.",
        f"return Reply({answer.code}, {body}, {headers})",
        helper,
        (*names, op.headers_model, "Reply"),
    )


def _stream_method(op: Operation, signature: str, method: str) -> MockMethod:
    stream = op.stream
    assert stream is not None
    quoted = json.dumps(method)
    if stream.raw:
        return MockMethod(
            signature,
            "A few events, then the end.",
            f"return _server_sent_events({quoted})",
            "_server_sent_events",
            (RAW_EVENT,),
        )
    if stream.item:
        return MockMethod(
            signature,
            f"A few `{stream.item}` events, then the end.",
            f"return _items({quoted}, {stream.item})",
            "_items",
            (stream.item,),
        )
    if not stream.events:
        return MockMethod(
            signature,
            "A few generic events, then the end.",
            f"return _unknown_events({quoted})",
            "_unknown_events",
        )
    models = tuple(e.model for e in sent_events(stream))
    doc = (
        "One event of each type, then the end."
        if stream.error_event is None
        else "One event of each type but `error`, then the end."
    )
    return MockMethod(
        signature,
        doc,
        f"return _events({quoted}, {', '.join(models)})",
        "_events",
        models,
    )
