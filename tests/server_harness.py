"""Helpers to exercise generated servers over real HTTP.

`serve(app)` runs an ASGI app with uvicorn on a free loopback port in a
background thread and yields its base URL; `generated_package(spec, folder)`
generates a package from a spec into a folder and imports it under a unique
name for as long as the context lasts.
"""

from __future__ import annotations

import importlib
import json
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import uvicorn

from codegen.pipeline import generate_package

from .conftest import mypy_strict_command

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0


@contextmanager
def serve(
    app: Any, *, startup_timeout: float = STARTUP_TIMEOUT, lifespan: str = "off"
) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 while the context lasts; yields `http://127.0.0.1:<port>`.

    `lifespan="on"` runs the app's startup and shutdown, as uvicorn does by default.

    The port is the one the OS picks for a socket bound to port 0, and that very
    socket is handed to uvicorn, so no other process can take the port between
    the pick and the start.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        host=HOST,
        port=port,
        lifespan=lifespan,
        log_level="warning",
        access_log=False,
        # Open streams must not hold the teardown for long.
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run,
        kwargs={"sockets": [sock]},
        name=f"uvicorn-{port}",
        daemon=True,
    )
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError(f"uvicorn on port {port} stopped before starting")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"uvicorn on port {port} did not start in {startup_timeout} s"
                )
            time.sleep(0.01)
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT)
        sock.close()
        if thread.is_alive():
            raise RuntimeError(f"uvicorn on port {port} did not stop")


@dataclass(frozen=True)
class GeneratedPackage:
    """A package generated from a spec and importable while its context lasts."""

    name: str
    folder: Path
    files: dict[str, str]

    def module(self, submodule: str) -> ModuleType:
        """`server` -> the imported `<name>.server`."""
        return importlib.import_module(f"{self.name}.{submodule}")


@contextmanager
def generated_package(
    spec: Path, root: Path, *, stem: str = "pkg"
) -> Iterator[GeneratedPackage]:
    """Generate `spec` into `root/<stem>_<unique>` and import it from there.

    The unique name keeps it apart from any other import of the same spec; on
    exit `root` leaves sys.path and the package's modules leave sys.modules.
    """
    name = f"{stem}_{uuid.uuid4().hex[:10]}"
    files = generate_package(spec, name)
    folder = root / name
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield GeneratedPackage(name, folder, dict(files))
    finally:
        sys.path.remove(str(root))
        _forget_modules(name)


def _forget_modules(prefix: str) -> None:
    for name in [m for m in sys.modules if m == prefix or m.startswith(prefix + ".")]:
        del sys.modules[name]


def mypy_strict(package: Path, *scripts: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` on a generated package folder (and scripts beside it), imported as users vendor it."""
    return subprocess.run(
        mypy_strict_command(package.name, *(script.name for script in scripts)),
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def pyright_strict(
    package: Path, *scripts: Path
) -> subprocess.CompletedProcess[str] | None:
    """pyright in strict mode on a generated package folder (and scripts beside it).

    None when pyright cannot run on this machine (its PyPI package bundles
    pyright but needs a Node.js, from the `nodejs` extra): the caller says so
    and still relies on mypy.
    """
    pyright = Path(sys.executable).with_name("pyright")
    if not pyright.exists():
        return None
    config = {
        "include": [package.name, *(script.name for script in scripts)],
        "typeCheckingMode": "strict",
        "pythonVersion": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    (package.parent / "pyrightconfig.json").write_text(json.dumps(config))
    try:
        result = subprocess.run(
            [str(pyright), "--pythonpath", sys.executable, "--outputjson"],
            cwd=package.parent,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        json.loads(result.stdout)
    except json.JSONDecodeError:
        return None  # pyright did not start (no Node.js): no report to read
    return result


def pyright_errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    """`FILE:LINE: message` of each error in pyright's JSON report."""
    report = json.loads(result.stdout)
    return [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: {d['message']}"
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
