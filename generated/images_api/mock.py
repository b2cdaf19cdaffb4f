"""Mock handlers of the Bifrost Images API: the generated server with canned answers.

`MockHandlers` implements `Handlers` with answers from the spec's examples
where they are valid against its schemas, else with values synthesised from
the schemas (the same on every call). An operation with several answers gives
the first it declares, with a value for each header it declares; streams send
one event of each type (a few, when the events are all alike) then end; raw
answers are a few bytes or a short text. Use it to try a client without a
backend, or in your own tests:

    from images_api.mock import MockHandlers, accept_any
    from images_api.server import create_app

    app = create_app(MockHandlers(), authenticate=accept_any)

(`accept_any` opens the operations that need credentials: without an
`authenticate`, the server refuses them.)

`codegen mock` serves exactly this. The answers live in `mock.json` beside
this module.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel

from .models import (
    BifrostError,
    ImageEditCompletedEvent,
    ImageEditPartialImageEvent,
    ImageEditRequest,
    ImageGenerationCompletedEvent,
    ImageGenerationPartialImageEvent,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageVariationRequest,
)
from .server import Credentials, Reply, RequestContext
from .streaming import ImageEditStreamEvent, ImageGenerationStreamEvent

_Event = TypeVar("_Event", bound=BaseModel)


class MockHandlers:
    """Every operation of the Bifrost Images API, answered with a valid canned value."""

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """A value built from the schema."""
        return ImageGenerationResponse.model_validate_json(_answer("image_generation"))

    def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[ImageGenerationStreamEvent]:
        """One event of each type but `error`, then the end."""
        return _events(
            "image_generation_stream",
            ImageGenerationPartialImageEvent,
            ImageGenerationCompletedEvent,
        )

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """A value built from the schema."""
        return ImageGenerationResponse.model_validate_json(_answer("image_edit"))

    def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[ImageEditStreamEvent]:
        """One event of each type but `error`, then the end."""
        return _events(
            "image_edit_stream", ImageEditPartialImageEvent, ImageEditCompletedEvent
        )

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """A value built from the schema."""
        return ImageGenerationResponse.model_validate_json(_answer("image_variation"))


async def accept_any(credentials: Credentials) -> Credentials:
    """An `authenticate` for `create_app` or `create_router` that accepts any credentials."""
    return credentials


@cache
def _answers() -> dict[str, Any]:
    answers: dict[str, Any] = json.loads(
        resources.files(__package__ or __name__)
        .joinpath("mock.json")
        .read_text("utf-8")
    )
    return answers


def _answer(method: str) -> str:
    """The JSON text of a method's answer."""
    return json.dumps(_answers()[method])


async def _events(method: str, *models: type[_Event]) -> AsyncIterator[_Event]:
    """The method's events, the first of the first model, the second of the second..."""
    for model, data in zip(models, _answers()[method], strict=True):
        yield model.model_validate_json(json.dumps(data))
