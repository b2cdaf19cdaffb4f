"""Uploads to the generated server: streamed to spooled files, strict parsing, cleaned up.

The images server is served on loopback with handlers written here; bodies are
sent with httpx (the generated client for the happy path, hand-made bytes for
the hostile ones). Memory is never measured here: the tests assert what the
handler is handed (a spooled `UploadedFile`), what a broken body is answered, and
that files are closed once the request ends.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from images_api.client import Client
from images_api.models import (
    ImageEditRequest,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageVariationRequest,
)
from images_api.server import ApiError, Credentials, RequestContext, create_app
from images_api.streaming import ImageEditStreamEvent, ImageGenerationStreamEvent

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, serve

EDITS = "/v1/images/edits"
BEARER = {"Authorization": "Bearer token"}
BOUNDARY = "test-boundary-1234"
SMALL = b"\x89PNG small file"
LARGE = bytes(range(256)) * (6 * 1024)  # 1.5 MiB: over the 1 MiB spooling threshold
SEEN_WAIT = 5.0  # seconds: a bound on polling for the server's clean-up, never asserted as a time


class UploadHandlers:
    """Keeps what the edit handler was handed; reads the files while the request lasts."""

    def __init__(self) -> None:
        self.bodies: list[ImageEditRequest] = []
        self.contents: list[bytes] = []
        self.fail = False

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        return ImageGenerationResponse(created=0, data=[])

    async def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[ImageGenerationStreamEvent]:
        return
        yield

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        self.bodies.append(body)
        files = ([body.image] if body.image is not None else []) + (
            body.image_list or []
        )
        self.contents.extend(bytes(upload) for upload in files)
        if self.fail:
            raise ApiError(400, "refused after reading")
        return ImageGenerationResponse(created=0, data=[])

    async def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[ImageEditStreamEvent]:
        self.bodies.append(body)
        # Read after the route returned: the file must still be open while streaming.
        await asyncio.sleep(0)
        assert body.image is not None
        self.contents.append(bytes(body.image))
        return
        yield

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
        return ImageGenerationResponse(created=0, data=[])


async def _accept(credentials: Credentials) -> str:
    return "user"


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[str, UploadHandlers]]:
    handlers = UploadHandlers()
    with serve(create_app(handlers, authenticate=_accept)) as url:
        yield url, handlers


@pytest.fixture
def server(
    served: tuple[str, UploadHandlers],
) -> Iterator[tuple[httpx.Client, UploadHandlers]]:
    url, handlers = served
    handlers.bodies.clear()
    handlers.contents.clear()
    handlers.fail = False
    with httpx.Client(base_url=url, timeout=30) as client:
        yield client, handlers


def multipart(*parts: bytes, closing: bool = True) -> bytes:
    """A multipart body of ready-made parts (headers, blank line, content)."""
    body = b"".join(
        b"--" + BOUNDARY.encode() + b"\r\n" + part + b"\r\n" for part in parts
    )
    return body + (b"--" + BOUNDARY.encode() + b"--\r\n" if closing else b"")


def field(name: str, value: bytes) -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value


def file_part(name: str, content: bytes, filename: bytes = b"in.png") -> bytes:
    return (
        f'Content-Disposition: form-data; name="{name}"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: image/png\r\n\r\n'
        + content
    )


def post(client: httpx.Client, body: bytes) -> httpx.Response:
    headers = {**BEARER, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    return client.post(EDITS, content=body, headers=headers)


def error_message(response: httpx.Response) -> str:
    """The message of an answer in the spec's error shape (BifrostError)."""
    return str(response.json()["error"]["message"])


def wait_closed(files: list[Any]) -> bool:
    """Whether every file is closed within a bounded wait (the server closes them after answering)."""
    deadline = time.monotonic() + SEEN_WAIT
    while not all(f.closed for f in files):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


# Handed over as files, not bytes.


