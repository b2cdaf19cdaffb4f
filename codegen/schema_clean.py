"""Schemas as the model generator can read them.

Published specs get JSON Schema wrong in ways a human reader shrugs off and
datamodel-code-generator does not: `required: name`, a property that is a
number, `type: file`, a 3.0-style `exclusiveMinimum: true` in a 3.1 document,
draft 2019-09's `$recursiveRef`. `SchemaCleaner.clean` returns a well-formed
copy of a schema (the document itself is left as written: the generated server
serves it), with every `$ref` pointing at the model's class name, and a warning
for each repair the loader's meta-schema check has not already reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from .discriminators import implicit
from .errors import json_pointer
from .read import describe
from .spec import LoadedSpec, Pointer

SchemaMap = dict[str, Any]
COMPONENT_REF = "#/components/schemas/"

JSON_TYPES = frozenset(
    {"string", "number", "integer", "boolean", "array", "object", "null"}
)
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
# Keywords whose value is one schema; a boolean is a valid schema there too.
_SCHEMA_VALUED = frozenset(
    {"additionalProperties", "unevaluatedProperties", "unevaluatedItems", "not"}
    | {"if", "then", "else", "contains", "propertyNames"}
)
_NUMBERS = frozenset({"minimum", "maximum"})
_COUNTS = frozenset(
    {"minLength", "maxLength", "minItems", "maxItems", "minProperties"}
    | {"maxProperties", "minContains", "maxContains"}
)
_FLAGS = frozenset({"nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"})
_TEXTS = frozenset({"title", "description", "format"})
# Anchors only matter to the `$recursiveRef`/`$dynamicRef` rewritten below.
_ANCHORS = frozenset({"$recursiveAnchor", "$dynamicAnchor"})
_RECURSIVE_REFS = frozenset({"$recursiveRef", "$dynamicRef"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SchemaCleaner:
    """Well-formed copies of the schemas of one spec.

    `class_names` maps each component key to the class name its model gets.
    """

    def __init__(self, spec: LoadedSpec, class_names: Mapping[str, str]) -> None:
        self.spec = spec
        self.class_names = class_names
        self.version_31 = str(spec.document.get("openapi", "")).startswith(
            ("3.1", "3.2")
        )
        self._flagged = _flagged_locations(spec)

    def clean(
        self, schema: Any, pointer: Pointer, owner: str | None = None
    ) -> SchemaMap:
        """A well-formed copy of the schema at `pointer`.

        `owner` is the class name of the component it belongs to: the target
        of the recursive references inside it.
        """
        return self._schema(schema, pointer, owner)

    # -- a schema and its keywords ------------------------------------------------

    def _schema(self, node: Any, pointer: Pointer, owner: str | None) -> SchemaMap:
        if node is True:
            return {}
        if not isinstance(node, dict):
            self._warn(pointer, f"a schema is {describe(node)}; read as `Any`")
            return {}
        out: SchemaMap = {}
        for key, value in node.items():
            clean = _KEYWORDS.get(key)
            if clean is None:
                out[key] = value
            else:
                clean(self, out, key, value, pointer + (key,), owner)
        if self.version_31:
            self._exclusive_bounds(out, pointer)
        discriminator = out.get("discriminator")
        if isinstance(discriminator, dict) and "mapping" not in discriminator:
            self._implicit_discriminator(out, discriminator, pointer)
        return out

    def _implicit_discriminator(
        self, out: SchemaMap, discriminator: SchemaMap, pointer: Pointer
    ) -> None:
        """Map a discriminator's values when the options' names are not their values."""
        components = {v: k for k, v in self.class_names.items()}
        refs = [
            str(o.get("$ref", "")).removeprefix(COMPONENT_REF)
            for o in out.get("oneOf") or out.get("anyOf") or []
            if isinstance(o, dict)
        ]
        if not refs or any(r not in components for r in refs):
            return  # an inline option: nothing names it, the generator cannot use it either
        schemas = self.spec.document.get("components", {}).get("schemas", {})
        name = discriminator["propertyName"]
        found = implicit([components[r] for r in refs], name, schemas)
        if found.mapping is not None:
            out["discriminator"] = {
                **discriminator,
                "mapping": {
                    value: COMPONENT_REF + self.class_names[component]
                    for value, component in found.mapping.items()
                },
            }
        elif found.problem:
            self._warn(
                pointer + ("discriminator",),
                f"`discriminator` on {name!r} without `mapping`: the values are "
                f"not the schema names, and {found.problem}; the union is read "
                "without it",
            )
            del out["discriminator"]

    def _ref(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        name = self.class_names.get(str(value).removeprefix(COMPONENT_REF))
        if isinstance(value, str) and value.startswith(COMPONENT_REF) and name:
            out["$ref"] = COMPONENT_REF + name
        else:
            self._warn(where, f"`$ref` {value!r} names no schema; read as `Any`")

    def _recursive_ref(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if owner is None:
            self._warn(where, f"`{key}` outside a named schema; read as `Any`")
            return
        self._warn(where, f"`{key}` is read as a `$ref` to {owner}")
        out["$ref"] = COMPONENT_REF + owner

    def _type(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        names = value if isinstance(value, list) else [value]
        known = [n for n in names if isinstance(n, str) and n in JSON_TYPES]
        if len(known) < len(names):
            unknown = ", ".join(
                repr(n) if isinstance(n, str) else describe(n)
                for n in names
                if not (isinstance(n, str) and n in JSON_TYPES)
            )
            fallback = "ignored" if known else "read as `Any`"
            self._warn(where, f"unknown type {unknown} {fallback}")
        if known:
            out[key] = (
                list(dict.fromkeys(known)) if isinstance(value, list) else known[0]
            )

    def _required(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if isinstance(value, str):
            self._warn(where, "`required` is a string, read as a list of one name")
            value = [value]
        if not isinstance(value, list):
            self._warn(where, f"`required` is {describe(value)}; ignored")
            return
        names = [n for n in value if isinstance(n, str)]
        if len(names) < len(value):
            self._warn(where, "`required` entries that are not names are ignored")
        if len(set(names)) < len(names):
            self._warn(where, "`required` lists a name twice; read once")
        if names:
            out[key] = list(dict.fromkeys(names))

    def _enum(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if not isinstance(value, list) or not value:
            self._warn(
                where, f"`enum` is {describe(value)}, not a list of values; ignored"
            )
            return
        scalars = [v for v in value if v is None or isinstance(v, (str, int, float))]
        if len(scalars) < len(value):
            self._warn(where, "`enum` values that are lists or mappings are ignored")
        distinct = list(dict.fromkeys((type(v), v) for v in scalars))
        if len(distinct) < len(scalars):
            self._warn(where, "`enum` lists a value twice; read once")
        if distinct:
            out[key] = [v for _, v in distinct]

    def _schema_map(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if not isinstance(value, dict):
            self._warn(where, f"`{key}` is {describe(value)}, not a mapping; ignored")
            return
        out[key] = {
            str(name): self._schema(sub, where + (name,), owner)
            for name, sub in value.items()
        }

    def _schema_list(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if not isinstance(value, list) or not value:
            self._warn(
                where, f"`{key}` is {describe(value)}, not a list of schemas; ignored"
            )
            return
        out[key] = [
            self._schema(sub, where + (i,), owner) for i, sub in enumerate(value)
        ]
        if key == "oneOf":
            unique = list({json.dumps(o, sort_keys=True): o for o in out[key]}.values())
            if len(unique) < len(out[key]):
                # No value matches exactly one of two equal options.
                self._warn(
                    where,
                    "`oneOf` lists the same schema more than once, so no value "
                    "could match; each is listed once",
                )
                out[key] = unique

    def _items(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if isinstance(value, list):
            self._schema_list(out, key, value, where, owner)
        elif isinstance(value, bool):
            out[key] = value
        else:
            out[key] = self._schema(value, where, owner)

    def _sub_schema(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if isinstance(value, bool):
            out[key] = value
        elif isinstance(value, dict):
            out[key] = self._schema(value, where, owner)
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a schema; ignored")

    def _discriminator(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        name = value.get("propertyName") if isinstance(value, dict) else None
        if not isinstance(name, str) or not name:
            self._warn(where, "`discriminator` without a `propertyName`; ignored")
            return
        mapping = value.get("mapping")
        if mapping is None:
            out[key] = value
            return
        if not isinstance(mapping, dict):
            self._warn(where + ("mapping",), "`mapping` is not a mapping; ignored")
            out[key] = {k: v for k, v in value.items() if k != "mapping"}
            return
        kept = {}
        for tag, ref in mapping.items():
            name = self.class_names.get(str(ref).removeprefix(COMPONENT_REF))
            if isinstance(ref, str) and ref.startswith(COMPONENT_REF) and name:
                kept[str(tag)] = COMPONENT_REF + name
            else:
                self._warn(
                    where + ("mapping", tag), f"{ref!r} names no schema; ignored"
                )
        out[key] = {**value, "mapping": kept}

    def _number(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if _is_number(value):
            out[key] = value
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a number; ignored")

    def _exclusive(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        # A boolean is OpenAPI 3.0's form, settled in _exclusive_bounds for 3.1.
        if _is_number(value) or isinstance(value, bool):
            out[key] = value
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a number; ignored")

    def _multiple_of(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if _is_number(value) and value > 0:
            out[key] = value
        else:
            self._warn(
                where, f"`{key}` is {describe(value)}, not a positive number; ignored"
            )

    def _count(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if _is_number(value) and value >= 0 and value == int(value):
            out[key] = int(value)
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a count; ignored")

    def _pattern(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if isinstance(value, str) and _compiles(value):
            out[key] = value
        else:
            self._warn(
                where,
                f"`pattern` {value!r} is not a regular expression Python reads; not checked",
            )

    def _flag(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if key == "nullable" and value is False:
            # The default, said aloud; beside a `$ref` the model generator
            # would copy the referenced model into a class of its own.
            return
        if isinstance(value, bool):
            out[key] = value
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a boolean; ignored")

    def _text(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        if isinstance(value, str):
            # Control characters cannot stand in the docstrings made of these.
            out[key] = _CONTROL.sub("", value)
        else:
            self._warn(where, f"`{key}` is {describe(value)}, not a string; ignored")

    def _drop(
        self, out: SchemaMap, key: str, value: Any, where: Pointer, owner: str | None
    ) -> None:
        """Anchors: their only use, recursive references, is resolved to `$ref`s."""

    def _exclusive_bounds(self, out: SchemaMap, pointer: Pointer) -> None:
        """3.0's `exclusiveMinimum: true` beside `minimum` -> 3.1's `exclusiveMinimum: <minimum>`."""
        for exclusive, bound in (
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ):
            if not isinstance(out.get(exclusive), bool):
                continue
            where = pointer + (exclusive,)
            if out.pop(exclusive) and bound in out:
                out[exclusive] = out.pop(bound)
                self._warn(
                    where,
                    f"boolean `{exclusive}` (OpenAPI 3.0) read as `{exclusive}: {out[exclusive]}`",
                )
            else:
                self._warn(
                    where,
                    f"boolean `{exclusive}` (OpenAPI 3.0) without `{bound}`; ignored",
                )

    # -- warnings -------------------------------------------------------------------

    def _warn(self, pointer: Pointer, message: str) -> None:
        """Warn, unless the loader has already reported a problem at or below `pointer`."""
        where = self.spec.locate(pointer)
        if (where.file, json_pointer(where.pointer)) not in self._flagged:
            self.spec.warn_at(where, message)


Clean = Callable[[SchemaCleaner, SchemaMap, str, Any, Pointer, "str | None"], None]

_KEYWORDS: dict[str, Clean] = {
    "$ref": SchemaCleaner._ref,
    "type": SchemaCleaner._type,
    "required": SchemaCleaner._required,
    "enum": SchemaCleaner._enum,
    "items": SchemaCleaner._items,
    "discriminator": SchemaCleaner._discriminator,
    "multipleOf": SchemaCleaner._multiple_of,
    "pattern": SchemaCleaner._pattern,
    "exclusiveMinimum": SchemaCleaner._exclusive,
    "exclusiveMaximum": SchemaCleaner._exclusive,
    **{key: SchemaCleaner._recursive_ref for key in _RECURSIVE_REFS},
    **{key: SchemaCleaner._drop for key in _ANCHORS},
    **{key: SchemaCleaner._schema_map for key in _SCHEMA_MAPS},
    **{key: SchemaCleaner._schema_list for key in _SCHEMA_LISTS},
    **{key: SchemaCleaner._sub_schema for key in _SCHEMA_VALUED},
    **{key: SchemaCleaner._number for key in _NUMBERS},
    **{key: SchemaCleaner._count for key in _COUNTS},
    **{key: SchemaCleaner._flag for key in _FLAGS},
    **{key: SchemaCleaner._text for key in _TEXTS},
}


def _flagged_locations(spec: LoadedSpec) -> set[tuple[Any, str]]:
    """(file, pointer) of every node the loader warned about, and of all their ancestors."""
    flagged = set()
    for warning in spec.diagnostics.warnings:
        parts = warning.pointer.split("/")
        for end in range(1, len(parts) + 1):
            flagged.add((warning.file, "/".join(parts[:end])))
    return flagged


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True
