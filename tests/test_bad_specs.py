"""Broken specs are refused the same way every time; slightly-off ones are warned about.

Contract (DESIGN.md, "Contracts"): any spec error makes `codegen generate` and
`codegen check` exit 2 with ONE line on stderr that names the file and the place
(a line or a JSON pointer), never a traceback, and leaves the output folder
byte-for-byte as it was. What generation can work around (off the meta-schema,
a duplicate operationId) is a warning, `FILE:LINE: POINTER: message` at the
deepest offending node, and the run goes on; `--strict` makes it an error that
refuses the run like any other.

Every test runs the real console script in a subprocess, against an output
folder that already holds a good generated package (plus a file of the user's),
and compares a snapshot of that folder, and of the folder around it, before and
after.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_codegen

BAD = FIXTURES / "bad"
GOOD_SPEC = FIXTURES / "petstore30" / "openapi.yaml"

Snapshot = dict[str, bytes | None]  # relative path -> bytes (None for a folder)


def snapshot(folder: Path) -> Snapshot:
    """Every entry below `folder` with the bytes of each file."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): (
            path.read_bytes() if path.is_file() else None
        )
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def good_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A package generated from the good spec by the CLI, generated once per module."""
    out = tmp_path_factory.mktemp("good") / "pkg"
    result = run_codegen(
        "generate",
        "--spec",
        GOOD_SPEC,
        "--output",
        out,
        "--package",
        "pkg",
        cwd=out.parent,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "models.py").is_file()
    return out


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """The working directory of the run: outside the repository, so paths print in full."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return cwd


@pytest.fixture
def output_dir(tmp_path: Path, good_package: Path) -> Path:
    """A copy of the good package, plus a file of the user's that must survive."""
    out = tmp_path / "parent" / "pkg"
    shutil.copytree(good_package, out)
    (out / "NOTES.txt").write_bytes(b"kept by the user\r\n")
    return out


