"""The intermediate form: what the renderers need to know, in plain dataclasses.

Built from a `LoadedSpec`; no Jinja and no I/O here. Everything a template would
otherwise have to work out from the raw spec is named here.

The document may be off the meta-schema (the loader is lenient): every node is
read through `Reader`, so a wrongly-typed one is a warning and is skipped, and a
construct the generated code cannot express yet is a warning naming the
fallback it gets (raw bytes, generic events, `Any`), never an error.
"""

from __future__ import annotations

import dataclasses
import keyword
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from .bodies import build_body
from .class_names import ClassNames
from .enum_aliases import LiteralAlias, literal_aliases
from .error_shape import ErrorShape, error_shape
from .errors import Rename
from .form_fields import FormObject
from .gc_pause import gc_paused
from .inline_models import InlineModels
from .media import concrete, is_stream, media_kind
from .model_fields import Field, model_fields, required_alternatives
from .naming import field_name, pascal_case, snake_case
from .params import (
    TextLiteral,
    Wire,
    content_media_type,
    map_value_type,
    non_null,
    parsed_natively,
    shape,
    text_literal,
    wire,
)
from .read import Reader, describe
from .responses import (
    Answer,
    Header,
    answers,
    bare_string,
    header_schema,
    reply_needed,
)
from .schema_clean import COMPONENT_REF, SchemaCleaner
from .schema_rules import Rule, split_rules
from .schema_walk import object_properties, resolve
from .sound_models import make_sound
from .spec import LoadedSpec, Pointer
from .streams import StreamEvents, StreamReader
from .types import (
    BOOL,
    STR,
    PyType,
    dict_of,
    list_of,
    model_type,
    scalar_type,
    type_of,
)
from .webhooks import payload_models

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LOCATIONS = ("path", "query", "header", "cookie")

# Names the generated code itself uses in a client method, a server endpoint or
# a handler method, beside the parameters.
_RESERVED_PARAMETERS = frozenset(
    {"self", "body", "context", "request", "response", "stream", "files"}
    | {"handlers", "app", "authenticate"}
    # The types a server endpoint names when it parses a styled parameter.
    | {"list", "dict", "str", "int", "float", "bool", "frozenset", "None"}
)
# Client methods and `create_router`'s local names: no operation can take them.
_RESERVED_OPERATIONS = frozenset(
    {"close", "max_retries", "app", "handlers", "authenticate", "max_body_size"}
    | {"router", "prefix", "dependencies"}
)
# The arguments of `Client(...)` beside the credentials.
_RESERVED_CREDENTIALS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "headers", "http_client"}
)
_PATH_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Answer headers that belong to HTTP itself (or the media type), not to the API.
_TRANSPORT_HEADERS = frozenset(
    {"content-type", "content-length", "transfer-encoding", "connection"}
    | {"keep-alive", "trailer", "upgrade", "te"}
)

SchemaMap = dict[str, Any]


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter."""

    name: str
    python_name: str
    location: Literal["path", "query", "header", "cookie"]
    required: bool
    type: PyType
    description: str
    default: str | None = None
    """The spec's default as a Python literal."""
    constraints: tuple[tuple[str, Any], ...] = ()
    """Pydantic/FastAPI constraint keywords: (("ge", 1), ("le", 100))."""
    wire: Wire = Wire("form", True, "scalar")
    """Its style, explode flag, shape and encoding (`content`) on the wire."""
    fields: tuple[str, ...] = ()
    """Wire names of an object parameter's properties (keys of `name=x&age=3`)."""
    text_literal: TextLiteral | None = None
    """An int or bool enum (or a list of them) the server turns from text into values first."""

    @property
    def python_type(self) -> str:
        return self.type.annotation

    @property
    def native(self) -> bool:
        """Parsed by FastAPI itself; the others are parsed by the generated server."""
        return parsed_natively(self.location, self.wire)


@dataclass(frozen=True)
class Body:
    """A request body: JSON or a form validated into `model`, or raw content."""

    kind: Literal["json", "multipart", "form", "text", "binary"]
    media_type: str
    model: str | None
    """The model a JSON or form body is validated into; None for raw content."""
    required: bool
    array_fields: tuple[str, ...] = ()
    """Wire names of form fields that repeat (`image[]`): parsed as lists."""
    json_fields: tuple[str, ...] = ()
    """Wire names of form fields that travel as JSON text (objects, arrays of objects)."""
    form_objects: tuple[FormObject, ...] = ()
    """Object fields of a urlencoded form written in their `encoding` style."""
    file_fields: tuple[str, ...] = ()
    """Wire names of a form's fields that hold one file."""
    accepts: tuple[str, ...] = ()
    """The declared media types (ranges too) the server reads as this kind."""
    alternatives: tuple[Body, ...] = ()
    """The other kinds of body the server accepts (JSON or multipart, say), in preference order."""

    @property
    def raw(self) -> bool:
        """Raw content: bytes (a `str` for `text/*`)."""
        return self.model is None

    @property
    def chosen_type(self) -> bool:
        """Raw content of several media types (or a range): the caller says which it is."""
        return self.kind == "binary" and (
            len(self.accepts) > 1 or any("*" in m for m in self.accepts)
        )

    @property
    def choices(self) -> tuple[Body, ...]:
        """Every kind of body the server accepts: this one, then the alternatives."""
        return (self, *self.alternatives)

    @property
    def upload(self) -> Body | None:
        """The multipart alternative a JSON body is sent as when the caller gives files."""
        if self.kind != "json":
            return None
        return next((b for b in self.alternatives if b.kind == "multipart"), None)


@dataclass(frozen=True)
class RawContent:
    """An answer passed through as it is: `bytes`, or `str` for `text/*`."""

    media_type: str
    text: bool

    @property
    def python_type(self) -> str:
        return "str" if self.text else "bytes"


@dataclass(frozen=True)
class Response:
    """One status code's answer: JSON, raw content, an event stream, or nothing."""

    status: str
    description: str
    json_model: str | None
    stream: StreamEvents | None
    raw: RawContent | None = None
    """A non-JSON answer (an image, audio, text), when there is no JSON one."""
    headers: tuple[str, ...] = ()
    """The wire names (lower case) of the headers this answer declares."""
    examples: tuple[Any, ...] = dataclasses.field(default=(), compare=False)
    """The `example`/`examples` of its JSON media type, else of its text one."""

    @property
    def is_empty(self) -> bool:
        return self.json_model is None and self.stream is None and self.raw is None


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"]
    parameter: str
    description: str
    python_name: str
    """The client's keyword argument for these credentials."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    name: str
    method: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    body: Body | None
    responses: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    stream_flag: str | None
    """The boolean body attribute that asks for the event stream instead of JSON."""
    answers: tuple[Answer, ...] = ()
    """The plain (not streamed-event) 2xx answers, in declared order; see codegen/responses.py."""
    headers_model: str | None = None
    """The model of the headers the 2xx answers declare."""
    reply: bool = False
    """Whether the handler may (and the client does) wrap the answer in a `Reply`."""

    @property
    def success(self) -> Response | None:
        """The first 2xx response: what the handler's return value becomes."""
        return next((r for r in self.responses if r.status.startswith("2")), None)

    @property
    def stream(self) -> StreamEvents | None:
        return self.success.stream if self.success else None


@dataclass(frozen=True)
class Model:
    """A component schema as the model generator gets it, plus what it cannot see.

    `schema` has its cross-field rules taken out; `field_names` maps the wire
    names that are not Python identifiers to the attribute names we chose.
    """

    name: str
    schema: SchemaMap
    rules: tuple[Rule, ...]
    field_names: dict[str, str]
    fields: tuple[Field, ...] = ()
    """Its properties (inherited ones too), each with its type."""
    required_sets: tuple[tuple[str, ...], ...] = ()
    """Alternatives of required properties (`anyOf: [{required: [a]}, {required: [b]}]`)."""
    literal: LiteralAlias | None = None
    """An enum written as a `Literal` type alias, not a class (see enum_aliases)."""

    def python_name(self, wire_name: str) -> str:
        return self.field_names.get(wire_name, wire_name)


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    description: str
    openapi: str
    servers: tuple[str, ...]
    operations: tuple[Operation, ...]
    security_schemes: tuple[SecurityScheme, ...]
    models: tuple[Model, ...]
    streams: tuple[StreamEvents, ...]
    """Every distinct typed event stream, in operation order."""
    client_error: ErrorShape | None
    """The error model 4xx answers use, as the server fills it."""
    server_error: ErrorShape | None
    """The error model 5xx answers use (the client error's when the spec has none)."""
    spec: SchemaMap
    """The bundled spec, served by the generated server as its OpenAPI document."""

    @property
    def generic_streams(self) -> bool:
        """Whether some operation streams events that are not typed."""
        return any(op.stream and op.stream.generic for op in self.operations)

    @property
    def raw_streams(self) -> bool:
        """Whether some operation streams events as they come (`ServerSentEvent`)."""
        return any(op.stream and op.stream.raw for op in self.operations)

    @property
    def line_streams(self) -> bool:
        """Whether some operation streams JSON lines."""
        return any(
            op.stream and op.stream.framing == "json_lines" for op in self.operations
        )

    @property
    def has_streams(self) -> bool:
        return bool(self.streams) or self.generic_streams or self.raw_streams


