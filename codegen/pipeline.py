"""The one-way pipeline: load -> IR -> models and templates -> formatted files."""

from __future__ import annotations

from pathlib import Path

from .errors import SpecError
from .ir import build_api
from .load import load_spec
from .models import models_source
from .pysource import tidy_imports
from .render import render_package
from .write import Files, format_files


def generate_package(spec: Path, package: str) -> Files:
    """The generated package's files, formatted, by path relative to its folder."""
    loaded = load_spec(spec)
    api = build_api(loaded)
    try:
        models = models_source(api)
    except (
        Exception
    ) as exc:  # noqa: BLE001 - the model generator's own errors, whatever their class
        raise SpecError(
            loaded.root, "#/components/schemas", f"model generation failed: {exc}"
        ) from exc
    files = render_package(api, package, tidy_imports(models))
    return format_files(files)
