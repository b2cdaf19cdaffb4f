"""The one-way pipeline: load -> IR -> models and templates -> formatted files."""

from __future__ import annotations

from pathlib import Path

from .ir import build_api
from .load import load_spec
from .models import models_source
from .pysource import tidy_imports
from .render import render_package
from .write import Files, format_files


def generate_package(spec: Path, package: str) -> Files:
    """The generated package's files, formatted, by path relative to its folder."""
    api = build_api(load_spec(spec))
    files = render_package(api, package, tidy_imports(models_source(api)))
    return format_files(files)
