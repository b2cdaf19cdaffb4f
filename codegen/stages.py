"""The pipeline's stages as the command line sees them: what a failure inside one means.

Every stage runs under `stage(...)`. A SpecError passes through: it is the
spec's fault and says where. Anything else escaping a stage is a bug of the
toolkit; it becomes an InternalError that names the stage, so the command line
can say what went wrong in one line instead of a traceback.

Kept apart from `codegen.pipeline` (which re-exports these names) so that the
command line handles failures without importing the stages' heavy modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import SpecError

_MAX_CAUSE = 300


class InternalError(Exception):
    """An unexpected exception inside the toolkit, and the stage it escaped from."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(f"internal error while {stage}: {describe(cause)}")
        self.stage = stage
        self.cause = cause


class OutputError(Exception):
    """The output folder cannot be written: permissions, a full disk; not a bug."""


def describe(exc: BaseException) -> str:
    """`KeyError: 'x'` on one line, cut short: some messages quote whole documents."""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= _MAX_CAUSE else text[: _MAX_CAUSE - 3] + "..."


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Run a stage: spec errors pass through, anything else is an InternalError of `name`."""
    try:
        yield
    except (SpecError, InternalError, OutputError):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever escapes is a bug of this stage
        raise InternalError(name, exc) from exc
