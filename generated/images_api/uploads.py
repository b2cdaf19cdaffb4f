"""Files to upload with the Bifrost Images API client.

A file argument takes a `FileInput`: its bytes, a path, an open binary file,
or a tuple `(filename, content)` or `(filename, content, content type)`. An
argument that takes several files takes any sequence of them (a list, a tuple).

The content type sent is the one a tuple gives, else the one the file name's
extension stands for, else `application/octet-stream`.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Sequence
from typing import IO, Any

from typing_extensions import TypeIs

FileContent = bytes | os.PathLike[str] | IO[bytes]
"""The content of a file: its bytes, a path, or an open binary file."""

FileInput = (
    FileContent | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]
)
"""A file to upload: its content, or (filename, content[, content type])."""


class FileParts:
    """The files given to one call: their contents for the model, their parts for the wire."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, tuple[str, bytes, str]]] = []
        self.wire_names: set[str] = set()
        self._contents: dict[str, Any] = {}

    def add(
        self, value: FileInput | Sequence[FileInput], *, single: str, many: str
    ) -> None:
        """One file goes out under `single`, a sequence of them under `many`."""
        if _is_one_file(value):
            name, files = single, [_read_file(value)]
            self._contents[name] = files[0][1]
        else:
            name, files = many, [_read_file(item) for item in value]
            self._contents[name] = [content for _, content, _ in files]
        self.wire_names.add(name)
        self.parts.extend((name, file) for file in files)

    def contents(self) -> dict[str, Any]:
        """The files' contents by wire name: bytes for one file, a list for several."""
        return self._contents


def _is_one_file(value: FileInput | Sequence[FileInput]) -> TypeIs[FileInput]:
    """Whether `value` is one file, not a sequence of them."""
    if isinstance(value, tuple):
        return bool(value) and isinstance(value[0], str)  # (filename, content[, type])
    return isinstance(value, bytes) or not isinstance(value, Sequence)


def _read_file(value: FileInput) -> tuple[str, bytes, str]:
    """(filename, content, content type) of a file argument."""
    filename, content_type = "file", None
    source: FileContent
    if isinstance(value, tuple):
        filename, source = value[0], value[1]
        content_type = value[2] if len(value) == 3 else None
    else:
        source = value
    if isinstance(source, bytes):
        content = source
    elif isinstance(source, os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as handle:
            content = handle.read()
        filename = os.path.basename(path) if not isinstance(value, tuple) else filename
    else:
        content = source.read()
        name = getattr(source, "name", None)
        if isinstance(name, str) and not isinstance(value, tuple):
            filename = os.path.basename(name)
    return filename, content, content_type or _content_type(filename)


def _content_type(filename: str) -> str:
    """The media type the file name's extension stands for, else `application/octet-stream`."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
