"""Values for a schema: the spec's own examples when they are valid, else synthesised ones.

`Synthesiser(schemas)` works over one world of named schemas (`#/components/
schemas/<Name>` refs, as the IR writes them). `value(schema)` builds a value
that validates against `schema`: deterministic (no randomness, no clock),
formats and bounds respected, recursion cut short by taking only what is
required once a schema repeats. `choose(schema, examples)` prefers the first
example that validates: published specs often carry examples that do not, and
those are skipped.

Validity is checked with jsonschema-rs (Draft 2020-12, formats on) against the
schema with OpenAPI 3.0's `nullable` read as a `null` alternative.
"""

from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

import jsonschema_rs

from .schema_rules import Conditional, RequiredAlternatives, Rule

SchemaMap = dict[str, Any]
COMPONENT_REF = "#/components/schemas/"

MAX_DEPTH = 6
"""Past this nesting, objects take only their required properties, arrays their minimum."""
OPTIONAL_DEPTH = 3
"""Optional properties are filled in down to this depth (answers read better with them)."""
CACHED_VALIDATORS = 128
"""Compiled validators kept for reuse (OpenAI's spec: 2,800 compiled instead of 1,900, 180 MiB less)."""

# A valid value of each string format JSON Schema or OpenAPI names.
FORMAT_VALUES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00Z",
    "duration": "P1D",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "iri-reference": "https://example.com/",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/a",
    "relative-json-pointer": "0",
    "regex": "^a$",
    "byte": "bWVyY2k=",
    "binary": "binary",
    "password": "password",
}
_TEXT = "string"


