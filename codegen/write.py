"""Format generated files and put them on disk as one unit."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

Files = dict[str, str]
Formatter = Literal["ruff", "black"]
FORMATTERS: tuple[Formatter, ...] = get_args(Formatter)
DEFAULT_FORMATTER: Formatter = "ruff"

LINE_LENGTH = 88
TARGET_VERSION = "py311"
# Below this much Python source, starting worker processes costs more than it saves.
_PARALLEL_FROM = 1_000_000


def format_files(files: Files, formatter: Formatter = DEFAULT_FORMATTER) -> Files:
    """Format every Python file; end every other non-empty file with one newline.

    `ruff` (the default) formats all modules in one process, in parallel on
    every core, about 30 times faster than black with black's style; `black`
    stays selectable (`formatter = "black"` in `[tool.codegen]`). Both read
    only the options given here, never a configuration file of the project.
    """
    python = {path: text for path, text in files.items() if path.endswith(".py")}
    if not python:
        formatted: Files = {}
    elif formatter == "ruff":
        formatted = _ruff(python)
    elif formatter == "black":
        formatted = _black_all(python)
    else:
        raise ValueError(f"unknown formatter {formatter!r}")
    return {
        path: formatted[path] if path in formatted else _end_with_newline(text)
        for path, text in files.items()
    }


def _ruff(python: Files) -> Files:
    """`ruff format` over a scratch copy of the modules: one process, all cores."""
    from ruff import find_ruff_bin  # only where used: black users need not have it

    with tempfile.TemporaryDirectory(prefix="codegen-format-") as scratch:
        # Flat numbered names: the package's own paths may nest or clash with nothing.
        names = {path: f"m{index}.py" for index, path in enumerate(sorted(python))}
        for path, name in names.items():
            with open(
                os.path.join(scratch, name), "w", encoding="utf-8", newline="\n"
            ) as out:
                out.write(python[path])
        done = subprocess.run(
            [
                find_ruff_bin(),
                "format",
                "--isolated",  # no ruff.toml / pyproject.toml of the project
                "--no-cache",
                f"--line-length={LINE_LENGTH}",
                f"--target-version={TARGET_VERSION}",
                "--quiet",
                ".",
            ],
            check=False,
            cwd=scratch,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"ruff format failed: {done.stderr.strip() or done.stdout.strip()}"
            )
        formatted = {}
        for path, name in names.items():
            with open(
                os.path.join(scratch, name), encoding="utf-8", newline=""
            ) as source:
                formatted[path] = source.read()
        return formatted


def _black_all(python: Files) -> Files:
    """Black, one process per core for a large package (black is slow: OpenAI's 43 s)."""
    workers = min(len(python), os.cpu_count() or 1)
    if workers > 1 and sum(map(len, python.values())) >= _PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Largest first, so the longest job starts at once; "spawn" because the
        # caller may have threads (a fork would copy their locks).
        order = sorted(python, key=lambda path: -len(python[path]))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return dict(zip(order, pool.map(_black, (python[p] for p in order))))
    return {path: _black(text) for path, text in python.items()}


def _black(text: str) -> str:
    import black  # only where used: importing it alone takes a tenth of a second

    mode = black.Mode(
        target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH
    )
    return black.format_str(text, mode=mode)


def _end_with_newline(text: str) -> str:
    return text.rstrip("\n") + "\n" if text else ""


def read_tree(directory: Path) -> Files:
    """Every file below `directory`, by POSIX path relative to it."""
    if not directory.is_dir():
        return {}
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@dataclass(frozen=True)
class TreeDiff:
    """How a folder differs from the files that should be in it."""

    text: str
    """A unified diff, `a/<label>/<path>` to `b/<label>/<path>`."""
    changed: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]

    def summary(self) -> str:
        """`3 files differ (1 changed, 1 added, 1 removed): a.py, b.py, c.py`."""
        paths = sorted(self.changed + self.added + self.removed)
        counts = f"{len(self.changed)} changed, {len(self.added)} added, {len(self.removed)} removed"
        noun = "file differs" if len(paths) == 1 else "files differ"
        return f"{len(paths)} {noun} ({counts}): {', '.join(paths)}"


def diff_tree(directory: Path, files: Files, label: str) -> TreeDiff:
    """What it takes to turn `directory` into `files`; empty when equal."""
    current = read_tree(directory)
    chunks: list[str] = []
    changed, added, removed = [], [], []
    for path in sorted(current.keys() | files.keys()):
        old, new = current.get(path), files.get(path)
        if old == new:
            continue
        (added if old is None else removed if new is None else changed).append(path)
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"a/{label}/{path}" if old is not None else "/dev/null",
                tofile=f"b/{label}/{path}" if new is not None else "/dev/null",
            )
        )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in chunks)
    return TreeDiff(text, tuple(changed), tuple(added), tuple(removed))


def write_tree(directory: Path, files: Files) -> None:
    """Replace `directory` with exactly `files`.

    The new tree is written next to the old one and swapped in with renames, so
    a failure part-way leaves the previous output as it was.
    """
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent)
    )
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the package is not
        for path, text in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if directory.exists():
            retired = directory.with_name(f".{directory.name}.old-{os.getpid()}")
            os.replace(directory, retired)
            os.replace(staging, directory)
            shutil.rmtree(retired)
        else:
            os.replace(staging, directory)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
