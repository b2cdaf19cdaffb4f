"""The one-way pipeline: load -> IR -> models and templates -> formatted files -> disk.

Every stage runs under `stage(...)` (see `codegen.stages`): a SpecError passes
through, anything else becomes an InternalError that names the stage.
"""

from __future__ import annotations

from pathlib import Path

from .background import Worker
from .client_options import ClientOptions
from .errors import Diagnostics, SpecError, display_path
from .ir import build_api
from .manifest import MANIFEST, generation_options, manifest_text
from .model_generator import ModelsJob, start_worker
from .models import models_job
from .render import render_package
from .spec import LoadedSpec, load_spec
from .spec_diff import SpecDiff, diff_specs
from .stages import InternalError, OutputError, describe, stage
from .write import (
    DEFAULT_FORMATTER,
    Files,
    Formatter,
    TreeDiff,
    diff_tree,
    format_files,
    write_tree,
)

_MODELS = ""  # what models.py holds until the models are ready

__all__ = [
    "InternalError",
    "OutputError",
    "api_changes",
    "compare_package",
    "describe",
    "generate_package",
    "load",
    "stage",
    "write_package",
]


def generate_package(
    spec: Path,
    package: str,
    diagnostics: Diagnostics | None = None,
    client_options: ClientOptions = ClientOptions(),
    formatter: Formatter = DEFAULT_FORMATTER,
    models: Worker[ModelsJob, str] | None = None,
) -> Files:
    """The generated package's files, formatted, by path relative to its folder.

    `client_options` are the client's settings from `[tool.codegen]` (its timeout);
    `formatter` formats the Python modules (`ruff`, or `black`). `models` is
    the model generator's worker (`codegen.model_generator.start_worker`) when
    the caller started it early; one is started here otherwise.

    Warnings and renames are recorded in `diagnostics`; a spec error raises
    SpecError, located as precisely as the spec allows; a bug raises InternalError.
    """
    diagnostics = Diagnostics() if diagnostics is None else diagnostics
    # The models are computed beside the templates, on another core when there
    # is one, by a child that warms up while the spec loads (codegen/background.py).
    models = models or start_worker()
    try:
        loaded = load(spec, diagnostics)
        with stage("building the API model"):
            try:
                api = build_api(loaded)
            except SpecError as error:
                raise loaded.with_line(error) from None
        with stage("generating models"):
            models.submit(models_job(api))
        with stage("rendering"):
            files = render_package(api, package, _MODELS, client_options)
        # Formatting a file depends on no other: the rendered ones are
        # formatted while the models are still being generated.
        with stage("formatting"):
            files = format_files(files, formatter)
        # The IR hands the model generator only schemas it accepts, so whatever
        # datamodel-code-generator raises is a bug here, not a problem of the spec.
        with stage("generating models"):
            source = models.result()
    except BaseException:
        models.cancel()
        raise
    with stage("formatting"):
        files.update(format_files({"models.py": source}, formatter))
    with stage("writing the manifest"):
        options = generation_options(package, client_options, formatter)
        files[MANIFEST] = manifest_text(
            loaded.root, loaded.files.texts, options, diagnostics.warnings, files
        )
    return files


def load(spec: Path, diagnostics: Diagnostics | None = None) -> LoadedSpec:
    """The spec at `spec`, read and checked (see `codegen.spec.load_spec`)."""
    with stage("loading the spec"):
        return load_spec(spec, diagnostics)


def api_changes(old: Path, new: Path, diagnostics: Diagnostics) -> SpecDiff:
    """What changed in the API from the spec `old` to the spec `new`."""
    old_spec, new_spec = load(old, diagnostics), load(new, diagnostics)
    with stage("comparing the specs"):
        return diff_specs(old_spec, new_spec)


def compare_package(output: Path, files: Files, label: str) -> TreeDiff:
    """How the folder `output` differs from `files` (see `codegen.write.diff_tree`)."""
    with stage("comparing with the output folder"):
        try:
            return diff_tree(output, files, label)
        except OSError as exc:
            raise OutputError(f"cannot read {display_path(output)}: {exc}") from exc


def write_package(output: Path, files: Files) -> None:
    """Replace the folder `output` with `files`, as one unit."""
    with stage("writing"):
        try:
            write_tree(output, files)
        except OSError as exc:
            raise OutputError(f"cannot write {display_path(output)}: {exc}") from exc
