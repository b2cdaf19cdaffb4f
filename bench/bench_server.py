"""Benchmark: the generated images_api server next to hand-written FastAPI routes doing the same work.

What is measured
    1. Throughput. Requests per second that one uvicorn worker serving an app
       answers on 127.0.0.1, for
         - POST /v1/images/generations with a small JSON body, and
         - POST /v1/images/variations with a multipart body (`model` field and a
           10 KiB `image` file),
       each with an `Authorization: Bearer` header. The generated app is
       `images_api.server.create_app` with no-op handlers (a fixed small
       `ImageGenerationResponse`; the variation handler puts the byte count it
       received into `id`) and an `authenticate` hook that accepts the token.
       The hand-written app is plain FastAPI: the JSON route takes the same
       `ImageGenerationRequest` model as a body parameter, the multipart route
       takes `Form`/`UploadFile` parameters and reads the file (in 1 MiB
       chunks: one read for 10 KiB); both check the bearer header themselves
       and return the same response model (`response_model_exclude_unset`, so
       both send the same bytes).
       Reported: median requests/s over the rounds, p50/p99 latency (median over
       the rounds), the server's CPU use during the run, and generated /
       hand-written (> 1: the generated app answers more requests).
    2. A 20 MiB upload. POST /v1/images/edits with `model`, `prompt` and a
       20 MiB `image` file of random bytes, N times (`--uploads`, default 5),
       one at a time. The handler answers with the byte count it received in
       `id`, which the client checks. Reported: the client-observed wall time
       (median and every run) and the server process's peak resident memory,
       VmHWM from /proc/<pid>/status, read after one small warm-up upload and
       again after the N uploads. The generated app is set against two
       hand-written routes: one counting the `UploadFile` in 1 MiB chunks
       (the file never is in memory whole) and one calling `await image.read()`
       (the whole file as bytes, as the generated server hands it over).

How
    Every app runs in its own subprocess: `python -m uvicorn bench_server:<factory>
    --factory --workers 1 --log-level warning --no-access-log` on a free port of
    127.0.0.1, uvicorn's default loop and HTTP implementation (whatever this
    venv has; reported). On a machine with at least two CPUs the servers are
    pinned to CPU 0 and the load generator and this script to CPU 1, so client
    and server do not take turns on one core.
    Load comes from a separate process: `wrk` (one thread, `--concurrency`
    connections, default 32, a small Lua script for method, headers, body and a
    one-line JSON summary) when it is on PATH, else an httpx-based async client
    started as `python bench/bench_server.py load-client ...` with the same
    fixed concurrency. Before timing, one request per app and route is checked
    (status 200, and both apps answer the same JSON), and each app gets an
    untimed warm-up run (2 s; 1 s with --quick). The timed runs alternate
    between the apps, `--rounds` of them (default 3; 1 with --quick), each
    lasting `--duration` seconds (default 10; 3 with --quick).
    The upload servers are fresh processes, so their peak memory owes nothing
    to the throughput runs; the N uploads alternate between the apps.
    Every subprocess is ended (terminate, then kill) when the script leaves,
    and every wait is bounded.

Output
    A Markdown table per part on stdout, also written to
    bench/results/server.md; progress goes to stderr. Nothing is asserted
    about the times.

Usage
    python bench/bench_server.py [--quick] [--duration S] [--rounds N]
                                 [--uploads N] [--concurrency C]
                                 [--client auto|wrk|httpx]

This file is also the module the server subprocesses import (`bench_server`),
so it imports only the standard library at the top; FastAPI, the generated
package and httpx are imported where they are used. It has no
`from __future__ import annotations`: FastAPI reads the hand-written routes'
parameter annotations, which name types imported inside the factory.
"""

import argparse
import asyncio
import contextlib
import functools
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
GENERATED_DIR = PROJECT_DIR / "generated"
RESULTS_FILE = BENCH_DIR / "results" / "server.md"

HOST = "127.0.0.1"
TOKEN = "bench-token"
SEED = 20240611
SERVER_CPU = 0
CLIENT_CPU = 1

GENERATION_BODY = {
    "model": "openai/gpt-image-1",
    "prompt": "A watercolor fox in a snowy forest",
    "n": 1,
    "size": "1024x1024",
}
VARIATION_IMAGE_BYTES = 10 * 1024
UPLOAD_IMAGE_BYTES = 20 * 1024 * 1024
WARMUP_UPLOAD_BYTES = 10 * 1024
COUNT_CHUNK = 1024 * 1024