@gc_paused()
def build_api(spec: LoadedSpec) -> Api:
    """The IR of a loaded spec; what it cannot express becomes a warning and a fallback."""
    builder = _Builder(spec)
    read = builder.read
    doc = spec.document
    info = read.mapping(doc.get("info"), ("info",), "`info`")
    operations = builder.operations()
    payload_models(builder)
    streams = tuple(
        {
            r.stream.union: r.stream
            for op in operations
            for r in op.responses
            if r.stream and r.stream.typed
        }.values()
    )
    servers = read.sequence(doc.get("servers"), ("servers",), "`servers`")
    return Api(
        title=read.text(info.get("title"), ("info", "title"), "the title"),
        version=read.text(info.get("version"), ("info", "version"), "the version"),
        description=read.text(
            info.get("description"), ("info", "description"), "the description"
        ).strip(),
        openapi=str(doc.get("openapi", "")),
        servers=tuple(
            read.text(s.get("url"), ("servers", i, "url"), "the server url")
            for i, s in enumerate(servers)
            if isinstance(s, dict)
        ),
        operations=tuple(operations),
        security_schemes=builder.security_schemes,
        models=_with_fields(builder.models(streams)),
        streams=streams,
        client_error=_error_shape(operations, builder.schemas, "4"),
        server_error=_error_shape(operations, builder.schemas, "5")
        or _error_shape(operations, builder.schemas, "4"),
        spec=doc,
    )


