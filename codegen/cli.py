"""The `codegen` command line: options in, pipeline called, errors to exit codes.

Everything but `check`'s diff and `diff`'s report goes to stderr, one line per
message: `codegen: warning: FILE:LINE: POINTER: message` for what generation
worked around (at most three of a kind, then `... and N more like this`, unless
--verbose), `codegen: error: ...` for what stops it.

Exit codes:
  0  done (`check`: in sync)
  1  `check` found a difference; `diff --fail-on-breaking` a breaking change
  2  a spec error, a usage error, or warnings under --strict (output untouched)
  3  an internal error: a bug of the toolkit, one line (--debug: the traceback)
  130  interrupted (Ctrl-C)
"""

from __future__ import annotations

import functools
import keyword
import os
import sys
import tomllib
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .client_options import ClientOptions, client_options
from .errors import Diagnostics, Rename, SpecError, SpecWarning, display_path
from .stages import InternalError, OutputError, stage
from .write import DEFAULT_FORMATTER, FORMATTERS, Formatter

if TYPE_CHECKING:
    from .write import Files

# Commands import the pipeline (the loader, datamodel-code-generator, Jinja, the
# formatter) where used: `codegen check` on an unchanged package answers from
# the manifest without it (codegen/manifest.py).

FALLBACK_DEFAULTS: dict[str, Any] = {
    "spec": "spec/openapi.yaml",
    "output": "generated/images_api",
    "package": "images_api",
    "strict": False,
    "formatter": DEFAULT_FORMATTER,
}
SHOWN_PER_KIND = 3
"""Warnings of one kind printed before `... and N more like this` (--verbose: all)."""
EXIT_INTERRUPTED = 130


class ConfigError(click.ClickException):
    """`[tool.codegen]` cannot be used: a usage error, exit 2, one line."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"codegen: error: {self.format_message()}", err=True)


@dataclass(frozen=True)
class Settings:
    """`[tool.codegen]` of the nearest pyproject.toml over the fallbacks, paths absolute."""

    values: dict[str, Any]
    file: Path | None
    """The pyproject.toml they came from; None when there is none."""


def project_settings(start: Path) -> Settings:
    """The settings of the nearest pyproject.toml (from `start` up) that has `[tool.codegen]`."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            settings = _read_pyproject(pyproject).get("tool", {}).get("codegen")
            if settings is not None:
                merged = {**FALLBACK_DEFAULTS, **settings}
                for key in ("spec", "output"):
                    merged[key] = str(folder / merged[key])
                if not isinstance(merged["strict"], bool):
                    raise ConfigError(
                        f"{display_path(pyproject)}: [tool.codegen] strict must be true or false"
                    )
                if merged["formatter"] not in FORMATTERS:
                    raise ConfigError(
                        f"{display_path(pyproject)}: [tool.codegen] formatter must be "
                        + " or ".join(f'"{name}"' for name in FORMATTERS)
                    )
                try:
                    client_options(merged)
                except ValueError as error:
                    raise ConfigError(
                        f"{display_path(pyproject)}: [tool.codegen] {error}"
                    ) from None
                return Settings(merged, pyproject)
    return Settings(dict(FALLBACK_DEFAULTS), None)


def _read_pyproject(pyproject: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{display_path(pyproject)}: {exc}") from None


# --- how a run reports what it noticed ---------------------------------------------------------


@dataclass(frozen=True)
class Reporting:
    """What the user asked to see of warnings and renames, and whether warnings fail the run."""

    strict: bool
    strict_from: str
    """What made the run strict (or would): `--strict` or the pyproject.toml setting."""
    verbose: bool

    def report(self, diagnostics: Diagnostics) -> None:
        """Print renames (--verbose) and warnings; under --strict, warnings end the run with 2."""
        if self.verbose:
            for rename in diagnostics.renames:
                _echo(f"codegen: {_rename_line(rename)}")
        warnings = diagnostics.warnings
        if not warnings:
            return
        prefix = "codegen: error: " if self.strict else "codegen: warning: "
        for line in summarised(warnings, self.verbose):
            _echo(prefix + line)
        count = f"{len(warnings)} {'warning' if len(warnings) == 1 else 'warnings'}"
        if self.strict:
            _echo(f"codegen: {count} (errors under {self.strict_from})")
            sys.exit(2)
        _echo(f"codegen: {count} (--strict makes them errors)")


def summarised(warnings: Iterable[SpecWarning], verbose: bool = False) -> list[str]:
    """One line per warning, grouped by kind; past SHOWN_PER_KIND of a kind, how many more."""
    by_kind: dict[str, list[SpecWarning]] = {}
    for warning in warnings:
        by_kind.setdefault(warning.kind, []).append(warning)
    lines = []
    for group in by_kind.values():
        shown = group if verbose else group[:SHOWN_PER_KIND]
        lines.extend(str(warning) for warning in shown)
        if len(group) > len(shown):
            lines.append(f"... and {len(group) - len(shown)} more like this")
    return lines


def _rename_line(rename: Rename) -> str:
    """`renamed schema Urn -> VpcsUrn: vpcs/urn.yaml; Urn is shared/urn.yaml`."""
    return (
        f"renamed {rename.what} {rename.written} -> {rename.chosen}: "
        f"{rename.where}; {rename.reason}"
    )


def _echo(line: str) -> None:
    """One line on stderr, whatever the spec's text holds."""
    click.echo(printable(line), err=True)


def printable(text: str) -> str:
    """`text` as one line any terminal shows: line breaks, control characters,
    invisible marks and lone surrogates escaped (`\\n`, `\\x00`, `\\u200f`, `\\ud800`).
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


# --- the commands' shared options ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    spec: Path
    output: Path
    package: str
    client: ClientOptions = ClientOptions()
    """The client's settings of `[tool.codegen]` (`timeout`)."""
    formatter: Formatter = DEFAULT_FORMATTER
    """What formats the Python modules: `formatter` of `[tool.codegen]`, or `--formatter`."""


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


def _target(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    formatter: Formatter | None = None,
) -> Target:
    defaults = project_settings(Path.cwd()).values
    name = defaults["package"] if package is None else package
    if not name.isidentifier() or keyword.iskeyword(name):
        raise click.BadParameter(
            f"{name!r} is not a Python identifier", param_hint="--package"
        )
    return Target(
        spec or Path(defaults["spec"]),
        output or Path(defaults["output"]),
        name,
        client_options(defaults),
        formatter or defaults["formatter"],
    )


def _diagnostic_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--strict, --verbose and --debug, and the guard that maps failures to exit codes.

    The command gets a `reporting: Reporting` argument instead of the three flags.
    Put it right above the command function, below its other options.
    """

    @functools.wraps(command)
    def guarded(
        *args: Any, strict: bool | None, verbose: bool, debug: bool, **kwargs: Any
    ) -> None:
        try:
            command(*args, reporting=_reporting(strict, verbose), **kwargs)
        except SpecError as error:
            _echo(f"codegen: error: {error}")
            sys.exit(2)
        except OutputError as error:
            _echo(f"codegen: error: {error}")
            sys.exit(2)
        except KeyboardInterrupt:
            _echo("codegen: interrupted")
            sys.exit(EXIT_INTERRUPTED)
        except click.ClickException:
            raise  # usage errors: Click prints them and exits 2
        except InternalError as error:
            _internal_error(error, debug)
        except Exception as exc:  # noqa: BLE001 - a bug outside the pipeline's stages
            _internal_error(InternalError(_running(), exc), debug)

    guarded = click.option(
        "--debug",
        is_flag=True,
        help="On an internal error, show the Python traceback.",
    )(guarded)
    guarded = click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="List every warning (not 3 of a kind) and every renamed schema or operation.",
    )(guarded)
    guarded = click.option(
        "--strict/--no-strict",
        default=None,
        help="Make warnings errors: exit 2, output untouched "
        "[default: `strict` in pyproject.toml, else off].",
    )(guarded)
    return guarded


def _reporting(strict: bool | None, verbose: bool) -> Reporting:
    if strict is not None:
        return Reporting(strict, "--strict", verbose)
    settings = project_settings(Path.cwd())
    where = display_path(settings.file) if settings.file else "pyproject.toml"
    return Reporting(settings.values["strict"], f"strict = true in {where}", verbose)


def _running() -> str:
    """`running codegen generate`: the stage of a bug outside the pipeline."""
    context = click.get_current_context(silent=True)
    return f"running {context.command_path}" if context else "running codegen"


def _internal_error(error: InternalError, debug: bool) -> None:
    if debug:
        click.echo("".join(traceback.format_exception(error.cause)), err=True, nl=False)
    _echo(f"codegen: {error}; please report it with the spec")
    sys.exit(3)


# --- the commands ---------------------------------------------------------------------------


@click.group()
@click.version_option(package_name="codegen")
def main() -> None:
    """Generate a typed Python package from a (multi-file) OpenAPI spec.

    Exit codes: 0 done, 1 `check` found a difference (or `diff
    --fail-on-breaking` a breaking change), 2 a spec or usage error (or
    warnings under --strict), 3 an internal error.
    """


def _generate(target: Target, reporting: Reporting) -> Files:
    from .model_generator import start_worker

    # Forked before the pipeline's imports (the loader, the IR, Jinja): the
    # model generator's process holds none of them (codegen/background.py).
    models = start_worker()
    from .pipeline import generate_package

    diagnostics = Diagnostics()
    files = generate_package(
        target.spec,
        target.package,
        diagnostics,
        target.client,
        target.formatter,
        models,
    )
    reporting.report(diagnostics)
    return files


@main.command()
@_target_options
@click.option(
    "--formatter",
    type=click.Choice(FORMATTERS),
    help="What formats the Python modules; both write black's style "
    "[default: `formatter` in pyproject.toml, else ruff].",
)
@_diagnostic_options
def generate(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    formatter: Formatter | None,
    reporting: Reporting,
) -> None:
    """Generate the package into OUTPUT, replacing what is there."""
    from .pipeline import write_package

    target = _target(spec, output, package, formatter)
    files = _generate(target, reporting)
    write_package(target.output, files)
    click.echo(
        f"wrote {len(files)} files to {os.path.relpath(target.output)}", err=True
    )


@main.command()
@_target_options
@click.option(
    "--full",
    is_flag=True,
    help="Regenerate and compare even when the package's manifest says it is in sync.",
)
@_diagnostic_options
def check(
    spec: Path | None,
    output: Path | None,
    package: str | None,
    full: bool,
    reporting: Reporting,
) -> None:
    """Compare OUTPUT with what the spec generates: exit 1 and a diff when they differ.

    When the package's manifest (`.codegen.json`) matches the spec's files, the
    generator's version, the options and every generated file, it answers at
    once; otherwise it regenerates in memory and compares.

    The diff (stdout) names files relative to the repository, as `git diff`
    does; a summary line (stderr) lists the files that differ.
    """
    from .manifest import generation_options, unchanged

    target = _target(spec, output, package)
    label = _repository_path(target.output)
    # --verbose asks for renames, which only a regeneration knows.
    if not full and not reporting.verbose:
        options = generation_options(target.package, target.client, target.formatter)
        warnings = unchanged(target.output, target.spec, options)
        if warnings is not None:
            reporting.report(Diagnostics(warnings))
            click.echo(f"codegen check: {label} is in sync", err=True)
            return
    from .pipeline import compare_package  # only now: the heavy part

    files = _generate(target, reporting)
    diff = compare_package(target.output, files, label)
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
@_diagnostic_options
def diff(
    old_spec: Path,
    new_spec: Path,
    output_format: str,
    fail_on_breaking: bool,
    old_label: str | None,
    new_label: str | None,
    reporting: Reporting,
) -> None:
    """Report what changed in the API from OLD_SPEC to NEW_SPEC, breaking changes first.

    Each change is classified breaking or non-breaking for existing clients:
    e.g. a removed operation, a new required field or a removed enum value of a
    request, or a new enum value or a field that may now be absent in a response.
    """
    from .diff_report import render_markdown, render_text, summary
    from .pipeline import api_changes

    diagnostics = Diagnostics()
    result = api_changes(old_spec, new_spec, diagnostics)
    reporting.report(diagnostics)
    render = render_markdown if output_format == "markdown" else render_text
    labels = (
        old_label or _repository_path(old_spec),
        new_label or _repository_path(new_spec),
    )
    with stage("rendering the report"):
        report = render(result, *labels)
    click.echo(report, nl=False)
    if fail_on_breaking and result.breaking:
        click.echo(
            f"codegen diff: {summary(result)}; failing on the breaking ones", err=True
        )
        sys.exit(1)


@main.command()
@click.option(
    "--spec",
    type=click.Path(path_type=Path),
    help="Root OpenAPI file [default: from pyproject.toml].",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on."
)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@_diagnostic_options
def mock(spec: Path | None, host: str, port: int, reporting: Reporting) -> None:
    """Serve the generated server for SPEC with mock handlers, until Ctrl-C.

    Answers come from the spec's examples where they are valid, else are
    synthesised from its schemas; any credentials are accepted. Requests are
    checked exactly as the generated server checks them: it is that server.
    """
    import uvicorn  # the server's runtime; only this command needs it

    from .mock_server import imported_package, listening_socket, mock_app

    target = _target(spec, None, None)
    files = _generate(target, reporting)
    with imported_package(files, target.package):
        with stage("starting the mock server"):
            app = mock_app(target.package)
        try:
            sock = listening_socket(host, port)
        except OSError as exc:
            raise ConfigError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc}"
            ) from None
        url = f"http://{'[' + host + ']' if ':' in host else host}:{sock.getsockname()[1]}"
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        click.echo(
            f"codegen mock: serving {display_path(target.spec)} on {url} (Ctrl-C stops)",
            err=True,
        )
        click.echo(url)
        with sock:
            server.run(sockets=[sock])


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
