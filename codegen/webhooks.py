"""Payload models of webhooks (OpenAPI 3.1 `webhooks:`) and callbacks.

These are requests the API sends, not ones it serves: no route is generated
for them, but their bodies become models, so the code that sends or receives
them is typed. A body given by `$ref` already is a component model; an inline
one is named after its webhook (`OrderPlacedWebhook`) or its operation and
callback (`CreateSubscriptionOnEventCallback`), with the method when the path
item has several.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .media import media_kind
from .naming import pascal_case
from .spec import Pointer

if TYPE_CHECKING:
    from .ir import _Builder

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PAYLOAD_KINDS = ("json", "multipart", "form")


def payload_models(builder: _Builder) -> None:
    """Claim a model for every inline webhook and callback request body."""
    read = builder.read
    doc = builder.spec.document
    webhooks = read.mapping(doc.get("webhooks"), ("webhooks",), "`webhooks`")
    for name, item in webhooks.items():
        _path_item(builder, ("webhooks", name), item, f"{pascal_case(name)}Webhook")
    paths = read.mapping(doc.get("paths"), ("paths",), "`paths`")
    for path, path_item in paths.items():
        if not isinstance(path_item, dict):
            continue
        for method in _METHODS:
            operation = path_item.get(method)
            if not isinstance(operation, dict) or "callbacks" not in operation:
                continue
            where: Pointer = ("paths", path, method, "callbacks")
            owner = pascal_case(str(operation.get("operationId") or f"{method}_{path}"))
            callbacks = read.mapping(operation["callbacks"], where, "`callbacks`")
            for callback, expressions in callbacks.items():
                expressions = read.mapping(
                    expressions, where + (callback,), "the callback"
                )
                for expression, item in expressions.items():
                    _path_item(
                        builder,
                        where + (callback, expression),
                        item,
                        f"{owner}{pascal_case(callback)}Callback",
                    )


def _path_item(builder: _Builder, pointer: Pointer, item: Any, stem: str) -> None:
    item = builder.read.mapping(item, pointer, "the path item")
    methods = [m for m in _METHODS if isinstance(item.get(m), dict)]
    for method in methods:
        body = item[method].get("requestBody")
        if not isinstance(body, dict) or not isinstance(body.get("content"), dict):
            continue
        for media_type, media in body["content"].items():
            schema = media.get("schema") if isinstance(media, dict) else None
            if media_kind(media_type) in _PAYLOAD_KINDS and isinstance(schema, dict):
                name = stem + (pascal_case(method) if len(methods) > 1 else "")
                where = pointer + (method, "requestBody", "content", media_type)
                builder.inline(name, schema, where + ("schema",))
                break
