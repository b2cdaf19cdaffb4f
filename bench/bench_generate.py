"""Benchmark: time and peak memory of `codegen generate` next to two other OpenAPI generators.

What is measured
    For one whole tool process, from start to exit:
    - wall-clock time, `time.perf_counter` around the process, and
    - peak memory: `ru_maxrss` of the tool's process as `os.wait4` returns it
      (KiB on Linux, shown in MiB). That is the largest resident set of the
      tool's process or of any descendant it waited for (openapi-python-client
      runs `ruff`), not the sum of processes that ran at the same time.
    Every tool is started through its console script (the one next to this
    Python, else the one on PATH), so interpreter start-up and imports count for
    every tool alike. Each run writes into a fresh temporary folder, which is
    then removed.
    The tool is not a direct child of this script but of a small launcher
    (`python -I -S -c LAUNCHER`) that spawns it, waits for it with `os.wait4`
    and reports exit status, seconds and ru_maxrss. Linux folds the memory
    high-water mark of the process that forked into the child's ru_maxrss, and
    this script holds parsed specs (hundreds of MiB); the launcher holds ~10 MiB,
    less than any tool, so the figure is the tool's own. The launcher's start-up
    is outside the timed span.

How
    For each (input, tool) pair: W untimed warm-up runs (`--warmup W`, default
    1), then N timed runs (`--repeat N`, default 3; `--quick` is one). The
    first failure (non-zero exit, or a timeout) ends that pair: it is reported as
    failed, with the exit status, the seconds and peak memory of the failing
    run and the last line of the tool's stderr (a traceback's exception line;
    stdout when stderr is empty), and the bench goes on with the next tool. The
    table shows the median time and every run, the highest peak memory of the
    timed runs, each as codegen / tool, and what the tool wrote (number of .py
    files and of `class` statements in them, counted after a successful run;
    the tools write different things, so it says how much, not how good).

Inputs (`--input NAME`, repeatable; default all)
    - images: the project's own spec, spec/openapi.yaml (multi-file).
    - synthetic: a large multi-file OpenAPI 3.1 spec built by this script in a
      temporary folder, deterministically (fixed seed): a root openapi.yaml
      (shared parameters and responses, shared schemas listed by $ref),
      paths/<domain>.yaml and schemas/<domain>.yaml with relative cross-file
      $refs, 288 operations and 492 component schemas (objects of 5-15
      properties of every JSON type, enums, arrays, nested and nullable
      references, allOf, a recursive schema, a oneOf with a discriminator),
      path, query and header parameters, JSON bodies and responses.
    - openai: OpenAI's published spec, ../shared/specs/openai/openapi.yaml from
      the repository root (one 3 MB YAML file, OpenAPI 3.1). When that folder
      is absent the bench says so and skips the input.

Tools
    a. `codegen generate`: the whole package (models, client, server, streaming,
       package files); it reads every spec directly, multi-file ones included.
    b. `datamodel-codegen` (models only) and
    c. `openapi-python-client generate` (a client package) cannot follow $refs
       across files, so for the multi-file specs both get the same single-file
       JSON bundled by `codegen.spec.load_spec` beforehand (bundling is not
       timed); a single-file spec (openai) they read directly, as codegen does.
    Each tool runs with its defaults otherwise: codegen formats with ruff
    (`formatter = "black"` selects black), datamodel-codegen with black and
    isort, openapi-python-client with ruff.
    The tools do not produce the same thing, so the numbers compare the cost of
    getting each tool's output from the same spec, not equal work.

Goals (issue 13), printed under the table as same-run ratios
    1. synthetic: codegen's time / datamodel-codegen's (models only): <= 1;
    2. openai: codegen's time / openapi-python-client's (a client only): <= 1;
    3. peak memory on the same two pairs: <= 1 ("Peak memory at most theirs");
    the other pairs' memory ratios are printed too, for information.

Output
    A Markdown table on stdout, also written to bench/results/generate.md;
    progress goes to stderr. Nothing is asserted about the times.

Usage
    python bench/bench_generate.py [--repeat N] [--quick] [--warmup W]
                                   [--input images|synthetic|openai ...]
    e.g. only OpenAI's spec, one timed run, no warm-up:
    python bench/bench_generate.py --input openai --repeat 1 --warmup 0
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import posixpath
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
IMAGES_SPEC = PROJECT_DIR / "spec" / "openapi.yaml"
# OpenAI's published spec, in the `shared` folder beside the repository folder.
OPENAI_SPEC = PROJECT_DIR.parent / "shared" / "specs" / "openai" / "openapi.yaml"
RESULTS_FILE = BENCH_DIR / "results" / "generate.md"
SEED = 20240611
RUN_TIMEOUT = 1800  # seconds; a run that takes longer counts as a failure
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# -- the synthetic spec -------------------------------------------------------

# Eight domains of six resources each: one paths file and one schemas file per domain.
DOMAINS: dict[str, list[str]] = {
    "billing": ["invoice", "payment", "refund", "coupon", "plan", "subscription"],
    "catalog": ["product", "variant", "brand", "collection", "review", "bundle"],
    "inventory": ["warehouse", "shelf", "stock_item", "transfer", "supplier", "batch"],
    "orders": ["order", "cart", "checkout", "fulfillment", "return_request", "quote"],
    "shipping": ["shipment", "carrier", "parcel", "route", "label", "pickup"],
    "identity": ["user", "team", "role", "api_token", "session", "invitation"],
    "analytics": ["report", "dashboard", "metric", "segment", "funnel", "export_job"],
    "support": ["ticket", "comment", "agent", "macro", "escalation", "survey"],
}

# Extra properties an object may get: wire name and schema.
EXTRA_PROPERTIES: list[tuple[str, dict[str, Any]]] = [
    ("description", {"type": "string", "maxLength": 2000}),
    ("display_name", {"type": "string", "minLength": 1, "maxLength": 120}),
    ("external_id", {"type": "string"}),
    ("locale", {"type": "string", "pattern": "^[a-z]{2}(-[A-Z]{2})?$"}),
    ("homepage", {"type": "string", "format": "uri"}),
    ("contact_email", {"type": "string", "format": "email"}),
    ("updated_at", {"type": "string", "format": "date-time"}),
    ("due_date", {"type": "string", "format": "date"}),
    ("priority", {"type": "integer", "minimum": 0, "maximum": 10}),
    ("quantity", {"type": "integer", "minimum": 0}),
    ("revision", {"type": "integer", "format": "int64"}),
    ("score", {"type": "number", "format": "double"}),
    ("weight_kg", {"type": "number", "minimum": 0}),
    ("ratio", {"type": "number", "minimum": 0, "maximum": 1}),
    ("enabled", {"type": "boolean"}),
    ("archived", {"type": "boolean", "default": False}),
    ("visibility", {"type": "string", "enum": ["public", "private", "internal"]}),
    ("channel", {"type": "string", "enum": ["web", "mobile", "api", "batch"]}),
    ("tier", {"type": "string", "enum": ["free", "standard", "premium", "enterprise"]}),
    ("labels", {"type": "array", "items": {"type": "string"}, "maxItems": 50}),
    ("counts", {"type": "array", "items": {"type": "integer"}}),
    ("scores", {"type": "array", "items": {"type": "number"}}),
    ("attributes", {"type": "object", "additionalProperties": {"type": "string"}}),
]

STATUS_WORDS = [
    "draft",
    "pending",
    "active",
    "paused",
    "completed",
    "cancelled",
    "failed",
    "archived",
]

COMMON_FILE = "schemas/common.yaml"


@dataclass(frozen=True)
class Resource:
    """One REST resource: five CRUD-ish operations, one search, ten schemas."""

    domain: str
    noun: str

    @property
    def name(self) -> str:
        return "".join(part.capitalize() for part in self.noun.split("_"))

    @property
    def plural(self) -> str:
        noun = self.noun.replace("_", "-")
        if noun.endswith(("s", "x", "ch", "sh")):
            return noun + "es"
        if noun.endswith("y") and noun[-2] not in "aeiou":
            return noun[:-1] + "ies"
        return noun + "s"

    @property
    def plural_name(self) -> str:
        return "".join(part.capitalize() for part in self.plural.split("-"))

    @property
    def schema_file(self) -> str:
        return f"schemas/{self.domain}.yaml"

    @property
    def paths_file(self) -> str:
        return f"paths/{self.domain}.yaml"

    @property
    def with_article(self) -> str:
        """The noun with its article: `an invoice`, `a payment`."""
        words = self.noun.replace("_", " ")
        return ("an " if words[0] in "aeiou" else "a ") + words

    @property
    def id_param(self) -> str:
        return self.name[0].lower() + self.name[1:] + "Id"


def ref(target_file: str, pointer: str, from_file: str) -> dict[str, str]:
    """A relative `$ref` from `from_file` to `pointer` in `target_file` (root-relative paths)."""
    if target_file == from_file:
        return {"$ref": f"#/{pointer}"}
    relative = posixpath.relpath(target_file, posixpath.dirname(from_file) or ".")
    if not relative.startswith("."):
        relative = "./" + relative
    return {"$ref": f"{relative}#/{pointer}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3.1 way: `type: [T, "null"]`, or `anyOf` with null for a $ref."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in schema or not isinstance(schema.get("type"), str):
        return schema
    return {**schema, "type": [schema["type"], "null"]}


def extra_properties(
    rng: random.Random, count: int, nullable_share: float = 0.25
) -> dict[str, Any]:
    """`count` distinct properties from the vocabulary, some of them nullable."""
    chosen = rng.sample(EXTRA_PROPERTIES, count)
    return {
        name: nullable(dict(schema)) if rng.random() < nullable_share else dict(schema)
        for name, schema in chosen
    }


def obj(
    properties: dict[str, Any], required: list[str], description: str
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
    }
    if required:
        schema["required"] = required
    return schema


def common_schemas() -> dict[str, Any]:
    """Shared schemas: errors, paging, money, the recursive tree, the discriminated shape."""
    here = COMMON_FILE
    return {
        "Error": obj(
            {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "request_id": {"type": ["string", "null"]},
                "details": {"type": "array", "items": ref(here, "ErrorDetail", here)},
            },
            ["code", "message"],
            "An error answer.",
        ),
        "ErrorDetail": obj(
            {
                "field": {"type": "string"},
                "reason": {"type": "string"},
                "severity": {"type": "string", "enum": ["info", "warning", "error"]},
                "hint": {"type": ["string", "null"]},
                "retryable": {"type": "boolean"},
            },
            ["reason"],
            "One problem of an error answer.",
        ),
        "PageInfo": obj(
            {
                "next_cursor": {"type": ["string", "null"]},
                "previous_cursor": {"type": ["string", "null"]},
                "has_more": {"type": "boolean"},
                "page_size": {"type": "integer", "minimum": 1, "maximum": 500},
                "total_estimate": {"type": "integer", "minimum": 0},
            },
            ["has_more", "page_size"],
            "Cursor paging of a list answer.",
        ),
        "Money": obj(
            {
                "amount": {"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
                "currency": {"type": "string", "minLength": 3, "maxLength": 3},
                "minor_units": {"type": "integer"},
                "tax_included": {"type": "boolean"},
                "exchange_rate": {"type": ["number", "null"]},
            },
            ["amount", "currency"],
            "An amount of money.",
        ),
        "Address": obj(
            {
                "line1": {"type": "string"},
                "line2": {"type": ["string", "null"]},
                "city": {"type": "string"},
                "postal_code": {"type": "string"},
                "country": {"type": "string", "minLength": 2, "maxLength": 2},
                "kind": {"type": "string", "enum": ["billing", "shipping", "office"]},
            },
            ["line1", "city", "country"],
            "A postal address.",
        ),
        "AuditInfo": obj(
            {
                "created_by": {"type": "string"},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_by": {"type": ["string", "null"]},
                "updated_at": {"type": ["string", "null"], "format": "date-time"},
                "source_ip": {"type": "string", "format": "ipv4"},
            },
            ["created_by", "created_at"],
            "Who changed a resource, and when.",
        ),
        "TreeNode": obj(
            {
                "id": {"type": "string"},
                "label": {"type": "string"},
                "depth": {"type": "integer", "minimum": 0},
                "parent_id": {"type": ["string", "null"]},
                "children": {"type": "array", "items": ref(here, "TreeNode", here)},
            },
            ["id", "label"],
            "A category tree; each node holds its children (recursive).",
        ),
        "Point": obj(
            {"x": {"type": "number"}, "y": {"type": "number"}},
            ["x", "y"],
            "A point in the plane.",
        ),
        "Circle": obj(
            {
                "kind": {"type": "string", "enum": ["circle"]},
                "center": ref(here, "Point", here),
                "radius": {"type": "number", "minimum": 0},
            },
            ["kind", "radius"],
            "A circle.",
        ),
        "Rectangle": obj(
            {
                "kind": {"type": "string", "enum": ["rectangle"]},
                "origin": ref(here, "Point", here),
                "width": {"type": "number"},
                "height": {"type": "number"},
            },
            ["kind", "width", "height"],
            "A rectangle.",
        ),
        "Polygon": obj(
            {
                "kind": {"type": "string", "enum": ["polygon"]},
                "points": {
                    "type": "array",
                    "items": ref(here, "Point", here),
                    "minItems": 3,
                },
            },
            ["kind", "points"],
            "A polygon.",
        ),
        "Shape": {
            "description": "A shape, told apart by `kind`.",
            "oneOf": [
                ref(here, name, here) for name in ("Circle", "Rectangle", "Polygon")
            ],
            "discriminator": {
                "propertyName": "kind",
                "mapping": {
                    name.lower(): ref(here, name, here)["$ref"]
                    for name in ("Circle", "Rectangle", "Polygon")
                },
            },
        },
    }


def resource_schemas(
    rng: random.Random, res: Resource, neighbour: Resource, index: int
) -> dict[str, Any]:
    """The ten schemas of one resource; `neighbour` is another resource it points to."""
    here = res.schema_file
    n = res.name

    def local(name: str) -> dict[str, str]:
        return ref(here, name, here)

    def common(name: str) -> dict[str, str]:
        return ref(COMMON_FILE, name, here)

    main = {
        "id": {"type": "string", "format": "uuid", "readOnly": True},
        "name": {"type": "string", "minLength": 1},
        "status": local(f"{n}Status"),
        "created_at": {"type": "string", "format": "date-time"},
        "settings": local(f"{n}Settings"),
        "related": ref(neighbour.schema_file, f"{neighbour.name}Summary", here),
    }
    # A few resources per domain get the shared, recursive and polymorphic schemas.
    if index == 0:
        main["category"] = common("TreeNode")
    if index == 1:
        main["shape"] = nullable(common("Shape"))
    if index % 3 == 2:
        main["price"] = common("Money")
    if index % 2 == 1:
        main["address"] = nullable(common("Address"))
    if index % 4 == 3:
        main["linked"] = {
            "type": "array",
            "items": ref(neighbour.schema_file, f"{neighbour.name}Summary", here),
        }
    main.update(extra_properties(rng, rng.randint(0, 15 - len(main))))

    statuses = rng.sample(STATUS_WORDS, rng.randint(3, 5))
    return {
        n: obj(
            main,
            ["id", "name", "status", "created_at"],
            f"{res.with_article.capitalize()}.",
        ),
        f"{n}Status": {
            "type": "string",
            "enum": statuses,
            "description": f"Life-cycle state of {res.with_article}.",
        },
        f"{n}Settings": obj(
            extra_properties(rng, rng.randint(5, 10), nullable_share=0.4),
            [],
            f"Tunable settings of {res.with_article}.",
        ),
        f"{n}Summary": obj(
            {
                "id": {"type": "string", "format": "uuid"},
                "name": {"type": "string"},
                "status": local(f"{n}Status"),
                **extra_properties(rng, rng.randint(2, 4)),
            },
            ["id", "name"],
            f"A short view of {res.with_article}, embedded in other resources.",
        ),
        f"{n}Create": obj(
            {
                "name": {"type": "string", "minLength": 1},
                "settings": local(f"{n}Settings"),
                **extra_properties(rng, rng.randint(3, 10)),
            },
            ["name"],
            f"Fields to create {res.with_article}.",
        ),
        f"{n}Update": {
            "description": f"A partial update of {res.with_article}: settings plus a few fields.",
            "allOf": [
                local(f"{n}Settings"),
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": ["string", "null"]},
                        "status": local(f"{n}Status"),
                        "reason": {"type": "string", "maxLength": 500},
                    },
                },
            ],
        },
        f"{n}Event": obj(
            {
                "id": {"type": "string"},
                "type": {
                    "type": "string",
                    "enum": ["created", "updated", "deleted", "restored"],
                },
                "occurred_at": {"type": "string", "format": "date-time"},
                "audit": common("AuditInfo"),
                "snapshot": nullable(local(f"{n}Summary")),
                **extra_properties(rng, rng.randint(0, 4)),
            },
            ["id", "type", "occurred_at"],
            f"Something that happened to {res.with_article}.",
        ),
        f"{n}Detail": {
            "description": f"{res.with_article.capitalize()} with its history.",
            "allOf": [
                local(n),
                {
                    "type": "object",
                    "properties": {
                        "events": {"type": "array", "items": local(f"{n}Event")},
                        "audit": common("AuditInfo"),
                    },
                },
            ],
        },
        f"{n}List": obj(
            {
                "data": {"type": "array", "items": local(n)},
                "page": common("PageInfo"),
                "total": {"type": "integer", "minimum": 0},
                "filters_applied": {"type": "array", "items": {"type": "string"}},
                "generated_at": {"type": "string", "format": "date-time"},
            },
            ["data", "page"],
            f"One page of {res.plural.replace('-', ' ')}.",
        ),
        f"{n}Filter": obj(
            {
                "text": {"type": "string"},
                "statuses": {"type": "array", "items": local(f"{n}Status")},
                "created_after": {"type": "string", "format": "date-time"},
                "created_before": {"type": ["string", "null"], "format": "date-time"},
                "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 500,
                    "default": 50,
                },
                **extra_properties(rng, rng.randint(0, 5)),
            },
            [],
            f"Search criteria for {res.plural.replace('-', ' ')}.",
        ),
    }


def json_body(schema_ref: dict[str, str]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema_ref}}}


def json_response(description: str, schema_ref: dict[str, str]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema_ref}},
    }


def resource_paths(res: Resource) -> dict[str, Any]:
    """Three path items (collection, item, search) holding six operations."""
    here = res.paths_file
    n = res.name

    def schema(name: str) -> dict[str, str]:
        return ref(res.schema_file, name, here)

    def root(pointer: str) -> dict[str, str]:
        return ref("openapi.yaml", pointer, here)

    tags = [res.domain]
    errors = {
        "400": root("components/responses/BadRequest"),
        "404": root("components/responses/NotFound"),
    }
    list_params = [
        root("components/parameters/Limit"),
        root("components/parameters/Cursor"),
        {"name": "status", "in": "query", "schema": schema(f"{n}Status")},
        {
            "name": "sort",
            "in": "query",
            "schema": {
                "type": "string",
                "enum": ["created_at", "-created_at", "name", "-name"],
            },
        },
        {
            "name": "include_archived",
            "in": "query",
            "schema": {"type": "boolean", "default": False},
        },
    ]
    id_param = {
        "name": res.id_param,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    return {
        res.plural: {
            "get": {
                "operationId": f"list{res.plural_name}",
                "summary": f"List {res.plural}",
                "tags": tags,
                "parameters": list_params,
                "responses": {
                    "200": json_response("A page.", schema(f"{n}List")),
                    "400": errors["400"],
                },
            },
            "post": {
                "operationId": f"create{n}",
                "summary": f"Create {res.with_article}",
                "tags": tags,
                "parameters": [root("components/parameters/IdempotencyKey")],
                "requestBody": json_body(schema(f"{n}Create")),
                "responses": {
                    "201": json_response("Created.", schema(n)),
                    "400": errors["400"],
                },
            },
        },
        res.noun: {
            "parameters": [id_param],
            "get": {
                "operationId": f"get{n}",
                "summary": f"Get {res.with_article}",
                "tags": tags,
                "responses": {
                    "200": json_response("Found.", schema(f"{n}Detail")),
                    "404": errors["404"],
                },
            },
            "patch": {
                "operationId": f"update{n}",
                "summary": f"Update {res.with_article}",
                "tags": tags,
                "requestBody": json_body(schema(f"{n}Update")),
                "responses": {"200": json_response("Updated.", schema(n)), **errors},
            },
            "delete": {
                "operationId": f"delete{n}",
                "summary": f"Delete {res.with_article}",
                "tags": tags,
                "responses": {"204": {"description": "Deleted."}, "404": errors["404"]},
            },
        },
        f"{res.plural}-search": {
            "post": {
                "operationId": f"search{res.plural_name}",
                "summary": f"Search {res.plural}",
                "tags": tags,
                "parameters": [root("components/parameters/Limit")],
                "requestBody": json_body(schema(f"{n}Filter")),
                "responses": {
                    "200": json_response("Matches.", schema(f"{n}List")),
                    "400": errors["400"],
                },
            },
        },
    }


def root_document(resources: list[Resource]) -> dict[str, Any]:
    """openapi.yaml: info, path items by reference, shared parameters and responses."""
    paths: dict[str, Any] = {}
    for res in resources:
        base = f"/{res.domain}/{res.plural}"
        paths[base] = ref(res.paths_file, res.plural, "openapi.yaml")
        paths[f"{base}/{{{res.id_param}}}"] = ref(
            res.paths_file, res.noun, "openapi.yaml"
        )
        paths[f"{base}/search"] = ref(
            res.paths_file, f"{res.plural}-search", "openapi.yaml"
        )
    # The root lists the shared schemas by reference, as real multi-file specs do,
    # and its own responses use them through that list.
    shared = {name: ref(COMMON_FILE, name, "openapi.yaml") for name in common_schemas()}
    error = {"$ref": "#/components/schemas/Error"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Synthetic Commerce API",
            "version": "2.0.0",
            "description": "A large generated spec for benchmarks.",
        },
        "servers": [{"url": "https://api.example.com/v2"}],
        "tags": [{"name": domain} for domain in DOMAINS],
        "security": [{"BearerAuth": []}],
        "paths": paths,
        "components": {
            "parameters": {
                "Limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 500,
                        "default": 50,
                    },
                },
                "Cursor": {
                    "name": "cursor",
                    "in": "query",
                    "schema": {"type": "string"},
                },
                "IdempotencyKey": {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "schema": {"type": "string", "maxLength": 64},
                },
            },
            "responses": {
                "BadRequest": json_response("Invalid request.", error),
                "NotFound": json_response("No such resource.", error),
            },
            "securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": shared,
        },
    }


class _PlainDumper(yaml.SafeDumper):
    """Writes shared objects out again instead of as YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def build_synthetic_spec(folder: Path, seed: int = SEED) -> Path:
    """Write the multi-file spec under `folder`; return its root openapi.yaml."""
    rng = random.Random(seed)
    resources = [
        Resource(domain, noun) for domain, nouns in DOMAINS.items() for noun in nouns
    ]
    files: dict[str, dict[str, Any]] = {
        "openapi.yaml": root_document(resources),
        COMMON_FILE: common_schemas(),
    }
    for position, res in enumerate(resources):
        # Each resource points at a resource of the next domain: a cross-file $ref.
        neighbour = resources[(position + len(DOMAINS[res.domain])) % len(resources)]
        files.setdefault(res.schema_file, {}).update(
            resource_schemas(rng, res, neighbour, position % 6)
        )
        files.setdefault(res.paths_file, {}).update(resource_paths(res))
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.dump(content, Dumper=_PlainDumper, sort_keys=False), encoding="utf-8"
        )
    return folder / "openapi.yaml"


