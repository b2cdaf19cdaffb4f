"""Reading real-world specs: YAML as JSON data, refs to any file, names from locations, warnings."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from codegen.errors import Diagnostics, SpecError
from codegen.pipeline import generate_package
from codegen.spec import load_spec
from codegen.spec.yaml12 import Yaml12Loader, load_yaml
from codegen.write import write_tree

from .conftest import FIXTURES

URN_CLASH = FIXTURES / "urn_clash" / "openapi.yaml"
WHOLE_FILE = FIXTURES / "whole_file" / "openapi.yaml"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root / "openapi.yaml"


# --- YAML as data --------------------------------------------------------------------------


def test_yaml_scalars_follow_yaml_1_2() -> None:
    data, _ = load_yaml(
        textwrap.dedent("""
        date: 2024-01-01
        timestamp: 2024-01-01T10:00:00Z
        exponent: 1e-08
        yes_no: [yes, no, on, off, y, n]
        booleans: [true, False, TRUE]
        octal_looking: 012
        octal: 0o17
        hex: 0x1F
        floats: [1.5, .5, -.inf, .NaN]
        nulls: [~, null, Null]
        empty:
        quoted: '1'
        """)
    )
    assert data["date"] == "2024-01-01"
    assert data["timestamp"] == "2024-01-01T10:00:00Z"
    assert data["exponent"] == 1e-08 and isinstance(data["exponent"], float)
    assert data["yes_no"] == ["yes", "no", "on", "off", "y", "n"]
    assert data["booleans"] == [True, False, True]
    assert data["octal_looking"] == 12
    assert (data["octal"], data["hex"]) == (15, 31)
    assert data["floats"][:3] == [1.5, 0.5, -math.inf] and math.isnan(data["floats"][3])
    assert data["nulls"] == [None, None, None] and data["empty"] is None
    assert data["quoted"] == "1"


def test_yaml_keys_are_the_text_written() -> None:
    data, _ = load_yaml("200: ok\nyes: y\n1.0: f\n~: n\nnull: n2\ntrue: t\n")
    assert list(data) == ["200", "yes", "1.0", "~", "null", "true"]


def test_yaml_merge_keys_still_merge() -> None:
    data, _ = load_yaml("base: &b {type: string}\nname:\n  <<: *b\n  maxLength: 3\n")
    assert data["name"] == {"type": "string", "maxLength": 3}


def test_big_files_use_the_c_parser_when_pyyaml_has_it() -> None:
    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(Yaml12Loader, yaml.CSafeLoader)


def test_spec_values_keep_their_yaml_1_2_meaning() -> None:
    spec = load_spec(WHOLE_FILE)
    order = spec.document["components"]["schemas"]["Order"]["properties"]
    assert order["status"]["enum"] == ["placed", "yes", "no", "on"]
    assert order["discount"]["minimum"] == 1e-08
    assert order["deliver_on"]["example"] == "2024-05-02"
    post = spec.document["paths"]["/orders"]["post"]
    example = post["requestBody"]["content"]["application/json"]["example"]
    assert example["placed_at"] == "2024-05-01T10:15:00Z"
    get_order = spec.document["paths"]["/orders/{orderId}"]["get"]
    assert list(get_order["responses"]) == ["200", "404"]  # `404:` is an int in YAML


# --- references to any file, maps that are references ---------------------------------------


def test_a_ref_to_a_text_file_takes_its_text() -> None:
    document = load_spec(WHOLE_FILE).document
    assert document["info"]["description"].startswith("Orders of a small shop")
    (sample,) = document["paths"]["/orders"]["get"]["x-codeSamples"]
    assert sample["source"] == "curl https://shop.example/orders\n"


def test_maps_of_the_document_may_be_refs_to_files() -> None:
    document = load_spec(WHOLE_FILE).document
    assert sorted(document["paths"]) == ["/orders", "/orders/{orderId}"]
    # The schemas map is a file whose entries are whole-file refs, named by their keys.
    assert list(document["components"]["schemas"]) == [
        "Order",
        "OrderList",
        "Problem",
        "OrderLine",
    ]
    not_found = document["components"]["responses"]["NotFound"]
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_a_whole_file_ref_is_named_after_the_file(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths:
                  /pets:
                    get:
                      responses:
                        '200':
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: schemas/pet-owner.yaml}
                """,
            "schemas/pet-owner.yaml": "type: object\nproperties: {name: {type: string}}\n",
        },
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert list(schemas) == ["PetOwner"]


# --- names that survive any layout ---------------------------------------------------------


