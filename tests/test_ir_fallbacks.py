"""What the IR does with constructs the generated code cannot express yet.

Each becomes a warning naming its fallback (raw bytes, generic events, `Any`,
skipped) and the package still generates and works: raw bodies and answers
round-trip through the generated client and server, a stream whose events are
not enumerated arrives as generic events, names never clash. Small specs are
written to tmp_path as JSON.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from codegen.class_names import RESERVED
from codegen.client_view import client_context
from codegen.errors import Diagnostics
from codegen.ir import Api, build_api
from codegen.models import models_source
from codegen.pipeline import generate_package
from codegen.spec import load_spec
from codegen.streams import GENERIC_STREAM

from .conftest import SPEC, mypy_strict_command
from .server_harness import GeneratedPackage, generated_package

Document = dict[str, Any]


def spec_file(
    folder: Path, paths: Document, schemas: Document | None = None, **more: Any
) -> Path:
    document: Document = {
        "openapi": "3.1.0",
        "info": {"title": "Fallbacks", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}, **more.pop("components", {})},
        **more,
    }
    path = folder / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def built(path: Path) -> tuple[Api, Diagnostics]:
    diagnostics = Diagnostics()
    api = build_api(load_spec(path, diagnostics))
    return api, diagnostics


def warnings_at(diagnostics: Diagnostics, pointer: str) -> list[str]:
    return [w.message for w in diagnostics.warnings if w.pointer == pointer]


def answer(description: str, media_type: str, schema: Document) -> Document:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def ref(name: str) -> Document:
    return {"$ref": f"#/components/schemas/{name}"}


# --- raw content and generic events, end to end ---------------------------------------------

BINARY = {"type": "string", "format": "binary"}
FALLBACK_PATHS: Document = {
    "/blobs/{blob-id}": {
        "put": {
            "operationId": "putBlob",
            "parameters": [
                {
                    "name": "blob-id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/octet-stream": {"schema": BINARY}},
            },
            "responses": {"200": answer("the stored image", "image/png", BINARY)},
        }
    },
    "/notes": {
        "post": {
            "operationId": "postNote",
            "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
            "responses": {"200": answer("the note", "text/plain", {"type": "string"})},
        }
    },
    "/things": {
        "patch": {
            "operationId": "patchThing",
            "requestBody": {
                "content": {"application/merge-patch+json": {"schema": ref("Thing")}}
            },
            "responses": {
                "200": answer("the thing", "application/vnd.api+json", ref("Thing"))
            },
        }
    },
    "/events": {
        "get": {
            "operationId": "watch",
            "responses": {
                "200": answer("events", "text/event-stream", ref("AnyEvent"))
            },
        }
    },
}
FALLBACK_SCHEMAS: Document = {
    "Thing": {"type": "object", "properties": {"name": {"type": "string"}}},
    # No property tells the variants apart: the events stay generic.
    "AnyEvent": {"oneOf": [ref("Started"), ref("Stopped")]},
    "Started": {"type": "object", "properties": {"type": {"type": "string"}}},
    "Stopped": {"type": "object", "properties": {"at": {"type": "integer"}}},
}


@pytest.fixture(scope="module")
def fallbacks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("fallbacks")
    spec = spec_file(root, FALLBACK_PATHS, FALLBACK_SCHEMAS)
    with generated_package(spec, root, stem="fallbacks") as package:
        yield package


class Handlers:
    """Handlers of the fallbacks spec that say what they were given."""

    def __init__(self, streaming: Any) -> None:
        self.streaming = streaming
        self.seen: dict[str, Any] = {}

    async def put_blob(self, body: bytes, context: Any, *, blob_id: str) -> bytes:
        self.seen["put_blob"] = (body, blob_id, context.request.headers["content-type"])
        return body[::-1]

    async def post_note(self, body: str, context: Any) -> str:
        self.seen["post_note"] = body
        return body.upper()

    async def patch_thing(self, body: Any, context: Any) -> Any:
        self.seen["patch_thing"] = context.request.headers["content-type"]
        return body

    async def watch(self, context: Any) -> AsyncIterator[Any]:
        yield self.streaming.UnknownEvent("started", {"type": "started", "at": 1})
        yield self.streaming.UnknownEvent("message", "plain text")


@pytest.fixture(scope="module")
def round_trip(fallbacks: GeneratedPackage) -> Iterator[tuple[Any, Handlers]]:
    handlers = Handlers(fallbacks.module("streaming"))
    app = fallbacks.module("server").create_app(handlers)
    with TestClient(app) as http:
        client = fallbacks.module("client").Client(
            "http://testserver", http_client=http
        )
        yield client, handlers


def test_a_binary_body_and_answer_are_bytes_both_ways(
    round_trip: tuple[Any, Handlers],
) -> None:
    client, handlers = round_trip
    answer = client.put_blob(blob_id="a b", body=b"\x89PNG\x00")
    assert answer.content_type == "image/png"
    assert answer.read() == b"\x00GNP\x89"
    assert handlers.seen["put_blob"] == (
        b"\x89PNG\x00",
        "a b",
        "application/octet-stream",
    )


def test_a_text_body_and_answer_are_text_in_the_client(
    round_trip: tuple[Any, Handlers],
) -> None:
    client, handlers = round_trip
    assert client.post_note(body="héllo") == "HÉLLO"
    assert handlers.seen["post_note"] == "héllo"


def test_json_media_types_are_json_and_sent_as_written(
    round_trip: tuple[Any, Handlers], fallbacks: GeneratedPackage
) -> None:
    client, handlers = round_trip
    thing = client.patch_thing(name="x")
    assert thing == fallbacks.module("models").Thing(name="x")
    assert handlers.seen["patch_thing"] == "application/merge-patch+json"


def test_a_stream_without_enumerated_types_gives_generic_events(
    round_trip: tuple[Any, Handlers], fallbacks: GeneratedPackage
) -> None:
    client, _ = round_trip
    UnknownEvent = fallbacks.module("streaming").UnknownEvent
    assert list(client.watch()) == [
        UnknownEvent("started", {"type": "started", "at": 1}),
        UnknownEvent("message", "plain text"),
    ]


def test_each_fallback_is_a_warning_that_names_it(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    generate_package(
        spec_file(tmp_path, FALLBACK_PATHS, FALLBACK_SCHEMAS), "pkg", diagnostics
    )
    said = {w.pointer: w.message for w in diagnostics.warnings}
    stream = "#/paths/~1events/get/responses/200/content/text~1event-stream/schema"
    assert (
        "becomes generic events" in said[stream]
        or "become generic events" in said[stream]
    )
    # Raw bodies and answers and JSON media types are expressed, not fallbacks.
    assert len(said) == 1, said


# --- request bodies: which media type wins ---------------------------------------------------


@pytest.mark.parametrize(
    ("media_types", "chosen", "kind"),
    [
        (
            ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"],
            "multipart/form-data",
            "multipart",
        ),
        (
            ["application/octet-stream", "application/x-www-form-urlencoded"],
            "application/x-www-form-urlencoded",
            "form",
        ),
        (
            ["application/xml", "application/vnd.foo+json"],
            "application/vnd.foo+json",
            "json",
        ),
        (["image/*"], "application/octet-stream", "binary"),
        (["text/*"], "text/plain", "text"),
        (["text/event-stream"], "text/event-stream", "binary"),
    ],
)
def test_a_body_prefers_json_then_multipart_then_form_then_raw(
    tmp_path: Path, media_types: list[str], chosen: str, kind: str
) -> None:
    content = {
        m: {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}
        for m in media_types
    }
    paths = {
        "/x": {
            "post": {
                "operationId": "send",
                "requestBody": {"content": content},
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    api, _ = built(spec_file(tmp_path, paths))
    body = api.operations[0].body
    assert body is not None
    assert (body.media_type, body.kind) == (chosen, kind)
    assert (body.model is None) == (kind in ("text", "binary"))


# --- security schemes ------------------------------------------------------------------------


def test_unsupported_security_schemes_are_skipped_with_a_warning(
    tmp_path: Path,
) -> None:
    schemes = {
        "mtls": {"type": "mutualTLS"},
        "digest": {"type": "http", "scheme": "digest"},
        "token": {"type": "http", "scheme": "bearer"},
    }
    paths = {
        "/x": {
            "get": {
                "operationId": "getX",
                "security": [
                    {"mtls": []},
                    {"token": [], "digest": []},
                    {"nowhere": []},
                ],
                "responses": {"204": {"description": "done"}},
            }
        }
    }
    api, diagnostics = built(
        spec_file(tmp_path, paths, components={"securitySchemes": schemes})
    )
    assert [s.name for s in api.security_schemes] == ["token"]
    assert api.operations[0].security == ((), ("token",), ())
    for name in ("mtls", "digest"):
        (message,) = warnings_at(diagnostics, f"#/components/securitySchemes/{name}")
        assert "skipped" in message
    assert warnings_at(diagnostics, "#/paths/~1x/get/security/2/nowhere")


# --- wrongly typed nodes ---------------------------------------------------------------------


def test_wrongly_typed_nodes_are_skipped_with_a_warning_where_they_are(
    tmp_path: Path,
) -> None:
    ok = {"200": {"description": "ok"}}
    paths = {
        "/string": "a path item that is a string",
        "/numbers": {"get": {"operationId": "numbers", "responses": 5}},
        "/params": {
            "get": {
                "operationId": "params",
                "parameters": [
                    {"in": "query"},
                    {"name": "q"},
                    "text",
                    {"name": "ok", "in": "query"},
                ],
                "responses": ok,
            },
            "post": {
                "operationId": "notAList",
                "parameters": {"a": 1},
                "responses": ok,
            },
        },
    }
    api, diagnostics = built(spec_file(tmp_path, paths))
    assert [op.name for op in api.operations] == ["numbers", "params", "not_a_list"]
    assert [p.name for p in api.operations[1].params] == ["ok"]
    for pointer in (
        "#/paths/~1string",
        "#/paths/~1numbers/get/responses",
        "#/paths/~1params/get/parameters/0",
        "#/paths/~1params/get/parameters/1",
        "#/paths/~1params/get/parameters/2",
        "#/paths/~1params/post/parameters",
    ):
        assert any("skipped" in m for m in warnings_at(diagnostics, pointer)), pointer


# --- schemas the model generator could not read ----------------------------------------------


def test_schemas_are_normalised_once_and_warned_about_once(tmp_path: Path) -> None:
    schemas = {
        "Tree": {
            "type": "object",
            "required": ["size", "size"],
            "properties": {
                "size": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                "kind": {"type": "file"},
                "notes": {"type": "string", "enum": "one"},
                "children": {"type": "array", "items": {"$recursiveRef": "#"}},
                "broken": 5,
                "twice": {"oneOf": [{"type": "string"}, {"type": "string"}]},
            },
        },
        "Single": {
            "type": "object",
            "required": "name",
            "properties": {"name": {"type": "string"}},
        },
    }
    api, diagnostics = built(spec_file(tmp_path, {}, schemas))
    models = {m.name: m.schema for m in api.models}
    tree = models["Tree"]
    assert tree["required"] == ["size"]
    assert tree["properties"]["size"] == {"type": "number", "exclusiveMinimum": 0}
    assert tree["properties"]["kind"] == {}
    assert tree["properties"]["notes"] == {"type": "string"}
    assert tree["properties"]["children"]["items"] == ref("Tree")
    assert tree["properties"]["broken"] == {}
    # No value matches exactly one of two equal options: each is kept once.
    assert tree["properties"]["twice"] == {"oneOf": [{"type": "string"}]}
    assert models["Single"]["required"] == ["name"]
    by_pointer: dict[str, int] = {}
    for warning in diagnostics.warnings:
        by_pointer[warning.pointer] = by_pointer.get(warning.pointer, 0) + 1
    assert all(count == 1 for count in by_pointer.values()), by_pointer
    recursive = "#/components/schemas/Tree/properties/children/items/$recursiveRef"
    assert warnings_at(diagnostics, recursive) == [
        "`$recursiveRef` is read as a `$ref` to Tree"
    ]
    source = models_source(api)
    assert "class Tree(BaseModel)" in source


def test_an_if_then_rule_that_cannot_be_enforced_is_a_warning(tmp_path: Path) -> None:
    schemas = {
        "Order": {
            "type": "object",
            "properties": {"kind": {"type": "string"}, "size": {"type": "integer"}},
            "if": {"properties": {"kind": {"pattern": "^big"}}},
            "then": {"required": ["size"]},
        }
    }
    api, diagnostics = built(spec_file(tmp_path, {}, schemas))
    (order,) = api.models
    assert order.rules == ()
    assert "if" not in order.schema
    (message,) = warnings_at(
        diagnostics, "#/components/schemas/Order/if/properties/kind"
    )
    assert message.endswith("this rule is not enforced")


# --- names -----------------------------------------------------------------------------------


def test_names_generated_modules_use_become_model_names_every_module_shares(
    tmp_path: Path,
) -> None:
    schemas = {
        name: {"type": "object", "properties": {"a": {"type": "string"}}}
        for name in ("Field", "Response", "Client", "ValueError", "Any", "Pet")
    }
    paths = {
        "/x": {
            "post": {
                "operationId": "x",
                "requestBody": {
                    "content": {"application/json": {"schema": ref("Field")}}
                },
                "responses": {"200": answer("ok", "application/json", ref("Response"))},
            }
        }
    }
    diagnostics = Diagnostics()
    files = generate_package(spec_file(tmp_path, paths, schemas), "pkg", diagnostics)
    renamed = {r.written: r.chosen for r in diagnostics.renames}
    assert renamed == {
        "Field": "FieldModel",
        "Response": "ResponseModel",
        "Client": "ClientModel",
        "ValueError": "ValueErrorModel",
        "Any": "AnyModel",
    }
    classes = top_level_classes(files["models.py"])
    assert set(renamed.values()) | {"Pet"} <= classes
    for module in ("client.py", "server.py"):
        assert "FieldModel" in imported_models(files[module])


def test_inline_schemas_are_named_after_their_owner_never_numbered(
    tmp_path: Path,
) -> None:
    status = {"type": "string", "enum": ["on", "off"]}
    schemas = {
        "Pet": {
            "type": "object",
            "properties": {
                "status": status,
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
                "tags": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"t": {"type": "string"}},
                    },
                },
                "shape": {
                    "oneOf": [
                        {
                            "title": "circle",
                            "type": "object",
                            "properties": {"r": {"type": "number"}},
                        },
                        {
                            "type": "object",
                            "properties": {
                                "type": {"const": "square"},
                                "side": {"type": "number"},
                            },
                        },
                        {"type": "object", "properties": {"w": {"type": "number"}}},
                        {"type": "array", "items": {"type": "string"}, "minItems": 2},
                    ]
                },
                "grid": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "minItems": 1,
                    },
                },
                "best_friend": {"allOf": [ref("Pet")], "nullable": False},
            },
        },
        "PetStatus": {"type": "object", "properties": {"since": {"type": "string"}}},
        "Event": {
            "allOf": [
                {"anyOf": [ref("Pet"), ref("PetStatus")]},
                {"type": "object", "properties": {"seq": {"type": "integer"}}},
            ]
        },
    }
    api, _ = built(spec_file(tmp_path, {}, schemas))
    source = models_source(api)
    classes = top_level_classes(source)
    # The inline enum is a `Literal` alias named after its field.
    assert top_level_aliases(source) == {"Status"}
    assert {
        "Pet",
        "PetStatus",
        "PetOwner",
        "PetTagsItem",
        "PetShapeCircle",
        "PetShapeSquare",
        "PetShapeWithW",
        "EventPet",
        "EventPetStatus",
        "PetShapeArray",
        "PetGridItem",
    } <= classes
    assert classes - {"OpenInAnswers"} | {"Status"} == {m.name for m in api.models}


def test_operation_and_parameter_names_are_distinct_identifiers(tmp_path: Path) -> None:
    ok = {"204": {"description": "done"}}
    params = [
        {"name": name, "in": where, "schema": {"type": "string"}}
        for name, where in [
            ("body", "query"),
            ("Body", "query"),
            ("id", "query"),
            ("id", "header"),
            ("class", "header"),
            ("self", "cookie"),
        ]
    ]
    paths = {
        "/a": {"get": {"operationId": "close", "parameters": params, "responses": ok}},
        "/b": {"get": {"operationId": "Close", "responses": ok}},
        "/c": {"get": {"operationId": "class", "responses": ok}},
        "/d": {"get": {"operationId": "getThing", "responses": ok}},
        "/e": {"get": {"operationId": "get_thing", "responses": ok}},
        "/f": {"get": {"operationId": "watch", "responses": ok}},
        "/g": {"get": {"operationId": "watch_stream", "responses": ok}},
    }
    api, _ = built(spec_file(tmp_path, paths))
    names = [op.name for op in api.operations]
    owned = names + [f"{n}_stream" for n in names]
    assert len(set(owned)) == len(owned), names
    assert all(n.isidentifier() and n not in ("close", "class") for n in names)
    python = [p.python_name for p in api.operations[0].params]
    assert len(set(python)) == len(python)
    assert all(p.isidentifier() and p not in ("body", "self", "class") for p in python)


def test_stream_fallback_is_the_generic_stream(tmp_path: Path) -> None:
    api, _ = built(spec_file(tmp_path, FALLBACK_PATHS, FALLBACK_SCHEMAS))
    (watch,) = [op for op in api.operations if op.name == "watch"]
    assert watch.stream == GENERIC_STREAM
    assert api.generic_streams and not api.streams


def test_every_name_the_templates_define_is_reserved(
    fallbacks: GeneratedPackage,
) -> None:
    """class_names.RESERVED covers the package modules' own names, so no model can shadow one.

    The stream unions are named by the IR, which hands out model names too.
    """
    images = generate_package(SPEC, "images_api")
    streams = built(SPEC)[0].streams
    unions = {s.union for s in streams} | {s.client_type for s in streams}
    for files in (images, fallbacks.files):
        for module in ("client.py", "server.py", "streaming.py", "errors.py"):
            own = top_level_names(files[module]) - imported_models(files[module])
            # Resource classes are named after tags, clear of the models (codegen.client_names).
            capitalised = {
                n for n in own if n[:1].isupper() and not RESOURCE_CLASS.match(n)
            } - unions
            assert capitalised <= RESERVED, (module, capitalised - RESERVED)


RESOURCE_CLASS = re.compile(r"(Async)?\w+Resource_*(WithRawResponse)?$")


def top_level_classes(source: str) -> set[str]:
    return {n.name for n in ast.parse(source).body if isinstance(n, ast.ClassDef)}


def top_level_aliases(source: str) -> set[str]:
    return {
        target.id
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def imported_models(source: str) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom)
        and node.module == "models"
        and node.level == 1
        for alias in node.names
    }


def top_level_names(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_the_fallback_code_passes_mypy_strict(
    fallbacks: GeneratedPackage,
) -> None:
    result = subprocess.run(
        mypy_strict_command(fallbacks.folder),
        cwd=fallbacks.folder.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_client_arguments_never_hide_what_the_method_uses(tmp_path: Path) -> None:
    schemas = {
        "Thing": {
            "type": "object",
            "properties": {
                "Thing": {"type": "string"},
                "self": {"type": "string"},
                "files": {"type": "string"},
            },
        }
    }
    paths = {
        "/t": {
            "post": {
                "operationId": "make",
                "parameters": [
                    {"name": "Thing", "in": "query", "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "content": {"application/json": {"schema": ref("Thing")}}
                },
                "responses": {"200": answer("made", "application/json", ref("Thing"))},
            }
        }
    }
    api, _ = built(spec_file(tmp_path, paths, schemas))
    (make,) = client_context(api)["client_operations"]
    arguments = [a.python_name for a in make.arguments]
    assert len(set(arguments)) == len(arguments)
    assert not {"Thing", "self", "files"} & set(arguments)
    assert [wire for wire, _ in make.body_fields] == ["Thing", "self", "files"]


def test_property_names_become_pydantic_field_names(tmp_path: Path) -> None:
    """pydantic refuses `_200`; `+1` and `-1` must not both become `_1`."""
    wire_names = ["200", "+1", "-1", "", "_private", "class", "ok"]
    schemas = {
        "P": {
            "type": "object",
            "properties": {n: {"type": "string"} for n in wire_names},
        }
    }
    api, _ = built(spec_file(tmp_path, {}, schemas))
    (model,) = api.models
    attributes = [model.python_name(n) for n in wire_names]
    assert len(set(attributes)) == len(attributes)
    assert all(a.isidentifier() and not a.startswith("_") for a in attributes), (
        attributes
    )
    models = import_source(models_source(api), tmp_path)
    assert models.P.model_validate({"200": "a", "-1": "b"}).model_dump(
        by_alias=True, exclude_unset=True
    ) == {"200": "a", "-1": "b"}


def import_source(source: str, folder: Path) -> ModuleType:
    """`source` imported as a module of its own (pydantic resolves its annotations there)."""
    name = f"models_{uuid.uuid4().hex[:10]}"
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def test_a_map_of_references_in_array_items_is_a_model_of_its_own(
    tmp_path: Path,
) -> None:
    # Inline, the model generator loses the item type of an array whose items
    # map back to the array (a bare `RootModel[list]`, which mypy rejects).
    schemas = {
        "Forest": {
            "type": "array",
            "items": {"type": "object", "additionalProperties": ref("Forest")},
        }
    }
    api, _ = built(spec_file(tmp_path, {}, schemas))
    models = {m.name: m.schema for m in api.models}
    assert models["Forest"]["items"] == ref("ForestItem")
    assert models["ForestItem"]["additionalProperties"] == ref("Forest")
    assert "RootModel[list[ForestItem]]" in models_source(api).replace('"', "")
