"""The one-way pipeline: load -> IR -> models and templates -> formatted files -> disk.

Every stage runs under `stage(...)`. A SpecError passes through: it is the
spec's fault and says where. Anything else escaping a stage is a bug of the
toolkit; it becomes an InternalError that names the stage, so the command line
can say what went wrong in one line instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .client_options import ClientOptions
from .errors import Diagnostics, SpecError, display_path

if TYPE_CHECKING:
    from .spec import LoadedSpec
    from .spec_diff import SpecDiff
    from .write import Files, TreeDiff

# The stages' modules (the loader, datamodel-code-generator, Jinja, the formatter)
# are imported where used: `codegen check` on an unchanged package needs none of them.

_MAX_CAUSE = 300


class InternalError(Exception):
    """An unexpected exception inside the toolkit, and the stage it escaped from."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(f"internal error while {stage}: {describe(cause)}")
        self.stage = stage
        self.cause = cause


class OutputError(Exception):
    """The output folder cannot be written: permissions, a full disk; not a bug."""


def describe(exc: BaseException) -> str:
    """`KeyError: 'x'` on one line, cut short: some messages quote whole documents."""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= _MAX_CAUSE else text[: _MAX_CAUSE - 3] + "..."


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Run a stage: spec errors pass through, anything else is an InternalError of `name`."""
    try:
        yield
    except (SpecError, InternalError, OutputError):
        raise
    except Exception as exc:  # noqa: BLE001 - whatever escapes is a bug of this stage
        raise InternalError(name, exc) from exc


def generate_package(
    spec: Path,
    package: str,
    diagnostics: Diagnostics | None = None,
    client_options: ClientOptions = ClientOptions(),
) -> Files:
    """The generated package's files, formatted, by path relative to its folder.

    `client_options` are the client's settings from `[tool.codegen]` (its timeout).

    Warnings and renames are recorded in `diagnostics`; a spec error raises
    SpecError, located as precisely as the spec allows; a bug raises InternalError.
    """
    from .ir import build_api
    from .manifest import MANIFEST, generation_options, manifest_text
    from .models import models_source
    from .pysource import tidy_imports
    from .render import render_package
    from .write import format_files

    diagnostics = Diagnostics() if diagnostics is None else diagnostics
    loaded = load(spec, diagnostics)
    with stage("building the API model"):
        try:
            api = build_api(loaded)
        except SpecError as error:
            raise loaded.with_line(error) from None
    # The IR hands the model generator only schemas it accepts, so whatever
    # datamodel-code-generator raises is a bug here, not a problem of the spec.
    with stage("generating models"):
        models = tidy_imports(models_source(api))
    with stage("rendering"):
        files = render_package(api, package, models, client_options)
    with stage("formatting"):
        files = format_files(files)
    with stage("writing the manifest"):
        options = generation_options(package, client_options)
        files[MANIFEST] = manifest_text(
            loaded.root, loaded.files.texts, options, diagnostics.warnings, files
        )
    return files


def load(spec: Path, diagnostics: Diagnostics | None = None) -> LoadedSpec:
    """The spec at `spec`, read and checked (see `codegen.spec.load_spec`)."""
    from .spec import load_spec

    with stage("loading the spec"):
        return load_spec(spec, diagnostics)


def api_changes(old: Path, new: Path, diagnostics: Diagnostics) -> SpecDiff:
    """What changed in the API from the spec `old` to the spec `new`."""
    from .spec_diff import diff_specs

    old_spec, new_spec = load(old, diagnostics), load(new, diagnostics)
    with stage("comparing the specs"):
        return diff_specs(old_spec, new_spec)


def compare_package(output: Path, files: Files, label: str) -> TreeDiff:
    """How the folder `output` differs from `files` (see `codegen.write.diff_tree`)."""
    from .write import diff_tree

    with stage("comparing with the output folder"):
        try:
            return diff_tree(output, files, label)
        except OSError as exc:
            raise OutputError(f"cannot read {display_path(output)}: {exc}") from exc


def write_package(output: Path, files: Files) -> None:
    """Replace the folder `output` with `files`, as one unit."""
    from .write import write_tree

    with stage("writing"):
        try:
            write_tree(output, files)
        except OSError as exc:
            raise OutputError(f"cannot write {display_path(output)}: {exc}") from exc