class Synthesiser:
    """Values and example choice over one world of named schemas."""

    def __init__(
        self,
        schemas: Mapping[str, SchemaMap],
        rules: Mapping[str, Iterable[Rule]] | None = None,
    ) -> None:
        """`schemas` by name; `rules`: cross-field rules taken out of some of them."""
        self.schemas = {
            name: _with_rules(schema, list((rules or {}).get(name, ())))
            for name, schema in schemas.items()
        }
        self._validation_world: dict[str, Any] = {}
        # The most recently used validators only: each holds its schema's whole
        # reference graph compiled, and keeping them all cost OpenAI's spec 226 MiB.
        self._validators: OrderedDict[str, Any] = OrderedDict()

    # -- validity ----------------------------------------------------------------

    def validates(self, schema: Any, value: Any) -> bool:
        """Whether `value` is valid against `schema` (refs into this world)."""
        validator = self._validator(schema)
        if validator is False:
            return False
        try:
            return bool(validator.is_valid(value))
        except (ValueError, OverflowError):
            return False

    def error(self, schema: Any, value: Any) -> str | None:
        """Why `value` is not valid against `schema` (None when it is): the first error and where."""
        validator = self._validator(schema)
        if validator is False:
            return "the schema cannot be compiled"
        try:
            for error in validator.iter_errors(value):
                where = "/" + "/".join(str(p) for p in error.instance_path)
                return f"{where}: {error.message}"
        except (ValueError, OverflowError) as exc:
            return str(exc)
        return None

    def _validator(self, schema: Any) -> Any:
        key = json.dumps(schema, sort_keys=True, default=str)
        validator = self._validators.get(key)
        if validator is not None:
            self._validators.move_to_end(key)
        else:
            root = json_schema(schema)
            if not isinstance(root, dict):
                root = {"allOf": [root]}
            root = {
                **root,
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "components": {"schemas": self._referenced(schema)},
            }
            try:
                validator = jsonschema_rs.validator_for(root, validate_formats=True)
            except (ValueError, jsonschema_rs.ValidationError):
                validator = False  # a schema jsonschema-rs cannot compile
            self._validators[key] = validator
            if len(self._validators) > CACHED_VALIDATORS:
                self._validators.popitem(last=False)
        return validator

    def _referenced(self, schema: Any) -> dict[str, Any]:
        """The validation schemas `schema` reaches through refs (the world would be slow)."""
        found: dict[str, Any] = {}
        pending = [schema]
        while pending:
            for name in _refs(pending.pop()):
                if name not in found and name in self.schemas:
                    if name not in self._validation_world:
                        self._validation_world[name] = json_schema(self.schemas[name])
                    found[name] = self._validation_world[name]
                    pending.append(self.schemas[name])
        return found

    # -- example choice ----------------------------------------------------------

    def choose(self, schema: Any, examples: Iterable[Any]) -> Any:
        """The first of `examples` valid against `schema`, else a synthesised value."""
        for example in examples:
            if self.validates(schema, example):
                return example
        return self.value(schema)

    def examples_of(self, schema: Any) -> list[Any]:
        """The examples a schema (or the component it refers to) carries itself."""
        found = []
        seen: set[str] = set()
        while isinstance(schema, dict):
            if "example" in schema:
                found.append(schema["example"])
            if isinstance(schema.get("examples"), list):
                found.extend(schema["examples"])
            name = _ref_name(schema)
            if name is None or name in seen:
                break
            seen.add(name)
            schema = self.schemas.get(name)
        return found

    # -- synthesis ---------------------------------------------------------------

    def value(self, schema: Any) -> Any:
        """A value valid against `schema` (as far as one can be built), the same every run."""
        candidates = _unique(self._candidates(schema, 0, ()))
        first = _NOTHING
        for candidate in _take(candidates, 12):
            if first is _NOTHING:
                first = candidate
            if self.validates(schema, candidate):
                return candidate
        return None if first is _NOTHING else first

    def _candidates(
        self, schema: Any, depth: int, stack: tuple[str, ...]
    ) -> Iterator[Any]:
        """Values for `schema`, the likeliest valid first."""
        if depth > 2 * MAX_DEPTH:
            # Only a cycle of required properties gets here: no finite value but null.
            yield None
            return
        if schema is True or not isinstance(schema, dict):
            yield _TEXT
            return
        name = _ref_name(schema)
        if name is not None:
            target = self.schemas.get(name)
            if target is None:
                yield _TEXT
                return
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            merged = _merge([target, siblings]) if _constraining(siblings) else target
            yield from self._candidates(merged, depth, stack + (name,))
            return
        if "const" in schema:
            yield schema["const"]
            return
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [v for v in schema["enum"] if v is not None] or [None]
            yield from values
            return
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            parts = [self._resolved(p, stack) for p in schema["allOf"]]
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            yield from self._candidates(_merge([*parts, rest]), depth, stack)
            return
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if isinstance(options, list) and options:
                rest = {
                    k: v
                    for k, v in schema.items()
                    if k not in (keyword, "discriminator")
                }
                for option in _simple_first(options, stack):
                    base = _merge([self._resolved(option, stack), rest])
                    for value in _take(
                        _unique(self._candidates(base, depth, stack)), 2
                    ):
                        yield _discriminated(value, schema.get("discriminator"), option)
                return
        kind = _kind(schema)
        if kind == "null":
            yield None
        elif kind == "boolean":
            yield False
            yield True
        elif kind == "integer":
            yield from _integers(schema)
        elif kind == "number":
            yield from _numbers(schema)
        elif kind == "string":
            yield from _strings(schema)
        elif kind == "array":
            yield from self._arrays(schema, depth, stack)
        elif kind == "object":
            yield from self._objects(schema, depth, stack)
        else:
            yield _TEXT

    def _resolved(self, schema: Any, stack: tuple[str, ...]) -> Any:
        """`schema`, or the schema it refers to when that is not already being built."""
        name = _ref_name(schema) if isinstance(schema, dict) else None
        if name is not None and name in self.schemas and stack.count(name) < 2:
            return self.schemas[name]
        return schema

    def _arrays(
        self, schema: SchemaMap, depth: int, stack: tuple[str, ...]
    ) -> Iterator[list[Any]]:
        low = _count(schema.get("minItems"), 0)
        high = _count(schema.get("maxItems"), None)
        prefix = schema.get("prefixItems")
        prefix = prefix if isinstance(prefix, list) else []
        items = schema.get("items", {})
        wanted = low if depth >= MAX_DEPTH or _recursive(items, stack) else max(low, 1)
        if high is not None:
            wanted = min(wanted, high)
        wanted = max(wanted, len(prefix) if high is None else min(len(prefix), high))
        values = [
            self._first(prefix[i] if i < len(prefix) else items, depth + 1, stack)
            for i in range(wanted)
        ]
        if schema.get("uniqueItems") and len(values) > 1:
            values = _distinct(
                values, list(_take(self._candidates(items, depth + 1, stack), wanted))
            )
        yield values
        if wanted > low:
            yield [values[i] for i in range(low)]

    def _objects(
        self, schema: SchemaMap, depth: int, stack: tuple[str, ...]
    ) -> Iterator[dict[str, Any]]:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        required = [r for r in schema.get("required") or [] if isinstance(r, str)]
        full: dict[str, Any] = {}
        for key in required:
            full[key] = self._first(properties.get(key, {}), depth + 1, stack)
        minimal = dict(full)
        if depth < OPTIONAL_DEPTH:
            for key, prop in properties.items():
                if (
                    key not in full
                    and not _recursive(prop, stack)
                    and not _hidden(prop)
                ):
                    full[key] = self._first(prop, depth + 1, stack)
        extra = schema.get("additionalProperties")
        minimum = _count(schema.get("minProperties"), 0)
        if isinstance(extra, dict) and not properties and depth < MAX_DEPTH:
            full["key"] = self._first(extra, depth + 1, stack)
        index = 0
        while len(full) < minimum and extra is not False:
            full[f"key{index}"] = self._first(
                extra if isinstance(extra, dict) else {}, depth + 1, stack
            )
            index += 1
        yield full
        yield minimal
        if extra is not False and "extra" not in properties:
            # An object only an open schema accepts: tells `oneOf` options apart.
            yield {**minimal, "extra": _TEXT}

    def _first(self, schema: Any, depth: int, stack: tuple[str, ...]) -> Any:
        """The first valid candidate of a nested schema (the first one if none is)."""
        first = _NOTHING
        for candidate in _take(_unique(self._candidates(schema, depth, stack)), 8):
            if first is _NOTHING:
                first = candidate
            if self.validates(schema, candidate):
                return candidate
        return None if first is _NOTHING else first