def test_a_large_file_part_is_handed_over_spooled_to_disk(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    from images_api.uploads import UploadedFile

    client, handlers = server
    response = post(
        client,
        multipart(
            field("model", b"m"),
            field("prompt", b"p"),
            file_part("image", LARGE, b"big.png"),
        ),
    )
    assert response.status_code == 200, response.text
    upload = handlers.bodies[-1].image
    assert isinstance(upload, UploadedFile)
    assert isinstance(upload.file, tempfile.SpooledTemporaryFile)
    assert upload.file._rolled  # on disk, not in memory
    assert (upload.filename, upload.content_type, upload.size) == (
        "big.png",
        "image/png",
        len(LARGE),
    )
    assert handlers.contents == [LARGE]


def test_a_small_file_part_stays_in_memory_and_reads_as_bytes(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = post(
        client,
        multipart(
            field("model", b"m"), field("prompt", b"p"), file_part("image", SMALL)
        ),
    )
    assert response.status_code == 200, response.text
    upload = handlers.bodies[-1].image
    assert upload is not None
    assert not upload.file._rolled  # type: ignore[attr-defined]
    assert handlers.contents == [SMALL]
    assert len(upload) == len(SMALL)


def test_the_generated_client_uploads_bytes_and_the_handler_gets_files(
    served: tuple[str, UploadHandlers],
) -> None:
    url, handlers = served
    handlers.contents.clear()
    with Client(base_url=url, bearer_auth="token") as client:
        client.images.edit(
            model="m", prompt="p", image=[("a.png", SMALL), ("b.png", LARGE)]
        )
    assert handlers.contents[-2:] == [SMALL, LARGE]


def test_models_take_bytes_for_files_and_dump_them_as_bytes() -> None:
    from images_api.uploads import UploadedFile

    body = ImageEditRequest.model_validate(
        {"model": "m", "prompt": "p", "image": SMALL}
    )
    assert isinstance(body.image, UploadedFile) and body.image == SMALL
    assert body.model_dump(exclude_none=True)["image"] == SMALL
    assert ImageEditRequest.model_json_schema()["properties"]["image"]["anyOf"][0] == {
        "type": "string",
        "format": "binary",
    }


# Closed when the request ends.


def test_files_are_closed_once_the_answer_is_sent(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = post(
        client,
        multipart(
            field("model", b"m"),
            field("prompt", b"p"),
            file_part("image[]", LARGE),
            file_part("image[]", SMALL),
        ),
    )
    assert response.status_code == 200, response.text
    assert wait_closed(handlers.bodies[-1].image_list or [])


def test_files_are_closed_when_the_handler_fails(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    handlers.fail = True
    response = post(
        client,
        multipart(
            field("model", b"m"), field("prompt", b"p"), file_part("image", LARGE)
        ),
    )
    assert response.status_code == 400
    assert wait_closed([handlers.bodies[-1].image])


def test_a_streamed_answer_reads_the_file_then_closes_it(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = post(
        client,
        multipart(
            field("model", b"m"),
            field("prompt", b"p"),
            field("stream", b"true"),
            file_part("image", LARGE),
        ),
    )
    assert response.status_code == 200, response.text
    assert handlers.contents == [LARGE]
    assert wait_closed([handlers.bodies[-1].image])


# Broken bodies are 400s that say what is wrong.


def test_a_truncated_multipart_body_is_a_400_that_says_so(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    whole = multipart(
        field("model", b"m"), field("prompt", b"p"), file_part("image", SMALL)
    )
    response = post(client, whole[: whole.index(b"small") + 3])
    assert response.status_code == 400
    assert "truncated" in error_message(response)
    assert handlers.bodies == []


def test_a_body_without_its_closing_boundary_is_truncated(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, _ = server
    body = multipart(field("model", b"m"), file_part("image", SMALL), closing=False)
    response = post(client, body)
    assert response.status_code == 400
    assert "truncated" in error_message(response)


def test_a_malformed_multipart_body_is_a_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, _ = server
    body = b"--" + BOUNDARY.encode() + b"\r\nno header separator here\x00\r\n\r\n"
    response = post(client, body)
    assert response.status_code == 400
    assert "multipart" in error_message(response)


def test_invalid_utf8_in_a_text_field_is_a_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = post(
        client,
        multipart(
            field("model", b"m"),
            field("prompt", b"caf\xe9 \xff"),
            file_part("image", SMALL),
        ),
    )
    assert response.status_code == 400
    assert "'prompt'" in error_message(response) and "utf-8" in error_message(response)
    assert handlers.bodies == []


def test_invalid_utf8_in_an_urlencoded_field_is_a_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = client.post(
        EDITS,
        content=b"model=m&prompt=caf%E9",
        headers={**BEARER, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "UTF-8" in error_message(response)
    assert handlers.bodies == []


def test_ten_thousand_parts_are_a_clean_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    response = post(client, multipart(*[field("user", b"x")] * 10_000))
    assert response.status_code == 400
    assert "parts" in error_message(response)
    assert handlers.bodies == []


def test_a_one_megabyte_file_name_is_a_clean_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, handlers = server
    body = multipart(
        field("model", b"m"), file_part("image", SMALL, b"a" * 1024 * 1024)
    )
    response = post(client, body)
    assert response.status_code == 400
    assert "header" in error_message(response)
    assert handlers.bodies == []


def test_a_file_name_that_is_not_utf8_is_a_400(
    server: tuple[httpx.Client, UploadHandlers],
) -> None:
    client, _ = server
    response = post(
        client, multipart(field("model", b"m"), file_part("image", SMALL, b"\xff.png"))
    )
    assert response.status_code == 400
    assert "file name" in error_message(response)


# Other shapes of file fields (tests/fixtures/uploads): arrays of files, a
# nullable file, a JSON part beside files, an urlencoded form without files.

FIXTURE = FIXTURES / "uploads" / "openapi.yaml"


class AttachmentHandlers:
    """Answers what it was handed: the files' sizes and names, the JSON part's tags."""

    def __init__(self, models: Any) -> None:
        self.models = models
        self.uploads: list[Any] = []

    async def add_attachments(self, body: Any, context: Any) -> Any:
        files = [
            body.main,
            *(body.extra or []),
            *([body.preview] if body.preview else []),
        ]
        self.uploads.extend(files)
        return self.models.Received(
            title=body.title,
            sizes=[len(bytes(f)) for f in files],
            names=[f.filename or "" for f in files],
            tags=body.meta.tags if body.meta else None,
        )

    async def add_label(self, body: Any, context: Any) -> Any:
        return self.models.Received(title=body.name, sizes=[])


@pytest.fixture(scope="module")
def fixture_package(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GeneratedPackage]:
    with generated_package(
        FIXTURE, tmp_path_factory.mktemp("uploads"), stem="uploads"
    ) as package:
        yield package


@pytest.fixture(scope="module")
def attachments(
    fixture_package: GeneratedPackage,
) -> Iterator[tuple[str, AttachmentHandlers, GeneratedPackage]]:
    handlers = AttachmentHandlers(fixture_package.module("models"))
    app = fixture_package.module("server").create_app(handlers)
    with serve(app) as url:
        yield url, handlers, fixture_package


def test_file_arrays_and_a_json_part_reach_the_handler_as_uploads(
    attachments: tuple[str, AttachmentHandlers, GeneratedPackage],
) -> None:
    url, handlers, package = attachments
    models = package.module("models")
    with package.module("client").Client(base_url=url) as client:
        received = client.add_attachments(
            title="t",
            main=("main.bin", LARGE),
            extra=[("one.txt", b"1"), ("two.txt", b"22")],
            meta=models.Meta(tags=["a", "b"]),
        )
    assert received.sizes == [len(LARGE), 1, 2]
    assert received.names == ["main.bin", "one.txt", "two.txt"]
    assert received.tags == ["a", "b"]
    assert all(
        isinstance(f, package.module("uploads").UploadedFile) for f in handlers.uploads
    )
    assert wait_closed(handlers.uploads)


def test_a_nullable_file_field_takes_a_file_part(
    attachments: tuple[str, AttachmentHandlers, GeneratedPackage],
) -> None:
    url, _, _ = attachments
    body = multipart(
        field("title", b"t"),
        file_part("main", SMALL),
        file_part("preview", b"tiny", b"p.png"),
    )
    response = httpx.post(
        url + "/attachments",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["names"] == ["in.png", "p.png"]


def test_an_urlencoded_form_is_decoded_as_utf8(
    attachments: tuple[str, AttachmentHandlers, GeneratedPackage],
) -> None:
    url, _, _ = attachments
    response = httpx.post(
        url + "/labels",
        content=b"name=caf%C3%A9+au+lait",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "café au lait"
    bad = httpx.post(
        url + "/labels",
        content=b"name=caf%E9",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert bad.status_code == 400 and "UTF-8" in bad.json()["message"]
