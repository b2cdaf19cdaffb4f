"""`codegen diff`: one pair of specs per kind of change, and the command as CI runs it.

The table starts from one small valid spec (path, query and header parameters,
a shared recursive component, a 204, a multipart upload answered by an event
stream, per-operation security) and changes one thing per case. Each case
asserts the whole list of reported changes, so a change reported twice, in
the wrong place or with the wrong classification fails as much as one missed.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from codegen.cli import main
from codegen.diff_report import render_markdown, render_text
from codegen.spec import load_spec
from codegen.spec_diff import Change, SpecDiff, diff_specs

from .conftest import FIXTURES, ROOT, run_codegen

PET = {"$ref": "#/components/schemas/Pet"}
PET_ID = {"name": "petId", "in": "path", "required": True, "schema": {"type": "string"}}

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "security": [{"bearer": []}],
    "paths": {
        "/pets/{petId}": {
            "parameters": [PET_ID],
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {"name": "fields", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "X-Request-Id",
                        "in": "header",
                        "schema": {"type": "string", "format": "uuid"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The pet.",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": PET}},
                    },
                    "404": {
                        "description": "No such pet.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"}
                            }
                        },
                    },
                },
            },
            "delete": {
                "operationId": "deletePet",
                "responses": {"204": {"description": "Deleted."}},
            },
        },
        "/pets": {
            "get": {
                "operationId": "listPets",
                "security": [],
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 100,
                            "default": 20,
                        },
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Pets.",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": PET}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createPet",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NewPet"}
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/PetRef"}
                            }
                        },
                    }
                },
            },
        },
        "/pets/{petId}/photos": {
            "post": {
                "operationId": "uploadPhoto",
                "parameters": [PET_ID],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["photo"],
                                "properties": {
                                    "photo": {"type": "string", "format": "binary"},
                                    "caption": {"type": "string", "maxLength": 200},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Upload progress.",
                        "content": {
                            "text/event-stream": {
                                "schema": {"$ref": "#/components/schemas/UploadEvent"}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        },
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "tag": {"type": ["string", "null"]},
                    "parent": PET,
                    "owner": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/Person"},
                            {"$ref": "#/components/schemas/Shelter"},
                        ],
                        "discriminator": {"propertyName": "ownerType"},
                    },
                },
            },
            "Person": {
                "type": "object",
                "required": ["ownerType"],
                "properties": {
                    "ownerType": {"const": "person"},
                    "name": {"type": "string"},
                },
            },
            "Shelter": {
                "type": "object",
                "required": ["ownerType"],
                "properties": {
                    "ownerType": {"const": "shelter"},
                    "city": {"type": "string"},
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string", "minLength": 1, "maxLength": 50},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "tag": {"type": "string"},
                    "class": {"type": "string"},
                    "weight": {"type": "number"},
                },
            },
            "PetRef": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
            },
            "Error": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "code": {"type": "integer"},
                    "message": {"type": "string"},
                },
            },
            "UploadEvent": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Progress"},
                    {"$ref": "#/components/schemas/Done"},
                ],
                "discriminator": {"propertyName": "type"},
            },
            "Progress": {
                "type": "object",
                "required": ["type", "percent"],
                "properties": {
                    "type": {"const": "progress"},
                    "percent": {"type": "integer"},
                },
            },
            "Done": {
                "type": "object",
                "required": ["type", "url"],
                "properties": {"type": {"const": "done"}, "url": {"type": "string"}},
            },
        },
    },
}

GET_PET = "GET /pets/{petId}"
DELETE_PET = "DELETE /pets/{petId}"
LIST = "GET /pets"
CREATE = "POST /pets"
UPLOAD = "POST /pets/{petId}/photos"
CREATE_BODY = "request body application/json"
UPLOAD_BODY = "request body multipart/form-data"
PET_200 = "response 200 application/json"
EVENTS = "response 200 text/event-stream"

Mutation = Callable[[dict[str, Any]], None]


def at(spec: dict[str, Any], *keys: str) -> Any:
    node: Any = spec
    for key in keys:
        node = node[key]
    return node


def schema(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda spec: spec["components"]["schemas"][name]


def op(path: str, method: str) -> Callable[[dict[str, Any]], Any]:
    return lambda spec: spec["paths"][path][method]


pet, new_pet = schema("Pet"), schema("NewPet")
get_pet, list_pets, create_pet, upload = (
    op("/pets/{petId}", "get"),
    op("/pets", "get"),
    op("/pets", "post"),
    op("/pets/{petId}/photos", "post"),
)


def rename_pet_path(spec: dict[str, Any]) -> None:
    item = spec["paths"].pop("/pets/{petId}")
    item["parameters"] = [{**PET_ID, "name": "id"}]
    spec["paths"]["/pets/{id}"] = item


def add_breeder(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Breeder"] = {
        "type": "object",
        "required": ["ownerType"],
        "properties": {"ownerType": {"const": "breeder"}},
    }
    pet(spec)["properties"]["owner"]["oneOf"].append(
        {"$ref": "#/components/schemas/Breeder"}
    )


def add_failed_event(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["Failed"] = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"const": "failed"}, "reason": {"type": "string"}},
    }
    schema("UploadEvent")(spec)["oneOf"].append({"$ref": "#/components/schemas/Failed"})


def split_new_pet_into_all_of(spec: dict[str, Any]) -> None:
    whole = new_pet(spec)
    names = {"name": whole["properties"].pop("name")}
    spec["components"]["schemas"]["Named"] = {
        "type": "object",
        "required": ["name"],
        "properties": names,
    }
    whole.pop("required")
    spec["components"]["schemas"]["NewPet"] = {
        "allOf": [{"$ref": "#/components/schemas/Named"}, whole]
    }


# (id, change to the old spec, change to the new spec, expected changes as (breaking, operation, where, message))
CASES: list[tuple[str, Mutation | None, Mutation, list[tuple[bool, str, str, str]]]] = [
    ("nothing changed", None, lambda s: None, []),
    # Operations
    (
        "operation removed",
        None,
        lambda s: at(s, "paths", "/pets/{petId}").pop("delete"),
        [(True, DELETE_PET, "", "operation removed")],
    ),
    (
        "operation added",
        None,
        lambda s: at(s, "paths", "/pets/{petId}").update(
            put={"responses": {"204": {"description": "Replaced."}}}
        ),
        [(False, "PUT /pets/{petId}", "", "operation added")],
    ),
    (
        "operationId changed",
        None,
        lambda s: get_pet(s).update(operationId="fetchPet"),
        [(True, GET_PET, "", 'operationId changed from "getPet" to "fetchPet"')],
    ),
    (
        "operation deprecated",
        None,
        lambda s: get_pet(s).update(deprecated=True),
        [(False, GET_PET, "", "deprecated")],
    ),
    (
        "path parameter renamed",
        None,
        rename_pet_path,
        [
            (False, "GET /pets/{id}", "path parameter id", "renamed from 'petId'"),
            (False, "DELETE /pets/{id}", "path parameter id", "renamed from 'petId'"),
        ],
    ),
    # Parameters
    (
        "required parameter added",
        None,
        lambda s: get_pet(s)["parameters"].append(
            {"name": "v", "in": "query", "required": True, "schema": {}}
        ),
        [(True, GET_PET, "query parameter v", "required parameter added")],
    ),
    (
        "optional parameter added",
        None,
        lambda s: get_pet(s)["parameters"].append(
            {"name": "v", "in": "query", "schema": {"type": "string"}}
        ),
        [(False, GET_PET, "query parameter v", "optional parameter added")],
    ),
    (
        "parameter removed",
        None,
        lambda s: get_pet(s)["parameters"].pop(0),
        [(True, GET_PET, "query parameter fields", "parameter removed")],
    ),
    (
        "parameter now required",
        None,
        lambda s: get_pet(s)["parameters"][0].update(required=True),
        [(True, GET_PET, "query parameter fields", "now required")],
    ),
    (
        "parameter now optional",
        lambda s: get_pet(s)["parameters"][1].update(required=True),
        lambda s: None,
        [(False, GET_PET, "header parameter X-Request-Id", "now optional")],
    ),
    (
        "header name case is not a change",
        None,
        lambda s: get_pet(s)["parameters"][1].update(name="x-request-id"),
        [],
    ),
    (
        "parameter type changed",
        None,
        lambda s: get_pet(s)["parameters"][0]["schema"].update(type="integer"),
        [
            (
                True,
                GET_PET,
                "query parameter fields",
                "type changed from string to integer",
            )
        ],
    ),
    (
        "parameter type widened",
        None,
        lambda s: list_pets(s)["parameters"][0]["schema"].update(type="number"),
        [(False, LIST, "query parameter limit", "type changed from integer to number")],
    ),
    (
        "parameter maximum lowered",
        None,
        lambda s: list_pets(s)["parameters"][0]["schema"].update(maximum=50),
        [(True, LIST, "query parameter limit", "maximum changed from 100 to 50")],
    ),
    (
        "parameter maximum raised",
        None,
        lambda s: list_pets(s)["parameters"][0]["schema"].update(maximum=500),
        [(False, LIST, "query parameter limit", "maximum changed from 100 to 500")],
    ),
    (
        "parameter default changed",
        None,
        lambda s: list_pets(s)["parameters"][0]["schema"].update(default=50),
        [(False, LIST, "query parameter limit", "default changed from 20 to 50")],
    ),
    (
        "parameter format removed",
        None,
        lambda s: get_pet(s)["parameters"][1]["schema"].pop("format"),
        [(False, GET_PET, "header parameter X-Request-Id", 'format "uuid" removed')],
    ),
    (
        "parameter defaults spelled out are no change",
        None,
        lambda s: get_pet(s)["parameters"][0].update(
            style="form", explode=True, deprecated=False
        ),
        [],
    ),
    (
        "parameter style changed",
        None,
        lambda s: get_pet(s)["parameters"][0].update(style="deepObject"),
        [
            (
                True,
                GET_PET,
                "query parameter fields",
                "serialization changed from form exploded to deepObject",
            )
        ],
    ),
    # Request bodies
    (
        "request property added",
        None,
        lambda s: new_pet(s)["properties"].update(age={"type": "integer"}),
        [(False, CREATE, f"{CREATE_BODY}: age", "optional property added")],
    ),
    (
        "required request property added",
        None,
        lambda s: (
            new_pet(s)["properties"].update(age={"type": "integer"}),
            new_pet(s)["required"].append("age"),
        ),
        [(True, CREATE, f"{CREATE_BODY}: age", "required property added")],
    ),
    (
        "request property removed",
        None,
        lambda s: new_pet(s)["properties"].pop("tag"),
        [(True, CREATE, f"{CREATE_BODY}: tag", "optional property removed")],
    ),
    (
        "read-only property leaves the request",
        None,
        lambda s: new_pet(s)["properties"].pop("id"),
        [],
    ),
    (
        "request property now required",
        None,
        lambda s: new_pet(s)["required"].append("tag"),
        [(True, CREATE, f"{CREATE_BODY}: tag", "now required")],
    ),
    (
        "request property now optional",
        None,
        lambda s: new_pet(s).pop("required"),
        [(False, CREATE, f"{CREATE_BODY}: name", "now optional")],
    ),
    (
        "request enum value removed",
        None,
        lambda s: new_pet(s)["properties"]["kind"].update(enum=["cat"]),
        [(True, CREATE, f"{CREATE_BODY}: kind", 'enum value "dog" removed')],
    ),
    (
        "request enum values added",
        None,
        lambda s: new_pet(s)["properties"]["kind"].update(
            enum=["cat", "dog", "fox", "owl"]
        ),
        [(False, CREATE, f"{CREATE_BODY}: kind", 'enum values "fox", "owl" added')],
    ),
    (
        "request string now an enumeration",
        None,
        lambda s: new_pet(s)["properties"]["class"].update(enum=["a", "b"]),
        [(True, CREATE, f"{CREATE_BODY}: class", 'now limited to "a", "b"')],
    ),
    (
        "request limits tightened",
        None,
        lambda s: new_pet(s)["properties"]["name"].update(minLength=2, maxLength=40),
        [
            (True, CREATE, f"{CREATE_BODY}: name", "maxLength changed from 50 to 40"),
            (True, CREATE, f"{CREATE_BODY}: name", "minLength changed from 1 to 2"),
        ],
    ),
    (
        "request limit removed",
        None,
        lambda s: new_pet(s)["properties"]["name"].pop("maxLength"),
        [(False, CREATE, f"{CREATE_BODY}: name", "maxLength 50 removed")],
    ),
    (
        "request pattern added",
        None,
        lambda s: new_pet(s)["properties"]["tag"].update(pattern="^[a-z]+|[0-9]+$"),
        [(True, CREATE, f"{CREATE_BODY}: tag", 'pattern "^[a-z]+|[0-9]+$" added')],
    ),
    (
        "request property accepts null",
        None,
        lambda s: new_pet(s)["properties"].update(
            tag={"anyOf": [{"type": "string"}, {"type": "null"}]}
        ),
        [(False, CREATE, f"{CREATE_BODY}: tag", "now accepts null")],
    ),
    (
        "request number narrowed to integer",
        None,
        lambda s: new_pet(s)["properties"]["weight"].update(type="integer"),
        [
            (
                True,
                CREATE,
                f"{CREATE_BODY}: weight",
                "type changed from number to integer",
            )
        ],
    ),
    (
        "request closed to extra properties",
        None,
        lambda s: new_pet(s).update(additionalProperties=False),
        [(True, CREATE, CREATE_BODY, "no longer accepts extra properties")],
    ),
    (
        "request restructured with allOf, same fields",
        None,
        split_new_pet_into_all_of,
        [],
    ),
    (
        "request body now optional",
        None,
        lambda s: create_pet(s)["requestBody"].update(required=False),
        [(False, CREATE, "request body", "now optional")],
    ),
    (
        "request body removed",
        None,
        lambda s: create_pet(s).pop("requestBody"),
        [(True, CREATE, "request body", "request body removed")],
    ),
    (
        "request content type added",
        None,
        lambda s: create_pet(s)["requestBody"]["content"].update(
            {"application/x-www-form-urlencoded": {}}
        ),
        [
            (
                False,
                CREATE,
                "request body",
                "content type application/x-www-form-urlencoded added",
            )
        ],
    ),
    (
        "request content type replaced",
        None,
        lambda s: upload(s)["requestBody"].update(
            content={"application/octet-stream": {}}
        ),
        [
            (True, UPLOAD, "request body", "content type multipart/form-data removed"),
            (
                False,
                UPLOAD,
                "request body",
                "content type application/octet-stream added",
            ),
        ],
    ),
    (
        "multipart field now required",
        None,
        lambda s: at(
            upload(s),
            "requestBody",
            "content",
            "multipart/form-data",
            "schema",
            "required",
        ).append("caption"),
        [(True, UPLOAD, f"{UPLOAD_BODY}: caption", "now required")],
    ),
    (
        "multipart file format changed",
        None,
        lambda s: at(
            upload(s),
            "requestBody",
            "content",
            "multipart/form-data",
            "schema",
            "properties",
            "photo",
        ).update(format="byte"),
        [
            (
                True,
                UPLOAD,
                f"{UPLOAD_BODY}: photo",
                'format changed from "binary" to "byte"',
            )
        ],
    ),
    # Responses: a shared, recursive component reports under each operation that returns it.
    (
        "response property removed",
        None,
        lambda s: pet(s)["properties"].pop("kind"),
        [
            (True, GET_PET, f"{PET_200}: kind", "optional property removed"),
            (True, LIST, f"{PET_200}: [].kind", "optional property removed"),
        ],
    ),
    (
        "response property added",
        None,
        lambda s: pet(s)["properties"].update(age={"type": "integer"}),
        [
            (False, GET_PET, f"{PET_200}: age", "optional property added"),
            (False, LIST, f"{PET_200}: [].age", "optional property added"),
        ],
    ),
    (
        "response enum value added",
        None,
        lambda s: pet(s)["properties"]["kind"]["enum"].append("owl"),
        [
            (True, GET_PET, f"{PET_200}: kind", 'enum value "owl" added'),
            (True, LIST, f"{PET_200}: [].kind", 'enum value "owl" added'),
        ],
    ),
    (
        "response enum value removed",
        None,
        lambda s: pet(s)["properties"]["kind"].update(enum=["cat"]),
        [
            (False, GET_PET, f"{PET_200}: kind", 'enum value "dog" removed'),
            (False, LIST, f"{PET_200}: [].kind", 'enum value "dog" removed'),
        ],
    ),
    (
        "response field may be null",
        None,
        lambda s: pet(s)["properties"]["name"].update(type=["string", "null"]),
        [
            (True, GET_PET, f"{PET_200}: name", "may now be null"),
            (True, LIST, f"{PET_200}: [].name", "may now be null"),
        ],
    ),
    (
        "response field no longer null",
        None,
        lambda s: pet(s)["properties"]["tag"].update(type="string"),
        [
            (False, GET_PET, f"{PET_200}: tag", "no longer null"),
            (False, LIST, f"{PET_200}: [].tag", "no longer null"),
        ],
    ),
    (
        "response field now optional",
        None,
        lambda s: pet(s)["required"].remove("name"),
        [
            (True, GET_PET, f"{PET_200}: name", "now optional"),
            (True, LIST, f"{PET_200}: [].name", "now optional"),
        ],
    ),
    (
        "response integer widened to number",
        None,
        lambda s: pet(s)["properties"]["id"].update(type="number"),
        [
            (True, GET_PET, f"{PET_200}: id", "type changed from integer to number"),
            (True, LIST, f"{PET_200}: [].id", "type changed from integer to number"),
        ],
    ),
    (
        "response union variant added",
        None,
        add_breeder,
        [
            (True, GET_PET, f"{PET_200}: owner", "oneOf variant breeder added"),
            (True, LIST, f"{PET_200}: [].owner", "oneOf variant breeder added"),
        ],
    ),
    (
        "response union variant changed",
        None,
        lambda s: schema("Shelter")(s)["properties"].update(city={"type": "integer"}),
        [
            (
                True,
                GET_PET,
                f"{PET_200}: owner (shelter).city",
                "type changed from string to integer",
            ),
            (
                True,
                LIST,
                f"{PET_200}: [].owner (shelter).city",
                "type changed from string to integer",
            ),
        ],
    ),
    (
        "stream event type added",
        None,
        add_failed_event,
        [(False, UPLOAD, EVENTS, "oneOf variant failed added")],
    ),
    (
        "stream event field removed",
        None,
        lambda s: schema("Done")(s)["properties"].pop("url"),
        [(True, UPLOAD, f"{EVENTS} (done): url", "required property removed")],
    ),
    (
        "success response removed",
        None,
        lambda s: create_pet(s).update(
            responses={"200": create_pet(s)["responses"]["201"]}
        ),
        [
            (True, CREATE, "response 201", "response removed"),
            (False, CREATE, "response 200", "response added"),
        ],
    ),
    (
        "error response removed, another added",
        None,
        lambda s: get_pet(s).update(
            responses={
                "200": get_pet(s)["responses"]["200"],
                "400": {
                    "description": "Bad.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}
                        }
                    },
                },
            }
        ),
        [
            (False, GET_PET, "response 404", "response removed"),
            (False, GET_PET, "response 400", "response added"),
        ],
    ),
    (
        "response header removed",
        None,
        lambda s: get_pet(s)["responses"]["200"].pop("headers"),
        [(True, GET_PET, "response 200 header etag", "header removed")],
    ),
    (
        "empty response gains a body",
        None,
        lambda s: at(s, "paths", "/pets/{petId}", "delete", "responses", "204").update(
            content={"application/json": {}}
        ),
        [(False, DELETE_PET, "response 204", "content type application/json added")],
    ),
    (
        "response content type added",
        None,
        lambda s: get_pet(s)["responses"]["200"]["content"].update(
            {"application/xml": {"schema": PET}}
        ),
        [(True, GET_PET, "response 200", "content type application/xml added")],
    ),
    # Security
    (
        "security alternative added",
        None,
        lambda s: get_pet(s).update(security=[{"bearer": []}, {"apiKey": []}]),
        [(False, GET_PET, "security", "also accepts apiKey")],
    ),
    (
        "security alternative removed",
        lambda s: get_pet(s).update(security=[{"bearer": []}, {"apiKey": []}]),
        lambda s: None,
        [(True, GET_PET, "security", "no longer accepts apiKey")],
    ),
    (
        "anonymous operation now needs credentials",
        None,
        lambda s: list_pets(s).pop("security"),
        [(True, LIST, "security", "now requires bearer")],
    ),
    (
        "operation opened to anonymous callers",
        None,
        lambda s: get_pet(s).update(security=[]),
        [(False, GET_PET, "security", "no longer requires authentication")],
    ),
    (
        "security scheme header renamed",
        None,
        lambda s: s["components"]["securitySchemes"]["apiKey"].update(name="X-Key"),
        [
            (
                True,
                "",
                "security scheme apiKey",
                'name changed from "X-API-Key" to "X-Key"',
            )
        ],
    ),
]


def _write(spec: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def _diff(tmp_path: Path, old: dict[str, Any], new: dict[str, Any]) -> SpecDiff:
    return diff_specs(
        load_spec(_write(old, tmp_path / "old.yaml")),
        load_spec(_write(new, tmp_path / "new.yaml")),
    )


@pytest.mark.parametrize(
    ("change_old", "change_new", "expected"),
    [case[1:] for case in CASES],
    ids=[c[0] for c in CASES],
)
def test_change_kind(
    tmp_path: Path,
    change_old: Mutation | None,
    change_new: Mutation,
    expected: list[tuple[bool, str, str, str]],
) -> None:
    old = copy.deepcopy(BASE)
    if change_old is not None:
        change_old(old)
    new = copy.deepcopy(BASE)
    change_new(new)
    found = _diff(tmp_path, old, new).changes
    assert [(c.breaking, c.operation, c.where, c.message) for c in found] == expected


def test_openapi_30_nullable(tmp_path: Path) -> None:
    """3.0's `nullable: true` counts as null, in both directions."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Notes", "version": "1"},
        "paths": {
            "/notes": {
                "put": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Note"}
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "Saved.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Note"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Note": {"type": "object", "properties": {"text": {"type": "string"}}}
            }
        },
    }
    new = copy.deepcopy(spec)
    new["components"]["schemas"]["Note"]["properties"]["text"]["nullable"] = True
    found = [
        (c.breaking, c.where, c.message) for c in _diff(tmp_path, spec, new).changes
    ]
    assert found == [
        (False, "request body application/json: text", "now accepts null"),
        (True, "response 200 application/json: text", "may now be null"),
    ]