# -- inputs --------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """A spec, and the single file the tools that cannot follow cross-file $refs read.

    For a multi-file spec `bundled` is the JSON bundled by codegen's loader; for
    a single-file spec it is `spec` itself.
    """

    name: str
    spec: Path
    bundled: Path
    operations: int
    schemas: int

    @property
    def single_file(self) -> bool:
        return self.bundled == self.spec

    @property
    def label(self) -> str:
        return f"{self.name} ({self.operations} ops / {self.schemas} schemas)"


def count(document: dict[str, Any]) -> tuple[int, int]:
    """Operations under `paths` and schemas under `components/schemas`."""
    paths = document.get("paths") or {}
    operations = sum(
        1
        for item in paths.values()
        if isinstance(item, dict)
        for method in HTTP_METHODS
        if method in item
    )
    schemas = len((document.get("components") or {}).get("schemas") or {})
    return operations, schemas


def prepare_input(name: str, spec: Path, workdir: Path) -> Input:
    """Bundle `spec` with codegen's loader into one JSON file and count what is in it."""
    from codegen.spec import load_spec

    document = load_spec(spec).document
    bundled = workdir / f"{name}.bundled.json"
    bundled.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return Input(name, spec, bundled, *count(document))


def prepare_single_file_input(name: str, spec: Path) -> Input:
    """A one-file spec every tool reads as it is; counted with plain PyYAML.

    Not with codegen's loader: whether codegen copes with the file is part of
    what is measured, and a failure must not stop the other tools.
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with spec.open("rb") as stream:
        document = yaml.load(stream, Loader=loader)
    return Input(name, spec, spec, *count(document))


# -- tools ---------------------------------------------------------------------


def codegen_args(source: Input, out: Path) -> list[str]:
    """codegen reads the spec itself, multi-file or not."""
    return [
        "generate",
        "--spec",
        str(source.spec),
        "--output",
        str(out / "pkg"),
        "--package",
        "bench_api",
    ]


def datamodel_codegen_args(source: Input, out: Path) -> list[str]:
    return [
        "--input", str(source.bundled),
        "--input-file-type", "openapi",
        "--output-model-type", "pydantic_v2.BaseModel",
        "--output", str(out / "models.py"),
    ]  # fmt: skip


def openapi_python_client_args(source: Input, out: Path) -> list[str]:
    return [
        "generate",
        "--path",
        str(source.bundled),
        "--output-path",
        str(out / "client"),
        "--overwrite",
    ]


@dataclass(frozen=True)
class Tool:
    name: str
    script: str  # console script
    args: Callable[
        [Input, Path], list[str]
    ]  # its arguments for an input and an output folder
    output: str  # what it writes

    def note(self, source: Input) -> str:
        if self is CODEGEN:
            reads = "spec read directly"
        elif source.single_file:
            reads = "file read directly"
        else:
            reads = "bundled JSON"
        return f"{reads}; {self.output}"


CODEGEN = Tool(
    "codegen generate",
    "codegen",
    codegen_args,
    "whole package (models, client, server)",
)
TOOLS = [
    CODEGEN,
    Tool(
        "datamodel-codegen",
        "datamodel-codegen",
        datamodel_codegen_args,
        "models only",
    ),
    Tool(
        "openapi-python-client",
        "openapi-python-client",
        openapi_python_client_args,
        "client only",
    ),
]


def find_script(name: str) -> str:
    """The console script installed next to this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name}: not installed")
    return found


