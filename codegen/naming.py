"""Python names from the spec's names: classes, functions, fields."""

from __future__ import annotations

import keyword
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")


def words(name: str) -> list[str]:
    """Split `imageGeneration`, `image_generation.partial_image`, `HTTPCode` into words."""
    return _WORD.findall(name)


def snake_case(name: str) -> str:
    """`imageGeneration` -> `image_generation`; never a keyword, never starting with a digit."""
    result = "_".join(w.lower() for w in words(name)) or "_"
    return _safe_identifier(result)


def pascal_case(name: str) -> str:
    """`image_generation.partial_image` -> `ImageGenerationPartialImage`."""
    result = "".join(w[:1].upper() + w[1:] for w in words(name)) or "_"
    return _safe_identifier(result)


def field_name(wire_name: str, taken: set[str]) -> str:
    """A clean attribute name for a property whose wire name is not one.

    `image[]` -> `image` when free, else `image_list`; `page-count` -> `page_count`;
    keywords get a trailing underscore (`class` -> `class_`).
    """
    is_array = wire_name.endswith("[]")
    base = re.sub(r"\W+", "_", wire_name.removesuffix("[]")).strip("_") or "field"
    candidate = _safe_identifier(base)
    if candidate in taken:
        candidate = f"{base}_list" if is_array else f"{base}_"
    while candidate in taken:
        candidate += "_"
    return candidate


def _safe_identifier(name: str) -> str:
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name):
        name += "_"
    return name