STARTUP_TIMEOUT = 30.0  # seconds for a server to answer its first request
STOP_TIMEOUT = 10.0  # seconds between terminate and kill
REQUEST_TIMEOUT = 120.0  # seconds for one checked request or one upload
LOAD_SLACK = 60.0  # seconds a load run may take beyond its duration


# -- the apps (built inside the uvicorn subprocesses) -------------------------


def _response_dict(received: int | None = None) -> dict[str, Any]:
    """The small response both apps send; `received` goes into `id` when given."""
    return {
        "id": "img-bench" if received is None else f"received-{received}",
        "created": 1700000000,
        "model": "openai/gpt-image-1",
        "data": [{"url": "https://example.com/bench.png", "revised_prompt": "a fox"}],
    }


def generated_app() -> Any:
    """The generated server with no-op handlers and an accepting `authenticate`."""
    from images_api.models import ImageGenerationResponse
    from images_api.server import Credentials, RequestContext, create_app

    fixed = ImageGenerationResponse.model_validate(_response_dict())

    class BenchHandlers:
        async def image_generation(
            self, body: Any, context: RequestContext
        ) -> ImageGenerationResponse:
            return fixed

        def image_generation_stream(self, body: Any, context: RequestContext) -> Any:
            raise NotImplementedError

        async def image_edit(
            self, body: Any, context: RequestContext
        ) -> ImageGenerationResponse:
            received = len(body.image or b"")
            return ImageGenerationResponse.model_validate(_response_dict(received))

        def image_edit_stream(self, body: Any, context: RequestContext) -> Any:
            raise NotImplementedError

        async def image_variation(
            self, body: Any, context: RequestContext
        ) -> ImageGenerationResponse:
            received = len(body.image or b"")
            return ImageGenerationResponse.model_validate(_response_dict(received))

    async def authenticate(credentials: Credentials) -> Any:
        return "bench-user" if credentials.secret == TOKEN else None

    return create_app(BenchHandlers(), authenticate=authenticate)


def _handwritten(read_whole_upload: bool) -> Any:
    from typing import Annotated

    from fastapi import FastAPI, File, Form, Header, HTTPException, UploadFile
    from images_api.models import ImageGenerationRequest, ImageGenerationResponse

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    fixed = ImageGenerationResponse.model_validate(_response_dict())

    def check_bearer(authorization: str | None) -> None:
        kind, _, token = (authorization or "").partition(" ")
        if kind.lower() != "bearer" or token.strip() != TOKEN:
            raise HTTPException(401, "The credentials are not valid.")

    async def received_bytes(upload: UploadFile) -> int:
        if read_whole_upload:
            return len(await upload.read())
        total = 0
        while chunk := await upload.read(COUNT_CHUNK):
            total += len(chunk)
        return total

    @app.post(
        "/v1/images/generations",
        response_model=ImageGenerationResponse,
        response_model_exclude_unset=True,
    )
    async def image_generation(
        body: ImageGenerationRequest,
        authorization: Annotated[str | None, Header()] = None,
    ) -> ImageGenerationResponse:
        check_bearer(authorization)
        return fixed

    @app.post(
        "/v1/images/variations",
        response_model=ImageGenerationResponse,
        response_model_exclude_unset=True,
    )
    async def image_variation(
        model: Annotated[str, Form()],
        image: Annotated[UploadFile, File()],
        authorization: Annotated[str | None, Header()] = None,
    ) -> ImageGenerationResponse:
        check_bearer(authorization)
        received = await received_bytes(image)
        return ImageGenerationResponse.model_validate(_response_dict(received))

    @app.post(
        "/v1/images/edits",
        response_model=ImageGenerationResponse,
        response_model_exclude_unset=True,
    )
    async def image_edit(
        model: Annotated[str, Form()],
        prompt: Annotated[str, Form()],
        image: Annotated[UploadFile, File()],
        authorization: Annotated[str | None, Header()] = None,
    ) -> ImageGenerationResponse:
        check_bearer(authorization)
        received = await received_bytes(image)
        return ImageGenerationResponse.model_validate(_response_dict(received))

    return app


def handwritten_app() -> Any:
    """Plain FastAPI; an upload is counted in chunks, never read whole."""
    return _handwritten(read_whole_upload=False)


