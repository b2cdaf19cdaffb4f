"""Round trip over every spec: the generated client against the generated mock server.

For the project's spec and each root spec in ../shared/specs (OpenAI's
included) and in tests/fixtures (the `bad` ones, which do not generate, left
out):
`codegen.roundtrip.round_trip` generates the package into a temporary folder,
serves `create_app(MockHandlers())` with uvicorn on 127.0.0.1 and calls every
operation with the generated client, its arguments synthesised from the
schemas. An operation passes when its answer is the mock's, as the declared
type (a model that is also valid against the spec's schema, binary content,
text, nothing, a `Reply` with its headers, or a stream of the mock's events,
each of its type, which ends).

The table shows, per spec: operations passed / total, and the seconds of the
whole round trip (generation included). `--failures` lists each failure with
its reason. Each spec runs in its own process, so one spec's imports and
memory do not weigh on the next. `--spec PATH` (repeatable) picks specs.

    .venv/bin/python bench/bench_round_trip.py [--failures] [--spec PATH ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_SPECS = ROOT.parent / "shared" / "specs"
FIXTURES = ROOT / "tests" / "fixtures"
TIMEOUT = 1800
"""Seconds one spec may take (OpenAI's takes minutes on a small machine)."""

RUN_ONE = """
import json, sys
from pathlib import Path
from codegen.roundtrip import round_trip
result = round_trip(Path(sys.argv[1]))
print(json.dumps({
    "passed": result.passed,
    "total": result.total,
    "error": result.error,
    "failures": [[f.operation, f.reason] for f in result.failures()],
}))
"""


def root_specs() -> list[Path]:
    """Every OpenAPI root document under the shared specs and the fixtures."""
    found = [ROOT / "spec" / "openapi.yaml"]
    for folder in (SHARED_SPECS, FIXTURES):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
                continue
            if FIXTURES in path.parents and "bad" in path.relative_to(FIXTURES).parts:
                continue
            if _is_root(path):
                found.append(path)
    return found


def _is_root(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            return "openapi" in json.loads(text)
        except ValueError:
            return False
    return re.search(r"^['\"]?openapi['\"]?\s*:", text, re.MULTILINE) is not None


def run(spec: Path) -> tuple[dict[str, object], float]:
    started = time.perf_counter()
    try:
        process = subprocess.run(
            [sys.executable, "-c", RUN_ONE, str(spec)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT} s"}, time.perf_counter() - started
    seconds = time.perf_counter() - started
    lines = process.stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        last = (process.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit {process.returncode}: {last}"}, seconds
    return json.loads(lines[-1]), seconds


def label(spec: Path) -> str:
    for base in (SHARED_SPECS, ROOT):
        if base in spec.parents:
            return spec.relative_to(base).as_posix()
    return str(spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="list each failure")
    parser.add_argument("--spec", type=Path, action="append", help="a spec to run")
    args = parser.parse_args()
    specs = [p.resolve() for p in args.spec] if args.spec else root_specs()
    width = max(len(label(s)) for s in specs)
    print(f"{'spec':<{width}}  {'passed':>9}  {'seconds':>8}")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 8}")
    passed = total = 0
    for spec in specs:
        result, seconds = run(spec)
        if result.get("error"):
            print(
                f"{label(spec):<{width}}  {'-':>9}  {seconds:8.1f}  {result['error']}"
            )
            continue
        passed += int(result["passed"])  # type: ignore[call-overload]
        total += int(result["total"])  # type: ignore[call-overload]
        score = f"{result['passed']}/{result['total']}"
        print(f"{label(spec):<{width}}  {score:>9}  {seconds:8.1f}", flush=True)
        if args.failures:
            for operation, reason in result["failures"]:  # type: ignore[attr-defined]
                print(f"    {operation}: {reason}")
    print(f"{'all':<{width}}  {f'{passed}/{total}':>9}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
