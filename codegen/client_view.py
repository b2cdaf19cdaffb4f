"""What the client template prints, worked out from the IR.

Each operation becomes keyword arguments (one per body property, one per
parameter), the code that turns them into a request, and the types of what
comes back. A body with both `X` (one file) and `X[]` (several) gets a single
argument `X` that takes one file or a list, sent under the matching wire name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .error_shape import object_properties, resolve
from .ir import Api, Operation
from .naming import snake_case

SchemaMap = dict[str, Any]

_SCALARS = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
_PATH_PARAM = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class Argument:
    """One keyword argument of a client method."""

    python_name: str
    annotation: str
    """The type, with `| NotGiven = NOT_GIVEN` for an optional one."""
    doc: str


@dataclass(frozen=True)
class FilePart:
    """A file argument: one file goes out as `single`, a list as `many`."""

    python_name: str
    single: str | None
    many: str | None


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
    headers: tuple[tuple[str, str], ...]
    body_kind: str | None
    """json | form | model (a whole non-object body) | None."""
    body_model: str | None
    body_fields: tuple[tuple[str, str], ...]
    """(wire name, python name) of the body's non-file properties."""
    files: tuple[FilePart, ...]
    security: str
    returns: str
    """What the method returns for a JSON (or empty) answer."""
    stream_union: str | None
    stream_parser: str | None
    always_streams: bool
    error_models: str
    """`{400: BifrostError, ...}` source: the error body per status code."""

    @property
    def required_arguments(self) -> list[str]:
        return [
            a.python_name for a in self.arguments if "NOT_GIVEN" not in a.annotation
        ]


def client_context(api: Api) -> dict[str, Any]:
    schemas: SchemaMap = {m.name: m.schema for m in api.models}
    fields = {m.name: m.field_names for m in api.models}
    operations = [_operation(api, op, schemas, fields) for op in api.operations]
    imports: set[str] = set()
    for op in operations:
        if op.body_model:
            imports.add(op.body_model)
        imports.update(
            re.findall(
                r"\b[A-Z]\w*",
                " ".join(a.annotation for a in op.arguments)
                + " "
                + op.returns
                + " "
                + op.error_models,
            )
        )
    model_names = {m.name for m in api.models}
    error_models = sorted(
        {
            m
            for op in api.operations
            for r in op.responses
            if not r.status.startswith("2") and r.json_model
            for m in [r.json_model]
        }
        | ({api.client_error.model} if api.client_error else set())
    )
    imports.update(error_models)
    return {
        "client_operations": operations,
        "client_imports": sorted(imports & model_names),
        "stream_parsers": sorted(
            {(o.stream_union, o.stream_parser) for o in operations if o.stream_union}
        ),
        "error_model": api.client_error.model if api.client_error else None,
        "error_body_type": " | ".join(error_models) if error_models else "BaseModel",
        "needs_datetime": any(
            "datetime" in a.annotation for op in operations for a in op.arguments
        ),
        "has_files": any(op.files for op in operations),
        "has_streams": bool(api.streams),
        "default_base_url": api.servers[0] if api.servers else "http://localhost:8080",
        "schemes": [
            {
                "name": s.name,
                "argument": snake_case(s.name),
                "kind": s.kind,
                "location": s.location,
                "parameter": s.parameter,
            }
            for s in api.security_schemes
        ],
    }


