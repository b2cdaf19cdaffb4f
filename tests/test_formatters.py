"""ruff (the default) and black format the generated package alike.

Both write black's style. The one difference on the images package: where a
conditional expression (`a if c else b`) splits over several lines as a keyword
argument, a dict value or a generator's element, black wraps it in parentheses
and ruff does not. The tests pin that down: the same files, the same syntax
trees, the same text once line breaks and parentheses are set aside.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from codegen.cli import main, project_settings
from codegen.client_options import client_options
from codegen.errors import Diagnostics
from codegen.ir import build_api
from codegen.manifest import MANIFEST
from codegen.models import models_source
from codegen.pysource import tidy_imports
from codegen.render import render_package
from codegen.spec import load_spec
from codegen.write import format_files, read_tree

from .conftest import GENERATED, ROOT, SPEC

_LAYOUT = re.compile(r"[\s()]")


@pytest.fixture(scope="module")
def unformatted() -> dict[str, str]:
    api = build_api(load_spec(SPEC, Diagnostics()))
    options = client_options(project_settings(ROOT).values)
    return render_package(api, "images_api", tidy_imports(models_source(api)), options)


@pytest.fixture(scope="module")
def by_ruff(unformatted: dict[str, str]) -> dict[str, str]:
    return format_files(unformatted, "ruff")


@pytest.fixture(scope="module")
def by_black(unformatted: dict[str, str]) -> dict[str, str]:
    return format_files(unformatted, "black")


def test_the_committed_package_is_formatted_by_ruff(by_ruff: dict[str, str]) -> None:
    committed = read_tree(GENERATED)
    del committed[MANIFEST]  # written after formatting, from the formatted files
    assert committed == by_ruff


def test_ruff_and_black_write_the_same_code(
    by_ruff: dict[str, str], by_black: dict[str, str]
) -> None:
    assert sorted(by_ruff) == sorted(by_black)
    for path, text in by_ruff.items():
        if not path.endswith(".py"):
            assert text == by_black[path], path
            continue
        assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(by_black[path])), path
        # Only line breaks, indentation and parentheses may differ.
        assert _LAYOUT.sub("", text) == _LAYOUT.sub("", by_black[path]), path


def test_ruff_gives_the_same_bytes_twice(
    unformatted: dict[str, str], by_ruff: dict[str, str]
) -> None:
    assert format_files(unformatted, "ruff") == by_ruff


def test_ruff_reports_source_it_cannot_parse() -> None:
    with pytest.raises(RuntimeError, match="ruff format failed"):
        format_files({"broken.py": "def (:\n"}, "ruff")


def _generate(tmp_path: Path, pyproject: str, *options: str) -> tuple[int, str]:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        result = CliRunner().invoke(
            main, ["generate", *options], catch_exceptions=False
        )
    return result.exit_code, result.stderr


SETTINGS = f'[tool.codegen]\nspec = "{SPEC}"\noutput = "out/images_api"\npackage = "images_api"\ntimeout = 600\n'


def test_formatter_black_in_pyproject_is_used(
    tmp_path: Path, by_black: dict[str, str]
) -> None:
    code, stderr = _generate(tmp_path, SETTINGS + 'formatter = "black"\n')
    assert code == 0, stderr
    assert _written(tmp_path / "out" / "images_api", "black") == by_black


def test_the_option_overrides_pyproject(
    tmp_path: Path, by_ruff: dict[str, str]
) -> None:
    code, stderr = _generate(
        tmp_path, SETTINGS + 'formatter = "black"\n', "--formatter", "ruff"
    )
    assert code == 0, stderr
    assert _written(tmp_path / "out" / "images_api", "ruff") == by_ruff


def _written(package: Path, formatter: str) -> dict[str, str]:
    """The package's files but its manifest, which must record `formatter`."""
    files = read_tree(package)
    assert json.loads(files.pop(MANIFEST))["options"]["formatter"] == formatter
    return files


def test_an_unknown_formatter_is_a_usage_error(tmp_path: Path) -> None:
    code, stderr = _generate(tmp_path, SETTINGS + 'formatter = "yapf"\n')
    assert code == 2
    assert 'formatter must be "ruff" or "black"' in stderr
    assert not (tmp_path / "out").exists()
