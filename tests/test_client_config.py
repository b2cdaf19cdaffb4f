"""The generated client's configuration, over real HTTP: resources by tag,
environment variables, a given `http_client`, `with_options`, per-call options,
raw responses, argument errors; the naming rule on OpenAI's spec.

The images client talks to an echo server that records what reached it; the
fixture tests/fixtures/client_config (several tags, names that clash) is
served by its generated server with handlers written here.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from images_api.client import (
    ApiError,
    ArgumentError,
    AsyncClient,
    AsyncRawResponse,
    Client,
    RawResponse,
    Stream,
)
from images_api.models import ImageGenerationResponse

from codegen.client_names import (
    CLASS_SCOPE_NAMES,
    CLIENT_ATTRIBUTES,
    method_name,
    resource_methods,
)
from codegen.client_view import client_context
from codegen.ir import build_api
from codegen.pipeline import load

from .conftest import FIXTURES, GENERATED, mypy_strict_command, run_codegen
from .server_harness import generated_package, mypy_strict, serve

OPENAI = (
    Path(__file__).resolve().parents[2] / "shared" / "specs" / "openai" / "openapi.yaml"
)
SHOP = FIXTURES / "client_config" / "openapi.yaml"
ENVIRONMENT = (
    "IMAGES_API_BASE_URL",
    "IMAGES_API_BEARER_AUTH",
    "IMAGES_API_BASIC_AUTH",
    "IMAGES_API_VIRTUAL_KEY_AUTH",
    "IMAGES_API_API_KEY_AUTH",
)
COMPLETED = b'event: image_generation.completed\ndata: {"type": "image_generation.completed"}\n\n'


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def _echo_app(seen: list[dict[str, Any]]) -> FastAPI:
    """Records each request; answers JSON, or an event stream when the body asks for one."""
    app = FastAPI()

    @app.post("/v1/images/{operation}")
    async def images(operation: str, request: Request) -> Response:
        body = await request.body()
        seen.append(
            {
                "path": request.url.path,
                "query": dict(request.query_params),
                "headers": dict(request.headers),
                "body": body,
            }
        )
        is_json = request.headers.get("content-type") == "application/json"
        if is_json and json.loads(body).get("stream"):
            return Response(
                COMPLETED,
                media_type="text/event-stream",
                headers={"x-request-id": "r-stream"},
            )
        return JSONResponse({"created": 7, "data": []}, headers={"x-request-id": "r-1"})

    return app


@pytest.fixture(scope="module")
def echo() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    seen: list[dict[str, Any]] = []
    with serve(_echo_app(seen)) as url:
        yield url, seen


@pytest.fixture
def seen(echo: tuple[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    echo[1].clear()
    return echo[1]


@pytest.fixture
def client(echo: tuple[str, list[dict[str, Any]]]) -> Iterator[Client]:
    with Client(echo[0], bearer_auth="k", max_retries=0) as client:
        yield client


def png() -> bytes:
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


# -- resources ------------------------------------------------------------------


def test_operations_are_methods_of_their_tag_resource(
    client: Client, seen: list[dict[str, Any]]
) -> None:
    assert client.images.generation(model="m", prompt="p").created == 7
    assert client.images.edit(model="m", prompt="p", image=png()).created == 7
    assert client.images.variation(model="m", image=png()).created == 7
    assert [request["path"] for request in seen] == [
        "/v1/images/generations",
        "/v1/images/edits",
        "/v1/images/variations",
    ]
    assert not hasattr(client, "image_generation")


class _Shop:
    """Handlers of the client_config fixture, recording their arguments."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.calls: list[tuple[Any, ...]] = []

    async def list_pets(
        self, context: Any, *, timeout: int | None, limit: int | None
    ) -> Any:
        self.calls.append(("list_pets", timeout, limit))
        return self.models.ListPetsResponse.model_validate([{"id": 1, "name": "Rex"}])

    async def create_pet(self, body: Any, context: Any) -> Any:
        self.calls.append(("create_pet", body.name, body.extra_body))
        return self.models.Pet(id=2, name=body.name, extra_body=body.extra_body)

    async def get_pet(self, context: Any, *, pet_id: int) -> Any:
        self.calls.append(("get_pet", pet_id))
        return self.models.Pet(id=pet_id, name="Rex")

    async def list_store_orders(self, context: Any) -> Any:
        self.calls.append(("list_store_orders",))
        return self.models.ListStoreOrdersResponse.model_validate([])

    async def cancel_order(self, context: Any, *, order_id: int) -> Any:
        self.calls.append(("cancel_order", order_id))
        return self.models.Order(id=order_id, status="cancelled")

    async def cancel(self, context: Any) -> None:
        self.calls.append(("cancel",))

    async def get_options(self, context: Any) -> Any:
        self.calls.append(("get_options",))
        return self.models.GetOptionsResponse.model_validate({"currency": "EUR"})

    async def health(self, context: Any) -> Any:
        self.calls.append(("health",))
        return self.models.Health(ok=True)

    async def close_(self, context: Any) -> None:
        self.calls.append(("close",))


