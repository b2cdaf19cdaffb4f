"""Check a bundled document against the OpenAPI meta-schema, leniently.

Published specs are often slightly off the meta-schema (`title` on an
operation, `exclusiveMinimum: true` in 3.1, a name twice in `required`) in
ways that do not stop anyone from understanding them. Such problems are
warnings located at the deepest offending node; only a document that is not
OpenAPI 3.0, 3.1 or 3.2 (read as 3.1 with its streamed
`itemSchema`) at all is an error.

The check uses jsonschema-rs, a compiled validator: it takes milliseconds on a
3 MB spec and reports every error with its full path into the document.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from .bundle import LoadedSpec

_DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
_MAX_MESSAGE = 200


def validate(spec: LoadedSpec) -> None:
    """Warn about every meta-schema error; raise SpecError if it is not OpenAPI 3."""
    version = openapi_version(spec)
    try:
        errors = list(_validator(version).iter_errors(spec.document))
    except (ValueError, TypeError, OverflowError) as exc:
        spec.warn(
            (), f"could not be checked against the OpenAPI {version} schema: {exc}"
        )
        return
    located = []
    for error in errors:
        deepest = _deepest(error)
        where = spec.locate(tuple(deepest.instance_path))
        line = spec.files.line(where.file, where.pointer) or 0
        located.append((str(where.file), line, where, _message(deepest)))
    for _, _, where, message in sorted(located, key=lambda item: item[:2]):
        spec.warn_at(where, message)


def openapi_version(spec: LoadedSpec) -> str:
    """`3.0`, `3.1` or `3.2`, from the document's `openapi` field."""
    document = spec.document
    if "swagger" in document:
        raise spec.error(
            ("swagger",),
            "unsupported: Swagger 2.0 (convert the spec to OpenAPI 3.0 or 3.1)",
        )
    version = str(document.get("openapi", ""))
    if version.startswith("3.0"):
        return "3.0"
    if version.startswith("3.1"):
        return "3.1"
    if version.startswith("3.2"):
        return "3.2"
    if version.startswith("3."):
        spec.warn(("openapi",), f"OpenAPI {version} is read as 3.1")
        return "3.1"
    raise spec.error(
        ("openapi",), f"unsupported OpenAPI version {version!r} (3.0 or 3.1)"
    )


@functools.cache
def _validator(version: str) -> Any:
    import jsonschema_rs  # here: only a run that validates pays for its import

    folder = resources.files(__package__) / "metaschemas"
    base = "3.1" if version == "3.2" else version
    schema = json.loads((folder / f"oas-{base}.json").read_text(encoding="utf-8"))
    if version == "3.2":
        _read_32_as_31(schema)
    if version == "3.0":
        return jsonschema_rs.validator_for(schema, validate_formats=False)
    # The 3.1 schema leaves Schema Objects to a `$dynamicAnchor: meta` dialect;
    # bind it to JSON Schema 2020-12, as the OAI's schema-base document does.
    with_dialect = {
        "$schema": _DIALECT_2020_12,
        "$id": "https://codegen.invalid/oas-3.1-schema-base",
        "$ref": schema["$id"],
        "$defs": {"schema": {"$dynamicAnchor": "meta", "$ref": _DIALECT_2020_12}},
    }
    registry = jsonschema_rs.Registry([(schema["$id"], schema)])
    return jsonschema_rs.validator_for(
        with_dialect, registry=registry, validate_formats=False
    )


def _read_32_as_31(schema: dict[str, Any]) -> None:
    """The 3.1 meta-schema, widened to what 3.2 adds that we read: streamed `itemSchema`."""
    schema["properties"]["openapi"]["pattern"] = r"^3\.[12]\.\d+(-.+)?$"
    schema["$defs"]["media-type"]["properties"]["itemSchema"] = {"$dynamicRef": "#meta"}


def _deepest(error: Any) -> Any:
    """The sub-error of a `oneOf`/`anyOf` failure that got furthest into the document."""
    branches = getattr(error.kind, "context", None) or []
    candidates = [_deepest(sub) for branch in branches for sub in branch]
    candidates = [c for c in candidates if not _is_reference_branch(c)]
    if not candidates:
        return error
    best = max(candidates, key=lambda c: len(c.instance_path))
    return best if len(best.instance_path) >= len(error.instance_path) else error


def _is_reference_branch(error: Any) -> bool:
    """`"$ref" is a required property`: the Reference Object alternative, not the point."""
    return type(error.kind).__name__ == "Required" and '"$ref"' in error.message


def _message(error: Any) -> str:
    """The validator's message on one short line, without quoting whole subtrees."""
    message = " ".join(str(error.message).split())
    if len(message) <= _MAX_MESSAGE:
        return message
    for tail in (" is not ", " has ", " is a ", " should "):
        at = message.rfind(tail)
        if at > 0:
            return "the value" + message[at:][:_MAX_MESSAGE]
    return message[: _MAX_MESSAGE - 3] + "..."
