"""Wire compatibility: the official `openai` SDK against the generated server.

The demo backend (examples/images_demo) runs behind `images_api.server` on
uvicorn; `openai.OpenAI` and `openai.AsyncOpenAI` call it as they would call
OpenAI. Every image the SDK hands back is decoded with Pillow and checked
against what was asked (format, size, count), so a response that parses but
carries no real image fails too.
"""

from __future__ import annotations

import asyncio
import base64
import io
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from PIL import Image

from examples.images_demo.app import app

from .server_harness import serve

MODEL = "openai/gpt-image-1"
TIMEOUT = 30.0


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(app) as url:
        yield url + "/v1"


@pytest.fixture
def sdk(base_url: str) -> Iterator[openai.OpenAI]:
    # No retries: a failure must show at once, not after back-off.
    with openai.OpenAI(
        base_url=base_url, api_key="test-key", max_retries=0, timeout=TIMEOUT
    ) as client:
        yield client


def png(color: Any, size: tuple[int, int] = (64, 64), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def decoded(b64: str | None) -> Image.Image:
    assert b64, "no image data"
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    image.load()  # a truncated file fails here, not only at open
    return image


def answered(item: Any) -> Image.Image:
    """The image of a response item, whether sent inline or as a URL (the spec's default)."""
    if item.url is not None:
        response = httpx.get(item.url, timeout=TIMEOUT)
        assert response.status_code == 200
        return decoded(base64.b64encode(response.content).decode())
    return decoded(item.b64_json)


EDIT_IMAGES = [
    ("red.png", png("red"), "image/png"),
    ("green.png", png("green"), "image/png"),
]
# Transparent where the edit may paint: the left half.
MASK = ("mask.png", png((0, 0, 0, 0), mode="RGBA"), "image/png")


@pytest.mark.parametrize(
    ("output_format", "pil_format"),
    [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")],
)
def test_generate_b64(sdk: openai.OpenAI, output_format: Any, pil_format: str) -> None:
    result = sdk.images.generate(
        model=MODEL,
        prompt="a red fox in the snow",
        n=2,
        size="256x256",
        output_format=output_format,
        response_format="b64_json",
    )
    assert len(result.data) == 2
    for item in result.data:
        image = decoded(item.b64_json)
        assert (image.format, image.size) == (pil_format, (256, 256))
    assert result.usage is not None and result.usage.total_tokens > 0


def test_generate_url_is_served_by_the_same_server(sdk: openai.OpenAI) -> None:
    result = sdk.images.generate(
        model=MODEL, prompt="a lighthouse", size="512x512", response_format="url"
    )
    (item,) = result.data
    assert item.url and item.b64_json is None
    image = answered(item)
    assert (image.format, image.size) == ("PNG", (512, 512))


def test_generate_stream_sends_partial_images_then_the_image(
    sdk: openai.OpenAI,
) -> None:
    stream = sdk.images.generate(
        model=MODEL, prompt="a fox", stream=True, partial_images=2, size="256x256"
    )
    events = list(stream)
    assert [event.type for event in events] == [
        "image_generation.partial_image",
        "image_generation.partial_image",
        "image_generation.completed",
    ]
    assert [getattr(event, "partial_image_index", None) for event in events[:2]] == [
        0,
        1,
    ]
    for event in events:
        assert decoded(event.b64_json).size == (256, 256)
    # Progressively refined: each partial differs from the next, and the last from the final image.
    images = [base64.b64decode(event.b64_json) for event in events]
    assert len(set(images)) == 3


def test_edit_with_a_list_of_images_and_a_mask(sdk: openai.OpenAI) -> None:
    result = sdk.images.edit(
        model=MODEL,
        prompt="paint it blue",
        image=EDIT_IMAGES,
        mask=MASK,
        size="256x256",
        output_format="png",
    )
    (item,) = result.data
    image = answered(item)
    assert (image.format, image.size) == ("PNG", (256, 256))


def test_edit_stream_with_a_list_of_images_and_a_mask(sdk: openai.OpenAI) -> None:
    stream = sdk.images.edit(
        model=MODEL,
        prompt="paint it blue",
        image=EDIT_IMAGES,
        mask=MASK,
        stream=True,
        partial_images=1,
        size="256x256",
    )
    events = list(stream)
    assert [event.type for event in events] == [
        "image_edit.partial_image",
        "image_edit.completed",
    ]
    for event in events:
        assert decoded(event.b64_json).size == (256, 256)


def test_edit_with_one_image(sdk: openai.OpenAI) -> None:
    result = sdk.images.edit(
        model=MODEL, prompt="add a hat", image=EDIT_IMAGES[0], size="256x256"
    )
    assert answered(result.data[0]).size == (256, 256)


def test_create_variation(sdk: openai.OpenAI) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DeprecationWarning
        )  # the SDK marks variations deprecated
        result = sdk.images.create_variation(
            model="openai/dall-e-2",
            image=EDIT_IMAGES[0],
            n=2,
            size="256x256",
            response_format="b64_json",
        )
    assert len(result.data) == 2
    for item in result.data:
        image = decoded(item.b64_json)
        assert (image.format, image.size) == ("PNG", (256, 256))


def test_async_client_generates_and_streams_an_edit(base_url: str) -> None:
    async def scenario() -> tuple[Any, list[Any]]:
        async with openai.AsyncOpenAI(
            base_url=base_url, api_key="test-key", max_retries=0, timeout=TIMEOUT
        ) as client:
            generated = await client.images.generate(
                model=MODEL,
                prompt="a heron",
                size="256x256",
                response_format="b64_json",
            )
            stream = await client.images.edit(
                model=MODEL,
                prompt="at dusk",
                image=EDIT_IMAGES,
                stream=True,
                partial_images=2,
                size="256x256",
            )
            return generated, [event async for event in stream]

    generated, events = asyncio.run(scenario())
    assert decoded(generated.data[0].b64_json).size == (256, 256)
    assert [event.type for event in events] == [
        "image_edit.partial_image",
        "image_edit.partial_image",
        "image_edit.completed",
    ]
    for event in events:
        decoded(event.b64_json)


def test_bad_request_is_a_bad_request_error_with_the_spec_error(
    sdk: openai.OpenAI,
) -> None:
    with pytest.raises(openai.BadRequestError) as raised:
        sdk.images.generate(model=MODEL, prompt="x", n=99)
    assert raised.value.status_code == 400
    # The SDK unwraps the spec's `{"error": {...}}` envelope, as it does OpenAI's.
    assert isinstance(raised.value.body, dict)
    assert raised.value.body["type"] == "bad_request"
    assert "n" in raised.value.body["message"]


def test_undecodable_image_is_a_bad_request_error(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError):
        sdk.images.edit(
            model=MODEL, prompt="x", image=("a.png", b"not an image", "image/png")
        )


def test_missing_credentials_is_an_authentication_error(base_url: str) -> None:
    def drop_credentials(request: httpx.Request) -> None:
        del request.headers["Authorization"]

    transport = httpx.Client(
        event_hooks={"request": [drop_credentials]}, timeout=TIMEOUT
    )
    with openai.OpenAI(
        base_url=base_url, api_key="unused", max_retries=0, http_client=transport
    ) as client:
        with pytest.raises(openai.AuthenticationError) as raised:
            client.images.generate(model=MODEL, prompt="x")
    assert raised.value.status_code == 401
    assert isinstance(raised.value.body, dict)
    assert raised.value.body["type"] == "unauthorized"
