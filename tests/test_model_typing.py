"""Models that pass mypy --strict where the spec's defaults and allOf bases do not fit.

tests/fixtures/typing has: a property typed by a scalar component with the
component's default (`Parallel`), a nullable reference with a default
(`count`), a default two root models deep (`voice`), `default: null` on an
object that is not nullable, a default the schema rejects (`include`), and a
child (`CallResource`) that retypes properties of its `allOf` base `Call`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import CODEGEN, FIXTURES, ROOT
from .server_harness import (
    GeneratedPackage,
    generated_package,
    mypy_strict,
    pyright_errors,
    pyright_strict,
    serve,
)

SPEC = FIXTURES / "typing" / "openapi.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("typing")
    with generated_package(SPEC, root, stem="typing") as generated:
        yield generated


def test_the_package_passes_mypy_strict(package: GeneratedPackage) -> None:
    checked = mypy_strict(package.folder)
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_an_invalid_default_is_dropped_with_a_warning(tmp_path: Any) -> None:
    generated = subprocess.run(
        [str(CODEGEN), "generate", "--spec", str(SPEC), "--output", str(tmp_path)]
        + ["--package", "pkg"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stderr
    assert (
        "Settings/properties/include/default: default [] is not a value of its schema"
        in generated.stderr
    )


def test_a_retyping_child_has_its_base_fields_but_is_no_subclass(
    package: GeneratedPackage,
) -> None:
    models = package.module("models")
    assert not issubclass(models.CallResource, models.Call)
    assert set(models.Call.model_fields) <= set(models.CallResource.model_fields)
    assert "Has the fields of `Call`" in (models.CallResource.__doc__ or "")


def test_a_child_requiring_an_optional_base_field_is_no_subclass(
    package: GeneratedPackage,
) -> None:
    """pyright holds fields invariant: `text: str` cannot override `text: str | None`."""
    models = package.module("models")
    assert not issubclass(models.SignedNote, models.Note)
    assert models.SignedNote.model_fields["text"].is_required()
    assert issubclass(models.TaggedNote, models.Note)


def test_the_package_passes_pyright_strict(package: GeneratedPackage) -> None:
    result = pyright_strict(package.folder)
    if result is None:
        pytest.skip("pyright cannot run here (pip install 'pyright[nodejs]'); mypy ran")
    assert pyright_errors(result) == []


class Handlers:
    def __init__(self, models: Any) -> None:
        self.models = models

    async def echo_settings(self, body: Any, context: Any) -> Any:
        return body

    async def get_call(self, context: Any, *, call_id: str) -> Any:
        return self.models.CallResource(id=call_id, name="lookup", status="done")


def test_defaults_travel_as_the_spec_says(package: GeneratedPackage) -> None:
    models = package.module("models")
    app = package.module("server").create_app(Handlers(models))
    with (
        serve(app) as url,
        package.module("client").Client(url, max_retries=0) as client,
    ):
        settings = client.echo_settings()
        call = client.get_call(call_id="c1")
    assert settings.parallel == models.Parallel(True)
    assert settings.count == models.Count(1)
    assert settings.voice.root.root == "alloy"
    assert settings.noise_reduction is None
    assert settings.include is None
    assert (call.id, call.name, call.status) == ("c1", "lookup", "done")
