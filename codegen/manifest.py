"""The generated package's manifest: what it was generated from, so `check` can answer at once.

`.codegen.json` in the package records the generator's version, the options,
a hash of every spec file the loader read (a split spec's change in any file
counts), the warnings generation printed, and a hash of every other generated
file. `codegen check` compares these with the spec and the folder on disk; when
all match, nothing needs regenerating. Any difference, or a manifest it cannot
read, sends `check` down its full path: regenerate and diff.

This module is on `check`'s fast path: it imports nothing heavier than hashlib
and json (no loader, no model generator, no templates, no formatter).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from .client_options import ClientOptions
from .errors import SpecWarning

MANIFEST = ".codegen.json"
"""The manifest's path in the package: a dotfile, as `.openapi-generator/` and `.stats.yml` are."""
_FORMAT = 1
"""Bumped when the manifest's layout changes; an unknown layout means a full check."""


def generator_version() -> str:
    """`codegen 0.1.0`: the toolkit that wrote the package."""
    return f"codegen {metadata.version('codegen')}"


def generation_options(
    package: str, client: ClientOptions, formatter: str
) -> dict[str, Any]:
    """Every option that shapes the generated files (not --strict or --verbose: they only report)."""
    return {"package": package, "formatter": formatter, **asdict(client)}


def manifest_text(
    root: Path,
    spec_texts: Mapping[Path, str],
    options: Mapping[str, Any],
    warnings: list[SpecWarning],
    files: Mapping[str, str],
) -> str:
    """The manifest of `files` generated from the spec whose root file is `root`.

    `spec_texts` are the texts the loader read, by resolved path. Paths are
    recorded relative to the root file's folder, so the bytes are the same
    wherever the project is checked out.
    """
    folder = root.parent
    manifest = {
        "format": _FORMAT,
        "generator": generator_version(),
        "options": dict(options),
        "spec": {
            "root": root.name,
            "files": {
                _relative(path, folder): _hash(text.encode("utf-8"))
                for path, text in sorted(
                    spec_texts.items(), key=lambda item: _relative(item[0], folder)
                )
            },
        },
        "warnings": [
            {
                "file": _relative(warning.file, folder),
                "line": warning.line,
                "pointer": warning.pointer,
                "message": warning.message,
            }
            for warning in warnings
        ],
        "files": {
            path: _hash(text.encode("utf-8"))
            for path, text in sorted(files.items())
            if path != MANIFEST
        },
    }
    # Keys in the order above, entries sorted: the same bytes on every run.
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def unchanged(
    output: Path, spec: Path, options: Mapping[str, Any]
) -> list[SpecWarning] | None:
    """The warnings recorded for `output` when it is exactly what `spec` and `options` generate now.

    None when anything differs or cannot be read: the generator, an option, a
    spec file the loader read, or a generated file changed, missing or added.
    """
    try:
        recorded = json.loads((output / MANIFEST).read_bytes())
        if (
            recorded["format"] != _FORMAT
            or recorded["generator"] != generator_version()
            or recorded["options"] != json.loads(json.dumps(dict(options)))
        ):
            return None
        root = spec.resolve()
        folder = root.parent
        if recorded["spec"]["root"] != root.name:
            return None
        for name, digest in recorded["spec"]["files"].items():
            # Read as the loader reads it: UTF-8, a byte-order mark dropped.
            text = (folder / name).read_bytes().decode("utf-8-sig")
            if _hash(text.encode("utf-8")) != digest:
                return None
        if _package_hashes(output) != recorded["files"]:
            return None
        return [
            SpecWarning(
                Path(os.path.normpath(folder / warning["file"])),
                warning["line"],
                warning["pointer"],
                warning["message"],
            )
            for warning in recorded["warnings"]
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        # No manifest, a hand-edited one, a spec file gone: the full check says what.
        return None


def _package_hashes(output: Path) -> dict[str, str]:
    """The hash of every file of the package but the manifest, as `codegen.write.read_tree` lists them."""
    return {
        path.relative_to(output).as_posix(): _hash(path.read_bytes())
        for path in output.rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.relative_to(output).as_posix() != MANIFEST
    }


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return path.as_posix()


def _hash(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