def handwritten_read_app() -> Any:
    """Plain FastAPI; an upload is read whole with `await image.read()`."""
    return _handwritten(read_whole_upload=True)


@dataclass(frozen=True)
class App:
    key: str
    factory: str  # a function of this module that uvicorn calls (--factory)
    label: str


GENERATED = App("generated", "generated_app", "generated (`create_app`)")
HANDWRITTEN = App("handwritten", "handwritten_app", "hand-written FastAPI")
HANDWRITTEN_CHUNKED = App(
    "handwritten", "handwritten_app", "hand-written, `UploadFile` counted in chunks"
)
HANDWRITTEN_READ = App(
    "handwritten-read",
    "handwritten_read_app",
    "hand-written, `UploadFile` + `await read()`",
)


# -- requests ------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    content_type: str
    body: bytes
    expected_id: str  # the `id` the answer must carry

    @property
    def slug(self) -> str:
        return self.path.strip("/").replace("/", "-")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}", "Content-Type": self.content_type}


def multipart(
    fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, str]:
    """A multipart/form-data body and its content type; files as (name, filename, data)."""
    boundary = f"----bench-boundary-{SEED}-{len(files)}"
    marker = f"--{boundary}".encode()
    parts: list[bytes] = []
    for name, value in fields:
        parts += [
            marker,
            b"\r\n",
            f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode(),
            value.encode(),
            b"\r\n",
        ]
    for name, filename, data in files:
        if marker in data:
            raise ValueError("the random file holds the multipart boundary")
        parts += [
            marker,
            b"\r\n",
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode(),
            b"Content-Type: image/png\r\n\r\n",
            data,
            b"\r\n",
        ]
    parts += [marker, b"--\r\n"]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def random_bytes(size: int, salt: int) -> bytes:
    return random.Random(SEED + salt).randbytes(size)


def generation_scenario() -> Scenario:
    body = json.dumps(GENERATION_BODY).encode()
    return Scenario(
        "JSON: POST /v1/images/generations",
        "/v1/images/generations",
        "application/json",
        body,
        "img-bench",
    )


def variation_scenario() -> Scenario:
    image = random_bytes(VARIATION_IMAGE_BYTES, 1)
    body, content_type = multipart(
        [("model", "openai/dall-e-2")], [("image", "fox.png", image)]
    )
    return Scenario(
        f"multipart: POST /v1/images/variations ({VARIATION_IMAGE_BYTES // 1024} KiB image)",
        "/v1/images/variations",
        content_type,
        body,
        f"received-{VARIATION_IMAGE_BYTES}",
    )


def edit_scenario(image_bytes: int) -> Scenario:
    image = random_bytes(image_bytes, 2)
    body, content_type = multipart(
        [("model", "openai/gpt-image-1"), ("prompt", "Add a red scarf to the fox")],
        [("image", "fox.png", image)],
    )
    return Scenario(
        f"multipart: POST /v1/images/edits ({image_bytes} B image)",
        "/v1/images/edits",
        content_type,
        body,
        f"received-{image_bytes}",
    )


# -- server processes --------------------------------------------------------------


@functools.cache
def pinning() -> bool:
    """Whether servers and clients get CPUs of their own (two CPUs or more).

    Decided once, before this script pins itself to the client's CPU.
    """
    try:
        return len(os.sched_getaffinity(0)) >= 2 and {SERVER_CPU, CLIENT_CPU} <= (
            os.sched_getaffinity(0)
        )
    except (AttributeError, OSError):
        return False


def pin_to(cpu: int) -> Callable[[], None] | None:
    """A preexec_fn that pins the child to `cpu`, or None when not pinning."""
    if not pinning():
        return None
    return lambda: os.sched_setaffinity(0, {cpu})


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(GENERATED_DIR), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["PYTHONUNBUFFERED"] = "1"
    return env


