"""The intermediate form: what the renderers need to know, in plain dataclasses.

Built from a `LoadedSpec`; no Jinja and no I/O here. Everything a template would
otherwise have to work out from the raw spec is named here.
"""

from __future__ import annotations

import dataclasses
import keyword
from dataclasses import dataclass
from typing import Any, Literal

from .error_shape import ErrorShape, error_shape, object_properties
from .errors import Rename
from .spec import LoadedSpec, Pointer
from .naming import field_name, pascal_case, snake_case
from .schema_rules import Rule, UnsupportedSchema, split_rules

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"
EVENT_STREAM = "text/event-stream"

SchemaMap = dict[str, Any]


@dataclass(frozen=True)
class Param:
    """A path, query, header or cookie parameter."""

    name: str
    python_name: str
    location: Literal["path", "query", "header", "cookie"]
    required: bool
    python_type: str
    description: str
    default: str | None = None
    """The spec's default as a Python literal."""
    constraints: tuple[tuple[str, Any], ...] = ()
    """Pydantic/FastAPI constraint keywords: (("ge", 1), ("le", 100))."""


@dataclass(frozen=True)
class Body:
    """A request body: JSON or a form, validated into `model`."""

    kind: Literal["json", "multipart", "form"]
    media_type: str
    model: str
    required: bool
    array_fields: tuple[str, ...] = ()
    """Wire names of form fields that repeat (`image[]`): parsed as lists."""


@dataclass(frozen=True)
class StreamEvent:
    """One event type of a stream: the SSE/JSON `type` value and its model."""

    type: str
    model: str


@dataclass(frozen=True)
class StreamEvents:
    """The events of a `text/event-stream` response, discriminated on `type`."""

    schema: str
    union: str
    events: tuple[StreamEvent, ...]

    @property
    def parser(self) -> str:
        """`parse_image_generation_event`: the streaming module's parser of this stream."""
        return f"parse_{snake_case(self.union.removesuffix('StreamEvent'))}_event"

    @property
    def error_event(self) -> StreamEvent | None:
        """The event that reports an error, if the stream has one (`type: error`)."""
        return next((e for e in self.events if e.type == "error"), None)


@dataclass(frozen=True)
class Response:
    """One status code's answer: JSON, an event stream, both, or nothing."""

    status: str
    description: str
    json_model: str | None
    stream: StreamEvents | None

    @property
    def is_empty(self) -> bool:
        return self.json_model is None and self.stream is None


@dataclass(frozen=True)
class SecurityScheme:
    name: str
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"]
    parameter: str
    description: str


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
    """Every distinct event stream, in operation order."""
    client_error: ErrorShape | None
    """The error model 4xx answers use, as the server fills it."""
    server_error: ErrorShape | None
    """The error model 5xx answers use (the client error's when the spec has none)."""
    spec: SchemaMap
    """The bundled spec, served by the generated server as its OpenAPI document."""


def build_api(spec: LoadedSpec) -> Api:
    """The IR of a loaded spec; raises SpecError for what it cannot express."""
    doc = spec.document
    info = doc.get("info") or {}
    default_security = _security(doc.get("security"))
    inline = _InlineSchemas(set(((doc.get("components") or {}).get("schemas") or {})))
    operations: list[Operation] = []
    by_name: dict[str, Operation] = {}
    for path, item in (doc.get("paths") or {}).items():
        shared_params = item.get("parameters") or []
        for method in HTTP_METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            pointer: Pointer = ("paths", path, method)
            operation = _operation(
                spec,
                inline,
                pointer,
                path,
                method,
                raw,
                shared_params,
                default_security,
            )
            operation = _distinct_name(spec, pointer, operation, by_name)
            by_name[operation.name] = operation
            operations.append(operation)
    all_schemas = _schemas(spec, inline)
    streams = tuple(
        {
            r.stream.schema: r.stream
            for op in operations
            for r in op.responses
            if r.stream
        }.values()
    )
    return Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")).strip(),
        openapi=str(doc.get("openapi", "")),
        servers=tuple(str(s.get("url", "")) for s in doc.get("servers") or []),
        operations=tuple(operations),
        security_schemes=_security_schemes(spec),
        models=_models(spec, inline.schemas, streams),
        streams=streams,
        client_error=_error_shape(operations, all_schemas, "4"),
        server_error=_error_shape(operations, all_schemas, "5")
        or _error_shape(operations, all_schemas, "4"),
        spec=doc,
    )


