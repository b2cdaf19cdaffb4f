"""The synthesiser: values valid against their schema, the same on every run; example choice.

Each value is checked with jsonschema-rs (Draft 2020-12, formats on) against
the schema, its components available for refs.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest

from codegen.synth import Synthesiser, json_schema

COMPONENTS: dict[str, Any] = {
    "Node": {
        "type": "object",
        "required": ["name", "children"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "children": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Node"},
            },
            "parent": {"$ref": "#/components/schemas/Node"},
        },
    },
    "Expr": {
        "oneOf": [
            {"type": "integer"},
            {
                "type": "object",
                "required": ["op", "left", "right"],
                "properties": {
                    "op": {"enum": ["+", "*"]},
                    "left": {"$ref": "#/components/schemas/Expr"},
                    "right": {"$ref": "#/components/schemas/Expr"},
                },
            },
        ]
    },
    "Cat": {
        "type": "object",
        "required": ["kind", "lives"],
        "properties": {
            "kind": {"type": "string"},
            "lives": {"type": "integer", "minimum": 1, "maximum": 9},
        },
        "additionalProperties": False,
    },
    "Dog": {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string"}, "good": {"type": "boolean"}},
    },
    "Base": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid"}},
    },
    "FreeForm": {"type": "object"},
}
REF = "#/components/schemas/"

SCHEMAS: dict[str, Any] = {
    "date-time": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
    "uuid": {"type": "string", "format": "uuid"},
    "email": {"type": "string", "format": "email"},
    "uri": {"type": "string", "format": "uri"},
    "ipv4": {"type": "string", "format": "ipv4"},
    "ipv6": {"type": "string", "format": "ipv6"},
    "hostname": {"type": "string", "format": "hostname"},
    "byte": {"type": "string", "format": "byte"},
    "binary": {"type": "string", "format": "binary"},
    "string lengths": {"type": "string", "minLength": 12, "maxLength": 14},
    "short string": {"type": "string", "maxLength": 2},
    "pattern": {"type": "string", "pattern": "^[A-Z]{2}-\\d{3,5}$"},
    "pattern and length": {"type": "string", "pattern": "^(ab|cd)+x?$", "minLength": 6},
    "pattern with classes": {"type": "string", "pattern": "^sk-[^\\s]{8}[a-f0-9]*$"},
    "integer bounds": {
        "type": "integer",
        "minimum": 10,
        "maximum": 20,
        "multipleOf": 7,
    },
    "exclusive integer": {
        "type": "integer",
        "exclusiveMinimum": 3,
        "exclusiveMaximum": 5,
    },
    "negative integer": {"type": "integer", "maximum": -4},
    "number bounds": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    "number step": {"type": "number", "minimum": 2.5, "multipleOf": 0.5},
    "enum": {"type": "string", "enum": ["low", "high"]},
    "enum with null": {"enum": [None, 3]},
    "const": {"const": {"a": 1}},
    "boolean": {"type": "boolean"},
    "nullable 3.0": {"type": "string", "nullable": True, "maxLength": 3},
    "type list": {"type": ["null", "integer"], "minimum": 5},
    "array bounds": {
        "type": "array",
        "items": {"type": "integer"},
        "minItems": 3,
        "maxItems": 4,
    },
    "unique items": {
        "type": "array",
        "items": {"type": "string", "enum": ["a", "b", "c"]},
        "minItems": 2,
        "uniqueItems": True,
    },
    "empty array": {"type": "array", "items": {"type": "string"}, "maxItems": 0},
    "tuple": {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}],
    },
    "map": {
        "type": "object",
        "additionalProperties": {"type": "integer", "minimum": 2},
    },
    "min properties": {"type": "object", "minProperties": 2},
    "closed object": {
        "type": "object",
        "properties": {"a": {"type": "string"}},
        "required": ["a"],
        "additionalProperties": False,
    },
    "oneOf overlapping": {"oneOf": [{"$ref": REF + "FreeForm"}, {"$ref": REF + "Cat"}]},
    "oneOf discriminated": {
        "oneOf": [{"$ref": REF + "Cat"}, {"$ref": REF + "Dog"}],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"cat": REF + "Cat", "dog": REF + "Dog"},
        },
    },
    "anyOf": {"anyOf": [{"type": "string", "format": "date"}, {"type": "integer"}]},
    "allOf": {
        "allOf": [
            {"$ref": REF + "Base"},
            {
                "type": "object",
                "required": ["size"],
                "properties": {"size": {"type": "integer", "minimum": 1}},
            },
        ]
    },
    "exactly one of": {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "oneOf": [{"required": ["a"]}, {"required": ["b"]}],
    },
    "recursion": {"$ref": REF + "Node"},
    "recursive union": {"$ref": REF + "Expr"},
    "ref with siblings": {"$ref": REF + "Base", "nullable": True},
}


def _valid(schema: Any, value: Any) -> bool:
    root = json_schema(schema)
    root = {
        **root,
        "components": {"schemas": {k: json_schema(v) for k, v in COMPONENTS.items()}},
    }
    validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return bool(validator.is_valid(value))


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_value_is_valid_and_the_same_every_run(name: str) -> None:
    schema = SCHEMAS[name]
    value = Synthesiser(COMPONENTS).value(schema)
    assert _valid(schema, value), value
    assert Synthesiser(COMPONENTS).value(schema) == value


def test_optional_properties_are_filled_in_and_recursion_is_bounded() -> None:
    value = Synthesiser(COMPONENTS).value({"$ref": REF + "Node"})
    assert value == {"name": "string", "children": []}


def test_a_cycle_of_required_properties_ends_in_null() -> None:
    chain = {
        "Link": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"$ref": REF + "Link", "nullable": True}},
        }
    }
    value = Synthesiser(chain).value({"$ref": REF + "Link"})
    depth = 0
    while isinstance(value, dict):
        value, depth = value["next"], depth + 1
    assert value is None and depth < 20


def test_a_discriminator_names_the_option() -> None:
    value = Synthesiser(COMPONENTS).value(SCHEMAS["oneOf discriminated"])
    assert value["kind"] in ("cat", "dog")


def test_the_first_valid_example_is_chosen_and_invalid_ones_skipped() -> None:
    synth = Synthesiser(COMPONENTS)
    schema = {"$ref": REF + "Cat"}
    invalid = {"kind": "cat", "lives": 12}
    valid = {"kind": "cat", "lives": 7}
    assert synth.choose(schema, [invalid, valid, {"kind": "cat", "lives": 3}]) == valid


def test_without_a_valid_example_the_value_is_synthesised() -> None:
    synth = Synthesiser(COMPONENTS)
    schema = {"$ref": REF + "Cat"}
    chosen = synth.choose(schema, [{"kind": "cat"}, "not an object"])
    assert chosen == synth.value(schema)
    assert _valid(schema, chosen)


def test_schema_examples_are_found_through_refs() -> None:
    synth = Synthesiser({"Size": {"type": "integer", "example": 7, "examples": [8]}})
    assert synth.examples_of({"$ref": REF + "Size"}) == [7, 8]


def test_cross_field_rules_are_respected() -> None:
    from codegen.schema_rules import Allowed, Conditional, Constraint

    schema = {
        "type": "object",
        "required": ["stream"],
        "properties": {
            "stream": {"type": "boolean", "const": True},
            "format": {"enum": ["url", "b64_json"]},
        },
    }
    rule = Conditional(
        (("stream", True),),
        Constraint(allowed=(Allowed("format", ("b64_json",)),)),
        Constraint(),
    )
    synth = Synthesiser({"Request": schema}, {"Request": [rule]})
    value = synth.value({"$ref": REF + "Request"})
    assert value.get("format", "b64_json") == "b64_json"
