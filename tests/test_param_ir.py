"""The IR's decisions about parameters: style, explode, shape, type and who parses them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codegen.ir import Param
from codegen.params import Wire

from .test_ir_fallbacks import built, spec_file, warnings_at

OK = {"200": {"description": "ok"}}


def params_of(tmp_path: Path, *parameters: dict[str, Any], path: str = "/p") -> Any:
    spec = spec_file(
        tmp_path,
        {
            path: {
                "get": {
                    "operationId": "op",
                    "parameters": list(parameters),
                    "responses": OK,
                }
            }
        },
        {"Point": {"type": "object", "properties": {"x": {"type": "integer"}}}},
    )
    api, diagnostics = built(spec)
    return {p.name: p for p in api.operations[0].params}, diagnostics


def query(name: str, schema: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **more}


INTS = {"type": "array", "items": {"type": "integer"}}


def test_defaults_per_location_and_who_parses(tmp_path: Path) -> None:
    params, diagnostics = params_of(
        tmp_path,
        query("plain", {"type": "integer"}),
        query("repeated", INTS),
        query("delimited", INTS, explode=False),
        {"name": "id", "in": "path", "required": True, "schema": INTS},
        {"name": "X-Ids", "in": "header", "schema": INTS},
        {"name": "c", "in": "cookie", "schema": {"type": "string"}},
        path="/p/{id}",
    )
    assert not diagnostics.warnings
    wires = {name: p.wire for name, p in params.items()}
    assert wires["plain"] == Wire("form", True, "scalar")
    assert wires["repeated"] == Wire("form", True, "array")
    assert wires["delimited"] == Wire("form", False, "array")
    assert wires["id"] == Wire("simple", False, "array")
    assert wires["X-Ids"] == Wire("simple", False, "array")
    # FastAPI parses scalars and repeated keys; the generated server the rest.
    native = {name for name, p in params.items() if p.native}
    assert native == {"plain", "repeated", "c"}
    assert params["id"].python_type == "list[int]"


def test_object_parameters_get_real_types(tmp_path: Path) -> None:
    params, diagnostics = params_of(
        tmp_path,
        query("point", {"$ref": "#/components/schemas/Point"}, style="deepObject"),
        query("inline", {"type": "object", "properties": {"a": {"type": "string"}}}),
        query(
            "counts", {"type": "object", "additionalProperties": {"type": "integer"}}
        ),
        query("anything", {"type": "object"}),
        {
            "name": "encoded",
            "in": "query",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Point"},
                    }
                }
            },
        },
    )
    assert not diagnostics.warnings
    assert params["point"].python_type == "Point"
    assert params["point"].fields == ("x",)
    assert params["point"].wire == Wire("deepObject", True, "object")
    assert params["inline"].python_type == "OpInline"
    assert params["counts"].python_type == "dict[str, int]"
    assert params["anything"].python_type == "dict[str, str]"
    assert params["encoded"].python_type == "list[Point]"
    assert params["encoded"].wire.content == "application/json"
    assert not any(p.native for p in params.values())


def test_styles_that_do_not_fit_are_warnings_and_fallbacks(tmp_path: Path) -> None:
    params, diagnostics = params_of(
        tmp_path,
        query("wrong", INTS, style="matrix"),
        query("deep", INTS, style="deepObject"),
        {"name": "c", "in": "cookie", "schema": INTS, "explode": True},
        query(
            "objects",
            {"type": "array", "items": {"$ref": "#/components/schemas/Point"}},
        ),
    )
    base = "#/paths/~1p/get/parameters"
    assert params["wrong"].wire.style == "form"
    assert any("form is used" in w for w in warnings_at(diagnostics, f"{base}/0/style"))
    assert params["deep"].wire.style == "form"
    assert any(
        "deepObject is for objects" in w
        for w in warnings_at(diagnostics, f"{base}/1/style")
    )
    assert params["c"].wire.explode is False
    assert "comma-separated" in warnings_at(diagnostics, f"{base}/2/explode")[0]
    objects: Param = params["objects"]
    assert objects.python_type == "str"
    assert objects.wire.shape == "scalar" and objects.native
    assert "read as a string" in warnings_at(diagnostics, f"{base}/3")[0]


def test_label_and_matrix_scalars_are_parsed_by_the_generated_server(
    tmp_path: Path,
) -> None:
    params, _ = params_of(
        tmp_path,
        {
            "name": "id",
            "in": "path",
            "required": True,
            "style": "label",
            "schema": {"type": "integer"},
        },
        path="/p/{id}",
    )
    assert params["id"].wire == Wire("label", False, "scalar")
    assert not params["id"].native


def test_nullable_object_parameter_is_typed_by_its_object(tmp_path: Path) -> None:
    params, diagnostics = params_of(
        tmp_path,
        query(
            "metadata",
            {
                "anyOf": [
                    {"type": "object", "additionalProperties": {"type": "string"}},
                    {"type": "null"},
                ]
            },
            style="deepObject",
        ),
    )
    assert not diagnostics.warnings
    assert params["metadata"].python_type == "dict[str, str]"
    assert params["metadata"].wire == Wire("deepObject", True, "object")


def test_webhook_payloads_with_several_methods_name_the_method(tmp_path: Path) -> None:
    body = {
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": {"a": {"type": "string"}}}
            }
        }
    }
    item = {m: {"requestBody": body, "responses": OK} for m in ("post", "put")}
    spec = spec_file(tmp_path, {}, webhooks={"thing-changed": item})
    api, _ = built(spec)
    names = {m.name for m in api.models}
    assert {"ThingChangedWebhookPost", "ThingChangedWebhookPut"} <= names
