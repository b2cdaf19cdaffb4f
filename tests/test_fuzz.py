"""Mutated specs never crash the toolkit.

Contract (DESIGN.md, "Contracts"; issue 9, "Never a traceback"): whatever the
spec holds, `codegen generate` ends in exit 0 (generated, perhaps with
warnings) or exit 2 (a located spec error, the output folder byte-identical),
never exit 3 (a bug of the toolkit) and never a traceback.

The project's own specs (the images spec and two fixtures) are copied and
mutated the ways real specs go wrong: keys dropped, values of another type,
broken and cyclic `$ref`s, truncated files, duplicate keys, odd Unicode (NUL,
lone surrogates, right-to-left marks, emoji, very long strings) in values and
in names. Every run is reproducible on its own: `mutated_spec(run, folder)`
writes the spec of run `run` and says what it changed.

The CLI runs in-process so that a few hundred runs take seconds, not minutes.
Black takes most of a successful run's time, so most runs swap it for Python's
own parser: what black refuses (generated code that is not Python) fails the
same way, in the same stage; every REAL_FORMATTING_EVERY-th run uses black.
Every crash is collected and reported at the end with its reproduction.
"""

from __future__ import annotations

import ast
import json
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from codegen import pipeline
from codegen.cli import main
from codegen.write import Files

from .conftest import FIXTURES, ROOT

SEED = 9
RUNS = 200
REAL_FORMATTING_EVERY = 50
# The small fixtures generate in a fraction of the images spec's time: most runs use them.
SPEC_TREES = {
    "petstore30": (FIXTURES / "petstore30", 5),
    "library": (FIXTURES / "library", 4),
    "images": (ROOT / "spec", 1),
}
JSON_ROOT_SHARE = 0.2  # runs whose root is JSON: the only way lone surrogates get in

Data = Any
Pointer = tuple[str | int, ...]

ODD_TEXT = [
    "\x00",
    "\ud800",  # a lone surrogate
    "\udfff tail",
    "\u202eevil\u202c",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u2028",  # line separator
    "🦄🦄",
    "名前",
    "e\u0301",  # a combining accent
    "İß",  # case changes change its length
    "𝔘𝔯𝔫",
    "x" * 20_000,
    "",
    " ",
    "class",
    "None",
    "__init__",
    "123",
    "a-b.c d",
    '"""',
    "\\",
    "{{ api }}",
    "{% raw %}",
    "a\nb",
]
BROKEN_REFS = [
    "#/nope",
    "#",
    "",
    "#/",
    "missing.yaml",
    "missing.yaml#/Thing",
    "./",
    "http://example.invalid/spec.yaml#/Thing",
    "%zz#/a",
    "#/components/schemas/",
    "#/paths/~2x",
    "#/0",
    5,
    None,
    ["#/a"],
]


@dataclass
class MutatedSpec:
    """A spec tree in memory: file bytes by POSIX path relative to its folder."""

    name: str
    files: dict[str, bytes]
    root: str = "openapi.yaml"
    changes: list[str] = field(default_factory=list)

    def write(self, folder: Path) -> None:
        for relative, content in self.files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(content)


def mutated_spec(run: int, folder: Path) -> MutatedSpec:
    """Write the mutated spec of run `run` below `folder`; what it changed is in `.changes`."""
    rng = random.Random(f"{SEED}-{run}")
    names = list(SPEC_TREES)
    name = rng.choices(names, weights=[SPEC_TREES[n][1] for n in names])[0]
    source = SPEC_TREES[name][0]
    spec = MutatedSpec(
        name,
        {
            p.relative_to(source).as_posix(): p.read_bytes()
            for p in sorted(source.rglob("*"))
            if p.is_file()
        },
    )
    if rng.random() < JSON_ROOT_SHARE:
        root_as_json(spec)
    for mutate in rng.choices(MUTATIONS, weights=WEIGHTS, k=rng.randint(1, 3)):
        mutate(rng, spec)
    spec.write(folder)
    return spec


def root_as_json(spec: MutatedSpec) -> None:
    """The root written again as `openapi.json` (the YAML one stays for refs to it)."""
    data = yaml.load(spec.files["openapi.yaml"], Loader=yaml.CSafeLoader)
    spec.files["openapi.json"] = json.dumps(data, default=str, indent=1).encode()
    spec.root = "openapi.json"
    spec.changes.append("root as openapi.json")


# --- walking parsed files -----------------------------------------------------------------


