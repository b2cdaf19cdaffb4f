"""Load a multi-file OpenAPI spec into one document with named schema components.

prance's resolver inlines every `$ref`, which loses the component names and has
to unroll recursive schemas. This bundler uses prance's URL and pointer rules
but treats the two kinds of reference differently:

- a `$ref` in a schema position becomes `#/components/schemas/<Name>` (names:
  see `names.py`), so a schema keeps its name however many files away it
  lives, and recursion stays a reference;
- any other `$ref` (path items, responses, parameters, whole maps such as
  `paths` or `components/schemas`, a Markdown description) is inlined.

Every node of the result remembers the file and pointer it came from, so later
stages can report errors and warnings where the user has to fix them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import ParseResult, unquote

from prance.util.url import ResolutionError, absurl, split_url_reference

from ..errors import (
    Diagnostics,
    Rename,
    SpecError,
    SpecWarning,
    display_path,
    json_pointer,
)
from ..gc_pause import gc_paused
from .data_copy import copy_data
from .files import Pointer, SourceFiles
from .names import NamedSchema, SchemaKey, assign_names, class_name, wanted_name

# Keywords whose value is a schema, a list of schemas or a map of schemas.
_SCHEMA_VALUED = frozenset(
    {"items", "additionalProperties", "not", "if", "then", "else", "contains"}
    | {"propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"}
)
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
# Keys of a media type holding a schema (`itemSchema`: OpenAPI 3.2, one streamed item).
_MEDIA_SCHEMAS = frozenset({"schema", "itemSchema"})
# Keys holding plain data inside a schema: never walked for references.
_SCHEMA_DATA = frozenset({"enum", "const", "default", "example", "examples"})
_PLACEHOLDER = "#/components/schemas/"


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

    def child(self, part: str | int) -> Location:
        return Location(self.file, self.pointer + (part,))

    def error(self, message: str, *rest: str | int) -> SpecError:
        pointer = self.pointer + rest
        return SpecError(self.file, json_pointer(pointer), message, pointer=pointer)


@dataclass
class LoadedSpec:
    """The bundled document, where each of its objects came from, and what was noticed."""

    root: Path
    document: dict[str, Any]
    origins: dict[Pointer, Location] = field(repr=False)
    files: SourceFiles = field(repr=False, default_factory=SourceFiles)
    diagnostics: Diagnostics = field(repr=False, default_factory=Diagnostics)

    def locate(self, pointer: Pointer) -> Location:
        """The source location of a bundled pointer (its nearest recorded ancestor)."""
        for end in range(len(pointer), -1, -1):
            found = self.origins.get(pointer[:end])
            if found is not None:
                return Location(found.file, found.pointer + pointer[end:])
        return Location(self.root, pointer)

    def warn(self, pointer: Pointer, message: str) -> None:
        """Record a warning about the bundled node at `pointer`, located in its file."""
        self.warn_at(self.locate(pointer), message)

    def warn_at(self, where: Location, message: str) -> None:
        line = self.files.line(where.file, where.pointer)
        self.diagnostics.warn(
            SpecWarning(where.file, line, json_pointer(where.pointer), message)
        )

    def error(self, pointer: Pointer, message: str) -> SpecError:
        """A SpecError about the bundled node at `pointer`, with its line."""
        return self.with_line(self.locate(pointer).error(message))

    def with_line(self, error: SpecError) -> SpecError:
        """`error` with the line of its pointer filled in, when it can be found."""
        if error.line is None and error.pointer is not None:
            error.line = self.files.line(error.file, error.pointer)
        return error


@gc_paused()
def load_spec(path: Path, diagnostics: Diagnostics | None = None) -> LoadedSpec:
    """Read `path` and every file it references; check the result against OpenAPI.

    What is off the meta-schema becomes a warning in `diagnostics`; what makes
    the spec impossible to read raises SpecError.
    """
    from .validate import validate

    root = path.resolve()
    spec = LoadedSpec(root, {}, {}, SourceFiles(), diagnostics or Diagnostics())
    bundler = _Bundler(spec)
    try:
        spec.document = bundler.bundle()
        validate(spec)
    except SpecError as error:
        raise spec.with_line(error) from None
    except RecursionError:
        raise SpecError(root, "-", "the spec is nested too deeply to read") from None
    return spec


class _Bundler:
    def __init__(self, spec: LoadedSpec) -> None:
        self.spec = spec
        self.root = spec.root
        self.files = spec.files
        self.diagnostics = spec.diagnostics
        self.origins = spec.origins
        # Schema locations found so far, in the order first met, with what they want.
        self.schemas: dict[SchemaKey, NamedSchema] = {}
        self.aliases: dict[SchemaKey, SchemaKey] = {}
        self.pending: list[SchemaKey] = []
        self.bodies: dict[SchemaKey, Any] = {}
        # Containers whose `[key]` becomes the reference to a schema once it is named.
        self.references: list[tuple[dict[str, Any], str, SchemaKey]] = []
        # Targets being inlined right now: one met again includes itself.
        self.inlining: list[Location] = []
        # Where each `$ref` text of each file points: resolving one takes file
        # system calls, and a large spec repeats the same few hundred thousands of times.
        self.targets: dict[tuple[Path, str], Location] = {}
        # Per file its URL, and per URL path its resolved file: the same few
        # files are met for thousands of distinct references.
        self.bases: dict[Path, ParseResult] = {}
        self.paths: dict[str, Path] = {}

    def bundle(self) -> dict[str, Any]:
        document = self.read(self.root, None)
        if not isinstance(document, dict):
            raise SpecError(self.root, "line 1", "the spec root is not a mapping")
        here = Location(self.root, ())
        components, components_at = self.resolve_map(
            document.get("components"), Location(self.root, ("components",))
        )
        root_schemas, schemas_at = self.resolve_map(
            components.get("schemas"), components_at.child("schemas")
        )
        # The root's own named schemas come first and win their names.
        for name, schema in root_schemas.items():
            self.name_root_schema(str(name), schema, schemas_at.child(name))
        out: dict[str, Any] = {}
        for key, value in document.items():
            if key == "components":
                out[key] = self.walk_components(components, components_at)
            else:
                out[key] = self.walk(value, Location(self.root, (key,)), (key,), False)
        self.origins[()] = here
        while self.pending:
            key = self.pending.pop(0)
            target = Location(*key)
            dst: Pointer = ("components", "schemas", key)  # renamed in finish()
            self.bodies[key] = self.walk(self.lookup(target, target), target, dst, True)
        return self.finish(out)

    def finish(self, out: dict[str, Any]) -> dict[str, Any]:
        """Name every schema, point every reference at its name, emit the components."""
        for file, pointer in self.files.repaired:
            self.spec.warn_at(
                Location(file, pointer), "a lone UTF-16 surrogate is replaced by U+FFFD"
            )
        names = assign_names(list(self.schemas.values()), self.base())
        self.report_renames(names)
        for container, slot, key in self.references:
            container[slot] = _PLACEHOLDER + names[self.aliases.get(key, key)]
        if self.bodies:
            schemas = {names[key]: body for key, body in self.bodies.items()}
            self.break_reference_loops(schemas, {names[k]: k for k in self.bodies})
            out.setdefault("components", {})["schemas"] = schemas
        for pointer in [p for p in self.origins if p[:2] == ("components", "schemas")]:
            if len(pointer) > 2 and isinstance(pointer[2], tuple):
                location = self.origins.pop(pointer)
                self.origins[pointer[:2] + (names[pointer[2]],) + pointer[3:]] = (
                    location
                )
        return out

    def break_reference_loops(
        self, schemas: dict[str, Any], keys: dict[str, SchemaKey]
    ) -> None:
        """A schema that is only a `$ref` leading back to itself describes nothing: Any."""
        for name in schemas:
            seen = [name]
            while _only_reference(schemas.get(seen[-1])):
                target = schemas[seen[-1]]["$ref"].removeprefix(_PLACEHOLDER)
                if target in seen:
                    self.spec.warn_at(
                        Location(*keys[name]),
                        "$ref chain loops back to itself "
                        f"({' -> '.join([*seen, target])}): the schema becomes Any",
                    )
                    schemas[name] = {}
                    break
                seen.append(target)

    def base(self) -> Path:
        """The deepest folder that holds every file of the spec."""
        folders = {path.parent for path in self.files.data}
        base = self.root.parent
        while not all(folder.is_relative_to(base) for folder in folders):
            base = base.parent
        return base

    def report_renames(self, names: dict[SchemaKey, str]) -> None:
        winners = {name: key for key, name in names.items()}
        for key, schema in self.schemas.items():
            chosen = names[key]
            if chosen == schema.wanted:
                continue
            owner = winners.get(class_name(schema.wanted))
            reason = (
                f"{class_name(schema.wanted)} is {Location(*owner)}"
                if owner is not None and owner != key
                else "as a Python class name"
            )
            self.diagnostics.renames.append(
                Rename("schema", schema.wanted, chosen, str(Location(*key)), reason)
            )

    def resolve_map(
        self, node: Any, where: Location
    ) -> tuple[dict[str, Any], Location]:
        """A map of the document, following `$ref`s to files that hold it."""
        seen: set[Location] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = self.target(node["$ref"], where)
            if target in seen:
                raise where.error("$ref cycle that never reaches an object")
            seen.add(target)
            node, where = self.lookup(target, where), target
        return (node if isinstance(node, dict) else {}), where

    def walk_components(self, components: dict[str, Any], here: Location) -> Any:
        out: dict[str, Any] = {}
        for section, entries in components.items():
            if section == "schemas":
                continue  # named in bundle(), emitted as components.schemas
            src = here.child(section)
            out[section] = self.walk(entries, src, ("components", section), False)
        return out

    def name_root_schema(self, name: str, schema: Any, here: Location) -> None:
        """`components.schemas.Pet: {$ref: pets.yaml#/Pet}` names that schema `Pet`."""
        key = (here.file, here.pointer)
        if (
            isinstance(schema, dict)
            and set(schema) == {"$ref"}
            and isinstance(schema["$ref"], str)
        ):
            target = self.target(schema["$ref"], here)
            self.lookup(target, here)
            target_key = (target.file, target.pointer)
            if target_key not in self.schemas:
                self.schemas[target_key] = NamedSchema(target_key, name, True)
                self.pending.append(target_key)
            self.aliases[key] = target_key
        else:
            self.schemas[key] = NamedSchema(key, name, True)
            self.pending.append(key)

    # -- walking ---------------------------------------------------------------

    def walk(self, node: Any, src: Location, dst: Pointer, in_schema: bool) -> Any:
        """Copy `node`, resolving references; `in_schema` says whether it is a schema."""
        if isinstance(node, list):
            # A scalar is its own copy: no locations made for it (most nodes).
            return [
                self.walk(item, src.child(i), dst + (i,), in_schema)
                if isinstance(item, (dict, list))
                else item
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
            if not isinstance(value, (dict, list)):
                out[key] = value
                continue
            child_src, child_dst = src.child(key), dst + (key,)
            if in_schema:
                out[key] = self.walk_schema_keyword(key, value, child_src, child_dst)
            else:
                out[key] = self.walk(value, child_src, child_dst, key in _MEDIA_SCHEMAS)
        return out

    def walk_schema_keyword(
        self, key: str, value: Any, src: Location, dst: Pointer
    ) -> Any:
        if key in _SCHEMA_DATA:
            return copy_data(value)
        if key == "discriminator" and isinstance(value, dict):
            return self.discriminator(value, src)
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            self.origins[dst] = src
            return {
                name: self.walk(sub, src.child(name), dst + (name,), True)
                for name, sub in value.items()
            }
        if key in _SCHEMA_VALUED or key in _SCHEMA_LISTS:
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
            if len(seen) > 64:
                raise src.error("$ref chain longer than 64 references")
        if where in self.inlining:
            raise src.error(
                f"$ref to {where}, which contains this reference: it cannot be inlined",
                "$ref",
            )
        self.inlining.append(where)
        try:
            return self.walk(current, where, dst, False)
        finally:
            self.inlining.pop()

    def discriminator(self, value: dict[str, Any], src: Location) -> dict[str, Any]:
        """Mapping values are schema references relative to their file too."""
        out = copy_data(value)
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            out["mapping"] = {}
            for name, ref in mapping.items():
                if not isinstance(ref, str):
                    continue
                where = src.child("mapping").child(name)
                self.refer(out["mapping"], str(name), self.schema_target(ref, where))
        return out

    def schema_ref(self, node: dict[str, Any], src: Location) -> dict[str, Any]:
        # Sibling keywords next to $ref (3.1 allows description etc.) are kept.
        out = {"$ref": ""} | {k: copy_data(v) for k, v in node.items() if k != "$ref"}
        self.refer(out, "$ref", self.schema_target(node["$ref"], src))
        return out

    def schema_target(self, ref: str, src: Location) -> SchemaKey:
        """The schema location `ref` reaches, queued for naming and walking."""
        target = self.target(ref, src)
        self.lookup(target, src)  # report a dangling reference where it is written
        key = (target.file, target.pointer)
        key = self.aliases.get(key, key)
        if key not in self.schemas:
            self.schemas[key] = NamedSchema(
                key, wanted_name(target.file, target.pointer), False
            )
            self.pending.append(key)
        return key

    def refer(self, container: dict[str, Any], slot: str, key: SchemaKey) -> None:
        self.references.append((container, slot, key))

    # -- files and pointers ---------------------------------------------------

    def target(self, ref: str, src: Location) -> Location:
        known = self.targets.get((src.file, ref))
        if known is None:
            known = self.targets[src.file, ref] = self.resolve(ref, src)
        return known

    def resolve(self, ref: str, src: Location) -> Location:
        base = self.bases.get(src.file)
        if base is None:
            base = self.bases[src.file] = absurl(src.file.as_uri())
        try:
            url, parts = split_url_reference(base, ref)
        except (ResolutionError, ValueError) as exc:
            raise src.error(f"cannot parse $ref {ref!r}: {exc}", "$ref") from None
        if url.scheme not in ("", "file"):
            raise src.error(f"$ref {ref!r}: only local files are supported", "$ref")
        path = self.paths.get(url.path)
        if path is None:
            path = self.paths[url.path] = _url_path(url)
        return Location(path, tuple(parts))

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
                raise referrer.error(f"$ref target {missing} does not exist", "$ref")
        return node

    def read(self, path: Path, referrer: Location | None) -> Any:
        def not_found() -> SpecError:
            if referrer is None:
                return SpecError(path, "-", "file not found")
            return referrer.error(
                f"referenced file not found: {Location(path, ())}", "$ref"
            )

        return self.files.read(path, not_found)


def _only_reference(schema: Any) -> bool:
    return isinstance(schema, dict) and set(schema) == {"$ref"}


def _url_path(url: ParseResult) -> Path:
    return Path(unquote(url.path)).resolve()
