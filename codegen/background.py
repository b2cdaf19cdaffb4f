"""Run one pure computation in a forked child while the parent goes on.

Generation has two independent halves once the IR is built: the models
(datamodel-code-generator, over half of the time on a large spec) and the
templates. On a machine with a spare core the models are computed in a
forked child, which inherits the IR and every imported module for free (no
pickling in, no imports again); only the resulting text comes back, pickled
through a pipe. Where forking is not safe (threads running: a child could
inherit a lock another thread holds) or not available, or with one core, the
computation runs in the caller, when its result is asked for. The result is
the same either way; only the time differs.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Deferred(Generic[T]):
    """The result of `compute()`, computed in a forked child where that is safe."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._pid = 0
        self._reader = -1
        if _can_fork():
            self._fork()

    def _fork(self) -> None:
        reader, writer = os.pipe()
        pid = os.fork()
        if (
            pid == 0
        ):  # the child: compute, send, leave without cleaning up the parent's state
            os.close(reader)
            status = 0
            try:
                try:
                    payload = pickle.dumps((True, self._compute()))
                except BaseException as exc:  # noqa: BLE001 - handed to the parent
                    payload = _pickled_error(exc)
                with os.fdopen(writer, "wb") as out:
                    out.write(payload)
            except BaseException:  # noqa: BLE001 - the parent sees a short read
                status = 1
            finally:
                os._exit(status)
        os.close(writer)
        self._pid, self._reader = pid, reader

    def result(self) -> T:
        """The value, or the exception `compute` raised, raised here."""
        if not self._pid:
            return self._compute()
        with os.fdopen(self._reader, "rb") as source:
            payload = source.read()
        self._reap()
        try:
            ok, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - the child died: compute here instead
            return self._compute()
        if not ok:
            raise value
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted."""
        if self._pid:
            os.close(self._reader)
            os.kill(self._pid, 9)
            self._reap()

    def _reap(self) -> None:
        os.waitpid(self._pid, 0)
        self._pid = 0


def _can_fork() -> bool:
    return (
        hasattr(os, "fork")
        and (os.cpu_count() or 1) > 1
        and threading.active_count() == 1
    )


def _pickled_error(exc: BaseException) -> bytes:
    try:
        return pickle.dumps((False, exc))
    except Exception:  # noqa: BLE001 - an exception that does not pickle
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
