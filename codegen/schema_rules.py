"""Cross-field rules that JSON Schema states and Pydantic field types cannot.

datamodel-code-generator drops `if`/`then`/`else` and `anyOf` lists of required
sets silently. `split_rules` takes them out of a component schema, returning a
plain schema for the model generator and rules for the model's validators.

Supported shapes (anything else is reported in `SplitSchema.unsupported`, and
left out of the model: it is not enforced):
- `if: {properties: {P: {const: V}}, required: [P]}` with `then`/`else` made of
  `required: [...]` and `properties: {Q: {const: V} | {enum: [...]}}`;
- `anyOf`/`oneOf` whose every item is only `{required: [...]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .spec.data_copy import copy_data

_ANNOTATIONS = frozenset({"description", "title", "$comment"})


class UnsupportedSchema(Exception):
    """A construct we cannot enforce; `where` is a pointer below the schema."""

    def __init__(self, where: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(frozen=True)
class Allowed:
    """Property `name`, when present, must be one of `values`."""

    name: str
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Constraint:
    required: tuple[str, ...] = ()
    allowed: tuple[Allowed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.required or self.allowed)

    @property
    def names(self) -> tuple[str, ...]:
        return self.required + tuple(a.name for a in self.allowed)


@dataclass(frozen=True)
class Conditional:
    """`if` every (name, value) of `when` holds, `then` applies, else `otherwise`."""

    when: tuple[tuple[str, Any], ...]
    then: Constraint
    otherwise: Constraint
    description: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The properties the rule reads."""
        tested = tuple(name for name, _ in self.when)
        return tested + self.then.names + self.otherwise.names


@dataclass(frozen=True)
class RequiredAlternatives:
    """At least one (`exactly`: exactly one) of the property sets is present."""

    sets: tuple[tuple[str, ...], ...]
    exactly: bool

    @property
    def names(self) -> tuple[str, ...]:
        """The properties the rule reads."""
        return tuple(name for fields in self.sets for name in fields)


Rule = Conditional | RequiredAlternatives


@dataclass
class SplitSchema:
    schema: dict[str, Any]
    rules: list[Rule] = field(default_factory=list)
    unsupported: list[UnsupportedSchema] = field(default_factory=list)
    """The rules that were taken out but cannot be enforced."""


def split_rules(schema: dict[str, Any]) -> SplitSchema:
    """Remove the cross-field rules from `schema` (a copy) and return both."""
    result = SplitSchema(copy_data(schema))
    _take_rules(result.schema, result, ())
    all_of = result.schema.get("allOf")
    if isinstance(all_of, list):
        for index, part in enumerate(all_of):
            if isinstance(part, dict) and "$ref" not in part:
                _take_rules(part, result, ("allOf", index))
        result.schema["allOf"] = [p for p in all_of if p]
        _merge_inline_all_of(result.schema)
    return result


def _take_rules(
    schema: dict[str, Any], result: SplitSchema, where: tuple[str | int, ...]
) -> None:
    rules = result.rules
    if "if" in schema:
        try:
            rules.append(_conditional(schema, where))
        except UnsupportedSchema as problem:
            result.unsupported.append(problem)
        for key in ("if", "then", "else"):
            schema.pop(key, None)
        if set(schema) <= _ANNOTATIONS:
            schema.clear()
    for keyword in ("anyOf", "oneOf"):
        options = schema.get(keyword)
        if (
            isinstance(options, list)
            and options
            and all(_only_required(o) for o in options)
        ):
            sets = tuple(tuple(o["required"]) for o in options)
            rules.append(RequiredAlternatives(sets, exactly=keyword == "oneOf"))
            del schema[keyword]


def _only_required(option: Any) -> bool:
    return (
        isinstance(option, dict)
        and "required" in option
        and set(option) <= {"required"} | _ANNOTATIONS
    )


def _conditional(schema: dict[str, Any], where: tuple[str | int, ...]) -> Conditional:
    condition = schema["if"]
    if (
        not isinstance(condition, dict)
        or set(condition) - {"properties", "required"} - _ANNOTATIONS
    ):
        raise UnsupportedSchema(
            where + ("if",), "`if` may only test properties with `const`"
        )
    when = []
    for name, test in (condition.get("properties") or {}).items():
        if not isinstance(test, dict) or "const" not in test:
            raise UnsupportedSchema(
                where + ("if", "properties", name),
                "`if` may only test properties with `const`",
            )
        when.append((name, test["const"]))
    if not when:
        raise UnsupportedSchema(where + ("if",), "`if` tests no property")
    return Conditional(
        when=tuple(when),
        then=_constraint(schema.get("then"), where + ("then",)),
        otherwise=_constraint(schema.get("else"), where + ("else",)),
        # A conditional in its own allOf item may say what it is for.
        description=str(schema.get("description", "")).strip() if where else "",
    )


def _constraint(raw: Any, where: tuple[str | int, ...]) -> Constraint:
    if raw is None:
        return Constraint()
    if (
        not isinstance(raw, dict)
        or set(raw) - {"required", "properties"} - _ANNOTATIONS
    ):
        raise UnsupportedSchema(
            where,
            "`then`/`else` may only use `required` and `properties` with `const`/`enum`",
        )
    allowed = []
    for name, test in (raw.get("properties") or {}).items():
        if isinstance(test, dict) and "const" in test:
            allowed.append(Allowed(name, (test["const"],)))
        elif isinstance(test, dict) and isinstance(test.get("enum"), list):
            allowed.append(Allowed(name, tuple(test["enum"])))
        else:
            raise UnsupportedSchema(
                where + ("properties", name),
                "only `const` or `enum` can restrict a property here",
            )
    return Constraint(required=tuple(raw.get("required") or ()), allowed=tuple(allowed))


def _merge_inline_all_of(schema: dict[str, Any]) -> None:
    """`allOf` of inline object schemas only -> one object schema."""
    parts = schema.get("allOf") or []
    if not parts or any(
        "$ref" in p
        or set(p)
        - {
            "type",
            "properties",
            "required",
            "description",
            "title",
            "additionalProperties",
        }
        for p in parts
    ):
        return
    del schema["allOf"]
    properties = schema.setdefault("properties", {})
    required = list(schema.get("required") or [])
    for part in parts:
        properties.update(part.get("properties") or {})
        required += [r for r in part.get("required") or [] if r not in required]
        schema.setdefault("type", part.get("type", "object"))
        if "additionalProperties" in part:
            schema["additionalProperties"] = part["additionalProperties"]
        if "description" in part and "description" not in schema:
            schema["description"] = part["description"]
    if required:
        schema["required"] = required
