"""Where the Jinja2 templates are, in a checkout and in an installed toolkit."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def template_folder(part: str) -> Path:
    """`package` -> the folder of the generated package's templates."""
    return Path(str(resources.files("codegen.templates") / part))
