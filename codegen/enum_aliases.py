"""Enums as `Literal` type aliases: which, under what name, open or strict.

An enum whose values are strings, integers or booleans is written in models.py
as a type alias, not a class: `Size = Annotated[Literal["256x256", ...], OpenInAnswers]`,
so a caller passes the plain value and a type checker knows the choices.

- One alias per distinct set of values. A component enum keeps its component
  name. An inline enum (taken out of its owner by `InlineModels`, named
  `{Owner}{Property}`) joins a component with the same values if there is one
  (the first in model order); else inline enums with the same values become one
  alias, named by this rule: the name of the field they type, in class form
  (`ResponseFormat` for three `response_format` fields), when every use is a
  field of that name, no other group wants the name and no model has it; else
  the first member's name (`ImageGenerationRequestSize`: three `size` enums
  with different values).
- Null is not one of an alias's values: a reference to an enum that allows
  null is `{anyOf: [{$ref: Alias}, {type: null}]}`, so the field is `Alias | None`.
- An alias is open (answers read leniently may carry values it does not list)
  unless it has a single value (a constant) or it types a discriminator, which
  pydantic requires to be a plain `Literal`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .class_names import usable
from .naming import pascal_case
from .schema_clean import COMPONENT_REF
from .schema_walk import object_properties

if TYPE_CHECKING:
    from .ir import Model
    from .streams import StreamEvents

SchemaMap = dict[str, Any]
LiteralValue = str | int | bool
# Keywords beside `enum` that leave an enum schema a plain set of values.
_ENUM_KEYS = frozenset(
    {"enum", "type", "nullable", "description", "title", "default", "deprecated"}
    | {"example", "examples", "readOnly", "writeOnly", "x-stainless-const", "format"}
    | {"$comment", "externalDocs"}
)
_NULL = {"type": "null"}


@dataclass(frozen=True)
class LiteralAlias:
    """An enum model written as a `Literal` type alias."""

    values: tuple[LiteralValue, ...]
    """Without null: a nullable use is `Alias | None`."""
    open: bool
    """Whether an answer read leniently may hold a value not listed."""


def literal_values(schema: Any) -> tuple[LiteralValue, ...] | None:
    """The values of an enum schema that can be a `Literal` alias (null left out)."""
    if not isinstance(schema, dict) or not set(schema) <= _ENUM_KEYS:
        return None
    values = schema.get("enum")
    if not isinstance(values, list):
        return None
    kept = [v for v in values if v is not None]
    if not kept or not all(isinstance(v, (str, int)) for v in kept):
        return None  # floats and objects cannot be a Literal's values
    return tuple(dict.fromkeys(kept))


def allows_null(schema: SchemaMap) -> bool:
    declared = schema.get("type")
    return (
        None in (schema.get("enum") or ())
        or schema.get("nullable") is True
        or declared == "null"
        or isinstance(declared, list)
        and "null" in declared
    )


def literal_aliases(
    models: list[Model],
    inline: set[str],
    streams: Iterable[StreamEvents],
    claimed: Iterable[str] = (),
) -> list[Model]:
    """`models` with enums as aliases: inline ones merged and named, null moved out.

    `inline`: the models taken out of their owners (the others keep their names);
    `claimed`: names taken elsewhere (stream unions, header models).
    """
    values = {m.name: literal_values(m.schema) for m in models}
    words = _field_words(models, {n for n, v in values.items() if v})
    groups: dict[frozenset[tuple[type, LiteralValue]], list[str]] = {}
    for model in models:
        found = values[model.name]
        if found:
            key = frozenset((type(v), v) for v in found)
            groups.setdefault(key, []).append(model.name)
    renamed: dict[str, str] = {}
    wanted: dict[str, list[str]] = {}
    for members in groups.values():
        named = [m for m in members if m not in inline]
        if named:
            renamed.update({m: named[0] for m in members if m in inline})
            continue
        word = _common_word(members, words)
        if word:
            wanted.setdefault(word, []).append(members[0])
    taken = {m.name for m in models} | set(claimed)
    for members in groups.values():
        if members[0] in renamed or members[0] not in inline:
            continue
        word = _common_word(members, words)
        chosen = members[0]
        if word and usable(word) and word not in taken and len(wanted[word]) == 1:
            chosen = word
        renamed.update({m: chosen for m in members})
    enums = {n for n, v in values.items() if v}
    shared = _shared_descriptions(models, renamed)
    nullable = {m.name for m in models if m.name in enums and allows_null(m.schema)}
    result: list[Model] = []
    placed: set[str] = set()
    for model in models:
        name = renamed.get(model.name, model.name)
        if name != model.name and (name in placed or name in values):
            continue  # merged into an alias already written (or still to come)
        schema = _rewrite(model.schema, renamed, enums, nullable)
        if values[model.name]:
            schema = _without_null(schema, inline=model.name in inline)
            if model.name in inline:
                schema.pop("description", None)
                schema.update(shared.get(name, {}))
        placed.add(name)
        result.append(dataclasses.replace(model, name=name, schema=schema))
    strict = _discriminators(result, streams)
    return [
        dataclasses.replace(
            m,
            literal=LiteralAlias(found, open=len(found) > 1 and m.name not in strict),
        )
        if (found := literal_values(m.schema))
        else m
        for m in result
    ]


def _shared_descriptions(
    models: list[Model], renamed: dict[str, str]
) -> dict[str, dict[str, str]]:
    """The description of each merged alias: the one all its inline members share.

    A member's description is its field's (`...; ignored when streaming`), which
    need not hold for the others; each field keeps its own docstring anyway.
    """
    said: dict[str, set[str]] = {}
    for model in models:
        if model.name in renamed:
            text = model.schema.get("description")
            said.setdefault(renamed[model.name], set()).add(
                text if isinstance(text, str) else ""
            )
    return {
        name: {"description": texts.pop()}
        for name, texts in said.items()
        if len(texts) == 1 and "" not in texts
    }


def _field_words(models: list[Model], enums: set[str]) -> dict[str, set[str]]:
    """The names of the fields each enum types, in class form (`response_format` ->
    `ResponseFormat`; `IncludeItem` for an array's items, `MetaValue` for a map's)."""
    found: dict[str, set[str]] = {}
    uses: list[tuple[str, str]] = []
    words: dict[str, str] = {}  # wire name -> word: the same names recur
    for model in models:
        _uses(model.schema, "", uses, words)
    for name, word in uses:
        if name in enums:
            found.setdefault(name, set()).add(word)
    return found


def _uses(
    node: Any, word: str, found: list[tuple[str, str]], words: dict[str, str]
) -> None:
    """Add (referenced schema, word of the field it types) for each `$ref` in `node`."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                _uses(item, word, found, words)
        return
    if not isinstance(node, dict):
        return
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(COMPONENT_REF):
        found.append((ref.removeprefix(COMPONENT_REF), word))
    for key, value in node.items():
        if not isinstance(value, (dict, list)):
            continue
        if key == "properties" and isinstance(value, dict):
            for wire, sub in value.items():
                text = str(wire)
                sub_word = words.get(text)
                if sub_word is None:
                    sub_word = words[text] = _word(text)
                _uses(sub, sub_word, found, words)
        elif key == "items":
            _uses(value, word and word + "Item", found, words)
        elif key == "additionalProperties":
            _uses(value, word and word + "Value", found, words)
        elif key != "$ref":
            _uses(value, word, found, words)


