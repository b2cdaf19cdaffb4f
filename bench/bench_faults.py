"""Benchmark: memory of the generated server and client under load, abandoned streams and hostile peers.

What is measured (issue 12)
    Resident memory of one process, from /proc/<pid>/status: VmRSS before the
    load (after a warm-up request), the peak (VmHWM, the process's high-water
    mark; every server scenario gets a fresh process, so its peak is the
    scenario's), and VmRSS 5 s after the load ended.

    a) Streams, the generated images server (`create_app`) with a handler
       that streams partial images: for each stream it holds a 1 MiB canvas
       (touched, so resident) until its generator ends, and yields 3 partial
       images and a completed event (each ~96 KiB of base64).
         - 200 concurrent streams, each read to its end.
         - 50 streams abandoned after the first event: the client reads one
           event and drops the connection; the handler would go on for 60 s.
           A generator whose `finally` has not run after 5 s was never closed
           (`aclose()`), and its canvas is still held.
       The server counts its handler generators (started, `finally` run) and
       answers the counts on a route the bench adds to the app.
    b) Uploads, POST /v1/images/edits: one 20 MiB file to the generated server
       and to a plain FastAPI endpoint reading an `UploadFile` in 1 MiB chunks
       (the baseline: Starlette spools files to disk above 1 MiB), then four
       200 MB files at once to the generated server. Bodies are streamed from
       a 1 MiB block with a `Content-Length`, so the bench never holds them;
       each handler answers the byte count it got, which is checked.
    c) The generated client against hostile servers (a raw socket server in
       this process): an event that never ends (`data: aaaa...`, no newline),
       endless `data:` lines without a blank line, both with `Client` and
       `AsyncClient`, and a 500 whose body is 300 MB. Each client runs in its
       own process, killed when its VmRSS passes 1 GiB or after 15 s
       ("unbounded (killed at ...)"), so this runs on clients without limits
       too. A client with `max_event_size` (the newer generated code) is left
       at its defaults: the table shows how the call ends. 5 s after the
       call ended the client still holds the exception (as a caller's
       `except ... as error` does); then it drops it, runs `gc.collect()`,
       and its VmRSS is read once more.

How
    Servers: `python -m uvicorn bench_faults:<factory> --factory` on a free
    port of 127.0.0.1, one worker, the package under test on PYTHONPATH
    (`--package-dir`, default generated/). Every child runs with
    `MALLOC_MMAP_THRESHOLD_` set to 256 KiB, so glibc serves large blocks by
    mmap and gives them back when freed: the VmRSS after is the memory the
    program still holds, not what the allocator keeps. Every wait is bounded
    and every child is ended (terminate, then kill) when the script leaves.

Output
    A Markdown table on stdout, also written to bench/results/faults.md
    (`--output` to change); progress goes to stderr. Nothing is asserted.
    `--baseline FILE` adds a table setting an earlier run's figures (e.g.
    bench/results/faults-before.md, main before issue 12) beside this run's.

Usage
    python bench/bench_faults.py [--package-dir DIR] [--output FILE]
                                 [--baseline FILE] [--only a,b,c]

This file is also the module the server subprocesses import (`bench_faults`),
so it imports only the standard library at the top, like bench_server.py.
"""

import argparse
import asyncio
import contextlib
import gc
import inspect
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DEFAULT_PACKAGE_DIR = PROJECT_DIR / "generated"
DEFAULT_OUTPUT = BENCH_DIR / "results" / "faults.md"

HOST = "127.0.0.1"
TOKEN = "bench-token"
SEED = 20261202
MIB = 1024 * 1024

CANVAS_BYTES = 1 * MIB  # held by each stream's handler until its generator ends
PARTIAL_B64_CHARS = 96 * 1024  # base64 text of each event
PARTIAL_IMAGES = 3
FAST_INTERVAL = 0.25  # seconds between events of a stream read to its end
SLOW_INTERVAL = 20.0  # ... of a stream the client abandons (3 gaps: 60 s)
CONCURRENT_STREAMS = 200
ABANDONED_STREAMS = 50

