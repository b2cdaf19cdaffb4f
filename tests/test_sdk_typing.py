"""The committed images package and a typed use of it pass mypy --strict and pyright strict.

The usage script is what a careful user writes against the package: resources,
the `stream` flag as a plain bool, file arrays as tuples of paths, raw
responses, options, per-status errors, events narrowed on `.type` without a
cast, and a server: handlers answering a `Reply`, raising a typed `ApiError`,
mounted as a router in an app of the user's own. `assert_type` pins what the
type checkers infer, so a change that widens a type to `Any` fails here.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT
from .server_harness import mypy_strict, pyright_errors, pyright_strict

PACKAGE = ROOT / "generated" / "images_api"

USAGE = '''
"""A typed use of the images package, client and server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import assert_type

from fastapi import FastAPI

from images_api.client import AsyncClient, Client, RawResponse
from images_api.errors import (
    ApiError,
    ApiStatusError,
    ArgumentError,
    RateLimitError,
    ResponseValidationError,
    StreamError,
)
from images_api.models import (
    BifrostError,
    ImageGenerationCompletedEvent,
    ImageEditRequest,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageVariationRequest,
    ResponseFormat,
)
from images_api.server import ApiError as ServerError
from images_api.server import Credentials, Reply, RequestContext, create_router
from images_api.streaming import (
    AsyncStream,
    ImageEditStreamEvent,
    ImageGenerationEvent,
    ImageGenerationStreamEvent,
    Stream,
)


def generate(client: Client, flag: bool, paths: Sequence[Path]) -> str:
    """Every call shape a user meets, with the types the checkers must see."""
    answer = client.images.generation(model="openai/gpt-image-1", prompt="a cat")
    assert_type(answer, ImageGenerationResponse)
    fmt: ResponseFormat = "b64_json"
    either = client.images.generation(
        model="m", prompt="p", response_format=fmt, stream=flag, timeout=30
    )
    assert_type(either, ImageGenerationResponse | Stream[ImageGenerationEvent])
    edited = client.images.edit(model="m", prompt="p", image=tuple(paths))
    assert_type(edited, ImageGenerationResponse)
    raw = client.with_raw_response.images.variation(model="m", image=list(paths))
    assert_type(raw, RawResponse[ImageGenerationResponse])
    assert_type(raw.status_code, int)
    assert_type(raw.parse(), ImageGenerationResponse)
    patient = client.with_options(timeout=600, max_retries=5)
    assert_type(patient, Client)

    seen: list[str] = []
    with client.images.generation(model="m", prompt="p", stream=True) as events:
        for event in events:
            if event.type == "image_generation.completed":
                assert_type(event, ImageGenerationCompletedEvent)
                seen.append(event.b64_json or "")
            else:
                seen.append(str(event.partial_image_index))
    return ",".join(seen)


def failures(client: Client) -> str:
    """The error family: one root, per-status classes, typed bodies."""
    try:
        client.images.generation(model="m", prompt="p")
    except RateLimitError as error:
        return f"retry later: {error.status_code}"
    except ApiStatusError as error:
        return repr(error.body)
    except ResponseValidationError as error:
        return error.raw_body.decode()
    except ArgumentError as error:
        return str(error)
    except StreamError as error:
        return repr(error.event)
    except ApiError as error:
        return str(error)
    return "ok"


async def generate_async(client: AsyncClient) -> int:
    stream = await client.images.generation(model="m", prompt="p", stream=True)
    assert_type(stream, AsyncStream[ImageGenerationEvent])
    count = 0
    async with stream:
        async for _ in stream:
            count += 1
    return count


class Images:
    """Handlers of the images server, as a user writes them."""

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        if body.n > 4:
            raise ServerError(400, "at most 4 images")
        return ImageGenerationResponse(created=0, data=[])

    async def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[ImageGenerationStreamEvent]:
        yield ImageGenerationCompletedEvent(type="image_generation.completed")

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        return Reply(200, ImageGenerationResponse(created=0, data=[]))

    async def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[ImageEditStreamEvent]:
        return
        yield

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        return ImageGenerationResponse(created=0, data=[])


async def authenticate(credentials: Credentials) -> str | None:
    return credentials.username if credentials.secret == "s3cret" else None


app = FastAPI()
app.include_router(create_router(Images(), authenticate=authenticate, prefix="/api"))
'''


@pytest.fixture(scope="module")
def checked_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed package and the usage script, side by side as a user has them."""
    root = tmp_path_factory.mktemp("sdk_typing")
    shutil.copytree(PACKAGE, root / PACKAGE.name)
    (root / "usage.py").write_text(textwrap.dedent(USAGE))
    return root


def test_the_package_and_its_use_pass_mypy_strict(checked_folder: Path) -> None:
    checked = mypy_strict(checked_folder / PACKAGE.name, checked_folder / "usage.py")
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_the_package_and_its_use_pass_pyright_strict(checked_folder: Path) -> None:
    result = pyright_strict(checked_folder / PACKAGE.name, checked_folder / "usage.py")
    if result is None:
        pytest.skip("pyright cannot run here (pip install 'pyright[nodejs]'); mypy ran")
    assert pyright_errors(result) == []