def test_resources_of_several_tags_and_names_that_would_clash(tmp_path: Path) -> None:
    async def accept(credentials: Any) -> str:
        return "anyone"

    with generated_package(SHOP, tmp_path, stem="shop") as package:
        handlers = _Shop(package.module("models"))
        app = package.module("server").create_app(handlers, authenticate=accept)
        client_module = package.module("client")
        with (
            serve(app) as url,
            client_module.Client(url, api_key="k", max_retries=0) as client,
        ):
            # Tag words out of the names; `timeout` and `extra_body` of the spec renamed.
            assert client.pets.list(timeout_query=5, limit=2).root[0].name == "Rex"
            assert client.pets.create(name="Tom", extra_body_="spec field").id == 2
            assert client.pets.get(pet_id=3).id == 3
            assert client.store_orders.list().root == []
            # `cancelOrder` and `cancel` would both be `cancel`: whole names.
            assert client.store_orders.cancel_order(order_id=4).status == "cancelled"
            assert client.store_orders.cancel() is None
            # A tag named like a client attribute, and untagged operations.
            assert client.with_options_.get().root == {"currency": "EUR"}
            assert client.health().ok is True
            assert client.close_() is None
            raw = client.with_raw_response.store_orders.cancel_order(order_id=5)
            assert raw.status_code == 200 and raw.parse().id == 5
        assert handlers.calls == [
            ("list_pets", 5, 2),
            ("create_pet", "Tom", "spec field"),
            ("get_pet", 3),
            ("list_store_orders",),
            ("cancel_order", 4),
            ("cancel",),
            ("get_options",),
            ("health",),
            ("close",),
            ("cancel_order", 5),
        ]
        checked = mypy_strict(package.folder)
        assert checked.returncode == 0, checked.stdout


# -- configuration -----------------------------------------------------------------