def uvicorn_command(app: App, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", f"bench_server:{app.factory}", "--factory",
        "--app-dir", str(BENCH_DIR), "--host", HOST, "--port", str(port),
        "--workers", "1", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip


@dataclass
class Server:
    app: App
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def status_kib(self, key: str) -> int:
        """A `kB` line of /proc/<pid>/status, e.g. VmHWM or VmRSS."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
        raise KeyError(key)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""


def wait_ready(server: Server) -> None:
    """Until the server answers HTTP at all (a 404 will do), bounded."""
    import httpx

    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.app.key} server exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            httpx.get(server.url + "/ready", timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{server.app.key} server did not start in {STARTUP_TIMEOUT} s"
                ) from None
            time.sleep(0.05)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)


@contextlib.contextmanager
def serving(apps: list[App], scratch: Path) -> Iterator[list[Server]]:
    """One uvicorn subprocess per app while the context lasts; all ended on leaving."""
    servers: list[Server] = []
    with contextlib.ExitStack() as stack:
        try:
            for app in apps:
                port = free_port()
                log = scratch / f"{app.key}-{port}.log"
                out = stack.enter_context(log.open("wb"))
                process = subprocess.Popen(
                    uvicorn_command(app, port),
                    env=server_env(),
                    cwd=scratch,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    preexec_fn=pin_to(SERVER_CPU),
                )
                servers.append(Server(app, process, port, log))
            for server in servers:
                wait_ready(server)
            yield servers
        finally:
            for server in servers:
                stop(server.process)


# -- checks ----------------------------------------------------------------------


def post(server: Server, scenario: Scenario, **headers: str) -> tuple[int, Any]:
    import httpx

    response = httpx.post(
        server.url + scenario.path,
        content=scenario.body,
        headers={**scenario.headers(), **headers},
        timeout=REQUEST_TIMEOUT,
    )
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, response.text


def check(servers: list[Server], scenario: Scenario) -> None:
    """Each app answers `scenario` with 200, the expected `id`, and the same JSON; 401 without token."""
    answers = {}
    for server in servers:
        status, body = post(server, scenario)
        if (
            status != 200
            or not isinstance(body, dict)
            or body.get("id") != scenario.expected_id
        ):
            raise RuntimeError(
                f"{server.app.key} answered {scenario.name} with {status}: {str(body)[:500]}\n{server.log_tail()}"
            )
        answers[server.app.key] = body
        refused, _ = post(server, scenario, Authorization=f"Bearer not-{TOKEN}")
        if refused != 401:
            raise RuntimeError(
                f"{server.app.key} answered {scenario.name} with a wrong token: {refused}"
            )
    if len({json.dumps(body, sort_keys=True) for body in answers.values()}) > 1:
        raise RuntimeError(f"the apps answer {scenario.name} differently: {answers}")


# -- load generation ---------------------------------------------------------------


@dataclass
class LoadRun:
    requests: int
    seconds: float
    errors: int  # connection errors, timeouts and non-2xx answers
    p50_ms: float | None
    p99_ms: float | None
    server_cpu: float  # share of one CPU the server used during the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


WRK_SCRIPT = """\
wrk.method = "POST"
wrk.headers["Content-Type"] = {content_type}
wrk.headers["Authorization"] = {authorization}
local f = assert(io.open({body_file}, "rb"))
wrk.body = f:read("*a")
f:close()

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {{"requests": %d, "seconds": %.6f, "errors": %d, "p50_ms": %.3f, "p99_ms": %.3f}}\\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a double-quoted JSON string is a valid Lua string here


def wrk_command(
    url: str, scenario: Scenario, scratch: Path, concurrency: int, seconds: float
) -> list[str]:
    body_file = scratch / f"body-{scenario.slug}.bin"
    body_file.write_bytes(scenario.body)
    script = scratch / f"wrk-{scenario.slug}.lua"
    script.write_text(
        WRK_SCRIPT.format(
            content_type=lua_string(scenario.content_type),
            authorization=lua_string(f"Bearer {TOKEN}"),
            body_file=lua_string(str(body_file)),
        )
    )
    return [
        "wrk", "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(script), url + scenario.path,
    ]  # fmt: skip


def httpx_command(
    url: str, scenario: Scenario, scratch: Path, concurrency: int, seconds: float
) -> list[str]:
    body_file = scratch / f"body-{scenario.slug}.bin"
    body_file.write_bytes(scenario.body)
    return [
        sys.executable, str(Path(__file__).resolve()), "load-client",
        "--url", url + scenario.path, "--body-file", str(body_file),
        "--content-type", scenario.content_type, "--concurrency", str(concurrency),
        "--duration", str(seconds),
    ]  # fmt: skip


def run_load(
    client: str,
    server: Server,
    scenario: Scenario,
    scratch: Path,
    concurrency: int,
    seconds: float,
) -> LoadRun:
    build = wrk_command if client == "wrk" else httpx_command
    command = build(server.url, scenario, scratch, concurrency, seconds)
    cpu_before, wall_before = server.cpu_seconds(), time.perf_counter()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=seconds + LOAD_SLACK,
        preexec_fn=pin_to(CLIENT_CPU),
    )
    wall = time.perf_counter() - wall_before
    cpu = server.cpu_seconds() - cpu_before
    line = next(
        (out for out in done.stdout.splitlines() if out.startswith("BENCH_JSON ")),
        None,
    )
    if done.returncode != 0 or line is None:
        raise RuntimeError(
            f"{client} failed ({done.returncode}): {done.stderr[-1000:]}{done.stdout[-1000:]}"
        )
    summary = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadRun(
        summary["requests"],
        summary["seconds"],
        summary["errors"],
        summary.get("p50_ms"),
        summary.get("p99_ms"),
        cpu / wall,
    )