def _distinct_name(
    spec: LoadedSpec,
    pointer: Pointer,
    operation: Operation,
    taken: dict[str, Operation],
) -> Operation:
    """The operation, renamed after its method and path when its name is taken."""
    first = taken.get(operation.name)
    if first is None:
        return operation
    name = snake_case(f"{operation.method}_{operation.path}")
    while name in taken:
        name += "_" + operation.method
    where = pointer + ("operationId",)
    said = f"{first.method.upper()} {first.path}"
    spec.warn(
        where,
        f"operationId {operation.operation_id!r} is also used by {said}; "
        f"this operation is named {name}",
    )
    spec.diagnostics.renames.append(
        Rename(
            "operation",
            operation.operation_id,
            name,
            str(spec.locate(where)),
            f"{operation.name} is {said}",
        )
    )
    return dataclasses.replace(operation, name=name)


def _error_shape(
    operations: list[Operation], schemas: SchemaMap, status_class: str
) -> ErrorShape | None:
    """The model most of the spec's `status_class`xx (else `default`) responses use."""
    for accept in (lambda s: s.startswith(status_class), lambda s: s == "default"):
        counts: dict[str, int] = {}
        for operation in operations:
            for response in operation.responses:
                if accept(response.status) and response.json_model:
                    counts[response.json_model] = counts.get(response.json_model, 0) + 1
        for model in sorted(counts, key=lambda m: -counts[m]):
            shape = error_shape(model, schemas)
            if shape is not None:
                return shape
    return None


def _models(
    spec: LoadedSpec, inline: SchemaMap, streams: tuple[StreamEvents, ...]
) -> tuple[Model, ...]:
    schemas: SchemaMap = {
        **((spec.document.get("components") or {}).get("schemas") or {}),
        **inline,
    }
    models = []
    for name, schema in schemas.items():
        try:
            split = split_rules(schema)
        except UnsupportedSchema as exc:
            raise spec.locate(("components", "schemas", name) + exc.where).error(
                exc.message
            ) from None
        models.append(
            Model(name, split.schema, tuple(split.rules), _field_names(split.schema))
        )
    by_name = {m.name: m for m in models}
    for stream in streams:
        base = by_name[stream.schema]
        for event in stream.events:
            models.append(
                Model(
                    event.model,
                    _event_schema(base.schema, event.type),
                    (),
                    base.field_names,
                )
            )
    return tuple(models)


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
    """Attribute names for the properties whose wire names are not identifiers."""
    wire_names = list((schema.get("properties") or {}))
    taken = {n for n in wire_names if n.isidentifier() and not keyword.iskeyword(n)}
    renamed = {}
    for wire_name in wire_names:
        if wire_name not in taken:
            renamed[wire_name] = field_name(wire_name, taken)
            taken.add(renamed[wire_name])
    return renamed


