"""The one-way pipeline: load -> IR -> models and templates -> formatted files."""

from __future__ import annotations

from pathlib import Path

from .errors import Diagnostics, SpecError
from .ir import build_api
from .models import models_source
from .pysource import tidy_imports
from .render import render_package
from .spec import load_spec
from .write import Files, format_files


def generate_package(
    spec: Path, package: str, diagnostics: Diagnostics | None = None
) -> Files:
    """The generated package's files, formatted, by path relative to its folder.

    Warnings and renames are recorded in `diagnostics`; a spec error raises
    SpecError, located as precisely as the spec allows.
    """
    loaded = load_spec(spec, diagnostics)
    try:
        api = build_api(loaded)
    except SpecError as error:
        raise loaded.with_line(error) from None
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