_NOTHING: Any = object()


def _take(values: Iterator[Any], count: int) -> Iterator[Any]:
    for index, value in enumerate(values):
        if index >= count:
            return
        yield value


def _unique(values: Iterator[Any]) -> Iterator[Any]:
    """`values` without repeats (compared as JSON)."""
    seen: set[str] = set()
    for value in values:
        key = json.dumps(value, sort_keys=True, default=str)
        if key not in seen:
            seen.add(key)
            yield value


def _ref_name(schema: SchemaMap) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_REF):
        return ref.removeprefix(COMPONENT_REF)
    return None


def _refs(node: Any) -> Iterator[str]:
    """The names of the components `node` refers to, anywhere inside it."""
    if isinstance(node, dict):
        for key, value in node.items():
            if (
                key == "$ref"
                and isinstance(value, str)
                and value.startswith(COMPONENT_REF)
            ):
                yield value.removeprefix(COMPONENT_REF)
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _has_ref(schema: Any) -> bool:
    return next(_refs(schema), None) is not None


def _recursive(schema: Any, stack: tuple[str, ...]) -> bool:
    """Whether `schema` refers to a component already being built (a cycle)."""
    return any(name in stack for name in _refs(schema))


def _hidden(prop: Any) -> bool:
    """Deprecated properties are left out of answers a reader would copy."""
    return isinstance(prop, dict) and prop.get("deprecated") is True


def _constraining(siblings: SchemaMap) -> bool:
    annotations = {"description", "title", "example", "examples", "deprecated"}
    return any(key not in annotations for key in siblings)


def _simple_first(options: list[Any], stack: tuple[str, ...]) -> list[Any]:
    """Options that do not lead back into a schema being built, first."""
    return sorted(options, key=lambda o: _recursive(o, stack))


def _kind(schema: SchemaMap) -> str | None:
    declared = schema.get("type")
    if isinstance(declared, list):
        real = [t for t in declared if t != "null"]
        declared = real[0] if real else "null"
    if isinstance(declared, str):
        return declared
    if (
        "properties" in schema
        or "additionalProperties" in schema
        or "required" in schema
    ):
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if any(
        k in schema
        for k in (
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        )
    ):
        return "number"
    if any(k in schema for k in ("format", "pattern", "minLength", "maxLength")):
        return "string"
    return None


