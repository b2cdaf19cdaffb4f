"""Spec errors and warnings as values that carry where they happened."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path


class SpecError(Exception):
    """A problem in the input spec, located by file and place.

    `place` is a line ("line 5, column 3") or a JSON pointer ("#/paths/~1a/get");
    a pointer error also keeps the `pointer` and, once found, its `line`.
    """

    def __init__(
        self,
        file: Path,
        place: str,
        message: str,
        *,
        pointer: tuple[str | int, ...] | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.place = place
        self.message = message
        self.pointer = pointer
        self.line = line

    def __str__(self) -> str:
        """`spec/a.yaml:12: #/paths/~1a/get: message`, as warnings are printed."""
        line = f":{self.line}" if self.line is not None else ""
        return f"{display_path(self.file)}{line}: {self.place}: {self.message}"


@dataclass(frozen=True)
class SpecWarning:
    """Something off in the spec that generation worked around."""

    file: Path
    line: int | None
    pointer: str
    message: str

    def __str__(self) -> str:
        """`spec/a.yaml:12: #/paths/~1a/get: message` (the line left out when unknown)."""
        line = f":{self.line}" if self.line is not None else ""
        return f"{display_path(self.file)}{line}: {self.pointer}: {self.message}"

    @property
    def kind(self) -> str:
        """The message with its particulars masked: warnings of one kind read alike."""
        return _PARTICULARS.sub("…", self.message)


_PARTICULARS = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\b\d+(\.\d+)?\b")


@dataclass(frozen=True)
class Rename:
    """A name the spec wrote that the generated code had to change, and why."""

    what: str
    """`schema` or `operation`."""
    written: str
    chosen: str
    where: str
    reason: str


@dataclass
class Diagnostics:
    """What a run noticed: warnings, and the names it changed."""

    warnings: list[SpecWarning] = field(default_factory=list)
    renames: list[Rename] = field(default_factory=list)
    _seen: set[SpecWarning] = field(default_factory=set, repr=False)

    def warn(self, warning: SpecWarning) -> None:
        if warning not in self._seen:
            self._seen.add(warning)
            self.warnings.append(warning)


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
