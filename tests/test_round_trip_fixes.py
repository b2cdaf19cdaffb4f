"""Shapes the round trip found failing, over real HTTP: generated client -> generated server.

tests/fixtures/round_trip_fixes declares a multipart form with objects, lists
of objects, lists holding nulls and nested lists; a urlencoded form with an
object; a multipart body that is a `oneOf`; int and bool enum parameters in
the path, the query and a header; free-form objects and an `allOf` over an
alias; unions discriminated without a `mapping`. The handlers here echo what
they read, so each test checks what crossed the wire both ways.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from codegen.discriminators import implicit
from codegen.ir import build_api
from codegen.model_document import generator_schemas, is_free_form
from codegen.spec import load_spec

from .conftest import FIXTURES, mypy_strict_command
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "round_trip_fixes" / "openapi.yaml"


# --- decisions (IR, model document) ----------------------------------------------------------


@pytest.fixture(scope="module")
def api() -> Any:
    return build_api(load_spec(SPEC))


def operation(api: Any, name: str) -> Any:
    return next(op for op in api.operations if op.name == name)


def test_form_fields_are_repeated_or_json_by_shape_and_encoding(api: Any) -> None:
    body = operation(api, "create_profile").body
    assert body.array_fields == ("tags",)
    # Objects, lists of objects, lists with nulls, nested lists, and what `encoding` says.
    assert set(body.json_fields) == {
        "address",
        "contacts",
        "scores",
        "matrix",
        "labels",
    }


def test_urlencoded_objects_follow_their_encoding_style(api: Any) -> None:
    body = operation(api, "save_settings").body
    styles = {o.name: (o.style, o.fields) for o in body.form_objects}
    assert styles == {
        "window": ("exploded", ("width", "height")),
        "margins": ("deep", ("width", "height")),
        "origin": ("pairs", ("x", "label")),
    }
    # A list of objects has no form style; an exploded object whose keys clash neither.
    assert body.json_fields == ("history", "clash")


def test_union_form_fields_come_from_every_option(api: Any) -> None:
    body = operation(api, "create_pet").body
    assert body.array_fields == ("toys",)
    assert body.json_fields == ("owner",)
    assert body.file_fields == ("photo",)


def test_int_and_bool_enum_parameters_are_read_from_text(api: Any) -> None:
    literals = {p.name: p.text_literal for p in operation(api, "get_level").params}
    assert literals == {
        "step": "int",
        "level": "int",
        "levels": "int",
        "steps": "int",
        "flag": "bool",
        "X-Level": "int",
    }


def test_discriminator_mapping_is_derived_from_the_options_values(api: Any) -> None:
    def mapping(name: str) -> dict[str, str]:
        schema = next(m for m in api.models if m.name == name).schema
        found: dict[str, str] = schema["discriminator"]["mapping"]
        return {value: ref.rsplit("/", 1)[1] for value, ref in found.items()}

    assert mapping("Shape") == {"circle": "Circle", "square": "Square"}
    assert mapping("Filter") == {
        "eq": "Comparison",
        "ne": "Comparison",
        "and": "Compound",
        "or": "Compound",
    }


def test_discriminator_that_cannot_be_mapped_is_dropped_with_a_warning() -> None:
    spec = load_spec(SPEC)
    api = build_api(spec)
    message = next(m for m in api.models if m.name == "Chat").schema
    assert "discriminator" not in message
    warnings = [w.message for w in spec.diagnostics.warnings]
    assert any(
        "InMessage and OutMessage share the value 'message'" in w for w in warnings
    )


def test_implicit_discriminator_kept_when_names_are_the_values() -> None:
    schemas = {
        "cat": {"properties": {"kind": {"enum": ["cat"]}}},
        "dog": {"properties": {"kind": {"type": "string"}}},
    }
    decision = implicit(["cat", "dog"], "kind", schemas)
    assert decision.mapping is None and decision.problem is None


def test_model_document_opens_free_forms_and_follows_aliases() -> None:
    schemas = {
        "Free": {"type": "object", "description": "x"},
        "Closed": {"type": "object", "additionalProperties": False},
        "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Alias": {"$ref": "#/components/schemas/Base", "title": "Alias"},
        "Again": {"$ref": "#/components/schemas/Alias"},
        "Extended": {
            "allOf": [{"$ref": "#/components/schemas/Again"}, {"type": "object"}]
        },
    }
    out = generator_schemas(schemas)
    assert out["Free"]["additionalProperties"] is True
    # Every object model keeps unknown fields unless it is closed; a model that
    # extends another inherits its setting.
    assert out["Base"]["additionalProperties"] is True
    assert out["Closed"]["additionalProperties"] is False
    assert out["Extended"]["allOf"][0] == {"$ref": "#/components/schemas/Base"}
    assert "additionalProperties" not in out["Extended"]
    assert out["Alias"] == schemas["Alias"]  # the alias itself stays as written
    assert not is_free_form({"type": "object", "properties": {}})


# --- over HTTP -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    root = tmp_path_factory.mktemp("round_trip_fixes")
    with generated_package(SPEC, root, stem="rtfixes") as generated:
        yield generated


class Handlers:
    def __init__(self, models: Any) -> None:
        self.models = models
        self.content_types: list[str] = []

    async def create_profile(self, body: Any, context: Any) -> Any:
        self.content_types.append(context.request.headers["content-type"])
        data = body.model_dump(exclude={"avatar"}, exclude_unset=True)
        if body.avatar is not None:
            data["avatar_size"] = len(body.avatar)
        return self.models.Profile.model_validate(data)

    async def save_settings(self, body: Any, context: Any) -> Any:
        return body

    async def create_pet(self, body: Any, context: Any) -> Any:
        photo = getattr(body.root, "photo", None)
        if photo is not None:  # bytes are no JSON: say what came
            return body.model_copy(
                update={
                    "root": body.root.model_copy(
                        update={"photo": None, "name": f"{body.root.name}:{len(photo)}"}
                    )
                }
            )
        return body

    async def get_level(self, context: Any, **values: Any) -> Any:
        return self.models.Levels(
            step=values["step"],
            level=values["level"],
            levels=values["levels"],
            steps=values["steps"],
            flag=values["flag"],
            header=values["x_level"],
        )

    async def get_things(self, context: Any) -> Any:
        return self.models.Things.model_validate(
            {
                "free": {"anything": [1, 2], "at": {"all": True}},
                "extended": {"id": "b-1", "extra": 3},
                "either": {"colour": "red"},
            }
        )

    async def search(self, body: Any, context: Any) -> Any:
        return body


@pytest.fixture(scope="module")
def handlers(package: GeneratedPackage) -> Handlers:
    return Handlers(package.module("models"))


@pytest.fixture(scope="module")
def url(package: GeneratedPackage, handlers: Handlers) -> Iterator[str]:
    app = package.module("server").create_app(handlers)
    with serve(app) as served:
        yield served


@pytest.fixture
def client(package: GeneratedPackage, url: str) -> Iterator[Any]:
    with package.module("client").Client(url, max_retries=0) as client:
        yield client


def test_multipart_objects_and_odd_lists_round_trip(
    package: GeneratedPackage, client: Any
) -> None:
    models = package.module("models")
    profile = client.create_profile(
        name="Ada",
        address=models.Address(city="London", zip="N1"),
        avatar=("a.png", b"\x89PNG\x00\xff"),
        contacts=[
            models.Contact(kind="mail", value="a@b.c"),
            models.Contact(kind="tel", value="1"),
        ],
        tags=["x", "y"],
        scores=[1, None, 3],
        matrix=[[1, 2], [], [3]],
        labels=["one"],
    )
    assert profile.address.city == "London" and profile.address.zip == "N1"
    assert [c.kind for c in profile.contacts] == ["mail", "tel"]
    assert profile.tags == ["x", "y"]
    assert profile.scores == [1, None, 3]
    assert profile.matrix == [[1, 2], [], [3]]
    assert profile.labels == ["one"]
    assert profile.avatar_size == 6


def test_a_multipart_form_without_files_is_still_multipart(
    package: GeneratedPackage, client: Any, handlers: Handlers
) -> None:
    # httpx sends fields without files urlencoded; a server that takes only
    # multipart/form-data (and another media type) would answer 415.
    handlers.content_types.clear()
    address = package.module("models").Address(city="Oslo", zip="0150")
    profile = client.create_profile(name="Ada", address=address, tags=["x", "y"])
    assert profile.name == "Ada" and profile.tags == ["x", "y"]
    (content_type,) = handlers.content_types
    assert content_type.startswith("multipart/form-data; boundary=")


def test_multipart_json_fields_are_json_on_the_wire(url: str) -> None:
    """What another client sends by OpenAPI's rule (`application/json` parts) is read too."""
    response = httpx.post(
        f"{url}/profiles",
        files=[
            ("name", (None, b"Bo", "text/plain")),
            ("address", (None, b'{"city": "Oslo"}', "application/json")),
            ("contacts", (None, b'[{"kind": "k", "value": "v"}]', "application/json")),
        ],
    )
    assert response.status_code == 200, response.text
    assert response.json()["contacts"] == [{"kind": "k", "value": "v"}]
    bad = httpx.post(f"{url}/profiles", data={"name": "Bo", "address": "{not json"})
    assert bad.status_code == 400
    assert "address" in bad.text


