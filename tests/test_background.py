"""codegen.background.Worker: the same result or exception, wherever it is computed."""

from __future__ import annotations

import os
import threading

import pytest

from codegen import background
from codegen.background import Worker


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even on a one-core machine."""
    monkeypatch.setattr(background, "_can_fork", lambda: True)


def _pid_and_text(size: int) -> tuple[int, str]:
    return os.getpid(), "x" * size


@pytest.mark.usefixtures("forking")
def test_the_value_comes_back_from_a_child_forked_before_the_argument() -> None:
    worker = Worker(_pid_and_text)
    worker.submit(200_000)  # more than a pipe holds, each way
    pid, text = worker.result()
    assert pid != os.getpid()
    assert text == "x" * 200_000


@pytest.mark.usefixtures("forking")
def test_the_warm_up_runs_in_the_child_only(tmp_path: os.PathLike[str]) -> None:
    marks = os.path.join(tmp_path, "warm")

    def warm_up() -> None:
        with open(marks, "a") as out:
            out.write(f"{os.getpid()}\n")

    worker = Worker(_pid_and_text, warm_up)
    worker.submit(1)
    pid, _ = worker.result()
    with open(marks) as source:
        assert source.read() == f"{pid}\n"


@pytest.mark.usefixtures("forking")
def test_an_exception_is_raised_in_the_caller() -> None:
    def fail(key: str) -> str:
        raise KeyError(key)

    worker = Worker(fail)
    worker.submit("missing")
    with pytest.raises(KeyError, match="missing"):
        worker.result()


@pytest.mark.usefixtures("forking")
def test_a_failing_warm_up_is_raised_in_the_caller() -> None:
    def warm_up() -> None:
        raise ImportError("no such generator")

    worker = Worker(_pid_and_text, warm_up)
    worker.submit(1)
    with pytest.raises(ImportError, match="no such generator"):
        worker.result()


@pytest.mark.usefixtures("forking")
def test_an_exception_that_does_not_pickle_keeps_its_message() -> None:
    class Local(Exception):  # a local class does not pickle
        pass

    def fail(text: str) -> str:
        raise Local(text)

    worker = Worker(fail)
    worker.submit("boom")
    with pytest.raises(RuntimeError, match="Local: boom"):
        worker.result()


@pytest.mark.usefixtures("forking")
def test_a_child_that_dies_leaves_the_work_to_the_caller() -> None:
    worker = Worker(_pid_and_text)
    os.kill(worker._pid, 9)
    worker.submit(10)
    assert worker.result() == (os.getpid(), "x" * 10)


def test_with_a_thread_running_it_computes_in_the_caller() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        worker = Worker(_pid_and_text)
        worker.submit(1)
        assert worker.result() == (os.getpid(), "x")
    finally:
        stop.set()
        thread.join(timeout=5)


def test_a_result_before_the_argument_is_a_bug() -> None:
    worker = Worker(_pid_and_text)
    try:
        with pytest.raises(RuntimeError, match="before submit"):
            worker.result()
    finally:
        worker.cancel()


@pytest.mark.usefixtures("forking")
@pytest.mark.parametrize("submitted", [False, True])
def test_a_cancelled_child_is_reaped(submitted: bool) -> None:
    worker = Worker(lambda _: threading.Event().wait(30))
    pid = worker._pid
    if submitted:
        worker.submit(None)
    worker.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
