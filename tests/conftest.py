"""Shared paths and helpers of the test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
GENERATED = ROOT / "generated" / "images_api"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CODEGEN = Path(sys.executable).with_name("codegen")

# The committed package is imported as users vendor it: its folder's parent on the path.
sys.path.insert(0, str(GENERATED.parent))

# The demo app stores images on disk: the tests' own folder, not the machine's shared one.
_DEMO_IMAGES = tempfile.mkdtemp(prefix="images_demo-tests-")
os.environ.setdefault("IMAGES_DIR", _DEMO_IMAGES)

# mypy's cache, one per test process (each xdist worker imports this file anew;
# mypy's cache is not meant for concurrent writers). The generated packages have
# unique names and are checked afresh; what they import (pydantic, fastapi,
# httpx, starlette) is analysed once per process instead of once per check.
MYPY_CACHE = Path(tempfile.mkdtemp(prefix="mypy-cache-tests-"))


def mypy_strict_command(*targets: str | Path) -> list[str]:
    """`python -m mypy --strict` on `targets`, sharing this process's cache."""
    return [sys.executable, "-m", "mypy", "--strict"] + [
        f"--cache-dir={MYPY_CACHE}",
        *map(str, targets),
    ]


# The files with the longest tests, longest first (`make test` lists the slowest).
# Under xdist each file goes to one worker, in collection order: handing these
# out first keeps one long file from running alone at the end.
SLOW_FILES = (
    "test_published_specs.py",
    "test_fuzz.py",
    "test_vendoring.py",
    "test_round_trip.py",
    "test_golden.py",
    "test_fixture_specs.py",
)


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return  # one process: the usual order
    rank = {name: i for i, name in enumerate(SLOW_FILES)}
    # A stable sort: every worker gets the same order, tests keep theirs within a file.
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_DEMO_IMAGES, ignore_errors=True)
    shutil.rmtree(MYPY_CACHE, ignore_errors=True)


def run_codegen(
    *args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real console script, as users and CI run it."""
    return subprocess.run(
        [str(CODEGEN), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    """A writable copy of the images spec tree; returns its root file."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"
