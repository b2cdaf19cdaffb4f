"""The packages generated from the fixture specs behave as their specs say.

tests/fixtures/library is an OpenAPI 3.1 spec over five files (recursive Shelf,
keyword and dashed property names, a `kind`-discriminated `Media` union, type
lists with "null"); tests/fixtures/petstore30 is OpenAPI 3.0.3 over two files
(allOf inheritance, a `petType`-discriminated `AnyPet`, `nullable: true`).

Each package is generated once per session under a unique name, imported from a
temporary folder, and exercised through pydantic: these tests look at what the
models accept, reject and emit, not at the text of models.py.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from codegen.naming import pascal_case
from codegen.pipeline import generate_package

from .conftest import FIXTURES, mypy_strict_command, run_codegen

SESSION = uuid.uuid4().hex[:8]

SPECS = {
    "library": FIXTURES / "library" / "openapi.yaml",
    "petstore30": FIXTURES / "petstore30" / "openapi.yaml",
}
# The files holding each spec's named schemas (top-level keys are the component names).
SCHEMA_FILES = {
    "library": [
        FIXTURES / "library" / "schemas" / "books.yaml",
        FIXTURES / "library" / "schemas" / "common.yaml",
    ],
    "petstore30": [FIXTURES / "petstore30" / "schemas.yaml"],
}
NAMED_IN_BRIEF = {
    "library": {
        "Book",
        "BookCreate",
        "Shelf",
        "Media",
        "PrintedBook",
        "EBook",
        "AudioBook",
        "Provenance",
        "Error",
    },
    "petstore30": {"Pet", "Dog", "Cat", "AnyPet", "Error"},
}
# Bare names an owner-less enum or response model would get.
GENERIC_NAMES = {
    "Model",
    "Response",
    "Kind",
    "Status",
    "Sort",
    "Binding",
    "FileFormat",
    "PetType",
    "Type",
    "Enum",
    "Root",
}


def component_names(fixture: str) -> set[str]:
    names: set[str] = set()
    for path in SCHEMA_FILES[fixture]:
        names |= set(yaml.safe_load(path.read_text(encoding="utf-8")))
    return names


def operation_stems(fixture: str) -> set[str]:
    """`listBooks` -> `ListBooks`: prefixes allowed for models of inline operation schemas."""
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in SPECS[fixture].parent.rglob("*.yaml")
    )
    return {op[:1].upper() + op[1:] for op in re.findall(r"operationId:\s*(\w+)", text)}


@dataclass(frozen=True)
class Generated:
    fixture: str
    package: str
    folder: Path  # the package folder; its parent is on sys.path while in use
    files: dict[str, str]
    models: ModuleType

    def classes(self) -> dict[str, type]:
        """The classes models.py defines itself (not the ones it imports).

        pydantic also registers parametrised bases such as `RootModel[Union[Dog, Cat]]`
        in the module; those are not names of the module's source and are left out.
        """
        return {
            name: obj
            for name, obj in vars(self.models).items()
            if inspect.isclass(obj)
            and obj.__module__ == self.models.__name__
            and name.isidentifier()
            and obj.__name__ == name
            and name != "OpenInAnswers"  # the enum aliases' marker, not a model
        }

    def aliases(self) -> dict[str, Any]:
        """The enums models.py defines: `Literal` type aliases (open ones `Annotated`)."""
        return {
            name: obj
            for name, obj in vars(self.models).items()
            if get_origin(obj) in (Literal, Annotated)
        }

    def __getattr__(self, name: str) -> Any:
        return getattr(self.models, name)


def write_files(folder: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def forget_modules(prefix: str) -> None:
    for name in [m for m in sys.modules if m == prefix or m.startswith(prefix + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module", params=sorted(SPECS))
def generated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Generated]:
    yield from _generated(request.param, tmp_path_factory)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _generated("library", tmp_path_factory)


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    yield from _generated("petstore30", tmp_path_factory)


def _generated(
    fixture: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Generated]:
    # A fresh name each time: never collides with another import of the same fixture.
    package = f"{fixture}_{SESSION}_{uuid.uuid4().hex[:6]}"
    root = tmp_path_factory.mktemp(fixture)
    files = generate_package(SPECS[fixture], package)
    write_files(root / package, files)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        models = importlib.import_module(f"{package}.models")
        yield Generated(fixture, package, root / package, files, models)
    finally:
        sys.path.remove(str(root))
        forget_modules(package)


def rejects(model: type[BaseModel], data: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value


# --- both fixtures ---------------------------------------------------------------------------


def test_package_layout_and_version(generated: Generated) -> None:
    assert {"__init__.py", "models.py", "py.typed", "pyproject.toml"} <= set(
        generated.files
    )
    package = importlib.import_module(generated.package)
    info = yaml.safe_load(SPECS[generated.fixture].read_text(encoding="utf-8"))["info"]
    assert package.__version__ == info["version"]


def test_every_component_is_a_model_class(generated: Generated) -> None:
    classes = generated.classes()
    expected = component_names(generated.fixture)
    assert NAMED_IN_BRIEF[generated.fixture] <= expected
    for name in sorted(expected):
        assert name in classes, f"component {name} has no class"
        assert issubclass(classes[name], BaseModel), name


def test_no_anonymous_or_duplicate_class_names(generated: Generated) -> None:
    components = component_names(generated.fixture)
    owners = components | operation_stems(generated.fixture)
    for name in generated.classes():
        assert name not in GENERIC_NAMES, name
        assert not re.fullmatch(r"(Model|Response|Item|Enum)\d*", name), name
        assert not re.search(r"\d$", name), f"{name}: numbered duplicate"
        assert not re.search(r"Response\d{3}$", name), name
        # Everything else is named after the component or operation that owns it.
        assert any(name.startswith(owner) for owner in owners), (
            f"{name} has no owner prefix"
        )


def test_enums_are_literal_aliases_named_after_their_owner(
    generated: Generated,
) -> None:
    assert not [c for c in generated.classes().values() if issubclass(c, enum.Enum)]
    components = component_names(generated.fixture)
    fields = {
        pascal_case(field.alias or name)
        for model in generated.classes().values()
        if issubclass(model, BaseModel)
        for name, field in model.model_fields.items()
    }
    for name in generated.aliases():
        # A component's own name, a field's name, or <Owner><Field>.
        owner = [c for c in components if name.startswith(c)]
        assert owner or name in fields, f"enum {name} is not named after its owner"


def test_generation_is_deterministic_in_process(generated: Generated) -> None:
    again = generate_package(SPECS[generated.fixture], generated.package)
    assert list(again) == list(generated.files)
    assert {p: t.encode() for p, t in again.items()} == {
        p: t.encode() for p, t in generated.files.items()
    }


def test_generation_is_deterministic_across_processes_and_matches_the_api(
    generated: Generated, tmp_path: Path
) -> None:
    trees = []
    for seed in ("0", "12345"):
        out = tmp_path / f"seed{seed}" / generated.package
        result = run_codegen(
            "generate",
            "--spec",
            SPECS[generated.fixture],
            "--output",
            out,
            "--package",
            generated.package,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1]
    assert trees[0] == {p: t.encode("utf-8") for p, t in generated.files.items()}
    result = run_codegen(
        "check",
        "--spec",
        SPECS[generated.fixture],
        "--output",
        out,
        "--package",
        generated.package,
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (0, "")


def test_package_works_under_a_parent_package(
    generated: Generated, tmp_path: Path
) -> None:
    outer = f"outer_{uuid.uuid4().hex[:8]}"
    (tmp_path / outer).mkdir()
    (tmp_path / outer / "__init__.py").write_text("")
    write_files(tmp_path / outer / "inner", generated.files)
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        models = importlib.import_module(f"{outer}.inner.models")
        assert {"Error"} <= set(vars(models))
    finally:
        sys.path.remove(str(tmp_path))
        forget_modules(outer)


def test_mypy_strict_passes(generated: Generated) -> None:
    result = subprocess.run(
        mypy_strict_command(generated.folder),
        cwd=generated.folder.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


# --- library (OpenAPI 3.1) -------------------------------------------------------------------

PRINTED = {
    "kind": "printed",
    "page-count": 320,
    "isbn": "9780141036144",
    "binding": "paperback",
}
EBOOK = {"kind": "ebook", "file_format": "epub", "file_size_bytes": 1024, "drm": False}
AUDIO = {"kind": "audio", "duration_seconds": 3600, "narrator": None}


def book(**overrides: Any) -> dict[str, Any]:
    data = {
        "id": 7,
        "title": "Nineteen Eighty-Four",
        "authors": ["George Orwell"],
        "media": PRINTED,
        "class": "823.912",
        "global": True,
    }
    return {**data, **overrides}


def test_recursive_shelf_validates_a_nested_tree_and_round_trips(
    library: Generated,
) -> None:
    tree = {
        "id": 1,
        "name": "Fiction",
        "description": None,
        "parent": None,
        "children": [
            {
                "id": 2,
                "name": "Classics",
                "parent": {"id": 1, "name": "Fiction"},
                "children": [
                    {
                        "id": 3,
                        "name": "Russian classics",
                        "parent": {"id": 2, "name": "Classics"},
                        "children": [],
                        "books": [
                            {"id": 10, "title": "War and Peace", "kind": "printed"}
                        ],
                    }
                ],
                "books": [],
            }
        ],
    }
    shelf = library.Shelf.model_validate(tree)
    leaf = shelf.children[0].children[0]
    assert isinstance(leaf, library.Shelf)
    assert leaf.name == "Russian classics"
    assert isinstance(leaf.parent, library.ShelfRef)
    assert isinstance(leaf.books[0], library.BookSummary)
    assert leaf.books[0].kind == "printed"
    assert shelf.parent is None and shelf.description is None
    assert shelf.model_dump(by_alias=True, exclude_unset=True) == tree
    assert shelf.model_dump(mode="json", by_alias=True, exclude_unset=True) == tree
    assert (
        library.Shelf.model_validate_json(shelf.model_dump_json(by_alias=True)) == shelf
    )
    # The recursion is really checked at depth: a bad grandchild is rejected.
    tree["children"][0]["children"][0]["children"] = [
        {"id": 4, "name": "x", "children": "nope"}
    ]
    rejects(library.Shelf, tree)


def test_keyword_properties_use_trailing_underscore_attributes_and_wire_names(
    library: Generated,
) -> None:
    for model in (library.Book, library.BookCreate, library.BookUpdate):
        assert model.model_fields["class_"].alias == "class"
        assert model.model_fields["global_"].alias == "global"
        assert "class" not in model.model_fields and "global" not in model.model_fields
    value = library.Book.model_validate(book())
    assert value.class_ == "823.912"
    assert value.global_ is True
    wire = value.model_dump(by_alias=True)
    assert wire["class"] == "823.912" and wire["global"] is True
    assert "class_" not in wire and "global_" not in wire
    assert value.model_dump()["class_"] == "823.912"
    # The wire name is what validation reads: without it the required field is missing.
    data = book()
    del data["class"]
    missing = rejects(library.Book, data)
    assert any(
        e["loc"] == ("class",) and e["type"] == "missing" for e in missing.errors()
    )

    provenance = library.Provenance.model_validate(
        {"from": "Library of Congress", "import": "2024-05-01T12:00:00Z"}
    )
    assert provenance.from_ == "Library of Congress"
    assert (
        isinstance(provenance.import_, datetime)
        and provenance.import_.tzinfo is not None
    )
    assert provenance.model_dump(mode="json", by_alias=True) == {
        "from": "Library of Congress",
        "import": "2024-05-01T12:00:00Z",
    }
    assert (
        library.Provenance.model_validate({"from": "x", "import": None}).import_ is None
    )
    rejects(library.Provenance, {"import": None})  # `from` is required
    # Type checkers take the attribute names as the keywords: the model accepts them.
    by_name = library.Provenance(from_="British Library", import_=None)
    assert by_name.from_ == "British Library" and by_name.model_extra == {}


def test_dashed_property_becomes_snake_case_with_alias(library: Generated) -> None:
    assert library.PrintedBook.model_fields["page_count"].alias == "page-count"
    printed = library.PrintedBook.model_validate(PRINTED)
    assert printed.page_count == 320
    assert printed.model_dump(by_alias=True)["page-count"] == 320
    assert "page_count" not in printed.model_dump(by_alias=True)
    assert (
        library.PrintedBook.model_validate_json(printed.model_dump_json(by_alias=True))
        == printed
    )
    rejects(library.PrintedBook, {**PRINTED, "page-count": 0})  # minimum: 1
    rejects(library.PrintedBook, {"kind": "printed"})  # page-count is required


@pytest.mark.parametrize(
    ("data", "model"),
    [(PRINTED, "PrintedBook"), (EBOOK, "EBook"), (AUDIO, "AudioBook")],
)
def test_media_union_picks_the_class_by_kind(
    library: Generated, data: dict[str, Any], model: str
) -> None:
    media = library.Media.model_validate(data)
    assert type(media.root) is getattr(library, model)
    assert media.model_dump(by_alias=True, exclude_unset=True) == data
    inside = library.Book.model_validate(book(media=data))
    assert type(inside.media.root) is getattr(library, model)
    assert inside.model_dump(by_alias=True, exclude_unset=True)["media"] == data


def test_media_union_rejects_an_unknown_or_missing_kind(library: Generated) -> None:
    unknown = rejects(library.Media, {"kind": "vinyl", "page-count": 3})
    assert [e["type"] for e in unknown.errors()] == ["union_tag_invalid"]
    missing = rejects(library.Media, {"page-count": 3})
    assert [e["type"] for e in missing.errors()] == ["union_tag_not_found"]
    # The tag decides: an ebook body under the printed tag is not an ebook.
    rejects(library.Media, {**EBOOK, "kind": "printed"})
    rejects(library.Book, book(media={"kind": "vinyl"}))


def test_nullable_fields_accept_none_and_others_do_not(library: Generated) -> None:
    value = library.Book.model_validate(
        book(subtitle=None, published_year=None, provenance=None, shelf=None)
    )
    assert (value.subtitle, value.published_year, value.provenance, value.shelf) == (
        None,
        None,
        None,
        None,
    )
    assert (
        library.Error.model_validate(
            {"code": "x", "message": "y", "request_id": None}
        ).request_id
        is None
    )
    assert library.PrintedBook.model_validate({**PRINTED, "isbn": None}).isbn is None
    assert library.AudioBook.model_validate(AUDIO).narrator is None
    assert (
        library.BookCreate.model_validate(
            {
                "title": "t",
                "authors": ["a"],
                "media": EBOOK,
                "class": "1",
                "shelf_id": None,
            }
        ).shelf_id
        is None
    )
    # Required and nullable: null is fine, leaving it out is not.
    page = library.BookPage.model_validate({"items": [book()], "next_cursor": None})
    assert page.next_cursor is None and isinstance(page.items[0], library.Book)
    rejects(library.BookPage, {"items": []})
    # Not nullable: null is refused.
    for field, value_ in (
        ("title", None),
        ("class", None),
        ("authors", None),
        ("media", None),
    ):
        rejects(library.Book, book(**{field: value_}))
    rejects(library.Book, book(published_year=1200))  # minimum 1450 still applies


def test_non_nullable_property_with_default_refuses_none(library: Generated) -> None:
    rejects(
        library.BookCreate,
        {"title": "t", "authors": ["a"], "media": EBOOK, "class": "1", "global": None},
    )
    rejects(library.EBook, {**EBOOK, "drm": None})


def test_inline_enums_are_literal_aliases_named_after_their_field(
    library: Generated,
) -> None:
    aliases = library.aliases()
    assert {"Kind", "FileFormat", "Binding"} <= set(aliases)
    summary = library.BookSummary.model_validate(
        {"id": 1, "title": "t", "kind": "ebook"}
    )
    assert summary.kind == "ebook" and type(summary.kind) is str
    assert library.EBook.model_validate(EBOOK).file_format == EBOOK["file_format"]
    literal, _marker = get_args(aliases["Binding"])
    assert get_args(literal) == ("hardcover", "paperback")
    rejects(library.EBook, {**EBOOK, "file_format": "docx"})
    rejects(library.BookSummary, {"id": 1, "title": "t", "kind": "vinyl"})
    assert summary.model_dump(mode="json")["kind"] == "ebook"


# --- petstore30 (OpenAPI 3.0.3) --------------------------------------------------------------

DOG = {"id": 1, "name": "Rex", "petType": "dog", "bark_volume": 7}
CAT = {"id": 2, "name": "Tom", "petType": "cat", "indoor": True}


def test_any_pet_discriminates_on_pet_type(petstore: Generated) -> None:
    dog = petstore.AnyPet.model_validate(DOG).root
    cat = petstore.AnyPet.model_validate(CAT).root
    assert type(dog) is petstore.Dog and type(cat) is petstore.Cat
    assert (dog.name, dog.bark_volume, cat.indoor) == ("Rex", 7, True)
    assert petstore.AnyPet.model_validate(DOG).model_dump(exclude_unset=True) == DOG
    unknown = rejects(petstore.AnyPet, {**DOG, "petType": "fish"})
    assert [e["type"] for e in unknown.errors()] == ["union_tag_invalid"]
    rejects(petstore.AnyPet, {k: v for k, v in DOG.items() if k != "petType"})
    rejects(petstore.AnyPet, {**CAT, "petType": "dog"})  # a cat body is not a dog


def test_all_of_keeps_the_base_fields(petstore: Generated) -> None:
    for data, model in ((DOG, petstore.Dog), (CAT, petstore.Cat)):
        for required in ("id", "name"):
            rejects(model, {k: v for k, v in data.items() if k != required})
    rejects(petstore.Dog, {**DOG, "bark_volume": 11})  # maximum 10
    rejects(
        petstore.Dog, {**DOG, "petType": "cat"}
    )  # the enum narrows the base's string
    assert petstore.Pet.model_validate({**DOG, "petType": "parrot"}).petType == "parrot"


def test_nullable_true_fields_accept_none(petstore: Generated) -> None:
    assert petstore.Pet.model_validate({**DOG, "tag": None}).tag is None
    assert (
        petstore.Dog.model_validate({**DOG, "breed": None, "tag": None}).breed is None
    )
    assert petstore.Cat.model_validate({**CAT, "lives_left": None}).lives_left is None
    rejects(petstore.Cat, {**CAT, "lives_left": 10})  # maximum 9 still applies
    rejects(petstore.Pet, {**DOG, "name": None})
    rejects(petstore.Dog, {**DOG, "bark_volume": None})
    rejects(petstore.Error, {"code": None, "message": "m"})