class _Builder:
    """The state of one IR build: class names, cleaned schemas, security schemes."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.read = Reader(spec)
        doc = spec.document
        components = self.read.mapping(
            doc.get("components"), ("components",), "`components`"
        )
        raw_schemas = self.read.mapping(
            components.get("schemas"), ("components", "schemas"), "`components/schemas`"
        )
        self.names = ClassNames()
        class_names = self.names.components(raw_schemas)
        self.cleaner = SchemaCleaner(spec, class_names)
        # Every model's schema by class name: the components, then inline schemas.
        self.schemas: SchemaMap = {}
        self.origins: dict[str, Pointer] = {}
        for key, schema in raw_schemas.items():
            name = class_names[key]
            where: Pointer = ("components", "schemas", key)
            if name != key:
                self._rename("schema", key, name, where)
            self.schemas[name] = self.cleaner.clean(schema, where, name)
            self.origins[name] = where
        self.stream_reader = StreamReader(
            self.read, self.cleaner, self.schemas, self.names, self.inline
        )
        self.headers: dict[Pointer, tuple[Header, ...]] = {}
        self.skipped_schemes: set[str] = set()
        self.security_schemes = self._security_schemes(
            self.read.mapping(
                components.get("securitySchemes"),
                ("components", "securitySchemes"),
                "`components/securitySchemes`",
            )
        )

    def _rename(self, what: str, written: str, chosen: str, where: Pointer) -> None:
        self.spec.diagnostics.renames.append(
            Rename(
                what,
                written,
                chosen,
                str(self.spec.locate(where)),
                f"{written} is not a name every generated module can use",
            )
        )

    # -- models -------------------------------------------------------------------

    def inline(
        self, name: str, schema: Any, pointer: Pointer, suffix: str = "Body"
    ) -> str:
        """The model a body or response schema is: its component, or a new inline one."""
        cleaned = self.cleaner.clean(schema, pointer)
        ref = cleaned.get("$ref")
        if isinstance(ref, str):
            return ref.removeprefix(COMPONENT_REF)
        chosen = self.names.claim(name, suffix=suffix)
        self.schemas[chosen] = cleaned
        self.origins[chosen] = pointer
        return chosen

    def models(self, streams: tuple[StreamEvents, ...]) -> tuple[Model, ...]:
        """Every model: components, inline bodies, stream events, and their inline parts."""
        make_sound(self.schemas, self.origins, self.read)
        models = [
            self._model(name, schema, self.origins[name])
            for name, schema in self.schemas.items()
        ]
        by_name = {m.name: m for m in models}
        for stream in (s for s in streams if s.derived):
            base = by_name[stream.schema or ""]
            for event in stream.events:
                self.origins[event.model] = self.origins[base.name]
                models.append(
                    Model(
                        event.model,
                        _event_schema(base.schema, event.type),
                        (),
                        base.field_names,
                    )
                )
        named = {m.name for m in models}
        models = self._take_out_inline(models)
        taken_out = {m.name for m in models} - named
        return tuple(literal_aliases(models, taken_out, streams, self.names.taken))

    def _model(self, name: str, schema: SchemaMap, origin: Pointer) -> Model:
        """The model of one schema, its cross-field rules split off."""
        split = split_rules(schema)
        for problem in split.unsupported:
            self.read.warn(
                origin + problem.where, f"{problem.message}; this rule is not enforced"
            )
        field_names = _field_names(split.schema)
        rules = self._enforceable(name, origin, split.schema, split.rules, field_names)
        return Model(name, split.schema, rules, field_names)

    def _take_out_inline(self, models: list[Model]) -> list[Model]:
        """The models with their inline schemas taken out, each new one before its owner."""
        inline = InlineModels(self.names)
        result: list[Model] = []
        for model in models:
            origin = self.origins.get(model.name, ())
            schema = inline.take_out(model.name, model.schema, origin)
            while inline.found:
                found = inline.found.pop(0)
                result.append(self._model(found.name, found.schema, found.origin))
            result.append(dataclasses.replace(model, schema=schema))
        return result

    def _enforceable(
        self,
        name: str,
        origin: Pointer,
        schema: SchemaMap,
        rules: list[Rule],
        field_names: dict[str, str],
    ) -> tuple[Rule, ...]:
        """The rules that only read attributes of the model; a warning for the rest."""
        properties, _ = object_properties(schema, self.schemas)
        kept = []
        for rule in rules:
            unknown = [
                n
                for n in rule.names
                if n not in properties or not _is_attribute(field_names.get(n, n))
            ]
            if unknown:
                self.read.warn(
                    origin,
                    f"a cross-field rule of {name} reads {unknown[0]!r}, which is not "
                    "an attribute of the model; this rule is not enforced",
                )
            else:
                kept.append(rule)
        return tuple(kept)

    # -- operations -------------------------------------------------------------

    def operations(self) -> list[Operation]:
        doc = self.spec.document
        default_security = self.security(doc.get("security"), ("security",))
        paths = self.read.mapping(doc.get("paths"), ("paths",), "`paths`")
        operations: list[Operation] = []
        taken: dict[str, Operation] = {}
        for path, item in paths.items():
            where: Pointer = ("paths", path)
            if str(path).startswith("x-"):
                continue
            if not str(path).startswith("/"):
                self.read.warn(where, f"path {path!r} does not start with `/`; skipped")
                continue
            item = self.read.mapping(item, where, "the path item")
            shared = self.read.sequence(
                item.get("parameters"), where + ("parameters",), "`parameters`"
            )
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                pointer = where + (method,)
                raw = self.read.mapping(item[method], pointer, "the operation")
                if not raw:
                    continue
                operation = self.operation(
                    pointer, str(path), method, raw, shared, default_security
                )
                operation = self._distinct_name(pointer, operation, taken)
                taken[operation.name] = operation
                operations.append(operation)
        return operations

    def operation(
        self,
        pointer: Pointer,
        path: str,
        method: str,
        raw: SchemaMap,
        shared: list[Any],
        default_security: tuple[tuple[str, ...], ...],
    ) -> Operation:
        read = self.read
        operation_id = (
            read.text(
                raw.get("operationId"), pointer + ("operationId",), "`operationId`"
            )
            or f"{method}_{path}"
        )
        stem = pascal_case(operation_id)
        own = read.sequence(
            raw.get("parameters"), pointer + ("parameters",), "`parameters`"
        )
        params = self.params(pointer, path, shared, own, stem)
        security = (
            self.security(raw["security"], pointer + ("security",))
            if "security" in raw
            else default_security
        )
        body = self.body(
            f"{stem}Request", pointer + ("requestBody",), raw.get("requestBody")
        )
        responses = self.responses(
            f"{stem}Response", pointer + ("responses",), raw.get("responses")
        )
        plain = answers(responses)
        # Headers reach the caller beside a plain answer (in a `Reply`); an
        # answer that only streams has nowhere to carry them.
        headers_model = (
            self.headers_model(stem, pointer + ("responses",), responses)
            if plain
            else None
        )
        tags = read.sequence(raw.get("tags"), pointer + ("tags",), "`tags`")
        return Operation(
            operation_id=operation_id,
            name=snake_case(operation_id),
            method=method,
            path=path,
            summary=read.text(
                raw.get("summary"), pointer + ("summary",), "`summary`"
            ).strip(),
            description=read.text(
                raw.get("description"), pointer + ("description",), "`description`"
            ).strip(),
            tags=tuple(str(t) for t in tags if isinstance(t, str)),
            params=params,
            body=body,
            responses=responses,
            security=security,
            stream_flag=self._stream_flag(body, responses),
            answers=plain,
            headers_model=headers_model,
            reply=reply_needed(plain, headers_model),
        )

    def _distinct_name(
        self, pointer: Pointer, operation: Operation, taken: dict[str, Operation]
    ) -> Operation:
        """The operation, renamed when its Python name is reserved or taken.

        An operation also owns `<name>_stream`, its handler's streaming variant.
        """
        if operation.name in _RESERVED_OPERATIONS:
            chosen = distinct_name(operation.name + "_", _operation_names(taken))
            self._rename("operation", operation.operation_id, chosen, pointer)
            operation = dataclasses.replace(operation, name=chosen)
        name = operation.name
        first = next(
            (
                other
                for other in taken.values()
                if name in (other.name, f"{other.name}_stream")
                or other.name == f"{name}_stream"
            ),
            None,
        )
        if first is None:
            return operation
        chosen = distinct_name(
            snake_case(f"{operation.method}_{operation.path}"), _operation_names(taken)
        )
        where = pointer + ("operationId",)
        said = f"{first.method.upper()} {first.path}"
        why = (
            f"operationId {operation.operation_id!r} is also used by {said}"
            if first.operation_id == operation.operation_id
            else f"operationId {operation.operation_id!r} gives the Python name "
            f"{name}, as {said} does"
        )
        self.read.warn(where, f"{why}; this operation is named {chosen}")
        self.spec.diagnostics.renames.append(
            Rename(
                "operation",
                operation.operation_id,
                chosen,
                str(self.spec.locate(where)),
                f"{first.name} is {said}",
            )
        )
        return dataclasses.replace(operation, name=chosen)

    # -- parameters -------------------------------------------------------------

    def params(
        self,
        pointer: Pointer,
        path: str,
        shared: list[Any],
        own: list[Any],
        stem: str = "",
    ) -> tuple[Param, ...]:
        # Operation-level parameters override path-level ones with the same name and place.
        merged: dict[tuple[str, str], tuple[Pointer, SchemaMap]] = {}
        for where, raw in [
            ((pointer[:-1] + ("parameters", i)), p) for i, p in enumerate(shared)
        ] + [((pointer + ("parameters", i)), p) for i, p in enumerate(own)]:
            key = self._param_key(where, raw, path)
            if key is not None:
                merged[key] = (where, raw)
        declared = {name for name, location in merged if location == "path"}
        for name in _path_names(path):
            if name not in declared:
                self.read.warn(
                    pointer,
                    f"path parameter {{{name}}} is not declared; read as a required string",
                )
                merged[(name, "path")] = (pointer, {"name": name, "in": "path"})
        taken = set(_RESERVED_PARAMETERS)
        params = [
            self.param(where, raw, name, location, taken, stem)
            for (name, location), (where, raw) in merged.items()
        ]
        # Required first so they can be positional in generated signatures.
        return tuple(sorted(params, key=lambda p: not p.required))

    def _param_key(self, where: Pointer, raw: Any, path: str) -> tuple[str, str] | None:
        """(name, location) of a well-formed parameter; None (and a warning) otherwise."""
        if not isinstance(raw, dict):
            self.read.warn(where, f"a parameter is {describe(raw)}; skipped")
            return None
        name, location = raw.get("name"), raw.get("in")
        if not isinstance(name, str) or not name:
            self.read.warn(where, "a parameter without a `name`; skipped")
            return None
        if location not in LOCATIONS:
            self.read.warn(where, f"parameter {name!r} has no valid `in`; skipped")
            return None
        if location == "path" and name not in _path_names(path):
            self.read.warn(
                where, f"path parameter {name!r} is not in the path; skipped"
            )
            return None
        return name, location

    def param(
        self,
        where: Pointer,
        raw: SchemaMap,
        name: str,
        location: str,
        taken: set[str],
        stem: str = "",
    ) -> Param:
        raw_schema = _param_schema(raw)
        media = content_media_type(raw)
        schema_at = where + (("content", media, "schema") if media else ("schema",))
        schema = self.cleaner.clean(raw_schema, schema_at)
        python_name = distinct_name(snake_case(name), taken, f"_{location}")
        required = location == "path" or self.read.flag(
            raw.get("required"), where + ("required",), "`required`", False
        )
        how = wire(self.read, where, raw, location, shape(schema, self.schemas))
        model_name = stem + pascal_case(name)
        fields: tuple[str, ...] = ()
        python = param_type(schema, self.schemas)
        if python is None and how.content is not None:
            python = self._content_param_type(model_name, raw_schema, schema_at)
        elif python is None and how.shape == "object":
            python, fields = self._object_param_type(model_name, raw_schema, schema_at)
        if python is None:
            self.read.warn(
                where,
                f"{location} parameter {name!r} is neither a scalar, an object of "
                "scalars nor a list of scalars; read as a string",
            )
            python = STR
            how = Wire(how.style, how.explode, "scalar")
        return Param(
            name=name,
            python_name=python_name,
            location=location,  # type: ignore[arg-type]
            required=required,
            type=python,
            description=self.read.text(
                raw.get("description"), where + ("description",), "`description`"
            ).strip(),
            default=_default_literal(schema.get("default")),
            constraints=_constraints(schema, python.annotation),
            wire=how,
            fields=fields,
            text_literal=(
                text_literal(schema, self.schemas) if how.content is None else None
            ),
        )

    def _object_param_type(
        self, name: str, schema: Any, pointer: Pointer
    ) -> tuple[PyType | None, tuple[str, ...]]:
        """`dict[str, X]` for a free-form object of scalars, else a model; its fields."""
        cleaned = self.cleaner.clean(schema, pointer)
        values = map_value_type(cleaned, self.schemas)
        if values is not None:
            # Untyped values arrive as strings: that is what the wire holds.
            inner = scalar_type(values, self.schemas)
            return (dict_of(inner) if inner else None), ()
        name = self.inline(name, schema, pointer, suffix="Param")
        properties, _ = object_properties({"$ref": COMPONENT_REF + name}, self.schemas)
        return model_type(name), tuple(properties)

    def _content_param_type(self, name: str, schema: Any, pointer: Pointer) -> PyType:
        """The type of a `content`-encoded parameter: a model, or a list of them."""
        cleaned = self.cleaner.clean(schema, pointer)
        items = resolve(cleaned, self.schemas).get("items")
        if shape(cleaned, self.schemas) == "array" and isinstance(items, dict):
            inner = param_type(items, self.schemas) or model_type(
                self.inline(name + "Item", items, pointer + ("items",), "Param")
            )
            return list_of(inner)
        return model_type(self.inline(name, schema, pointer, suffix="Param"))

    # -- bodies and responses ---------------------------------------------------

    def body(self, name: str, pointer: Pointer, raw: Any) -> Body | None:
        return build_body(self, name, pointer, raw)

    def responses(self, name: str, pointer: Pointer, raw: Any) -> tuple[Response, ...]:
        answers = self.read.mapping(raw, pointer, "`responses`")
        responses = []
        for status, answer in answers.items():
            where = pointer + (status,)
            if str(status).startswith("x-"):
                continue
            answer = self.read.mapping(answer, where, "the response")
            status = str(status)
            own_name = name if status.startswith("2") else name + _status_word(status)
            responses.append(self.response(own_name, where, status, answer))
        return tuple(responses)

    def response(
        self, name: str, pointer: Pointer, status: str, raw: SchemaMap
    ) -> Response:
        content = self.read.mapping(
            raw.get("content"), pointer + ("content",), "`content`"
        )
        json_model = None
        stream = None
        raw_content = None
        raw_too = any(media_kind(m) in ("text", "binary") for m in content)
        examples: dict[str, tuple[Any, ...]] = {}
        for media_type, media in content.items():
            where = pointer + ("content", media_type)
            media = self.read.mapping(media, where, "the media type")
            kind = media_kind(media_type)
            if kind in ("json", "text") and kind not in examples:
                examples[kind] = self._examples(media)
            if is_stream(kind) and stream is None:
                stream = self.stream_reader.stream(
                    where, media, media_type, name.removesuffix("Response")
                )
            elif kind == "json" and raw_too and bare_string(media.get("schema")):
                continue  # raw content said twice: the raw media type says it better
            elif kind == "json" and json_model is None:
                json_model = self.inline(
                    name, media.get("schema") or {}, where + ("schema",)
                )
            elif kind in ("text", "binary") and raw_content is None:
                raw_content = RawContent(concrete(media_type), kind == "text")
        headers = self.response_headers(pointer + ("headers",), raw.get("headers"))
        self.headers[pointer] = headers
        return Response(
            status=status,
            description=self.read.text(
                raw.get("description"), pointer + ("description",), "`description`"
            ).strip(),
            json_model=json_model,
            stream=stream,
            raw=raw_content if json_model is None else None,
            headers=tuple(h.name for h in headers),
            examples=examples.get("json" if json_model else "text", ()),
        )

    def _examples(self, media: SchemaMap) -> tuple[Any, ...]:
        """A media type's `example`, then the values of its `examples`."""
        found = [media["example"]] if "example" in media else []
        named = self._resolved(media.get("examples"))
        for example in (named if isinstance(named, dict) else {}).values():
            example = self._resolved(example)
            if isinstance(example, dict) and "value" in example:
                found.append(example["value"])
        return tuple(found)

    def response_headers(self, pointer: Pointer, raw: Any) -> tuple[Header, ...]:
        """The headers an answer declares; one that is not a scalar is read as a string."""
        found = []
        for name, header in self.read.mapping(raw, pointer, "`headers`").items():
            where = pointer + (name,)
            header = self.read.mapping(self._resolved(header), where, "the header")
            if str(name).lower() in _TRANSPORT_HEADERS or not header:
                continue
            schema = self.cleaner.clean(_param_schema(header), where + ("schema",))
            # A list would need the `simple` style's commas on both sides: not yet.
            if scalar_type(schema, self.schemas) is None:
                self.read.warn(
                    where, f"header {name!r} is not a scalar; read as a string"
                )
                schema = {"type": "string"}
            found.append(
                Header(
                    str(name).lower(),
                    schema,
                    self.read.flag(
                        header.get("required"),
                        where + ("required",),
                        "`required`",
                        False,
                    ),
                    self.read.text(
                        header.get("description"),
                        where + ("description",),
                        "`description`",
                    ).strip(),
                )
            )
        return tuple(found)

    def _resolved(self, node: Any) -> Any:
        """A `#/components/...` reference followed (headers are not bundled as schemas)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#/") or ref in seen:
                return {}
            seen.add(ref)
            node = self.spec.document
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                node = node.get(part) if isinstance(node, dict) else None
        return node

    def headers_model(
        self, stem: str, pointer: Pointer, responses: tuple[Response, ...]
    ) -> str | None:
        """The model of the headers the plain 2xx answers declare."""
        declared = [
            self.headers.get(pointer + (r.status,), ())
            for r in responses
            if r.status.startswith("2")
        ]
        schema = header_schema(declared)
        if schema is None:
            return None
        name = self.names.claim(f"{stem}Headers", suffix="Model")
        self.schemas[name] = schema
        self.origins[name] = pointer
        return name

    def _stream_flag(
        self, body: Body | None, responses: tuple[Response, ...]
    ) -> str | None:
        """`stream` when the body has that boolean and the answer can be plain or a stream."""
        success = next((r for r in responses if r.status.startswith("2")), None)
        if (
            body is None
            or body.model is None
            or success is None
            or success.stream is None
            or (success.json_model is None and success.raw is None)
        ):
            return None
        properties, _ = object_properties(
            {"$ref": COMPONENT_REF + body.model}, self.schemas
        )
        flag = properties.get("stream")
        # A boolean, or one that may be null (`anyOf: [boolean, null]`).
        found = scalar_type(flag, self.schemas)
        return "stream" if found in (BOOL, BOOL.or_none()) else None

    # -- security ----------------------------------------------------------------

    def security(self, raw: Any, pointer: Pointer) -> tuple[tuple[str, ...], ...]:
        """Alternatives (OR) of requirement sets (AND), of the schemes we support."""
        known = {s.name for s in self.security_schemes}
        alternatives = []
        for index, requirement in enumerate(
            self.read.sequence(raw, pointer, "`security`")
        ):
            where = pointer + (index,)
            requirement = self.read.mapping(
                requirement, where, "a security requirement"
            )
            names = []
            for name in requirement:
                if name in known:
                    names.append(name)
                elif name not in self.skipped_schemes:
                    self.read.warn(
                        where + (name,),
                        f"security scheme {name!r} is not defined; ignored",
                    )
            alternatives.append(tuple(names))
        return tuple(alternatives)

    def _security_schemes(self, raw: SchemaMap) -> tuple[SecurityScheme, ...]:
        schemes = []
        taken = set(_RESERVED_CREDENTIALS)
        for name, scheme in raw.items():
            where: Pointer = ("components", "securitySchemes", name)
            scheme = self.read.mapping(scheme, where, "the security scheme")
            found = _scheme(scheme)
            if found is None:
                self.skipped_schemes.add(name)
                self.read.warn(
                    where,
                    f"{_scheme_said(scheme)} is not supported; skipped "
                    "(the server does not check it, the client does not send it)",
                )
                continue
            kind, location, parameter = found
            schemes.append(
                SecurityScheme(
                    name=name,
                    kind=kind,
                    location=location,
                    parameter=parameter,
                    description=self.read.text(
                        scheme.get("description"),
                        where + ("description",),
                        "`description`",
                    ).strip(),
                    python_name=distinct_name(snake_case(name), taken),
                )
            )
        return tuple(schemes)


# -- helpers ---------------------------------------------------------------------------


def _is_attribute(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def distinct_name(name: str, taken: set[str], suffix: str = "_") -> str:
    """`name`, else it with `suffix` (then `_`s) added, the first not in `taken`; claimed."""
    if name in taken:
        name += suffix
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def _operation_names(operations: dict[str, Operation]) -> set[str]:
    """The Python names operations own: their own and their streaming handlers'."""
    return set(_RESERVED_OPERATIONS).union(
        *({name, f"{name}_stream"} for name in operations)
    )


