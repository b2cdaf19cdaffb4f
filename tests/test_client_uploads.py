"""File arguments of the generated client over real HTTP: any sequence of
files for an array, and the content type each part goes out with.

The client of tests/fixtures/client_types uploads to a plain FastAPI app
written here, which answers with what arrived: field, file name, content type
and size of each part.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from starlette.datastructures import UploadFile

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "client_types" / "openapi.yaml"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(
        SPEC, tmp_path_factory.mktemp("client_uploads"), stem="ctypes"
    ) as p:
        yield p


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    app = FastAPI()

    @app.post("/uploads")
    async def uploads(request: Request) -> dict[str, Any]:
        form = await request.form()
        parts = [
            {
                "field": field,
                "filename": value.filename,
                "content_type": value.content_type,
                "size": len(await value.read()),
            }
            for field, value in form.multi_items()
            if isinstance(value, UploadFile)
        ]
        return {"parts": parts}

    with serve(app) as url:
        yield url


@pytest.fixture()
def client(package: GeneratedPackage, base_url: str) -> Iterator[Any]:
    with package.module("client").Client(base_url, max_retries=0) as client:
        yield client


@pytest.fixture()
def paths(tmp_path: Path) -> list[Path]:
    (tmp_path / "a.png").write_bytes(PNG)
    (tmp_path / "notes.txt").write_bytes(b"hello")
    return [tmp_path / "a.png", tmp_path / "notes.txt"]


def arrived(result: Any) -> list[tuple[str, str, str, int]]:
    return [(p.field, p.filename, p.content_type, p.size) for p in result.parts]


def test_a_list_of_paths_is_a_file_array(client: Any, paths: list[Path]) -> None:
    assert arrived(client.upload_files(attachments=paths)) == [
        ("attachments", "a.png", "image/png", len(PNG)),
        ("attachments", "notes.txt", "text/plain", 5),
    ]


def test_a_tuple_of_paths_is_a_file_array_and_one_path_a_file(
    client: Any, paths: list[Path]
) -> None:
    assert arrived(client.upload_files(attachments=tuple(paths), cover=paths[0])) == [
        ("attachments", "a.png", "image/png", len(PNG)),
        ("attachments", "notes.txt", "text/plain", 5),
        ("cover", "a.png", "image/png", len(PNG)),
    ]


def test_a_tuple_of_named_files_is_an_array_not_one_file(client: Any) -> None:
    named = (("one.json", b"{}"), ("two.bin", io.BytesIO(b"22"), "image/webp"))
    assert arrived(client.upload_files(attachments=named)) == [
        ("attachments", "one.json", "application/json", 2),
        ("attachments", "two.bin", "image/webp", 2),
    ]


def test_the_content_type_comes_from_the_name_never_from_the_bytes(
    client: Any,
) -> None:
    # PNG bytes without a name, or under a name that says nothing, are not sniffed.
    files = [PNG, ("picture.unknown-extension", PNG), io.BytesIO(b"x")]
    assert arrived(client.upload_files(attachments=files)) == [
        ("attachments", "file", "application/octet-stream", len(PNG)),
        ("attachments", "picture.unknown-extension", "application/octet-stream", 32),
        ("attachments", "file", "application/octet-stream", 1),
    ]