def _merge(parts: list[Any]) -> SchemaMap:
    """One schema with every part's properties and requirements (allOf, a ref's siblings)."""
    merged: SchemaMap = {}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in parts:
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key == "properties" and isinstance(value, dict):
                for name, prop in value.items():
                    properties[name] = (
                        _merge([properties[name], prop])
                        if name in properties
                        and isinstance(prop, dict)
                        and isinstance(properties[name], dict)
                        and not _ref_name(prop)
                        else prop
                    )
            elif key == "required" and isinstance(value, list):
                required.extend(r for r in value if r not in required)
            elif key in ("description", "title", "example", "examples"):
                continue
            elif key == "allOf" and "allOf" in merged:
                merged["allOf"] = [*merged["allOf"], *value]
            else:
                merged[key] = value
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def _discriminated(value: Any, discriminator: Any, option: Any) -> Any:
    """`value` with the discriminator property naming `option` (its mapping key, else its name)."""
    if not isinstance(discriminator, dict) or not isinstance(value, dict):
        return value
    prop = discriminator.get("propertyName")
    name = _ref_name(option) if isinstance(option, dict) else None
    if not isinstance(prop, str) or name is None:
        return value
    mapping = discriminator.get("mapping") or {}
    keys = [
        k for k, target in mapping.items() if str(target).rsplit("/", 1)[-1] == name
    ]
    if prop in value and not keys:
        return value  # the option's own schema fixed it (a const or enum)
    return {**value, prop: keys[0] if keys else name}


def _count(value: Any, default: int | None) -> Any:
    return (
        value
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else default
    )


def _number(value: Any) -> float | None:
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    ):
        return value
    return None


def _bounds(
    schema: SchemaMap,
) -> tuple[float | None, float | None, float | None, float | None]:
    """minimum, exclusiveMinimum, maximum, exclusiveMaximum (3.1's numeric forms)."""
    return (
        _number(schema.get("minimum")),
        _number(schema.get("exclusiveMinimum")),
        _number(schema.get("maximum")),
        _number(schema.get("exclusiveMaximum")),
    )