def _status_word(status: str) -> str:
    """`400` stays itself; `default` -> `Default`."""
    return status if status[:1].isdigit() else pascal_case(status)


def _path_names(path: str) -> list[str]:
    return list(dict.fromkeys(_PATH_PLACEHOLDER.findall(path)))


def _param_schema(raw: SchemaMap) -> Any:
    """A parameter's schema, or the schema of its first `content` media type."""
    if "schema" in raw:
        return raw["schema"]
    content = raw.get("content")
    if isinstance(content, dict):
        for media in content.values():
            if isinstance(media, dict) and "schema" in media:
                return media["schema"]
    return {}


def _with_fields(models: tuple[Model, ...]) -> tuple[Model, ...]:
    """The models with their fields typed, once every model they refer to is known."""
    schemas = {m.name: m.schema for m in models}
    return tuple(
        dataclasses.replace(
            m,
            fields=model_fields(m.schema, schemas, m.field_names),
            required_sets=required_alternatives(m.schema),
        )
        for m in models
    )


def _error_shape(
    operations: list[Operation], schemas: SchemaMap, status_class: str
) -> ErrorShape | None:
    """The model most of the spec's `status_class`xx (else `default`) responses use."""
    for wanted in (status_class, "default"):
        counts: dict[str, int] = {}
        for operation in operations:
            for response in operation.responses:
                if response.status.startswith(wanted) and response.json_model:
                    counts[response.json_model] = counts.get(response.json_model, 0) + 1
        for model in sorted(counts, key=lambda m: -counts[m]):
            shape = error_shape(model, schemas)
            if shape is not None:
                return shape
    return None


