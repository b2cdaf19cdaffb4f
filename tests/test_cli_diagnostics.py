"""What the command line says about a run: warnings, --strict, --verbose, internal errors.

Contract (DESIGN.md, "Contracts"; README, "Command line"): warnings go to stderr
as `codegen: warning: FILE:LINE: POINTER: message`, at most three of a kind
then `... and N more like this`, and a count; `--strict` (or `strict = true`
in `[tool.codegen]`) makes them errors (exit 2, output untouched); `--verbose`
lists them all and every rename with both places; a bug of the toolkit is one
line and exit 3 (`--debug`: the traceback). stdout carries only `check`'s diff
and `diff`'s report.

The CLI runs in-process (click.testing.CliRunner) from a temporary working
directory, so file names print relative to it.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from codegen import model_generator, pipeline
from codegen.cli import main, printable, summarised
from codegen.errors import SpecWarning

INFO = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'
THING = """\
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string}
"""


CLEAN = (
    INFO
    + "paths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n"
    + "        '200':\n          description: ok\n          content:\n"
    + "            application/json:\n"
    + "              schema: {$ref: '#/components/schemas/Thing'}\n"
    + THING
)


def undescribed_responses(count: int) -> str:
    """A 3.0 spec whose `count` operations each answer without the required description."""
    paths = "".join(
        f"  /x{n}:\n    get:\n      operationId: get{n}\n      responses:\n"
        f"        '200':\n          content:\n            application/json:\n"
        f"              schema: {{$ref: '#/components/schemas/Thing'}}\n"
        for n in range(count)
    )
    return INFO + "paths:\n" + paths + THING


def write(folder: Path, files: dict[str, str]) -> Path:
    """Write `files` below `folder`; the root is `openapi.yaml`."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / "openapi.yaml"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The run's working directory (a temporary folder, no pyproject.toml above it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def output(workdir: Path) -> Path:
    """An output folder with earlier content that a refused run must leave alone."""
    folder = workdir / "out" / "pkg"
    folder.mkdir(parents=True)
    (folder / "models.py").write_text("# the previous output\n", encoding="utf-8")
    return folder


def codegen(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def generate(spec: Path, output: Path, *options: str) -> Result:
    return codegen(
        "generate", "--spec", spec, "--output", output, "--package", "pkg", *options
    )


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


WARNING_AT_200 = re.compile(
    r'codegen: warning: spec/openapi\.yaml:(\d+): #/paths/~1x(\d+)/get/responses/200: "description" is a required property'
)

# --- warnings ---------------------------------------------------------------------------


def test_a_warning_is_one_line_with_file_line_and_pointer(
    workdir: Path, output: Path
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    result = generate(spec, output)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert WARNING_AT_200.fullmatch(lines[0])[1] == "8", lines
    assert lines[1:] == [
        "codegen: 1 warning (--strict makes them errors)",
        "wrote 12 files to out/pkg",
    ]


def test_repeated_warnings_are_summarised_after_three(
    workdir: Path, output: Path
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(5)})
    lines = generate(spec, output).stderr.splitlines()
    assert [WARNING_AT_200.fullmatch(line)[2] for line in lines[:3]] == ["0", "1", "2"]
    assert lines[3:5] == [
        "codegen: warning: ... and 2 more like this",
        "codegen: 5 warnings (--strict makes them errors)",
    ]


def test_verbose_prints_every_warning(workdir: Path, output: Path) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(5)})
    lines = generate(spec, output, "--verbose").stderr.splitlines()
    assert [WARNING_AT_200.fullmatch(line)[2] for line in lines[:5]] == list("01234")
    assert not any("more like this" in line for line in lines)
    assert lines[5] == "codegen: 5 warnings (--strict makes them errors)"


def test_warnings_are_grouped_by_kind_in_order_of_first_appearance() -> None:
    def warning(message: str, line: int) -> SpecWarning:
        return SpecWarning(Path("spec/a.yaml"), line, f"#/n{line}", message)

    warnings = [
        warning("'a' is a required property", 1),
        warning("5 is not of type 'object'", 2),
        *(
            warning(f"'{name}' is a required property", n)
            for n, name in enumerate("bcde", 3)
        ),
    ]
    assert summarised(warnings) == [
        "spec/a.yaml:1: #/n1: 'a' is a required property",
        "spec/a.yaml:3: #/n3: 'b' is a required property",
        "spec/a.yaml:4: #/n4: 'c' is a required property",
        "... and 2 more like this",
        "spec/a.yaml:2: #/n2: 5 is not of type 'object'",
    ]
    assert len(summarised(warnings, verbose=True)) == 6


