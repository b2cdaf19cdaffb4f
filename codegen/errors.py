"""Spec errors as values that carry where they happened."""

from __future__ import annotations

import os
from pathlib import Path


class SpecError(Exception):
    """A problem in the input spec, located by file and place.

    `place` is a line ("line 5, column 3") or a JSON pointer ("#/paths/~1a/get").
    """

    def __init__(self, file: Path, place: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.place = place
        self.message = message

    def __str__(self) -> str:
        return f"{display_path(self.file)}: {self.place}: {self.message}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def json_pointer(parts: tuple[str | int, ...]) -> str:
    """`("paths", "/a", "get")` -> `#/paths/~1a/get` (RFC 6901 escaping)."""
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "#/" + "/".join(escaped) if parts else "#"
