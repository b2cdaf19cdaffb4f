"""Benchmark: `codegen check` on an unchanged package, answered from its manifest.

What is measured
    Wall-clock time of one whole `codegen check` process (its console script,
    next to this Python), start-up and imports included, `time.perf_counter`
    around `subprocess.run`. For each input the package is first generated into
    a fresh temporary folder (not timed), then:
    - fast: N runs (`--repeat N`, default 5) of `codegen check`, which finds the
      manifest (`.codegen.json`) matching and answers without regenerating;
      the median and every run are shown, against the issue's goal;
    - full: one run of `codegen check --full`, which regenerates in memory and
      compares, as `check` did before the manifest: the same-run reference.
    Every run must exit 0 ("in sync"); a failure ends the bench with its stderr.
    The fast runs also record which heavy modules they imported (`-X importtime`
    in one extra, untimed run): the goal is none.

Inputs (`--input NAME`, repeatable; default both)
    - images: the project's own spec, spec/openapi.yaml (multi-file); goal 0.5 s.
    - openai: OpenAI's published spec, ../shared/specs/openai/openapi.yaml from
      the repository root; goal 1 s. Skipped, with a note, when absent.

Run: .venv/bin/python bench/bench_check.py [--input images] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODEGEN = Path(sys.executable).with_name("codegen")
INPUTS = {
    "images": (ROOT / "spec" / "openapi.yaml", 0.5),
    "openai": (ROOT.parent / "shared" / "specs" / "openai" / "openapi.yaml", 1.0),
}
HEAVY = (
    "prance",
    "datamodel_code_generator",
    "jinja2",
    "black",
    "openapi_spec_validator",
)


def run(*args: str, importtime: bool = False) -> tuple[float, str]:
    """Seconds of one codegen process and its stderr; exits the bench on failure."""
    command = [str(CODEGEN), *args]
    if importtime:
        command = [sys.executable, "-X", "importtime", *command]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(
            f"codegen {' '.join(args)} failed ({result.returncode}):\n{result.stderr}"
        )
    return seconds, result.stderr


def heavy_imports(stderr: str) -> list[str]:
    found = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }
    return sorted(found.intersection(HEAVY))


def bench(name: str, repeat: int) -> list[str] | None:
    spec, goal = INPUTS[name]
    if not spec.is_file():
        print(f"{name}: {spec} is absent; skipped")
        return None
    with tempfile.TemporaryDirectory(prefix="bench_check-") as folder:
        target = [
            "--spec",
            str(spec),
            "--output",
            str(Path(folder) / "pkg"),
            "--package",
            "pkg",
        ]
        run("generate", *target)
        run("check", *target)  # warm the file cache, as a second check would find it
        fast = [run("check", *target)[0] for _ in range(repeat)]
        heavy = heavy_imports(run("check", *target, importtime=True)[1])
        full, _ = run("check", "--full", *target)
    median = statistics.median(fast)
    return [
        name,
        f"{median:.3f}",
        " ".join(f"{s:.3f}" for s in fast),
        f"< {goal}",
        "yes" if median < goal else "NO",
        f"{full:.2f}",
        f"×{full / median:.0f}",
        ", ".join(heavy) or "none",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", action="append", choices=sorted(INPUTS))
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    header = [
        "input",
        "check s (median)",
        "runs",
        "goal",
        "met",
        "check --full s",
        "full / fast",
        "heavy modules imported",
    ]
    rows = [
        row
        for name in options.input or list(INPUTS)
        if (row := bench(name, options.repeat))
    ]
    print(
        "`codegen check` on an unchanged package (fast: from the manifest; --full: regenerated)"
    )
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
