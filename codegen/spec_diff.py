"""What changed in an API between two specs, each change breaking or not for clients.

Both specs go through the loader, so split specs, references and spec errors
behave as in `generate`. Operations are matched by method and path template
(`/pets/{id}` matches `/pets/{petId}`); schemas are compared structurally,
following references, so a change to a shared component shows up under every
operation that uses it, and recursive schemas end at the first revisit.

One rule decides most classifications: a server reads requests and a client
reads responses. A change that narrows what a request may carry (a new required
field, a removed enum value, a tighter limit) or widens what a response may
carry (a new enum value, a field that may now be null or absent) breaks
existing clients; the mirror changes do not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .spec import LoadedSpec

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Header parameters OpenAPI tells tools to ignore: the media types and the security schemes set them.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

# Limits whose lower value allows less, and whose higher value allows less.
_UPPER_LIMITS = (
    "maxLength",
    "maxItems",
    "maxProperties",
    "maximum",
    "exclusiveMaximum",
)
_LOWER_LIMITS = (
    "minLength",
    "minItems",
    "minProperties",
    "minimum",
    "exclusiveMinimum",
)

_SECURITY_SCHEME_FIELDS = ("type", "scheme", "in", "name", "openIdConnectUrl")


class Direction(Enum):
    """Who reads the data a schema describes."""

    REQUEST = "request"  # the server: narrowing it breaks clients
    RESPONSE = "response"  # the client: widening it breaks clients


@dataclass(frozen=True)
class Change:
    """One difference between the specs, where it is and whether it breaks clients."""

    breaking: bool
    operation: str  # "POST /v1/images/edits", or "" for the API as a whole
    where: (
        str  # "request body multipart/form-data: mask", or "" for the operation itself
    )
    message: str

    def describe(self) -> str:
        """`where: message`, or the message alone."""
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class SpecDiff:
    """The changes found, in the order of the new spec's paths."""

    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [change for change in self.changes if change.breaking]

    @property
    def non_breaking(self) -> list[Change]:
        return [change for change in self.changes if not change.breaking]


def diff_specs(old: LoadedSpec, new: LoadedSpec) -> SpecDiff:
    """Every API change from `old` to `new`."""
    return _Differ(old.document, new.document).run()


@dataclass(frozen=True)
class _Operation:
    label: str  # "POST /pets/{petId}"
    path: str
    operation: dict[str, Any]
    path_item: dict[str, Any]


@dataclass(frozen=True)
class _At:
    """Where in an operation a schema comparison is, and who reads the data."""

    operation: str
    where: str
    direction: Direction
    # A text/event-stream union: clients keep unknown event types as generic events.
    open_union: bool = False

    def field(self, path: str) -> _At:
        joined = path if path.startswith("[") else f".{path}"
        where = self.where + joined if ": " in self.where else f"{self.where}: {path}"
        return _At(self.operation, where, self.direction)


