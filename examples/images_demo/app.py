"""The demo server: the generated Images API answered by `DemoImages`.

    PYTHONPATH=generated:. uvicorn examples.images_demo.app:app   # or: make serve

Besides the API's routes, `GET /images/{name}` serves the images answered as
URLs, without credentials, as a CDN would (names are content hashes).

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

import hashlib
from dataclasses import dataclass

from fastapi.responses import JSONResponse, Response
from images_api.server import Credentials, create_app

from .backend import DemoImages
from .storage import ROUTE_PREFIX, ImageStore


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


store = ImageStore()
# Room for a 16-image edit of large PNGs; anything bigger is a 413, not memory.
MAX_BODY_SIZE = 256 * 1024 * 1024
app = create_app(
    DemoImages(store), authenticate=authenticate, max_body_size=MAX_BODY_SIZE
)


@app.get(ROUTE_PREFIX + "{name}")
async def stored_image(name: str) -> Response:
    """An image answered earlier as a URL, while the store still keeps it."""
    image = store.get(name)
    if image is None:
        message = f"No image named {name!r} (unknown or evicted)."
        return JSONResponse(
            {"error": {"message": message, "type": "not_found"}},
            status_code=404,
        )
    headers = {"Cache-Control": "public, max-age=31536000, immutable"}
    return Response(image.content, media_type=image.media_type, headers=headers)