@pytest.mark.parametrize(
    "fixture",
    ["library/openapi.yaml", "petstore30/openapi.yaml", "../../spec/openapi.yaml"],
)
def test_a_spec_against_itself_has_no_changes(fixture: str) -> None:
    spec = load_spec(FIXTURES / fixture)
    assert diff_specs(spec, spec).changes == []


SAMPLE = SpecDiff(
    [
        Change(True, "", "security scheme key", 'name changed from "a" to "b"'),
        Change(True, "GET /a", "query parameter q", "now required"),
        Change(
            False, "GET /a", "request body application/json: tag", 'pattern "a|b" added'
        ),
    ]
)


def test_text_report_groups_by_operation_breaking_first() -> None:
    assert render_text(SAMPLE, "old.yaml", "new.yaml") == (
        "API changes from old.yaml to new.yaml: 2 breaking, 1 non-breaking changes\n"
        "\n"
        "Breaking changes (2):\n"
        "  API-wide\n"
        '    - security scheme key: name changed from "a" to "b"\n'
        "  GET /a\n"
        "    - query parameter q: now required\n"
        "\n"
        "Non-breaking changes (1):\n"
        "  GET /a\n"
        '    - request body application/json: tag: pattern "a|b" added\n'
    )


def test_markdown_report_is_a_table_per_class_with_pipes_escaped() -> None:
    assert render_markdown(SAMPLE, "main:spec.yaml", "spec.yaml") == (
        "### API changes: 2 breaking, 1 non-breaking changes\n"
        "\n"
        "From `main:spec.yaml` to `spec.yaml`.\n"
        "\n"
        "#### Breaking changes (2)\n"
        "\n"
        "| Operation | Where | Change |\n"
        "| --- | --- | --- |\n"
        '| API-wide | `security scheme key` | name changed from "a" to "b" |\n'
        "| `GET /a` | `query parameter q` | now required |\n"
        "\n"
        "#### Non-breaking changes (1)\n"
        "\n"
        "| Operation | Where | Change |\n"
        "| --- | --- | --- |\n"
        '| `GET /a` | `request body application/json: tag` | pattern "a\\|b" added |\n'
    )


