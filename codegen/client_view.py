"""What the client template prints, worked out from the IR.

Each operation becomes keyword arguments (one per body property, one per
parameter), the code that turns them into a request, and the types of what
comes back. A body with both `X` (one file) and `X[]` (several) gets a single
argument `X` that takes one file or a list, sent under the matching wire name.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any

from .client_names import Resource, client_layout
from .client_options import ClientOptions
from .errors_view import error_models as spec_error_models
from .ir import (
    Api,
    Body,
    Model,
    Operation,
    distinct_name,
)
from .media import JSON
from .model_fields import Field
from .param_code import (
    client_helpers,
    client_path,
    client_spread,
    client_spread_expression,
    client_value,
)
from .responses import Answer
from .streams import RAW_EVENT
from .types import MODELS, Import, PyType, model_type

CALL_OPTIONS = ("timeout", "extra_headers", "extra_query", "extra_body")
"""The keyword arguments every client method takes after the operation's own."""
_PATH_PARAM = re.compile(r"\{([^{}]*)\}")
# Names a client method uses itself, beside its arguments: its locals and
# the per-call options every method takes.
_RESERVED_ARGUMENTS = frozenset(
    {
        "self",
        "stream",
        "body",
        "files",
        "request",
        "response",
        "upload",
        "read",
        "events",
    }
) | frozenset(CALL_OPTIONS)


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a client method."""

    python_name: str
    annotation: str
    """The type, with `| NotGiven = NOT_GIVEN` for an optional one."""
    doc: str
    imports: frozenset[Import] = frozenset()
    """What the annotation needs imported (models, `datetime`)."""


@dataclass(frozen=True)
class FilePart:
    """A file argument: one file goes out as `single`, a list as `many`."""

    python_name: str
    single: str | None
    many: str | None


@dataclass(frozen=True)
class ClientAnswer:
    """One 2xx answer the method reads: its test on the status code and how it is read."""

    test: str
    """The condition on `response`; empty for the answer taken when no other matches."""
    read: str
    async_read: str
    reads_first: bool
    """The answer came streamed (the operation may answer binary content): read it first."""


@dataclass(frozen=True)
class ClientOperation:
    name: str
    method: str
    doc: str
    doc_with_args: str
    arguments: tuple[Argument, ...]
    stream_argument: str | None
    """The annotation of `stream` in the implementation, when the answer can be JSON or events."""
    path_expression: str
    query: tuple[tuple[str, str], ...]
    """(wire name, expression) of each query entry."""
    headers: tuple[tuple[str, str], ...]
    body_kind: str | None
    """json | form | json_or_form | model (a whole non-object body) | raw (bytes or text) | None.

    `json_or_form` sends `upload_model` as multipart when file arguments are given, else JSON.
    """
    content_type: str | None
    """The Content-Type to send (Python source) when it is not what the body kind implies."""
    body_model: str | None
    body_fields: tuple[tuple[str, str], ...]
    """(wire name, python name) of the body's non-file properties."""
    files: tuple[FilePart, ...]
    security: str
    returns: str
    """What the method returns for a JSON, raw or empty answer."""
    async_returns: str
    """The same for the async client (binary answers differ)."""
    answers: tuple[ClientAnswer, ...]
    """How each 2xx answer is read, when `read_answer` (a single plain one) does not do."""
    streamed_answer: bool
    """An answer may be binary content, streamed: the response is not read whole up front."""
    upload_model: str | None
    upload_fields: tuple[tuple[str, str], ...]
    """(wire name, python name) of the multipart alternative's non-file properties."""
    stream_test: str
    read_answer: str | None
    """The expression that reads the answer from `response`; None for no content."""
    stream_union: str | None
    stream_parser: str | None
    stream_lines: bool
    """The stream is JSON lines, not Server-Sent Events."""
    always_streams: bool
    error_models: str
    """`{400: BifrostError, ...}` source: the error body per status code."""
    query_spread: tuple[str, ...] = ()
    """`**_object_pairs(...)` entries: exploded objects, several query keys each."""
    cookies: tuple[tuple[str, str], ...] = ()
    """(wire name, expression) of each cookie."""
    model_as_form: bool = False
    multipart: bool = False
    """The form goes as multipart/form-data, files or not."""
    """A `model` body that goes out as a form: a union (`oneOf`), sent as the option's fields."""
    model_files: str = ""
    """Source of the wire names of such a body's file fields (`frozenset({...})`), if any."""
    form_options: str = ""
    """`, json_fields=frozenset({...}), objects={...}`: how the form's structured fields go."""
    upload_form_options: str = ""
    """The same for the multipart alternative."""
    resource: str | None = None
    """The client attribute of the operation's resource (its first tag); None: a client method."""

    @property
    def required_arguments(self) -> list[str]:
        return [
            a.python_name for a in self.arguments if "NOT_GIVEN" not in a.annotation
        ]


