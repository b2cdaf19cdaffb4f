"""The generated client's errors over real HTTP: one root, a class per status,
answers read leniently, answers that do not fit, and bad arguments.

The client of tests/fixtures/client_types talks to a plain FastAPI app written
here, so that each answer is exactly what a test needs, off the spec on purpose.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "client_types" / "openapi.yaml"

# What GET /things/{id} answers with 200, by id.
THINGS: dict[str, Any] = {
    "plain": {"id": "plain", "kind": "small"},
    "extra": {"id": "extra", "kind": "large", "colour": "teal", "tags": ["new"]},
    "grown": {"id": "grown", "kind": "huge", "colour": "teal"},
    "broken": {"id": 7},
}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(
        SPEC, tmp_path_factory.mktemp("client_errors"), stem="ctypes"
    ) as p:
        yield p


@pytest.fixture(scope="module")
def created() -> list[Any]:
    """The bodies POST /things received."""
    return []


@pytest.fixture(scope="module")
def base_url(created: list[Any]) -> Iterator[str]:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: str) -> Response:
        if thing_id.startswith("status-"):
            status = int(thing_id.removeprefix("status-"))
            problem = {"code": "busy", "message": f"answered {status}"}
            return JSONResponse(problem, status_code=status)
        if thing_id == "problem-grown":  # a code the spec does not list, a new field
            problem = {"code": "throttled", "message": "later", "retry_in": 3}
            return JSONResponse(problem, status_code=429)
        if thing_id == "problem-off":
            return Response(b'{"detail": "nope"}', 400, media_type="application/json")
        if thing_id == "html":
            return Response(b"<p>maintenance</p>", media_type="text/html")
        return JSONResponse(THINGS[thing_id])

    @app.post("/things")
    async def create_thing(request: Request) -> Response:
        created.append(await request.json())
        return JSONResponse({"id": "new", "kind": "small"}, status_code=201)

    with serve(app) as url:
        yield url


@pytest.fixture()
def client(package: GeneratedPackage, base_url: str) -> Iterator[Any]:
    with package.module("client").Client(base_url, max_retries=0) as client:
        yield client


STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
    (418, "ApiStatusError"),
]


@pytest.mark.parametrize(("status", "name"), STATUS_CLASSES)
def test_each_status_raises_its_class_with_the_spec_error_model(
    package: GeneratedPackage, client: Any, status: int, name: str
) -> None:
    errors, models = package.module("errors"), package.module("models")
    with pytest.raises(errors.ApiStatusError) as raised:
        client.get_thing(thing_id=f"status-{status}")
    error = raised.value
    assert type(error) is getattr(errors, name)
    assert isinstance(error, errors.ApiError)
    assert error.status_code == error.response.status_code == status
    assert error.body == models.Problem(code="busy", message=f"answered {status}")
    assert json.loads(error.raw_body) == {
        "code": "busy",
        "message": f"answered {status}",
    }
    assert f"answered {status}" in str(error)


def test_an_error_body_off_its_model_is_none_and_kept_raw(
    package: GeneratedPackage, client: Any
) -> None:
    errors = package.module("errors")
    with pytest.raises(errors.BadRequestError) as raised:
        client.get_thing(thing_id="problem-off")
    assert raised.value.body is None
    assert raised.value.raw_body == b'{"detail": "nope"}'


def test_an_error_body_is_read_leniently(
    package: GeneratedPackage, client: Any
) -> None:
    errors = package.module("errors")
    with pytest.raises(errors.RateLimitError) as raised:
        client.get_thing(thing_id="problem-grown")
    body = raised.value.body
    # Needs the models branch: in the lenient context an enum takes a value it
    # does not list and a model keeps unknown fields (contract 1).
    assert body is not None and body.code == "throttled"
    assert body.model_extra == {"retry_in": 3}


def test_the_async_client_raises_the_same_classes(
    package: GeneratedPackage, base_url: str
) -> None:
    client_module, errors = package.module("client"), package.module("errors")

    async def main() -> Any:
        async with client_module.AsyncClient(base_url, max_retries=0) as client:
            with pytest.raises(errors.NotFoundError) as raised:
                await client.get_thing(thing_id="status-404")
            return raised.value

    error = asyncio.run(main())
    assert error.body.message == "answered 404"


def test_an_answer_with_fields_the_spec_does_not_list_keeps_them(
    package: GeneratedPackage, client: Any
) -> None:
    thing = client.get_thing(thing_id="extra")
    assert (thing.id, thing.kind) == ("extra", "large")
    # Needs the models branch: models keep unknown fields when read leniently.
    assert thing.model_extra == {"colour": "teal", "tags": ["new"]}


def test_an_answer_with_an_enum_value_the_spec_does_not_list_is_kept(
    package: GeneratedPackage, client: Any
) -> None:
    # Needs the models branch (the whole test): before it, this answer raises
    # ResponseValidationError.
    thing = client.get_thing(thing_id="grown")
    assert thing.kind == "huge"
    assert thing.model_extra == {"colour": "teal"}


def test_an_answer_that_does_not_fit_carries_its_raw_body(
    package: GeneratedPackage, client: Any
) -> None:
    errors = package.module("errors")
    with pytest.raises(errors.ResponseValidationError) as raised:
        client.get_thing(thing_id="broken")
    error = raised.value
    assert isinstance(error, errors.ApiError)
    assert json.loads(error.raw_body) == {"id": 7}
    assert error.response.status_code == error.status_code == 200
    assert error.model == "Thing"
    assert {detail["loc"] for detail in error.errors} == {("id",), ("kind",)}
    assert "the answer does not match Thing" in str(error)


def test_an_answer_that_is_not_json_carries_its_raw_body(
    package: GeneratedPackage, client: Any
) -> None:
    errors = package.module("errors")
    with pytest.raises(errors.ResponseValidationError) as raised:
        client.get_thing(thing_id="html")
    assert raised.value.raw_body == b"<p>maintenance</p>"
    assert raised.value.response.headers["content-type"].startswith("text/html")


def test_an_argument_error_says_what_is_wrong_with_each_argument(
    package: GeneratedPackage,
) -> None:
    errors, models = package.module("errors"), package.module("models")
    with pytest.raises(Exception) as validation:
        models.ThingCreate.model_validate({"name": "", "count": 11})
    error = errors.ArgumentError.from_validation(validation.value, "ThingCreate")
    assert isinstance(error, errors.ApiError) and isinstance(error, ValueError)
    assert str(error) == (
        "invalid arguments for ThingCreate: "
        "name: String should have at least 1 character; "
        "count: Input should be less than or equal to 10"
    )
    assert [detail["loc"] for detail in error.errors] == [("name",), ("count",)]


def test_bad_arguments_raise_argument_error_and_send_nothing(
    package: GeneratedPackage, client: Any, created: list[Any]
) -> None:
    errors = package.module("errors")
    created.clear()
    with pytest.raises(ValueError) as raised:
        client.create_thing(name="", count=11)
    assert created == []
    # Needs the clientcfg branch: the client methods wrap the request model's
    # ValidationError into ArgumentError (contract 4).
    assert isinstance(raised.value, errors.ArgumentError)
    assert "count: Input should be less than or equal to 10" in str(raised.value)
    assert client.create_thing(name="ok").id == "new"
    assert created == [{"name": "ok"}]


def test_every_error_is_an_api_error(package: GeneratedPackage) -> None:
    errors = package.module("errors")
    names = [
        "ApiConnectionError",
        "ApiTimeoutError",
        "IncompleteStreamError",
        "ApiStatusError",
        "ResponseValidationError",
        "ArgumentError",
        "StreamError",
        "EventDecodeError",
    ] + [name for _, name in STATUS_CLASSES]
    assert all(issubclass(getattr(errors, name), errors.ApiError) for name in names)
    assert issubclass(errors.ApiTimeoutError, errors.ApiConnectionError)
    assert issubclass(errors.IncompleteStreamError, errors.ApiConnectionError)
    # What users caught from the client module before stays importable there.
    client = package.module("client")
    assert client.ApiStatusError is errors.ApiStatusError
    assert client.ApiError is errors.ApiError
