"""On-disk store of the images answered as URLs (`response_format=url`).

Names are derived from the content (`<sha256 prefix>.<format>`), so the same
image always gets the same URL and any process sharing the folder can serve
it: several uvicorn workers (or hosts on a shared volume) answer each other's
URLs. Files are written under a temporary name and renamed into place, so a
reader never sees half a file. Past `max_bytes` the images added longest ago
are removed: this is a demo, not a CDN.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .drawing import MEDIA_TYPES

ROUTE_PREFIX = "/images/"
"""Where the app serves stored images: `GET /images/{name}`."""
DEFAULT_MAX_BYTES = 512 * 1024 * 1024
"""The folder's default size cap: a few hundred full-size images."""
_NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(sorted(MEDIA_TYPES)) + ")")
"""A stored image's name; anything else (`../x`, `.tmp` files) is never served."""
_TEMPORARY_PREFIX = ".partial-"
_STALE_NS = 3600 * 10**9
"""A temporary file this old was left by a writer that died: removed when evicting."""


def default_directory() -> Path:
    """`images_demo` in the system's temporary folder: shared by the workers of one host."""
    return Path(tempfile.gettempdir()) / "images_demo"


def image_url(base_url: str, name: str) -> str:
    """The public URL of the stored image `name` under `base_url`."""
    return f"{base_url.rstrip('/')}{ROUTE_PREFIX}{name}"


@dataclass(frozen=True)
class StoredImage:
    """The bytes of an image file and their media type."""

    content: bytes
    media_type: str


class ImageStore:
    """Image files in `directory`, by name, at most about `max_bytes` of them."""

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.directory = Path(directory) if directory else default_directory()
        self.max_bytes = max_bytes
        self.directory.mkdir(parents=True, exist_ok=True)

    def add(self, content: bytes, output_format: str) -> str:
        """Stores an image file of `output_format`; returns its name."""
        name = f"{hashlib.sha256(content).hexdigest()[:32]}.{output_format}"
        path = self.directory / name
        try:
            os.utime(path)  # stored already (by any process): now the newest
        except FileNotFoundError:
            self._write(path, content)
        self._evict(keep=name)
        return name

    def get(self, name: str) -> StoredImage | None:
        """The image stored under `name` (e.g. `3f2a....png`), if still kept."""
        if not _NAME.fullmatch(name):
            return None
        try:
            content = (self.directory / name).read_bytes()
        except FileNotFoundError:
            return None
        return StoredImage(content, MEDIA_TYPES[name.rpartition(".")[2]])

    def _write(self, path: Path, content: bytes) -> None:
        """`content` at `path`, appearing whole or not at all."""
        descriptor, temporary = tempfile.mkstemp(
            dir=self.directory, prefix=_TEMPORARY_PREFIX
        )
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _evict(self, keep: str) -> None:
        """Removes the oldest images until the folder fits `max_bytes`; never `keep`.

        Other processes evict too: a file gone before we remove it is fine.
        """
        images: list[tuple[int, int, str]] = []
        stale = time.time_ns() - _STALE_NS
        for entry in os.scandir(self.directory):
            temporary = entry.name.startswith(_TEMPORARY_PREFIX)
            if entry.name == keep or not (temporary or _NAME.fullmatch(entry.name)):
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            if not temporary:
                images.append((stat.st_mtime_ns, stat.st_size, entry.name))
            elif stat.st_mtime_ns < stale:
                Path(entry.path).unlink(missing_ok=True)
        try:
            total = (self.directory / keep).stat().st_size
        except FileNotFoundError:
            total = 0
        total += sum(size for _, size, _ in images)
        for _, size, name in sorted(images):
            if total <= self.max_bytes:
                break
            (self.directory / name).unlink(missing_ok=True)
            total -= size