class _Differ:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = _Document(old)
        self.new = _Document(new)
        self.changes: list[Change] = []
        self.seen: set[Change] = set()
        # Schema pairs being compared (recursion guard), by component names and direction.
        self.active: set[tuple[str, str, Direction]] = set()

    def run(self) -> SpecDiff:
        self.compare_security_schemes()
        old_ops = self.old.operations()
        new_ops = self.new.operations()
        for key, gone in old_ops.items():
            if key not in new_ops:
                self.report(True, gone.label, "", "operation removed")
        for key, new_op in new_ops.items():
            old_op = old_ops.get(key)
            if old_op is None:
                self.report(False, new_op.label, "", "operation added")
            else:
                self.compare_operation(old_op, new_op)
        return SpecDiff(self.changes)

    def report(self, breaking: bool, operation: str, where: str, message: str) -> None:
        change = Change(breaking, operation, where, message)
        if change not in self.seen:
            self.seen.add(change)
            self.changes.append(change)

    def note(self, at: _At, breaking: bool, message: str) -> None:
        self.report(breaking, at.operation, at.where, message)

    # -- security ------------------------------------------------------------

    def compare_security_schemes(self) -> None:
        old = self.old.security_schemes()
        new = self.new.security_schemes()
        for name in old.keys() & new.keys():
            for key in _SECURITY_SCHEME_FIELDS:
                before, after = old[name].get(key), new[name].get(key)
                if before != after:
                    message = f"{key} changed from {_show(before)} to {_show(after)}"
                    self.report(True, "", f"security scheme {name}", message)

    def compare_security(
        self, label: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        before = self.old.security(old)
        after = self.new.security(new)
        if before == after:
            return
        anonymous = frozenset[tuple[str, tuple[str, ...]]]()
        if anonymous in before and anonymous not in after:
            self.report(True, label, "security", f"now requires {_alternatives(after)}")
        elif anonymous in after and anonymous not in before:
            self.report(False, label, "security", "no longer requires authentication")
        if anonymous in after:
            return
        for removed in sorted(before - after - {anonymous}, key=_requirement):
            self.report(
                True, label, "security", f"no longer accepts {_requirement(removed)}"
            )
        if anonymous in before:
            return
        for added in sorted(after - before, key=_requirement):
            self.report(False, label, "security", f"also accepts {_requirement(added)}")

    # -- operations ----------------------------------------------------------

    def compare_operation(self, old: _Operation, new: _Operation) -> None:
        label = new.label
        old_id = old.operation.get("operationId")
        new_id = new.operation.get("operationId")
        if old_id != new_id:
            # Generated clients and servers name their methods after it.
            message = f"operationId changed from {_show(old_id)} to {_show(new_id)}"
            self.report(True, label, "", message)
        self.compare_deprecated(label, "", old.operation, new.operation)
        self.compare_security(label, old.operation, new.operation)
        self.compare_parameters(old, new)
        self.compare_request_body(
            label, old.operation.get("requestBody"), new.operation.get("requestBody")
        )
        self.compare_responses(
            label,
            old.operation.get("responses") or {},
            new.operation.get("responses") or {},
        )

    def compare_parameters(self, old: _Operation, new: _Operation) -> None:
        label = new.label
        before = _parameters(old)
        after = _parameters(new)
        for key, param in before.items():
            if key not in after:
                self.report(True, label, _param_where(param), "parameter removed")
        for key, param in after.items():
            where = _param_where(param)
            previous = before.get(key)
            if previous is None:
                required = bool(param.get("required"))
                self.report(
                    required,
                    label,
                    where,
                    f"{'required' if required else 'optional'} parameter added",
                )
                continue
            if param.get("in") == "path" and previous["name"] != param["name"]:
                # Path parameters match by position: the URL a client builds is unchanged.
                message = f"renamed from {previous['name']!r}"
                self.report(False, label, where, message)
            self.compare_required(
                label,
                where,
                bool(previous.get("required")),
                bool(param.get("required")),
            )
            old_style, new_style = _serialization(previous), _serialization(param)
            if old_style != new_style:
                shown = f"{_show_style(old_style)} to {_show_style(new_style)}"
                self.report(True, label, where, f"serialization changed from {shown}")
            self.compare_deprecated(label, where, previous, param)
            at = _At(label, where, Direction.REQUEST)
            self.compare_schema(
                previous.get("schema") or {}, param.get("schema") or {}, at
            )

    def compare_deprecated(
        self, label: str, where: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        now = bool(new.get("deprecated"))
        if bool(old.get("deprecated")) != now:
            self.report(
                False, label, where, "deprecated" if now else "no longer deprecated"
            )

    def compare_required(
        self, label: str, where: str, before: bool, after: bool
    ) -> None:
        if before != after:
            self.report(
                after, label, where, "now required" if after else "now optional"
            )

    def compare_request_body(
        self, label: str, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> None:
        if old is None and new is None:
            return
        if old is None:
            assert new is not None
            required = bool(new.get("required"))
            self.report(
                required,
                label,
                "request body",
                f"{'required' if required else 'optional'} request body added",
            )
            return
        if new is None:
            self.report(True, label, "request body", "request body removed")
            return
        self.compare_required(
            label, "request body", bool(old.get("required")), bool(new.get("required"))
        )
        self.compare_content(
            label,
            "request body",
            old.get("content") or {},
            new.get("content") or {},
            Direction.REQUEST,
        )

    def compare_responses(
        self, label: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        for status in old.keys() - new.keys():
            # Clients stop receiving an error they handled: harmless. A success status gone is not.
            success = str(status).startswith("2")
            self.report(success, label, f"response {status}", "response removed")
        for status in new:
            where = f"response {status}"
            if status not in old:
                self.report(False, label, where, "response added")
                continue
            before, after = old[status] or {}, new[status] or {}
            self.compare_headers(
                label, where, before.get("headers") or {}, after.get("headers") or {}
            )
            self.compare_content(
                label,
                where,
                before.get("content") or {},
                after.get("content") or {},
                Direction.RESPONSE,
            )

    def compare_headers(
        self, label: str, where: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        before = {name.lower(): header for name, header in old.items()}
        after = {name.lower(): header for name, header in new.items()}
        for name in before.keys() - after.keys():
            self.report(True, label, f"{where} header {name}", "header removed")
        for name, header in after.items():
            if name not in before:
                self.report(False, label, f"{where} header {name}", "header added")
                continue
            at = _At(label, f"{where} header {name}", Direction.RESPONSE)
            self.compare_schema(
                before[name].get("schema") or {}, header.get("schema") or {}, at
            )

    def compare_content(
        self,
        label: str,
        where: str,
        old: dict[str, Any],
        new: dict[str, Any],
        direction: Direction,
    ) -> None:
        before = {_media_type(name): media for name, media in old.items()}
        after = {_media_type(name): media for name, media in new.items()}
        for media_type in before.keys() - after.keys():
            self.report(True, label, where, f"content type {media_type} removed")
        for media_type, media in after.items():
            if media_type not in before:
                # A new request type is one more choice; a new response type is one a client may not read.
                breaking = direction is Direction.RESPONSE and bool(before)
                self.report(breaking, label, where, f"content type {media_type} added")
                continue
            at = _At(
                label,
                f"{where} {media_type}",
                direction,
                media_type == "text/event-stream",
            )
            self.compare_schema(
                before[media_type].get("schema") or {}, media.get("schema") or {}, at
            )

    # -- schemas -------------------------------------------------------------

    def compare_schema(self, old_raw: Any, new_raw: Any, at: _At) -> None:
        old_name, old = self.old.schema(old_raw)
        new_name, new = self.new.schema(new_raw)
        guard = (old_name or "", new_name or "", at.direction)
        if old_name and new_name:
            if guard in self.active:
                return
            self.active.add(guard)
        try:
            self.compare_resolved(old, new, at)
        finally:
            self.active.discard(guard)

    def compare_resolved(
        self, old: dict[str, Any], new: dict[str, Any], at: _At
    ) -> None:
        request = at.direction is Direction.REQUEST
        if not self.compare_types(old, new, at):
            return
        old_null, new_null = _nullable(old), _nullable(new)
        if old_null != new_null:
            if request:
                self.note(
                    at,
                    old_null,
                    "now accepts null" if new_null else "no longer accepts null",
                )
            else:
                self.note(
                    at, new_null, "may now be null" if new_null else "no longer null"
                )
        self.compare_restriction("format", old.get("format"), new.get("format"), at)
        self.compare_enum(old, new, at)
        self.compare_limits(old, new, at)
        self.compare_restriction("pattern", old.get("pattern"), new.get("pattern"), at)
        if "default" in old or "default" in new:
            before, after = old.get("default"), new.get("default")
            if before != after:
                self.note(
                    at, False, f"default changed from {_show(before)} to {_show(after)}"
                )
        self.compare_properties(old, new, at)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.compare_schema(old["items"], new["items"], at.field("[]"))
        self.compare_additional(
            old.get("additionalProperties"), new.get("additionalProperties"), at
        )
        self.compare_variants(old, new, at)

    def compare_types(self, old: dict[str, Any], new: dict[str, Any], at: _At) -> bool:
        """Report a type change; False when the types share nothing, so deeper checks are noise."""
        before, after = _types(old), _types(new)
        if before == after:
            return True
        request = at.direction is Direction.REQUEST
        message = f"type changed from {_show_types(before)} to {_show_types(after)}"
        if not before or not after:
            # Untyped means any: typing it narrows, untyping it widens.
            widened = not after
            self.note(at, widened != request, message)
            return True
        if request:
            breaking = bool(before - _widen(after))
        else:
            breaking = bool(after - _widen(before))
        self.note(at, breaking, message)
        return bool(_widen(before) & _widen(after))

    def compare_restriction(self, keyword: str, old: Any, new: Any, at: _At) -> None:
        """`format` or `pattern`: adding one narrows what is allowed, removing one widens it."""
        if old == new:
            return
        request = at.direction is Direction.REQUEST
        if old is None:
            self.note(at, request, f"{keyword} {_show(new)} added")
        elif new is None:
            self.note(at, not request, f"{keyword} {_show(old)} removed")
        else:
            message = f"{keyword} changed from {_show(old)} to {_show(new)}"
            self.note(at, True, message)

    def compare_enum(self, old: dict[str, Any], new: dict[str, Any], at: _At) -> None:
        before, after = _enum(old), _enum(new)
        if before == after:
            return
        request = at.direction is Direction.REQUEST
        if before is None:
            assert after is not None
            self.note(at, request, f"now limited to {_show_values(after)}")
            return
        if after is None:
            self.note(at, not request, "no longer limited to an enumeration")
            return
        removed = [value for value in before if value not in after]
        added = [value for value in after if value not in before]
        if removed:
            self.note(
                at,
                request,
                f"enum {_plural('value', removed)} {_show_values(removed)} removed",
            )
        if added:
            self.note(
                at,
                not request,
                f"enum {_plural('value', added)} {_show_values(added)} added",
            )

    def compare_limits(self, old: dict[str, Any], new: dict[str, Any], at: _At) -> None:
        request = at.direction is Direction.REQUEST
        for keyword in (*_UPPER_LIMITS, *_LOWER_LIMITS):
            before, after = _limit(old.get(keyword)), _limit(new.get(keyword))
            if before == after:
                continue
            upper = keyword in _UPPER_LIMITS
            if before is None:
                tightened = True
            elif after is None:
                tightened = False
            else:
                tightened = after < before if upper else after > before
            message = f"{keyword} changed from {_show(before)} to {_show(after)}"
            if before is None:
                message = f"{keyword} {_show(after)} added"
            elif after is None:
                message = f"{keyword} {_show(before)} removed"
            self.note(at, tightened == request, message)

    def compare_properties(
        self, old: dict[str, Any], new: dict[str, Any], at: _At
    ) -> None:
        request = at.direction is Direction.REQUEST
        # Read-only fields never travel in requests, write-only ones never in responses.
        hidden = "readOnly" if request else "writeOnly"
        before = {
            name: schema
            for name, schema in (old.get("properties") or {}).items()
            if not _flag(schema, hidden, self.old)
        }
        after = {
            name: schema
            for name, schema in (new.get("properties") or {}).items()
            if not _flag(schema, hidden, self.new)
        }
        old_required = set(old.get("required") or ())
        new_required = set(new.get("required") or ())
        for name in before:
            if name not in after:
                kind = "required" if name in old_required else "optional"
                self.note(at.field(name), True, f"{kind} property removed")
        for name, schema in after.items():
            here = at.field(name)
            if name not in before:
                required = name in new_required
                kind = "required" if required else "optional"
                self.note(here, request and required, f"{kind} property added")
                continue
            was, now = name in old_required, name in new_required
            if was != now:
                # A request field becoming required, or a response field becoming optional, breaks.
                self.note(
                    here, now == request, "now required" if now else "now optional"
                )
            self.compare_schema(before[name], schema, here)

    def compare_additional(self, old: Any, new: Any, at: _At) -> None:
        if isinstance(old, dict) and isinstance(new, dict):
            self.compare_schema(old, new, at.field("{*}"))
            return
        closed_before, closed_after = old is False, new is False
        if closed_before != closed_after and at.direction is Direction.REQUEST:
            message = (
                "no longer accepts extra properties"
                if closed_after
                else "now accepts extra properties"
            )
            self.note(at, closed_after, message)

    def compare_variants(
        self, old: dict[str, Any], new: dict[str, Any], at: _At
    ) -> None:
        request = at.direction is Direction.REQUEST
        for keyword in ("oneOf", "anyOf"):
            before = self.old.variants(old, keyword)
            after = self.new.variants(new, keyword)
            if not before and not after:
                continue
            for name, schema in before.items():
                if name not in after:
                    self.note(at, request, f"{keyword} variant {name} removed")
                else:
                    self.compare_schema(
                        schema,
                        after[name],
                        _At(at.operation, f"{at.where} ({name})", at.direction),
                    )
            for name in after:
                if name not in before:
                    self.note(
                        at,
                        not request and not at.open_union,
                        f"{keyword} variant {name} added",
                    )
        old_tag = (old.get("discriminator") or {}).get("propertyName")
        new_tag = (new.get("discriminator") or {}).get("propertyName")
        if old_tag and new_tag and old_tag != new_tag:
            self.note(
                at,
                True,
                f"discriminator changed from {_show(old_tag)} to {_show(new_tag)}",
            )


class _Document:
    """Look-ups in one bundled spec."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        components = document.get("components") or {}
        self.schemas: dict[str, Any] = components.get("schemas") or {}
        self.schemes: dict[str, Any] = components.get("securitySchemes") or {}

    def operations(self) -> dict[tuple[str, str], _Operation]:
        found: dict[tuple[str, str], _Operation] = {}
        for path, item in (self.document.get("paths") or {}).items():
            for method in HTTP_METHODS:
                operation = (item or {}).get(method)
                if isinstance(operation, dict):
                    label = f"{method.upper()} {path}"
                    found[(method, re.sub(r"\{[^}]*\}", "{}", path))] = _Operation(
                        label, path, operation, item
                    )
        return found

    def security_schemes(self) -> dict[str, dict[str, Any]]:
        return {
            name: scheme
            for name, scheme in self.schemes.items()
            if isinstance(scheme, dict)
        }

    def security(
        self, operation: dict[str, Any]
    ) -> frozenset[frozenset[tuple[str, tuple[str, ...]]]]:
        """The operation's accepted alternatives; the empty set among them means anonymous."""
        requirements = operation.get("security", self.document.get("security")) or [{}]
        return frozenset(
            frozenset(
                (name, tuple(sorted(scopes or ())))
                for name, scopes in requirement.items()
            )
            for requirement in requirements
        )

    def schema(self, schema: Any) -> tuple[str | None, dict[str, Any]]:
        """(component name, the schema with references followed and allOf merged)."""
        name, resolved = self.follow(schema)
        return name, self.merge(resolved, depth=0)

    def follow(self, schema: Any) -> tuple[str | None, dict[str, Any]]:
        name = None
        for _ in range(64):  # a chain of bare references longer than this is a cycle
            if not isinstance(schema, dict) or "$ref" not in schema:
                break
            name = str(schema["$ref"]).rsplit("/", 1)[-1]
            siblings = {key: value for key, value in schema.items() if key != "$ref"}
            schema = {**(self.schemas.get(name) or {}), **siblings}
        return name, schema if isinstance(schema, dict) else {}

    def merge(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        """allOf folded into one schema, and `anyOf: [X, null]` into a nullable X."""
        merged = {key: value for key, value in schema.items() if key != "allOf"}
        if depth < 16:
            for part in schema.get("allOf") or ():
                _, resolved = self.follow(part)
                part_merged = self.merge(resolved, depth + 1)
                properties = {
                    **(merged.get("properties") or {}),
                    **(part_merged.get("properties") or {}),
                }
                required = [
                    *(merged.get("required") or ()),
                    *(part_merged.get("required") or ()),
                ]
                if properties:
                    merged["properties"] = properties
                if required:
                    merged["required"] = list(dict.fromkeys(required))
                for key, value in part_merged.items():
                    merged.setdefault(key, value)
            for keyword in ("anyOf", "oneOf"):
                branches = merged.get(keyword)
                if not isinstance(branches, list):
                    continue
                real = [branch for branch in branches if not _is_null(branch)]
                if len(real) == 1 and len(real) < len(branches):
                    _, only = self.follow(real[0])
                    rest = {
                        key: value for key, value in merged.items() if key != keyword
                    }
                    folded = {**self.merge(only, depth + 1), **rest}
                    folded["nullable"] = True
                    return folded
        return merged

    def variants(self, schema: dict[str, Any], keyword: str) -> dict[str, Any]:
        """A union's branches by a name stable across versions: tag value, component name, or position."""
        branches = schema.get(keyword)
        if not isinstance(branches, list):
            return {}
        tag = (schema.get("discriminator") or {}).get("propertyName")
        named: dict[str, Any] = {}
        for index, branch in enumerate(branches):
            name, resolved = self.schema(branch)
            tag_values = (
                _enum((resolved.get("properties") or {}).get(tag) or {})
                if tag
                else None
            )
            if tag_values and len(tag_values) == 1:
                key = str(tag_values[0])
            else:
                key = name or f"#{index + 1}"
            named[key] = branch
        return named


def _parameters(op: _Operation) -> dict[tuple[str, str], dict[str, Any]]:
    """Path-item parameters overridden by the operation's, keyed for matching across versions."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for param in [
        *(op.path_item.get("parameters") or ()),
        *(op.operation.get("parameters") or ()),
    ]:
        if isinstance(param, dict) and "name" in param:
            location = param.get("in", "")
            name = str(param["name"])
            if location == "header" and name.lower() in _IGNORED_HEADERS:
                continue
            merged[(location, name.lower() if location == "header" else name)] = param
    path_names = re.findall(r"\{([^}]*)\}", op.path)
    keyed: dict[tuple[str, str], dict[str, Any]] = {}
    for (location, name), param in merged.items():
        if location == "path" and name in path_names:
            keyed[(location, f"#{path_names.index(name)}")] = param
        else:
            keyed[(location, name)] = param
    return keyed


def _serialization(param: dict[str, Any]) -> tuple[str, bool]:
    """(style, explode) with OpenAPI's defaults filled in, so spelling a default out is no change."""
    default_style = "form" if param.get("in") in ("query", "cookie") else "simple"
    style = str(param.get("style", default_style))
    return style, bool(param.get("explode", style == "form"))


def _show_style(serialization: tuple[str, bool]) -> str:
    style, explode = serialization
    return f"{style}{' exploded' if explode else ''}"


def _param_where(param: dict[str, Any]) -> str:
    return f"{param.get('in')} parameter {param['name']}"


def _media_type(name: str) -> str:
    return name.split(";", 1)[0].strip().lower()


def _types(schema: dict[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {str(item) for item in declared}
    else:
        types = set()
    return frozenset(types - {"null"})


def _widen(types: frozenset[str]) -> frozenset[str]:
    """JSON Schema's integers are numbers."""
    return types | {"integer"} if "number" in types else types


def _nullable(schema: dict[str, Any]) -> bool:
    declared = schema.get("type")
    if schema.get("nullable") is True or declared == "null":
        return True
    if isinstance(declared, list) and "null" in declared:
        return True
    values = _enum(schema)
    return values is not None and None in values


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "null" or schema.get("const", ...) is None
    )


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    values = schema.get("enum")
    return list(values) if isinstance(values, list) else None


def _limit(value: Any) -> float | None:
    # OpenAPI 3.0's boolean exclusiveMaximum modifies maximum; only 3.1's numeric form is a limit.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _flag(schema: Any, key: str, document: _Document) -> bool:
    _, resolved = document.follow(schema)
    return resolved.get(key) is True or (
        isinstance(schema, dict) and schema.get(key) is True
    )


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value)


def _show_values(values: list[Any]) -> str:
    return ", ".join(json.dumps(value) for value in values)


def _show_types(types: frozenset[str]) -> str:
    return " | ".join(sorted(types)) if types else "any"


def _plural(word: str, items: list[Any]) -> str:
    return word if len(items) == 1 else word + "s"


def _requirement(requirement: frozenset[tuple[str, tuple[str, ...]]]) -> str:
    parts = [
        name + (f" ({', '.join(scopes)})" if scopes else "")
        for name, scopes in sorted(requirement)
    ]
    return " + ".join(parts) if parts else "anonymous access"


def _alternatives(
    requirements: frozenset[frozenset[tuple[str, tuple[str, ...]]]],
) -> str:
    return " or ".join(
        sorted(_requirement(requirement) for requirement in requirements)
    )


def iter_grouped(changes: list[Change]) -> Iterator[tuple[str, list[Change]]]:
    """Changes grouped by operation, in first-seen order, the API-wide ones first."""
    groups: dict[str, list[Change]] = {}
    for change in sorted(changes, key=lambda change: change.operation != ""):
        groups.setdefault(change.operation, []).append(change)
    yield from groups.items()
