"""What the server template prints, worked out from the IR.

Signatures, FastAPI parameter annotations, the error-body expressions and the
imports are decided here, so that templates/package/server.py.j2 only lays
them out.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from .bodies import media_test
from .error_shape import MESSAGE, STATUS, ErrorShape, Kind
from .ir import Api, Body, Operation, Param
from .naming import snake_case
from .param_code import server_helpers, server_statement, server_type
from .server_answers import (
    answer_models,
    body_type_of,
    declared_answers,
    error_models,
    outcomes_source,
    reply_type,
)
from .server_auth import challenge
from .streams import GENERIC_EVENT, GENERIC_STREAM, RAW_EVENT, RAW_STREAM, StreamEvents
from .types import STR, model_type

_FASTAPI_PARAM = {
    "path": "Path",
    "query": "Query",
    "header": "Header",
    "cookie": "Cookie",
}
_PATH_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class ParamView:
    python_name: str
    annotation: str
    """The endpoint parameter's annotation and default: `Annotated[int, Path()]`."""


@dataclass(frozen=True)
class BodyChoice:
    """One media type (or range) of a request body the endpoint accepts."""

    test: str
    """The condition on `media`, the request's Content-Type essence."""
    read: str
    """The expression reading the body as the handler gets it."""


@dataclass(frozen=True)
class OperationView:
    name: str
    method: str
    path: str
    summary_doc: str
    handler_doc: str
    handler_signature: str
    stream_handler_signature: str | None
    signature_names: frozenset[str]
    """The names the handler signatures mention, for modules that repeat them."""
    stream_flag: str | None
    params: tuple[ParamView, ...]
    body: Any
    body_choices: tuple[BodyChoice, ...]
    body_type: str
    """The handler's `body` annotation: a model, bytes, str, or a union of them."""
    body_media: str
    """The declared media types, for a 415 answer's message."""
    body_dispatch: bool
    """The body declares several media types: the endpoint reads the one sent, 415 for others."""
    security: str
    answer: str
    """plain | stream | plain_or_stream: what the endpoint sends back."""
    respond: str
    """The statement answering the handler's plain (JSON or raw) result."""
    stream_test: str
    call_args: str
    error_event: str
    framing: str
    """The constant saying how the stream's events go on the wire."""
    parsed_params: tuple[str, ...] = ()
    """Statements parsing the parameters FastAPI does not (styled, JSON-encoded)."""
    challenge: str = ""
    """The 401's `WWW-Authenticate` as Python source, "" when no HTTP scheme is accepted."""


@dataclass(frozen=True)
class ErrorView:
    annotation: str
    expression: str


@dataclass(frozen=True)
class StreamErrorView:
    function: str
    model: str | None
    arguments: str | None
    """The keyword arguments building `model` from `status` and `message`."""
    generic: bool = False
    """The stream's events are generic (`UnknownEvent`): so is its error event."""
    raw: bool = False
    """The stream's events are `ServerSentEvent`s: so is its error event."""


@dataclass(frozen=True)
class FramingView:
    """One stream's wire format: a `_Framing(...)` constant of server.py."""

    constant: str
    arguments: str