SMALL_UPLOAD = 20 * MIB
BIG_UPLOAD = 200 * 1000 * 1000
BIG_UPLOADS_AT_ONCE = 4
BLOCK = 1 * MIB  # upload bodies repeat one random block

KILL_RSS_KIB = 1024 * 1024  # 1 GiB
KILL_SECONDS = 15.0
UNBOUNDED_GROWTH_KIB = 256 * 1024  # grown this much when killed on time: still growing
HUGE_ERROR_BODY = 300 * 1000 * 1000
AFTER_SECONDS = 5.0
MMAP_THRESHOLD = 256 * 1024

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
LOAD_TIMEOUT = 90.0


# -- the apps (built inside the uvicorn subprocesses) --------------------------


class _Canvas(bytearray):
    """A stream's picture in the making; a subclass, so the bench can hold weak references to it."""

    __hash__ = object.__hash__  # type: ignore[assignment]  # by identity, for the WeakSet


class _StreamCounts:
    started = 0
    finished = 0  # the handler generator's `finally` ran
    canvases: "weakref.WeakSet[_Canvas]" = weakref.WeakSet()


async def _bytes_of(value: Any) -> int:
    """The size of an uploaded file as the handler gets it: bytes, or a file object (newer code)."""
    if value is None:
        return 0
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    total = 0
    while True:
        chunk = value.read(MIB)  # a sync or an async `read`
        if inspect.isawaitable(chunk):
            chunk = await chunk
        if not chunk:
            return total
        total += len(chunk)


def generated_app() -> Any:
    """The generated server: streaming handlers holding a canvas, uploads answered with their size."""
    from images_api import models
    from images_api.server import Credentials, RequestContext, create_app

    interval = float(os.environ.get("BENCH_FAULTS_INTERVAL", FAST_INTERVAL))
    partial = "A" * PARTIAL_B64_CHARS

    def response(id_: str) -> Any:
        return models.ImageGenerationResponse.model_validate(
            {
                "id": id_,
                "created": 1700000000,
                "data": [{"url": "https://example.com/x.png"}],
            }
        )

    async def stream(prefix: str) -> AsyncIterator[Any]:
        _StreamCounts.started += 1
        canvas = _Canvas(b"\x01" * CANVAS_BYTES)  # touched, so resident
        _StreamCounts.canvases.add(canvas)
        try:
            partial_event = getattr(models, f"{prefix}PartialImageEvent")
            completed_event = getattr(models, f"{prefix}CompletedEvent")
            kind = "image_generation" if prefix == "ImageGeneration" else "image_edit"
            for index in range(PARTIAL_IMAGES):
                yield partial_event(
                    type=f"{kind}.partial_image",
                    partial_image_index=index,
                    b64_json=partial,
                )
                await asyncio.sleep(interval)
            yield completed_event(
                type=f"{kind}.completed", b64_json=partial, size=str(len(canvas))
            )
        finally:
            _StreamCounts.finished += 1

    class BenchHandlers:
        async def image_generation(self, body: Any, context: RequestContext) -> Any:
            return response("img-bench")

        def image_generation_stream(self, body: Any, context: RequestContext) -> Any:
            return stream("ImageGeneration")

        async def image_edit(self, body: Any, context: RequestContext) -> Any:
            received = await _bytes_of(body.image)
            return response(f"received-{received}")

        def image_edit_stream(self, body: Any, context: RequestContext) -> Any:
            return stream("ImageEdit")

        async def image_variation(self, body: Any, context: RequestContext) -> Any:
            received = await _bytes_of(body.image)
            return response(f"received-{received}")

    async def authenticate(credentials: Credentials) -> Any:
        return "bench-user" if credentials.secret == TOKEN else None

    app = create_app(BenchHandlers(), authenticate=authenticate)

    async def counts(collect: bool = False) -> dict[str, int]:
        """The handler generators' counts; with `collect`, after a full `gc.collect()`."""
        if collect:
            gc.collect()
        return {
            "started": _StreamCounts.started,
            "finished": _StreamCounts.finished,
            "canvases": len(_StreamCounts.canvases),
        }

    app.add_api_route("/bench/streams", counts, methods=["GET"])
    return app


