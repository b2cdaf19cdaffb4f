"""Benchmark: does the generated package pass `mypy --strict` and pyright strict, and how fast?

What is measured
    For each spec: `codegen generate` writes the package into a fresh temporary
    folder (not timed), then `python -m mypy --strict <package>` runs on it
    with the cache off (`--no-incremental`, `--cache-dir=/dev/null`), so every
    run checks everything; then pyright in strict mode (its PyPI package, from
    the dev extras) on the same folder. Reported per checker: the error count,
    the wall-clock seconds of its process, and the first errors.

Inputs (`--input NAME`, repeatable; default all)
    - images: the project's own spec, spec/openapi.yaml.
    - openai: OpenAI's published spec, ../shared/specs/openai/openapi.yaml
      (generation takes a minute or two; mypy about as long).
    - opc, redocly: the other published specs in ../shared/specs (small).
    A spec whose folder is absent is reported as skipped.

Exit status: 0, so `make bench` goes on to report the rest; with
`--fail-on-errors`, 1 when a package has mypy errors or does not generate.

Usage
    python bench/bench_typecheck.py [--input images|openai|opc|redocly ...]
                                    [--fail-on-errors]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SHARED_SPECS = PROJECT_DIR.parent / "shared" / "specs"
CODEGEN = Path(sys.executable).with_name("codegen")
TIMEOUT = 1800
SHOWN_ERRORS = 5

INPUTS: dict[str, list[Path]] = {
    "images": [PROJECT_DIR / "spec" / "openapi.yaml"],
    "openai": [SHARED_SPECS / "openai" / "openapi.yaml"],
    "opc": sorted(
        p
        for p in (SHARED_SPECS / "opc-end-to-end").glob("*")
        if p.suffix in (".yaml", ".json")
    ),
    "redocly": [SHARED_SPECS / "redocly-starter" / "openapi.yaml"],
}


def check(spec: Path) -> tuple[int, str]:
    """Generate `spec`, type-check the package; (error count, report line)."""
    with tempfile.TemporaryDirectory(prefix="bench-typecheck-") as folder:
        package = Path(folder) / "pkg"
        generated = subprocess.run(
            [str(CODEGEN), "generate", "--spec", str(spec), "--output", str(package)]
            + ["--package", "pkg"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        if generated.returncode != 0:
            last = (generated.stderr.strip().splitlines() or ["?"])[-1]
            return 1, f"generation failed: {last}"
        mypy, mypy_errors = _mypy(Path(folder))
        pyright, pyright_errors = _pyright(Path(folder))
    shown = "".join(
        f"\n      {checker}: {e}"
        for checker, errors in (("mypy", mypy_errors), ("pyright", pyright_errors))
        for e in errors[:SHOWN_ERRORS]
    )
    return (
        len(mypy_errors) + len(pyright_errors),
        f"mypy {mypy}; pyright {pyright}{shown}",
    )


def _mypy(folder: Path) -> tuple[str, list[str]]:
    """mypy --strict on `folder/pkg`: (summary, errors)."""
    start = time.perf_counter()
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        + ["--cache-dir=/dev/null", "pkg"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    seconds = time.perf_counter() - start
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    files = re.search(r"(\d+) source files?", checked.stdout)
    if checked.returncode not in (0, 1) or (checked.returncode == 1 and not errors):
        return "failed", [(checked.stderr or checked.stdout).strip()[-300:]]
    files_checked = files.group(1) if files else "?"
    return f"{len(errors)} errors in {files_checked} files, {seconds:.1f} s", errors


def _pyright(folder: Path) -> tuple[str, list[str]]:
    """pyright strict on `folder/pkg`: (summary, errors)."""
    pyright = Path(sys.executable).with_name("pyright")
    if not pyright.exists():
        return "not installed (pip install 'pyright[nodejs]')", []
    config = {"include": ["pkg"], "typeCheckingMode": "strict"}
    (folder / "pyrightconfig.json").write_text(json.dumps(config))
    start = time.perf_counter()
    checked = subprocess.run(
        [str(pyright), "--pythonpath", sys.executable, "--outputjson"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    seconds = time.perf_counter() - start
    try:
        report = json.loads(checked.stdout)
    except json.JSONDecodeError:
        return "failed", [(checked.stderr or checked.stdout).strip()[-300:]]
    errors = [
        f"{Path(d['file']).name}:{d['range']['start']['line'] + 1}: "
        + d["message"].splitlines()[0]
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    return f"{len(errors)} errors, {seconds:.1f} s", errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", action="append", choices=sorted(INPUTS))
    parser.add_argument("--fail-on-errors", action="store_true")
    args = parser.parse_args(argv)
    total = 0
    print("mypy --strict and pyright strict on generated packages")
    for name in args.input or list(INPUTS):
        specs = [s for s in INPUTS[name] if s.is_file()]
        if not specs:
            print(f"  {name}: skipped ({INPUTS[name][0].parent} is absent)")
            continue
        for spec in specs:
            errors, line = check(spec)
            total += errors
            label = name if len(specs) == 1 else f"{name}/{spec.name}"
            print(f"  {label}: {line}", flush=True)
    print(f"  total: {total} errors")
    return 1 if total and args.fail_on_errors else 0


if __name__ == "__main__":
    sys.exit(main())
