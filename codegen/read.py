"""Reading the bundled document defensively: a wrongly-typed node is a warning, never a crash.

The loader is lenient, so the IR sees documents that are off the meta-schema: a
path item that is a string, `responses: 5`, `parameters` that is not a list. Every
read whose type matters goes through a `Reader`, which warns at the node's
pointer and hands back an empty value, so the caller simply skips the node.
"""

from __future__ import annotations

from typing import Any

from .spec import LoadedSpec, Pointer


class Reader:
    """Typed reads of the nodes of one loaded spec, warning about the rest."""

    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec

    def warn(self, pointer: Pointer, message: str) -> None:
        self.spec.warn(pointer, message)

    def mapping(self, value: Any, pointer: Pointer, what: str) -> dict[str, Any]:
        """`value` when it is a mapping (absent: empty); otherwise a warning and `{}`."""
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.warn(pointer, f"{what} is {describe(value)}, not a mapping; skipped")
        return {}

    def sequence(self, value: Any, pointer: Pointer, what: str) -> list[Any]:
        """`value` when it is a list (absent: empty); otherwise a warning and `[]`."""
        if value is None:
            return []
        if isinstance(value, list):
            return value
        self.warn(pointer, f"{what} is {describe(value)}, not a list; skipped")
        return []

    def text(self, value: Any, pointer: Pointer, what: str) -> str:
        """A string (numbers as written); anything else is a warning and `""`."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.warn(pointer, f"{what} is {describe(value)}, not a string; ignored")
        return ""

    def flag(self, value: Any, pointer: Pointer, what: str, default: bool) -> bool:
        """A boolean; anything else is a warning and `default`."""
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        self.warn(
            pointer, f"{what} is {describe(value)}, not a boolean; read as {default}"
        )
        return default


def describe(value: Any) -> str:
    """`a list`, `the number 5`, `the string 'x'`: what a node is, for a warning."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "null" if value is None else type(value).__name__
