"""Load a multi-file OpenAPI spec into one document with named schema components.

prance's resolver inlines every `$ref`, which loses the component names and has
to unroll recursive schemas. This bundler uses prance's URL and pointer rules
but treats the two kinds of reference differently:

- a `$ref` in a schema position becomes `#/components/schemas/<Name>`, the
  name being the last segment of the target pointer, so a schema keeps its
  name however many files away it lives, and recursion stays a reference;
- any other `$ref` (path items, responses, parameters, ...) is inlined.

Every node of the result remembers the file and pointer it came from, so later
stages can report errors where the user has to fix them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import ParseResult, unquote

import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from prance.util.url import ResolutionError, absurl, split_url_reference

from .errors import SpecError, display_path, json_pointer

Pointer = tuple[str | int, ...]

# Keywords whose value is a schema, a list of schemas or a map of schemas.
_SCHEMA_VALUED = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains"}
    | {"propertyNames", "unevaluatedItems", "unevaluatedProperties"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
# Keys holding plain data inside a schema: never walked for references.
_SCHEMA_DATA = frozenset({"enum", "const", "default", "example", "examples"})


@dataclass(frozen=True)
class Location:
    """Where a node of the bundled document was written."""

    file: Path
    pointer: Pointer

    def __str__(self) -> str:
        """`spec/paths/a.yaml#/item`, the file shown as in error messages."""
        return display_path(self.file) + (
            json_pointer(self.pointer) if self.pointer else ""
        )

    def error(self, message: str, *rest: str | int) -> SpecError:
        return SpecError(self.file, json_pointer(self.pointer + rest), message)


@dataclass
class LoadedSpec:
    """The bundled document and where each of its objects came from."""

    root: Path
    document: dict[str, Any]
    origins: dict[Pointer, Location] = field(repr=False)

    def locate(self, pointer: Pointer) -> Location:
        """The source location of a bundled pointer (its nearest recorded ancestor)."""
        for end in range(len(pointer), -1, -1):
            found = self.origins.get(pointer[:end])
            if found is not None:
                return Location(found.file, found.pointer + pointer[end:])
        return Location(self.root, pointer)


def load_spec(path: Path) -> LoadedSpec:
    """Read `path` and every file it references; validate the bundled result."""
    root = path.resolve()
    bundler = _Bundler(root)
    document = bundler.bundle()
    spec = LoadedSpec(root=root, document=document, origins=bundler.origins)
    _validate(spec)
    return spec


class _Bundler:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[Path, Any] = {}
        self.origins: dict[Pointer, Location] = {}
        self.schemas: dict[str, Any] = {}
        self.schema_sources: dict[tuple[Path, Pointer], str] = {}
        self.name_owners: dict[str, tuple[Path, Pointer]] = {}
        self.pending: list[tuple[str, Location]] = []

    def bundle(self) -> dict[str, Any]:
        document = self.read(self.root, None)
        if not isinstance(document, dict):
            raise SpecError(self.root, "line 1", "the spec root is not a mapping")
        here = Location(self.root, ())
        # The root's own named schemas keep their names and come first.
        root_schemas = (document.get("components") or {}).get("schemas") or {}
        for name, schema in root_schemas.items():
            self.name_root_schema(str(name), schema)
        out: dict[str, Any] = {}
        for key, value in document.items():
            if key == "components" and isinstance(value, dict):
                out[key] = self.walk_components(value, here)
            else:
                out[key] = self.walk(value, Location(self.root, (key,)), (key,), False)
        self.origins[()] = here
        while self.pending:
            name, location = self.pending.pop(0)
            target = self.lookup(location, location)
            dst: Pointer = ("components", "schemas", name)
            self.schemas[name] = self.walk(target, location, dst, True)
        if self.schemas:
            out.setdefault("components", {})["schemas"] = self.schemas
        return out

    def walk_components(self, components: dict[str, Any], here: Location) -> Any:
        out: dict[str, Any] = {}
        for section, entries in components.items():
            src = Location(here.file, ("components", section))
            dst: Pointer = ("components", section)
            if section == "schemas":
                continue  # named in bundle(), emitted as components.schemas
            out[section] = self.walk(entries, src, dst, False)
        return out

    def name_root_schema(self, name: str, schema: Any) -> None:
        """`components.schemas.Pet: {$ref: pets.yaml#/Pet}` names that schema `Pet`."""
        here = Location(self.root, ("components", "schemas", name))
        if (
            isinstance(schema, dict)
            and set(schema) == {"$ref"}
            and isinstance(schema["$ref"], str)
        ):
            target = self.target(schema["$ref"], here)
            self.lookup(target, here)
            self.enqueue(name, target)
            self.schema_sources[(here.file, here.pointer)] = name
        else:
            self.enqueue(name, here)

    # -- walking ---------------------------------------------------------------

    def walk(self, node: Any, src: Location, dst: Pointer, in_schema: bool) -> Any:
        """Copy `node`, resolving references; `in_schema` says whether it is a schema."""
        if isinstance(node, list):
            return [
                self.walk(
                    item, Location(src.file, src.pointer + (i,)), dst + (i,), in_schema
                )
                for i, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            if in_schema:
                return self.schema_ref(node, src)
            return self.inline_ref(node, src, dst)
        self.origins[dst] = src
        out: dict[str, Any] = {}
        for key, value in node.items():
            child_src = Location(src.file, src.pointer + (key,))
            child_dst = dst + (key,)
            if in_schema:
                out[key] = self.walk_schema_keyword(key, value, child_src, child_dst)
            else:
                out[key] = self.walk(value, child_src, child_dst, key == "schema")
        return out

    def walk_schema_keyword(
        self, key: str, value: Any, src: Location, dst: Pointer
    ) -> Any:
        if key in _SCHEMA_DATA:
            return copy.deepcopy(value)
        if key == "discriminator" and isinstance(value, dict):
            return self.discriminator(value, src)
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            self.origins[dst] = src
            return {
                name: self.walk(
                    sub, Location(src.file, src.pointer + (name,)), dst + (name,), True
                )
                for name, sub in value.items()
            }
        if key in _SCHEMA_VALUED or key in _SCHEMA_LISTS or key == "items":
            return self.walk(value, src, dst, True)
        return self.walk(value, src, dst, False)

    def inline_ref(self, node: dict[str, Any], src: Location, dst: Pointer) -> Any:
        """Replace a non-schema reference by its target, following chains."""
        seen: list[Location] = []
        current, where = node, src
        while isinstance(current, dict) and isinstance(current.get("$ref"), str):
            target_location = self.target(current["$ref"], where)
            if target_location in seen:
                chain = " -> ".join(str(loc) for loc in [*seen, target_location])
                raise src.error(f"$ref cycle that never reaches an object: {chain}")
            seen.append(target_location)
            current = self.lookup(target_location, where)
            where = target_location
        return self.walk(current, where, dst, False)

    def discriminator(self, value: dict[str, Any], src: Location) -> dict[str, Any]:
        """Mapping values are schema references relative to their file too."""
        out = copy.deepcopy(value)
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            out["mapping"] = {
                key: self.schema_ref(
                    {"$ref": ref}, Location(src.file, src.pointer + ("mapping", key))
                )["$ref"]
                for key, ref in mapping.items()
            }
        return out

    def schema_ref(self, node: dict[str, Any], src: Location) -> dict[str, Any]:
        target = self.target(node["$ref"], src)
        self.lookup(target, src)  # report a dangling reference where it is written
        key = (target.file, target.pointer)
        name = self.schema_sources.get(key)
        if name is None:
            name = self.enqueue(_component_name(target), target)
        # Sibling keywords next to $ref (3.1 allows description etc.) are kept.
        extra = {k: copy.deepcopy(v) for k, v in node.items() if k != "$ref"}
        return {"$ref": f"#/components/schemas/{name}", **extra}

    def enqueue(self, name: str, target: Location) -> str:
        key = (target.file, target.pointer)
        if key in self.schema_sources:
            return self.schema_sources[key]
        self.claim_name(name, key)
        self.schema_sources[key] = name
        self.pending.append((name, target))
        return name

    def claim_name(self, name: str, key: tuple[Path, Pointer]) -> None:
        owner = self.name_owners.setdefault(name, key)
        if owner != key:
            here = Location(*key)
            first = Location(*owner)
            raise here.error(f"schema name {name!r} is already used by {first}")

    # -- files and pointers ---------------------------------------------------

    def target(self, ref: str, src: Location) -> Location:
        base = absurl(src.file.as_uri())
        try:
            url, parts = split_url_reference(base, ref)
        except ResolutionError as exc:
            raise src.error(f"cannot parse $ref {ref!r}: {exc}") from None
        if url.scheme not in ("", "file"):
            raise src.error(f"$ref {ref!r}: only local files are supported")
        return Location(_url_path(url), tuple(parts))

    def lookup(self, target: Location, referrer: Location) -> Any:
        node = self.read(target.file, referrer)
        for depth, part in enumerate(target.pointer):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif (
                isinstance(node, list) and str(part).isdigit() and int(part) < len(node)
            ):
                node = node[int(part)]
            else:
                missing = Location(target.file, target.pointer[: depth + 1])
                raise referrer.error(f"$ref target {missing} does not exist")
        return node

    def read(self, path: Path, referrer: Location | None) -> Any:
        if path not in self.files:
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:
                if referrer is None:
                    raise SpecError(path, "-", "file not found") from None
                raise referrer.error(
                    f"referenced file not found: {Location(path, ())}"
                ) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise SpecError(path, "-", f"cannot read file: {exc}") from None
            self.files[path] = _parse(path, text)
        return self.files[path]


def _parse(path: Path, text: str) -> Any:
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                path, f"line {exc.lineno}, column {exc.colno}", exc.msg
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = _line(mark) if mark else "line 1"
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem_mark:
            # e.g. "while parsing a flow sequence" started at the unclosed bracket
            message += f" ({exc.context} started at {_line(exc.context_mark)})"
        raise SpecError(path, place, message) from None
    except yaml.YAMLError as exc:
        raise SpecError(path, "-", f"YAML error: {exc}") from None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML whose mapping keys are always strings (`200:` -> "200")."""