class _InlineSchemas:
    """Names for body schemas written inline, after their operation."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.schemas: SchemaMap = {}

    def add(self, name: str, schema: SchemaMap) -> str:
        while name in self.taken:
            name += "Body"
        self.taken.add(name)
        self.schemas[name] = schema
        return name


def _operation(
    spec: LoadedSpec,
    inline: _InlineSchemas,
    pointer: Pointer,
    path: str,
    method: str,
    raw: dict[str, Any],
    shared_params: list[dict[str, Any]],
    default_security: tuple[tuple[str, ...], ...],
) -> Operation:
    operation_id = raw.get("operationId") or f"{method}_{path}"
    stem = pascal_case(operation_id)
    params = _params(spec, pointer, shared_params, raw.get("parameters") or [])
    security = _security(raw["security"]) if "security" in raw else default_security
    body = _body(spec, inline, f"{stem}Request", pointer, raw.get("requestBody"))
    responses = tuple(
        _response(
            spec,
            inline,
            f"{stem}Response",
            pointer + ("responses", str(status)),
            str(status),
            resp,
        )
        for status, resp in (raw.get("responses") or {}).items()
    )
    return Operation(
        operation_id=operation_id,
        name=snake_case(operation_id),
        method=method,
        path=path,
        summary=str(raw.get("summary", "")).strip(),
        description=str(raw.get("description", "")).strip(),
        tags=tuple(raw.get("tags") or ()),
        params=params,
        body=body,
        responses=responses,
        security=security,
        stream_flag=_stream_flag(spec, inline, body, responses),
    )


def _stream_flag(
    spec: LoadedSpec,
    inline: _InlineSchemas,
    body: Body | None,
    responses: tuple[Response, ...],
) -> str | None:
    """`stream` when the body has that boolean and the answer can be JSON or a stream."""
    success = next((r for r in responses if r.status.startswith("2")), None)
    if (
        body is None
        or success is None
        or success.stream is None
        or success.json_model is None
    ):
        return None
    properties, _ = object_properties(
        {"$ref": f"#/components/schemas/{body.model}"}, _schemas(spec, inline)
    )
    flag = properties.get("stream") or {}
    return "stream" if flag.get("type") == "boolean" else None


def _schemas(spec: LoadedSpec, inline: _InlineSchemas) -> SchemaMap:
    return {
        **((spec.document.get("components") or {}).get("schemas") or {}),
        **inline.schemas,
    }


def _params(
    spec: LoadedSpec,
    pointer: Pointer,
    shared: list[dict[str, Any]],
    own: list[dict[str, Any]],
) -> tuple[Param, ...]:
    # Operation-level parameters override path-level ones with the same name and place.
    merged = {(p["name"], p["in"]): p for p in shared}
    merged.update({(p["name"], p["in"]): p for p in own})
    taken: set[str] = set()
    params = []
    for (name, location), raw in merged.items():
        python_name = snake_case(name)
        while python_name in taken:
            python_name += "_"
        taken.add(python_name)
        schema = raw.get("schema") or {}
        params.append(
            Param(
                name=name,
                python_name=python_name,
                location=location,
                required=bool(raw.get("required", location == "path")),
                python_type=python_type(schema),
                description=str(raw.get("description", "")).strip(),
                default=repr(schema["default"]) if "default" in schema else None,
                constraints=_constraints(schema),
            )
        )
    # Required first so they can be positional in generated signatures.
    return tuple(sorted(params, key=lambda p: not p.required))


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


def _constraints(schema: SchemaMap) -> tuple[tuple[str, Any], ...]:
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
        found.append((argument, value))
    return tuple(found)


def _body(
    spec: LoadedSpec,
    inline: _InlineSchemas,
    name: str,
    pointer: Pointer,
    raw: dict[str, Any] | None,
) -> Body | None:
    if not raw:
        return None
    content = raw.get("content") or {}
    for media_type, kind in ((JSON, "json"), (MULTIPART, "multipart"), (FORM, "form")):
        if media_type in content:
            schema = content[media_type].get("schema") or {}
            model = _model_name(inline, name, schema)
            properties, _ = object_properties(
                {"$ref": f"#/components/schemas/{model}"}, _schemas(spec, inline)
            )
            return Body(
                kind=kind,  # type: ignore[arg-type]
                media_type=media_type,
                model=model,
                required=bool(raw.get("required", False)),
                array_fields=tuple(
                    n
                    for n, p in properties.items()
                    if kind != "json" and p.get("type") == "array"
                ),
            )
    media = ", ".join(content) or "none"
    raise spec.locate(pointer + ("requestBody", "content")).error(
        f"unsupported request body media type(s): {media} (json, multipart or form)"
    )


def _response(
    spec: LoadedSpec,
    inline: _InlineSchemas,
    name: str,
    pointer: Pointer,
    status: str,
    raw: dict[str, Any],
) -> Response:
    content = raw.get("content") or {}
    json_model = None
    stream = None
    for media_type, media in content.items():
        schema = media.get("schema") or {}
        where = pointer + ("content", media_type, "schema")
        if media_type == EVENT_STREAM:
            stream = _stream_events(spec, where, schema)
        elif media_type == JSON or media_type.endswith("+json"):
            json_model = _model_name(
                inline, name if status.startswith("2") else f"{name}{status}", schema
            )
    return Response(
        status=status,
        description=str(raw.get("description", "")).strip(),
        json_model=json_model,
        stream=stream,
    )


def _model_name(inline: _InlineSchemas, name: str, schema: SchemaMap) -> str:
    """The component a body refers to, or a new one named `name` for an inline schema."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return ref.rsplit("/", 1)[1]
    return inline.add(name, schema)