def test_urlencoded_objects_round_trip(package: GeneratedPackage, client: Any) -> None:
    models = package.module("models")
    settings = client.save_settings(
        name="w",
        window=models.Window(width=3, height=4),
        margins=models.Window(width=1, height=2),
        origin={"x": 5, "label": "top"},
        history=[models.Window(width=7, height=8)],
        clash={"name": "inner"},
    )
    assert (settings.window.width, settings.window.height) == (3, 4)
    assert (settings.margins.width, settings.margins.height) == (1, 2)
    assert (settings.origin.x, settings.origin.label) == (5, "top")
    assert settings.history[0].height == 8
    assert (settings.name, settings.clash.name) == ("w", "inner")


def test_urlencoded_objects_are_written_in_their_style(url: str) -> None:
    """The wire as OpenAPI writes it, from any client."""
    form = "name=w&width=3&height=4&margins[width]=1&margins[height]=2&origin=x,5,label,top"
    response = httpx.post(
        f"{url}/settings",
        content=form.encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["window"] == {"width": 3, "height": 4}
    assert response.json()["margins"] == {"width": 1, "height": 2}
    assert response.json()["origin"] == {"x": 5, "label": "top"}


def test_union_multipart_body_is_sent_as_a_form(
    package: GeneratedPackage, client: Any
) -> None:
    models = package.module("models")
    cat = client.create_pet(
        body=models.Pet(models.Cat(kind="cat", name="Tom", toys=["ball", "mouse"]))
    )
    assert isinstance(cat.root, models.Cat) and cat.root.toys == ["ball", "mouse"]
    photo = client.create_pet(
        body=models.Pet(models.Cat(kind="cat", name="Tom", photo=b"\x89PNG\xff\x00"))
    )
    assert photo.root.name == "Tom:6"
    dog = client.create_pet(
        body=models.Pet.model_validate(
            {"kind": "dog", "name": "Rex", "owner": {"kind": "k", "value": "v"}}
        )
    )
    assert isinstance(dog.root, models.Dog) and dog.root.owner.value == "v"


def test_int_and_bool_enum_parameters_round_trip(client: Any) -> None:
    levels = client.get_level(
        step=-1, level=2, levels=[1, -1], steps=[2, 1], flag=False, x_level=3
    )
    assert (levels.step, levels.level, levels.levels, levels.steps) == (
        -1,
        2,
        [1, -1],
        [2, 1],
    )
    assert levels.flag is False and levels.header == 3


def test_enum_parameters_outside_the_enum_are_refused(url: str) -> None:
    assert httpx.get(f"{url}/levels/5", params={"level": 1}).status_code == 400
    assert httpx.get(f"{url}/levels/1", params={"level": "x"}).status_code == 400
    assert (
        httpx.get(f"{url}/levels/1", params={"level": 1, "steps": "1,7"}).status_code
        == 400
    )


def test_free_form_objects_and_alias_inheritance_keep_their_data(
    client: Any, url: str
) -> None:
    things = client.get_things()
    assert things.free.model_dump() == {"anything": [1, 2], "at": {"all": True}}
    assert (things.extended.id, things.extended.extra) == ("b-1", 3)
    assert httpx.get(f"{url}/things").json()["either"] == {"colour": "red"}


def test_unions_without_mapping_round_trip(
    package: GeneratedPackage, client: Any
) -> None:
    models = package.module("models")
    result = client.search(
        filter=models.Filter.model_validate(
            {"type": "and", "filters": [{"type": "eq", "key": "k", "value": "v"}]}
        ),
        shape=models.Shape.model_validate({"kind": "square", "side": 2}),
    )
    assert isinstance(result.filter.root, models.Compound)
    assert result.filter.root.filters[0].type == "eq"
    assert isinstance(result.shape.root, models.Square)
    plain = client.search(
        filter=models.Filter.model_validate({"type": "ne", "key": "k", "value": "v"}),
        shape=models.Shape.model_validate({"kind": "circle", "radius": 1}),
    )
    assert isinstance(plain.filter.root, models.Comparison)
    said = client.search(
        filter=plain.filter,
        shape=plain.shape,
        message=models.Chat.model_validate(
            {"type": "message", "role": "assistant", "text": "hi"}
        ),
    )
    assert isinstance(said.message.root, models.OutMessage)


def test_generated_package_is_strictly_typed(
    package: GeneratedPackage,
) -> None:
    import subprocess

    result = subprocess.run(
        mypy_strict_command(package.folder),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
