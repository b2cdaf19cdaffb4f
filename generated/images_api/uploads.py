"""Files of the Bifrost Images API: those the client uploads, those the server receives.

A file argument takes a `FileInput`: its bytes, a path, an open binary file,
or a tuple `(filename, content)` or `(filename, content, content type)`. An
argument that takes several files takes any sequence of them (a list, a tuple).

The content type sent is the one a tuple gives, else the one the file name's
extension stands for, else `application/octet-stream`.

A model's file field holds an `UploadedFile`: the server hands one to a handler for
each file part of a form, spooled to a temporary file on disk above 1 MiB, and
the field also takes bytes (the client's arguments are validated with the same
models).

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import io
import mimetypes
import os
from collections.abc import Sequence
from typing import IO, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from typing_extensions import Self, TypeIs

FileContent = bytes | os.PathLike[str] | IO[bytes]
"""The content of a file: its bytes, a path, or an open binary file."""

FileInput = (
    FileContent | tuple[str, bytes | IO[bytes]] | tuple[str, bytes | IO[bytes], str]
)
"""A file to upload: its content, or (filename, content[, content type])."""


class UploadedFile:
    """A file sent in a request: its name, media type, size, and a binary file holding it.

    The server closes the file (removing its temporary file) when the request
    ends, streamed answers included: read it while handling the request.
    `bytes(upload)` is the whole content, for small files; read large ones in
    chunks (`upload.read(65536)`) or hand `upload.file` on. Reads on a spooled
    file block briefly on disk I/O.
    """

    def __init__(
        self,
        file: IO[bytes],
        *,
        filename: str | None = None,
        content_type: str | None = None,
        size: int | None = None,
    ) -> None:
        self.file = file
        """The content, positioned at its start."""
        self.filename = filename
        """The file name the sender gave, if any."""
        self.content_type = content_type
        """The media type the sender gave, if any."""
        self.size = _size(file) if size is None else size
        """The length of the content in bytes."""

    @classmethod
    def from_bytes(
        cls,
        content: bytes,
        *,
        filename: str | None = None,
        content_type: str | None = None,
    ) -> Self:
        """An upload held in memory."""
        return cls(
            io.BytesIO(content),
            filename=filename,
            content_type=content_type,
            size=len(content),
        )

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes from the current position (all that is left by default)."""
        return self.file.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move the read position, as `IO.seek` does."""
        return self.file.seek(offset, whence)

    def close(self) -> None:
        """Release the file (and remove a temporary one)."""
        self.file.close()

    @property
    def closed(self) -> bool:
        return self.file.closed

    def __bytes__(self) -> bytes:
        """The whole content; the read position is left where it was."""
        position = self.file.tell()
        try:
            self.file.seek(0)
            return self.file.read()
        finally:
            self.file.seek(position)

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        # By content, with bytes too: models holding files compare as they did with bytes fields.
        if isinstance(other, UploadedFile):
            return other is self or bytes(self) == bytes(other)
        if isinstance(other, (bytes, bytearray)):
            return bytes(self) == other
        return NotImplemented

    def __repr__(self) -> str:
        return f"UploadedFile(filename={self.filename!r}, content_type={self.content_type!r}, size={self.size})"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Bytes (and text, as pydantic's `bytes` takes it) become an in-memory upload;
        # dumped, an upload is its bytes again.
        return core_schema.no_info_plain_validator_function(
            cls._validated,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _content, return_schema=core_schema.bytes_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "format": "binary"}

    @classmethod
    def _validated(cls, value: object) -> UploadedFile:
        if isinstance(value, UploadedFile):
            return value
        if isinstance(value, (bytes, bytearray)):
            return cls.from_bytes(bytes(value))
        if isinstance(value, str):
            return cls.from_bytes(value.encode())
        raise ValueError(
            f"expected a file (an UploadedFile) or bytes, got {type(value).__name__}"
        )


def _content(upload: UploadedFile) -> bytes:
    return bytes(upload)


def _size(file: IO[bytes]) -> int:
    """The length of a seekable file, its position kept."""
    position = file.tell()
    try:
        return file.seek(0, os.SEEK_END)
    finally:
        file.seek(position)


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