def _common_word(members: list[str], words: dict[str, set[str]]) -> str | None:
    """The field word every use of every member shares, if one."""
    found = set().union(*(words.get(m, {""}) for m in members))
    return found.pop() if len(found) == 1 and "" not in found else None


def _word(text: str) -> str:
    word = pascal_case(text)
    return "" if word.startswith("_") else word


def _refs(node: Any, found: list[str]) -> list[str]:
    """`found` with the component each `$ref` in `node` names added, in order."""
    if isinstance(node, list):
        for item in node:
            _refs(item, found)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMPONENT_REF):
            found.append(ref.removeprefix(COMPONENT_REF))
        for key, value in node.items():
            if key != "$ref":
                _refs(value, found)
    return found


def _rewrite(
    node: Any, renamed: dict[str, str], enums: set[str], nullable: set[str]
) -> Any:
    """A copy of `node` with references renamed, those to nullable enums `| null`."""
    if isinstance(node, list):
        return [_rewrite(item, renamed, enums, nullable) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: _rewrite(v, renamed, enums, nullable) if isinstance(v, (dict, list)) else v
        for k, v in node.items()
        if k != "$ref"
    }
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return out
    name = ref.removeprefix(COMPONENT_REF)
    target = {"$ref": COMPONENT_REF + renamed.get(name, name)}
    if name in nullable or name in enums and out.get("nullable") is True:
        out.pop("nullable", None)
        return {"anyOf": [target, _NULL], **out}
    return {**target, **out}


def _without_null(schema: SchemaMap, inline: bool) -> SchemaMap:
    """An enum schema without null; an inline one's default stays with its owner."""
    out = {k: v for k, v in schema.items() if k != "nullable"}
    out["enum"] = [v for v in schema["enum"] if v is not None]
    declared = schema.get("type")
    if isinstance(declared, list):
        kept = [t for t in declared if t != "null"]
        out["type"] = kept[0] if len(kept) == 1 else kept
    if inline:
        out.pop("default", None)
    return out


def _discriminators(models: list[Model], streams: Iterable[StreamEvents]) -> set[str]:
    """The enums a discriminator property is typed by: they stay plain `Literal`s."""
    schemas = {m.name: m.schema for m in models}
    tagged: list[tuple[str, str]] = []  # (member model, tag property)
    for model in models:
        for node in _nodes(model.schema, []):
            discriminator = node.get("discriminator")
            if not isinstance(discriminator, dict):
                continue
            tag = str(discriminator.get("propertyName", ""))
            mapping = discriminator.get("mapping")
            targets = list(mapping.values()) if isinstance(mapping, dict) else []
            for key in ("oneOf", "anyOf"):
                targets += [
                    m.get("$ref") for m in node.get(key) or () if isinstance(m, dict)
                ]
            tagged += [
                (str(t).removeprefix(COMPONENT_REF), tag)
                for t in targets
                if isinstance(t, str)
            ]
    for stream in streams:
        if stream.discriminator:
            tagged += [(e.model, stream.discriminator) for e in stream.events]
    strict: set[str] = set()
    for member, tag in tagged:
        if member not in schemas:
            continue
        properties, _ = object_properties({"$ref": COMPONENT_REF + member}, schemas)
        prop = properties.get(tag)
        if isinstance(prop, dict):
            strict.update(_refs(prop, []))
    return strict


def _nodes(node: Any, found: list[SchemaMap]) -> list[SchemaMap]:
    """`found` with every mapping in `node` added, parents before children."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                _nodes(item, found)
    elif isinstance(node, dict):
        found.append(node)
        for value in node.values():
            if isinstance(value, (dict, list)):
                _nodes(value, found)
    return found


__all__ = ["LiteralAlias", "allows_null", "literal_aliases", "literal_values"]
