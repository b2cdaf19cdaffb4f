"""Round trip: the generated client calls the generated server's mock, every operation.

For one spec: generate the package into a temporary folder, serve its
`create_app(MockHandlers())` with uvicorn on 127.0.0.1 (a free port, in a
thread), and call each operation with the generated `Client`, its arguments
synthesised from the schemas (the required parameters and a whole body).
An operation passes when the client gives back the mock's answer (the first
declared) as its declared type: a model that also validates against the
spec's schema, a `BinaryResponse` holding the mock's bytes (an
`AsyncBinaryResponse` from the `AsyncClient` too), text, or nothing,
inside a `Reply` of the right status and headers model where the client
returns one; for a stream, the mock's events, each of its type (models,
`ServerSentEvent`s, `UnknownEvent`s) in order, the stream read to its end.

Used by tests/test_round_trip.py and bench/bench_round_trip.py.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .client_view import ClientOperation, client_context
from .errors import Diagnostics, SpecError
from .ir import Api, Operation, Param, build_api
from .mock_answers import (
    BINARY_ANSWER,
    REPEATED_EVENTS,
    mock_answer,
    sent_events,
    synthesiser,
)
from .mock_server import imported_package, mock_app
from .models import models_source
from .pysource import tidy_imports
from .render import render_package
from .responses import Answer
from .schema_clean import COMPONENT_REF
from .spec import load_spec
from .synth import Synthesiser
from .write import format_files

HOST = "127.0.0.1"
TIMEOUT = 10.0
"""Seconds: the server's start, and each request (connect, each read)."""
FILE_CONTENT = b"\x89PNG\r\n\x1a\nmock file"
_MAX_REASON = 300


@dataclass(frozen=True)
class CallResult:
    operation: str
    passed: bool
    reason: str = ""


@dataclass(frozen=True)
class SpecResult:
    spec: str
    results: tuple[CallResult, ...]
    seconds: float
    error: str = ""
    """Why no operation could be called (the spec does not generate, the server does not start)."""

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def total(self) -> int:
        return len(self.results)

    def failures(self) -> list[CallResult]:
        return [r for r in self.results if not r.passed]


def round_trip(spec: Path, *, timeout: float = TIMEOUT) -> SpecResult:
    """Call every operation of `spec` through the generated client and mock server."""
    started = time.monotonic()
    try:
        loaded = load_spec(spec, Diagnostics())
        api = build_api(loaded)
    except SpecError as error:
        return SpecResult(
            str(spec), (), time.monotonic() - started, f"spec error: {error}"
        )
    package = f"roundtrip_{uuid.uuid4().hex[:10]}"
    try:
        files = format_files(
            render_package(api, package, tidy_imports(models_source(api)))
        )
    except Exception as exc:  # noqa: BLE001 - a toolkit bug is this spec's result
        return SpecResult(
            str(spec),
            (),
            time.monotonic() - started,
            f"generation failed: {_describe(exc)}",
        )
    server_log = _Failures()
    logger = logging.getLogger(f"{package}.server")
    logger.addHandler(server_log)
    logger.propagate = False  # the failures are reported with each operation instead
    try:
        with (
            imported_package(files, package),
            _served(mock_app(package), timeout) as url,
        ):
            caller = _Caller(api, package, url, timeout, server_log)
            try:
                results = tuple(
                    caller.check(op, view) for op, view in caller.operations()
                )
            finally:
                caller.close()
    except Exception as exc:  # noqa: BLE001 - the package does not import or serve
        return SpecResult(
            str(spec),
            (),
            time.monotonic() - started,
            f"the mock server failed: {_describe(exc)}",
        )
    finally:
        logger.removeHandler(server_log)
    return SpecResult(str(spec), results, time.monotonic() - started)