def test_base_url_and_credentials_come_from_the_environment(
    echo: tuple[str, list[dict[str, Any]]],
    seen: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMAGES_API_BASE_URL", echo[0])
    monkeypatch.setenv("IMAGES_API_BEARER_AUTH", "from-env")
    with Client(max_retries=0) as client:
        assert client.base_url == httpx.URL(echo[0])
        client.images.generation(model="m", prompt="p")
    with Client(bearer_auth="from-argument", max_retries=0) as client:
        client.images.generation(model="m", prompt="p")
    assert [request["headers"]["authorization"] for request in seen] == [
        "Bearer from-env",
        "Bearer from-argument",
    ]


def test_basic_credentials_from_the_environment(
    echo: tuple[str, list[dict[str, Any]]],
    seen: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IMAGES_API_BASIC_AUTH", "ann:s3cr:et")
    with Client(echo[0], max_retries=0) as client:
        client.images.generation(model="m", prompt="p")
    expected = base64.b64encode(b"ann:s3cr:et").decode()
    assert seen[0]["headers"]["authorization"] == f"Basic {expected}"


def test_the_default_timeout_is_the_projects(monkeypatch: pytest.MonkeyPatch) -> None:
    # pyproject.toml sets `timeout = 600` for the images package; connecting stays short.
    with Client() as client:
        assert client.timeout == httpx.Timeout(600.0, connect=5.0)
        assert client.base_url == httpx.URL("http://localhost:8080")


def test_a_given_http_client_keeps_the_clients_base_url_timeout_and_headers(
    echo: tuple[str, list[dict[str, Any]]], seen: list[dict[str, Any]]
) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(
        base_url="http://127.0.0.1:9",  # not where the client sends
        timeout=1.0,
        headers={"x-from-http-client": "h"},
        event_hooks={"request": [sent.append]},
    )
    with Client(
        echo[0],
        bearer_auth="k",
        timeout=42,
        default_headers={"x-from-client": "c"},
        http_client=http,
        max_retries=0,
    ) as client:
        client.images.generation(model="m", prompt="p")
    assert str(sent[0].url).startswith(echo[0])
    assert sent[0].extensions["timeout"]["read"] == 42
    headers = seen[0]["headers"]
    assert headers["x-from-client"] == "c" and headers["x-from-http-client"] == "h"
    assert not http.is_closed  # the given pool belongs to its owner
    # Without a base URL of its own, the client takes the http_client's.
    with httpx.Client(base_url=echo[0]) as http_with_url:
        with Client(bearer_auth="k", http_client=http_with_url) as client:
            assert client.images.generation(model="m", prompt="p").created == 7
    http.close()


def test_a_given_async_http_client_keeps_the_clients_settings(
    echo: tuple[str, list[dict[str, Any]]], seen: list[dict[str, Any]]
) -> None:
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def run() -> None:
        async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
            async with AsyncClient(
                echo[0],
                bearer_auth="k",
                timeout=7,
                default_headers={"x-from-client": "c"},
                http_client=http,
            ) as client:
                answer = await client.images.generation(model="m", prompt="p")
                assert answer.created == 7

    asyncio.run(run())
    assert sent[0].extensions["timeout"]["read"] == 7
    assert seen[0]["headers"]["x-from-client"] == "c"


def test_with_options_is_a_copy_sharing_the_pool(
    echo: tuple[str, list[dict[str, Any]]], seen: list[dict[str, Any]]
) -> None:
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    client = Client(
        echo[0],
        bearer_auth="k",
        default_headers={"x-a": "1"},
        http_client=http,
        max_retries=0,
    )
    copy = client.with_options(
        timeout=5, max_retries=3, default_headers={"x-b": "2"}, bearer_auth="other"
    )
    assert (copy.timeout.read, copy.max_retries) == (5, 3)
    assert (client.timeout.read, client.max_retries) == (600, 0)
    copy.images.generation(model="m", prompt="p")
    copy.close()  # leaves the shared pool open
    client.images.generation(model="m", prompt="p")
    assert len(sent) == 2  # both through the one httpx.Client
    assert sent[0].extensions["timeout"]["read"] == 5
    first, second = (request["headers"] for request in seen)
    assert (first["x-a"], first["x-b"], first["authorization"]) == (
        "1",
        "2",
        "Bearer other",
    )
    assert "x-b" not in second and second["authorization"] == "Bearer k"
    http.close()


# -- per call ----------------------------------------------------------------------


def test_per_call_options_reach_the_server(
    client: Client, seen: list[dict[str, Any]]
) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(event_hooks={"request": [sent.append]}) as http:
        with client.with_options() as same:
            assert same.base_url == client.base_url
        spied = Client(client.base_url, bearer_auth="k", http_client=http)
        spied.images.generation(
            model="m",
            prompt="p",
            timeout=3,
            extra_headers={"x-extra": "1"},
            extra_query={"trace": "yes"},
            extra_body={"provider_option": 5},
        )
    assert sent[0].extensions["timeout"]["read"] == 3
    request = seen[0]
    assert request["headers"]["x-extra"] == "1"
    assert request["query"] == {"trace": "yes"}
    assert json.loads(request["body"]) == {
        "model": "m",
        "prompt": "p",
        "provider_option": 5,
    }


def test_extra_body_goes_into_a_multipart_form(
    client: Client, seen: list[dict[str, Any]]
) -> None:
    client.images.variation(model="m", image=png(), extra_body={"note": "kept"})
    body = seen[0]["body"]
    assert b'name="note"\r\n\r\nkept' in body and b'name="model"' in body


def test_invalid_arguments_raise_argument_error_before_sending(
    client: Client, seen: list[dict[str, Any]]
) -> None:
    with pytest.raises(ArgumentError, match="less than or equal to 10") as caught:
        client.images.variation(model="m", image=png(), n=11)
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ApiError)
    assert seen == []


# -- raw responses -----------------------------------------------------------------


def test_a_raw_response_has_status_headers_and_the_parsed_answer(
    client: Client,
) -> None:
    raw = client.with_raw_response.images.generation(model="m", prompt="p")
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "r-1"
    assert isinstance(raw.http_response, httpx.Response)
    answer = raw.parse()
    assert isinstance(answer, ImageGenerationResponse) and answer.created == 7
    assert raw.parse() is answer
    same = client.images.with_raw_response.variation(model="m", image=png())
    assert same.parse().created == 7


def test_a_raw_streamed_response_parses_to_the_stream(client: Client) -> None:
    raw = client.with_raw_response.images.generation(model="m", prompt="p", stream=True)
    assert raw.headers["x-request-id"] == "r-stream"
    assert raw.headers["content-type"].startswith("text/event-stream")
    stream = raw.parse()
    assert isinstance(stream, Stream)
    assert [event.type for event in stream] == ["image_generation.completed"]


def test_async_resources_and_raw_responses(
    echo: tuple[str, list[dict[str, Any]]],
) -> None:
    async def run() -> list[str]:
        async with AsyncClient(echo[0], bearer_auth="k", max_retries=0) as client:
            answer = await client.images.generation(model="m", prompt="p")
            assert answer.created == 7
            raw = await client.with_raw_response.images.generation(
                model="m", prompt="p"
            )
            assert isinstance(raw, AsyncRawResponse)
            assert raw.status_code == 200 and (await raw.parse()).created == 7
            streamed = await client.images.with_raw_response.generation(
                model="m", prompt="p", stream=True
            )
            return [event.type async for event in await streamed.parse()]

    assert asyncio.run(run()) == ["image_generation.completed"]


# -- types -------------------------------------------------------------------------

USAGE = """
from typing import assert_type

from images_api.client import AsyncClient, AsyncRawResponse, AsyncStream, Client, RawResponse, Stream
from images_api.models import ImageGenerationResponse
from images_api.streaming import ImageEditEvent, ImageGenerationEvent

Events = ImageGenerationEvent


def use(client: Client, flag: bool) -> None:
    assert_type(client.images.generation(model="m", prompt="p"), ImageGenerationResponse)
    assert_type(client.images.generation(model="m", prompt="p", stream=True), Stream[Events])
    either = client.images.generation(model="m", prompt="p", stream=flag, timeout=3)
    assert_type(either, ImageGenerationResponse | Stream[Events])
    raw = client.with_raw_response.images.generation(model="m", prompt="p")
    assert_type(raw, RawResponse[ImageGenerationResponse])
    assert_type(raw.parse(), ImageGenerationResponse)
    streamed = client.images.with_raw_response.generation(model="m", prompt="p", stream=True)
    assert_type(streamed.parse(), Stream[Events])
    assert_type(client.with_options(timeout=5), Client)


async def use_async(client: AsyncClient, flag: bool) -> None:
    either = await client.images.generation(model="m", prompt="p", stream=flag)
    assert_type(either, ImageGenerationResponse | AsyncStream[Events])
    raw = await client.with_raw_response.images.edit(model="m", prompt="p", image=b"", stream=True)
    assert_type(raw, AsyncRawResponse[AsyncStream[ImageEditEvent]])
"""


def test_the_client_types_check_under_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "usage.py"
    script.write_text(textwrap.dedent(USAGE))
    checked = subprocess.run(
        mypy_strict_command(script),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MYPYPATH": str(GENERATED.parent)},
    )
    assert checked.returncode == 0, checked.stdout


# -- naming and options ------------------------------------------------------------


def test_method_names_drop_the_tags_words() -> None:
    assert method_name("image_generation", "Images") == "generation"
    assert method_name("create_image_edit", "Images") == "create_edit"
    assert method_name("list_batches", "Batch") == "list"
    assert method_name("create_vector_store_file", "Vector stores") == "create_file"
    assert method_name("pets", "pets") == "pets"  # nothing left: the whole name
    assert method_name("class_pets", "pets") == "class_pets"  # a keyword
    assert method_name("list_pets", "pets", avoid={"list"}) == "list_pets"
    assert resource_methods("Orders", ["cancel_order", "cancel", "get_order"]) == {
        "cancel_order": "cancel_order",
        "cancel": "cancel",
        "get_order": "get",
    }
    assert resource_methods("Lists", ["list"], avoid={"list"}) == {"list": "list_"}


@pytest.mark.skipif(
    not OPENAI.is_file(), reason="the published OpenAI spec is not there"
)
def test_method_names_read_well_on_openais_spec() -> None:
    api = build_api(load(OPENAI))
    context = client_context(api, "openai_api")
    paths = {
        op.operation_id: ".".join(filter(None, (view.resource, view.name)))
        for op, view in zip(api.operations, context["client_operations"])
    }
    assert paths["createImage"] == "images.create"
    assert paths["createImageEdit"] == "images.create_edit"
    assert paths["listModels"] == "models.list"
    assert paths["retrieveModel"] == "models.retrieve"
    assert paths["createChatCompletion"] == "chat.create_completion"
    assert paths["createVectorStoreFile"] == "vector_stores.create_file"
    assert paths["listFineTuningEvents"] == "fine_tuning.list_events"
    attributes = [r.attribute for r in context["resources"]]
    assert len(set(attributes)) == len(attributes)
    assert not set(attributes) & CLIENT_ATTRIBUTES
    for resource in context["resources"]:
        names = [view.name for view in resource.operations]
        assert len(set(names)) == len(names), resource.attribute
        assert all(name.isidentifier() for name in names)
        assert not set(names) & CLASS_SCOPE_NAMES
    untagged = [view.name for view in context["client_methods"]]
    assert not set(untagged) & (CLIENT_ATTRIBUTES | set(attributes))


def test_the_timeout_option_of_tool_codegen(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        f'[tool.codegen]\nspec = "{SHOP.as_posix()}"\noutput = "out"\n'
        'package = "shop"\ntimeout = 123\n'
    )
    result = run_codegen("generate", cwd=project)
    assert result.returncode == 0, result.stderr
    client = (project / "out" / "client.py").read_text()
    assert "DEFAULT_TIMEOUT = httpx.Timeout(123.0, connect=5.0)" in client
    pyproject.write_text(
        pyproject.read_text().replace("timeout = 123", 'timeout = "slow"')
    )
    result = run_codegen("generate", cwd=project)
    assert result.returncode == 2
    assert (
        "[tool.codegen] timeout must be a positive number of seconds" in result.stderr
    )
