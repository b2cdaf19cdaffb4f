"""The generated server inside FastAPI apps, over real HTTP.

`create_router` is mounted in a user's own app: its routes answer in the
spec's error shape while the user's routes keep FastAPI's behaviour (422
`detail`, their own exception handlers, 404s). `create_app` passes FastAPI's
options through (lifespan, middleware). Without `authenticate` the server
refuses every secured operation. Handlers return any declared answer with
`Reply` (status, typed body, headers) and raise `ApiError` with the spec's
error models; the server's own errors take their kind from the spec's enum.
The fixture is tests/fixtures/server_router/openapi.yaml.
"""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .conftest import FIXTURES, mypy_strict_command
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "server_router" / "openapi.yaml"
TIMEOUT = 10.0
KEY = {"X-Key": "good"}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root: Path = tmp_path_factory.mktemp("server_router")
    with generated_package(SPEC, root, stem="router_api") as generated:
        yield generated


class Handlers:
    """Answers chosen by the request: thing 404 is missing, thing 7 has a version."""

    def __init__(self, package: GeneratedPackage) -> None:
        self.models = package.module("models")
        self.server = package.module("server")
        self.started = False

    async def get_thing(self, context: Any, *, thing_id: int) -> Any:
        models, server = self.models, self.server
        if thing_id == 404:
            return server.Reply(404, models.NotFound(resource="thing", id=thing_id))
        if thing_id == 410:
            raise server.ApiError(404, body=models.NotFound(resource="gone", id=410))
        if thing_id == 429:
            raise server.ApiError(429, "Slow down.", headers={"Retry-After": "3"})
        if thing_id == 418:
            return server.Reply(418, models.Thing(id=418, name="teapot"))  # undeclared
        if thing_id == 500:
            raise RuntimeError("the secret database password is hunter2")
        thing = models.Thing(id=thing_id, name="started" if self.started else "seven")
        # Wire names: the model does not take `x_version=` (no populate_by_name).
        headers = models.GetThingHeaders.model_validate({"x-version": 3})
        return server.Reply(200, thing, headers)

    async def create_thing(self, body: Any, context: Any) -> Any:
        if body.name == "taken":
            raise self.server.ApiError(409, "A thing has that name.")
        if body.name == "existing":
            return body  # a bare body: the first 2xx of its type, 200
        headers = self.models.CreateThingHeaders(location=f"/things/{body.id}")
        return self.server.Reply(201, body, headers)

    async def health(self, context: Any) -> None:
        return None

    async def greeting(self, context: Any) -> str:
        return f"hello {context.principal or 'stranger'}"


async def authenticate(credentials: Any) -> str | None:
    return "friend" if credentials.secret == "good" else None


# --- the router in a user's app -------------------------------------------------------------


class Mine(BaseModel):
    count: int


class Boom(Exception):
    pass


def user_app(package: GeneratedPackage) -> FastAPI:
    """An app of the user's own, with the generated routes under /api."""
    app = FastAPI()

    @app.exception_handler(Boom)
    async def boom(request: Request, error: Boom) -> JSONResponse:
        return JSONResponse({"boom": True}, status_code=418)

    @app.post("/mine")
    async def mine(body: Mine) -> dict[str, int]:
        return {"count": body.count}

    @app.get("/boom")
    async def explode() -> None:
        raise Boom()

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(418, "short and stout")

    router = package.module("server").create_router(
        Handlers(package), authenticate=authenticate, prefix="/api", max_body_size=200
    )
    app.include_router(router)
    return app