def uploadfile_app() -> Any:
    """Plain FastAPI, the baseline: the `UploadFile` counted in 1 MiB chunks."""
    from typing import Annotated

    from fastapi import FastAPI, File, Form, UploadFile

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.post("/v1/images/edits")
    async def image_edit(
        model: Annotated[str, Form()],
        prompt: Annotated[str, Form()],
        image: Annotated[UploadFile, File()],
    ) -> dict[str, Any]:
        total = 0
        while chunk := await image.read(MIB):
            total += len(chunk)
        return {"id": f"received-{total}", "created": 1700000000, "data": []}

    return app


# -- processes and memory -----------------------------------------------------------


def status_kib(pid: int, name: str) -> int:
    """A `kB` field of /proc/<pid>/status (VmRSS, VmHWM), 0 once the process is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def child_env(package_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(package_dir), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONUNBUFFERED"] = "1"
    env["MALLOC_MMAP_THRESHOLD_"] = str(MMAP_THRESHOLD)
    env.update(extra)
    return env


def stop(process: "subprocess.Popen[Any]") -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)


@dataclass
class Server:
    process: "subprocess.Popen[bytes]"
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def kib(self, name: str) -> int:
        return status_kib(self.process.pid, name)


@contextlib.contextmanager
def serving(factory: str, args: argparse.Namespace, **env: str) -> Iterator[Server]:
    """A fresh uvicorn process serving `factory`, up and answering, ended on leaving."""
    import httpx

    port = free_port()
    log = args.scratch / f"{factory}-{port}.log"
    command = [
        sys.executable, "-m", "uvicorn", f"bench_faults:{factory}", "--factory",
        "--app-dir", str(BENCH_DIR), "--host", HOST, "--port", str(port),
        "--workers", "1", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            env=child_env(args.package_dir, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{factory} exited: {log.read_text()[-2000:]}")
            try:
                httpx.get(server.url + "/", timeout=2.0)
                break
            except httpx.TransportError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{factory} did not start in {STARTUP_TIMEOUT} s"
                    ) from error
                time.sleep(0.1)
        yield server
    finally:
        stop(process)


@dataclass
class Row:
    part: str
    scenario: str
    process: str
    before_kib: int = 0
    peak_kib: int = 0
    after_kib: int = 0
    outcome: str = ""

    def cells(self) -> list[str]:
        growth = self.peak_kib - self.before_kib
        return [
            self.part,
            self.scenario,
            self.process,
            mib(self.before_kib),
            mib(self.peak_kib),
            f"+{mib(growth)}" if growth >= 0 else mib(growth),
            mib(self.after_kib) if self.after_kib else "-",
            self.outcome.replace("|", "\\|"),
        ]


def mib(kib: int) -> str:
    return f"{kib / 1024:,.1f}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- a) streams ------------------------------------------------------------------


def stream_body() -> dict[str, Any]:
    return {
        "model": "openai/gpt-image-1",
        "prompt": "A watercolor fox",
        "stream": True,
        "partial_images": PARTIAL_IMAGES,
    }


async def read_streams(url: str, count: int, abandon: bool) -> tuple[int, int]:
    """Open `count` streams at once; read each to its end, or drop it after the first event.

    Answers (streams dropped after their first event, streams read to their end).
    """
    import httpx

    limits = httpx.Limits(max_connections=count + 10, max_keepalive_connections=0)
    timeout = httpx.Timeout(LOAD_TIMEOUT, connect=30.0)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    dropped = ended = 0
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:

        async def one() -> None:
            nonlocal dropped, ended
            async with client.stream(
                "POST",
                url + "/v1/images/generations",
                json=stream_body(),
                headers=headers,
            ) as response:
                if response.status_code != 200:
                    await response.aread()
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                seen = b""
                async for chunk in response.aiter_raw():
                    if abandon:
                        seen = seen[-3:] + chunk
                        if b"\n\n" in seen or b"\r\n\r\n" in seen:
                            dropped += 1
                            return  # leaving the block closes the connection mid-stream
                ended += 1

        results = await asyncio.wait_for(
            asyncio.gather(*(one() for _ in range(count)), return_exceptions=True),
            LOAD_TIMEOUT,
        )
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        log(f"  {len(failures)} stream(s) failed, first: {failures[0]!r}")
    return dropped, ended


def stream_counts(server: Server, collect: bool = False) -> dict[str, int]:
    import httpx

    params = {"collect": "true"} if collect else {}
    answer = httpx.get(server.url + "/bench/streams", params=params, timeout=30.0)
    return dict(answer.json())


def held(counts: dict[str, int], server: Server) -> str:
    """What the server still holds: handler generators not closed, canvases alive, and after a GC."""
    open_ = counts["started"] - counts["finished"]
    collected = stream_counts(server, collect=True)
    time.sleep(0.2)
    return (
        f"generators not closed: {open_}, canvases held: {counts['canvases']}; "
        f"after a full `gc.collect()`: {collected['canvases']} held, "
        f"{mib(server.kib('VmRSS'))} MiB"
    )


def measure_streams(args: argparse.Namespace) -> list[Row]:
    rows = []
    with serving(
        "generated_app", args, BENCH_FAULTS_INTERVAL=str(FAST_INTERVAL)
    ) as server:
        asyncio.run(read_streams(server.url, 1, abandon=False))  # warm-up
        row = Row(
            "a", f"{CONCURRENT_STREAMS} concurrent streams, read to the end", "server"
        )
        row.before_kib = server.kib("VmRSS")
        log(f"a) {row.scenario}")
        _, ended = asyncio.run(
            read_streams(server.url, CONCURRENT_STREAMS, abandon=False)
        )
        row.peak_kib = server.kib("VmHWM")
        time.sleep(AFTER_SECONDS)
        row.after_kib = server.kib("VmRSS")
        row.outcome = (
            f"{ended}/{CONCURRENT_STREAMS} read to the end; 5 s after: "
            + held(stream_counts(server), server)
        )
        rows.append(row)
    with serving(
        "generated_app", args, BENCH_FAULTS_INTERVAL=str(SLOW_INTERVAL)
    ) as server:
        # warm-up: one stream abandoned, so the measured ones cost no imports
        asyncio.run(read_streams(server.url, 1, abandon=True))
        stream_counts(server, collect=True)
        row = Row(
            "a",
            f"{ABANDONED_STREAMS} streams abandoned after the first event",
            "server",
        )
        row.before_kib = server.kib("VmRSS")
        log(f"a) {row.scenario}")
        dropped, _ = asyncio.run(
            read_streams(server.url, ABANDONED_STREAMS, abandon=True)
        )
        row.peak_kib = server.kib("VmHWM")
        time.sleep(AFTER_SECONDS)
        row.after_kib = server.kib("VmRSS")
        row.outcome = (
            f"{dropped}/{ABANDONED_STREAMS} dropped after one event (the handler would go on "
            f"for {SLOW_INTERVAL * PARTIAL_IMAGES:g} s); 5 s after: "
            + held(stream_counts(server), server)
        )
        rows.append(row)
    return rows


# -- b) uploads ---------------------------------------------------------------------


def random_block() -> bytes:
    return random.Random(SEED).randbytes(BLOCK)


def multipart_stream(size: int, block: bytes) -> tuple[AsyncIterator[bytes], int, str]:
    """An edits request with a `size`-byte image, as chunks; its length and content type."""
    boundary = f"----bench-faults-{SEED}"
    marker = f"--{boundary}".encode()
    if marker in block + block:
        raise ValueError("the random block holds the multipart boundary")
    head = b"".join(
        marker + b"\r\n" + f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value.encode() + b"\r\n"
        for name, value in [("model", "openai/gpt-image-1"), ("prompt", "Add a scarf")]
    ) + marker + b"\r\n" + (
        b'Content-Disposition: form-data; name="image"; filename="fox.png"\r\n'
        b"Content-Type: image/png\r\n\r\n"
    )  # fmt: skip
    tail = b"\r\n" + marker + b"--\r\n"

    async def chunks() -> AsyncIterator[bytes]:
        yield head
        left = size
        while left > 0:
            yield block[:left] if left < len(block) else block
            left -= len(block)
        yield tail

    return (
        chunks(),
        len(head) + size + len(tail),
        f"multipart/form-data; boundary={boundary}",
    )


async def upload(url: str, sizes: list[int], block: bytes) -> list[str]:
    """Send one edits request per size, all at once; check each answered its byte count."""
    import httpx

    async with httpx.AsyncClient(
        timeout=httpx.Timeout(LOAD_TIMEOUT, connect=30.0)
    ) as client:

        async def one(size: int) -> str:
            body, length, content_type = multipart_stream(size, block)
            response = await client.post(
                url + "/v1/images/edits",
                content=body,
                headers={
                    "Authorization": f"Bearer {TOKEN}",
                    "Content-Type": content_type,
                    "Content-Length": str(length),
                },
            )
            got = response.json().get("id") if response.status_code == 200 else None
            if got != f"received-{size}":
                return f"{response.status_code}: {response.text[:200]}"
            return "ok"

        return list(await asyncio.gather(*(one(size) for size in sizes)))


def measure_upload(
    args: argparse.Namespace,
    factory: str,
    scenario: str,
    process: str,
    sizes: list[int],
) -> Row:
    block = random_block()
    with serving(factory, args) as server:
        asyncio.run(
            upload(server.url, [10 * 1024], block)
        )  # warm-up: imports, first parse
        row = Row("b", scenario, process)
        row.before_kib = server.kib("VmRSS")
        log(f"b) {scenario}: {process}")
        started = time.monotonic()
        results = asyncio.run(upload(server.url, sizes, block))
        elapsed = time.monotonic() - started
        row.peak_kib = server.kib("VmHWM")
        time.sleep(AFTER_SECONDS)
        row.after_kib = server.kib("VmRSS")
        ok = results.count("ok")
        failed = [r for r in results if r != "ok"]
        row.outcome = (
            f"{ok}/{len(sizes)} answered with their byte count in {elapsed:.1f} s"
            + (f"; {failed[0]}" if failed else "")
        )
        return row


def measure_uploads(args: argparse.Namespace) -> list[Row]:
    small = f"one {SMALL_UPLOAD // MIB} MiB upload"
    return [
        measure_upload(
            args, "generated_app", small, "server (generated)", [SMALL_UPLOAD]
        ),
        measure_upload(
            args,
            "uploadfile_app",
            small,
            "server (FastAPI `UploadFile`, baseline)",
            [SMALL_UPLOAD],
        ),
        measure_upload(
            args,
            "generated_app",
            f"{BIG_UPLOADS_AT_ONCE} uploads of {BIG_UPLOAD // 1000 // 1000} MB at once",
            "server (generated)",
            [BIG_UPLOAD] * BIG_UPLOADS_AT_ONCE,
        ),
    ]


# -- c) the client against hostile servers ---------------------------------------------

STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
    b"cache-control: no-cache\r\nconnection: close\r\n\r\n"
)
ERROR_HEAD = (
    b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n" % HUGE_ERROR_BODY
)


class HostileServer:
    """A raw socket server answering every connection the way `mode` says, until closed."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sock = socket.create_server((HOST, 0))
        self.port = int(self.sock.getsockname()[1])
        self.closed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def _accept(self) -> None:
        while not self.closed.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            rest += chunk

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.settimeout(KILL_SECONDS + AFTER_SECONDS + 10)
                self._read_request(conn)
                if self.mode == "error-body":
                    conn.sendall(ERROR_HEAD)
                    chunk = b"a" * (1 << 16)
                    for _ in range(HUGE_ERROR_BODY // len(chunk)):
                        conn.sendall(chunk)
                    conn.sendall(b"a" * (HUGE_ERROR_BODY % len(chunk)))
                    return
                conn.sendall(STREAM_HEAD)
                if self.mode == "endless-event":
                    conn.sendall(b"event: image_generation.partial_image\ndata: ")
                    chunk = b"a" * (1 << 16)  # never a newline
                else:  # endless-lines
                    conn.sendall(b"event: image_generation.partial_image\n")
                    chunk = (b"data: " + b"a" * 1017 + b"\n") * 64  # never a blank line
                while not self.closed.is_set():
                    conn.sendall(chunk)
            except OSError:
                return  # the client went away: what a bounded client does

    def close(self) -> None:
        self.closed.set()
        self.sock.close()


def client_probe_main(argv: list[str]) -> int:
    """The client process: one streamed (or failing) call, its end reported as JSON lines."""
    parser = argparse.ArgumentParser(prog="bench_faults.py client-probe")
    parser.add_argument("--url", required=True)
    parser.add_argument("--flavour", choices=["sync", "async"], required=True)
    parser.add_argument("--call", choices=["stream", "plain"], required=True)
    args = parser.parse_args(argv)
    import images_api.client as client_module

    def say(**fields: Any) -> None:
        print(json.dumps(fields), flush=True)

    stream = args.call == "stream"
    call = {"model": "openai/gpt-image-1", "prompt": "A fox", "stream": stream}
    options = set(inspect.signature(client_module.Client).parameters)
    # the caller holds the exception, as `except ... as error` does, until told to drop it
    kept: list[BaseException] = []

    def ended(error: BaseException | None) -> None:
        if error is None:
            say(event="ended", error=None)
            return
        kept.append(error)
        chain: list[str] = []
        cause: BaseException | None = error
        while cause is not None and len(chain) < 5:
            chain.append(type(cause).__name__)
            cause = cause.__cause__ or cause.__context__
        say(
            event="ended",
            error=f"{type(error).__name__}: {str(error)[:120]}",
            chain=chain,
        )

    if args.flavour == "sync":

        def run_sync() -> None:  # a function, so its locals go when it returns
            client = client_module.Client(base_url=args.url, bearer_auth=TOKEN)
            say(event="ready", options=sorted(options))
            try:
                answer = client.images.generation(**call)
                if stream:
                    for _ in answer:
                        pass
                ended(None)
            except Exception as error:
                ended(error)

        run_sync()
    else:

        async def run() -> None:
            client = client_module.AsyncClient(base_url=args.url, bearer_auth=TOKEN)
            say(event="ready", options=sorted(options))
            try:
                answer = await client.images.generation(**call)
                if stream:
                    async for _ in answer:
                        pass
                ended(None)
            except Exception as error:
                ended(error)

        asyncio.run(run())
    sys.stdin.readline()  # the bench has read the memory with the exception held
    kept.clear()
    gc.collect()
    say(event="dropped")
    time.sleep(60)  # until the bench ends this process
    return 0


def dropped(process: "subprocess.Popen[str]", lines: list[dict[str, Any]]) -> str:
    """Have the client process drop the exception it holds and collect; its VmRSS then."""
    assert process.stdin is not None
    with contextlib.suppress(OSError):
        process.stdin.write("drop\n")
        process.stdin.flush()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while len(lines) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if len(lines) < 3:
        return "did not answer when asked to drop the exception"
    rss = status_kib(process.pid, "VmRSS")
    return f"with the exception dropped and a `gc.collect()`: {mib(rss)} MiB"


def measure_client(
    args: argparse.Namespace, flavour: str, mode: str, scenario: str
) -> Row:
    hostile = HostileServer(mode)
    call = "plain" if mode == "error-body" else "stream"
    command = [
        sys.executable, str(Path(__file__).resolve()), "client-probe",
        "--url", hostile.url, "--flavour", flavour, "--call", call,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        env=child_env(args.package_dir),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: list[dict[str, Any]] = []

    def reader() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            with contextlib.suppress(ValueError):
                lines.append(json.loads(line))

    threading.Thread(target=reader, daemon=True).start()
    row = Row(
        "c", scenario, f"client (`{'Client' if flavour == 'sync' else 'AsyncClient'}`)"
    )
    log(f"c) {scenario}: {row.process}")
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not lines and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if not lines:
            row.outcome = "the client process did not start"
            return row
        row.before_kib = status_kib(process.pid, "VmRSS")
        args.client_options = lines[0].get("options", [])
        started = time.monotonic()
        killed = ""
        while len(lines) < 2 and process.poll() is None:
            rss = status_kib(process.pid, "VmRSS")
            elapsed = time.monotonic() - started
            if rss >= KILL_RSS_KIB or elapsed >= KILL_SECONDS:
                row.peak_kib = status_kib(process.pid, "VmHWM")
                if rss >= KILL_RSS_KIB:
                    killed = (
                        f"unbounded (killed at {mib(rss)} MiB after {elapsed:.1f} s)"
                    )
                elif rss - row.before_kib >= UNBOUNDED_GROWTH_KIB:
                    killed = f"unbounded (killed after {elapsed:.1f} s at {mib(rss)} MiB, still growing)"
                else:
                    killed = f"no end (killed after {elapsed:.1f} s at {mib(rss)} MiB)"
                process.kill()
                break
            time.sleep(0.02)
        if killed:
            row.outcome = killed
            return row
        if len(lines) < 2:
            row.outcome = f"the client process exited ({process.returncode})"
            return row
        elapsed = time.monotonic() - started
        end = lines[1]
        row.peak_kib = status_kib(process.pid, "VmHWM")
        time.sleep(AFTER_SECONDS)
        row.after_kib = status_kib(process.pid, "VmRSS")
        row.peak_kib = max(row.peak_kib, status_kib(process.pid, "VmHWM"))
        if end.get("error"):
            chain = " <- ".join(end.get("chain", [])[1:])
            row.outcome = f"ended after {elapsed:.1f} s: `{end['error']}`" + (
                f" (cause: {chain})" if chain else ""
            )
        else:
            row.outcome = f"ended without an error after {elapsed:.1f} s"
        row.outcome += "; " + dropped(process, lines)
        return row
    finally:
        stop(process)
        hostile.close()


def measure_clients(args: argparse.Namespace) -> list[Row]:
    return [
        measure_client(args, "sync", "endless-event", "endless event (no newline)"),
        measure_client(args, "async", "endless-event", "endless event (no newline)"),
        measure_client(
            args, "sync", "endless-lines", "endless `data:` lines, no blank line"
        ),
        measure_client(
            args, "async", "endless-lines", "endless `data:` lines, no blank line"
        ),
        measure_client(
            args,
            "sync",
            "error-body",
            f"500 with a {HUGE_ERROR_BODY // 1000 // 1000} MB body",
        ),
    ]


# -- report ---------------------------------------------------------------------------


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def revision(package_dir: Path) -> str:
    """The git commit checked out where the package lives, the package's last change, local edits."""

    def git(*command: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(package_dir), *command],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    head = git("rev-parse", "--short", "HEAD")
    if head is None:
        return "not in a git tree"
    last = git("log", "-1", "--format=%h", "--", ".") or "unknown"
    dirty = git("status", "--porcelain", "--", ".")
    return f"checkout {head}, package last changed in {last}" + (
        ", plus uncommitted changes" if dirty else ""
    )


def table_cells(line: str) -> list[str]:
    """The cells of one Markdown table row, `\\|` kept inside a cell."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def comparison(rows: list[Row], baseline: Path) -> list[str]:
    """A table setting this run's figures beside those of an earlier run's Markdown report."""
    earlier: dict[tuple[str, ...], list[str]] = {}
    for line in baseline.read_text(encoding="utf-8").splitlines():
        cells = table_cells(line) if line.startswith("| ") else []
        if len(cells) == 8 and cells[0] in {"a", "b", "c"}:
            earlier.setdefault(tuple(cells[:3]), cells)
    table = [
        f"## Beside the earlier run ({baseline.name})",
        "",
        "| Part | Scenario | Process | Peak growth, earlier (MiB) | Peak growth, now (MiB) "
        "| 5 s after, earlier (MiB) | 5 s after, now (MiB) | Outcome, earlier | Outcome, now |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        now = row.cells()
        then = earlier.get(tuple(now[:3]), ["-"] * 8)
        table.append(
            "| " + " | ".join(
                [*now[:3], then[5], now[5], then[6], now[6], then[7], now[7]]
            ) + " |"
        )  # fmt: skip
    return [*table, ""]


def report(rows: list[Row], args: argparse.Namespace, seconds: float) -> str:
    header = [
        "Part", "Scenario", "Process", "Before (MiB)", "Peak (MiB)", "Peak growth (MiB)",
        "5 s after (MiB)", "Outcome",
    ]  # fmt: skip
    table = [
        "| " + " | ".join(header) + " |",
        "|---|---|---|---:|---:|---:|---:|---|",
        *("| " + " | ".join(row.cells()) + " |" for row in rows),
    ]
    limits = sorted(
        {"max_event_size", "max_error_body_size", "stream_idle_timeout"}
        & set(getattr(args, "client_options", []))
    )
    notes_a = [
        f"- a) each stream's handler holds a {CANVAS_BYTES // MIB} MiB canvas until its generator "
        f"ends and sends {PARTIAL_IMAGES} partial images + a completed event of "
        f"{PARTIAL_B64_CHARS // 1024} KiB each; read to the end: {FAST_INTERVAL:g} s between events; "
        f"abandoned: {SLOW_INTERVAL:g} s between events, dropped after the first."
    ]
    notes_c = [
        f"- c) killed at {KILL_RSS_KIB // 1024} MiB VmRSS or after {KILL_SECONDS:g} s. Client size "
        f"limits found: {', '.join(f'`{name}`' for name in limits) or 'none'} (left at their defaults)."
    ]
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    names = ["fastapi", "starlette", "uvicorn", "httpx", "python-multipart", "h11"]
    return "\n".join(
        [
            "# Faults bench: memory under load, abandoned streams and hostile peers",
            "",
            *table,
            "",
            *(comparison(rows, args.baseline) if args.baseline else []),
            "- Before: VmRSS after a warm-up request; peak: VmHWM (each server scenario in a fresh "
            "process); after: VmRSS 5 s after the load ended (for a client: 5 s after the call "
            "ended, the exception still held: the caller's `except ... as error`). From /proc/<pid>/status.",
            *(notes_a if "a" in args.parts else []),
            *(notes_c if "c" in args.parts else []),
            f"- Children run with MALLOC_MMAP_THRESHOLD_={MMAP_THRESHOLD} (freed large blocks go back "
            "to the system, so 'after' is what the program still holds).",
            f"- Package: {args.package_dir} ({revision(args.package_dir)}). "
            + ", ".join(f"{name} {version(name)}" for name in names)
            + f". {machine}. Load average before/after: {args.load_before} / {load_average()}. "
            f"Run took {seconds:.0f} s.",
            "",
        ]
    )


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--package-dir",
        type=Path,
        default=DEFAULT_PACKAGE_DIR,
        help="the folder holding the generated images_api package (default: generated/)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="an earlier run's report (e.g. bench/results/faults-before.md) to set beside this one",
    )
    parser.add_argument(
        "--only", default="a,b,c", help="parts to run, comma-separated (default a,b,c)"
    )
    args = parser.parse_args(argv)
    args.package_dir = args.package_dir.resolve()
    if not (args.package_dir / "images_api" / "server.py").is_file():
        parser.error(f"no images_api package in {args.package_dir}")
    args.parts = {part.strip() for part in args.only.split(",")}
    if args.baseline and not args.baseline.is_file():
        parser.error(f"no report at {args.baseline}")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["client-probe"]:
        return client_probe_main(argv[1:])
    args = parse_args(argv)
    args.load_before = load_average()
    started = time.monotonic()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp:
        args.scratch = Path(tmp)
        if "a" in args.parts:
            rows += measure_streams(args)
        if "b" in args.parts:
            rows += measure_uploads(args)
        if "c" in args.parts:
            rows += measure_clients(args)
    text = report(rows, args, time.monotonic() - started)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    log(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