def test_a_warning_with_unprintable_text_stays_one_line(
    workdir: Path, output: Path
) -> None:
    # A header name with a line break, a NUL and a right-to-left mark.
    odd = "a\nb\0c\u200fd"
    thing = {"schema": {"$ref": "#/components/schemas/Thing"}}
    response = {
        "description": "ok",
        "headers": {odd: 5},
        "content": {"application/json": thing},
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {"get": {"operationId": "getX", "responses": {"200": response}}}
        },
        "components": {"schemas": {"Thing": {"type": "object"}}},
    }
    spec = workdir / "spec" / "openapi.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(document), encoding="ascii")
    result = generate(spec, output)
    assert result.exit_code == 0, result.stderr
    warning = result.stderr.splitlines()[0]
    assert warning.startswith("codegen: warning: spec/openapi.json"), warning
    assert r"/headers/a\nb\x00c\u200fd: " in warning, warning


def test_printable_escapes_what_a_terminal_would_not_show() -> None:
    assert printable("Urn ⚙ 名前 «x»") == "Urn ⚙ 名前 «x»"
    assert (
        printable("a\nb\x00c\u200fd\ud800e\u2028") == r"a\nb\x00c\u200fd\ud800e\u2028"
    )


def test_check_keeps_stdout_for_its_diff(workdir: Path, output: Path) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    assert generate(spec, output).exit_code == 0
    result = codegen("check", "--spec", spec, "--output", output, "--package", "pkg")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert WARNING_AT_200.fullmatch(result.stderr.splitlines()[0])


# --- --strict ---------------------------------------------------------------------------


def test_strict_makes_warnings_errors_and_leaves_the_output(
    workdir: Path, output: Path
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(5)})
    before = tree(output.parent)
    result = generate(spec, output, "--strict")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [
        line.replace("codegen: error: ", "codegen: warning: ") for line in lines[:4]
    ] == (generate(spec, workdir / "other", "--no-strict").stderr.splitlines()[:4])
    assert lines[3] == "codegen: error: ... and 2 more like this"
    assert lines[4:] == ["codegen: 5 warnings (errors under --strict)"]
    assert tree(output.parent) == before


def pyproject(folder: Path, strict: str) -> None:
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(f"""\
            [tool.codegen]
            spec = "spec/openapi.yaml"
            output = "out/pkg"
            package = "pkg"
            strict = {strict}
            """),
        encoding="utf-8",
    )


def test_strict_from_pyproject(workdir: Path, output: Path) -> None:
    write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    pyproject(workdir, "true")
    before = tree(output.parent)
    result = codegen("generate")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "codegen: 1 warning (errors under strict = true in pyproject.toml)"
    )
    assert tree(output.parent) == before
    # The command line wins over the file.
    assert codegen("generate", "--no-strict").exit_code == 0
    assert (output / "client.py").is_file()


def test_strict_off_in_pyproject(workdir: Path, output: Path) -> None:
    write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    pyproject(workdir, "false")
    assert codegen("generate").exit_code == 0
    assert codegen("check", "--strict").exit_code == 2


@pytest.mark.parametrize(
    "setting, message",
    [
        (
            '"yes"',
            "codegen: error: pyproject.toml: [tool.codegen] strict must be true or false",
        ),
        ("tru", "codegen: error: pyproject.toml: "),
    ],
)
def test_an_unusable_pyproject_is_a_one_line_usage_error(
    workdir: Path, output: Path, setting: str, message: str
) -> None:
    write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    pyproject(workdir, setting)
    result = codegen("generate")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(message), result.stderr


def test_check_takes_strict(workdir: Path, output: Path) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": undescribed_responses(1)})
    generate(spec, output)
    args = ("check", "--spec", spec, "--output", output, "--package", "pkg")
    assert codegen(*args).exit_code == 0
    result = codegen(*args, "--strict")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(
        "codegen: error: spec/openapi.yaml:8: "
    )


def test_diff_takes_strict(workdir: Path) -> None:
    old = write(workdir / "old", {"openapi.yaml": undescribed_responses(1)})
    new = write(workdir / "new", {"openapi.yaml": undescribed_responses(2)})
    lenient = codegen("diff", old, new)
    assert lenient.exit_code == 0, lenient.stderr
    assert "1 non-breaking change" in lenient.stdout
    assert "codegen: warning: old/openapi.yaml:8: " in lenient.stderr
    assert "codegen: 3 warnings (--strict makes them errors)" in lenient.stderr
    strict = codegen("diff", old, new, "--strict")
    assert strict.exit_code == 2
    assert strict.stdout == ""
    assert (
        strict.stderr.splitlines()[-1] == "codegen: 3 warnings (errors under --strict)"
    )