def client_context(
    api: Api, package: str = "api", options: ClientOptions = ClientOptions()
) -> dict[str, Any]:
    models = {m.name: m for m in api.models}
    # An argument must not hide a name the method body uses: a model, a parser.
    reserved = _RESERVED_ARGUMENTS | set(models) | _stream_names(api)
    views = [_operation(op, models, reserved) for op in api.operations]
    layout = client_layout(
        api,
        frozenset(),
        set(models) | _stream_names(api),
        {op.name: _annotation_names(view) for op, view in zip(api.operations, views)},
    )
    operations = [
        dataclasses.replace(
            view,
            name=layout.method_names[op.name],
            resource=layout.resource_of.get(op.name),
        )
        for op, view in zip(api.operations, views)
    ]
    env_prefix = package.upper()
    argument_imports = {i for op in operations for a in op.arguments for i in a.imports}
    imports = {name for module, name in argument_imports if module == MODELS}
    for op in operations:
        if op.body_model:
            imports.add(op.body_model)
        if op.upload_model:
            imports.add(op.upload_model)
    for operation in api.operations:
        imports.update(a.model for a in operation.answers if a.model)
        if operation.headers_model:
            imports.add(operation.headers_model)
    imports.update(spec_error_models(api))
    # The streams the client reads (an answer that may be plain or a stream,
    # without a flag to ask for the stream, comes back plain).
    streams = [
        op.stream
        for op, view in zip(api.operations, operations)
        if op.stream and (view.stream_argument or view.always_streams)
    ]
    # Unions live in the streaming module; a stream of one model names it.
    imports.update(s.item for s in streams if s.item)
    return {
        "client_operations": operations,
        "client_methods": [op for op in operations if op.resource is None],
        "resources": [
            _resource_view(r, [op for op in operations if op.resource == r.attribute])
            for r in layout.resources
        ],
        "base_url_env": f"{env_prefix}_BASE_URL",
        "default_timeout": _number(options.timeout),
        "connect_timeout": _number(options.connect_timeout),
        "client_imports": sorted(imports),
        "streaming_imports": (
            ["AsyncStream as AsyncStream", "Stream as Stream", "StreamLimits"]
            + sorted({s.parser for s in streams})
            + sorted({s.client_type for s in streams if not s.item and not s.raw})
            if streams
            else []
        ),
        "sse_imports": [RAW_EVENT] if any(s.raw for s in streams) else [],
        "content_types": any(op.content_type for op in operations),
        "error_model": api.client_error.model if api.client_error else None,
        "datetime_imports": sorted(
            name for module, name in argument_imports if module == "datetime"
        ),
        "has_files": any(op.files for op in operations),
        "form_json": any(
            "json_fields=" in op.form_options + op.upload_form_options
            for op in operations
        ),
        "form_objects": any(
            "objects=" in op.form_options + op.upload_form_options for op in operations
        ),
        "union_forms": any(op.model_as_form for op in operations),
        "multipart_forms": any(op.multipart for op in operations),
        "model_files": any(op.model_files for op in operations),
        "has_uploads": any(
            op.body_kind == "raw" and "BinaryContent" in a.annotation
            for op in operations
            for a in op.arguments
        ),
        "binary_answers": any(op.streamed_answer for op in operations),
        "reads_streamed_answers": any(
            a.reads_first for op in operations for a in op.answers
        ),
        "replies": any(op.reply for op in api.operations),
        "headers_models": any(op.headers_model for op in api.operations),
        "json_answers": any(
            a.kind == "json" for op in api.operations for a in op.answers
        ),
        "has_streams": api.has_streams,
        "client_streams": bool(streams),
        "param_encoders": client_helpers(api.operations),
        "checks_arguments": any(
            op.body_kind in ("json", "form", "json_or_form") for op in operations
        ),
        "uses_given": any(
            op.body_kind in ("json", "form", "json_or_form")
            or op.query
            or op.query_spread
            or op.headers
            or op.cookies
            for op in operations
        ),
        "form_bodies": any(
            op.model_as_form or op.body_kind in ("form", "json_or_form")
            for op in operations
        ),
        "path_parameters": any(
            p.location == "path" for o in api.operations for p in o.params
        ),
        "default_base_url": api.servers[0] if api.servers else "http://localhost:8080",
        "schemes": [
            {
                "name": s.name,
                "argument": s.python_name,
                "kind": s.kind,
                "location": s.location,
                "parameter": s.parameter,
                "env": f"{env_prefix}_{s.python_name.upper()}",
            }
            for s in api.security_schemes
        ],
    }


@dataclass(frozen=True)
class ResourceView:
    attribute: str
    class_name: str
    tag: str
    operations: tuple[ClientOperation, ...]


def _resource_view(
    resource: Resource, operations: list[ClientOperation]
) -> ResourceView:
    return ResourceView(
        resource.attribute, resource.class_name, resource.tag, tuple(operations)
    )


def _annotation_names(view: ClientOperation) -> set[str]:
    """The names a method's signatures use in their types."""
    types = [a.annotation for a in view.arguments]
    types += [view.returns, view.async_returns, view.stream_union or ""]
    return {
        name for text in types for name in _IDENTIFIER.findall(_STRING.sub("", text))
    }


_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def _number(value: float) -> str:
    """`600.0` as Python source."""
    return repr(float(value))


def _stream_names(api: Api) -> set[str]:
    """The streaming module's names a client method may use."""
    streams = [op.stream for op in api.operations if op.stream]
    return (
        {s.union for s in streams}
        | {s.client_type for s in streams}
        | {s.parser for s in streams}
    )


def _operation(
    op: Operation,
    models: dict[str, Model],
    reserved: set[str] | frozenset[str],
) -> ClientOperation:
    arguments: list[Argument] = []
    files: list[FilePart] = []
    body_fields: list[tuple[str, str]] = []
    body_kind = None
    taken = set(reserved)
    file_names: set[str] = set()
    upload_fields: list[tuple[str, str]] = []
    content_type = ""
    upload = op.body.upload if op.body else None
    if op.body and op.body.model is None:
        body_kind = "raw"
        raw_type = "str" if op.body.kind == "text" else "BinaryContent"
        doc = (
            "The request body."
            if op.body.kind == "text"
            else "The request body: bytes, or a path or binary file streamed from its position."
        )
        arguments.append(Argument("body", raw_type, doc))
        if op.body.chosen_type:
            content_type = distinct_name("content_type", taken)
            arguments.append(
                Argument(
                    content_type,
                    f"str = {json.dumps(op.body.media_type)}",
                    "The media type of the body: "
                    + ", ".join(f"`{m}`" for m in op.body.accepts)
                    + ".",
                )
            )
    elif op.body and op.body.model:
        model = op.body.model
        body_model = models[model]
        wires = {f.wire for f in body_model.fields}
        if not body_model.fields:
            body_kind = "model"
            arguments.append(
                Argument("body", model, "The request body.", model_type(model).imports)
            )
        else:
            body_kind = "json" if op.body.kind == "json" else "form"
            for field in body_model.fields:
                wire = field.wire
                if field.file and body_kind == "form":
                    part = _file_part(field, wires)
                    if part is None or part.python_name in file_names:
                        continue  # the other half of an `X`/`X[]` pair, already added
                    file_names.add(part.python_name)
                    part = dataclasses.replace(
                        part, python_name=distinct_name(part.python_name, taken)
                    )
                    files.append(part)
                    pair = {w for w in (part.single, part.many) if w}
                    needed = any(
                        pair & set(group) for group in body_model.required_sets
                    ) or any(f.required for f in body_model.fields if f.wire in pair)
                    many = _file_annotation(part)
                    arguments.append(
                        _argument(part.python_name, many, needed, field.description)
                    )
                    continue
                if op.stream_flag and wire == op.stream_flag:
                    continue  # the `stream` argument is added with its overloads
                python = distinct_name(field.attribute, taken)
                body_fields.append((wire, python))
                arguments.append(
                    _argument(python, field.type, field.required, field.description)
                )
            if upload and upload.model:
                # Only a form with files is worth sending instead of JSON.
                more: list[Argument] = []
                upload_taken = set(taken)
                _add_upload(
                    models[upload.model],
                    dict(body_fields),
                    upload_taken,
                    file_names,
                    more,
                    files,
                    upload_fields,
                )
                if files:
                    body_kind = "json_or_form"
                    arguments += more
                    taken |= upload_taken
                else:
                    upload_fields.clear()
    param_arguments: dict[tuple[str, str], str] = {}
    query_spread: list[str] = []
    for param in op.params:
        python = distinct_name(param.python_name, taken, f"_{param.location}")
        if param.location == "path":
            param_arguments[(param.name, "path")] = client_path(param, python)
        elif client_spread(param):
            query_spread.append(client_spread_expression(param, python))
        else:
            param_arguments[(param.name, param.location)] = client_value(param, python)
        arguments.append(
            _argument(python, param.type, param.required, param.description)
        )
    # Required arguments first: the signature reads in order of importance.
    arguments.sort(key=lambda a: "NOT_GIVEN" in a.annotation)
    stream = op.stream
    plain = _plain_answer(op)
    answers = _answers(op)
    error_models = {
        r.status: r.json_model
        for r in op.responses
        if not r.status.startswith("2") and r.json_model
    }
    doc = (
        "\n\n".join(part for part in (op.summary, op.description) if part)
        or op.operation_id
    )
    documented = [
        f"    {a.python_name}: {' '.join(a.doc.split())}" for a in arguments if a.doc
    ]
    return ClientOperation(
        name=op.name,
        method=op.method.upper(),
        doc=doc,
        doc_with_args=doc
        + ("\n\nArgs:\n" + "\n".join(documented) if documented else ""),
        arguments=tuple(arguments),
        stream_argument=(
            "bool | NotGiven = NOT_GIVEN"
            if op.stream_flag and (plain or answers)
            else None
        ),
        path_expression=_path_expression(op.path, param_arguments),
        query=_wire_arguments(param_arguments, "query"),
        headers=_wire_arguments(param_arguments, "header"),
        query_spread=tuple(query_spread),
        cookies=_wire_arguments(param_arguments, "cookie"),
        model_as_form=body_kind == "model"
        and bool(op.body and op.body.kind in ("multipart", "form")),
        multipart=bool(op.body and op.body.kind == "multipart"),
        model_files=(
            _names(op.body.file_fields)
            if op.body and body_kind == "model" and op.body.file_fields
            else ""
        ),
        form_options=_form_options(op.body),
        upload_form_options=_form_options(upload),
        body_kind=body_kind,
        content_type=(
            content_type if op.body and op.body.chosen_type else _content_type(op.body)
        ),
        body_model=op.body.model if op.body else None,
        body_fields=tuple(body_fields),
        files=tuple(files),
        security=repr(op.security),
        returns=(
            _returns(op, "BinaryResponse")
            if answers
            else (plain[0] if plain else "None")
        ),
        async_returns=(
            _returns(op, "AsyncBinaryResponse")
            if answers
            else (plain[0] if plain else "None")
        ),
        answers=answers,
        streamed_answer=any(a.kind == "binary" for a in op.answers),
        upload_model=upload.model if upload and body_kind == "json_or_form" else None,
        upload_fields=tuple(upload_fields),
        stream_test="stream" if body_kind == "json_or_form" else "body.stream",
        read_answer=plain[1] if plain else None,
        stream_union=stream.client_type if stream else None,
        stream_parser=stream.parser if stream else None,
        stream_lines=bool(stream and stream.framing == "json_lines"),
        always_streams=bool(stream and not plain and not answers),
        error_models="{"
        + ", ".join(f"{_status_key(s)}: {m}" for s, m in error_models.items())
        + "}",
    )


def _plain_answer(op: Operation) -> tuple[str, str] | None:
    """(type, expression reading it from `response`) of a single JSON or text answer.

    None when there is none, or when `_answers` reads the answers (several, binary, a `Reply`).
    """
    if op.reply or len(op.answers) != 1:
        return None
    (answer,) = op.answers
    if answer.kind == "json":
        return str(answer.model), f"_parsed(response, {answer.model})"
    if answer.kind == "text":
        return "str", "response.text"
    return None


def _answers(op: Operation) -> tuple[ClientAnswer, ...]:
    """How each answer is read, the fallback (a `2XX`, else the first) last."""
    if (
        _plain_answer(op)
        or not op.answers
        or (len(op.answers) == 1 and op.answers[0].kind == "empty" and not op.reply)
    ):
        return ()
    fallback = next((a for a in op.answers if not a.status.isdigit()), op.answers[0])
    ordered = [a for a in op.answers if a is not fallback] + [fallback]
    streamed = any(a.kind == "binary" for a in op.answers)
    read = _read(op, fallback, "BinaryResponse")
    # A status read as the fallback needs no test of its own.
    return tuple(
        ClientAnswer(
            test=f"response.status_code == {a.code}" if a is not fallback else "",
            read=_read(op, a, "BinaryResponse"),
            async_read=_read(op, a, "AsyncBinaryResponse"),
            reads_first=streamed and a.kind != "binary",
        )
        for a in ordered
        if a is fallback or _read(op, a, "BinaryResponse") != read
    )


