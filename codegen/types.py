"""The type model: the Python type of every schema position, decided once.

A `PyType` knows its annotation and the names that annotation needs imported,
so views and templates print types and never look at a schema again. It is the
type a *caller* may pass and a handler receives: a `$ref` to an object schema
is the model of that name, a `$ref` to an enum is its `Literal` alias in
models.py (`Size`, see enum_aliases), and a `$ref` to a scalar alias is the
value itself (`str`), which the models validate.

Schemas here are cleaned ones (`SchemaCleaner`): every `$ref` is
`#/components/schemas/<ClassName>` and `schemas` maps class names to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from .enum_aliases import allows_null, literal_values

SchemaMap = dict[str, Any]
TypeKind = Literal[
    "model", "literal", "list", "dict", "union", "scalar", "bytes", "any", "none"
]
Import = tuple[str, str]
"""(module, name): `(".models", "Pet")`, `("datetime", "date")`, `("typing", "Any")`."""

MODELS = ".models"
_COMPONENT_REF = "#/components/schemas/"
_MAX_DEPTH = 16
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_DATETIME_FORMATS = {"date-time": "datetime", "date": "date"}


@dataclass(frozen=True)
class PyType:
    """A Python type: its annotation, what it needs imported, and its parts."""

    kind: TypeKind
    annotation: str
    imports: frozenset[Import] = frozenset()
    args: tuple[PyType, ...] = field(default=(), compare=False)
    """The items of a list, the values of a dict, the options of a union."""

    @property
    def models(self) -> frozenset[str]:
        """The names from models.py the annotation uses: models and enum aliases."""
        return frozenset(name for module, name in self.imports if module == MODELS)

    @property
    def nullable(self) -> bool:
        return self.kind == "none" or any(a.kind == "none" for a in self.args)

    def or_none(self) -> PyType:
        return union([self, NONE])

    def __str__(self) -> str:
        return self.annotation


ANY = PyType("any", "Any", frozenset({("typing", "Any")}))
NONE = PyType("none", "None")
BYTES = PyType("bytes", "bytes")
STR = PyType("scalar", "str")
BOOL = PyType("scalar", "bool")


def scalar(name: str) -> PyType:
    """`str`, `int`, `float`, `bool`, or `date`/`datetime` (imported)."""
    if name in ("date", "datetime"):
        return PyType("scalar", name, frozenset({("datetime", name)}))
    return PyType("scalar", name)


def model_type(name: str) -> PyType:
    return PyType("model", name, frozenset({(MODELS, name)}))


def alias_type(name: str) -> PyType:
    """An enum's `Literal` alias, defined in models.py."""
    return PyType("literal", name, frozenset({(MODELS, name)}))


def literal(values: Iterable[str | int | bool]) -> PyType:
    values = list(dict.fromkeys(values))
    return PyType(
        "literal",
        "Literal[" + ", ".join(repr(v) for v in values) + "]",
        frozenset({("typing", "Literal")}),
    )


def list_of(item: PyType) -> PyType:
    return PyType("list", f"list[{item}]", item.imports, (item,))


def dict_of(value: PyType) -> PyType:
    return PyType("dict", f"dict[str, {value}]", value.imports, (value,))


def union(options: Iterable[PyType]) -> PyType:
    """The union of `options`, flattened, without repeats, `None` last; `Any` absorbs all."""
    flat: dict[str, PyType] = {}
    for option in options:
        for part in option.args if option.kind == "union" else (option,):
            flat.setdefault(part.annotation, part)
    if "Any" in flat:
        return ANY
    if not flat:
        return ANY
    parts = sorted(flat.values(), key=lambda p: p.kind == "none")
    if len(parts) == 1:
        return parts[0]
    imports = frozenset().union(*(p.imports for p in parts))
    return PyType(
        "union", " | ".join(p.annotation for p in parts), imports, tuple(parts)
    )


def type_of(
    schema: Any, schemas: SchemaMap, *, text: bool = False, depth: int = 0
) -> PyType:
    """The type of a value `schema` describes, as a caller passes it.

    `text`: the value travels as text (a parameter, a header): strings stay
    `str` whatever their format, and a schema without a type is a string.
    """
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return ANY
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _referenced(ref.removeprefix(_COMPONENT_REF), schemas, text, depth)
    if "const" in schema:
        return _values([schema["const"]])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        found = _values(schema["enum"])
        return found.or_none() if schema.get("nullable") else found
    for keyword in ("oneOf", "anyOf"):
        options = schema.get(keyword)
        if isinstance(options, list) and options:
            found = union(
                type_of(o, schemas, text=text, depth=depth + 1) for o in options
            )
            return found.or_none() if schema.get("nullable") else found
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
        found = type_of(all_of[0], schemas, text=text, depth=depth + 1)
        return found.or_none() if schema.get("nullable") else found
    declared = schema.get("type")
    names = declared if isinstance(declared, list) else [declared] if declared else []
    if not names:
        return STR if text else ANY
    found = union(_typed(str(n), schema, schemas, text, depth) for n in names)
    return found.or_none() if schema.get("nullable") else found


def _typed(
    name: str, schema: SchemaMap, schemas: SchemaMap, text: bool, depth: int
) -> PyType:
    if name == "null":
        return NONE
    if name == "array":
        items = schema.get("items", {})
        return list_of(type_of(items, schemas, text=text, depth=depth + 1))
    if name == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra and not schema.get("properties"):
            return dict_of(type_of(extra, schemas, text=text, depth=depth + 1))
        return dict_of(ANY)
    if name == "string":
        if text:
            return STR
        if schema.get("format") == "binary" or "contentMediaType" in schema:
            return BYTES
        return scalar(_DATETIME_FORMATS.get(str(schema.get("format")), "str"))
    return scalar(_SCALARS[name]) if name in _SCALARS else ANY


def _referenced(name: str, schemas: SchemaMap, text: bool, depth: int) -> PyType:
    """A component: its model, unless it is only values (an enum, a scalar alias)."""
    target = schemas.get(name)
    if not isinstance(target, dict):
        return ANY
    if _is_model(target):
        return model_type(name)
    if literal_values(target):
        found = alias_type(name)
        return found.or_none() if allows_null(target) else found
    return type_of(target, schemas, text=text, depth=depth + 1)


def scalar_type(schema: Any, schemas: SchemaMap) -> PyType | None:
    """The type of a value that travels as text, when it is one (a scalar or literal)."""
    found = type_of(schema, schemas, text=True)
    parts = found.args if found.kind == "union" else (found,)
    if any(p.kind not in ("scalar", "literal", "none") for p in parts):
        return None
    return None if found.kind == "none" else found


def _is_model(schema: SchemaMap) -> bool:
    """Whether the model generator makes a class with fields of it.

    A union (`oneOf`) or a map (`additionalProperties` only) becomes a root
    model, which a caller fills with the values themselves.
    """
    if schema.get("properties") or schema.get("allOf"):
        return True
    return schema.get("type") == "object" and not (
        isinstance(schema.get("additionalProperties"), dict)
        or schema.get("oneOf")
        or schema.get("anyOf")
    )


def _values(values: list[Any]) -> PyType:
    """`Literal[...]` of the values; `Any` when one cannot be a Literal's (a float, an object)."""
    held = [v for v in values if isinstance(v, (str, int))]  # booleans too
    if len(held) + (None in values) < len(values):
        return ANY
    parts = [literal(held)] if held else []
    return union([*parts, NONE] if None in values else parts)
