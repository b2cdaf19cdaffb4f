"""What the client's errors module prints, worked out from the IR."""

from __future__ import annotations

from typing import Any

from .ir import Api


def error_models(api: Api) -> list[str]:
    """The models of the spec's error answers (non-2xx JSON), sorted."""
    return sorted(
        {
            r.json_model
            for op in api.operations
            for r in op.responses
            if not r.status.startswith("2") and r.json_model
        }
        | ({api.client_error.model} if api.client_error else set())
    )


def errors_context(api: Api) -> dict[str, Any]:
    """The template context of errors.py."""
    models = error_models(api)
    return {
        "error_models": models,
        "error_body_type": " | ".join(models) if models else "BaseModel",
        "has_streams": api.has_streams,
    }
