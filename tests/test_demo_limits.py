"""The demo backend (examples/images_demo) under hostile prompts and several processes.

- Prompts of any length are drawn: the caption is cut before any text layout,
  so the work per image is bounded (asserted by what Pillow is asked to
  measure, not by timing).
- Image URLs start with the configured `PUBLIC_URL`, else the address the
  server listens on; never with the request's `Host` header.
- Images answered as URLs live in a folder (`IMAGES_DIR`): content-addressed,
  written atomically, capped in size with the oldest evicted, so separate
  uvicorn processes (and workers) on one folder answer each other's URLs.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw

from examples.images_demo import drawing
from examples.images_demo.app import Settings, app, create_demo_app
from examples.images_demo.storage import ImageStore

from .server_harness import HOST, serve

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"Authorization": "Bearer demo-key"}
TIMEOUT = 30.0
CAPTION_BOUND = 300
"""Characters: more than any image can show on its caption line."""
STARTUP_TIMEOUT = 30.0


def png(size: tuple[int, int] = (32, 32)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return buffer.getvalue()


def generation(prompt: str, **fields: object) -> dict[str, object]:
    return {
        "model": "openai/gpt-image-1",
        "prompt": prompt,
        "size": "256x256",
        **fields,
    }


def decoded(answer: httpx.Response) -> Image.Image:
    assert answer.status_code == 200, answer.text[:500]
    (item,) = answer.json()["data"]
    image = Image.open(io.BytesIO(base64.b64decode(item["b64_json"])))
    image.load()
    return image


# -- prompts of any length --------------------------------------------------------


@pytest.fixture(scope="module")
def demo_url() -> Iterator[str]:
    with serve(app) as url:
        yield url


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of every text Pillow is asked to measure (in this process: the server's too)."""
    lengths: list[int] = []
    measure = ImageDraw.ImageDraw.textlength

    def recording(
        self: ImageDraw.ImageDraw, text: str, *args: object, **kwargs: object
    ) -> float:
        lengths.append(len(text))
        return measure(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "textlength", recording)
    return lengths