def _stream_events(
    spec: LoadedSpec, pointer: Pointer, schema: SchemaMap
) -> StreamEvents:
    ref = schema.get("$ref")
    if not (isinstance(ref, str) and ref.startswith("#/components/schemas/")):
        raise spec.locate(pointer).error(
            "an event-stream schema must be a $ref to a named component"
        )
    name = ref.rsplit("/", 1)[1]
    component = spec.document["components"]["schemas"][name]
    type_values = event_types(component)
    if not type_values:
        raise spec.locate(pointer).error(
            f"event-stream schema {name} needs a `type` property with an enum of event names"
        )
    stem = stream_stem(name)
    return StreamEvents(
        schema=name,
        union=f"{stem}StreamEvent",
        events=tuple(
            StreamEvent(value, event_model_name(stem, value)) for value in type_values
        ),
    )


def event_types(schema: SchemaMap) -> tuple[str, ...]:
    """The enum of a stream schema's `type` property, if it has one."""
    prop = (schema.get("properties") or {}).get("type") or {}
    return tuple(str(v) for v in prop.get("enum") or ())


def stream_stem(schema_name: str) -> str:
    """`ImageGenerationStreamResponse` -> `ImageGeneration`."""
    for suffix in ("StreamResponse", "StreamEvent", "Stream", "Response", "Event"):
        if schema_name.endswith(suffix) and schema_name != suffix:
            return schema_name.removesuffix(suffix)
    return schema_name


def event_model_name(stem: str, type_value: str) -> str:
    """`ImageGeneration` + `image_generation.partial_image` -> `ImageGenerationPartialImageEvent`."""
    return f"{stem}{pascal_case(type_value.rsplit('.', 1)[-1])}Event"


def python_type(schema: SchemaMap) -> str:
    """A type expression for a parameter schema (components by name)."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[1]
    if "enum" in schema:
        return "Literal[" + ", ".join(repr(v) for v in schema["enum"]) + "]"
    types = schema.get("type", "string")
    names = types if isinstance(types, list) else [types]
    scalar = {
        "string": "str",
        "integer": "int",
        "number": "float",
        "boolean": "bool",
        "null": "None",
    }
    parts = []
    for t in names:
        if t == "array":
            parts.append(f"list[{python_type(schema.get('items') or {})}]")
        elif t == "object":
            parts.append("dict[str, Any]")
        else:
            parts.append(scalar.get(t, "Any"))
    if schema.get("nullable") and "None" not in parts:
        parts.append("None")
    return " | ".join(parts)


def _security(raw: Any) -> tuple[tuple[str, ...], ...]:
    """Alternatives (OR) of requirement sets (AND)."""
    return tuple(tuple(req) for req in raw or ())


def _security_schemes(spec: LoadedSpec) -> tuple[SecurityScheme, ...]:
    raw = (spec.document.get("components") or {}).get("securitySchemes") or {}
    schemes = []
    for name, scheme in raw.items():
        where = spec.locate(("components", "securitySchemes", name))
        kind_name = scheme.get("type")
        description = str(scheme.get("description", "")).strip()
        if kind_name == "http" and str(scheme.get("scheme", "")).lower() in (
            "bearer",
            "basic",
        ):
            kind = str(scheme["scheme"]).lower()
            schemes.append(SecurityScheme(name, kind, "header", "Authorization", description))  # type: ignore[arg-type]
        elif kind_name in ("oauth2", "openIdConnect"):
            # Both end up as a bearer token in the Authorization header.
            schemes.append(
                SecurityScheme(name, "bearer", "header", "Authorization", description)
            )
        elif kind_name == "apiKey":
            schemes.append(
                SecurityScheme(
                    name, "api_key", scheme["in"], scheme["name"], description
                )
            )
        else:
            raise where.error(
                f"unsupported security scheme type {kind_name!r} (http bearer/basic or apiKey)"
            )
    return tuple(schemes)
