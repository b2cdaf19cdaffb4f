"""Behaviour of the committed images_api models (what users vendor)."""

from __future__ import annotations

import inspect
import subprocess
from enum import Enum
from typing import get_args

import pytest
from images_api import models, streaming
from images_api.uploads import UploadedFile
from pydantic import BaseModel, TypeAdapter, ValidationError

from .conftest import GENERATED, ROOT, mypy_strict_command


def classes() -> dict[str, type]:
    return {
        name: obj
        for name, obj in vars(models).items()
        if inspect.isclass(obj) and obj.__module__ == models.__name__
    }


def test_component_names_survive_across_files() -> None:
    names = set(classes())
    assert "ModelProvider" in vars(models)  # an enum: a `Literal` alias
    expected = {
        "ImageGenerationRequest",
        "ImageEditRequest",
        "ImageVariationRequest",
        "ImageGenerationResponse",
        "ImageData",
        "ImageUsage",
        "ImageTokenDetails",
        "ImageGenerationStreamResponse",
        "ImageEditStreamResponse",
        "Fallback",
        "BifrostError",
        "ErrorField",
        "BifrostErrorExtraFields",
        "BifrostResponseExtraFields",
        "BifrostCacheDebug",
    }
    assert expected <= names
    # Never endpoint-named or numbered copies of a component.
    assert not [
        n for n in names if n.startswith("V1") or "Response200" in n or n[-1].isdigit()
    ]


def test_inline_enums_are_literal_aliases_named_after_their_owner() -> None:
    names = set(vars(models))
    # Three `size` enums with different values: each named after its model.
    assert {
        "ImageGenerationRequestSize",
        "ImageEditRequestSize",
        "ImageVariationRequestSize",
    } <= names
    assert not {"Size", "Size1", "Quality"} & names
    literal, marker = get_args(models.ImageVariationRequestSize)
    assert get_args(literal) == ("256x256", "512x512", "1024x1024")
    assert marker is models.OpenInAnswers
    # Three identical `response_format` enums: one alias, named after the field.
    assert "ResponseFormat" in names
    assert not [
        n for n in names if n.endswith("ResponseFormat") and n != "ResponseFormat"
    ]
    assert not [c for c in classes().values() if issubclass(c, Enum)]


def test_stream_with_url_response_format_is_rejected_with_a_clear_message() -> None:
    with pytest.raises(ValidationError) as caught:
        models.ImageGenerationRequest(
            model="openai/gpt-image-1",
            prompt="a cat",
            stream=True,
            response_format="url",
        )
    assert '`response_format` must be "b64_json" when `stream` is true' in str(
        caught.value
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"stream": True, "response_format": "b64_json"},
        {"stream": True},  # the default (url) is not the caller's choice
        {"stream": False, "response_format": "url"},
        {},
    ],
)
def test_generation_requests_that_satisfy_the_stream_rule(
    fields: dict[str, object],
) -> None:
    request = models.ImageGenerationRequest(
        model="openai/gpt-image-1", prompt="a cat", **fields
    )
    assert request.n == 1


def test_generation_request_constraints_and_extras() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 10"):
        models.ImageGenerationRequest(model="m", prompt="p", n=11)
    request = models.ImageGenerationRequest.model_validate(
        {
            "model": "m",
            "prompt": "p",
            "seed": 7,
            "input_images": ["a"],
            "fallbacks": [{"provider": "openai", "model": "dall-e-3"}],
        }
    )
    assert request.fallbacks is not None and request.fallbacks[0].provider == "openai"


def test_edit_request_accepts_image_or_image_array_under_the_wire_name() -> None:
    one = models.ImageEditRequest.model_validate(
        {"model": "m", "prompt": "p", "image": b"\x89PNG"}
    )
    many = models.ImageEditRequest.model_validate(
        {"model": "m", "prompt": "p", "image[]": [b"a", b"b"], "mask": b"m"}
    )
    assert one.image == b"\x89PNG" and one.image_list is None
    assert many.image_list == [b"a", b"b"] and many.mask == b"m"
    assert many.model_dump(by_alias=True, exclude_none=True)["image[]"] == [b"a", b"b"]


def test_edit_request_rules() -> None:
    with pytest.raises(
        ValidationError, match=r"one of `image` or `image\[\]` is required"
    ):
        models.ImageEditRequest(model="m", prompt="p")
    with pytest.raises(
        ValidationError,
        match='`prompt` is required unless `type` is "background_removal"',
    ):
        models.ImageEditRequest.model_validate({"model": "m", "image": b"x"})
    with pytest.raises(ValidationError, match="at most 16 items"):
        models.ImageEditRequest.model_validate(
            {"model": "m", "prompt": "p", "image[]": [b"x"] * 17}
        )
    removal = models.ImageEditRequest.model_validate(
        {"model": "m", "type": "background_removal", "image": b"x"}
    )
    assert removal.prompt is None


def test_multipart_models_keep_every_field_typed() -> None:
    edit = models.ImageEditRequest.model_fields
    assert set(edit) == {
        "model",
        "prompt",
        "type",
        "image",
        "image_list",
        "mask",
        "n",
        "size",
        "quality",
        "response_format",
        "background",
        "input_fidelity",
        "output_format",
        "output_compression",
        "partial_images",
        "stream",
        "user",
        "fallbacks",
    }
    # Files are `UploadedFile`s: spooled by the server, built from bytes by the client.
    assert edit["image"].annotation == UploadedFile | None
    assert edit["image_list"].annotation == list[UploadedFile] | None
    assert edit["stream"].default is False
    variation = models.ImageVariationRequest
    with pytest.raises(
        ValidationError, match=r"one of `image` or `image\[\]` is required"
    ):
        variation(model="m")


def test_stream_events_have_one_model_per_type_and_a_discriminated_union() -> None:
    adapter: TypeAdapter[object] = TypeAdapter(streaming.ImageGenerationStreamEvent)
    partial = adapter.validate_python(
        {
            "type": "image_generation.partial_image",
            "b64_json": "AA==",
            "partial_image_index": 0,
        }
    )
    done = adapter.validate_python(
        {"type": "image_generation.completed", "usage": {"total_tokens": 3}}
    )
    error = adapter.validate_python(
        {"type": "error", "error": {"error": {"message": "boom"}}}
    )
    assert type(partial) is models.ImageGenerationPartialImageEvent
    assert type(done) is models.ImageGenerationCompletedEvent
    assert type(error) is models.ImageGenerationErrorEvent
    with pytest.raises(ValidationError):
        adapter.validate_python({"type": "image_edit.completed"})
    edit = TypeAdapter(streaming.ImageEditStreamEvent).validate_python(
        {"type": "image_edit.completed"}
    )
    assert type(edit) is models.ImageEditCompletedEvent


def test_models_carry_the_spec_descriptions_as_docstrings() -> None:
    assert models.ImageData.__doc__ == "A generated image."
    source = inspect.getsource(models.ImageGenerationRequest)
    assert '"""Text description of the image to generate' in source or '"""' in source
    assert issubclass(models.ImageGenerationResponse, BaseModel)


def test_generated_package_is_mypy_strict_clean() -> None:
    result = subprocess.run(
        mypy_strict_command(GENERATED),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