def _read(op: Operation, answer: Answer, binary: str) -> str:
    if answer.kind == "json":
        read = f"_parsed(response, {answer.model})"
    elif answer.kind == "binary":
        read = f"{binary}(response)"
    else:
        read = {"text": "response.text", "empty": "None"}[answer.kind]
    if not op.reply:
        return read
    headers = f"_headers(response, {op.headers_model})" if op.headers_model else "None"
    return f"Reply(response.status_code, {read}, {headers})"


def _returns(op: Operation, binary: str) -> str:
    union = " | ".join(
        dict.fromkeys(
            binary if a.kind == "binary" else a.python_type for a in op.answers
        )
    )
    if not op.reply:
        return union
    return f"Reply[{union}, {op.headers_model or 'None'}]"


def _add_upload(
    model: Model,
    json_fields: dict[str, str],
    taken: set[str],
    file_names: set[str],
    arguments: list[Argument],
    files: list[FilePart],
    upload_fields: list[tuple[str, str]],
) -> None:
    """The arguments of a JSON body's multipart alternative: its files, and fields JSON lacks.

    All are optional: without files, the body goes out as JSON.
    """
    wires = {f.wire for f in model.fields}
    for field in model.fields:
        wire = field.wire
        if field.file:
            part = _file_part(field, wires)
            if part is None or part.python_name in file_names:
                continue
            file_names.add(part.python_name)
            part = dataclasses.replace(
                part, python_name=distinct_name(part.python_name, taken)
            )
            files.append(part)
            many = _file_annotation(part)
            arguments.append(
                _argument(part.python_name, many, False, field.description)
            )
        elif wire in json_fields:
            upload_fields.append((wire, json_fields[wire]))
        else:
            python = distinct_name(field.attribute, taken)
            upload_fields.append((wire, python))
            arguments.append(_argument(python, field.type, False, field.description))