def _event_schema(schema: SchemaMap, type_value: str) -> SchemaMap:
    """The stream schema narrowed to one event type (`type` a required constant)."""
    properties = dict(schema.get("properties") or {})
    properties["type"] = {**properties["type"], "const": type_value}
    del properties["type"]["enum"]
    required = list(schema.get("required") or [])
    return {
        **schema,
        "description": f"The `{type_value}` event. "
        + str(schema.get("description", "")).strip(),
        "properties": properties,
        "required": required if "type" in required else ["type", *required],
    }


def _field_names(schema: SchemaMap) -> dict[str, str]:
    """Attribute names for the properties whose wire names cannot be attributes."""
    wire_names = list(schema.get("properties") or {})
    taken = {n for n in wire_names if _is_attribute(n) and not n.startswith("_")}
    renamed = {}
    for wire_name in wire_names:
        if wire_name not in taken:
            renamed[wire_name] = _attribute_name(wire_name, taken)
    return renamed


def _attribute_name(wire_name: str, taken: set[str]) -> str:
    """A pydantic field name for `wire_name`, claimed in `taken`.

    pydantic refuses field names that start with `_` (`200` -> `_200`), so
    those become `field_200`.
    """
    chosen = field_name(wire_name, taken)
    if chosen.startswith("_") or not _is_attribute(chosen):
        chosen = distinct_name("field_" + chosen.strip("_"), taken)
    taken.add(chosen)
    return chosen


# The Python annotation of each scalar JSON Schema type.
SCALAR_TYPES = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}


def param_type(schema: SchemaMap, schemas: SchemaMap) -> PyType | None:
    """The type of a parameter: scalars, or a list of them.

    None for what is not a scalar or a list of scalars (objects, lists of objects).
    """
    found = scalar_type(schema, schemas)
    if found is not None:
        return found
    array = non_null(schema, schemas)
    if array.get("type") in ("array", ["array"]):
        inner = scalar_type(array.get("items") or {}, schemas)
        if inner is not None:
            items = list_of(inner)
            return items.or_none() if type_of(schema, schemas).nullable else items
    return None


def _default_literal(value: Any) -> str | None:
    """A parameter's default as Python source, when it has one that source can spell."""
    if value is None:
        return None
    if isinstance(value, list):
        items = [_default_literal(v) for v in value]
        return None if None in items else "[" + ", ".join(map(str, items)) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return repr(value) if isinstance(value, (str, int, float)) else None


_CONSTRAINTS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_length",
    "maxItems": "max_length",
}
# The Python types each constraint applies to.
_CONSTRAINED_TYPES = {
    "ge": ("int", "float"),
    "le": ("int", "float"),
    "gt": ("int", "float"),
    "lt": ("int", "float"),
    "pattern": ("str",),
}