def load_client_main(argv: list[str]) -> int:
    """The httpx load generator: fixed concurrency, fixed duration, one JSON line out."""
    parser = argparse.ArgumentParser(prog="bench_server.py load-client")
    parser.add_argument("--url", required=True)
    parser.add_argument("--body-file", type=Path, required=True)
    parser.add_argument("--content-type", required=True)
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--duration", type=float, required=True)
    args = parser.parse_args(argv)
    summary = asyncio.run(
        httpx_load(
            args.url,
            args.body_file.read_bytes(),
            args.content_type,
            args.concurrency,
            args.duration,
        )
    )
    print("BENCH_JSON " + json.dumps(summary), flush=True)
    return 0


async def httpx_load(
    url: str, body: bytes, content_type: str, concurrency: int, seconds: float
) -> dict[str, Any]:
    import httpx

    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type}
    latencies: list[float] = []
    errors = 0
    start = time.perf_counter()
    deadline = start + seconds

    # One client (one keep-alive connection) per worker: a single client's
    # shared pool gets much slower with many requests waiting on it.
    async def worker() -> None:
        nonlocal errors
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(limits=limits, timeout=10.0) as client:
            while time.perf_counter() < deadline:
                sent = time.perf_counter()
                try:
                    response = await client.post(url, content=body, headers=headers)
                    ok = response.is_success
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - sent)
                errors += not ok

    await asyncio.wait_for(
        asyncio.gather(*(worker() for _ in range(concurrency))), seconds + 30
    )
    elapsed = time.perf_counter() - start
    latencies.sort()

    def percentile(p: float) -> float | None:
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "errors": errors,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
    }


# -- part 1: throughput ---------------------------------------------------------------


@dataclass
class Throughput:
    scenario: Scenario
    app: App
    runs: list[LoadRun] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return statistics.median(run.rps for run in self.runs)

    def median_of(self, name: str) -> float | None:
        values = [getattr(run, name) for run in self.runs]
        return None if None in values else statistics.median(values)


def measure_throughput(args: argparse.Namespace, scratch: Path) -> list[Throughput]:
    scenarios = [generation_scenario(), variation_scenario()]
    results = []
    with serving([GENERATED, HANDWRITTEN], scratch) as servers:
        for scenario in scenarios:
            check(servers, scenario)
            for server in servers:
                log(f"{scenario.name}: warm-up of {server.app.key} ({args.warmup} s)")
                run_load(
                    args.client,
                    server,
                    scenario,
                    scratch,
                    args.concurrency,
                    args.warmup,
                )
            group = [Throughput(scenario, server.app) for server in servers]
            for round_ in range(1, args.rounds + 1):
                for server, result in zip(servers, group):
                    run = run_load(
                        args.client,
                        server,
                        scenario,
                        scratch,
                        args.concurrency,
                        args.duration,
                    )
                    log(
                        f"{scenario.name}: round {round_}/{args.rounds} {server.app.key}: "
                        f"{run.rps:.0f} rps, p50 {ms(run.p50_ms)} ms, p99 {ms(run.p99_ms)} ms, "
                        f"server CPU {run.server_cpu:.0%}, errors {run.errors}"
                    )
                    result.runs.append(run)
            results += group
    return results


# -- part 2: a 20 MiB upload ------------------------------------------------------------


@dataclass
class Upload:
    app: App
    times: list[float] = field(default_factory=list)
    hwm_before_kib: int = 0
    hwm_after_kib: int = 0
    rss_after_kib: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def growth_kib(self) -> int:
        return self.hwm_after_kib - self.hwm_before_kib