def test_a_two_million_character_prompt_is_drawn(
    demo_url: str, measured: list[int]
) -> None:
    """Was a 500: Pillow refuses to measure strings of over a million characters."""
    prompt = "a fox in the snow " * (2_000_000 // 18 + 1)
    answer = httpx.post(
        demo_url + "/v1/images/generations",
        headers=AUTH,
        json=generation(prompt, response_format="b64_json"),
        timeout=TIMEOUT,
    )
    assert decoded(answer).size == (256, 256)
    assert measured and max(measured) <= CAPTION_BOUND


def test_a_prompt_that_is_one_word_of_two_million_characters_is_drawn(
    demo_url: str, measured: list[int]
) -> None:
    answer = httpx.post(
        demo_url + "/v1/images/generations",
        headers=AUTH,
        json=generation("x" * 2_000_000, response_format="b64_json"),
        timeout=TIMEOUT,
    )
    assert decoded(answer).size == (256, 256)
    assert max(measured) <= CAPTION_BOUND


def test_a_million_character_edit_prompt_measures_a_bounded_caption(
    demo_url: str, measured: list[int]
) -> None:
    """Was 10 s of CPU per image: the caption was measured at full length, then 4/5 of it..."""
    answer = httpx.post(
        demo_url + "/v1/images/edits",
        headers=AUTH,
        data={
            "model": "openai/gpt-image-1",
            "prompt": "y" * 1_000_000,
            "size": "256x256",
            "response_format": "b64_json",
        },
        files={"image": ("a.png", png(), "image/png")},
        timeout=TIMEOUT,
    )
    assert decoded(answer).size == (256, 256)
    assert measured and max(measured) <= CAPTION_BOUND


def test_a_long_caption_is_cut_with_an_ellipsis(measured: list[int]) -> None:
    drawing.generate("word " * 400_000, 0, size=(512, 512), transparent=False)
    assert max(measured) <= CAPTION_BOUND
    assert len(measured) < 40  # a few shortening steps, each on a short text


def test_short_prompts_keep_their_whole_caption(measured: list[int]) -> None:
    drawing.generate("  a  red\nfox ", 0, size=(512, 512), transparent=False)
    assert measured == [len("a red fox")]


# -- public URLs --------------------------------------------------------------------


def test_image_urls_never_come_from_the_host_header(demo_url: str) -> None:
    """Was `http://evil.example/images/...`: anyone can send any Host."""
    answer = httpx.post(
        demo_url + "/v1/images/generations",
        headers={**AUTH, "Host": "evil.example"},
        json=generation("a lighthouse"),
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    (item,) = answer.json()["data"]
    assert "evil.example" not in item["url"]
    assert item["url"].startswith(demo_url + "/images/")
    assert httpx.get(item["url"], timeout=TIMEOUT).status_code == 200


def test_image_urls_start_with_the_configured_public_url(tmp_path: Path) -> None:
    public = "https://images.example/demo/"
    settings = Settings(public_url=public, images_dir=tmp_path)
    with serve(create_demo_app(settings)) as url:
        answer = httpx.post(
            url + "/v1/images/generations",
            headers={**AUTH, "Host": "evil.example"},
            json=generation("a lighthouse"),
            timeout=TIMEOUT,
        )
        assert answer.status_code == 200, answer.text
        (item,) = answer.json()["data"]
        assert item["url"].startswith("https://images.example/demo/images/")
        name = item["url"].rpartition("/")[2]
        assert (tmp_path / name).is_file()
        assert httpx.get(f"{url}/images/{name}", timeout=TIMEOUT).status_code == 200


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_environment(
        {
            "PUBLIC_URL": "https://cdn.example",
            "IMAGES_DIR": str(tmp_path),
            "IMAGES_MAX_BYTES": "1000",
        }
    )
    assert settings == Settings("https://cdn.example", tmp_path, 1000)
    assert Settings.from_environment({"PUBLIC_URL": ""}).public_url is None
    with pytest.raises(ValueError, match="PUBLIC_URL"):
        Settings.from_environment({"PUBLIC_URL": "images.example"})


# -- the store --------------------------------------------------------------------


def test_names_are_content_addressed_and_files_appear_whole(tmp_path: Path) -> None:
    store = ImageStore(tmp_path)
    content = png()
    name = store.add(content, "png")
    assert store.add(content, "png") == name
    assert name.endswith(".png") and len(name) == 32 + len(".png")
    assert sorted(os.listdir(tmp_path)) == [name]  # no temporary file left behind
    stored = store.get(name)
    assert stored is not None
    assert (stored.content, stored.media_type) == (content, "image/png")
    # Another store on the same folder (another worker) sees it.
    assert ImageStore(tmp_path).get(name) == stored


def test_a_failed_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        ImageStore(tmp_path).add(png(), "png")
    assert os.listdir(tmp_path) == []


def test_the_oldest_images_are_evicted_past_the_size_cap(tmp_path: Path) -> None:
    images = [png((16 + i, 16)) for i in range(4)]
    size = max(len(image) for image in images)
    store = ImageStore(tmp_path, max_bytes=3 * size)
    names = []
    for age, image in enumerate(images[:3]):
        names.append(store.add(image, "png"))
        os.utime(tmp_path / names[-1], ns=(age * 10**9, age * 10**9))
    store.add(images[0], "png")  # stored again: now the newest
    names.append(store.add(images[3], "png"))
    assert store.get(names[1]) is None  # the oldest
    assert all(store.get(name) is not None for name in (names[0], names[2], names[3]))


def test_temporary_files_left_by_a_dead_writer_are_removed(tmp_path: Path) -> None:
    left = tmp_path / ".partial-abc"
    left.write_bytes(b"half an image")
    os.utime(left, ns=(0, 0))
    being_written = tmp_path / ".partial-def"
    being_written.write_bytes(b"a write in progress")
    name = ImageStore(tmp_path).add(png(), "png")
    assert sorted(os.listdir(tmp_path)) == [".partial-def", name]


def test_an_image_larger_than_the_cap_is_still_served_once(tmp_path: Path) -> None:
    store = ImageStore(tmp_path, max_bytes=1)
    first = store.add(png((20, 20)), "png")
    second = store.add(png((30, 30)), "png")
    assert store.get(first) is None and store.get(second) is not None


@pytest.mark.parametrize(
    "name",
    ["../secret.png", "..%2Fsecret.png", ".partial-abc", "ABC.png", "0" * 32 + ".gif"],
)
def test_only_image_names_are_served(tmp_path: Path, name: str) -> None:
    (tmp_path.parent / "secret.png").write_bytes(b"secret")
    assert ImageStore(tmp_path).get(name) is None


def test_a_path_outside_the_folder_is_a_404(demo_url: str) -> None:
    answer = httpx.get(demo_url + "/images/..%2F..%2Fetc%2Fpasswd", timeout=TIMEOUT)
    assert answer.status_code == 404
    assert answer.json()["error"]["type"] == "not_found"


# -- several processes on one folder -----------------------------------------------


@contextmanager
def uvicorn_process(
    folder: Path, public_url: str, sock: socket.socket, workers: int, log: Path
) -> Iterator[None]:
    """`examples.images_demo.app:app` in its own process(es), listening on `sock`."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)]),
        "IMAGES_DIR": str(folder),
        "PUBLIC_URL": public_url,
    }
    command = [
        sys.executable, "-m", "uvicorn", "examples.images_demo.app:app",
        "--fd", str(sock.fileno()), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, pass_fds=[sock.fileno()],
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    sock.listen(64)
    return sock


def wait_until_serving(url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            httpx.get(url + "/images/none", timeout=TIMEOUT)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not start:\n{log.read_text()}") from None
            time.sleep(0.1)


def test_separate_processes_on_one_folder_answer_each_others_urls(
    tmp_path: Path,
) -> None:
    """Was a 404: each process kept its images in its own memory.

    `first` runs two workers (so its URLs are answered by either), `second`
    one; both advertise `first` as their public URL, as a load balancer would.
    """
    folder = tmp_path / "images"
    with ExitStack() as stack:
        sockets = [stack.enter_context(listening_socket()) for _ in range(2)]
        first, second = (f"http://{HOST}:{sock.getsockname()[1]}" for sock in sockets)
        for sock, workers, log in ((sockets[0], 2, "first"), (sockets[1], 1, "second")):
            stack.enter_context(
                uvicorn_process(folder, first, sock, workers, tmp_path / f"{log}.log")
            )
        for url, log in ((first, "first"), (second, "second")):
            wait_until_serving(url, tmp_path / f"{log}.log")

        made_by_first = httpx.post(
            first + "/v1/images/generations",
            headers=AUTH,
            json=generation("made by the first"),
            timeout=TIMEOUT,
        ).json()["data"][0]["url"]
        made_by_second = httpx.post(
            second + "/v1/images/generations",
            headers=AUTH,
            json=generation("made by the second"),
            timeout=TIMEOUT,
        ).json()["data"][0]["url"]
        path = made_by_first.rpartition("/images/")[2]

        for url in [f"{second}/images/{path}"] + [made_by_first, made_by_second] * 4:
            answer = httpx.get(url, timeout=TIMEOUT)
            assert answer.status_code == 200, url
            assert Image.open(io.BytesIO(answer.content)).size == (256, 256)
        assert made_by_second.startswith(first + "/images/")


def test_make_serve_runs_the_workers_asked_for() -> None:
    command = subprocess.run(
        ["make", "-n", "serve", "WORKERS=4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "uvicorn examples.images_demo.app:app" in command
    assert "--workers 4" in command