def _integers(schema: SchemaMap) -> Iterator[int]:
    low, low_open, high, high_open = _bounds(schema)
    step = _number(schema.get("multipleOf"))
    lows = ([math.ceil(low)] if low is not None else []) + (
        [math.floor(low_open) + 1] if low_open is not None else []
    )
    highs = ([math.floor(high)] if high is not None else []) + (
        [math.ceil(high_open) - 1] if high_open is not None else []
    )
    highest = min(highs) if highs else None
    start = max(lows) if lows else (min(1, highest) if highest is not None else 1)
    if step and step >= 1 and float(step).is_integer():
        whole = int(step)
        start = -(-start // whole) * whole
    if highest is None or start <= highest:
        yield int(start)
    if highest is not None and highest != start:
        yield int(highest)


def _numbers(schema: SchemaMap) -> Iterator[int | float]:
    # A whole number first: valid for `number`, and models that read it as int accept it too.
    yield from _integers(schema)
    low, low_open, high, high_open = _bounds(schema)
    step = _number(schema.get("multipleOf"))
    bottom = low if low is not None else low_open
    top = high if high is not None else high_open
    if bottom is not None and top is not None:
        yield _stepped((bottom + top) / 2, step)
    elif bottom is not None:
        yield _stepped(bottom + 1, step)
    elif top is not None:
        yield _stepped(min(top - 1, 1.5), step)
    else:
        yield _stepped(1.5, step)
    if bottom is not None and low_open is None:
        yield bottom


def _stepped(value: float, step: float | None) -> float:
    if step and step > 0:
        return math.ceil(value / step) * step
    return value


def _strings(schema: SchemaMap) -> Iterator[str]:
    low = _count(schema.get("minLength"), 0)
    high = _count(schema.get("maxLength"), None)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        matched = _matching(pattern, low, high)
        if matched is not None:
            yield matched
    known = FORMAT_VALUES.get(str(schema.get("format", "")))
    if known is not None:
        yield known
    yield _sized(_TEXT, low, high)


def _sized(text: str, low: int, high: int | None) -> str:
    if len(text) < low:
        text += "x" * (low - len(text))
    return text if high is None else text[:high]


def _matching(pattern: str, low: int, high: int | None) -> str | None:
    """A short string `pattern` matches (searched, as JSON Schema does), sized if possible."""
    try:
        parsed = sre.parse(pattern)
        text = _from_regex(parsed, 0)
        compiled = re.compile(pattern)
    except (re.error, RecursionError, ValueError, TypeError, OverflowError):
        return None
    for repeat in (0, 1, 2, 4, 8, 16, 32):
        if repeat:
            try:
                text = _from_regex(parsed, repeat)
            except (RecursionError, ValueError, TypeError, OverflowError):
                return None
        if (
            len(text) >= low
            and (high is None or len(text) <= high)
            and compiled.search(text)
        ):
            return text
        if high is not None and len(text) > high:
            break
    return None


def _from_regex(parsed: Any, extra: int) -> str:
    """The shortest-ish string a parsed regex matches; `extra` repeats each open repetition more."""
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_class_member(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            least, most, inner = arg
            count = least + extra
            if most != sre.MAXREPEAT:
                count = min(count, most)
            out.append(_from_regex(inner, extra) * count)
        elif name == "SUBPATTERN":
            out.append(_from_regex(arg[-1], extra))
        elif name == "ATOMIC_GROUP":
            out.append(_from_regex(arg, extra))
        elif name == "BRANCH":
            out.append(_from_regex(arg[1][0], extra))
        elif name == "CATEGORY":
            out.append(_category(str(arg)))
        elif name in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF"):
            continue
        else:
            raise ValueError(f"regex construct {name}")
    return "".join(out)


def _class_member(items: list[Any]) -> str:
    negated = any(str(op) == "NEGATE" for op, _ in items)
    if negated:
        excluded = set()
        for op, arg in items:
            if str(op) == "LITERAL":
                excluded.add(chr(arg))
            elif str(op) == "RANGE":
                excluded.update(
                    chr(c) for c in range(arg[0], min(arg[1], arg[0] + 200) + 1)
                )
        return next(c for c in "aZ0_-x" if c not in excluded)
    for op, arg in items:
        kind = str(op)
        if kind == "LITERAL":
            return chr(arg)
        if kind == "RANGE":
            return chr(arg[0])
        if kind == "CATEGORY":
            return _category(str(arg))
    return "a"


def _category(category: str) -> str:
    if "NOT_DIGIT" in category:
        return "a"
    if "DIGIT" in category:
        return "0"
    if "NOT_SPACE" in category or "WORD" in category and "NOT" not in category:
        return "a"
    if "SPACE" in category:
        return " "
    return "-"


def _distinct(values: list[Any], candidates: list[Any]) -> list[Any]:
    """`values` made pairwise different, for `uniqueItems`."""
    unique = list(dict.fromkeys(json.dumps(c, sort_keys=True) for c in candidates))
    if len(unique) >= len(values):
        return [json.loads(u) for u in unique[: len(values)]]
    result = []
    for index, value in enumerate(values):
        if isinstance(value, str):
            value = f"{value}{index}"
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = value + index
        result.append(value)
    return result


# -- JSON Schema as jsonschema-rs reads it -----------------------------------------------


def json_schema(schema: Any) -> Any:
    """`schema` with OpenAPI 3.0's `nullable: true` as a `null` alternative."""
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        key: (
            value
            if key in ("enum", "const", "example", "examples", "default")
            else json_schema(value)
        )
        for key, value in schema.items()
        if key not in ("nullable", "discriminator")
    }
    if "properties" in schema and isinstance(schema["properties"], dict):
        out["properties"] = {k: json_schema(v) for k, v in schema["properties"].items()}
    if schema.get("nullable") is True:
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return {"anyOf": [out, {"type": "null"}]}
    return out


def _with_rules(schema: SchemaMap, rules: list[Rule]) -> SchemaMap:
    """`schema` with the cross-field rules taken out of it written back as JSON Schema."""
    if not rules:
        return schema
    extra: list[SchemaMap] = []
    for rule in rules:
        if isinstance(rule, RequiredAlternatives):
            options = [{"required": list(names)} for names in rule.sets]
            extra.append({"oneOf" if rule.exactly else "anyOf": options})
        elif isinstance(rule, Conditional):
            when = {
                "properties": {name: {"const": value} for name, value in rule.when},
                "required": [name for name, _ in rule.when],
            }
            extra.append(
                {
                    "if": when,
                    "then": _constraint(rule.then),
                    "else": _constraint(rule.otherwise),
                }
            )
    merged = dict(schema)
    for part in extra:
        for key, value in part.items():
            if key in merged:
                merged.setdefault("allOf", [])
                merged["allOf"] = [*merged["allOf"], {key: value}]
            else:
                merged[key] = value
    return merged


def _constraint(constraint: Any) -> SchemaMap:
    schema: SchemaMap = {}
    if constraint.required:
        schema["required"] = list(constraint.required)
    if constraint.allowed:
        schema["properties"] = {
            a.name: {"enum": list(a.values)} for a in constraint.allowed
        }
    return schema