def _constraints(schema: SchemaMap, python: str) -> tuple[tuple[str, Any], ...]:
    found = []
    for name, argument in _CONSTRAINTS.items():
        value = schema.get(name)
        if value is None or isinstance(value, bool):
            continue
        # OpenAPI 3.0 says "exclusive" with a boolean next to minimum/maximum.
        if name == "minimum" and schema.get("exclusiveMinimum") is True:
            argument = "gt"
        if name == "maximum" and schema.get("exclusiveMaximum") is True:
            argument = "lt"
        base = python.removesuffix(" | None")
        if name in ("minLength", "maxLength"):
            fits = base == "str"
        elif name in ("minItems", "maxItems"):
            fits = base.startswith("list[")
        else:
            fits = base in _CONSTRAINED_TYPES[argument]
        if fits:
            found.append((argument, value))
    return tuple(found)


def _scheme(scheme: SchemaMap) -> tuple[Any, Any, str] | None:
    """(kind, location, parameter) of a scheme the generated code supports."""
    kind = scheme.get("type")
    http = str(scheme.get("scheme", "")).lower()
    if kind == "http" and http in ("bearer", "basic"):
        return http, "header", "Authorization"
    if kind in ("oauth2", "openIdConnect"):
        # Both end up as a bearer token in the Authorization header.
        return "bearer", "header", "Authorization"
    name = scheme.get("name")
    if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
        if isinstance(name, str) and name:
            return "api_key", scheme["in"], name
    return None


def _scheme_said(scheme: SchemaMap) -> str:
    kind = scheme.get("type")
    if kind == "http":
        return f"security scheme type http with scheme {scheme.get('scheme')!r}"
    if kind == "apiKey":
        return "an apiKey security scheme without a valid `in` and `name`"
    return f"security scheme type {kind!r}"
