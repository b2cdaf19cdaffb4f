"""The type model: one Python type per schema, with the names it imports."""

from __future__ import annotations

from typing import Any

import pytest

from codegen.model_fields import model_fields, required_alternatives
from codegen.types import (
    ANY,
    NONE,
    PyType,
    list_of,
    model_type,
    scalar,
    type_of,
    union,
)

SCHEMAS: dict[str, Any] = {
    "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Size": {"type": "string", "enum": ["small", "large"]},
    "Urn": {"type": "string"},
    "Tags": {"type": "object", "additionalProperties": {"type": "string"}},
    "Shape": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "integer"}]},
    "Loop": {"$ref": "#/components/schemas/Loop"},
    "Child": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [
        ({"type": "string"}, "str"),
        ({"type": "integer"}, "int"),
        ({"type": "number"}, "float"),
        ({"type": "boolean"}, "bool"),
        ({"type": "string", "format": "date-time"}, "datetime"),
        ({"type": "string", "format": "date"}, "date"),
        ({"type": "string", "format": "binary"}, "bytes"),
        ({"type": "string", "nullable": True}, "str | None"),
        ({"type": ["string", "null"]}, "str | None"),
        ({"type": ["null", "integer"]}, "int | None"),
        ({"enum": ["a", "b", None]}, "Literal['a', 'b'] | None"),
        ({"const": "delta"}, "Literal['delta']"),
        ({"enum": [1.5]}, "Any"),
        ({"type": "array", "items": {"type": "integer"}}, "list[int]"),
        ({"type": "array"}, "list[Any]"),
        ({"type": "object"}, "dict[str, Any]"),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            "dict[str, int]",
        ),
        ({"anyOf": [{"type": "string"}, {"type": "string"}]}, "str"),
        ({"oneOf": [{"type": "string"}, {}]}, "Any"),
        ({}, "Any"),
        (ref("Pet"), "Pet"),
        (ref("Child"), "Child"),
        (ref("Size"), "Size"),  # an enum is its alias in models.py
        (ref("Urn"), "str"),
        (ref("Tags"), "dict[str, str]"),
        (ref("Shape"), "Pet | int"),
        (ref("Loop"), "Any"),
        (ref("Missing"), "Any"),
        ({"type": "array", "items": ref("Pet"), "nullable": True}, "list[Pet] | None"),
    ],
)
def test_annotations(schema: dict[str, Any], annotation: str) -> None:
    assert type_of(schema, SCHEMAS).annotation == annotation


def test_imports_name_every_module_the_annotation_needs() -> None:
    found = type_of(
        {
            "anyOf": [
                {"type": "array", "items": ref("Pet")},
                {"type": "string", "format": "date-time"},
                {"enum": ["x"]},
            ]
        },
        SCHEMAS,
    )
    assert found.annotation == "list[Pet] | datetime | Literal['x']"
    assert found.imports == {
        (".models", "Pet"),
        ("datetime", "datetime"),
        ("typing", "Literal"),
    }
    assert found.models == {"Pet"}


def test_unions_flatten_and_put_none_last() -> None:
    found = union([NONE, scalar("int"), union([scalar("str"), NONE])])
    assert found.annotation == "int | str | None"
    assert found.nullable
    assert [part.kind for part in found.args] == ["scalar", "scalar", "none"]
    assert union([model_type("Pet"), ANY]) == ANY
    assert scalar("int").or_none().or_none().annotation == "int | None"


def test_parts_are_kept_for_views() -> None:
    found = list_of(model_type("Pet"))
    assert found.kind == "list"
    assert found.args == (model_type("Pet"),)
    assert isinstance(found.args[0], PyType)
    assert str(found) == "list[Pet]"


def test_model_fields_carry_their_types_files_and_attributes() -> None:
    schemas = {
        **SCHEMAS,
        "Upload": {
            "allOf": [ref("Pet")],
            "type": "object",
            "required": ["image"],
            "properties": {
                "image": {
                    "type": "string",
                    "format": "binary",
                    "description": "A PNG.",
                },
                "image[]": {
                    "type": "array",
                    "items": {"type": "string", "format": "binary"},
                },
                "size": ref("Size"),
                "200": {"type": "integer"},
            },
        },
    }
    fields = model_fields(schemas["Upload"], schemas, {"200": "field_200"})
    assert [
        (f.wire, f.attribute, f.type.annotation, f.required, f.file) for f in fields
    ] == [
        ("image", "image", "bytes", True, "single"),
        ("image[]", "image[]", "list[bytes]", False, "many"),
        ("size", "size", "Size", False, None),
        ("200", "field_200", "int", False, None),
        ("name", "name", "str", False, None),
    ]
    assert fields[0].description == "A PNG."
    assert required_alternatives(
        {"anyOf": [{"required": ["image"]}, {"required": ["image[]"]}]}
    ) == (("image",), ("image[]",))
