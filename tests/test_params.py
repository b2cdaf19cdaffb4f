"""Parameters in every OpenAPI style, over real HTTP.

tests/fixtures/params has one operation per style (form, spaceDelimited,
pipeDelimited, deepObject, form-exploded objects, simple/label/matrix paths,
comma-separated headers, cookies, JSON-encoded `content`). The generated client
must write each exactly as the spec says (the handlers answer the raw query,
path, header and cookie they got), and the generated server must parse each into
the typed value the handler receives, answering 400 in the spec's error shape
when a value does not fit. Webhook and callback payloads become models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from pydantic import BaseModel

from codegen.ir import build_api
from codegen.spec import load_spec

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, mypy_strict, serve

SPEC = FIXTURES / "params" / "openapi.yaml"


class Recorder:
    """Handlers for every operation: each keeps its keyword arguments and echoes the wire."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.received: dict[str, dict[str, Any]] = {}

    def __getattr__(self, name: str) -> Any:
        async def handle(context: Any, **params: Any) -> Any:
            self.received[name] = params
            request = context.request
            return self.models.Echo(
                query=request.url.query,
                path=request.scope["raw_path"].decode("ascii"),
                header=request.headers.get("x-ids") or request.headers.get("x-point"),
                cookie=request.headers.get("cookie"),
            )

        return handle


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(SPEC, tmp_path_factory.mktemp("params")) as generated:
        yield generated


@pytest.fixture(scope="module")
def running(package: GeneratedPackage) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(package.module("models"))
    app = package.module("server").create_app(recorder)
    with serve(app) as base_url:
        yield base_url, recorder


def _models(package: GeneratedPackage) -> Any:
    return package.module("models")


# (method, arguments, what the server got on the wire, decoded; the handler's typed value)
QUERY_CASES = [
    ("form_array", {"ids": [1, 2, 3]}, "ids=1,2,3", [1, 2, 3]),
    ("form_exploded_array", {"ids": [1, 2]}, "ids=1&ids=2", [1, 2]),
    ("space_delimited", {"ids": [1, 2, 3]}, "ids=1 2 3", [1, 2, 3]),
    ("pipe_delimited", {"ids": [1, 2, 3]}, "ids=1|2|3", [1, 2, 3]),
]


@pytest.mark.parametrize(("method", "arguments", "wire", "typed"), QUERY_CASES)
def test_client_writes_and_server_parses_query_arrays(
    running: tuple[str, Recorder],
    package: GeneratedPackage,
    method: str,
    arguments: dict[str, Any],
    wire: str,
    typed: Any,
) -> None:
    base_url, recorder = running
    with package.module("client").Client(base_url, max_retries=0) as client:
        echo = getattr(client, method)(**arguments)
    assert unquote(echo.query.replace("+", " ")) == wire
    assert recorder.received[method] == {"ids": typed}


def test_object_query_parameters(
    running: tuple[str, Recorder], package: GeneratedPackage
) -> None:
    base_url, recorder = running
    models = _models(package)
    with package.module("client").Client(base_url, max_retries=0) as client:
        deep = client.deep_object(filter=models.DeepObjectFilter(name="x", age=3))
        exploded = client.form_object(filter=models.Filter(name="x", age=3))
        flat = client.form_object_flat(filter=models.Filter(name="x", age=3))
        free = client.free_form(limit=5, counts={"a": 1, "b": 2})
        encoded = client.json_query(filter=models.Filter(name="x", age=3))
    assert deep.query == "filter%5Bname%5D=x&filter%5Bage%5D=3"
    assert recorder.received["deep_object"]["filter"] == models.DeepObjectFilter(
        name="x", age=3
    )
    assert exploded.query == "name=x&age=3"
    assert recorder.received["form_object"]["filter"] == models.Filter(name="x", age=3)
    assert unquote(flat.query) == "filter=name,x,age,3"
    assert recorder.received["form_object_flat"]["filter"] == models.Filter(
        name="x", age=3
    )
    assert free.query == "limit=5&a=1&b=2"
    assert recorder.received["free_form"] == {"limit": 5, "counts": {"a": 1, "b": 2}}
    assert unquote(encoded.query) == 'filter={"name":"x","age":3}'
    assert recorder.received["json_query"]["filter"] == models.Filter(name="x", age=3)
    assert isinstance(recorder.received["json_query"]["filter"], BaseModel)


PATH_CASES = [
    ("path_simple", "/path-simple/1,2,3"),
    ("path_label", "/path-label/.1,2,3"),
    ("path_label_exploded", "/path-label-exploded/.1.2.3"),
    ("path_matrix", "/path-matrix/;ids=1,2,3"),
    ("path_matrix_exploded", "/path-matrix-exploded/;ids=1;ids=2;ids=3"),
]


@pytest.mark.parametrize(("method", "wire"), PATH_CASES)
def test_path_styles(
    running: tuple[str, Recorder], package: GeneratedPackage, method: str, wire: str
) -> None:
    base_url, recorder = running
    with package.module("client").Client(base_url, max_retries=0) as client:
        echo = getattr(client, method)(ids=[1, 2, 3])
    assert echo.path == wire
    assert recorder.received[method] == {"ids": [1, 2, 3]}


def test_object_path_parameters(
    running: tuple[str, Recorder], package: GeneratedPackage
) -> None:
    base_url, recorder = running
    point = _models(package).Point(x=1, y=2)
    with package.module("client").Client(base_url, max_retries=0) as client:
        matrix = client.path_matrix_object(point=point)
        simple = client.path_simple_object(point=point)
    assert matrix.path == "/path-matrix-object/;x=1;y=2"
    assert simple.path == "/path-simple-object/x,1,y,2"
    assert recorder.received["path_matrix_object"] == {"point": point}
    assert recorder.received["path_simple_object"] == {"point": point}


