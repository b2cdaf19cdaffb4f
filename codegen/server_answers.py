"""Every answer an operation declares, as the generated server sends a handler's result.

A handler returns a bare body (sent with the first 2xx status of its type) or
a `Reply(status, body, headers)` for any declared answer: another 2xx status,
an error status with its body (`404` with `NotFound`), the operation's
headers. The server matches a `Reply` against the declared answers in order:
exact statuses first, then ranges (`4XX`), then `default`. Answers that only
stream events are not here: a stream handler yields its events instead.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .responses import Answer, AnswerKind

if TYPE_CHECKING:
    from .ir import Operation, Response

_EMPTY = Answer("204", 204, "empty", None, None)


def declared_answers(op: Operation) -> tuple[Answer, ...]:
    """The 2xx answers (a 204 when the operation declares none), then the others.

    A 2xx that only streams is left out; so is an operation that only streams:
    its handler has no plain answer to give.
    """
    others = [
        answer
        for response in op.responses
        if not response.status.startswith("2")
        and (answer := _answer(response)) is not None
    ]
    others.sort(
        key=lambda a: 0 if a.status.isdigit() else 2 if a.status == "default" else 1
    )
    return (*(op.answers or (_EMPTY,)), *others)


def reply_type(op: Operation) -> str:
    """`Reply[Image | NotFound, ImageHeaders]`: every declared answer's body, the headers model."""
    bodies = " | ".join(dict.fromkeys(body_type_of(a) for a in declared_answers(op)))
    return f"Reply[{bodies}, {op.headers_model or 'None'}]"


def body_type_of(answer: Answer) -> str:
    """What the handler gives for `answer`: a binary one may be streamed as chunks."""
    if answer.kind == "binary":
        return "bytes | AsyncIterator[bytes]"
    return answer.python_type


def outcomes_source(op: Operation) -> str:
    """`(_Outcome(200, "json", Thing), _Outcome(404, "json", NotFound),)`: for `_answer`."""
    return (
        "(" + "".join(_outcome(a) + ", " for a in declared_answers(op)).rstrip() + ")"
    )


def answer_models(op: Operation) -> set[str]:
    return {a.model for a in declared_answers(op) if a.model}


def error_models(operations: tuple[Operation, ...]) -> list[str]:
    """The models of the JSON answers with an error status (4xx, 5xx, `default`), sorted."""
    return sorted(
        {
            a.model
            for op in operations
            for a in declared_answers(op)
            if a.model and not a.status.startswith(("1", "2", "3"))
        }
    )


def _outcome(answer: Answer) -> str:
    arguments = [str(answer.code), json.dumps(answer.kind)]
    if answer.kind == "json":
        arguments.append(str(answer.model))
    elif answer.kind in ("binary", "text"):
        arguments.append(f"media_type={json.dumps(answer.media_type)}")
    if not answer.status.isdigit():
        arguments.append(f"covers={json.dumps(answer.status)}")
    return f"_Outcome({', '.join(arguments)})"


def _answer(response: Response) -> Answer | None:
    """A non-2xx response as an answer a handler can give; None when it only streams."""
    if response.stream is not None and response.json_model is None and not response.raw:
        return None
    status = response.status
    if status.isdigit():
        code = int(status)
    elif status[:1].isdigit():
        code = int(status[0]) * 100  # 4XX
    else:
        code = 500  # default
    kind: AnswerKind
    if response.json_model:
        return Answer(status, code, "json", response.json_model, None)
    if response.raw:
        kind = "text" if response.raw.text else "binary"
        return Answer(status, code, kind, None, response.raw.media_type)
    return Answer(status, code, "empty", None, None)