def tool_env() -> dict[str, str]:
    """PATH with this Python's scripts first (openapi-python-client runs `ruff` from it)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(
        [str(Path(sys.executable).parent), env.get("PATH", "")]
    )
    return env


def tool_version(tool: Tool) -> str:
    try:
        done = subprocess.run(
            [find_script(tool.script), "--version"],
            capture_output=True,
            text=True,
            timeout=120,
            env=tool_env(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    match = re.search(r"\d+(\.\d+)+\S*", done.stdout + done.stderr)
    return match.group(0) if match else "unknown"


def codegen_revision() -> str:
    """The project's git commit, marked when codegen's code or templates differ from it."""
    git = ["git", "-C", str(PROJECT_DIR)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "codegen", "templates"],
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + (
        " + uncommitted changes" if dirty.stdout.strip() else ""
    )


# -- timing and memory ---------------------------------------------------------

# Run as `python -I -S -c LAUNCHER REPORT COMMAND...` with the tool's cwd, env
# and output files: spawns COMMAND, waits for it and writes "exit seconds
# maxrss_kib" to REPORT. Only builtin modules, so it starts in ~10 MiB.
LAUNCHER = """\
import os, sys, time
report, *command = sys.argv[1:]
start = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(report, "w") as stream:
    stream.write(f"{os.waitstatus_to_exitcode(status)} {elapsed!r} {usage.ru_maxrss}\\n")