def nodes(data: Data, at: Pointer = ()) -> list[tuple[Pointer, Data]]:
    """Every node with its pointer, the root first."""
    found = [(at, data)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += nodes(value, at + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += nodes(value, at + (index,))
    return found


def replaced(data: Data, at: Pointer, value: Data) -> Data:
    """`data` with the node at `at` replaced by `value` (in place below the root)."""
    if not at:
        return value
    parent = data
    for part in at[:-1]:
        parent = parent[part]
    parent[at[-1]] = value
    return data


def pointer(at: Pointer) -> str:
    """`("paths", "/a")` -> `#/paths/~1a`; `()` -> `#`, the whole document."""
    return "#" + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in at)


def show(value: Data) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parsed(spec: MutatedSpec, file: str) -> Data:
    """The data of `file`, or None when earlier mutations left it unreadable."""
    try:
        text = spec.files[file].decode("utf-8")
        if file.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except (UnicodeDecodeError, ValueError, yaml.YAMLError):
        return None


def store(spec: MutatedSpec, file: str, data: Data) -> None:
    if file.endswith(".json"):
        text = json.dumps(data, default=str, indent=1)
    else:
        text = dumped_yaml(data)
    spec.files[file] = text.encode("utf-8")


def dumped_yaml(data: Data) -> str:
    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False}
    try:
        return yaml.dump(data, Dumper=yaml.CSafeDumper, **options)
    except UnicodeEncodeError:  # a lone surrogate: only the Python dumper escapes it
        return yaml.dump(data, Dumper=yaml.SafeDumper, **options)


def on_data(
    change: Callable[[random.Random, Data], tuple[Data, str] | None],
) -> Callable[[random.Random, MutatedSpec], None]:
    """A mutation of one parsed file, chosen at random."""

    def mutate(rng: random.Random, spec: MutatedSpec) -> None:
        file = rng.choice(sorted(spec.files))
        data = parsed(spec, file)
        if data is None:
            return
        result = change(rng, data)
        if result is not None:
            store(spec, file, result[0])
            spec.changes.append(f"{spec.name}/{file}: {result[1]}")

    mutate.__name__ = change.__name__
    return mutate


# --- mutations of the data ----------------------------------------------------------------