def test_two_folders_that_both_define_urn() -> None:
    diagnostics = Diagnostics()
    schemas = load_spec(URN_CLASH, diagnostics).document["components"]["schemas"]
    assert schemas["Urn"]["description"] == "A uniform resource name of any resource."
    assert schemas["VpcsUrn"]["description"] == "The uniform resource name of a VPC."
    # Reached from droplets by another relative path: still the one VpcsUrn model.
    droplet = schemas["Droplet"]["allOf"][1]["properties"]
    assert droplet["vpc_urn"] == {"$ref": "#/components/schemas/VpcsUrn"}
    assert droplet["urn"] == {"$ref": "#/components/schemas/Urn"}
    # `#/writable` in two files: one keeps the name, the other takes its file's.
    assert schemas["Writable"]["required"] == ["size"]
    assert schemas["VpcWritable"]["required"] == ["name"]
    assert not [name for name in schemas if name[-1].isdigit()]
    renamed = {r.chosen: r for r in diagnostics.renames}
    assert "resources/vpcs/attributes/urn.yml" in renamed["VpcsUrn"].where
    assert "shared/attributes/urn.yml" in renamed["VpcsUrn"].reason
    assert "droplets/models/droplet.yaml#/writable" in renamed["VpcWritable"].reason


def test_names_do_not_depend_on_the_order_files_are_read(tmp_path: Path) -> None:
    copy = tmp_path / "urn_clash"
    shutil.copytree(URN_CLASH.parent, copy)
    root = copy / "openapi.yaml"
    text = root.read_text(encoding="utf-8")
    vpcs = "  /vpcs:\n    $ref: resources/vpcs/paths/vpcs.yaml\n"
    droplets = "  /droplets:\n    $ref: resources/droplets/paths/droplets.yaml\n"
    root.write_text(text.replace(vpcs + droplets, droplets + vpcs), encoding="utf-8")

    def names_by_place(spec_path: Path, base: Path) -> dict[str, str]:
        spec = load_spec(spec_path)
        return {
            f"{spec.locate(('components', 'schemas', name)).file.relative_to(base)}"
            f"#{'/'.join(map(str, spec.locate(('components', 'schemas', name)).pointer))}": name
            for name in spec.document["components"]["schemas"]
        }

    original = names_by_place(URN_CLASH, URN_CLASH.parent)
    reordered = names_by_place(root, copy)
    assert original == reordered
    assert list(load_spec(root).document["paths"]) == ["/droplets", "/vpcs"]


def test_names_differing_only_in_case_become_distinct_classes(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths: {}
                components:
                  schemas:
                    error: {type: object, properties: {code: {type: integer}}}
                    Error: {type: object, properties: {message: {type: string}}}
                    createIdentityBody: {type: object, properties: {name: {type: string}}}
                """,
        },
    )
    diagnostics = Diagnostics()
    schemas = load_spec(spec, diagnostics).document["components"]["schemas"]
    assert schemas["Error"] == {
        "type": "object",
        "properties": {"message": {"type": "string"}},
    }
    assert "CreateIdentityBody" in schemas
    (other,) = [n for n in schemas if n not in ("Error", "CreateIdentityBody")]
    assert other.endswith("Error") and schemas[other]["properties"] == {
        "code": {"type": "integer"}
    }
    assert {r.written for r in diagnostics.renames} == {"error", "createIdentityBody"}


@pytest.mark.parametrize(
    "fixture", [URN_CLASH, WHOLE_FILE], ids=lambda p: p.parent.name
)
def test_fixture_generates_and_every_module_uses_the_same_names(
    fixture: Path, tmp_path: Path
) -> None:
    package = fixture.parent.name + "_pkg"
    write_tree(tmp_path / package, generate_package(fixture, package))
    models = (tmp_path / package / "models.py").read_text(encoding="utf-8")
    if fixture == URN_CLASH:
        assert "class CreateVpcBody(" in models and "class VpcsUrn(" in models
        client = (tmp_path / package / "client.py").read_text(encoding="utf-8")
        assert "CreateVpcBody" in client and "createVpcBody" not in client
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {package}.models, {package}.client, {package}.server",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


# --- warnings: located at the deepest node, with the line ----------------------------------


def test_off_the_meta_schema_is_a_warning_at_the_deepest_node(tmp_path: Path) -> None:
    spec_path = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.0.3
                info: {title: t, version: "1"}
                paths:
                  /x:
                    $ref: paths/x.yaml
                """,
            "paths/x.yaml": """
                get:
                  operationId: getX
                  title: Operations have no title
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            oneOf:
                              - type: object
                                properties:
                                  kind: {const: a}
                              - type: string
            """,
        },
    )
    diagnostics = Diagnostics()
    load_spec(spec_path, diagnostics)
    found = {(w.file.name, w.line, w.pointer): w.message for w in diagnostics.warnings}
    x = "x.yaml"
    assert "'title' was unexpected" in found[(x, 1, "#/get")]
    deep = (
        "#/get/responses/200/content/application~1json/schema/oneOf/0/properties/kind"
    )
    assert "'const' was unexpected" in found[(x, 13, deep)]
    assert len(found) == 2