def test_json_encoded_path_and_header(
    running: tuple[str, Recorder], package: GeneratedPackage
) -> None:
    base_url, recorder = running
    point = _models(package).Point(x=1, y=2)
    with package.module("client").Client(base_url, max_retries=0) as client:
        path = client.json_path(point=point)
        header = client.json_header(x_point=point)
    assert unquote(path.path) == '/json-path/{"x":1,"y":2}'
    assert recorder.received["json_path"] == {"point": point}
    assert header.header == '{"x":1,"y":2}'
    assert recorder.received["json_header"] == {"x_point": point}


def test_headers_and_cookies(
    running: tuple[str, Recorder], package: GeneratedPackage
) -> None:
    base_url, recorder = running
    point = _models(package).Point(x=1, y=2)
    with package.module("client").Client(base_url, max_retries=0) as client:
        array = client.header_array(x_ids=[1, 2, 3])
        obj = client.header_object(x_point=point)
        cookies = client.cookies(session="abc", count=3)
        only_required = client.cookies(session="abc")
    assert array.header == "1,2,3"
    assert recorder.received["header_array"] == {"x_ids": [1, 2, 3]}
    assert obj.header == "x=1,y=2"
    assert recorder.received["header_object"] == {"x_point": point}
    assert cookies.cookie == "session=abc; count=3"
    assert only_required.cookie == "session=abc"
    assert recorder.received["cookies"] == {"session": "abc", "count": None}


# Requests another client may send: what the server parses, and what it refuses.
RAW_CASES = [
    ("/form-array?ids=4,5", {}, "form_array", {"ids": [4, 5]}),
    ("/space-delimited?ids=4%205", {}, "space_delimited", {"ids": [4, 5]}),
    ("/pipe-delimited?ids=4%7C5", {}, "pipe_delimited", {"ids": [4, 5]}),
    ("/header-array", {"X-Ids": "4, 5"}, "header_array", {"x_ids": [4, 5]}),
    ("/path-label/.4", {}, "path_label", {"ids": [4]}),
    ("/free-form?x=7&limit=1", {}, "free_form", {"limit": 1, "counts": {"x": 7}}),
]


@pytest.mark.parametrize(("url", "headers", "method", "typed"), RAW_CASES)
def test_server_parses_other_clients(
    running: tuple[str, Recorder],
    url: str,
    headers: dict[str, str],
    method: str,
    typed: dict[str, Any],
) -> None:
    base_url, recorder = running
    response = httpx.get(base_url + url, headers=headers)
    assert response.status_code == 200, response.text
    assert recorder.received[method] == typed


BAD_CASES = [
    ("/form-array?ids=1,x", {}, "ids"),
    ("/form-array", {}, "ids"),
    ("/pipe-delimited?ids=1|", {}, "ids"),
    ("/deep-object?filter[age]=3", {}, "filter"),
    ("/deep-object?filter[name]=x&filter[age]=old", {}, "filter"),
    ("/form-object-flat?filter=name,x,age", {}, "key,value"),
    ("/json-query?filter={bad", {}, "filter"),
    ("/free-form?limit=1&a=x", {}, "counts"),
    ("/free-form?limit=1", {}, "counts"),
    ("/path-matrix/;ids=1,x", {}, "ids"),
    ("/path-simple-object/x,1,y,z", {}, "point"),
    ("/header-object", {"X-Point": "x=1"}, "X-Point"),
    ("/header-array", {}, "X-Ids"),
    ("/json-header", {"X-Point": '{"x": 1}'}, "X-Point"),
]


@pytest.mark.parametrize(("url", "headers", "named"), BAD_CASES)
def test_bad_values_answer_400_in_the_error_shape(
    running: tuple[str, Recorder], url: str, headers: dict[str, str], named: str
) -> None:
    base_url, _ = running
    response = httpx.get(base_url + url, headers=headers)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "bad_request"
    assert named in error["message"]


def test_async_client_writes_the_same(
    running: tuple[str, Recorder], package: GeneratedPackage
) -> None:
    import asyncio

    base_url, _ = running
    models = _models(package)

    async def call() -> tuple[Any, Any]:
        async with package.module("client").AsyncClient(
            base_url, max_retries=0
        ) as client:
            deep = await client.deep_object(filter=models.DeepObjectFilter(name="x"))
            path = await client.path_label(ids=[7, 8])
            return deep, path

    deep, path = asyncio.run(call())
    assert deep.query == "filter%5Bname%5D=x"
    assert path.path == "/path-label/.7,8"


def test_parameter_types_and_payload_models(package: GeneratedPackage) -> None:
    models = _models(package)
    # Webhook and callback payloads: inline ones named after them, `$ref`s as they are.
    assert models.OrderPlacedWebhook(order=1).order == 1
    assert models.SubscribeOnEventCallback(event="x").event == "x"
    assert hasattr(models, "Shipment")
    api = build_api(load_spec(SPEC))
    types = {
        (op.operation_id, p.name): p.python_type
        for op in api.operations
        for p in op.params
    }
    assert types[("deepObject", "filter")] == "DeepObjectFilter"
    assert types[("formObject", "filter")] == "Filter"
    assert types[("freeForm", "counts")] == "dict[str, int]"
    assert types[("jsonQuery", "filter")] == "Filter"
    assert types[("pathMatrix", "ids")] == "list[int]"
    assert types[("headerObject", "X-Point")] == "Point"


def test_generated_package_is_mypy_strict_clean(package: GeneratedPackage) -> None:
    result = mypy_strict(package.folder)
    assert result.returncode == 0, result.stdout + result.stderr
