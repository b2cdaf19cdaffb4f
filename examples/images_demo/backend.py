"""`DemoImages`: the generated `Handlers`, answered with deterministic drawings.

No model and no network: `drawing` paints every image from the prompt and the
uploads, so the same request always gets the same pixels. Pillow work runs in
worker threads to keep the event loop free.
"""

from __future__ import annotations

import asyncio
import base64
import math
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar

from images_api.models import (
    ImageData,
    ImageEditRequest,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageTokenDetails,
    ImageUsage,
    ImageVariationRequest,
)
from images_api.server import ApiError, RequestContext
from images_api.streaming import ImageEditStreamEvent, ImageGenerationStreamEvent
from images_api.uploads import UploadedFile
from PIL import Image
from pydantic import AnyUrl, TypeAdapter
from starlette.requests import Request

from . import drawing
from .storage import ImageStore, image_url

CREATED = 1_700_000_000
"""The `created` time of every answer: fixed, so answers are reproducible."""
_OUTPUT_TOKENS = {
    "low": 272,
    "medium": 1056,
    "standard": 1056,
    "high": 4160,
    "hd": 4160,
}
"""Output tokens of a 1024x1024 image by quality (gpt-image-1's counts), scaled by area."""
_TOKENS_PER_INPUT_IMAGE = 194
_CHARACTERS_PER_TOKEN = 4

_T = TypeVar("_T")
_P = ParamSpec("_P")
Render = Callable[[int], Image.Image]
"""Draws image `index` of a request."""

_GENERATION_EVENTS: TypeAdapter[ImageGenerationStreamEvent] = TypeAdapter(
    ImageGenerationStreamEvent
)
_EDIT_EVENTS: TypeAdapter[ImageEditStreamEvent] = TypeAdapter(ImageEditStreamEvent)


class DemoImages:
    """Every operation of the generated `Handlers` protocol, drawn with Pillow.

    Images answered as URLs go to `store`, which the app serves; their URLs
    start with `public_url`, by default the address the request arrived on.
    """

    def __init__(self, store: ImageStore, public_url: str | None = None) -> None:
        self._store = store
        self._public_url = public_url

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        """`n` drawings of the prompt."""
        plan = _generation_plan(body)
        return await self._respond(plan, _generation(body, plan.output), context)

    async def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[ImageGenerationStreamEvent]:
        """The drawings of `image_generation`, each after its partial images."""
        plan = _generation_plan(body)
        events = _events(
            plan,
            _generation(body, plan.output),
            "image_generation",
            body.partial_images,
        )
        async for event in events:
            yield _GENERATION_EVENTS.validate_python(event)

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        """`n` edits of the uploaded image(s)."""
        plan = _edit_plan(body)
        render = await _off_loop(_edit, body, plan.output.size)
        return await self._respond(plan, render, context)

    async def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[ImageEditStreamEvent]:
        """The edits of `image_edit`, each after its partial images."""
        plan = _edit_plan(body)
        render = await _off_loop(_edit, body, plan.output.size)
        async for event in _events(plan, render, "image_edit", body.partial_images):
            yield _EDIT_EVENTS.validate_python(event)

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        """`n` variations (hue shifted, turned) of the uploaded image(s)."""
        plan = _plan(
            prompt=None,
            n=body.n,
            size=body.size,
            quality="standard",
            background=None,
            output_format=None,
            output_compression=None,
            response_format=body.response_format,
            input_images=len(_uploads(body)),
        )
        source = await _off_loop(_decoded_tile, body, plan.output.size)
        return await self._respond(plan, partial(drawing.vary, source), context)

    async def _respond(
        self, plan: _Plan, render: Render, context: RequestContext
    ) -> ImageGenerationResponse:
        """The answer carrying the `plan.n` images of `render`."""
        data = []
        for index in range(plan.n):
            image = await _off_loop(_drawn, render, index, plan.output)
            content = await _off_loop(plan.output.encode, image)
            if plan.response_format == "b64_json":
                data.append(ImageData(b64_json=base64.b64encode(content).decode()))
            else:
                name = await _off_loop(self._store.add, content, plan.output.format)
                base_url = self._public_url or _listening_url(context.request)
                data.append(ImageData(url=AnyUrl(image_url(base_url, name))))
        return ImageGenerationResponse(
            created=CREATED,
            data=data,
            size=plan.size,
            output_format=plan.output.format,
            quality=plan.quality,
            background=plan.background,
            usage=plan.usage(plan.n),
        )


def _listening_url(request: Request) -> str:
    """The scheme and socket address `request` arrived on; never its `Host` header.

    Anyone can send any `Host`; the socket's own address is what this server
    listens on. Behind a proxy or a load balancer, configure `public_url`.
    """
    server = request.scope.get("server")
    if server is None or server[1] is None:  # a Unix socket: no address to give
        return f"{request.scope.get('scheme', 'http')}://localhost"
    host, port = server
    if ":" in host:
        host = f"[{host}]"
    return f"{request.scope.get('scheme', 'http')}://{host}:{port}"


@dataclass(frozen=True)
class _Plan:
    """A request's options, resolved: how many images, how to encode and report them."""

    n: int
    output: drawing.Output
    quality: str
    response_format: str
    text_tokens: int
    image_tokens: int
    """Tokens of the uploaded images."""

    @property
    def size(self) -> str:
        width, height = self.output.size
        return f"{width}x{height}"

    @property
    def background(self) -> str:
        return "transparent" if self.output.transparent else "opaque"

    def usage(self, images: int) -> ImageUsage:
        """The plausible token usage of drawing `images` of the images."""
        width, height = self.output.size
        per_image = _OUTPUT_TOKENS[self.quality] * width * height / 1024**2
        output_tokens = images * round(per_image)
        input_tokens = self.text_tokens + self.image_tokens
        return ImageUsage(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=input_tokens + output_tokens,
            input_tokens_details=ImageTokenDetails(
                text_tokens=self.text_tokens, image_tokens=self.image_tokens
            ),
            output_tokens_details=ImageTokenDetails(
                text_tokens=0, image_tokens=output_tokens
            ),
        )


def _plan(
    *,
    prompt: str | None,
    n: int | None,
    size: str | None,
    quality: str | None,
    background: str | None,
    output_format: str | None,
    output_compression: int | None,
    response_format: str | None,
    input_images: int = 0,
) -> _Plan:
    """The resolved options; 400 for a transparent jpeg."""
    transparent = background == "transparent"
    output_format = str(output_format or "png")
    if transparent and output_format == "jpeg":
        raise ApiError(400, "Transparent images need output_format png or webp.")
    output = drawing.Output(
        drawing.parse_size(size), output_format, output_compression, transparent
    )
    return _Plan(
        n=n or 1,
        output=output,
        quality=str(quality) if quality and quality != "auto" else "medium",
        response_format=str(response_format or "url"),
        text_tokens=math.ceil(len(prompt or "") / _CHARACTERS_PER_TOKEN),
        image_tokens=input_images * _TOKENS_PER_INPUT_IMAGE,
    )


def _generation_plan(body: ImageGenerationRequest) -> _Plan:
    return _plan(
        prompt=body.prompt,
        n=body.n,
        size=body.size,
        quality=body.quality,
        background=body.background,
        output_format=body.output_format,
        output_compression=body.output_compression,
        response_format=body.response_format,
    )


def _edit_plan(body: ImageEditRequest) -> _Plan:
    removal = body.type == "background_removal"
    return _plan(
        prompt=body.prompt,
        n=body.n,
        size=body.size,
        quality=body.quality,
        background="transparent" if removal else body.background,
        output_format=body.output_format,
        output_compression=body.output_compression,
        response_format=body.response_format,
        input_images=len(_uploads(body)),
    )


def _generation(body: ImageGenerationRequest, output: drawing.Output) -> Render:
    return partial(
        drawing.generate, body.prompt, size=output.size, transparent=output.transparent
    )


def _edit(body: ImageEditRequest, size: drawing.Size) -> Render:
    """Decodes the uploads once; the edit or background removal of image `index`."""
    sources = [drawing.decode(bytes(upload), "image") for upload in _uploads(body)]
    if body.type == "background_removal":
        cutout = drawing.remove_background(drawing.tile(sources, size))
        return lambda index: cutout
    region = None
    if body.mask is not None:
        region = drawing.edit_region(
            drawing.decode(bytes(body.mask), "mask"), sources[0]
        )
    return partial(drawing.edit, sources, body.prompt or "", size=size, region=region)


def _decoded_tile(body: ImageVariationRequest, size: drawing.Size) -> Image.Image:
    sources = [drawing.decode(bytes(upload), "image") for upload in _uploads(body)]
    return drawing.tile(sources, size)


def _uploads(body: ImageEditRequest | ImageVariationRequest) -> list[UploadedFile]:
    """The uploaded files, from `image` and `image[]`; read off the event loop (spooled ones are on disk)."""
    return ([body.image] if body.image is not None else []) + (body.image_list or [])


def _drawn(render: Render, index: int, output: drawing.Output) -> Image.Image:
    """Image `index`, at the output's size and mode."""
    return output.fit(render(index))


def _preview(
    image: Image.Image, step: int, steps: int, output: drawing.Output
) -> bytes:
    """The file of partial image `step` of `steps` for `image`."""
    return output.encode(drawing.preview(image, step, steps))


async def _events(
    plan: _Plan, render: Render, prefix: str, partial_images: int | None
) -> AsyncIterator[dict[str, Any]]:
    """The stream's events as dicts: per image, its partial images, then the image.

    `prefix` is the events' type prefix; `sequence_number` counts the events
    of the whole stream; each completed event carries its own image's usage.
    """
    steps = partial_images or 0
    sequence = 0
    for index in range(plan.n):
        final = await _off_loop(_drawn, render, index, plan.output)
        for step in range(steps):
            content = await _off_loop(_preview, final, step, steps, plan.output)
            yield {
                "type": f"{prefix}.partial_image",
                "partial_image_index": step,
                **_event_fields(plan, sequence, content),
            }
            sequence += 1
        content = await _off_loop(plan.output.encode, final)
        yield {
            "type": f"{prefix}.completed",
            "usage": plan.usage(1),
            **_event_fields(plan, sequence, content),
        }
        sequence += 1


def _event_fields(plan: _Plan, sequence: int, content: bytes) -> dict[str, Any]:
    """The fields every image event carries."""
    return {
        "sequence_number": sequence,
        "b64_json": base64.b64encode(content).decode(),
        "created_at": CREATED,
        "size": plan.size,
        "quality": plan.quality,
        "background": plan.background,
        "output_format": plan.output.format,
    }


async def _off_loop(
    function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs
) -> _T:
    """`function(*args, **kwargs)` in a worker thread; an `InvalidImage` becomes a 400."""
    try:
        return await asyncio.to_thread(function, *args, **kwargs)
    except drawing.InvalidImage as error:
        raise ApiError(400, str(error)) from None