class _Caller:
    """Calls operations with synthesised arguments and judges the answers."""

    def __init__(
        self, api: Api, package: str, url: str, timeout: float, server_log: _Failures
    ) -> None:
        self.api = api
        self.package = package
        self.server_log = server_log
        self.models = importlib.import_module(f"{package}.models")
        self.streaming = (
            importlib.import_module(f"{package}.streaming") if api.has_streams else None
        )
        self.client_module = importlib.import_module(f"{package}.client")
        credentials = {
            s.python_name: ("mock", "secret") if s.kind == "basic" else "secret"
            for s in api.security_schemes
        }
        self.client_options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": 0,
            **credentials,
        }
        self.url = url
        self.client = self.client_module.Client(url, **self.client_options)
        self.synth = synthesiser(api)
        components = (api.spec.get("components") or {}).get("schemas") or {}
        # Parameters' schemas are read as the spec writes them (refs by component key).
        self.raw_synth = Synthesiser(components if isinstance(components, dict) else {})

    def operations(self) -> Iterator[tuple[Operation, ClientOperation]]:
        views = client_context(self.api)["client_operations"]
        return zip(self.api.operations, views, strict=True)

    def close(self) -> None:
        self.client.close()

    def check(self, op: Operation, view: ClientOperation) -> CallResult:
        label = f"{op.method.upper()} {op.path}"
        self.server_log.messages.clear()
        try:
            method = _client_method(self.client, view)
            if view.stream_argument:
                arguments = self.arguments(op, view, method, stream=False)
                self.judge_plain(op, method(**arguments, stream=False))
                self.judge_async_binary(op, view, {**arguments, "stream": False})
                arguments = self.arguments(op, view, method, stream=True)
                self.judge_stream(op, method(**arguments, stream=True))
                return CallResult(label, True)
            arguments = self.arguments(op, view, method)
            if view.always_streams:
                self.judge_stream(op, method(**arguments))
            else:
                self.judge_plain(op, method(**arguments))
                self.judge_async_binary(op, view, arguments)
        except Exception as exc:  # noqa: BLE001 - it is the operation's result
            reason = _describe(exc)
            if self.server_log.messages:
                reason = f"{reason} (server: {self.server_log.messages[-1]})"
            return CallResult(label, False, reason)
        return CallResult(label, True)

    # -- arguments ---------------------------------------------------------------

    def arguments(
        self,
        op: Operation,
        view: ClientOperation,
        method: Any,
        stream: bool | None = None,
    ) -> dict[str, Any]:
        """Keyword arguments for `method`; `stream`: the value the body's stream flag will have."""
        accepted = inspect.signature(method).parameters
        arguments: dict[str, Any] = {}
        if view.body_kind == "raw":
            arguments["body"] = (
                "mock" if "str" in str(accepted["body"].annotation) else b"mock"
            )
        elif view.body_kind == "model" and view.body_model:
            value = self.synth.value({"$ref": COMPONENT_REF + view.body_model})
            arguments["body"] = getattr(self.models, view.body_model).model_validate(
                value
            )
        elif view.body_kind in ("json", "json_or_form", "form") and view.body_model:
            schema: dict[str, Any] = {"$ref": COMPONENT_REF + view.body_model}
            if stream is not None and op.stream_flag:
                # The rest of the body must suit the flag (a rule may tie them).
                flag = {
                    "properties": {op.stream_flag: {"const": stream}},
                    "required": [op.stream_flag],
                }
                schema = {"allOf": [schema, flag]}
            value = self.synth.value(schema)
            value = value if isinstance(value, dict) else {}
            for wire, python in view.body_fields:
                if wire in value:
                    arguments[python] = value[wire]
            # A JSON body that may go out as a form is sent as JSON: no files.
            for part in view.files if view.body_kind == "form" else ():
                arguments[part.python_name] = (
                    FILE_CONTENT if part.single else [FILE_CONTENT]
                )
        names = _param_arguments(op, view, list(accepted))
        for param in op.params:
            name = names.get((param.name, param.location))
            if param.required and name is not None:
                arguments[name] = self.param_value(op, param)
        return arguments

    def param_value(self, op: Operation, param: Param) -> Any:
        schema = _raw_param_schema(self.api.spec, op, param)
        value = self.raw_synth.value(schema)
        if param.python_type.startswith("list[") and not isinstance(value, list):
            value = [value]
        return value

    # -- answers -----------------------------------------------------------------

    def judge_plain(self, op: Operation, result: Any) -> None:
        """The mock's answer (the first declared, in a `Reply` with its headers when asked)."""
        answer = mock_answer(op)
        if answer is None:
            if result is not None:
                raise AssertionError(
                    f"expected no content, got {type(result).__name__}"
                )
            return
        if op.reply:
            reply = self.client_module.Reply
            if not isinstance(result, reply):
                raise AssertionError(f"expected a Reply, got {type(result).__name__}")
            if result.status != answer.code:
                raise AssertionError(
                    f"expected the status {answer.code}, got {result.status}"
                )
            self.judge_headers(op, result.headers)
            result = result.body
        self.judge_body(answer, result)

    def judge_headers(self, op: Operation, headers: Any) -> None:
        if op.headers_model is None:
            if headers is not None:
                raise AssertionError(f"expected no headers, got {headers!r}")
            return
        self.judge_model(op.headers_model, headers)

    def judge_body(self, answer: Answer, result: Any) -> None:
        if answer.kind == "json" and answer.model:
            self.judge_model(answer.model, result)
        elif answer.kind == "binary":
            binary = self.client_module.BinaryResponse
            if not isinstance(result, binary):
                raise AssertionError(
                    f"expected a BinaryResponse, got {type(result).__name__}"
                )
            content = result.read()
            if content != BINARY_ANSWER.encode():
                raise AssertionError(f"expected the mock's bytes, got {content!r}")
        elif answer.kind == "text":
            if not isinstance(result, str):
                raise AssertionError(f"expected str, got {type(result).__name__}")
        elif result is not None:
            raise AssertionError(f"expected no content, got {type(result).__name__}")

    def judge_model(self, name: str, result: Any) -> None:
        """`result` is a `name` model, valid against the spec's schema too."""
        model = getattr(self.models, name)
        if not isinstance(result, model):
            raise AssertionError(f"expected {name}, got {type(result).__name__}")
        data = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
        error = self.synth.error({"$ref": COMPONENT_REF + name}, data)
        if error is not None:
            raise AssertionError(
                f"the {name} answer is not valid against its schema: {error}"
            )

    def judge_async_binary(
        self, op: Operation, view: ClientOperation, arguments: dict[str, Any]
    ) -> None:
        """A binary answer through the `AsyncClient` too: an `AsyncBinaryResponse` of the mock's bytes."""
        answer = mock_answer(op)
        if answer is not None and answer.kind == "binary":
            asyncio.run(self._async_binary(op, view, arguments))

    async def _async_binary(
        self, op: Operation, view: ClientOperation, arguments: dict[str, Any]
    ) -> None:
        client_class = self.client_module.AsyncClient
        async with client_class(self.url, **self.client_options) as client:
            result = await _client_method(client, view)(**arguments)
            if op.reply:
                result = result.body
            binary = self.client_module.AsyncBinaryResponse
            if not isinstance(result, binary):
                raise AssertionError(
                    f"expected an AsyncBinaryResponse, got {type(result).__name__}"
                )
            content = await result.read()
            if content != BINARY_ANSWER.encode():
                raise AssertionError(f"expected the mock's bytes, got {content!r}")

    def judge_stream(self, op: Operation, stream: Any) -> None:
        """The mock's events, each of its type, in order; the stream then ends."""
        declared = op.stream
        assert declared is not None and self.streaming is not None
        events = []
        with stream:
            for event in stream:
                events.append(event)
                if len(events) > 1000:
                    raise AssertionError("the stream does not end")
        expected: list[type]
        if declared.raw:
            sse = importlib.import_module(f"{self.package}.sse")
            expected = [sse.ServerSentEvent] * REPEATED_EVENTS
        elif declared.item:
            expected = [getattr(self.models, declared.item)] * REPEATED_EVENTS
        elif not declared.events:
            expected = [self.streaming.UnknownEvent] * REPEATED_EVENTS
        else:
            expected = [getattr(self.models, e.model) for e in sent_events(declared)]
        got = [type(e) for e in events]
        if got != expected:
            raise AssertionError(
                f"expected the events {[t.__name__ for t in expected]}, got {events!r}"[
                    :_MAX_REASON
                ]
            )