def _content_type(body: Body | None) -> str | None:
    """The media type to send (a string literal), when the body kind does not say it."""
    if body is None or body.kind in ("multipart", "form") or body.media_type == JSON:
        return None
    return json.dumps(body.media_type)


def _path_expression(path: str, arguments: dict[tuple[str, str], str]) -> str:
    """The path as a Python string literal, an f-string when it has parameters.

    `arguments` holds the expression that writes each path parameter.
    """
    parts = []
    last = 0
    for match in _PATH_PARAM.finditer(path):
        parts.append(
            _string_body(path[last : match.start()])
            .replace("{", "{{")
            .replace("}", "}}")
        )
        parts.append("{" + arguments[(match.group(1), "path")] + "}")
        last = match.end()
    if not parts:
        return json.dumps(path)
    tail = _string_body(path[last:]).replace("{", "{{").replace("}", "}}")
    return 'f"' + "".join(parts) + tail + '"'


def _string_body(text: str) -> str:
    """`text` escaped for the inside of a double-quoted Python string."""
    return json.dumps(text)[1:-1]


def _wire_arguments(
    arguments: dict[tuple[str, str], str], location: str
) -> tuple[tuple[str, str], ...]:
    """(wire name, argument) of the parameters sent in `location`."""
    return tuple(
        (name, python)
        for (name, where), python in arguments.items()
        if where == location
    )


def _status_key(status: str) -> str:
    return status if status.isdigit() else repr(status)


def _names(names: tuple[str, ...]) -> str:
    """A frozenset of names as Python source, sorted."""
    return f"frozenset({{{', '.join(json.dumps(n) for n in sorted(names))}}})"


def _form_options(body: Body | None) -> str:
    """The keyword arguments of `_form_fields` for a form body's JSON fields and objects."""
    if body is None or body.kind == "json":
        return ""
    options = ""
    if body.json_fields:
        options += f", json_fields={_names(body.json_fields)}"
    if body.form_objects:
        styles = ", ".join(
            f"{json.dumps(o.name)}: {json.dumps(o.style)}" for o in body.form_objects
        )
        options += f", objects={{{styles}}}"
    return options


def _argument(python: str, type: PyType | str, required: bool, doc: str) -> Argument:
    """A keyword argument; `type` is a file's annotation when it is a string."""
    annotation, imports = (
        (type, frozenset())
        if isinstance(type, str)
        else (type.annotation, type.imports)
    )
    if not required:
        annotation += " | NotGiven = NOT_GIVEN"
    return Argument(python, annotation, doc, imports)


def _file_annotation(part: FilePart) -> str:
    """One file, any sequence of files (a list, a tuple), or either."""
    if part.single and part.many:
        return "FileInput | Sequence[FileInput]"
    return "Sequence[FileInput]" if part.many else "FileInput"


def _file_part(field: Field, wires: set[str]) -> FilePart | None:
    wire = field.wire
    if field.file == "single":
        many = f"{wire}[]" if f"{wire}[]" in wires else None
        return FilePart(field.attribute, wire, many)
    single = wire.removesuffix("[]")
    if wire.endswith("[]") and single in wires:
        return None  # folded into the single-file argument
    return FilePart(field.attribute, None, wire)
