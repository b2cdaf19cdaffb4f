"""Typed events of the Bifrost Images API Server-Sent Event streams.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from typing import Annotated

from pydantic import Field

from .models import (
    ImageGenerationPartialImageEvent,
    ImageGenerationCompletedEvent,
    ImageGenerationErrorEvent,
    ImageEditPartialImageEvent,
    ImageEditCompletedEvent,
    ImageEditErrorEvent,
)

ImageGenerationStreamEvent = Annotated[
    ImageGenerationPartialImageEvent
    | ImageGenerationCompletedEvent
    | ImageGenerationErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageGenerationStreamResponse` stream, told apart by its `type`."""

ImageEditStreamEvent = Annotated[
    ImageEditPartialImageEvent | ImageEditCompletedEvent | ImageEditErrorEvent,
    Field(discriminator="type"),
]
"""One event of the `ImageEditStreamResponse` stream, told apart by its `type`."""
