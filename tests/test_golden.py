"""The committed generated/ tree is exactly what the spec generates, every time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from codegen.cli import project_settings
from codegen.client_options import client_options
from codegen.pipeline import generate_package
from codegen.write import read_tree

from .conftest import CODEGEN, GENERATED, ROOT, SPEC, run_codegen

# The repository's [tool.codegen] options (its client timeout), as `codegen generate` reads them.
OPTIONS = client_options(project_settings(ROOT).values)


def test_committed_package_equals_a_fresh_generation() -> None:
    fresh = generate_package(SPEC, "images_api", client_options=OPTIONS)
    committed = read_tree(GENERATED)
    assert sorted(committed) == sorted(fresh)
    for path, text in fresh.items():
        assert committed[path] == text, (
            f"{path} differs: run `make generate` and commit"
        )


def test_check_passes_on_the_committed_tree() -> None:
    result = run_codegen("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_two_runs_in_separate_processes_give_identical_bytes(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [str(CODEGEN), "generate", "--spec", str(SPEC), "--output", str(out)],
            check=True,
            capture_output=True,
            env=env,
            timeout=120,
        )
        trees.append(
            {
                p.relative_to(out): p.read_bytes()
                for p in sorted(out.rglob("*"))
                if p.is_file()
            }
        )
    assert trees[0] == trees[1]
    assert len(trees[0]) >= 5


def test_check_reports_an_added_property_as_a_diff(
    spec_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "images_api"
    assert run_codegen("generate", "--spec", spec_copy, "--output", out).returncode == 0
    schemas = spec_copy.parent / "schemas" / "inference" / "images.yaml"
    text = schemas.read_text()
    anchor = "ImageData:\n  type: object\n"
    assert anchor in text
    prop = "    watermark_text:\n      type: string\n      description: Text stamped on the image.\n"
    marker = text.index("properties:\n", text.index(anchor)) + len("properties:\n")
    schemas.write_text(text[:marker] + prop + text[marker:])

    result = run_codegen("check", "--spec", spec_copy, "--output", out)

    assert result.returncode == 1
    assert "--- a/" in result.stdout and "+++ b/" in result.stdout
    assert "models.py" in result.stdout
    added = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("+") and "watermark_text" in line
    ]
    assert "+    watermark_text: str | None = None" in added  # models.py
    assert '+          "watermark_text": {' in added  # the served openapi.json
    assert "out of date" in result.stderr


def test_generated_code_has_no_unused_names(tmp_path: Path) -> None:
    """No dead imports or variables in what users vendor, for every spec we test."""
    import subprocess
    import sys

    from .conftest import FIXTURES

    folders = [GENERATED]
    for name in ("library", "petstore30"):
        folders.append(tmp_path / name)
        assert (
            run_codegen(
                "generate",
                "--spec",
                FIXTURES / name / "openapi.yaml",
                "--output",
                folders[-1],
                "--package",
                name,
            ).returncode
            == 0
        )
    result = subprocess.run(
        [sys.executable, "-m", "pyflakes", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generate_writes_exactly_the_package_files(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    out.mkdir()
    (out / "stale.py").write_text("# left from an older spec\n")
    assert (
        run_codegen(
            "generate", "--spec", SPEC, "--output", out, "--package", "pkg"
        ).returncode
        == 0
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".codegen.json",
        "README.md",
        "__init__.py",
        "client.py",
        "errors.py",
        "mock.json",
        "mock.py",
        "models.py",
        "openapi.json",
        "py.typed",
        "pyproject.toml",
        "server.py",
        "sse.py",
        "streaming.py",
        "uploads.py",
    ]
    assert oct(out.stat().st_mode & 0o777) == "0o755"