@dataclass(frozen=True)
class Refusal:
    """What a refused run printed."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def line(self) -> str:
        return self.stderr.strip()


def refuse(
    command: str, spec: Path, output: Path, cwd: Path, package: str = "pkg"
) -> Refusal:
    """Run `command` on a bad spec; check everything the contract says about any error.

    Returns the one stderr line for the caller's case-specific checks.
    """
    before, around = snapshot(output), snapshot(output.parent)
    result = run_codegen(
        command, "--spec", spec, "--output", output, "--package", package, cwd=cwd
    )
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), (
        f"want exactly one stderr line, got {result.stderr!r}"
    )
    assert result.stdout == ""
    assert snapshot(output) == before, "the output folder changed"
    assert snapshot(output.parent) == around, (
        "something was left next to the output folder"
    )
    return Refusal(result.returncode, result.stdout, result.stderr)


def names_file(line: str, path: str) -> bool:
    """`path` (e.g. `bad_pointer/paths/items.yaml`) appears as a whole path ending."""
    return re.search(rf"(^|[\s/'\"(]){re.escape(path)}(?![\w.-])", line) is not None


def names_place(line: str, lines: tuple[int, ...], pointers: tuple[str, ...]) -> bool:
    """One of the lines (`line 12`) or pointers (`#/a/b`, also with `/$ref`) appears."""
    for number in lines:
        if re.search(rf"\bline {number}\b", line):
            return True
    for pointer in pointers:
        if re.search(rf"{re.escape(pointer)}(/\$ref)?(?![\w~/$])", line):
            return True
    return False


# --- the fixture folders of tests/fixtures/bad/ -------------------------------------------


@dataclass(frozen=True)
class BadCase:
    """One folder of tests/fixtures/bad/ and what README.md says a good error names."""

    name: str
    files: tuple[str, ...]  # every one must be named (relative to the case folder)
    places: tuple[
        tuple[tuple[int, ...], tuple[str, ...]], ...
    ]  # each: (lines, pointers), one must appear
    mentions: tuple[str, ...] = ()  # further words the message must contain


CASES = [
    BadCase(
        "missing_file",
        files=("openapi.yaml",),
        places=(((10,), ("#/paths/~1missing",)),),
        mentions=("paths/nope.yaml",),
    ),
    BadCase(
        "bad_pointer",
        files=("paths/items.yaml",),
        places=(
            ((12,), ("#/item/get/responses/200/content/application~1json/schema",)),
        ),
        mentions=("schemas.yaml", "DoesNotExist"),
    ),
    BadCase(
        "yaml_syntax",
        files=("schemas.yaml",),
        places=(((5,), ()),),
    ),
    BadCase(
        "ref_cycle",
        files=("paths/a.yaml", "paths/b.yaml"),
        places=(((2,), ("#/item",)),),
    ),
]


def _case_params() -> list[object]:
    return [pytest.param(case, id=case.name) for case in CASES]


def test_every_fixture_folder_has_a_case() -> None:
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    warned = {case.id for case in WARNING_CASES if not case.files}
    assert folders == {case.name for case in CASES} | warned
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    for name in folders:
        assert f"`{name}/`" in readme


@pytest.mark.parametrize("case", _case_params())
def test_generate_refuses_without_touching_the_output(
    case: BadCase, output_dir: Path, workdir: Path
) -> None:
    refusal = refuse("generate", BAD / case.name / "openapi.yaml", output_dir, workdir)
    # Whatever else it says, the message is located in a file of this case and at a place.
    assert f"{case.name}/" in refusal.line
    assert re.search(r"\bline \d+|#(/|:|\s|$)", refusal.line), refusal.line


@pytest.mark.parametrize("case", _case_params())
def test_generate_names_the_file_and_place_readme_gives(
    case: BadCase, output_dir: Path, workdir: Path
) -> None:
    line = refuse(
        "generate", BAD / case.name / "openapi.yaml", output_dir, workdir
    ).line
    for file in case.files:
        assert names_file(line, f"{case.name}/{file}"), f"{file} not named in: {line}"
    for lines, pointers in case.places:
        assert names_place(line, lines, pointers), (
            f"none of {lines} / {pointers} in: {line}"
        )
    for word in case.mentions:
        assert word in line, f"{word!r} not in: {line}"


def test_bad_pointer_is_reported_as_a_missing_pointer_not_a_missing_file(
    output_dir: Path, workdir: Path
) -> None:
    # The ref is relative to paths/items.yaml; resolving it against the root folder
    # would wrongly find no schemas.yaml at all.
    line = refuse(
        "generate", BAD / "bad_pointer" / "openapi.yaml", output_dir, workdir
    ).line
    assert "not found" not in line.lower()
    assert "DoesNotExist" in line


@pytest.mark.parametrize("case", _case_params())
def test_check_refuses_the_same_way(
    case: BadCase, output_dir: Path, workdir: Path
) -> None:
    spec = BAD / case.name / "openapi.yaml"
    from_check = refuse("check", spec, output_dir, workdir).line
    from_generate = refuse("generate", spec, output_dir, workdir).line
    assert from_check == from_generate


def test_a_refused_run_does_not_create_a_missing_output_folder(
    tmp_path: Path, workdir: Path
) -> None:
    out = tmp_path / "parent" / "not_yet"
    out.parent.mkdir()
    refuse("generate", BAD / "ref_cycle" / "openapi.yaml", out, workdir)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []


# --- broken specs written on the fly ---------------------------------------------------------


@dataclass(frozen=True)
class InlineCase:
    """Spec files to write (relative path -> text); the root is `openapi.yaml`."""

    id: str
    files: dict[str, str]
    named: str  # file the error must name, relative to the spec folder
    lines: tuple[int, ...] = ()
    pointers: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


INFO = 'info: {title: t, version: "1"}\n'
RESPONSE_WITHOUT_DESCRIPTION = """\
    get:
      operationId: getX
      responses:
        '200':
          content:
            application/json:
              schema: {type: string}
