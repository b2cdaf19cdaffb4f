"""`codegen mock` and the generated `mock` module, over real HTTP.

The CLI runs as users run it (a subprocess on a free port it picks itself);
the committed images package's `MockHandlers` is served with the harness and
called with its own client.
"""

from __future__ import annotations

import selectors
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from codegen.errors import Diagnostics
from codegen.ir import build_api
from codegen.mock_answers import (
    BINARY_ANSWER,
    REPEATED_EVENTS,
    mock_answers,
    synthesiser,
)
from codegen.schema_clean import COMPONENT_REF
from codegen.spec import load_spec

from .conftest import CODEGEN, FIXTURES, ROOT, SPEC, run_codegen
from .server_harness import serve

STARTUP_TIMEOUT = 120.0
"""Seconds for `codegen mock` to generate the package and print its URL."""
REQUEST = {"model": "openai/gpt-image-1", "prompt": "A lighthouse at dusk"}


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    process = subprocess.Popen(
        [str(CODEGEN), "mock", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(STARTUP_TIMEOUT):
                pytest.fail("codegen mock printed no URL")
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        _wait_until_listening(url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_listening(url: str) -> None:
    """The URL is printed before uvicorn starts accepting: retry, bounded."""
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/openapi.json", timeout=5)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _response_error(body: object, model: str) -> str | None:
    """Why `body` is not valid against the images spec's `model` schema (None if it is)."""
    api = build_api(load_spec(SPEC, Diagnostics()))
    return synthesiser(api).error({"$ref": COMPONENT_REF + model}, body)


def test_the_mock_answers_a_generation_with_a_valid_body(mock_url: str) -> None:
    response = httpx.post(
        f"{mock_url}/v1/images/generations",
        json=REQUEST,
        headers={"Authorization": "Bearer any-token-at-all"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert _response_error(response.json(), "ImageGenerationResponse") is None


def test_the_mock_streams_one_event_per_type_then_ends(mock_url: str) -> None:
    with httpx.stream(
        "POST",
        f"{mock_url}/v1/images/generations",
        json={**REQUEST, "stream": True, "response_format": "b64_json"},
        headers={"Authorization": "Bearer token"},
        timeout=30,
    ) as response:
        assert response.status_code == 200
        text = response.read().decode()
    names = [
        line.removeprefix("event: ")
        for line in text.splitlines()
        if line.startswith("event: ")
    ]
    assert names == ["image_generation.partial_image", "image_generation.completed"]


def test_the_mock_checks_requests_as_the_generated_server_does(mock_url: str) -> None:
    headers = {"Authorization": "Bearer token"}
    missing_prompt = httpx.post(
        f"{mock_url}/v1/images/generations",
        json={"model": "openai/gpt-image-1"},
        headers=headers,
        timeout=30,
    )
    assert missing_prompt.status_code == 400
    assert "prompt" in missing_prompt.json()["error"]["message"]
    anonymous = httpx.post(
        f"{mock_url}/v1/images/generations", json=REQUEST, timeout=30
    )
    assert anonymous.status_code == 401


def test_a_spec_error_exits_2_with_one_message(tmp_path: Path) -> None:
    result = run_codegen("mock", "--spec", tmp_path / "missing.yaml", "--port", "0")
    assert result.returncode == 2
    assert result.stderr.startswith("codegen: error:")
    assert "Traceback" not in result.stderr


def test_the_committed_mock_module_serves_the_generated_client() -> None:
    from images_api.client import Client
    from images_api.mock import MockHandlers, accept_any
    from images_api.models import ImageGenerationResponse
    from images_api.server import create_app

    with serve(create_app(MockHandlers(), authenticate=accept_any)) as url:
        with Client(url, bearer_auth="anything", max_retries=0) as client:
            image = client.images.generation(
                model="openai/gpt-image-1", prompt="A lighthouse"
            )
    assert isinstance(image, ImageGenerationResponse)


def test_answers_prefer_a_valid_example_and_skip_invalid_ones() -> None:
    """tests/fixtures/mock_answers: every kind of answer, examples valid and not."""
    api = build_api(
        load_spec(FIXTURES / "mock_answers" / "openapi.yaml", Diagnostics())
    )
    synth = synthesiser(api)
    answers = mock_answers(api, synth)
    # The first media example is over the age maximum: the second (a $ref) is taken.
    assert answers.answers["get_pet"] == {
        "id": "p-002",
        "name": "Rex",
        "age": 3,
        "tags": ["good"],
    }
    # The schema's only example is invalid: a value is built, valid against the schema.
    pet_list = answers.answers["list_pets"]
    assert pet_list != {"pets": "not a list", "total": -1}
    assert synth.error({"$ref": COMPONENT_REF + "PetList"}, pet_list) is None
    assert answers.answers["get_pet_note"] == "Feeds twice a day."
    assert answers.answers["get_pet_photo"] == BINARY_ANSWER
    # A stream of strings: its events go out as they are, named `message`.
    assert [e["event"] for e in answers.answers["watch_pets"]] == ["message", "message"]
    assert "delete_pet" not in answers.answers
    assert answers.from_examples == {"get_pet", "get_pet_note"}
    assert mock_answers(api).answers == answers.answers  # the same on every run


def test_a_port_in_use_exits_2_with_one_message() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_codegen("mock", "--port", port)
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(f"codegen: error: cannot listen on 127.0.0.1:{port}")
    )


def test_answers_of_every_stream_and_answer_shape() -> None:
    """The streams and responses fixtures: the mock's events and header values."""
    streams = mock_answers(
        build_api(load_spec(FIXTURES / "streams" / "openapi.yaml", Diagnostics()))
    ).answers
    # A tag the schema leaves a plain string takes the discriminator mapping's value.
    assert [e["type"] for e in streams["transcribe"]] == [
        "transcript.text.delta",
        "transcript.text.done",
    ]
    # Events told apart by their SSE name carry no tag.
    assert len(streams["alerts"]) == 2 and "event" not in streams["alerts"][0]
    # A stream of one model, raw events: a few each.
    assert len(streams["chat"]) == len(streams["pull"]) == REPEATED_EVENTS
    assert [e["event"] for e in streams["tail_logs"]] == ["message"] * REPEATED_EVENTS
    responses = mock_answers(
        build_api(load_spec(FIXTURES / "responses" / "openapi.yaml", Diagnostics()))
    ).answers
    # Several answers: the first declared; its headers beside it.
    assert set(responses["put_item"]) == {"id", "name"}
    assert isinstance(responses["get_limits.headers"]["x-ratelimit-remaining"], int)
    assert responses["export"] == BINARY_ANSWER
    assert "delete_item" not in responses