"""
# ru_maxrss unit: KiB on Linux, bytes on macOS.
MAXRSS_PER_MIB = 1024 * 1024 if sys.platform == "darwin" else 1024


@dataclass
class Run:
    seconds: float
    peak_mib: float
    py_files: int = 0
    classes: int = 0


@dataclass
class Result:
    source: Input
    tool: Tool
    version: str
    runs: list[Run] = field(default_factory=list)
    error: str | None = None

    @property
    def times(self) -> list[float]:
        return [run.seconds for run in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs and not self.error else None

    @property
    def peak(self) -> float | None:
        return (
            max(r.peak_mib for r in self.runs) if self.runs and not self.error else None
        )


class RunFailed(Exception):
    pass


def count_output(folder: Path) -> tuple[int, int]:
    """How many .py files the tool wrote, and how many `class` statements are in them."""
    files = classes = 0
    for path in folder.rglob("*.py"):
        files += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        classes += len(re.findall(r"^\s*class \w", text, re.MULTILINE))
    return files, classes


def run_once(tool: Tool, source: Input, scratch: Path) -> Run:
    """One run into a fresh folder: its seconds, peak memory and output size, or RunFailed."""
    out = Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
    logs = Path(tempfile.mkdtemp(prefix="logs-", dir=scratch))
    report = logs / "rusage"
    try:
        command = [find_script(tool.script), *tool.args(source, out)]
        with (
            (logs / "stdout").open("wb") as stdout,
            (logs / "stderr").open("wb") as stderr,
        ):
            launcher = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", LAUNCHER, str(report), *command],
                cwd=out,
                env=tool_env(),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,  # the tool and its children: one group to kill
            )
            try:
                launcher.wait(timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
                raise RunFailed(f"timed out after {RUN_TIMEOUT} s") from None
            except BaseException:  # Ctrl-C: its own session does not get it
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
                raise
        output = (logs / "stderr").read_text(encoding="utf-8", errors="replace")
        if not report.is_file():  # the launcher itself failed
            raise RunFailed(f"launcher failed: {last_error_line(output, '')}")
        status, seconds, maxrss = report.read_text().split()
        run = Run(float(seconds), int(maxrss) / MAXRSS_PER_MIB)
        if int(status) != 0:
            stdout_text = (logs / "stdout").read_text(
                encoding="utf-8", errors="replace"
            )
            raise RunFailed(
                f"exit {status} after {run.seconds:.1f} s, {run.peak_mib:.0f} MiB: "
                f"{last_error_line(output, stdout_text)}"
            )
        run.py_files, run.classes = count_output(out)
        return run
    except FileNotFoundError as exc:
        raise RunFailed(str(exc)) from None
    finally:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(logs, ignore_errors=True)


def last_error_line(stderr: str, stdout: str) -> str:
    """The line that says what went wrong: the last line of stderr (of stdout when stderr is empty).

    In a traceback, that is the exception line; when something follows it, the
    last `SomeError: ...` line. Python warnings (`file:line: SomeWarning: ...`
    and the indented source line after them) are left out: they are printed
    whether the run fails or not.
    """
    for output in (stderr, stdout):
        lines: list[str] = []
        after_warning = False
        for raw in output.splitlines():
            if re.search(r"\b\w*Warning: ", raw):
                after_warning = True
            elif raw.strip() and not (after_warning and raw.startswith((" ", "\t"))):
                after_warning = False
                lines.append(raw.strip())
        if not lines:
            continue
        if any(line.startswith("Traceback (most recent call last)") for line in lines):
            exceptions = [
                line
                for line in lines
                if re.match(r"^[\w.]+(Error|Exception|Exit|Interrupt)\b", line)
            ]
            if exceptions:
                return exceptions[-1]
        return lines[-1]
    return "no output"


def measure(
    tool: Tool, source: Input, version: str, repeat: int, warmup: int, scratch: Path
) -> Result:
    result = Result(source, tool, version)
    try:
        for _ in range(warmup):  # untimed; the first also tells whether the tool copes
            run_once(tool, source, scratch)
        for _ in range(repeat):
            result.runs.append(run_once(tool, source, scratch))
    except RunFailed as exc:
        result.error = str(exc)
    return result


# -- report --------------------------------------------------------------------


def ratio(mine: float | None, theirs: float | None) -> str:
    if mine is None or theirs is None:
        return "n/a"
    return f"{mine / theirs:.2f}"


def code(text: str) -> str:
    """`text` as inline code that cannot break a table row."""
    return "`" + text.replace("|", "/").replace("`", "'") + "`"


def output_size(result: Result) -> str:
    if not result.runs or result.error:
        return "-"
    last = result.runs[-1]
    return f"{last.py_files} / {last.classes}"


def table(results: list[Result]) -> str:
    rows = [
        "| Input | Tool | Median (s) | codegen / tool (time) | Runs (s) "
        "| Peak memory (MiB) | codegen / tool (memory) | .py files / classes written "
        "| Version | Notes |",
        "|---|---|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for source in dict.fromkeys(r.source for r in results):
        group = [r for r in results if r.source == source]
        codegen = next((r for r in group if r.tool is CODEGEN), None)
        codegen_median = codegen.median if codegen else None
        codegen_peak = codegen.peak if codegen else None
        for result in group:
            median = "failed" if result.median is None else f"{result.median:.2f}"
            peak = "failed" if result.peak is None else f"{result.peak:.0f}"
            runs = " ".join(f"{t:.2f}" for t in result.times) or "-"
            note = result.tool.note(source)
            if result.error is not None:
                note += f"; **failed**: {code(result.error)}"
            rows.append(
                f"| {source.label} | {result.tool.name} | {median} "
                f"| {ratio(codegen_median, result.median)} | {runs} "
                f"| {peak} | {ratio(codegen_peak, result.peak)} "
                f"| {output_size(result)} | {result.version} | {note} |"
            )
    return "\n".join(rows)


# The (input, tool) pairs the goals name: codegen must be at most as slow, and
# use at most as much memory.
GOAL_PAIRS = (("synthetic", "datamodel-codegen"), ("openai", "openapi-python-client"))


def goals(results: list[Result]) -> list[str]:
    """The issue's three ratios from this run's figures, each with its verdict."""

    def find(source: str, tool: str) -> Result | None:
        return next(
            (r for r in results if r.source.name == source and r.tool.name == tool),
            None,
        )

    def verdict(mine: float | None, theirs: float | None) -> str:
        if mine is None or theirs is None:
            return "n/a (not measured or failed)"
        return f"{mine / theirs:.2f} ({'met' if mine <= theirs else 'NOT met'})"

    lines = ["## Goals: codegen / other tool, same run (<= 1.00 is met)", ""]
    for number, (source, tool) in enumerate(GOAL_PAIRS, 1):
        mine, theirs = find(source, CODEGEN.name), find(source, tool)
        lines.append(
            f"{number}. time, {source}, codegen / {tool}: "
            + verdict(mine and mine.median, theirs and theirs.median)
        )
    memory = []
    for source, tool in GOAL_PAIRS:
        mine, theirs = find(source, CODEGEN.name), find(source, tool)
        memory.append(
            f"{source} vs {tool} " + verdict(mine and mine.peak, theirs and theirs.peak)
        )
    lines.append("3. peak memory, codegen / tool: " + "; ".join(memory))
    others = []
    for result in results:
        mine = find(result.source.name, CODEGEN.name)
        pair = (result.source.name, result.tool.name)
        if result.tool is not CODEGEN and mine is not None and pair not in GOAL_PAIRS:
            others.append(
                f"{result.source.name} vs {result.tool.name} "
                + verdict(mine.peak, result.peak)
            )
    if others:
        lines.append("")
        lines.append(
            "Peak memory of the other pairs, for information: " + "; ".join(others)
        )
    return lines


def report(
    results: list[Result],
    repeat: int,
    warmup: int,
    revision: str,
    skipped: list[str],
) -> str:
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    lines = [
        "# Generation time and peak memory: codegen vs other OpenAPI generators",
        "",
        table(results) if results else "(no input measured)",
        "",
        *goals(results),
        "",
        f"- Time: wall-clock seconds per whole process (console script, start-up included), "
        f"median of {repeat} timed run(s) after {warmup} untimed warm-up run(s); fresh output folder each run.",
        "- Peak memory: `ru_maxrss` of the tool's process from `os.wait4` (KiB on Linux, shown in MiB), "
        "the highest of the timed runs: the largest resident set of the tool's process or of any child it "
        "waited for (openapi-python-client's `ruff`), not a sum of processes running at once. The tool is "
        "started by a ~10 MiB launcher, so the figure owes nothing to this script's own memory.",
        "- codegen / tool < 1 means codegen is faster / uses less memory. The tools do not produce the same "
        "output (codegen: a whole package with models, client and server; datamodel-codegen: models only; "
        "openapi-python-client: a client only); `.py files / classes written` counts what each wrote "
        "(`class` statements of every kind: models, enums, clients).",
        "- codegen reads every spec directly. For the multi-file specs, datamodel-codegen and "
        "openapi-python-client get the same single-file JSON, bundled beforehand by `codegen.spec.load_spec` "
        "(not timed); a single-file spec (openai) every tool reads as it is.",
        "- A failed run is reported with its exit status, seconds, peak memory and the last line of the "
        "tool's stderr; its time and memory are not in the median, peak or ratios.",
        f"- codegen source: commit {revision}.",
        f"- Synthetic spec: built by bench/bench_generate.py, seed {SEED}. Machine: {machine}.",
    ]
    lines += [f"- Skipped: {reason}" for reason in skipped]
    return "\n".join(lines) + "\n"


# -- main ----------------------------------------------------------------------

INPUT_NAMES = ("images", "synthetic", "openai")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs per tool and input (default 3)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one timed run each (same as --repeat 1)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="untimed runs before the timed ones, per tool and input (default 1)",
    )
    parser.add_argument(
        "--input",
        action="append",
        choices=INPUT_NAMES,
        dest="inputs",
        help="measure only this input (repeatable; default: all of them)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = 1
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")
    args.inputs = list(dict.fromkeys(args.inputs or INPUT_NAMES))
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def describe(result: Result) -> str:
    if result.error:
        return f"failed: {result.error}"
    return ", ".join(f"{r.seconds:.2f}s {r.peak_mib:.0f}MiB" for r in result.runs)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    revision = codegen_revision()  # before the runs: the source they measure
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        workdir = Path(tmp)
        inputs = []
        for name in args.inputs:
            if name == "images":
                inputs.append(prepare_input("images", IMAGES_SPEC, workdir))
            elif name == "synthetic":
                synthetic = build_synthetic_spec(workdir / "synthetic")
                inputs.append(prepare_input("synthetic", synthetic, workdir))
            elif not OPENAI_SPEC.is_file():
                reason = f"openai: {OPENAI_SPEC} is absent (the `shared` folder beside the repository)"
                log(f"skipping {reason}")
                skipped.append(reason)
            else:
                inputs.append(prepare_single_file_input("openai", OPENAI_SPEC))
        versions = {tool.name: tool_version(tool) for tool in TOOLS}
        results = []
        for source in inputs:
            for tool in TOOLS:
                log(
                    f"{source.label}: {tool.name} x {args.repeat} (+{args.warmup} warm-up) ..."
                )
                result = measure(
                    tool, source, versions[tool.name], args.repeat, args.warmup, workdir
                )
                log(f"  -> {describe(result)}")
                results.append(result)
    text = report(results, args.repeat, args.warmup, revision, skipped)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(text, end="")
    log(f"written to {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