"""

INLINE_CASES = [
    InlineCase(
        "swagger-2.0",
        {"openapi.yaml": 'swagger: "2.0"\n' + INFO + "paths: {}\n"},
        "openapi.yaml",
        lines=(1,),
        pointers=("#/openapi", "#/swagger"),
        mentions=("unsupported",),
    ),
    InlineCase(
        "openapi-2.0",
        {"openapi.yaml": "openapi: 2.0\n" + INFO + "paths: {}\n"},
        "openapi.yaml",
        lines=(1,),
        pointers=("#/openapi",),
        mentions=("2.0",),
    ),
    InlineCase(
        "openapi-4.0.0",
        {"openapi.yaml": "openapi: 4.0.0\n" + INFO + "paths: {}\n"},
        "openapi.yaml",
        lines=(1,),
        pointers=("#/openapi",),
        mentions=("4.0.0",),
    ),
    InlineCase(
        "root-is-a-list",
        {"openapi.yaml": "- openapi: 3.1.0\n- paths: {}\n"},
        "openapi.yaml",
        lines=(1,),
        pointers=("#",),
    ),
    InlineCase(
        "root-is-a-string",
        {"openapi.yaml": "just some text\n"},
        "openapi.yaml",
        lines=(1,),
        pointers=("#",),
    ),
    InlineCase(
        "root-is-empty",
        {"openapi.yaml": ""},
        "openapi.yaml",
        lines=(1,),
        pointers=("#",),
    ),
    InlineCase(
        "json-syntax-error",
        {
            "openapi.json": '{"openapi": "3.1.0",\n "info": {"title": "t", "version": "1"},\n "paths": {,}\n}\n'
        },
        "openapi.json",
        lines=(3,),
    ),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in INLINE_CASES])
@pytest.mark.parametrize("command", ["generate", "check"])
def test_inline_broken_spec_is_refused_and_located(
    case: InlineCase, command: str, tmp_path: Path, output_dir: Path, workdir: Path
) -> None:
    folder = tmp_path / "spec"
    for relative, text in case.files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    root = folder / next(iter(case.files))
    line = refuse(command, root, output_dir, workdir).line
    assert names_file(line, f"spec/{case.named}"), line
    assert names_place(line, case.lines, case.pointers), (
        f"none of {case.lines} / {case.pointers} in: {line}"
    )
    for word in case.mentions:
        assert word in line, line


def test_missing_root_spec_file_is_refused(
    tmp_path: Path, output_dir: Path, workdir: Path
) -> None:
    line = refuse(
        "generate", tmp_path / "spec" / "openapi.yaml", output_dir, workdir
    ).line
    assert names_file(line, "spec/openapi.yaml"), line


# --- specs slightly off: warnings, errors only under --strict ------------------------------


@dataclass(frozen=True)
class WarningCase:
    """A spec generation works around, and where its warning must point.

    `files` are written to a `spec/` folder (root `openapi.yaml`); without them
    the spec is the fixture folder `tests/fixtures/bad/<id>/`.
    """

    id: str
    files: dict[str, str]
    file: str  # the file the warning names, relative to the spec folder
    line: int
    pointer: str  # the deepest offending node, in that file
    mentions: tuple[str, ...] = ()

    def write(self, tmp_path: Path) -> Path:
        """The root file of the spec, written out first when inline."""
        if not self.files:
            return BAD / self.id / "openapi.yaml"
        for relative, text in self.files.items():
            (tmp_path / "spec" / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "spec" / relative).write_text(text, encoding="utf-8")
        return tmp_path / "spec" / "openapi.yaml"

    def location(self, severity: str) -> re.Pattern[str]:
        """`codegen: warning: .../spec/paths/x.yaml:5: #/item/get/responses/200: ...`."""
        folder = "spec" if self.files else self.id
        return re.compile(
            rf"codegen: {severity}: (.*/)?{re.escape(f'{folder}/{self.file}')}"
            rf":{self.line}: {re.escape(self.pointer)}: \S.*"
        )


WARNING_CASES = [
    WarningCase(
        # The second operation (in path order) gets a distinct name.
        "duplicate_operation_id",
        {},
        "paths/other_things.yaml",
        3,
        "#/item/get/operationId",
        mentions=("getThing", "GET /things/{thing_id}"),
    ),
    WarningCase(
        "3.0-response-without-description",
        {
            "openapi.yaml": "openapi: 3.0.3\n"
            + INFO
            + "paths:\n  /x:\n"
            + RESPONSE_WITHOUT_DESCRIPTION
        },
        "openapi.yaml",
        8,
        "#/paths/~1x/get/responses/200",
        mentions=("description",),
    ),
    WarningCase(
        "3.1-parameter-in-querystring",
        {
            "openapi.yaml": "openapi: 3.1.0\n"
            + INFO
            + textwrap.dedent("""\
                paths:
                  /x:
                    get:
                      operationId: getX
                      parameters:
                        - name: q
                          in: querystring
                          schema: {type: string}
                      responses:
                        '200':
                          description: ok
                """)
        },
        "openapi.yaml",
        9,
        "#/paths/~1x/get/parameters/0/in",
        mentions=("querystring",),
    ),
    WarningCase(
        # The invalid object lives in a referenced file: that file is the one to fix.
        "invalid-response-in-a-referenced-file",
        {
            "openapi.yaml": "openapi: 3.0.3\n"
            + INFO
            + "paths:\n  /x:\n    $ref: './paths/x.yaml#/item'\n",
            "paths/x.yaml": "item:\n"
            + textwrap.indent(textwrap.dedent(RESPONSE_WITHOUT_DESCRIPTION), "  "),
        },
        "paths/x.yaml",
        5,
        "#/item/get/responses/200",
    ),
    WarningCase(
        # Beyond what the meta-schema check can describe to the IR: it skips the node.
        "malformed-beyond-the-validator",
        {
            "openapi.yaml": "openapi: 3.1.0\n"
            + INFO
            + "paths:\n  /a:\n    get:\n      responses: 5\n"
        },
        "openapi.yaml",
        6,
        "#/paths/~1a/get/responses",
    ),
]


def _warning_params() -> list[object]:
    return [pytest.param(case, id=case.id) for case in WARNING_CASES]


@pytest.mark.parametrize("case", _warning_params())
def test_a_spec_slightly_off_generates_with_a_located_warning(
    case: WarningCase, tmp_path: Path, output_dir: Path, workdir: Path
) -> None:
    result = run_codegen(
        "generate",
        "--spec",
        case.write(tmp_path),
        "--output",
        output_dir,
        "--package",
        "pkg",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    located = [line for line in lines if case.location("warning").fullmatch(line)]
    assert located, f"no warning at {case.file}:{case.line}: {case.pointer} in {lines}"
    for word in case.mentions:
        assert word in located[0], located[0]
    # Never the document's root for a problem inside it.
    assert not [line for line in lines if re.search(r":\d+: #: ", line)], lines
    assert re.fullmatch(
        r"codegen: \d+ warnings? \(--strict makes them errors\)", lines[-2]
    )
    assert lines[-1].startswith("wrote ")
    assert (output_dir / "models.py").is_file()


@pytest.mark.parametrize("case", _warning_params())
@pytest.mark.parametrize("command", ["generate", "check"])
def test_under_strict_a_warning_refuses_the_run_at_the_same_place(
    case: WarningCase, command: str, tmp_path: Path, output_dir: Path, workdir: Path
) -> None:
    before, around = snapshot(output_dir), snapshot(output_dir.parent)
    result = run_codegen(
        command,
        "--strict",
        "--spec",
        case.write(tmp_path),
        "--output",
        output_dir,
        "--package",
        "pkg",
        cwd=workdir,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(case.location("error").fullmatch(line) for line in lines), lines
    assert all(line.startswith("codegen: error: ") for line in lines[:-1]), lines
    assert re.fullmatch(r"codegen: \d+ warnings? \(errors under --strict\)", lines[-1])
    assert snapshot(output_dir) == before, "the output folder changed"
    assert snapshot(output_dir.parent) == around, "something was left beside it"


# --- the --package option --------------------------------------------------------------------


@pytest.mark.parametrize(
    "package",
    [
        "my-pkg",
        "1pkg",
        "pkg.sub",
        "pkg name",
        "",
        "class",
        "None",
    ],
)
@pytest.mark.parametrize("command", ["generate", "check"])
def test_unusable_package_name_is_refused_and_touches_nothing(
    package: str, command: str, output_dir: Path, workdir: Path
) -> None:
    before, around = snapshot(output_dir), snapshot(output_dir.parent)
    result = run_codegen(
        command,
        "--spec",
        GOOD_SPEC,
        "--output",
        output_dir,
        "--package",
        package,
        cwd=workdir,
    )
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "--package" in result.stderr
    assert result.stdout == ""
    assert snapshot(output_dir) == before
    assert snapshot(output_dir.parent) == around


def test_a_good_spec_still_generates_into_the_same_folder(
    output_dir: Path, workdir: Path
) -> None:
    """Control: the setup of the refusals above is one the tool accepts."""
    result = run_codegen(
        "check",
        "--spec",
        GOOD_SPEC,
        "--output",
        output_dir,
        "--package",
        "pkg",
        cwd=workdir,
    )
    assert result.returncode == 1  # only the user's NOTES.txt differs
    assert "NOTES.txt" in result.stdout
    (output_dir / "NOTES.txt").unlink()
    result = run_codegen(
        "check",
        "--spec",
        GOOD_SPEC,
        "--output",
        output_dir,
        "--package",
        "pkg",
        cwd=workdir,
    )
    assert result.returncode == 0, result.stdout + result.stderr
