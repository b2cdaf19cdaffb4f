"""The 2xx answers of an operation, as the handler gives them and the client gets them.

Each plain (not event-stream) 2xx answer is JSON (a model), raw binary (bytes,
streamed), text (str) or empty (None). A handler returns one of their types
and the server picks the status from it; when that is ambiguous (two statuses
of the same type) or the answers declare headers, the handler may return a
`Reply(status, body, headers)` instead, and the client returns a `Reply` when
there are headers to read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .types import BYTES, NONE, STR, PyType, model_type

if TYPE_CHECKING:
    from .ir import Response

SchemaMap = dict[str, Any]

AnswerKind = Literal["json", "binary", "text", "empty"]


@dataclass(frozen=True)
class Answer:
    """One plain 2xx answer: its status and what its body is."""

    status: str
    """As the spec writes it: `200`, `2XX`."""
    code: int
    """The status code the server sends (`2XX` -> 200)."""
    kind: AnswerKind
    model: str | None
    """The model of a JSON answer."""
    media_type: str | None
    """The Content-Type of a binary or text answer."""

    @property
    def type(self) -> PyType:
        """What the handler returns and the client gets, before any `Reply`."""
        if self.kind == "json":
            return model_type(str(self.model))
        return {"binary": BYTES, "text": STR, "empty": NONE}[self.kind]

    @property
    def python_type(self) -> str:
        return self.type.annotation


@dataclass(frozen=True)
class Header:
    """A header an answer declares."""

    name: str
    """The wire name, lower case (header names are case-insensitive)."""
    schema: SchemaMap = dataclasses.field(compare=False)
    required: bool = False
    description: str = ""


def answers(responses: tuple[Response, ...]) -> tuple[Answer, ...]:
    """The plain 2xx answers; an answer that is only an event stream is not one."""
    found = []
    for response in responses:
        if not response.status.startswith("2"):
            continue
        if (
            response.stream is not None
            and response.json_model is None
            and not response.raw
        ):
            continue
        code = int(response.status) if response.status.isdigit() else 200
        if response.json_model:
            found.append(
                Answer(response.status, code, "json", response.json_model, None)
            )
        elif response.raw:
            kind: AnswerKind = "text" if response.raw.text else "binary"
            found.append(
                Answer(response.status, code, kind, None, response.raw.media_type)
            )
        else:
            code = code if response.status.isdigit() else 204
            found.append(Answer(response.status, code, "empty", None, None))
    return tuple(found)


def header_schema(
    answers_headers: list[tuple[Header, ...]],
) -> SchemaMap | None:
    """One object schema of the headers of every 2xx answer; None when none declares any.

    A header is required only when every answer declares it required.
    """
    properties: SchemaMap = {}
    required: dict[str, bool] = {}
    for headers in answers_headers:
        for header in headers:
            schema = dict(header.schema)
            if header.description and "description" not in schema:
                schema["description"] = header.description
            properties.setdefault(header.name, schema)
            required[header.name] = required.get(header.name, True) and header.required
    if not properties:
        return None
    for headers in answers_headers:
        for name in set(properties) - {h.name for h in headers}:
            required[name] = False
    return {
        "type": "object",
        "description": "The headers of the answer.",
        "properties": properties,
        "required": [name for name in properties if required[name]],
    }


def reply_needed(found: tuple[Answer, ...], headers_model: str | None) -> bool:
    """A `Reply` says what a bare value cannot: which of two same-typed statuses, or headers."""
    types = [a.python_type for a in found]
    return headers_model is not None or len(set(types)) < len(types)


def bare_string(schema: Any) -> bool:
    """A JSON schema of any string at all: beside raw content, the same content again."""
    return (
        isinstance(schema, dict)
        and schema.get("type") == "string"
        and not set(schema) & {"enum", "const", "pattern", "$ref", "format"}
        or schema == {"type": "string", "format": "binary"}
    )