class _Failures(logging.Handler):
    """The exceptions the generated server logged, one line each."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        self.messages.append(_describe(error) if error else record.getMessage())


def _param_arguments(
    op: Operation, view: ClientOperation, accepted: Any
) -> dict[tuple[str, str], str]:
    """The client argument of each parameter, by (wire name, location).

    The client names a parameter's argument after its Python name, with the
    location (then `_`s) added when a body field took that name first.
    """
    body_names = {python for _, python in view.body_fields}
    body_names |= {part.python_name for part in view.files} | {"body", "stream"}
    free = [name for name in accepted if name not in body_names]
    found: dict[tuple[str, str], str] = {}
    for param in op.params:
        stems = (param.python_name, f"{param.python_name}_{param.location}")
        for name in free:
            if name.rstrip("_") in stems or name in stems:
                found[(param.name, param.location)] = name
                free.remove(name)
                break
    return found


def _raw_param_schema(doc: dict[str, Any], op: Operation, param: Param) -> Any:
    """A parameter's schema as the spec writes it (path-level parameters included)."""
    item = _follow(doc, (doc.get("paths") or {}).get(op.path))
    operation = _follow(doc, item.get(op.method))
    for raw in [*(operation.get("parameters") or []), *(item.get("parameters") or [])]:
        raw = _follow(doc, raw)
        if raw.get("name") == param.name and raw.get("in") == param.location:
            if "schema" in raw:
                return raw["schema"]
            for media in _follow(doc, raw.get("content")).values():
                return _follow(doc, media).get("schema", {})
    return {}


def _follow(doc: dict[str, Any], node: Any) -> dict[str, Any]:
    for _ in range(16):
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            target = target.get(part) if isinstance(target, dict) else None
        node = target
    return {}


def _describe(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 3] + "..."


@contextmanager
def _served(app: Any, timeout: float) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) in a thread while the context lasts."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        lifespan="off",
        log_level="critical",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"mock-{port}", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the mock server on port {port} did not start")
            time.sleep(0.01)
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()


def main(argv: list[str] | None = None) -> int:
    """`python -m codegen.roundtrip SPEC...`: each spec's result and its failures."""
    failed = False
    for spec in argv if argv is not None else sys.argv[1:]:
        result = round_trip(Path(spec))
        print(
            f"{spec}: {result.passed}/{result.total} in {result.seconds:.1f} s {result.error}"
        )
        for failure in result.failures():
            print(f"  FAIL {failure.operation}: {failure.reason}")
        failed = failed or bool(result.error or result.failures())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())


def _client_method(client: Any, view: ClientOperation) -> Any:
    """The client's method of an operation: on its resource (`client.images.edit`), or the client's own."""
    owner = getattr(client, view.resource) if view.resource else client
    return getattr(owner, view.name)