@pytest.fixture(scope="module")
def mounted(package: GeneratedPackage) -> Iterator[httpx.Client]:
    with (
        serve(user_app(package)) as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        yield client


def problem(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """The spec's `Problem` body of `response`, with its status and kind checked."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] == kind, body
    assert body["message"]
    return body


def test_user_routes_keep_fastapi_validation_errors(mounted: httpx.Client) -> None:
    response = mounted.post("/mine", json={"count": "many"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "count"]


def test_user_routes_keep_their_exception_handlers(mounted: httpx.Client) -> None:
    boom = mounted.get("/boom")
    assert (boom.status_code, boom.json()) == (418, {"boom": True})
    teapot = mounted.get("/teapot")
    assert (teapot.status_code, teapot.json()) == (418, {"detail": "short and stout"})


def test_user_app_unknown_paths_stay_fastapi_404s(mounted: httpx.Client) -> None:
    response = mounted.get("/nowhere")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_user_routes_have_no_body_limit(mounted: httpx.Client) -> None:
    response = mounted.post("/mine", json={"count": 1, "padding": "x" * 1000})
    assert (response.status_code, response.json()) == (200, {"count": 1})


def test_generated_routes_answer_in_the_spec_shape(mounted: httpx.Client) -> None:
    invalid = mounted.post("/api/things", json={"id": "x", "name": "n"}, headers=KEY)
    assert "id" in problem(invalid, 400, "invalid_request")["message"]
    problem(
        mounted.post("/api/things", json={"id": 1}, headers=KEY), 400, "invalid_request"
    )
    # 401 shares no word with the enum: the field's default.
    problem(mounted.get("/api/things/7"), 401, "refused")
    problem(mounted.get("/api/things/7", headers={"X-Key": "bad"}), 401, "refused")
    too_large = {"id": 1, "name": "n" * 300}
    problem(
        mounted.post("/api/things", json=too_large, headers=KEY), 413, "invalid_request"
    )
    wrong_method = mounted.delete("/api/things/7", headers=KEY)
    problem(wrong_method, 405, "refused")
    assert wrong_method.headers["allow"] == "GET"


def test_a_chunked_body_over_the_limit_is_a_413(mounted: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"id": 1, "name": "'
        for _ in range(10):
            yield b"n" * 50
        yield b'"}'

    response = mounted.post(
        "/api/things",
        content=chunks(),
        headers={**KEY, "Content-Type": "application/json"},
    )
    problem(response, 413, "invalid_request")


def test_a_handler_failure_is_a_500_without_its_text(mounted: httpx.Client) -> None:
    response = mounted.get("/api/things/500", headers=KEY)
    problem(response, 500, "server_failure")
    assert "hunter2" not in response.text


# --- answers and errors ---------------------------------------------------------------------


def test_reply_sends_a_declared_status_with_its_headers(mounted: httpx.Client) -> None:
    created = mounted.post("/api/things", json={"id": 5, "name": "new"}, headers=KEY)
    assert created.status_code == 201
    assert created.headers["location"] == "/things/5"
    assert created.json() == {"id": 5, "name": "new"}
    existing = mounted.post(
        "/api/things", json={"id": 5, "name": "existing"}, headers=KEY
    )
    assert existing.status_code == 200 and "location" not in existing.headers
    found = mounted.get("/api/things/7", headers=KEY)
    assert found.status_code == 200 and found.headers["x-version"] == "3"


def test_reply_sends_a_declared_error_answer(mounted: httpx.Client) -> None:
    response = mounted.get("/api/things/404", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"resource": "thing", "id": 404}


def test_an_undeclared_reply_is_a_500(mounted: httpx.Client) -> None:
    problem(mounted.get("/api/things/418", headers=KEY), 500, "server_failure")


def test_api_error_sends_the_spec_error_model_it_carries(mounted: httpx.Client) -> None:
    response = mounted.get("/api/things/410", headers=KEY)
    assert response.status_code == 404
    assert response.json() == {"resource": "gone", "id": 410}


def test_api_error_with_a_message_fills_the_spec_error_model(
    mounted: httpx.Client,
) -> None:
    taken = mounted.post("/api/things", json={"id": 1, "name": "taken"}, headers=KEY)
    assert problem(taken, 409, "conflict")["message"] == "A thing has that name."
    slow = mounted.get("/api/things/429", headers=KEY)
    assert problem(slow, 429, "refused")["message"] == "Slow down."
    assert slow.headers["retry-after"] == "3"


def test_the_generated_client_reads_a_reply_with_headers(
    mounted: httpx.Client, package: GeneratedPackage
) -> None:
    client_module = package.module("client")
    with client_module.Client(
        str(mounted.base_url) + "/api", key_auth="good", max_retries=0
    ) as client:
        reply = client.create_thing(id=9, name="nine")
    assert reply.status == 201
    assert reply.body == package.module("models").Thing(id=9, name="nine")
    assert reply.headers.location == "/things/9"


# --- create_app and the security default ----------------------------------------------------


class Stamp:
    """ASGI middleware: every answer carries `X-Stamp`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-stamp", b"1")]
            await send(message)

        await self.app(scope, receive, stamped)


def test_create_app_passes_lifespan_and_middleware(package: GeneratedPackage) -> None:
    handlers = Handlers(package)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        handlers.started = True
        yield

    app = package.module("server").create_app(
        handlers,
        authenticate=authenticate,
        lifespan=lifespan,
        middleware=[Middleware(Stamp)],
        title="Mine",
    )
    assert app.title == "Mine"

    @app.post("/mine")
    async def mine(body: Mine) -> dict[str, int]:
        if body.count < 0:
            raise HTTPException(418, "short and stout")
        return {"count": body.count}

    with (
        serve(app, lifespan="on") as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        response = client.get("/things/7", headers=KEY)
        assert response.json()["name"] == "started"
        assert response.headers["x-stamp"] == "1"
        # create_app answers unknown paths in the spec's shape...
        problem(client.get("/nowhere"), 404, "not_found")
        # ...while a route added to its app keeps FastAPI's answers.
        invalid = client.post("/mine", json={"count": "many"})
        assert invalid.status_code == 422 and "detail" in invalid.json()
        teapot = client.post("/mine", json={"count": -1})
        assert (teapot.status_code, teapot.json()) == (
            418,
            {"detail": "short and stout"},
        )


def test_without_authenticate_secured_operations_are_refused(
    package: GeneratedPackage,
) -> None:
    app = package.module("server").create_app(Handlers(package))
    with (
        serve(app) as url,
        httpx.Client(base_url=url, timeout=TIMEOUT) as client,
    ):
        problem(client.get("/things/7", headers=KEY), 401, "refused")
        problem(
            client.post("/things", json={"id": 1, "name": "n"}, headers=KEY),
            401,
            "refused",
        )
        # `security: []` and an optional `{}` alternative stay open.
        assert client.get("/health").status_code == 204
        for headers in ({}, KEY):
            greeting = client.get("/greeting", headers=headers)
            assert (greeting.status_code, greeting.text) == (200, "hello stranger")


# --- the images server's error bodies -------------------------------------------------------


def test_images_server_errors_are_bifrost_errors_with_neutral_kinds() -> None:
    from images_api.mock import MockHandlers, accept_any
    from images_api.server import create_app

    app = create_app(MockHandlers(), authenticate=accept_any, max_body_size=1000)
    bearer = {"Authorization": "Bearer k"}
    with (
        serve(app) as url,
        httpx.Client(base_url=url + "/v1", timeout=TIMEOUT) as client,
    ):
        cases = [
            (
                client.post("/images/generations", json={}, headers=bearer),
                400,
                "bad_request",
            ),
            (
                client.post("/images/generations", json={"prompt": "p"}),
                401,
                "unauthorized",
            ),
            (client.get("/images/nope", headers=bearer), 404, "not_found"),
            (
                client.get("/images/generations", headers=bearer),
                405,
                "method_not_allowed",
            ),
            (
                client.post(
                    "/images/generations", json={"prompt": "p" * 2000}, headers=bearer
                ),
                413,
                # Python 3.13 renames it "Content Too Large": whatever this one says.
                "_".join(HTTPStatus(413).phrase.lower().split()),
            ),
        ]
        for response, status, kind in cases:
            assert response.status_code == status, response.text
            body = response.json()
            assert body["status_code"] == status
            assert body["type"] == body["error"]["type"] == kind
            assert body["error"]["message"]


# --- types ----------------------------------------------------------------------------------

USAGE = '''\
"""Handlers as a user writes them: checked with mypy --strict."""

from {package}.models import NotFound, Problem, Thing, GetThingHeaders, CreateThingHeaders
from {package}.server import ApiError, Reply, RequestContext


class Typed:
    async def get_thing(
        self, context: RequestContext, *, thing_id: int
    ) -> Thing | Reply[Thing | NotFound | Problem, GetThingHeaders]:
        if thing_id == 0:
            raise ApiError(404, body=NotFound(resource="thing", id=0))
        if thing_id == 1:
            raise ApiError(400, "odd")
        if thing_id == 2:
            return Reply(404, NotFound(resource="thing", id=2))
        headers = GetThingHeaders.model_validate({{"x-version": 1}})
        return Reply(200, Thing(id=thing_id, name="x"), headers)

    async def create_thing(
        self, body: Thing, context: RequestContext
    ) -> Thing | Reply[Thing | Problem, CreateThingHeaders]:
        return Reply(201, body, CreateThingHeaders(location="/things/1"))


class Wrong:
    async def create_thing(
        self, body: Thing, context: RequestContext
    ) -> Thing | Reply[Thing | Problem, CreateThingHeaders]:
        return Reply(404, NotFound(resource="thing", id=1))  # NotFound is not declared here
'''


def test_replies_and_errors_type_check(package: GeneratedPackage) -> None:
    usage = package.folder.parent / f"usage_{package.name}.py"
    usage.write_text(USAGE.format(package=package.name))
    result = subprocess.run(
        mypy_strict_command(package.name, usage.name),
        cwd=package.folder.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    # Only the wrong body is refused: everything else, the package too, is clean.
    assert len(errors) == 1, result.stdout
    assert usage.name in errors[0] and "NotFound" in errors[0], errors