def test_no_changes_report() -> None:
    assert (
        render_text(SpecDiff(), "a", "b") == "API changes from a to b: no API changes\n"
    )
    assert (
        render_markdown(SpecDiff(), "a", "b")
        == "### API changes: no API changes\n\nFrom `a` to `b`.\n"
    )


@pytest.fixture
def specs(tmp_path: Path) -> tuple[Path, Path]:
    old = copy.deepcopy(BASE)
    new = copy.deepcopy(BASE)
    new_pet(new)["properties"]["kind"]["enum"] = ["cat"]  # breaking
    new_pet(new)["properties"]["age"] = {"type": "integer"}  # non-breaking
    return _write(old, tmp_path / "old.yaml"), _write(new, tmp_path / "new.yaml")


def test_cli_exit_codes(specs: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = specs
    runner = CliRunner()
    reported = runner.invoke(main, ["diff", str(old), str(new)])
    assert reported.exit_code == 0, reported.output
    assert (
        'request body application/json: kind: enum value "dog" removed'
        in reported.stdout
    )

    failed = runner.invoke(main, ["diff", str(old), str(new), "--fail-on-breaking"])
    assert failed.exit_code == 1
    assert (
        failed.stderr
        == "codegen diff: 1 breaking, 1 non-breaking changes; failing on the breaking ones\n"
    )

    same = runner.invoke(
        main, ["diff", str(old), str(old), "--fail-on-breaking", "--old-label", "main"]
    )
    assert same.exit_code == 0
    assert same.stdout.startswith("API changes from main to ")


def test_cli_spec_error_names_file_and_place(specs: tuple[Path, Path]) -> None:
    old, _ = specs
    result = CliRunner().invoke(
        main, ["diff", str(old), str(FIXTURES / "bad" / "bad_pointer" / "openapi.yaml")]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith("codegen: error: ") and "\n" not in message
    assert "bad_pointer" in message and "#/" in message


def test_images_spec_change_as_ci_sees_it(spec_copy: Path, tmp_path: Path) -> None:
    """The console script on the multi-file images spec: edits in a referenced file show per operation."""
    schemas = spec_copy.parent / "schemas" / "inference" / "images.yaml"
    text = schemas.read_text(encoding="utf-8")
    assert text.count("            - vivid\n") == 1
    schemas.write_text(text.replace("            - vivid\n", ""), encoding="utf-8")
    original = tmp_path / "original"
    shutil.copytree(ROOT / "spec", original)

    result = run_codegen(
        "diff",
        original / "openapi.yaml",
        spec_copy,
        "--format",
        "markdown",
        "--fail-on-breaking",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "### API changes: 1 breaking, 0 non-breaking change\n"
    )
    assert (
        '| `POST /v1/images/generations` | `request body application/json: style` | enum value "vivid" removed |'
        in result.stdout
    )
