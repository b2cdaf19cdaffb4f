"""The bundler: names survive across files, recursion stays a reference."""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from prance.util.resolver import RefResolver
from prance.util.url import ResolutionError, absurl

from codegen.pipeline import generate_package
from codegen.spec import load_spec


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root / "openapi.yaml"


TREE_SPEC = {
    "openapi.yaml": """
        openapi: 3.1.0
        info: {title: Trees, version: "1"}
        paths:
          /nodes/{id}:
            $ref: './paths/nodes.yaml#/node'
        components:
          responses:
            NotFound:
              description: No such node.
              content:
                application/json:
                  schema: {$ref: './schemas/tree.yaml#/Problem'}
        """,
    "paths/nodes.yaml": """
        node:
          get:
            operationId: getNode
            parameters:
              - {name: id, in: path, required: true, schema: {type: integer}}
            responses:
              '200':
                description: The node and its subtree.
                content:
                  application/json:
                    schema: {$ref: '../schemas/tree.yaml#/Node'}
              '404':
                $ref: '../openapi.yaml#/components/responses/NotFound'
        """,
    "schemas/tree.yaml": """
        Node:
          type: object
          description: A node whose children are nodes (through another file).
          required: [name]
          properties:
            name: {type: string}
            children: {$ref: './lists.yaml#/NodeList'}
        Problem:
          type: object
          properties:
            detail: {type: string}
        """,
    "schemas/lists.yaml": """
        NodeList:
          type: array
          items: {$ref: './tree.yaml#/Node'}
        """,
}


def test_recursion_across_files_stays_a_reference(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, TREE_SPEC))
    schemas = spec.document["components"]["schemas"]
    assert list(schemas) == ["Node", "Problem", "NodeList"]
    assert schemas["Node"]["properties"]["children"] == {
        "$ref": "#/components/schemas/NodeList"
    }
    assert schemas["NodeList"]["items"] == {"$ref": "#/components/schemas/Node"}
    # A reference back into the root file is inlined where it is used.
    not_found = spec.document["paths"]["/nodes/{id}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }


def test_prance_full_inlining_cannot_resolve_it(tmp_path: Path) -> None:
    # Why the bundler exists: prance's default resolution gives up on recursion.
    root = write(tmp_path, TREE_SPEC)
    resolver = RefResolver(yaml.safe_load(root.read_text()), absurl(str(root)))
    with pytest.raises(ResolutionError, match="(?i)recursion"):
        resolver.resolve_references()


def test_recursive_models_import_and_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = generate_package(write(tmp_path / "spec", TREE_SPEC), "trees_pkg")
    package = tmp_path / "out" / "trees_pkg"
    package.mkdir(parents=True)
    for name, text in files.items():
        (package / name).write_text(text)
    monkeypatch.syspath_prepend(str(package.parent))
    models = importlib.import_module("trees_pkg.models")
    try:
        tree = models.Node.model_validate(
            {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
        )
        assert tree.children.root[0].children.root[0].name == "c"
        assert "GetNodeResponse" not in files["models.py"]  # the body names a component
    finally:
        for name in [m for m in sys.modules if m.startswith("trees_pkg")]:
            del sys.modules[name]


def test_one_name_from_two_files_gets_the_name_of_its_file(tmp_path: Path) -> None:
    files = dict(TREE_SPEC)
    files["schemas/lists.yaml"] = """
        NodeList:
          type: array
          items: {$ref: './other.yaml#/Node'}
        """
    files["schemas/other.yaml"] = """
        Node: {type: string}
        """
    spec = load_spec(write(tmp_path, files))
    schemas = spec.document["components"]["schemas"]
    # Same depth: path order decides who keeps the name, the other takes its file's.
    assert schemas["Node"] == {"type": "string"}
    assert schemas["TreeNode"]["properties"]["name"] == {"type": "string"}
    assert schemas["NodeList"]["items"] == {"$ref": "#/components/schemas/Node"}
    (rename,) = [r for r in spec.diagnostics.renames if r.chosen == "TreeNode"]
    assert rename.written == "Node" and "tree.yaml#/Node" in rename.where
    assert "other.yaml#/Node" in rename.reason


def test_discriminator_mappings_follow_their_file(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": """
            openapi: 3.1.0
            info: {title: Pets, version: "1"}
            paths: {}
            components:
              schemas:
                Pet: {$ref: './pets.yaml#/Pet'}
            """,
        "pets.yaml": """
            Pet:
              oneOf: [{$ref: '#/Cat'}, {$ref: '#/Dog'}]
              discriminator:
                propertyName: kind
                mapping: {cat: '#/Cat', dog: '#/Dog'}
            Cat:
              type: object
              required: [kind]
              properties: {kind: {const: cat}}
            Dog:
              type: object
              required: [kind]
              properties: {kind: {const: dog}}
            """,
    }
    schemas = load_spec(write(tmp_path, files)).document["components"]["schemas"]
    assert list(schemas) == ["Pet", "Cat", "Dog"]
    mapping = schemas["Pet"]["discriminator"]["mapping"]
    assert mapping == {
        "cat": "#/components/schemas/Cat",
        "dog": "#/components/schemas/Dog",
    }


def test_locations_point_into_the_file_that_holds_the_node(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, TREE_SPEC))
    where = spec.locate(("paths", "/nodes/{id}", "get", "operationId"))
    assert where.file == (tmp_path / "paths" / "nodes.yaml").resolve()
    assert where.pointer == ("node", "get", "operationId")