def _operation(
    api: Api, op: Operation, schemas: SchemaMap, fields: dict[str, dict[str, str]]
) -> ClientOperation:
    arguments: list[Argument] = []
    files: list[FilePart] = []
    body_fields: list[tuple[str, str]] = []
    body_kind = None
    if op.body:
        properties, required = object_properties(
            {"$ref": f"#/components/schemas/{op.body.model}"}, schemas
        )
        names = fields.get(op.body.model, {})
        if not properties:
            body_kind = "model"
            arguments.append(Argument("body", op.body.model, "The request body."))
        else:
            body_kind = "json" if op.body.kind == "json" else "form"
            required_sets = _required_sets(schemas.get(op.body.model, {}))
            taken: set[str] = set()
            for wire, prop in properties.items():
                python = names.get(wire, wire)
                binary = _binary_kind(prop, schemas)
                if binary and body_kind == "form":
                    part = _file_part(wire, binary, properties, names)
                    if part is None or part.python_name in taken:
                        continue  # the other half of an `X`/`X[]` pair, already added
                    taken.add(part.python_name)
                    files.append(part)
                    wires = {w for w in (part.single, part.many) if w}
                    needed = any(wires & set(group) for group in required_sets) or bool(
                        wires & set(required)
                    )
                    many = (
                        "FileInput | list[FileInput]"
                        if part.single and part.many
                        else ("list[FileInput]" if part.many else "FileInput")
                    )
                    arguments.append(_argument(part.python_name, many, needed, prop))
                    continue
                if op.stream_flag and wire == op.stream_flag:
                    continue  # the `stream` argument is added with its overloads
                taken.add(python)
                body_fields.append((wire, python))
                arguments.append(
                    _argument(python, _type(prop, schemas), wire in required, prop)
                )
    for param in op.params:
        python = (
            param.python_name
            if param.python_name not in {a.python_name for a in arguments}
            else f"{param.python_name}_{param.location}"
        )
        annotation = _param_type(param.python_type, param.required)
        doc = param.description
        arguments.append(Argument(python, annotation, doc))
    # Required arguments first: the signature reads in order of importance.
    arguments.sort(key=lambda a: "NOT_GIVEN" in a.annotation)
    success = op.success
    stream = op.stream
    returns = success.json_model if success and success.json_model else "None"
    path_names = {p.name: p for p in op.params if p.location == "path"}
    path_expression = (
        'f"'
        + _PATH_PARAM.sub(
            lambda m: (
                "{_path(" + path_names[m.group(1)].python_name + ")}"
                if m.group(1) in path_names
                else m.group(0)
            ),
            op.path,
        )
        + '"'
    )
    if "{" not in path_expression:
        path_expression = path_expression[1:]
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
            if op.stream_flag and success and success.json_model
            else None
        ),
        path_expression=path_expression,
        query=tuple(
            (p.name, p.python_name) for p in op.params if p.location == "query"
        ),
        headers=tuple(
            (p.name, p.python_name) for p in op.params if p.location == "header"
        ),
        body_kind=body_kind,
        body_model=op.body.model if op.body else None,
        body_fields=tuple(body_fields),
        files=tuple(files),
        security=repr(op.security),
        returns=returns,
        stream_union=stream.union if stream else None,
        stream_parser=stream.parser if stream else None,
        always_streams=bool(stream and not (success and success.json_model)),
        error_models="{"
        + ", ".join(f"{_status_key(s)}: {m}" for s, m in error_models.items())
        + "}",
    )


def _status_key(status: str) -> str:
    return status if status.isdigit() else repr(status)


def _argument(
    python: str, annotation: str, required: bool, prop: SchemaMap
) -> Argument:
    doc = str(prop.get("description", "")).strip()
    if required:
        return Argument(python, annotation, doc)
    return Argument(python, f"{annotation} | NotGiven = NOT_GIVEN", doc)


def _param_type(python_type: str, required: bool) -> str:
    return python_type if required else f"{python_type} | NotGiven = NOT_GIVEN"


def _required_sets(schema: SchemaMap) -> list[list[str]]:
    """`anyOf: [{required: [image]}, {required: [image[]]}]` -> [["image"], ["image[]"]]."""
    return [
        list(o.get("required") or [])
        for o in schema.get("anyOf") or schema.get("oneOf") or []
        if isinstance(o, dict)
    ]


def _binary_kind(prop: SchemaMap, schemas: SchemaMap) -> str | None:
    prop = resolve(prop, schemas)
    if _is_binary(prop):
        return "single"
    if prop.get("type") == "array" and _is_binary(
        resolve(prop.get("items") or {}, schemas)
    ):
        return "many"
    return None


def _is_binary(schema: SchemaMap) -> bool:
    return schema.get("type") == "string" and (
        schema.get("format") == "binary" or "contentMediaType" in schema
    )


def _file_part(
    wire: str, kind: str, properties: SchemaMap, names: dict[str, str]
) -> FilePart | None:
    if kind == "single":
        many = f"{wire}[]" if f"{wire}[]" in properties else None
        return FilePart(names.get(wire, wire), wire, many)
    single = wire.removesuffix("[]")
    if wire.endswith("[]") and single in properties:
        return None  # folded into the single-file argument
    return FilePart(names.get(wire, wire), None, wire)


def _type(schema: SchemaMap, schemas: SchemaMap) -> str:
    """An annotation that accepts what the model's field validates."""
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = resolve(schema, schemas)
        if target.get("enum") and not target.get("properties"):
            return _literal(target["enum"])
        return ref.rsplit("/", 1)[1]
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return " | ".join(
                dict.fromkeys(_type(option, schemas) for option in schema[keyword])
            )
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _type(schema["allOf"][0], schemas)
    if "const" in schema:
        return _literal([schema["const"]])
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return _literal(values) + (" | None" if None in schema["enum"] else "")
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    parts = []
    for name in types:
        if name == "array":
            parts.append(f"list[{_type(schema.get('items') or {}, schemas)}]")
        elif name == "object":
            parts.append("dict[str, Any]")
        elif name == "string" and schema.get("format") == "date-time":
            parts.append("datetime")
        else:
            parts.append(_SCALARS.get(name, "Any"))
    if schema.get("nullable") and "None" not in parts:
        parts.append("None")
    return " | ".join(parts) or "Any"


def _literal(values: list[Any]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"