def server_context(api: Api) -> dict[str, Any]:
    """The template context of server.py."""
    framings = _framings(api)
    operations = [
        _challenged(_operation(op, framings), challenge(api, op))
        for op in api.operations
    ]
    stream_errors = [_stream_error(api, s) for s in api.streams]
    if api.generic_streams:
        stream_errors.append(
            StreamErrorView(_stream_error_function(GENERIC_STREAM), None, None, True)
        )
    if api.raw_streams:
        stream_errors.append(
            StreamErrorView(_stream_error_function(RAW_STREAM), None, None, raw=True)
        )
    imports: set[str] = set()
    for op in api.operations:
        if op.body:
            imports.update(b.model for b in op.body.choices if b.model)
        if _plain_type(op):
            imports.update(answer_models(op))
            imports.update([op.headers_model] if op.headers_model else [])
        for param in op.params:
            imports.update(param.type.models)
    for shape in (api.client_error, api.server_error):
        if shape:
            imports.add(shape.model)
    imports.update(s.model for s in stream_errors if s.model)
    imports.update(error_models(api.operations))
    # The framings name each event model; a stream of one model is that model.
    imports.update(m for s in api.streams for m in s.models)
    server_error = api.server_error if api.server_error != api.client_error else None
    return {
        "operations": operations,
        "model_imports": sorted(imports),
        "param_kinds": sorted(
            {
                _FASTAPI_PARAM[p.location]
                for op in api.operations
                for p in op.params
                if p.native
            }
        ),
        "param_parsers": server_helpers(api.operations),
        "form_json": any(
            b.json_fields for op in api.operations if op.body for b in op.body.choices
        ),
        "form_objects": any(
            b.form_objects for op in api.operations if op.body for b in op.body.choices
        ),
        "client_error": _error_view(api.client_error),
        "server_error": _error_view(server_error) if server_error else None,
        "stream_errors": stream_errors,
        "framings": list(dict.fromkeys(framings.values())),
        "streaming_imports": sorted(
            {s.union for s in api.streams if s.events}
            | ({"DONE"} if any(s.ends_with_done for s in framings) else set())
        )
        + ([GENERIC_EVENT] if api.generic_streams else []),
        # What a handler's event stream yields: models, generic events, SSE events.
        # Without an error model, a stream's error event is a plain dict.
        "plain_error_events": api.client_error is None,
        "stream_event_type": " | ".join(
            ["BaseModel"]
            + (["dict[str, Any]"] if api.client_error is None else [])
            + ([GENERIC_EVENT] if api.generic_streams else [])
            + ([RAW_EVENT] if api.raw_streams else [])
        ),
        "scheme_kinds": sorted({s.kind for s in api.security_schemes}),
        "replies": any(o.answer != "stream" for o in operations),
        "error_kinds": api.client_error is None
        or any(
            _kind_source(kind).startswith("_error_kind")
            for shape in (api.client_error, api.server_error)
            if shape
            for kind in _kinds(shape.template)
        ),
        "enum_kinds": any(
            len(kind.values) > 1
            for shape in (api.client_error, api.server_error)
            if shape
            for kind in _kinds(shape.template)
        ),
        "binary_answers": any(_binary_answer(op) for op in api.operations),
        "text_bodies": any(
            b.kind == "text"
            for op in api.operations
            if op.body
            for b in op.body.choices
        ),
        "media_dispatch": any(o.body_dispatch for o in operations),
        "json_bodies": any(
            b.kind == "json"
            for op in api.operations
            if op.body
            for b in op.body.choices
        ),
        "form_bodies": any(
            b.kind not in ("json", "binary", "text")
            for op in api.operations
            if op.body
            for b in op.body.choices
        ),
        "secured": any(op.security for op in api.operations),
        # What `ApiError(body=...)` takes: the models of the declared error answers.
        "error_bodies": error_models(api.operations),
        **_readme_imports(api, operations),
    }


def _challenged(view: OperationView, text: str) -> OperationView:
    """`view` with the 401 challenge of its operation, if it has one."""
    return dataclasses.replace(view, challenge=repr(text)) if text else view


def _readme_imports(api: Api, operations: list[OperationView]) -> dict[str, list[str]]:
    """What the README's server example imports for the first operation's handler."""
    names = set(operations[0].signature_names) if operations else set()
    unions = {s.union for s in api.streams if s.events}
    server = {"create_app"} | (names & {"Reply", "RequestContext"})
    if any(op.security for op in api.operations):
        server.add("Credentials")
    return {
        "readme_abc": sorted(names & {"AsyncIterator"}),
        "readme_models": sorted((names & {m.name for m in api.models}) - unions),
        "readme_streaming": sorted(names & unions),
        "readme_server": sorted(server),
    }


def _framings(api: Api) -> dict[StreamEvents, FramingView]:
    """A `_Framing` constant per distinct stream format, named after its stream."""
    found: dict[StreamEvents, FramingView] = {}
    taken: set[str] = set()
    for op in api.operations:
        stream = op.stream
        if stream is None or stream in found:
            continue
        kind = "LINES" if stream.framing == "json_lines" else "EVENTS"
        constant = f"_{snake_case(stream.stem).upper()}_{kind}"
        if constant in taken:
            subtype = snake_case(stream.media_type.rsplit("/", 1)[-1]).upper()
            constant = f"{constant}_{subtype}"
        taken.add(constant)
        found[stream] = FramingView(constant, _framing_arguments(stream))
    return found


def _framing_arguments(stream: StreamEvents) -> str:
    arguments = []
    if stream.media_type != "text/event-stream":
        arguments.append(f"media_type={stream.media_type!r}")
    if stream.framing == "json_lines":
        arguments.append("lines=True")
    if stream.media_type == "application/json-seq":
        arguments.append('record_start=b"\\x1e"')
    if stream.discriminator:
        arguments.append(f"discriminator={stream.discriminator!r}")
    names: dict[str, str] = {}
    for event in stream.events:
        names.setdefault(event.model, event.type)
    if names:
        pairs = ", ".join(
            f"{model}: {json.dumps(name)}" for model, name in names.items()
        )
        arguments.append(f"names={{{pairs}}}")
    if stream.ends_with_done:
        arguments.append("done=True")
    return ", ".join(arguments)


def _operation(
    op: Operation, framings: dict[StreamEvents, FramingView]
) -> OperationView:
    stream = op.stream
    plain = _plain_type(op)
    if stream and plain:
        answer = "plain_or_stream"
    elif stream:
        answer = "stream"
    else:
        answer = "plain"
    head = ["self"]
    body_type = _body_type(op.body) if op.body else ""
    if op.body:
        head.append(f"body: {body_type}")
    head.append("context: RequestContext")
    keywords = [f"{p.python_name}: {_handler_type(p)}" for p in op.params]
    arguments = ", ".join(head + (["*", *keywords] if keywords else []))
    returns = plain or ""
    events = f"AsyncIterator[{stream.union}]" if stream else ""
    main_returns = events if answer == "stream" else returns
    signature = f"{'def' if answer == 'stream' else 'async def'} {op.name}({arguments}) -> {main_returns}:"
    stream_signature = (
        f"def {op.name}_stream({arguments}) -> {events}:"
        if answer == "plain_or_stream"
        else None
    )
    names = {"RequestContext"} | {a.model for a in op.answers if a.model}
    if plain:
        names |= answer_models(op) | {"Reply"}
        names |= {op.headers_model} if op.headers_model else set()
    names.update(b.model for b in (op.body.choices if op.body else ()) if b.model)
    names.update(name for p in op.params for _, name in p.type.imports)
    if stream or _binary_answer(op):
        names.add("AsyncIterator")
    if stream:
        names.add(stream.union)
    call = (
        (["body"] if op.body else [])
        + ["context"]
        + [f"{p.python_name}={p.python_name}" for p in op.params]
    )
    if op.stream_flag:
        stream_test = f"body.{op.stream_flag}"
    else:
        stream_test = '"text/event-stream" in request.headers.get("accept", "")'
    return OperationView(
        name=op.name,
        method=op.method,
        path=_route_path(op),
        summary_doc=op.summary or op.operation_id,
        handler_doc="\n\n".join(part for part in (op.summary, op.description) if part)
        or op.operation_id,
        handler_signature=signature,
        stream_handler_signature=stream_signature,
        signature_names=frozenset(names),
        stream_flag=op.stream_flag,
        params=tuple(
            ParamView(p.python_name, _fastapi_annotation(p))
            for p in op.params
            if p.native
        ),
        parsed_params=tuple(
            server_statement(p, op, _handler_type(p)) for p in op.params if not p.native
        ),
        body=op.body,
        body_choices=_body_choices(op.body) if op.body else (),
        body_type=body_type,
        body_media=(
            ", ".join(m for b in op.body.choices for m in b.accepts) if op.body else ""
        ),
        body_dispatch=op.body is not None
        and sum(len(b.accepts) for b in op.body.choices) > 1,
        security=repr(op.security) if op.security else "",
        answer=answer,
        respond=_respond(op, ", ".join(call)) if plain else "",
        stream_test=stream_test,
        call_args=", ".join(call),
        error_event=_stream_error_function(stream) if stream else "",
        framing=framings[stream].constant if stream else "",
    )


def _binary_answer(op: Operation) -> bool:
    """Whether the handler may give an answer's bytes as chunks (an `AsyncIterator`)."""
    return _plain_type(op) is not None and any(
        a.kind == "binary" for a in declared_answers(op)
    )


def _plain_type(op: Operation) -> str | None:
    """What the handler returns for its plain answers; None when it only streams.

    A bare body of a 2xx answer (None for an empty one), or a `Reply` of any
    declared answer.
    """
    if op.stream and not op.answers:
        return None
    union = " | ".join(dict.fromkeys(body_type_of(a) for a in op.answers)) or "None"
    return f"{union} | {reply_type(op)}"


def _respond(op: Operation, call: str) -> str:
    """`return ...` of the handler's plain answer as an HTTP response."""
    return f"return _answer(await handlers.{op.name}({call}), {outcomes_source(op)})"


def _body_type(body: Body) -> str:
    return " | ".join(dict.fromkeys(_body_python_type(b) for b in body.choices))


def _body_python_type(body: Body) -> str:
    if body.model:
        return body.model
    return "str" if body.kind == "text" else "bytes"


def _body_choices(body: Body) -> tuple[BodyChoice, ...]:
    """How to read each kind of body; the first also takes a request without Content-Type."""
    choices = []
    for index, choice in enumerate(body.choices):
        if choice.kind == "json":
            read = f"_validated({choice.model}, await _json_body(request))"
        elif choice.kind == "binary":
            read = "await request.body()"
        elif choice.kind == "text":
            read = "await _text_body(request)"
        else:
            fields = _frozenset(choice.array_fields)
            if choice.json_fields:
                fields += f", json_fields={_frozenset(choice.json_fields)}"
            if choice.form_objects:
                objects = ", ".join(
                    f"({o.name!r}, {o.style!r}, {_frozenset(o.fields)})"
                    for o in choice.form_objects
                )
                fields += f", objects=({objects},)"
            read = f"_validated({choice.model}, await _form_body(request, {fields}))"
        test = media_test(choice.accepts, "media")
        if index == 0 and test != "True":
            test = f"not media or {test}"
        choices.append(BodyChoice(test, read))
    return tuple(choices)


def _frozenset(names: tuple[str, ...]) -> str:
    """A frozenset of names as Python source, sorted: the output is the same run to run."""
    return (
        f"frozenset({{{', '.join(repr(n) for n in sorted(names))}}})"
        if names
        else "frozenset()"
    )


def _route_path(op: Operation) -> str:
    """The path with each parameter named as its Python argument, as FastAPI matches them."""
    names = {p.name: p.python_name for p in op.params if p.location == "path"}
    return _PATH_PLACEHOLDER.sub(
        lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", op.path
    )


def _handler_type(param: Param) -> str:
    if param.required or param.default is not None:
        return param.python_type
    return f"{param.python_type} | None"


def _fastapi_annotation(param: Param) -> str:
    arguments = []
    if param.location in ("header", "cookie") or (
        param.location != "path" and param.name != param.python_name
    ):
        arguments.append(f"alias={param.name!r}")
    arguments += [f"{keyword}={value!r}" for keyword, value in param.constraints]
    fastapi = f"{_FASTAPI_PARAM[param.location]}({', '.join(arguments)})"
    annotation = server_type(param, _handler_type(param))
    if annotation.startswith("Annotated["):
        annotation = f"{annotation[:-1]}, {fastapi}]"
    else:
        annotation = f"Annotated[{annotation}, {fastapi}]"
    if param.required:
        return annotation
    return f"{annotation} = {param.default if param.default is not None else 'None'}"


def _stream_error_function(stream: StreamEvents) -> str:
    return f"_{snake_case(stream.stem)}_error_event"


def _stream_error(api: Api, stream: StreamEvents) -> StreamErrorView:
    """The stream's `error` event built from a status and message, when it can be.

    Without one (or with required fields we cannot fill), the error body goes
    out as an event named `error`.
    """
    function = _stream_error_function(stream)
    event = stream.error_event
    if event is None:
        return StreamErrorView(function, None, None)
    model = next(m for m in api.models if m.name == event.model)
    fields = {f.wire: f for f in model.fields}
    filled = {stream.discriminator} if stream.discriminator else set()
    arguments = [f'{model.python_name(d)}="error"' for d in filled]
    error = fields.get("error")
    message = fields.get("message")
    if (
        error is not None
        and api.client_error is not None
        and error.type == model_type(api.client_error.model)
    ):
        filled.add("error")
        arguments.append(f"{model.python_name('error')}=_error_body(status, message)")
    elif message is not None and STR in (message.type, *message.type.args):
        filled.add("message")
        arguments.append(f"{model.python_name('message')}=message")
    required = [f.wire for f in model.fields if f.required]
    if set(required) - filled:
        return StreamErrorView(function, None, None)
    return StreamErrorView(function, event.model, ", ".join(arguments))


def _error_view(shape: ErrorShape | None) -> ErrorView:
    if shape is None:
        return ErrorView(
            "dict[str, Any]",
            '{"error": {"message": message, "type": _error_kind(status)}}',
        )
    return ErrorView(
        shape.model, f"{shape.model}.model_validate({_literal(shape.template)})"
    )


def _literal(template: Any) -> str:
    """The template dict as Python source, slots replaced by the variables that fill them."""
    if isinstance(template, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(k)}: {_literal(v)}" for k, v in template.items())
            + "}"
        )
    if isinstance(template, Kind):
        return _kind_source(template)
    return {MESSAGE: "message", STATUS: "status"}[template]


def _kind_source(kind: Kind) -> str:
    """The value of a kind slot: the spec's own when it has one, else chosen by status."""
    if len(kind.values) == 1:
        return json.dumps(kind.values[0])
    if kind.values:
        values = "(" + "".join(json.dumps(v) + ", " for v in kind.values).rstrip() + ")"
        default = f", {json.dumps(kind.default)}" if kind.default else ""
        return f"_error_kind(status, {values}{default})"
    if kind.default is not None:
        return json.dumps(kind.default)
    return "_error_kind(status)"


def _kinds(template: Any) -> list[Kind]:
    """The kind slots of an error template."""
    if isinstance(template, dict):
        return [k for value in template.values() for k in _kinds(value)]
    return [template] if isinstance(template, Kind) else []
