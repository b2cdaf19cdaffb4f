"""The generated client's settings that come from `[tool.codegen]`, not from the spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for the server (read, write, pool) unless the project says otherwise."""
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class ClientOptions:
    timeout: float = DEFAULT_TIMEOUT
    """The client's default timeout in seconds (`timeout = 600` in `[tool.codegen]`)."""
    connect_timeout: float = CONNECT_TIMEOUT


def client_options(settings: dict[str, Any]) -> ClientOptions:
    """The options of `[tool.codegen]`; ValueError names the one that is not usable."""
    timeout = settings.get("timeout", DEFAULT_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or timeout <= 0
    ):
        raise ValueError("timeout must be a positive number of seconds")
    return ClientOptions(
        timeout=float(timeout), connect_timeout=min(CONNECT_TIMEOUT, float(timeout))
    )
