"""Files in models: every binary string schema is typed `UploadedFile` (uploads.py).

The server hands a file part of a form to its handler as an `UploadedFile` spooled
to disk, never as bytes read whole; the client's bytes validate into one too.
The model generator is told so through `customTypePath` on each binary string
schema; it writes an absolute import, made relative here so the package can be
copied under any parent package.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ir import Api

SchemaMap = dict[str, Any]
# Values, not schemas: an example shaped like a schema stays as it is.
_VALUES = frozenset({"example", "examples", "default", "enum", "const"})
# The generator wants a dotted path; its import line is rewritten afterwards.
_TYPE_PATH = "uploads.UploadedFile"
_IMPORT = re.compile(r"^from uploads import UploadedFile$", re.MULTILINE)


def with_upload_types(schemas: dict[str, SchemaMap]) -> dict[str, SchemaMap]:
    """Copies of `schemas` whose binary strings name the `UploadedFile` type."""
    return {name: _marked(schema) for name, schema in schemas.items()}


def uses_uploads(api: Api) -> bool:
    """Whether some model holds a file, so models.py imports uploads.py."""
    return any(_has_binary(model.schema) for model in api.models)


def relative_import(source: str) -> str:
    """`source` importing `UploadedFile` from the package's own uploads.py."""
    return _IMPORT.sub("from .uploads import UploadedFile", source)


def is_binary_string(schema: SchemaMap) -> bool:
    """`type: string` (or `[string, null]`) with `format: binary` or a `contentMediaType`."""
    declared = schema.get("type")
    if isinstance(declared, str):
        kinds = {declared}
    elif isinstance(declared, list):
        kinds = {str(kind) for kind in declared}
    else:
        return False
    return (
        "string" in kinds
        and kinds <= {"string", "null"}
        and (schema.get("format") == "binary" or "contentMediaType" in schema)
    )


def _marked(node: Any) -> Any:
    if isinstance(node, list):
        return [_marked(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: value if key in _VALUES else _marked(value) for key, value in node.items()
    }
    if is_binary_string(node):
        out["customTypePath"] = _TYPE_PATH
    return out


def _has_binary(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_binary(item) for item in node)
    if not isinstance(node, dict):
        return False
    return is_binary_string(node) or any(
        _has_binary(value) for key, value in node.items() if key not in _VALUES
    )


__all__ = ["is_binary_string", "relative_import", "uses_uploads", "with_upload_types"]
