"""Enums as `Literal` aliases, strict in requests and open in answers read leniently.

tests/fixtures/open_values declares component enums (string, integer,
nullable), inline enums that share their values (one alias, named after the
field), inline enums that share only a field name (each named after its model),
an enum default, a union with an enum branch, a discriminator typed by an enum
and a model closed with `additionalProperties: false`.
"""

from __future__ import annotations

import inspect
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import httpx
import pytest
from images_api import models as images_models
from images_api import streaming as images_streaming
from pydantic import BaseModel, TypeAdapter, ValidationError

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, mypy_strict, serve

SPEC = FIXTURES / "open_values" / "openapi.yaml"
LENIENT = {"lenient": True}
PAINT = {"color": "red", "shape": {"kind": "circle", "radius": 1.0}}


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("open_values")
    with generated_package(SPEC, root, stem="open_values") as generated:
        yield generated


@pytest.fixture(scope="module")
def models(package: GeneratedPackage) -> Any:
    return package.module("models")


def values(alias: Any) -> tuple[Any, ...]:
    """The values of an enum alias, open (`Annotated[Literal, marker]`) or not."""
    literal = get_args(alias)[0] if get_origin(alias) is not Literal else alias
    return get_args(literal)


def is_open(alias: Any, models: Any) -> bool:
    return (
        get_origin(alias) is not Literal and get_args(alias)[1] is models.OpenInAnswers
    )


# --- the aliases ------------------------------------------------------------------------------


def test_one_alias_per_value_set_named_after_its_owner(
    models: Any, package: GeneratedPackage
) -> None:
    names = set(vars(models))
    # Components keep their names; an inline enum with a component's values is it.
    assert values(models.Color) == ("red", "green", "blue")
    assert "PaintRequestTint" not in names
    # Inline enums with the same values under one field name: one alias, the field's name.
    assert values(models.Order) == ("asc", "desc")
    assert values(models.Finish) == ("matte", "gloss")
    assert not {"PaintRequestOrder", "PaintOrder", "PaintRequestFinish"} & names
    # The same field name with other values: each named after its model.
    assert values(models.PaintRequestSize) == ("s", "m", "l")
    assert values(models.PaintSize) == ("small", "large")
    assert "Size" not in names
    # Integers stay integers; null is not a value of the alias but of the field.
    assert values(models.Level) == (1, 2, 3)
    assert values(models.Mood) == ("calm", "loud")
    assert models.Paint.model_validate({**PAINT, "mood": None}).mood is None
    assert not [
        c for c in vars(models).values() if inspect.isclass(c) and issubclass(c, Enum)
    ]
    source = (package.folder / "models.py").read_text(encoding="utf-8")
    assert "    tint: Color | None = None\n" in source
    assert '    finish: Finish = "matte"\n' in source
    assert '= Voice("alloy")\n' in source  # a union with an enum branch
    assert '= BaseColor("blue")\n' in source  # a root model of an enum


def test_discriminators_and_constants_stay_strict(models: Any) -> None:
    assert is_open(models.Color, models) and is_open(models.Level, models)
    assert get_origin(models.SquareKind) is Literal  # types the `Shape` discriminator
    shape = TypeAdapter(models.Shape)
    assert isinstance(shape.validate_python({"kind": "box"}).root, models.Square)
    assert isinstance(
        shape.validate_python({"kind": "circle"}, context=LENIENT).root, models.Circle
    )
    with pytest.raises(ValidationError):
        shape.validate_python({"kind": "triangle"}, context=LENIENT)


def test_signatures_name_the_alias(package: GeneratedPackage) -> None:
    client = package.module("client").Client
    mix = inspect.signature(client.mix_paint).parameters
    assert mix["size"].annotation == "PaintRequestSize | NotGiven"
    assert mix["mood"].annotation == "Mood | None | NotGiven"
    assert mix["order"].annotation == "Order | NotGiven"
    listing = inspect.signature(client.list_paints).parameters
    assert listing["color"].annotation == "Color"
    handlers = package.module("server").Handlers
    assert inspect.signature(handlers.list_paints).parameters["color"].annotation == (
        "Color"
    )


# --- lenient answers, strict requests ---------------------------------------------------------


def test_lenient_context_keeps_unknown_values_and_fields(models: Any) -> None:
    answer = json.dumps(
        {
            "color": "purple",
            "level": 9,
            "order": "random",
            "shades": ["red", "ultraviolet"],
            "mixes": {"dusk": "mauve"},
            "shape": {"kind": "circle", "rim": True},
            "sheen": 0.5,
        }
    )
    paint = models.Paint.model_validate_json(answer, context=LENIENT)
    assert (paint.color, paint.level, paint.order) == ("purple", 9, "random")
    assert paint.shades == ["red", "ultraviolet"]
    assert paint.mixes == {"dusk": "mauve"}
    assert models.BaseColor.model_validate("teal", context=LENIENT).root == "teal"
    assert paint.model_extra == {"sheen": 0.5}
    assert paint.shape.root.model_extra == {"rim": True}
    assert json.loads(paint.model_dump_json())["color"] == "purple"
    # Without the context, the listed values only.
    with pytest.raises(ValidationError) as raised:
        models.Paint.model_validate_json(answer)
    assert {e["loc"][0] for e in raised.value.errors()} == {
        "color",
        "level",
        "order",
        "shades",
        "mixes",
    }


def test_lenient_context_still_wants_the_json_type(models: Any) -> None:
    for wrong in ({"level": "nine"}, {"level": 1.5}, {"color": 3}, {"shades": [1]}):
        with pytest.raises(ValidationError):
            models.Paint.model_validate({**PAINT, **wrong}, context=LENIENT)


