"""`codegen check` answers from the package's manifest when nothing changed, and
regenerates (with its diff) whenever anything did."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codegen import manifest
from codegen.cli import main
from codegen.client_options import ClientOptions
from codegen.pipeline import generate_package
from codegen.write import Files, write_tree

from .conftest import CODEGEN, FIXTURES

LIBRARY = FIXTURES / "library"
"""A split spec: a root, two path files and two schema files."""
HEAVY = (
    "prance",
    "datamodel_code_generator",
    "jinja2",
    "black",
    "openapi_spec_validator",
)

WARNING_SPEC = """\
openapi: 3.0.3
info: {title: Warned, version: '1'}
paths:
  /thing:
    get:
      operationId: getThing
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
"""
"""One warning: a response without its required description."""


@pytest.fixture(scope="module")
def library_files() -> Files:
    return generate_package(LIBRARY / "openapi.yaml", "pkg")


@pytest.fixture
def project(
    tmp_path: Path, library_files: Files, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A working directory with the library spec in spec/ and its package in out/pkg."""
    shutil.copytree(LIBRARY, tmp_path / "spec")
    write_tree(tmp_path / "out" / "pkg", library_files)
    monkeypatch.chdir(tmp_path)
    return tmp_path


ARGS = ("--spec", "spec/openapi.yaml", "--output", "out/pkg", "--package", "pkg")


def check(*options: str) -> Result:
    return CliRunner().invoke(main, ["check", *ARGS, *options], catch_exceptions=False)


def check_process(cwd: Path, *options: str) -> tuple[int, str, set[str]]:
    """`codegen check` as CI runs it: exit code, its own stderr, and the modules it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", str(CODEGEN), "check", *ARGS, *options],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported, stderr = set(), []
    for line in result.stderr.splitlines():
        if line.startswith("import time:"):
            imported.add(line.rsplit("|", 1)[1].strip().split(".")[0])
        else:
            stderr.append(line)
    return result.returncode, "\n".join(stderr), imported


def test_the_manifest_records_what_the_package_came_from(library_files: Files) -> None:
    recorded = json.loads(library_files[manifest.MANIFEST])
    assert recorded["generator"] == manifest.generator_version()
    assert recorded["options"]["package"] == "pkg"
    # Every file the loader read, relative to the root's folder: the same bytes anywhere.
    assert sorted(recorded["spec"]["files"]) == [
        "openapi.yaml",
        "paths/books.yaml",
        "paths/shelves.yaml",
        "schemas/books.yaml",
        "schemas/common.yaml",
    ]
    assert recorded["spec"]["root"] == "openapi.yaml"
    assert sorted(recorded["files"]) == sorted(
        path for path in library_files if path != manifest.MANIFEST
    )
    assert str(FIXTURES) not in library_files[manifest.MANIFEST]


def test_an_unchanged_package_is_checked_without_generating(project: Path) -> None:
    # Importing the package leaves __pycache__ behind: not a generated file.
    (project / "out" / "pkg" / "__pycache__").mkdir()
    (project / "out" / "pkg" / "__pycache__" / "models.cpython-311.pyc").write_bytes(
        b""
    )
    code, stderr, imported = check_process(project)
    assert (code, stderr) == (0, "codegen check: out/pkg is in sync")
    assert imported.isdisjoint(HEAVY), imported & set(HEAVY)


def test_full_regenerates_even_when_the_manifest_matches(project: Path) -> None:
    code, stderr, imported = check_process(project, "--full")
    assert (code, stderr) == (0, "codegen check: out/pkg is in sync")
    assert "datamodel_code_generator" in imported


def _edit_spec(project: Path) -> None:
    # A split spec: a change in a file other than the root counts.
    books = project / "spec" / "schemas" / "books.yaml"
    text = books.read_text(encoding="utf-8")
    books.write_text(text + "    Extra:\n      type: string\n", encoding="utf-8")


def _edit_generated(project: Path) -> None:
    client = project / "out" / "pkg" / "client.py"
    client.write_text(
        client.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8"
    )


def _remove_generated(project: Path) -> None:
    (project / "out" / "pkg" / "server.py").unlink()


def _add_file(project: Path) -> None:
    (project / "out" / "pkg" / "extra.py").write_text("x = 1\n", encoding="utf-8")


def _remove_manifest(project: Path) -> None:
    (project / "out" / "pkg" / manifest.MANIFEST).unlink()


def _older_generator(project: Path) -> None:
    path = project / "out" / "pkg" / manifest.MANIFEST
    recorded = json.loads(path.read_text(encoding="utf-8"))
    recorded["generator"] = "codegen 0.0.1"
    path.write_text(json.dumps(recorded, indent=2) + "\n", encoding="utf-8")


def _other_formatter(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.codegen]\nformatter = "black"\n', encoding="utf-8"
    )


def _other_timeout(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.codegen]\ntimeout = 5\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    "change, differ",
    [
        # A changed input changes the package and its manifest.
        (
            _edit_spec,
            "3 files differ (3 changed, 0 added, 0 removed): "
            ".codegen.json, models.py, openapi.json",
        ),
        (_edit_generated, "1 file differs (1 changed, 0 added, 0 removed): client.py"),
        (
            _remove_generated,
            "1 file differs (0 changed, 1 added, 0 removed): server.py",
        ),
        (_add_file, "1 file differs (0 changed, 0 added, 1 removed): extra.py"),
        (
            _remove_manifest,
            "1 file differs (0 changed, 1 added, 0 removed): .codegen.json",
        ),
        (
            _older_generator,
            "1 file differs (1 changed, 0 added, 0 removed): .codegen.json",
        ),
        (
            _other_formatter,
            "3 files differ (3 changed, 0 added, 0 removed): "
            ".codegen.json, client.py, errors.py",
        ),
        (
            _other_timeout,
            "3 files differ (3 changed, 0 added, 0 removed): "
            ".codegen.json, README.md, client.py",
        ),
    ],
)
def test_any_difference_fails_with_the_full_diff(
    project: Path, change: Callable[[Path], None], differ: str
) -> None:
    change(project)
    result = check()
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("--- ")
    assert "is out of date with spec/openapi.yaml" in result.stderr
    assert f": {differ}. Run `codegen generate`" in result.stderr


def test_another_generator_version_is_not_trusted(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = manifest.generation_options("pkg", ClientOptions(), "ruff")
    assert manifest.unchanged(Path("out/pkg"), Path("spec/openapi.yaml"), options) == []
    monkeypatch.setattr(manifest, "generator_version", lambda: "codegen 9.9.9")
    assert (
        manifest.unchanged(Path("out/pkg"), Path("spec/openapi.yaml"), options) is None
    )


def test_recorded_warnings_are_reported_as_a_regeneration_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_text(WARNING_SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    generated = CliRunner().invoke(main, ["generate", *ARGS], catch_exceptions=False)
    assert generated.exit_code == 0, generated.stderr

    fast = check_process(tmp_path)
    full = check_process(tmp_path, "--full")
    assert fast[:2] == full[:2]
    assert fast[0] == 0
    assert fast[1].startswith("codegen: warning: spec/openapi.yaml:8: ")
    assert imported_nothing_heavy(fast[2])

    # --strict fails on them either way, with the same lines.
    fast = check_process(tmp_path, "--strict")
    full = check_process(tmp_path, "--strict", "--full")
    assert fast[:2] == full[:2]
    assert fast[0] == 2
    assert imported_nothing_heavy(fast[2])


def imported_nothing_heavy(imported: set[str]) -> bool:
    return imported.isdisjoint(HEAVY)