# --- --verbose: renames -------------------------------------------------------------------

TWO_URNS = {
    "openapi.yaml": INFO
    + textwrap.dedent("""\
        paths:
          /things:
            get:
              operationId: listThings
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Thing'}
        components:
          schemas:
            Thing:
              type: object
              properties:
                a: {$ref: 'a/attributes/urn.yaml'}
                b: {$ref: 'b/attributes/urn.yaml'}
        """),
    "a/attributes/urn.yaml": "type: string\npattern: '^do:'\n",
    "b/attributes/urn.yaml": "type: string\nformat: uri\n",
}
RENAME = re.compile(
    r"codegen: renamed schema [Uu]rn -> (?P<chosen>[A-Za-z]+): "
    r"(?P<where>\S+); Urn is (?P<other>\S+)"
)


def test_verbose_lists_renames_with_both_places(workdir: Path, output: Path) -> None:
    spec = write(workdir / "spec", TWO_URNS)
    result = generate(spec, output, "--verbose")
    assert result.exit_code == 0, result.stderr
    renames = [m for m in map(RENAME.fullmatch, result.stderr.splitlines()) if m]
    assert len(renames) == 1, result.stderr
    rename = renames[0]
    assert rename["chosen"] != "Urn" and rename["chosen"].endswith("Urn")
    places = {rename["where"], rename["other"]}
    assert places == {"spec/a/attributes/urn.yaml", "spec/b/attributes/urn.yaml"}
    assert f"class {rename['chosen']}(" in (output / "models.py").read_text()


def test_renames_are_listed_only_with_verbose(workdir: Path, output: Path) -> None:
    spec = write(workdir / "spec", TWO_URNS)
    result = generate(spec, output)
    assert result.exit_code == 0
    assert "renamed" not in result.stderr


# --- internal errors -------------------------------------------------------------------------

STAGES = [
    ("load_spec", "loading the spec"),
    ("build_api", "building the API model"),
    ("models_job", "generating models"),
    ("model_generator.generate_models", "generating models"),
    ("render_package", "rendering"),
    ("format_files", "formatting"),
    ("write_tree", "writing"),
]


def crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom\nwith a second line")


@pytest.mark.parametrize("function, stage", STAGES)
def test_an_internal_error_is_one_line_and_exit_3(
    workdir: Path,
    output: Path,
    monkeypatch: pytest.MonkeyPatch,
    function: str,
    stage: str,
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": CLEAN})
    module, _, name = function.rpartition(".")
    monkeypatch.setattr(model_generator if module else pipeline, name, crash)
    before = tree(output.parent)
    result = generate(spec, output)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"codegen: internal error while {stage}: RuntimeError: boom with a second line; "
        "please report it with the spec\n"
    )
    assert tree(output.parent) == before


def test_debug_shows_the_traceback(
    workdir: Path, output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": CLEAN})
    monkeypatch.setattr(pipeline, "build_api", crash)
    result = generate(spec, output, "--debug")
    assert result.exit_code == 3
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "in crash\n" in result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        "codegen: internal error while building the API model: RuntimeError"
    )


def test_diff_reports_an_internal_error_the_same_way(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write(workdir / "spec", {"openapi.yaml": CLEAN})
    monkeypatch.setattr(pipeline, "diff_specs", crash)
    result = codegen("diff", spec, spec)
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [
        "codegen: internal error while comparing the specs: "
        "RuntimeError: boom with a second line; please report it with the spec"
    ]


def test_ctrl_c_stops_without_a_traceback(
    workdir: Path, output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    spec = write(workdir / "spec", {"openapi.yaml": CLEAN})
    monkeypatch.setattr(pipeline, "build_api", interrupt)
    result = generate(spec, output)
    assert result.exit_code == 130
    assert result.stderr == "codegen: interrupted\n"


def test_an_unwritable_output_is_an_error_not_a_bug(
    workdir: Path, output: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied", str(output))

    spec = write(workdir / "spec", {"openapi.yaml": CLEAN})
    monkeypatch.setattr(pipeline, "write_tree", refuse)
    result = generate(spec, output)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "codegen: error: cannot write out/pkg: [Errno 13] Permission denied"
    )


def test_a_usage_error_stays_clicks(workdir: Path) -> None:
    result = codegen("generate", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr
