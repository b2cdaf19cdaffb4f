"""Inline schemas named after their owner, before the model generator sees them.

datamodel-code-generator names an inline object or enum after its property
and numbers what clashes (`Data1`, `ResponsesServerEvent37`), and it renames
a component whose name an inline schema took first (`PetStatus` -> `PetStatus1`),
which breaks every module that imports the component. So each inline schema
that becomes a class is taken out into a model of its own, named from where it
lives: `{Owner}{Property}` (`ImageGenerationRequestSize`), `{Owner}{Property}Item`
for array items, `{Owner}{Property}Value` for map values, and for a member of
a union the member's own name: its title, its `type` tag, the schema it
extends, or its first property (`ToolChoiceWithFunction`). Never a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .class_names import ClassNames
from .naming import pascal_case
from .schema_clean import COMPONENT_REF
from .spec import Pointer

SchemaMap = dict[str, Any]

# What stays beside the `$ref` where an inline schema is taken out: what the
# field says about itself rather than about its type.
_FIELD_KEYWORDS = frozenset(
    {"description", "default", "deprecated", "readOnly", "writeOnly", "nullable"}
    | {"example", "examples"}
)
# Keywords that say nothing about the shape of a value.
_ANNOTATIONS = _FIELD_KEYWORDS | {"title", "$comment"}
# A union member or array item with one of these cannot be written inline in
# an annotation: the model generator wraps it in a class of its own.
_CONSTRAINTS = frozenset(
    {"minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum"}
    | {"maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems"}
    | {"minProperties", "maxProperties"}
)


@dataclass(frozen=True)
class InlineModel:
    """A schema taken out of its owner, with the place it was written."""

    name: str
    schema: SchemaMap
    origin: Pointer


class InlineModels:
    """Takes inline schemas out of models; the same schema object becomes one model."""

    def __init__(self, names: ClassNames) -> None:
        self.names = names
        self._taken_out: dict[int, str] = {}
        # Keeps every schema walked alive, so that no `id` in _taken_out is reused.
        self._walked: list[SchemaMap] = []
        self.found: list[InlineModel] = []

    def take_out(self, name: str, schema: SchemaMap, origin: Pointer) -> SchemaMap:
        """`schema` (of model `name`) with its class-making inline parts as references.

        The models taken out are appended to `found`, each already cleared of
        its own inline parts.
        """
        return self._walk(schema, name, origin)

    def _walk(self, schema: SchemaMap, context: str, origin: Pointer) -> SchemaMap:
        """A copy of `schema` whose sub-schemas are taken out, named from `context`."""
        schema = _simplified(schema)
        self._walked.append(schema)
        out = dict(schema)
        properties = schema.get("properties")
        if isinstance(properties, dict):
            out["properties"] = {
                wire: self._position(
                    sub, context + _word(wire), origin + ("properties", wire)
                )
                for wire, sub in properties.items()
            }
        items = schema.get("items")
        if isinstance(items, dict):
            out["items"] = self._position(
                items, context + "Item", origin + ("items",), wrapped=True
            )
        values = schema.get("additionalProperties")
        if isinstance(values, dict):
            out["additionalProperties"] = self._position(
                values, context + "Value", origin + ("additionalProperties",)
            )
        for key in ("anyOf", "oneOf"):
            members = schema.get(key)
            if isinstance(members, list):
                tag = _tag_property(schema)
                out[key] = [
                    self._position(
                        m, context + _variant(m, tag), origin + (key, i), wrapped=True
                    )
                    for i, m in enumerate(members)
                ]
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            # Parts of one class: their properties belong to the owner.
            out["allOf"] = [
                self._walk(part, context, origin + ("allOf", i))
                for i, part in enumerate(all_of)
            ]
        return out

    def _position(
        self, schema: Any, name: str, origin: Pointer, wrapped: bool = False
    ) -> Any:
        """The sub-schema at one position: a reference when it makes a class.

        `wrapped`: a union member or an array's items, where a constraint
        cannot be a field argument, so the model generator writes a class.
        """
        if not isinstance(schema, dict):
            return schema
        simple = _simplified(schema)
        if not (
            _makes_class(simple)
            or (wrapped and (_CONSTRAINTS & set(simple) or _map_of_refs(simple)))
        ):
            return self._walk(schema, name, origin)
        chosen = self._taken_out.get(id(schema))
        if chosen is None:
            suffix = "Enum" if "enum" in schema else "Model"
            chosen = self.names.claim(name, suffix)
            self._taken_out[id(schema)] = chosen
            self.found.append(
                InlineModel(chosen, self._walk(schema, chosen, origin), origin)
            )
        beside = {k: v for k, v in schema.items() if k in _FIELD_KEYWORDS}
        return {"$ref": COMPONENT_REF + chosen, **beside}


def _makes_class(schema: SchemaMap) -> bool:
    """Whether the model generator would write a class for this inline schema."""
    if "$ref" in schema:
        return False
    if schema.get("properties") or "discriminator" in schema:
        return True
    values = [v for v in schema.get("enum") or () if v is not None]
    if len(values) > 1:
        return True
    all_of = schema.get("allOf") or []
    return len(all_of) > 1 or (len(all_of) == 1 and "$ref" not in all_of[0])


def _map_of_refs(schema: SchemaMap) -> bool:
    """A map of references: inline in an array's items, the model generator
    loses the item type when the reference leads back to the array (`list`)."""
    values = schema.get("additionalProperties")
    return (
        not schema.get("properties")
        and isinstance(values, dict)
        and isinstance(values.get("$ref"), str)
    )


def _simplified(schema: SchemaMap) -> SchemaMap:
    """The same schema in the shape the model generator names best.

    - `allOf: [{$ref: X}, {nullable: true}]` (OpenAPI 3.0's way to annotate a
      reference) is the reference with those annotations beside it;
    - `allOf: [{anyOf: [A, B]}, C]` is `anyOf: [{allOf: [A, C]}, {allOf: [B, C]}]`,
      so that each member is named after what it extends.
    """
    all_of = schema.get("allOf")
    if not isinstance(all_of, list):
        return schema
    rest = {k: v for k, v in schema.items() if k != "allOf"}
    refs = [p for p in all_of if isinstance(p, dict) and "$ref" in p]
    notes = [p for p in all_of if isinstance(p, dict) and set(p) <= _ANNOTATIONS]
    if len(refs) == 1 and len(refs) + len(notes) == len(all_of):
        merged: SchemaMap = {}
        for note in notes:
            merged.update(note)
        return {**merged, **refs[0], **rest}
    unions = [p for p in all_of if isinstance(p, dict) and _only_union(p)]
    if len(unions) != 1 or set(rest) - _ANNOTATIONS:
        return schema
    union = unions[0]
    keyword = "oneOf" if "oneOf" in union else "anyOf"
    others = [p for p in all_of if p is not union]
    members = [{"allOf": [member, *others]} for member in union[keyword]]
    return {
        **rest,
        **{k: v for k, v in union.items() if k != keyword},
        keyword: members,
    }


def _only_union(schema: SchemaMap) -> bool:
    """A schema that is only an inline `anyOf`/`oneOf` (and annotations)."""
    keywords = set(schema) - _ANNOTATIONS - {"discriminator"}
    return (
        len(keywords) == 1
        and keywords <= {"anyOf", "oneOf"}
        and isinstance(schema[next(iter(keywords))], list)
    )


def _tag_property(schema: SchemaMap) -> str:
    """The property that tells a union's members apart: the discriminator's, else `type`."""
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, dict):
        return str(discriminator.get("propertyName", "type"))
    return "type"


def _variant(member: Any, tag: str) -> str:
    """The word a union member is named by, from what it says about itself."""
    if not isinstance(member, dict):
        return "Value"
    title = member.get("title")
    if isinstance(title, str) and _word(title):
        return _word(title)
    tag_value = _tag_value(member, tag)
    if tag_value:
        return _word(tag_value)
    for part in member.get("allOf") or ():
        ref = part.get("$ref") if isinstance(part, dict) else None
        if isinstance(ref, str):
            return ref.removeprefix(COMPONENT_REF)
    properties = list(member.get("properties") or ())
    required = [n for n in member.get("required") or () if n in properties]
    if properties:
        return "With" + _word((required or properties)[0])
    if "enum" in member:
        return "Choice"
    declared = member.get("type")
    return _word(declared) if isinstance(declared, str) else "Value"


def _tag_value(member: SchemaMap, tag: str) -> str | None:
    """The constant a member's tag property holds (`const`, or a one-value enum)."""
    prop = (member.get("properties") or {}).get(tag)
    if not isinstance(prop, dict):
        return None
    if isinstance(prop.get("const"), str):
        return str(prop["const"])
    values = prop.get("enum")
    if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return None


def _word(text: str) -> str:
    """A name part: `image_url` -> `ImageUrl`; nothing for text without letters."""
    word = pascal_case(str(text))
    return "" if word.startswith("_") else word
