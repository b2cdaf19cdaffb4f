"""Python names from spec names, and the import block of generated modules."""

from __future__ import annotations

import pytest

from codegen.naming import field_name, pascal_case, snake_case
from codegen.pysource import tidy_imports
from codegen.streams import event_model_name, stream_stem


@pytest.mark.parametrize(
    ("spec_name", "expected"),
    [
        ("imageGeneration", "image_generation"),
        ("ImageVariation", "image_variation"),
        ("getHTTPStatus", "get_http_status"),
        ("list-books", "list_books"),
        ("X-Request-Id", "x_request_id"),
        ("class", "class_"),
        ("2fa", "_2fa"),
    ],
)
def test_snake_case(spec_name: str, expected: str) -> None:
    assert snake_case(spec_name) == expected


@pytest.mark.parametrize(
    ("spec_name", "expected"),
    [
        ("image_generation.partial_image", "ImageGenerationPartialImage"),
        ("imageEdit", "ImageEdit"),
        ("pet.yaml", "PetYaml"),
        ("error", "Error"),
    ],
)
def test_pascal_case(spec_name: str, expected: str) -> None:
    assert pascal_case(spec_name) == expected


@pytest.mark.parametrize(
    ("wire", "taken", "expected"),
    [
        ("image[]", {"image"}, "image_list"),
        ("tags[]", set(), "tags"),
        ("page-count", set(), "page_count"),
        ("class", set(), "class_"),
        ("from", {"from_"}, "from__"),
        ("2x", set(), "_2x"),
    ],
)
def test_field_name(wire: str, taken: set[str], expected: str) -> None:
    assert field_name(wire, taken) == expected


def test_stream_event_model_names() -> None:
    assert stream_stem("ImageGenerationStreamResponse") == "ImageGeneration"
    assert stream_stem("ChatEvent") == "Chat"
    assert (
        event_model_name("ImageEdit", "image_edit.partial_image")
        == "ImageEditPartialImageEvent"
    )
    assert event_model_name("ImageEdit", "error") == "ImageEditErrorEvent"


def test_tidy_imports_merges_and_orders_like_isort() -> None:
    source = (
        '"""Doc."""\n\nfrom __future__ import annotations\n\n'
        "from pydantic import model_validator\nfrom typing import Self\n"
        "from enum import StrEnum\nfrom typing import Annotated, Any\n"
        "from pydantic import BaseModel, Field\nfrom .models import X\n\n\nclass A: ...\n"
    )
    assert tidy_imports(source) == (
        '"""Doc."""\n\nfrom __future__ import annotations\n\n'
        "from enum import StrEnum\nfrom typing import Annotated, Any, Self\n\n"
        "from pydantic import BaseModel, Field, model_validator\n\n"
        "from .models import X\n\n\nclass A: ...\n"
    )
