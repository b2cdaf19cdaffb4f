"""Serve a spec's generated server with its mock handlers (`codegen mock`).

The package is generated into a temporary folder and imported from there, so
what answers is the very server `codegen generate` writes: requests are parsed
and checked exactly as in production, and only the handlers are canned.
"""

from __future__ import annotations

import importlib
import socket
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from .write import Files


@contextmanager
def imported_package(files: Files, package: str) -> Iterator[ModuleType]:
    """`files` written to a temporary folder as `package` and imported while the context lasts."""
    with tempfile.TemporaryDirectory(prefix="codegen-mock-") as root:
        folder = Path(root) / package
        for relative, text in files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
        _forget(package)  # an earlier import of another package of that name
        sys.path.insert(0, root)
        importlib.invalidate_caches()
        try:
            yield importlib.import_module(package)
        finally:
            sys.path.remove(root)
            _forget(package)


def mock_app(package: str) -> Any:
    """The generated server of the imported `package`, answering with its mock handlers."""
    server = importlib.import_module(f"{package}.server")
    mock = importlib.import_module(f"{package}.mock")
    return server.create_app(mock.MockHandlers(), authenticate=mock.accept_any)


def _forget(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host`:`port` (0: a free port the OS picks), for uvicorn to serve on."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock
