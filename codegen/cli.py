"""The `codegen` command line: options in, pipeline called, errors to exit codes.

Exit codes: 0 done (or in sync), 1 `check` found a difference (or `diff
--fail-on-breaking` a breaking change), 2 a spec or usage error.
"""

from __future__ import annotations

import keyword
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import click

from .diff_report import render_markdown, render_text, summary
from .errors import Diagnostics, SpecError
from .spec import LoadedSpec, load_spec
from .pipeline import generate_package
from .spec_diff import diff_specs
from .write import diff_tree, write_tree

FALLBACK_DEFAULTS = {
    "spec": "spec/openapi.yaml",
    "output": "generated/images_api",
    "package": "images_api",
}


@dataclass(frozen=True)
class Target:
    spec: Path
    output: Path
    package: str


def project_defaults(start: Path) -> dict[str, str]:
    """`[tool.codegen]` of the nearest pyproject.toml, paths made absolute."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            settings = (
                tomllib.loads(pyproject.read_text(encoding="utf-8"))
                .get("tool", {})
                .get("codegen")
            )
            if settings is not None:
                merged = {**FALLBACK_DEFAULTS, **settings}
                for key in ("spec", "output"):
                    merged[key] = str(folder / merged[key])
                return merged
    return dict(FALLBACK_DEFAULTS)


def _target_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--package", help="Python package name [default: from pyproject.toml]."
    )(command)
    command = click.option(
        "--output",
        type=click.Path(path_type=Path),
        help="Package folder to write [default: from pyproject.toml].",
    )(command)
    command = click.option(
        "--spec",
        type=click.Path(path_type=Path),
        help="Root OpenAPI file [default: from pyproject.toml].",
    )(command)
    return command


def _target(spec: Path | None, output: Path | None, package: str | None) -> Target:
    defaults = project_defaults(Path.cwd())
    name = defaults["package"] if package is None else package
    if not name.isidentifier() or keyword.iskeyword(name):
        raise click.BadParameter(
            f"{name!r} is not a Python identifier", param_hint="--package"
        )
    return Target(
        spec or Path(defaults["spec"]), output or Path(defaults["output"]), name
    )


def _generate(target: Target) -> dict[str, str]:
    diagnostics = Diagnostics()
    try:
        files = generate_package(target.spec, target.package, diagnostics)
    except SpecError as error:
        _print_warnings(diagnostics)
        click.echo(f"codegen: error: {error}", err=True)
        sys.exit(2)
    _print_warnings(diagnostics)
    return files


def _print_warnings(diagnostics: Diagnostics) -> None:
    for warning in diagnostics.warnings:
        click.echo(f"codegen: warning: {warning}", err=True)


@click.group()
@click.version_option(package_name="codegen")
def main() -> None:
    """Generate a typed Python package from a (multi-file) OpenAPI spec."""


@main.command()
@_target_options
def generate(spec: Path | None, output: Path | None, package: str | None) -> None:
    """Generate the package into OUTPUT, replacing what is there."""
    target = _target(spec, output, package)
    files = _generate(target)
    write_tree(target.output, files)
    click.echo(
        f"wrote {len(files)} files to {os.path.relpath(target.output)}", err=True
    )


@main.command()
@_target_options
def check(spec: Path | None, output: Path | None, package: str | None) -> None:
    """Regenerate in memory and compare with OUTPUT: exit 1 and a diff when they differ.

    The diff (stdout) names files relative to the repository, as `git diff`
    does; a summary line (stderr) lists the files that differ.
    """
    target = _target(spec, output, package)
    files = _generate(target)
    label = _repository_path(target.output)
    diff = diff_tree(target.output, files, label)
    if diff.text:
        click.echo(diff.text, nl=False)
        click.echo(
            f"codegen check: {label} is out of date with {_repository_path(target.spec)}: "
            f"{diff.summary()}. Run `codegen generate` and commit the result.",
            err=True,
        )
        sys.exit(1)
    click.echo(f"codegen check: {label} is in sync", err=True)


@main.command()
@click.argument("old_spec", type=click.Path(path_type=Path))
@click.argument("new_spec", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="Plain text, or Markdown for a pull-request comment.",
)
@click.option(
    "--fail-on-breaking",
    is_flag=True,
    help="Exit 1 when a change breaks existing clients.",
)
@click.option(
    "--old-label", help="How the report names OLD_SPEC (e.g. `main:spec/openapi.yaml`)."
)
@click.option("--new-label", help="How the report names NEW_SPEC.")
def diff(
    old_spec: Path,
    new_spec: Path,
    output_format: str,
    fail_on_breaking: bool,
    old_label: str | None,
    new_label: str | None,
) -> None:
    """Report what changed in the API from OLD_SPEC to NEW_SPEC, breaking changes first.

    Each change is classified breaking or non-breaking for existing clients:
    e.g. a removed operation, a new required field or a removed enum value of a
    request, or a new enum value or a field that may now be absent in a response.
    """
    old, new = _load(old_spec), _load(new_spec)
    result = diff_specs(old, new)
    render = render_markdown if output_format == "markdown" else render_text
    labels = (
        old_label or _repository_path(old_spec),
        new_label or _repository_path(new_spec),
    )
    click.echo(render(result, *labels), nl=False)
    if fail_on_breaking and result.breaking:
        click.echo(
            f"codegen diff: {summary(result)}; failing on the breaking ones", err=True
        )
        sys.exit(1)


def _load(spec: Path) -> LoadedSpec:
    diagnostics = Diagnostics()
    try:
        loaded = load_spec(spec, diagnostics)
    except SpecError as error:
        _print_warnings(diagnostics)
        click.echo(f"codegen: error: {error}", err=True)
        sys.exit(2)
    _print_warnings(diagnostics)
    return loaded


def _repository_path(path: Path) -> str:
    """`path` relative to the enclosing git repository (else the working directory); absolute outside it."""
    start = Path.cwd().resolve()
    root = next(
        (folder for folder in (start, *start.parents) if (folder / ".git").exists()),
        start,
    )
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        return resolved.as_posix()
    return resolved.relative_to(root).as_posix()
