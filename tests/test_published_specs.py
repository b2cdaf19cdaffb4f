"""Every published spec generates a package that imports (issue 9, "Import what you generate").

The specs nobody here wrote live beside the checkout, in ../shared/specs (CI
has them there too); the project's fixture specs are checked the same way.
Each spec is generated once, in its own `codegen generate` process, and the
package is imported in a fresh interpreter with its folder on sys.path:
models, client, server (and streaming when there is one), and the server's
app is built, which is where FastAPI checks every route's parameters. No class
of models.py is numbered by the model generator (`Data1`, `Type2`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from codegen.ir import build_api
from codegen.spec import load_spec

from .conftest import CODEGEN, FIXTURES, ROOT
from .server_harness import mypy_strict

SHARED_SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"
# OpenAI's spec (3 MB) takes a minute or two on a small machine.
TIMEOUT = 900

IMPORT_EVERYTHING = """
import importlib.util
import pkg.models, pkg.client, pkg.server, pkg.mock
if importlib.util.find_spec("pkg.streaming"):
    import pkg.streaming
pkg.server.create_app(object())
"""


def is_root_spec(path: Path) -> bool:
    """A file that is an OpenAPI document itself, not a part another one refers to."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            return "openapi" in json.loads(text)
        except (ValueError, TypeError):
            return False
    return re.search(r"^['\"]?openapi['\"]?\s*:", text, re.MULTILINE) is not None


def published_specs() -> list[Path]:
    if not SHARED_SPECS.is_dir():
        return []
    files = sorted(
        p
        for p in SHARED_SPECS.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json") and p.is_file()
    )
    return [p for p in files if is_root_spec(p)]


def spec_params() -> list[object]:
    found = [
        pytest.param(p, id=p.relative_to(SHARED_SPECS).as_posix())
        for p in published_specs()
    ]
    if not found:
        found = [
            pytest.param(
                None,
                id="shared-specs",
                marks=pytest.mark.skip(
                    reason=f"the published specs are expected in {SHARED_SPECS} "
                    "(beside the checkout, as CI has them); none found"
                ),
            )
        ]
    return found + [
        pytest.param(FIXTURES / name / "openapi.yaml", id=f"fixtures/{name}")
        for name in ("library", "petstore30")
    ]


def generate(spec: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """The console script, as users run it, writing package `pkg` to `output`."""
    return subprocess.run(
        [str(CODEGEN), "generate", "--spec", str(spec), "--output", str(output)]
        + ["--package", "pkg"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


Generation = tuple[Path, subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def generated_once(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Path], Generation]:
    """`spec` -> (package folder, its `codegen generate` run), generated once per module.

    The import test and the mypy test check the same package: generating a spec
    twice (OpenAI's takes a minute or more) would only repeat the work.
    """
    done: dict[Path, Generation] = {}

    def generated(spec: Path) -> Generation:
        if spec not in done:
            output = tmp_path_factory.mktemp("published") / "pkg"
            done[spec] = (output, generate(spec, output))
        return done[spec]

    return generated


@pytest.mark.parametrize("spec", spec_params())
def test_spec_generates_a_package_that_imports(
    spec: Path, generated_once: Callable[[Path], Generation]
) -> None:
    output, generated = generated_once(spec)
    assert generated.returncode == 0, generated.stderr[-3000:]
    assert "Traceback" not in generated.stderr
    imported = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=output.parent,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert imported.returncode == 0, imported.stderr[-3000:]
    assert "Traceback" not in imported.stderr
    models = (output / "models.py").read_text(encoding="utf-8")
    assert numbered_classes(models) <= model_names(spec), (
        "numbered by the model generator"
    )


def numbered_classes(source: str) -> set[str]:
    return set(re.findall(r"^class (\w*\d)\b", source, re.MULTILINE))


def model_names(spec: Path) -> set[str]:
    """The names the IR gives models: those may end in a digit the spec wrote."""
    return {model.name for model in build_api(load_spec(spec)).models}


def typecheck_params() -> list[object]:
    """The small published specs (OpenAI's is checked by bench/bench_typecheck.py)."""
    return [
        pytest.param(p, id=p.relative_to(SHARED_SPECS).as_posix())
        for p in published_specs()
        if p.parent.name != "openai"
    ] + [
        pytest.param(FIXTURES / name / "openapi.yaml", id=f"fixtures/{name}")
        for name in ("library", "petstore30")
    ]


@pytest.mark.parametrize("spec", typecheck_params())
def test_generated_package_passes_mypy_strict(
    spec: Path, generated_once: Callable[[Path], Generation]
) -> None:
    output, generated = generated_once(spec)
    assert generated.returncode == 0, generated.stderr[-3000:]
    checked = mypy_strict(output)
    assert checked.returncode == 0, checked.stdout[-3000:]
