"""Living with generated code: CI output, pre-commit, vendoring, installing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import pytest
from pre_commit.clientlib import load_manifest

from codegen.pipeline import generate_package

from .conftest import ROOT, SPEC, run_codegen

PACKAGE = "acme_images"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The images package generated under another name, as a user vendors it."""
    folder = tmp_path_factory.mktemp("generated") / PACKAGE
    folder.mkdir()
    for name, text in generate_package(SPEC, PACKAGE).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def run_python(
    code: str, *, python: str = sys.executable, path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return subprocess.run(
        [python, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=path or "/",
    )


def test_check_names_files_from_the_repository_root_and_sums_up(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "spec", repo / "spec")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
    assert (
        run_codegen(
            "generate",
            "--spec",
            "spec/openapi.yaml",
            "--output",
            "gen/pkg",
            "--package",
            "pkg",
            cwd=repo,
        ).returncode
        == 0
    )
    schemas = repo / "spec" / "schemas" / "inference" / "images.yaml"
    schemas.write_text(
        schemas.read_text().replace(
            "    revised_prompt:\n",
            "    caption:\n      type: string\n    revised_prompt:\n",
            1,
        )
    )

    # Run from a subfolder, as a CI step or pre-commit may.
    result = run_codegen(
        "check",
        "--spec",
        "../spec/openapi.yaml",
        "--output",
        "../gen/pkg",
        "--package",
        "pkg",
        cwd=repo / "spec",
    )

    assert result.returncode == 1
    assert "--- a/gen/pkg/models.py\n+++ b/gen/pkg/models.py\n" in result.stdout
    assert "--- a/gen/pkg/openapi.json\n" in result.stdout
    assert "../" not in result.stdout.split("\n@@")[0]
    assert result.stderr.strip() == (
        "codegen check: gen/pkg is out of date with spec/openapi.yaml: 4 files differ "
        "(4 changed, 0 added, 0 removed): .codegen.json, mock.json, models.py, openapi.json. "
        "Run `codegen generate` and commit the result."
    )
    # The diff is a patch git can apply to bring the folder in sync.
    patch = tmp_path / "sync.patch"
    patch.write_text(result.stdout)
    applied = subprocess.run(
        ["git", "apply", str(patch)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert applied.returncode == 0, applied.stderr
    assert (
        run_codegen(
            "check",
            "--spec",
            "spec/openapi.yaml",
            "--output",
            "gen/pkg",
            "--package",
            "pkg",
            cwd=repo,
        ).returncode
        == 0
    )


def test_pre_commit_hook_definition_is_valid() -> None:
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "codegen-check"
    assert hook["entry"] == "codegen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    # What pre-commit installs is this project, and its console script is the entry.
    assert 'codegen = "codegen.cli:main"' in (ROOT / "pyproject.toml").read_text()


def test_package_works_copied_under_any_parent_package(
    package: Path, tmp_path: Path
) -> None:
    shutil.copytree(package, tmp_path / "myapp" / "vendor" / PACKAGE)
    for folder in ("myapp", "myapp/vendor"):
        (tmp_path / folder / "__init__.py").write_text("")
    result = run_python(
        f"""
        from fastapi.testclient import TestClient
        from myapp.vendor.{PACKAGE} import client, models, server, streaming

        app = server.create_app(object())
        spec = TestClient(app).get("/openapi.json").json()
        assert spec["info"]["title"] == "Bifrost Images API", spec
        assert models.ImageData.__module__ == "myapp.vendor.{PACKAGE}.models"
        assert client.Client().__class__.__module__ == "myapp.vendor.{PACKAGE}.client"
        print("ok")
        """,
        path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_package_installs_into_a_fresh_venv_without_the_toolkit(
    package: Path, tmp_path: Path
) -> None:
    generated_files = [path.name for path in package.iterdir()]
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = str(environment / "bin" / "python")
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{package}[server]",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # The build wrote nothing into the folder, so `codegen check` still sees only its files.
    assert sorted(path.name for path in package.iterdir()) == sorted(generated_files)
    result = run_python(
        f"""
        import importlib.resources
        import importlib.util
        from {PACKAGE} import client, models, server, sse, streaming
        from {PACKAGE}.server import create_app

        assert importlib.util.find_spec("codegen") is None, "the toolkit must not be needed"
        assert importlib.util.find_spec("datamodel_code_generator") is None
        create_app(object())
        event = sse.SSEDecoder().feed(sse.encode_sse('{{"type": "error"}}', event="error"))[0]
        assert event.event == "error"
        data = importlib.resources.files("{PACKAGE}")
        assert (data / "py.typed").is_file() and (data / "openapi.json").is_file()
        print(models.__file__)
        """,
        python=python,
    )
    assert result.returncode == 0, result.stderr
    assert str(environment) in result.stdout  # imported from the venv, not the checkout
