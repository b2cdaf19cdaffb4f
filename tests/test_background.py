"""codegen.background.Deferred: the same result or exception, wherever it is computed."""

from __future__ import annotations

import os
import threading

import pytest

from codegen import background
from codegen.background import Deferred


def test_the_value_comes_back_from_a_child_when_no_thread_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(background, "_can_fork", lambda: True)
    parent = os.getpid()
    deferred = Deferred(lambda: (os.getpid(), "x" * 200_000))  # more than a pipe holds
    pid, text = deferred.result()
    assert pid != parent
    assert text == "x" * 200_000


def test_an_exception_is_raised_in_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "_can_fork", lambda: True)

    def fail() -> str:
        raise KeyError("missing")

    with pytest.raises(KeyError, match="missing"):
        Deferred(fail).result()


def test_an_exception_that_does_not_pickle_keeps_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(background, "_can_fork", lambda: True)

    class Local(Exception):  # a local class does not pickle
        pass

    def fail() -> str:
        raise Local("boom")

    with pytest.raises(RuntimeError, match="Local: boom"):
        Deferred(fail).result()


def test_with_a_thread_running_it_computes_in_the_caller() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert Deferred(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        thread.join(timeout=5)


def test_a_cancelled_child_is_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "_can_fork", lambda: True)
    stop = Deferred(lambda: threading.Event().wait(30))
    pid = stop._pid
    stop.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
