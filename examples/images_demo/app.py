"""The demo server: the generated Images API answered by `DemoImages`.

    PYTHONPATH=generated:. uvicorn examples.images_demo.app:app   # or: make serve

Besides the API's routes, `GET /images/{name}` serves the images answered as
URLs, without credentials, as a CDN would (names are content hashes).

Configuration comes from the environment (`Settings.from_environment`):

- `PUBLIC_URL`: where clients reach this server (e.g. `https://images.example`
  behind a proxy); image URLs start with it. Unset, they start with the
  address the server listens on. The `Host` header is never used: any client
  can send any `Host`.
- `IMAGES_DIR`: the folder of the images answered as URLs (default
  `<temp>/images_demo`). Every worker or host sharing it answers every URL.
- `IMAGES_MAX_BYTES`: the folder's size cap; the oldest images go first.

`authenticate` accepts any non-empty credentials, for any of the spec's
schemes (bearer token, basic auth, `x-bf-vk`, `x-api-key`). A real deployment
checks the key here, e.g. against its key store, and returns None to refuse it
(the generated server then answers 401). Without an `authenticate` the
generated server refuses every request that needs credentials.

`stored_image` is a route of our own beside the generated ones: FastAPI's
behaviour applies to it (the spec's error shaping is scoped to the generated
routes), so it answers its 404 itself, in the same shape as the API's errors.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from images_api.server import Credentials, create_app

from .backend import DemoImages
from .storage import DEFAULT_MAX_BYTES, ROUTE_PREFIX, ImageStore


@dataclass(frozen=True)
class Principal:
    """Who is calling: the scheme they used and a stable user id."""

    scheme: str
    user_id: str


async def authenticate(credentials: Credentials) -> Principal | None:
    """Any non-empty secret is accepted; the user id never reveals it."""
    if not credentials.secret:
        return None
    digest = hashlib.sha256(credentials.secret.encode()).hexdigest()[:12]
    return Principal(credentials.scheme, credentials.username or f"key-{digest}")


@dataclass(frozen=True)
class Settings:
    """The deployment's choices; see the module's docstring."""

    public_url: str | None = None
    images_dir: Path | None = None
    """None: `storage.default_directory()`."""
    images_max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if self.public_url is not None:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(
                    f"PUBLIC_URL must be an http(s) URL such as "
                    f"https://images.example, not {self.public_url!r}"
                )

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """`PUBLIC_URL`, `IMAGES_DIR` and `IMAGES_MAX_BYTES`; empty means unset."""
        images_dir = environ.get("IMAGES_DIR")
        max_bytes = environ.get("IMAGES_MAX_BYTES")
        return cls(
            public_url=environ.get("PUBLIC_URL") or None,
            images_dir=Path(images_dir) if images_dir else None,
            images_max_bytes=int(max_bytes) if max_bytes else DEFAULT_MAX_BYTES,
        )


# Room for a 16-image edit of large PNGs; anything bigger is a 413, not memory.
MAX_BODY_SIZE = 256 * 1024 * 1024


def create_demo_app(settings: Settings) -> FastAPI:
    """The generated server with `DemoImages`, and the route serving stored images."""
    store = ImageStore(settings.images_dir, settings.images_max_bytes)
    demo = create_app(
        DemoImages(store, public_url=settings.public_url),
        authenticate=authenticate,
        max_body_size=MAX_BODY_SIZE,
    )

    @demo.get(ROUTE_PREFIX + "{name}")
    async def stored_image(name: str) -> Response:
        """An image answered earlier as a URL, while the store still keeps it."""
        image = await asyncio.to_thread(store.get, name)
        if image is None:
            message = f"No image named {name!r} (unknown or evicted)."
            return JSONResponse(
                {"error": {"message": message, "type": "not_found"}},
                status_code=404,
            )
        headers = {"Cache-Control": "public, max-age=31536000, immutable"}
        return Response(image.content, media_type=image.media_type, headers=headers)

    return demo


# What `uvicorn examples.images_demo.app:app` serves: each worker imports it.
app = create_demo_app(Settings.from_environment())