@on_data
def drop_key(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    mappings = [(at, n) for at, n in nodes(data) if isinstance(n, dict) and n]
    if not mappings:
        return None
    at, mapping = rng.choice(mappings)
    key = rng.choice(list(mapping))
    del mapping[key]
    return data, f"{pointer(at)}: dropped {show(key)}"


def other_types(value: Data) -> list[Data]:
    """Values of every type but `value`'s, some made from it."""
    candidates: list[Data] = [{}, [], "text", 42, -1.5, None, True, {"a": [1]}]
    if isinstance(value, dict):
        candidates += [list(value.values()), list(value)]
    if isinstance(value, list):
        candidates.append(dict(enumerate(value)))  # integer keys
    if isinstance(value, str):
        candidates += [[value], {value: value}, float("nan")]
    return [c for c in candidates if type(c) is not type(value)]


@on_data
def swap_type(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    at, value = rng.choice(nodes(data))
    new = rng.choice(other_types(value))
    return replaced(data, at, new), f"{pointer(at)}: {show(value)} -> {show(new)}"


@on_data
def break_ref(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    refs = [(at, n) for at, n in nodes(data) if isinstance(n, dict) and "$ref" in n]
    if not refs:
        return None
    at, node = rng.choice(refs)
    old, node["$ref"] = node["$ref"], rng.choice(BROKEN_REFS)
    return data, f"{pointer(at)}/$ref: {show(old)} -> {show(node['$ref'])}"


@on_data
def refer_to_itself(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    """A node replaced by a `$ref` to itself or to one of its ancestors."""
    at, _ = rng.choice(nodes(data))
    if not at:
        return None
    target = at[: rng.randrange(len(at) + 1)]
    return replaced(data, at, {"$ref": pointer(target)}), (
        f"{pointer(at)}: $ref to {pointer(target)}"
    )


def cross_file_cycle(rng: random.Random, spec: MutatedSpec) -> None:
    """Two nodes, in two files (or one), each a `$ref` to the other."""
    first, second = rng.choice(sorted(spec.files)), rng.choice(sorted(spec.files))
    first_data, second_data = parsed(spec, first), parsed(spec, second)
    if first_data is None or second_data is None or first == second:
        return
    at = rng.choice(nodes(first_data))[0]
    there = rng.choice(nodes(second_data))[0]
    if not at or not there:
        return
    to_second = _relative(first, second) + pointer(there)
    to_first = _relative(second, first) + pointer(at)
    store(spec, first, replaced(first_data, at, {"$ref": to_second}))
    store(spec, second, replaced(second_data, there, {"$ref": to_first}))
    spec.changes.append(
        f"{spec.name}: {first}{pointer(at)} <-> {second}{pointer(there)} ($ref cycle)"
    )


def _relative(source: str, target: str) -> str:
    """`target` as a `$ref` written in `source` (both relative to the spec folder)."""
    up = len(PurePosixPath(source).parts) - 1
    return "../" * up + target


@on_data
def odd_value(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    strings = [(at, n) for at, n in nodes(data) if isinstance(n, str)]
    if not strings:
        return None
    at, old = rng.choice(strings)
    odd = rng.choice(ODD_TEXT)
    new = rng.choice([odd, old + odd, odd + old])
    return replaced(data, at, new), f"{pointer(at)}: {show(old)} -> {show(new)}"


@on_data
def odd_key(rng: random.Random, data: Data) -> tuple[Data, str] | None:
    """A key renamed (a property, a schema, a path, a status code...), order kept."""
    keyed = [(at, n) for at, n in nodes(data) if isinstance(n, dict) and n]
    if not keyed:
        return None
    at, mapping = rng.choice(keyed)
    old = rng.choice(list(mapping))
    new = rng.choice([rng.choice(ODD_TEXT), f"{old}{rng.choice(ODD_TEXT)}"])
    if new in mapping:
        return None
    renamed = {(new if key == old else key): value for key, value in mapping.items()}
    return replaced(data, at, renamed), f"{pointer(at)}: key {show(old)} -> {show(new)}"


# --- mutations of the text -------------------------------------------------------------


def on_text(
    change: Callable[[random.Random, bytes], tuple[bytes, str]],
) -> Callable[[random.Random, MutatedSpec], None]:
    def mutate(rng: random.Random, spec: MutatedSpec) -> None:
        file = rng.choice(sorted(spec.files))
        spec.files[file], said = change(rng, spec.files[file])
        spec.changes.append(f"{spec.name}/{file}: {said}")

    mutate.__name__ = change.__name__
    return mutate


@on_text
def truncate(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(content) + 1)
    return content[:at], f"truncated to {at} of {len(content)} bytes"


_KEY_LINE = re.compile(rb"^([ \t]*)([^\s#:\-][^:\n]*):(?=\s|$)", re.MULTILINE)


@on_text
def duplicate_key(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    """A key written twice in one mapping, the copy first with a scalar value."""
    lines = list(_KEY_LINE.finditer(content))
    if not lines:
        return content, "no key to duplicate"
    line = rng.choice(lines)
    value = rng.choice([b"1", b"null", b"dup", b"[]", b"{}"])
    copy = line.group(1) + line.group(2) + b": " + value + b"\n"
    return (
        content[: line.start()] + copy + content[line.start() :],
        f"duplicated key {line.group(2).decode('utf-8', 'replace')!r}",
    )


@on_text
def raw_bytes(rng: random.Random, content: bytes) -> tuple[bytes, str]:
    """Bytes a YAML or JSON reader may refuse: NUL, BOM, NEL, invalid UTF-8."""
    at = rng.randrange(len(content) + 1)
    raw = rng.choice(
        [b"\x00", b"\xef\xbb\xbf", b"\xc2\x85", b"\xff\xfe", b"\xed\xa0\x80"]
    )
    return content[:at] + raw + content[at:], f"inserted {raw!r} at byte {at}"


MUTATIONS = [
    drop_key,
    swap_type,
    break_ref,
    refer_to_itself,
    cross_file_cycle,
    odd_value,
    odd_key,
    truncate,
    duplicate_key,
    raw_bytes,
]
WEIGHTS = [4, 5, 3, 2, 1, 4, 3, 1, 2, 1]


# --- the test ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Crash:
    run: int
    says: str
    changes: tuple[str, ...]

    @property
    def kind(self) -> str:
        """The message without its particulars: crashes of one bug read alike."""
        return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", self.says)[:160]

    def __str__(self) -> str:
        changes = "\n      ".join(self.changes)
        return f"run {self.run}: {self.says}\n      {changes}"


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


def parsed_not_formatted(files: Files, formatter: str = "ruff") -> Files:
    """The files unformatted, once each module has parsed as black would parse it."""
    for path, text in files.items():
        if path.endswith(".py"):
            ast.parse(text, path)
    return files


def fuzz_run(run: int, folder: Path) -> Crash | None:
    """Generate from the spec of run `run`; a Crash when it ends other than the contract says."""
    spec = mutated_spec(run, folder / "spec")
    output = folder / "out" / "pkg"
    output.mkdir(parents=True)
    (output / "models.py").write_bytes(b"# the previous output\n")
    before = snapshot(output.parent)
    args = ["generate", "--spec", str(folder / "spec" / spec.root)]
    args += ["--output", str(output), "--package", "pkg"]
    changes = tuple(spec.changes)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    except Exception as exc:  # noqa: BLE001 - an escaped exception is what we look for
        return Crash(run, f"escaped {type(exc).__name__}: {exc}"[:300], changes)
    if "Traceback" in result.stderr:
        return Crash(run, "a traceback on stderr", changes)
    if result.exit_code not in (0, 2):
        return Crash(run, f"exit {result.exit_code}: {result.stderr.strip()}", changes)
    if result.exit_code == 2 and snapshot(output.parent) != before:
        return Crash(run, "exit 2 changed the output folder", changes)
    return None


def test_mutated_specs_end_in_exit_0_or_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no pyproject.toml: the defaults, lenient
    crashes: dict[str, list[Crash]] = {}
    for run in range(RUNS):
        folder = tmp_path / str(run)
        with monkeypatch.context() as patch:
            if run % REAL_FORMATTING_EVERY:
                patch.setattr(pipeline, "format_files", parsed_not_formatted)
            crash = fuzz_run(run, folder)
        if crash is not None:
            crashes.setdefault(crash.kind, []).append(crash)
        shutil.rmtree(folder)
    if crashes:
        report = "\n".join(
            f"{len(found)} run(s) like\n  {found[0]}" for found in crashes.values()
        )
        pytest.fail(f"{len(crashes)} distinct crashes in {RUNS} runs:\n{report}")
