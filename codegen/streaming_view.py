"""What the streaming template prints, worked out from the IR."""

from __future__ import annotations

from typing import Any

from .ir import Api


def streaming_context(api: Api) -> dict[str, Any]:
    """The template context of streaming.py: which streams need which helpers."""
    return {
        "event_streams": [s for s in api.streams if not s.item],
        "item_streams": [s for s in api.streams if s.item],
        "derived_streams": [s for s in api.streams if s.derived],
        "event_models": list(
            dict.fromkeys(model for s in api.streams for model in s.models)
        ),
    }
