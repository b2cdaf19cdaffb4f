"""Request bodies of every kind, over real HTTP: generated client -> generated server.

tests/fixtures/bodies declares a raw binary upload, an upload of one of two
image types, a text body, a body that is JSON or a multipart form with a file,
and one that is JSON or a urlencoded form. The handlers here say what they got.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, mypy_strict, serve

SPEC = FIXTURES / "bodies" / "openapi.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("bodies")
    with generated_package(SPEC, root, stem="bodies") as generated:
        yield generated


class Handlers:
    def __init__(self, models: Any, server: Any) -> None:
        self.models = models
        self.server = server
        self.seen: dict[str, Any] = {}

    def _stored(self, body: bytes, context: Any, name: str | None = None) -> Any:
        return self.models.Stored(
            name=name,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            content_type=context.request.headers.get("content-type", ""),
        )

    async def put_blob(self, body: bytes, context: Any, *, name: str) -> Any:
        self.seen["put_blob"] = context.request.headers
        if name.startswith("flaky") and name not in self.seen:
            self.seen[name] = body
            raise self.server.ApiError(503, "Try again.")
        return self._stored(body, context, name)

    async def upload_picture(self, body: bytes, context: Any) -> Any:
        return self._stored(body, context)

    async def post_note(self, body: str, context: Any) -> Any:
        self.seen["post_note"] = body
        return self.models.Note(text=body.upper())

    async def create_document(self, body: Any, context: Any) -> Any:
        if isinstance(body, self.models.DocumentUpload):
            return self.models.Document(
                title=body.title,
                source="multipart",
                size=len(body.file),
                language=body.language,
            )
        return self.models.Document(
            title=body.title, source="json", size=len(body.text or "")
        )

    async def put_settings(self, body: Any, context: Any) -> Any:
        self.seen["put_settings"] = context.request.headers["content-type"]
        return body


@pytest.fixture(scope="module")
def server(package: GeneratedPackage) -> Iterator[tuple[str, Handlers]]:
    handlers = Handlers(package.module("models"), package.module("server"))
    with serve(package.module("server").create_app(handlers)) as url:
        yield url, handlers


@pytest.fixture
def client(package: GeneratedPackage, server: tuple[str, Handlers]) -> Iterator[Any]:
    with package.module("client").Client(server[0], max_retries=0) as client:
        yield client


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


DATA = bytes(range(256)) * 40


class Pipe(io.RawIOBase):
    """A readable stream that cannot seek, like a pipe or a socket."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


# --- raw binary -------------------------------------------------------------------------------


def test_raw_upload_from_bytes(client: Any) -> None:
    stored = client.put_blob(name="a", body=DATA)
    assert (stored.name, stored.size, stored.sha256) == ("a", len(DATA), digest(DATA))
    assert stored.content_type == "application/octet-stream"


def test_raw_upload_from_a_path_and_a_file(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(DATA)
    assert client.put_blob(name="p", body=path).sha256 == digest(DATA)
    with path.open("rb") as file:
        file.seek(10)  # sent from where the file stands
        assert client.put_blob(name="f", body=file).sha256 == digest(DATA[10:])


def test_raw_upload_from_an_unseekable_file_is_chunked(
    client: Any, server: tuple[str, Handlers]
) -> None:
    stored = client.put_blob(name="pipe", body=io.BufferedReader(Pipe(DATA)))
    assert stored.sha256 == digest(DATA)
    assert server[1].seen["put_blob"].get("transfer-encoding") == "chunked"


def test_a_retried_upload_sends_the_content_again(
    package: GeneratedPackage, server: tuple[str, Handlers], tmp_path: Path
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(DATA)
    client_module = package.module("client")
    with client_module.Client(server[0], max_retries=1) as client:
        assert client.put_blob(name="flaky-path", body=path).sha256 == digest(DATA)
        with path.open("rb") as file:
            assert client.put_blob(name="flaky-file", body=file).sha256 == digest(DATA)
        assert server[1].seen["flaky-file"] == DATA
        # An unseekable file cannot be sent twice: the first failure stands.
        with pytest.raises(client_module.ApiStatusError) as raised:
            client.put_blob(name="flaky-pipe", body=io.BufferedReader(Pipe(DATA)))
        assert raised.value.status_code == 503


def test_a_large_upload_is_streamed_not_read_whole(
    package: GeneratedPackage, server: tuple[str, Handlers], tmp_path: Path
) -> None:
    big = bytes(range(251)) * (5 * 1024 * 1024 // 251)  # ~5 MB
    path = tmp_path / "big.bin"
    path.write_bytes(big)
    sent: list[httpx.Request] = []
    http = httpx.Client(base_url=server[0], event_hooks={"request": [sent.append]})
    with package.module("client").Client(http_client=http, max_retries=0) as client:
        with path.open("rb") as file:
            for source in (path, file):
                stored = client.put_blob(name="big", body=source)
                assert (stored.size, stored.sha256) == (len(big), digest(big))
    for request in sent:
        # An iterator of chunks, not one bytes body; its length said up front.
        assert not isinstance(request.stream, httpx.ByteStream)
        assert request.headers["content-length"] == str(len(big))
    assert server[1].seen["put_blob"]["content-length"] == str(len(big))


def test_async_raw_uploads(
    package: GeneratedPackage, server: tuple[str, Handlers], tmp_path: Path
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(DATA)

    async def run() -> list[str]:
        async with package.module("client").AsyncClient(server[0]) as client:
            with path.open("rb") as file:
                return [
                    (await client.put_blob(name="x", body=source)).sha256
                    for source in (DATA, path, file)
                ]

    assert asyncio.run(run()) == [digest(DATA)] * 3


def test_a_raw_body_of_several_types_takes_the_callers_type(client: Any) -> None:
    assert client.upload_picture(body=b"\x89PNG").content_type == "image/png"
    jpeg = client.upload_picture(body=b"\xff\xd8\xff", content_type="image/jpeg")
    assert jpeg.content_type == "image/jpeg"


def test_an_undeclared_media_type_is_415_in_the_spec_error_shape(
    server: tuple[str, Handlers],
) -> None:
    answer = httpx.post(
        server[0] + "/pictures", content=b"x", headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415
    assert "image/png" in answer.json()["message"]


# --- text -------------------------------------------------------------------------------------


def test_a_text_body_is_str_on_both_sides(
    client: Any, server: tuple[str, Handlers]
) -> None:
    assert client.post_note(body="héllo ✓").text == "HÉLLO ✓"
    assert server[1].seen["post_note"] == "héllo ✓"


def test_a_text_body_is_decoded_with_its_charset(server: tuple[str, Handlers]) -> None:
    answer = httpx.post(
        server[0] + "/notes",
        content="café".encode("latin-1"),
        headers={"content-type": "text/plain; charset=latin-1"},
    )
    assert answer.json() == {"text": "CAFÉ"}
    bad = httpx.post(
        server[0] + "/notes",
        content=b"\xff\xfe",
        headers={"content-type": "text/plain"},
    )
    assert bad.status_code == 400 and "message" in bad.json()


# --- several media types ----------------------------------------------------------------------


def test_json_or_multipart_goes_as_json_without_files(client: Any) -> None:
    document = client.create_document(title="t", text="hello")
    assert (document.source, document.size) == ("json", 5)


def test_json_or_multipart_goes_as_multipart_with_files(
    client: Any, tmp_path: Path
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(b"12345678")
    document = client.create_document(title="t", file=path, language="fr")
    assert (document.source, document.size, document.language) == (
        "multipart",
        8,
        "fr",
    )


def test_json_or_multipart_async(
    package: GeneratedPackage, server: tuple[str, Handlers]
) -> None:
    async def run() -> list[str]:
        async with package.module("client").AsyncClient(server[0]) as client:
            json_doc = await client.create_document(title="t")
            form_doc = await client.create_document(title="t", file=b"abc")
            return [json_doc.source, form_doc.source]

    assert asyncio.run(run()) == ["json", "multipart"]


def test_the_server_reads_each_declared_media_type_into_its_model(
    client: Any, server: tuple[str, Handlers]
) -> None:
    url, handlers = server
    assert client.put_settings(name="n", count=2).count == 2
    assert handlers.seen["put_settings"] == "application/json"
    answer = httpx.put(url + "/settings", data={"name": "n", "count": "3"})
    assert answer.json() == {"name": "n", "count": 3}
    assert handlers.seen["put_settings"] == "application/x-www-form-urlencoded"
    invalid = httpx.put(url + "/settings", data={"name": "n", "count": "many"})
    assert invalid.status_code == 400 and "count" in invalid.json()["message"]
    other = httpx.put(
        url + "/settings", content=b"<x/>", headers={"content-type": "application/xml"}
    )
    assert other.status_code == 415
    multipart = httpx.post(
        url + "/documents", files={"file": b"ab"}, data={"title": "t"}
    ).json()
    assert (multipart["source"], multipart["size"]) == ("multipart", 2)


def test_the_bodies_package_passes_mypy_strict(
    package: GeneratedPackage,
) -> None:
    result = mypy_strict(package.folder)
    assert result.returncode == 0, result.stdout + result.stderr