def timed_upload(server: Server, scenario: Scenario) -> float:
    start = time.perf_counter()
    status, body = post(server, scenario)
    elapsed = time.perf_counter() - start
    if (
        status != 200
        or not isinstance(body, dict)
        or body.get("id") != scenario.expected_id
    ):
        raise RuntimeError(
            f"{server.app.key} answered the upload with {status}: {str(body)[:500]}"
        )
    return elapsed


def measure_uploads(args: argparse.Namespace, scratch: Path) -> list[Upload]:
    warmup = edit_scenario(WARMUP_UPLOAD_BYTES)
    upload = edit_scenario(UPLOAD_IMAGE_BYTES)
    apps = [GENERATED, HANDWRITTEN_CHUNKED, HANDWRITTEN_READ]
    with serving(apps, scratch) as servers:
        check(servers, warmup)  # also the warm-up: imports, first form parse
        results = [Upload(server.app) for server in servers]
        for server, result in zip(servers, results):
            result.hwm_before_kib = server.status_kib("VmHWM")
        for number in range(1, args.uploads + 1):
            for server, result in zip(servers, results):
                result.times.append(timed_upload(server, upload))
                log(
                    f"upload {number}/{args.uploads} to {server.app.key}: {result.times[-1]:.3f} s"
                )
        for server, result in zip(servers, results):
            result.hwm_after_kib = server.status_kib("VmHWM")
            result.rss_after_kib = server.status_kib("VmRSS")
    return results


