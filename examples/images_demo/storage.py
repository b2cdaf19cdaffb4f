"""In-memory store of the images answered as URLs (`response_format=url`).

Names are derived from the content (`<sha256 prefix>.<format>`), so the same
image always gets the same URL. Only the most recent images are kept: this is
a demo, not a CDN.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from .drawing import MEDIA_TYPES

ROUTE_PREFIX = "/images/"
"""Where the app serves stored images: `GET /images/{name}`."""


@dataclass(frozen=True)
class StoredImage:
    """The bytes of an image file and their media type."""

    content: bytes
    media_type: str


class ImageStore:
    """The last `capacity` images added, by name."""

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._images: OrderedDict[str, StoredImage] = OrderedDict()

    def add(self, content: bytes, output_format: str, base_url: str) -> str:
        """Stores an image file of `output_format`; returns its URL under `base_url`."""
        name = f"{hashlib.sha256(content).hexdigest()[:32]}.{output_format}"
        self._images[name] = StoredImage(content, MEDIA_TYPES[output_format])
        self._images.move_to_end(name)
        while len(self._images) > self._capacity:
            self._images.popitem(last=False)
        return f"{base_url.rstrip('/')}{ROUTE_PREFIX}{name}"

    def get(self, name: str) -> StoredImage | None:
        """The image stored under `name` (e.g. `3f2a....png`), if still kept."""
        return self._images.get(name)
