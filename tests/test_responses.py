"""Answers of every kind, over real HTTP: generated server -> generated client.

tests/fixtures/responses declares a binary answer, a text answer, an empty
one, two 2xx statuses with different models, two with the same model, an
answer with typed headers, and `default` error answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, mypy_strict, serve

SPEC = FIXTURES / "responses" / "openapi.yaml"
CONTENT = bytes(range(256)) * 64
CHUNKS = [b"first ", b"second ", b"third"]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("responses")
    with generated_package(SPEC, root, stem="responses") as generated:
        yield generated


class Handlers:
    def __init__(self, package: GeneratedPackage) -> None:
        self.models = package.module("models")
        self.server = package.module("server")
        self.items: set[str] = set()
        self.jobs = 0

    async def download_file(self, context: Any, *, id: str) -> Any:
        if id == "missing":
            raise self.server.ApiError(404, "No such file.")
        if id == "wrong":
            return "text where bytes are declared"
        if id == "chunked":

            async def chunks() -> AsyncIterator[bytes]:
                for chunk in CHUNKS:
                    yield chunk

            return chunks()
        return CONTENT

    async def get_report(self, context: Any, *, id: str) -> str:
        return f"report {id} ✓"

    async def put_item(self, body: Any, context: Any, *, id: str) -> Any:
        if id in self.items:
            return self.models.Item(id=id, name=body.name)
        self.items.add(id)
        return self.models.ItemCreated(id=id, name=body.name, created=True)

    async def delete_item(self, context: Any, *, id: str) -> None:
        if id == "locked":
            problem = self.models.Problem(title="Locked", status=423)
            raise self.server.ApiError(423, "locked", body=problem)

    async def start_job(self, context: Any) -> Any:
        self.jobs += 1
        if self.jobs == 1:
            return self.server.Reply(202, self.models.Job(id="j", state="running"))
        return self.models.Job(id="j", state="done")  # the first status of its type

    async def export(self, context: Any, *, kind: str) -> Any:
        if kind == "image":
            return self.server.Reply(200, b"\x89PNG", {"X-Checksum": "abc"})
        if kind == "slow":
            return self.models.Job(id="e", state="running")
        return None

    async def get_limits(self, context: Any) -> Any:
        # Header models validate by wire name, as every model does.
        headers = self.models.GetLimitsHeaders.model_validate(
            {"x-ratelimit-remaining": 7, "x-request-id": "r-1"}
        )
        return self.server.Reply(200, self.models.Limits(requests=10), headers)


@pytest.fixture(scope="module")
def url(package: GeneratedPackage) -> Iterator[str]:
    app = package.module("server").create_app(Handlers(package))
    with serve(app) as base_url:
        yield base_url


@pytest.fixture
def client(package: GeneratedPackage, url: str) -> Iterator[Any]:
    with package.module("client").Client(url, max_retries=0) as client:
        yield client


# --- binary -----------------------------------------------------------------------------------


def test_a_binary_answer_reads_whole(client: Any, package: GeneratedPackage) -> None:
    answer = client.download_file(id="a")
    assert isinstance(answer, package.module("client").BinaryResponse)
    assert answer.content_type == "application/octet-stream"
    assert answer.read() == CONTENT


def test_a_binary_answer_iterates_and_writes_to_a_file(
    client: Any, tmp_path: Path
) -> None:
    with client.download_file(id="a") as answer:
        chunks = list(answer.iter_bytes(1000))
    assert b"".join(chunks) == CONTENT
    assert {len(c) for c in chunks[:-1]} == {1000}
    assert answer.response.is_closed
    target = tmp_path / "out.bin"
    client.download_file(id="a").write_to_file(target)
    assert target.read_bytes() == CONTENT


def test_a_handler_streams_a_binary_answer_from_an_async_iterator(client: Any) -> None:
    answer = client.download_file(id="chunked")
    assert answer.response.headers.get("transfer-encoding") == "chunked"
    assert answer.read() == b"".join(CHUNKS)


def test_binary_answers_async(
    package: GeneratedPackage, url: str, tmp_path: Path
) -> None:
    target = tmp_path / "async.bin"

    async def run() -> tuple[bytes, bytes]:
        async with package.module("client").AsyncClient(url) as client:
            whole = await (await client.download_file(id="a")).read()
            answer = await client.download_file(id="chunked")
            parts = [chunk async for chunk in answer.iter_bytes()]
            await (await client.download_file(id="a")).write_to_file(target)
            return whole, b"".join(parts)

    assert asyncio.run(run()) == (CONTENT, b"".join(CHUNKS))
    assert target.read_bytes() == CONTENT


def test_a_binary_operation_error_is_parsed(
    client: Any, package: GeneratedPackage
) -> None:
    client_module = package.module("client")
    with pytest.raises(client_module.ApiStatusError) as raised:
        client.download_file(id="missing")
    assert raised.value.status_code == 404
    assert isinstance(raised.value.body, package.module("models").Error)
    assert raised.value.body.message == "No such file."


def test_a_handler_answering_an_undeclared_type_is_a_500(url: str) -> None:
    answer = httpx.get(url + "/files/wrong/content")
    assert answer.status_code == 500


# --- text and empty ---------------------------------------------------------------------------


def test_a_text_answer_is_str(client: Any) -> None:
    assert client.get_report(id="r") == "report r ✓"


def test_an_empty_answer_is_none(client: Any, url: str) -> None:
    assert client.delete_item(id="x") is None
    assert httpx.delete(url + "/items/x").status_code == 204


# --- several 2xx statuses, headers --------------------------------------------------------------


def test_two_statuses_with_different_models(
    client: Any, package: GeneratedPackage
) -> None:
    models = package.module("models")
    created = client.put_item(id="i", name="one")
    assert isinstance(created, models.ItemCreated) and created.created
    replaced = client.put_item(id="i", name="two")
    assert type(replaced) is models.Item and replaced.name == "two"


def test_two_statuses_of_one_model_come_in_a_reply(
    package: GeneratedPackage, url: str
) -> None:
    Reply = package.module("client").Reply
    with package.module("client").Client(url) as client:
        first, second = client.start_job(), client.start_job()
    assert isinstance(first, Reply)
    assert (first.status, first.body.state, first.headers) == (202, "running", None)
    assert (second.status, second.body.state) == (200, "done")


def test_declared_headers_are_typed(client: Any, package: GeneratedPackage) -> None:
    reply = client.get_limits()
    assert reply.body.requests == 10
    assert isinstance(reply.headers, package.module("models").GetLimitsHeaders)
    assert reply.headers.x_ratelimit_remaining == 7
    assert reply.headers.x_request_id == "r-1"


def test_declared_headers_async(package: GeneratedPackage, url: str) -> None:
    async def run() -> Any:
        async with package.module("client").AsyncClient(url) as client:
            return await client.get_limits()

    assert asyncio.run(run()).headers.x_ratelimit_remaining == 7


def test_binary_json_and_empty_answers_of_one_operation(client: Any) -> None:
    image = client.export(kind="image")
    assert (image.status, image.headers.x_checksum) == (200, "abc")
    assert image.body.read() == b"\x89PNG"
    job = client.export(kind="slow")
    assert (job.status, job.body.state, job.headers.x_checksum) == (
        202,
        "running",
        None,
    )
    nothing = client.export(kind="none")
    assert (nothing.status, nothing.body) == (204, None)


def test_binary_json_and_empty_answers_async(
    package: GeneratedPackage, url: str
) -> None:
    async def run() -> list[Any]:
        async with package.module("client").AsyncClient(url) as client:
            image = await client.export(kind="image")
            job = await client.export(kind="slow")
            return [await image.body.read(), job.body.state]

    assert asyncio.run(run()) == [b"\x89PNG", "running"]


# --- default --------------------------------------------------------------------------------


def test_an_undeclared_status_raises_with_the_default_model(
    client: Any, package: GeneratedPackage
) -> None:
    client_module = package.module("client")
    with pytest.raises(client_module.ApiStatusError) as raised:
        client.delete_item(id="locked")
    assert raised.value.status_code == 423
    problem = raised.value.body
    assert isinstance(problem, package.module("models").Problem)
    assert (problem.title, problem.status) == ("Locked", 423)


def test_the_responses_package_passes_mypy_strict(
    package: GeneratedPackage,
) -> None:
    result = mypy_strict(package.folder)
    assert result.returncode == 0, result.stdout + result.stderr
