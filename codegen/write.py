"""Format generated files and put them on disk as one unit."""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path

import black

Files = dict[str, str]

_BLACK = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)


def format_files(files: Files) -> Files:
    """Black-format every Python file."""
    return {
        path: black.format_str(text, mode=_BLACK) if path.endswith(".py") else text
        for path, text in files.items()
    }


def read_tree(directory: Path) -> Files:
    """Every file below `directory`, by POSIX path relative to it."""
    if not directory.is_dir():
        return {}
    return {
        path.relative_to(directory).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def diff_tree(directory: Path, files: Files, label: str) -> str:
    """A unified diff from what is in `directory` to `files`; empty when equal."""
    current = read_tree(directory)
    chunks = []
    for path in sorted(current.keys() | files.keys()):
        old, new = current.get(path), files.get(path)
        if old == new:
            continue
        chunks.extend(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"a/{label}/{path}" if old is not None else "/dev/null",
                tofile=f"b/{label}/{path}" if new is not None else "/dev/null",
            )
        )
    return "".join(line if line.endswith("\n") else line + "\n" for line in chunks)


def write_tree(directory: Path, files: Files) -> None:
    """Replace `directory` with exactly `files`.

    The new tree is written next to the old one and swapped in with renames, so
    a failure part-way leaves the previous output as it was.
    """
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
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