def test_3_1_problems_published_specs_have_are_warnings(tmp_path: Path) -> None:
    spec_path = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths: {}
                components:
                  schemas:
                    Job:
                      type: object
                      required: [id, name, id]
                      properties:
                        id: {type: string}
                        name: {type: string}
                        rate:
                          type: number
                          minimum: 0
                          exclusiveMinimum: true
                """,
        },
    )
    diagnostics = Diagnostics()
    load_spec(spec_path, diagnostics)
    pointers = {w.pointer: (w.line, w.message) for w in diagnostics.warnings}
    assert pointers["#/components/schemas/Job/required"][0] == 8
    assert "non-unique" in pointers["#/components/schemas/Job/required"][1]
    minimum = pointers["#/components/schemas/Job/properties/rate/exclusiveMinimum"]
    assert minimum[0] == 15 and "number" in minimum[1]
    # In the order of the file, printed as FILE:LINE: POINTER: message.
    first = str(diagnostics.warnings[0])
    assert first.endswith(
        "openapi.yaml:8: #/components/schemas/Job/required: "
        + pointers["#/components/schemas/Job/required"][1]
    )


def test_json_specs_get_lines_too(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(
        '{\n "openapi": "3.0.3",\n "info": {"title": "t", "version": "1"},\n'
        ' "paths": {\n  "/x": {\n   "get": {\n    "title": "no",\n'
        '    "responses": {"200": {"description": "ok"}}\n   }\n  }\n }\n}\n',
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    load_spec(tmp_path / "openapi.json", diagnostics)
    (warning,) = diagnostics.warnings
    assert (warning.line, warning.pointer) == (6, "#/paths/~1x/get")


def test_a_ref_into_a_schema_position_is_named_after_schema_and_position(
    tmp_path: Path,
) -> None:
    spec = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths: {}
                components:
                  schemas:
                    Pets: {type: array, items: {type: object, properties: {name: {type: string}}}}
                    Owner:
                      type: object
                      properties:
                        pet: {$ref: '#/components/schemas/Pets/items'}
                """,
        },
    )
    schemas = load_spec(spec).document["components"]["schemas"]
    assert schemas["Owner"]["properties"]["pet"] == {
        "$ref": "#/components/schemas/PetsItems"
    }


def test_a_ref_that_contains_itself_is_an_error_not_a_hang(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths:
                  /a:
                    get:
                      responses:
                        '200': {$ref: '#/paths/~1a'}
                """,
        },
    )
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert caught.value.line == 7
    assert caught.value.place == "#/paths/~1a/get/responses/200/$ref"
    assert "contains this reference" in caught.value.message


def test_yaml_aliases_that_loop_are_an_error(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths: {}
                x-loop: &loop {again: *loop}
                """,
        },
    )
    with pytest.raises(SpecError, match="nested too deeply"):
        load_spec(spec)


def test_a_warning_inside_a_schema_names_the_file_that_holds_it(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "urn_clash"
    shutil.copytree(URN_CLASH.parent, copy)
    model = copy / "resources" / "vpcs" / "models" / "vpc.yaml"
    model.write_text(
        model.read_text(encoding="utf-8").replace("maxLength: 255", "maxLength: -3"),
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    load_spec(copy / "openapi.yaml", diagnostics)
    (warning,) = diagnostics.warnings
    assert (warning.file, warning.line, warning.pointer) == (
        model,
        7,
        "#/writable/properties/name/maxLength",
    )


def test_a_schema_that_only_refers_back_to_itself_becomes_any(tmp_path: Path) -> None:
    spec_path = write(
        tmp_path,
        {
            "openapi.yaml": """
                openapi: 3.1.0
                info: {title: t, version: "1"}
                paths: {}
                components:
                  schemas:
                    Thing:
                      type: object
                      properties:
                        id2: {$ref: '#/components/schemas/Thing/properties/id2'}
                    A: {$ref: '#/components/schemas/B'}
                    B: {$ref: '#/components/schemas/A'}
                """,
        },
    )
    diagnostics = Diagnostics()
    spec = load_spec(spec_path, diagnostics)
    schemas = spec.document["components"]["schemas"]
    assert schemas["Id2"] == {}
    # Two schemas that only name each other: one becomes Any, the other refers to it.
    assert sorted([schemas["A"], schemas["B"]], key=len) == [
        {},
        {"$ref": "#/components/schemas/A"},
    ] or sorted([schemas["A"], schemas["B"]], key=len) == [
        {},
        {"$ref": "#/components/schemas/B"},
    ]
    lines = {(w.line, w.pointer) for w in diagnostics.warnings}
    assert (9, "#/components/schemas/Thing/properties/id2") in lines
    assert lines & {(10, "#/components/schemas/A"), (11, "#/components/schemas/B")}
    assert all("becomes Any" in w.message for w in diagnostics.warnings)


def test_lone_surrogates_are_replaced_and_located(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(
        '{"openapi": "3.1.0",\n "info": {"title": "t\\ud800", "version": "1"},\n'
        ' "paths": {},\n "x-ok": "\\ud83d\\ude00"}\n',
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    document = load_spec(tmp_path / "openapi.json", diagnostics).document
    assert document["info"]["title"] == "t\ufffd"
    assert document["x-ok"] == "\U0001f600"  # a proper pair stays the character
    (warning,) = diagnostics.warnings
    assert (warning.line, warning.pointer) == (2, "#/info/title")
