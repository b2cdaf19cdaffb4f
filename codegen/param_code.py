"""The code that writes (client) and reads (server) a styled parameter.

Scalars and `a=1&a=2` lists go through httpx and FastAPI as they are; every
other form (delimited lists, objects, label/matrix paths, comma-separated
headers, JSON-encoded `content`) is written by a client helper and parsed by a
server helper named here, so the templates only lay the expressions out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .ir import Operation, Param
from .params import DELIMITERS

_RAW = {
    "query": "request.query_params.get({name})",
    "header": "request.headers.get({name})",
    "cookie": "request.cookies.get({name})",
}


# -- client ------------------------------------------------------------------------


def client_value(param: Param, argument: str) -> str:
    """The value a query, header or cookie entry sends for `argument`.

    An exploded object in the query is not one value: see `client_spread`.
    """
    wire = param.wire
    if wire.content is not None:
        return f'_encoded({argument}, "json", False)'
    if param.native or wire.shape == "scalar":
        return argument
    return f"_encoded({argument}, {_quoted(wire.style)}, {wire.explode})"


def client_spread(param: Param) -> bool:
    """Whether the parameter is several query keys: `f[name]=x` or `name=x&age=3`."""
    wire = param.wire
    return (
        param.location == "query"
        and wire.content is None
        and wire.shape == "object"
        and wire.explode
    )


def client_spread_expression(param: Param, argument: str) -> str:
    deep = param.wire.style == "deepObject"
    return f"**_object_pairs({_quoted(param.name)}, {argument}, deep={deep})"


def client_path(param: Param, argument: str) -> str:
    """The f-string part that writes a path parameter."""
    wire = param.wire
    # Inside the path's double-quoted f-string: single quotes (Python < 3.12).
    if wire.content is not None:
        return f"_path(_encoded({argument}, 'json', False))"
    if wire.style == "simple" and wire.shape == "scalar":
        return f"_path({argument})"
    return f"_styled_path({param.name!r}, {argument}, {wire.style!r}, {wire.explode})"


def client_helpers(operations: tuple[Operation, ...]) -> list[str]:
    """The client module's encoding helpers the operations need."""
    needed: set[str] = set()
    for op in operations:
        for param in op.params:
            if client_spread(param):
                needed.add("object_pairs")
            elif param.location == "path" and param.wire.content is not None:
                needed.add("encoded")
            elif param.location == "path" and not param.native:
                needed.add("styled_path")
            elif not param.native and param.location != "path":
                needed.add("encoded")
            if param.location == "cookie":
                needed.add("cookies")
    return sorted(needed)


# -- server ------------------------------------------------------------------------


def server_statement(param: Param, op: Operation, handler_type: str) -> str:
    """The endpoint statement that parses one parameter FastAPI does not parse."""
    where = f"{param.location} parameter {param.name!r}"
    options = []
    if param.required:
        options.append("required=True")
    elif param.default is not None:
        options.append(f"default={param.default}")
    if param.wire.content is not None:
        options.append("encoded=True")
    arguments = ", ".join(
        [server_type(param), _raw_expression(param, op), _quoted(where), *options]
    )
    return f"{param.python_name}: {handler_type} = _param({arguments})"


def server_type(param: Param, annotation: str | None = None) -> str:
    """The type the server validates the parameter into: with int/bool enums read from text first."""
    annotation = annotation or param.python_type
    if param.text_literal is None:
        return annotation
    return f"Annotated[{annotation}, BeforeValidator(_{param.text_literal}_text)]"


def server_helpers(operations: tuple[Operation, ...]) -> list[str]:
    """The server module's parsing helpers the operations need."""
    needed: set[str] = set()
    for op in operations:
        for param in op.params:
            if param.text_literal is not None:
                needed.add(f"{param.text_literal}_text")
            if param.native:
                continue
            needed.add("param")
            wire = param.wire
            if wire.content is not None:
                continue
            if param.location == "path":
                needed.update({"path_value", "split_value"})
            elif wire.style == "deepObject":
                needed.add("deep_object")
            elif param.location == "query" and wire.shape == "object" and wire.explode:
                needed.add("form_object")
            else:
                needed.add("split_value")
    return sorted(needed)


def _raw_expression(param: Param, op: Operation) -> str:
    """What the request holds for the parameter: a string, a list or a dict of them."""
    wire = param.wire
    name = _quoted(param.name)
    if param.location == "path":
        raw = f"request.path_params[{_quoted(param.python_name)}]"
        if wire.content is not None:
            return raw
        return (
            f"_path_value({raw}, {name}, {_quoted(wire.style)}, "
            f"{_quoted(wire.shape)}, {wire.explode})"
        )
    raw = _RAW[param.location].format(name=name)
    if wire.content is not None or wire.shape == "scalar":
        return raw
    if wire.style == "deepObject":
        return f"_deep_object(request.query_params, {name})"
    if param.location == "query" and wire.shape == "object" and wire.explode:
        if param.fields:
            return f"_form_object(request.query_params, fields={_set(param.fields)})"
        # A free-form object owns every query key the operation's other parameters do not.
        others = sorted(
            p.name for p in op.params if p.location == "query" and p is not param
        )
        return f"_form_object(request.query_params, taken={_set(others)})"
    delimiter = DELIMITERS[wire.style]
    explode = wire.explode and param.location == "header"
    return (
        f"_split_value({raw}, {_quoted(delimiter)}, {_quoted(wire.shape)}, {explode})"
    )


def _quoted(text: str) -> str:
    """`text` as a double-quoted Python string literal."""
    return json.dumps(text)


def _set(names: Iterable[str]) -> str:
    """A `frozenset` of strings as Python source."""
    listed = ", ".join(_quoted(n) for n in names)
    return f"frozenset({{{listed}}})" if listed else "frozenset()"
