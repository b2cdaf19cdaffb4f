"""Run one pure computation in a process forked before its input exists.

Generation has two independent halves once the IR is built: the models
(datamodel-code-generator, most of the time on a large spec) and the
templates. On a machine with a spare core a `Worker` forks at the start,
while the process is still small: the child warms up (imports, a first run on
a tiny input) while the parent loads the spec, then waits for its input. Its
peak memory is then the model generator's own, not that plus the loaded spec
it would inherit by forking later. Input and result are pickled through pipes.

Where forking is not safe (threads running: a child could inherit a lock
another thread holds) or not available, or with one core, the computation
runs in the caller, when its result is asked for. The result is the same
either way; only the time and the memory differ.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

A = TypeVar("A")
T = TypeVar("T")

_UNSET: object = object()


class Worker(Generic[A, T]):
    """`function(argument)`, computed in a child forked now, where that is safe.

    `warm_up` runs in the child before the argument arrives (never in the
    caller): what it does must not change the result.
    """

    def __init__(
        self, function: Callable[[A], T], warm_up: Callable[[], object] | None = None
    ) -> None:
        self._function = function
        self._argument: object = _UNSET
        self._pid = 0
        self._to_child = self._from_child = -1
        if _can_fork():
            self._fork(warm_up)

    def _fork(self, warm_up: Callable[[], object] | None) -> None:
        inputs, to_child = os.pipe()
        from_child, results = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(to_child)
            os.close(from_child)
            self._serve(warm_up, inputs, results)
        os.close(inputs)
        os.close(results)
        self._pid, self._to_child, self._from_child = pid, to_child, from_child

    def _serve(
        self, warm_up: Callable[[], object] | None, inputs: int, results: int
    ) -> None:
        """The child: warm up, read the argument, send back the result, leave.

        It leaves with os._exit, without cleaning up the parent's state.
        """
        status = 0
        try:
            try:
                if warm_up is not None:
                    warm_up()
                with os.fdopen(inputs, "rb") as source:
                    data = source.read()
                if not data:  # the parent cancelled or went away
                    os._exit(0)
                payload = pickle.dumps((True, self._function(pickle.loads(data))))
            except BaseException as exc:  # noqa: BLE001 - handed to the parent
                payload = _pickled_error(exc)
            with os.fdopen(results, "wb") as out:
                out.write(payload)
        except BaseException:  # noqa: BLE001 - the parent sees a short read
            status = 1
        finally:
            os._exit(status)

    def submit(self, argument: A) -> None:
        """Hand over the argument; the child starts computing."""
        self._argument = argument
        if self._pid:
            fd, self._to_child = self._to_child, -1
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(pickle.dumps(argument))
            except OSError:  # the child died: `result` computes here
                self._stop()

    def result(self) -> T:
        """The value, or the exception `function` raised, raised here."""
        if self._argument is _UNSET:
            raise RuntimeError("Worker.result() before submit()")
        if not self._pid:
            return self._compute()
        fd, self._from_child = self._from_child, -1
        with os.fdopen(fd, "rb") as source:
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
            self._stop()

    def _compute(self) -> T:
        return self._function(self._argument)  # type: ignore[arg-type]

    def _stop(self) -> None:
        for fd in (self._to_child, self._from_child):
            if fd >= 0:
                os.close(fd)
        self._to_child = self._from_child = -1
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