# -- report ----------------------------------------------------------------------------------


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def throughput_table(results: list[Throughput]) -> str:
    rows = [
        "| Scenario | App | Median req/s | generated / hand-written | p50 (ms) | p99 (ms) | Server CPU | Rounds (req/s) | Errors |",
        "|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for scenario in dict.fromkeys(r.scenario for r in results):
        group = [r for r in results if r.scenario == scenario]
        generated = next(r for r in group if r.app is GENERATED)
        for result in group:
            rounds = " ".join(f"{run.rps:.0f}" for run in result.runs)
            cpu = statistics.median(run.server_cpu for run in result.runs)
            rows.append(
                f"| {scenario.name} | {result.app.label} | {result.rps:.0f} | "
                f"{generated.rps / result.rps:.2f} | {ms(result.median_of('p50_ms'))} | "
                f"{ms(result.median_of('p99_ms'))} | {cpu:.0%} | {rounds} | "
                f"{sum(run.errors for run in result.runs)} |"
            )
    return "\n".join(rows)


def upload_table(results: list[Upload]) -> str:
    rows = [
        "| App | Median wall (s) | Runs (s) | generated / this (time) | VmHWM before (MiB) | VmHWM after (MiB) | Peak growth (MiB) | generated / this (peak growth) | VmRSS after (MiB) |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    generated = next(r for r in results if r.app is GENERATED)
    for result in results:
        growth_ratio = (
            f"{generated.growth_kib / result.growth_kib:.2f}"
            if result.growth_kib > 0
            else "n/a"
        )
        rows.append(
            f"| {result.app.label} | {result.median:.3f} | "
            f"{' '.join(f'{t:.3f}' for t in result.times)} | "
            f"{generated.median / result.median:.2f} | {mib(result.hwm_before_kib)} | "
            f"{mib(result.hwm_after_kib)} | {mib(result.growth_kib)} | {growth_ratio} | "
            f"{mib(result.rss_after_kib)} |"
        )
    return "\n".join(rows)


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> str:
    names = [
        "fastapi",
        "starlette",
        "pydantic",
        "uvicorn",
        "python-multipart",
        "uvloop",
        "httptools",
    ]
    return ", ".join(f"{name} {version(name)}" for name in names)


def client_version(client: str) -> str:
    if client == "wrk":
        done = subprocess.run(
            ["wrk", "--version"], capture_output=True, text=True, timeout=10
        )
        return (done.stdout + done.stderr).split("Copyright")[0].strip() or "wrk"
    return f"httpx {version('httpx')} async client (`bench_server.py load-client`)"


def codegen_revision() -> str:
    """The project's git commit, marked when the generated package differs from it."""
    git = ["git", "-C", str(PROJECT_DIR)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "generated"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + (
        " + uncommitted changes" if dirty.stdout.strip() else ""
    )


def report(
    throughput: list[Throughput],
    uploads: list[Upload],
    args: argparse.Namespace,
    revision: str,
) -> str:
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    pinned = (
        f"servers pinned to CPU {SERVER_CPU}, load generator and this script to CPU {CLIENT_CPU}"
        if pinning()
        else "no CPU pinning (fewer than two CPUs available)"
    )
    return "\n".join(
        [
            "# Server cost: generated images_api vs hand-written FastAPI",
            "",
            "## Throughput, one uvicorn worker",
            "",
            throughput_table(throughput),
            "",
            f"- Load: {client_version(args.client)}, one thread, {args.concurrency} keep-alive connections "
            "(in flight at once), "
            f"{args.rounds} timed round(s) of {args.duration:g} s per app (the apps alternate), "
            f"after one untimed warm-up of {args.warmup:g} s each; median over the rounds.",
            "- generated / hand-written > 1: the generated app answers more requests per second. "
            "Server CPU: the server's user + system time over the run's wall time (100% = one core busy); "
            "well below 100%, the load generator rather than the server set the pace.",
            "- Generated: `create_app(handlers, authenticate=...)`, no-op handlers. Hand-written: FastAPI "
            "body parameter `ImageGenerationRequest` (JSON) or `Form` + `UploadFile`, read in 1 MiB chunks (multipart), "
            "`Authorization` header checked by hand, `response_model=ImageGenerationResponse`, "
            "`response_model_exclude_unset=True`. Both answer the same JSON (checked before timing).",
            "",
            f"## A {UPLOAD_IMAGE_BYTES // (1024 * 1024)} MiB upload on POST /v1/images/edits",
            "",
            upload_table(uploads),
            "",
            f"- {args.uploads} uploads per app, one at a time, alternating between the apps; wall time as "
            "the client (httpx, this script) sees it, request sent to answer read. The handler answers "
            "with the byte count it received, which is checked.",
            "- VmHWM (peak resident memory) of the uvicorn process from /proc/<pid>/status: before = after "
            f"one {WARMUP_UPLOAD_BYTES // 1024} KiB warm-up upload, after = after the {args.uploads} uploads; "
            "peak growth = after - before. Each app in a fresh process, separate from the throughput runs.",
            "- generated / this > 1: the generated app takes longer, or its peak grew more. "
            "Starlette spools an uploaded file to a temporary file on disk above 1 MiB, "
            "which does not count in the process's resident memory.",
            "",
            "## Setup",
            "",
            f"- Each app: `python -m uvicorn bench_server:<factory> --factory --workers 1 --log-level warning "
            f"--no-access-log` on {HOST}, its own subprocess; {pinned}.",
            f"- {versions()} (uvicorn picks uvloop and httptools only when installed).",
            f"- Generated package: commit {revision}. Machine: {machine}; load average "
            f"{args.load_before} before the runs, {args.load_after} after (other work on the "
            "machine competes for the same two CPUs).",
            "",
        ]
    )


# -- main ----------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 s runs, one round, 1 s warm-up"
    )
    parser.add_argument(
        "--duration", type=float, help="seconds per timed run (default 10)"
    )
    parser.add_argument(
        "--rounds", type=int, help="timed runs per app and route (default 3)"
    )
    parser.add_argument(
        "--uploads", type=int, default=5, help="20 MiB uploads per app (default 5)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        help="open connections of the load generator (default 32)",
    )
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "httpx"],
        default="auto",
        help="load generator: wrk when on PATH (auto), or the httpx one",
    )
    args = parser.parse_args(argv)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.warmup = 1.0 if args.quick else 2.0
    if args.client == "auto":
        args.client = "wrk" if shutil.which("wrk") else "httpx"
    elif args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not on PATH")
    if args.duration < 1 or args.rounds < 1 or args.uploads < 1 or args.concurrency < 1:
        parser.error(
            "--duration, --rounds, --uploads and --concurrency must be at least 1"
        )
    return args


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    try:
        return " / ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["load-client"]:
        return load_client_main(argv[1:])
    args = parse_args(argv)
    revision = codegen_revision()
    args.load_before = load_average()
    if pinning():
        os.sched_setaffinity(0, {CLIENT_CPU})
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        scratch = Path(tmp)
        throughput = measure_throughput(args, scratch)
        uploads = measure_uploads(args, scratch)
    args.load_after = load_average()
    text = report(throughput, uploads, args, revision)
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(text)
    log(f"written to {RESULTS_FILE.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