def test_a_closed_model_forbids_unknown_fields_even_leniently(models: Any) -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        models.Stamp.model_validate({"color": "red", "ink": "blue"}, context=LENIENT)


def test_a_stream_event_union_picks_its_model_and_reads_leniently() -> None:
    union: TypeAdapter[Any] = TypeAdapter(images_streaming.ImageGenerationStreamEvent)
    data = {
        "type": "image_generation.completed",
        "b64_json": "aGk=",
        "extra_fields": {"provider": "deepseek", "region": "eu"},
        "seed": 7,
    }
    event = union.validate_json(json.dumps(data), context=LENIENT)
    assert isinstance(event, images_models.ImageGenerationCompletedEvent)
    assert event.extra_fields is not None
    assert event.extra_fields.provider == "deepseek"
    assert event.extra_fields.model_extra == {"region": "eu"}
    assert event.model_extra == {"seed": 7}
    partial = union.validate_python(
        {**data, "type": "image_generation.partial_image"}, context=LENIENT
    )
    assert isinstance(partial, images_models.ImageGenerationPartialImageEvent)
    with pytest.raises(ValidationError):
        union.validate_python(data)  # `deepseek` is not a listed provider


class Handlers:
    def __init__(self, models: Any) -> None:
        self.models = models
        self.extra: dict[str, Any] | None = None

    async def list_paints(self, context: Any, *, color: str) -> Any:
        return self.models.PaintList(paints=[])

    async def mix_paint(self, body: Any, context: Any) -> Any:
        self.extra = body.model_extra
        return self.models.Paint.model_validate(
            {"color": body.color, "shape": {"kind": "square", "side": 2}}
        )

    async def stamp(self, body: Any, context: Any) -> Any:
        return body


@pytest.fixture(scope="module")
def served(package: GeneratedPackage, models: Any) -> Iterator[tuple[str, Handlers]]:
    handlers = Handlers(models)
    with serve(package.module("server").create_app(handlers)) as url:
        yield url, handlers


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/paints", {"color": "purple"}),
        ("POST", "/paints", {"color": "red", "order": "random"}),
        ("POST", "/paints", {"color": "red", "level": 9}),
        ("GET", "/paints?color=purple", None),
        ("POST", "/stamps", {"color": "red", "ink": "blue"}),
    ],
)
def test_the_server_refuses_unknown_values_in_requests(
    served: tuple[str, Handlers], method: str, path: str, body: Any
) -> None:
    url, _ = served
    answer = httpx.request(method, url + path, json=body)
    assert 400 <= answer.status_code < 500, answer.text
    assert isinstance(answer.json().get("message"), str)  # the spec's `Error`


def test_the_server_keeps_unknown_fields_of_an_open_request(
    served: tuple[str, Handlers], package: GeneratedPackage
) -> None:
    url, handlers = served
    answer = httpx.post(url + "/paints", json={"color": "blue", "note": "hi"})
    assert answer.status_code == 200, answer.text
    assert handlers.extra == {"note": "hi"}
    with package.module("client").Client(url, max_retries=0) as client:
        paint = client.mix_paint(color="green", order="asc")
    assert paint.color == "green" and isinstance(paint.shape.root, BaseModel)


# --- type checkers ----------------------------------------------------------------------------

USAGE = '''"""Typed use of the aliases: plain values where the enums are."""

from __future__ import annotations

from .client import Client
from .models import Circle, Color, Paint, PaintRequest, Shape


def use(client: Client, color: Color) -> Color:
    request = PaintRequest(color="red", level=2, mood=None, order="asc", size="m")
    request = PaintRequest(color="purple")  # type: ignore[arg-type]
    paint = Paint(color=color, shape=Shape(Circle(kind="circle")))
    client.mix_paint(color="blue", size="l", voice="anything")
    if paint.color == "red":
        return "green"
    return request.color
'''


def test_mypy_strict_accepts_the_package_and_values_where_enums_are(
    package: GeneratedPackage,
) -> None:
    (package.folder / "usage.py").write_text(USAGE, encoding="utf-8")
    try:
        checked = mypy_strict(package.folder)
    finally:
        (package.folder / "usage.py").unlink()
    # The `type: ignore` must be needed: `--strict` reports ignores that are not.
    assert checked.returncode == 0, checked.stdout


PYRIGHT = Path(sys.executable).with_name("pyright")


@pytest.mark.skipif(
    not (PYRIGHT.exists() or shutil.which("pyright")),
    reason="pyright is not installed (pip install 'pyright[nodejs]'); mypy still runs",
)
def test_pyright_strict_accepts_the_models_and_their_use(
    package: GeneratedPackage,
) -> None:
    usage = USAGE.replace("  # type: ignore[arg-type]", "  # pyright: ignore")
    (package.folder / "usage.py").write_text(usage, encoding="utf-8")
    config = package.folder.parent / "pyrightconfig.json"
    config.write_text(
        json.dumps(
            {
                "typeCheckingMode": "strict",
                "reportUnnecessaryTypeIgnoreComment": "error",
                "pythonVersion": "3.11",
                "include": [f"{package.name}/models.py", f"{package.name}/usage.py"],
            }
        ),
        encoding="utf-8",
    )
    try:
        checked = subprocess.run(
            [str(PYRIGHT if PYRIGHT.exists() else shutil.which("pyright"))]
            + ["-p", str(config), "--pythonpath", sys.executable],
            cwd=package.folder.parent,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        (package.folder / "usage.py").unlink()
    assert checked.returncode == 0, checked.stdout