def _string_keys(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[str, Any]:
    pairs = loader.construct_pairs(node, deep=True)
    return {
        (
            k
            if isinstance(k, str)
            else str(k).lower() if isinstance(k, bool) else str(k)
        ): v
        for k, v in pairs
    }


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _string_keys)


def _line(mark: yaml.Mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _url_path(url: ParseResult) -> Path:
    return Path(unquote(url.path)).resolve()


def _component_name(target: Location) -> str:
    """`schemas.yaml#/Pet`, `#/components/schemas/Pet`, `pet.yaml` -> `Pet`."""
    from .naming import pascal_case

    if not target.pointer:
        return pascal_case(target.file.stem)
    return str(target.pointer[-1])


def _check_operation_ids(spec: LoadedSpec) -> None:
    """Unique operationIds, both places named (the validator names neither file)."""
    first_use: dict[str, Location] = {}
    for path, item in (spec.document.get("paths") or {}).items():
        for method, operation in (item or {}).items() if isinstance(item, dict) else ():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            operation_id = str(operation["operationId"])
            here = spec.locate(("paths", path, method, "operationId"))
            if operation_id in first_use:
                first = first_use[operation_id]
                raise here.error(
                    f"duplicate operationId {operation_id!r}: also used at {first}"
                )
            first_use[operation_id] = here


def _validate(spec: LoadedSpec) -> None:
    if "swagger" in spec.document:
        raise SpecError(
            spec.root,
            "#/swagger",
            "unsupported: Swagger 2.0 (convert the spec to OpenAPI 3.0 or 3.1)",
        )
    version = str(spec.document.get("openapi", ""))
    if not version.startswith(("3.0", "3.1")):
        raise SpecError(
            spec.root,
            "#/openapi",
            f"unsupported OpenAPI version {version!r} (3.0 or 3.1)",
        )
    _check_operation_ids(spec)
    validator_class = (
        OpenAPIV31SpecValidator
        if version.startswith("3.1")
        else OpenAPIV30SpecValidator
    )
    try:
        errors = sorted(
            validator_class(spec.document).iter_errors(),
            key=lambda e: list(map(str, e.absolute_path)),
        )
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        # The validator walks the document assuming its shape; a badly malformed
        # one makes it fail before it can say where.
        raise SpecError(
            spec.root, "#", f"invalid OpenAPI document (validator stopped at {exc!r})"
        ) from None
    first = errors[0] if errors else None
    if first is not None:
        where = spec.locate(tuple(first.absolute_path))
        # Validator messages can span lines and quote whole subtrees: one short line.
        message = first.message.strip().splitlines()[0]
        if len(message) > 300:
            message = message[:297] + "..."
        raise where.error(f"invalid OpenAPI: {message}")
