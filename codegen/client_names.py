"""Where each operation lives on the generated client: resources by tag, method names.

An operation with tags is a method of the resource of its first tag
(`client.images.…`); one without stays a method of the client. Inside a
resource, a method is named after the operation with the tag's words taken
out, in singular or plural (`createImageEdit` under `Images` -> `create_edit`,
`listModels` under `Models` -> `list`). The operation's own name is kept when
nothing would be left, when the result is not a usable identifier, or when
two operations of the resource would get the same name.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field

from .ir import Api, Operation, distinct_name
from .naming import pascal_case, snake_case, words

CLIENT_ATTRIBUTES = frozenset(
    {
        "base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "with_options",
        "with_raw_response",
        "close",
    }
)
"""Names a client has besides its resources and methods."""
RESOURCE_ATTRIBUTES = frozenset({"with_raw_response"})
"""Names a resource has besides its methods."""
CLASS_SCOPE_NAMES = frozenset(
    {"AsyncClient", "AsyncClientWithRawResponse", "AsyncRawResponse", "AsyncStream"}
    | {"BaseException", "Client", "ClientWithRawResponse", "Literal", "Mapping"}
    | {"None", "NotGiven", "RawResponse", "Stream", "TracebackType", "bool", "dict"}
    | {"float", "httpx", "int", "object", "overload", "property", "str", "type"}
)
"""Names the client and resource classes use in their annotations and decorators.

A method of the same name would hide them from type checkers in the rest of
the class (`def list` before `x: list[int]`), so methods keep clear of them,
and of the names in their own class's argument and answer types."""
CLIENT_CLASSES = frozenset(
    {
        "Client",
        "AsyncClient",
        "ClientWithRawResponse",
        "AsyncClientWithRawResponse",
        "RawResponse",
        "AsyncRawResponse",
    }
)


@dataclass(frozen=True)
class Resource:
    """The operations of one tag, as an attribute of the client."""

    tag: str
    attribute: str
    """`images`: the client's attribute."""
    class_name: str
    """`ImagesResource`; `Async…` and `…WithRawResponse` are built from it."""
    operations: tuple[str, ...]
    """The IR names of its operations, in spec order."""


@dataclass(frozen=True)
class ClientLayout:
    resources: tuple[Resource, ...]
    method_names: dict[str, str] = field(default_factory=dict)
    """The method name of each operation (by IR name), in its resource or the client."""
    resource_of: dict[str, str] = field(default_factory=dict)
    """The resource attribute of each tagged operation (by IR name)."""

    def call_path(self, operation: str) -> tuple[str, ...]:
        """`("images", "generation")`: the attributes from the client to the method."""
        resource = self.resource_of.get(operation)
        method = self.method_names[operation]
        return (resource, method) if resource else (method,)


def client_layout(
    api: Api,
    taken_attributes: set[str] | frozenset[str] = frozenset(),
    taken_classes: set[str] | frozenset[str] = frozenset(),
    annotation_names: Mapping[str, set[str]] | None = None,
) -> ClientLayout:
    """The resources and method names of `api`'s client.

    `taken_attributes`: further names of the client;
    `taken_classes`: module names the resource classes must not hide (models);
    `annotation_names`: the names in each operation's (by IR name) argument
    and answer types, which no method of its class may take.
    """
    names_in = annotation_names or {}
    by_tag: dict[str, list[Operation]] = {}
    untagged: list[Operation] = []
    for op in api.operations:
        if op.tags:
            by_tag.setdefault(op.tags[0], []).append(op)
        else:
            untagged.append(op)
    client_names = set(CLIENT_ATTRIBUTES) | set(taken_attributes)
    avoid = set(CLASS_SCOPE_NAMES).union(
        *(names_in.get(op.name, set()) for op in untagged)
    )
    method_names = {}
    for op in untagged:
        method_names[op.name] = distinct_name(op.name, client_names | avoid)
        client_names.add(method_names[op.name])
    classes = set(CLIENT_CLASSES) | set(taken_classes)
    resources = []
    resource_of = {}
    for tag, operations in by_tag.items():
        attribute = distinct_name(_attribute(tag), client_names)
        resources.append(
            Resource(
                tag,
                attribute,
                _class_name(tag, classes),
                tuple(op.name for op in operations),
            )
        )
        avoid = set(CLASS_SCOPE_NAMES).union(
            *(names_in.get(op.name, set()) for op in operations)
        )
        method_names.update(
            resource_methods(tag, [op.name for op in operations], avoid)
        )
        resource_of.update((op.name, attribute) for op in operations)
    return ClientLayout(tuple(resources), method_names, resource_of)


def resource_methods(
    tag: str, operations: list[str], avoid: set[str] | frozenset[str] = frozenset()
) -> dict[str, str]:
    """The method name of each operation (snake_case names) of the resource of `tag`.

    A name in `avoid` gets a trailing `_` (`list_`) when even the whole name is in it.
    """
    names = {op: method_name(op, tag, avoid) for op in operations}
    while True:
        counts: dict[str, int] = {}
        for name in names.values():
            counts[name] = counts.get(name, 0) + 1
        clashes = {op for op, name in names.items() if counts[name] > 1 and name != op}
        if not clashes:
            break
        # A shared short name goes back to the full names, which are distinct.
        names.update((op, op) for op in clashes)
    taken = set(avoid) | set(RESOURCE_ATTRIBUTES)
    return {op: distinct_name(name, taken) for op, name in names.items()}


def method_name(
    operation: str, tag: str, avoid: set[str] | frozenset[str] = frozenset()
) -> str:
    """`create_image_edit` under `Images` -> `create_edit`; the operation's name when nothing fits."""
    tag_forms = set().union(*(_singulars(w.lower()) for w in words(tag)))
    kept = [w for w in operation.split("_") if w and not _singulars(w) & tag_forms]
    name = "_".join(kept)
    if (
        not name
        or not name.isidentifier()
        or keyword.iskeyword(name)
        or name in RESOURCE_ATTRIBUTES
        or name in avoid
    ):
        return operation
    return name


def _singulars(word: str) -> set[str]:
    """What `word` may be the plural of, and itself: `images` -> image, `batches` -> batch."""
    forms = {word}
    if word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("ies"):
        forms.add(word[:-3] + "y")
    return forms


def _attribute(tag: str) -> str:
    return snake_case(tag)


def _class_name(tag: str, taken: set[str]) -> str:
    """`ImagesResource`, unless it or one of its variants is taken; claims all four."""
    base = pascal_case(tag) + "Resource"
    while any(name in taken for name in _variants(base)):
        base += "_"
    taken.update(_variants(base))
    return base


def _variants(base: str) -> tuple[str, ...]:
    return (
        base,
        f"Async{base}",
        f"{base}WithRawResponse",
        f"Async{base}WithRawResponse",
    )
