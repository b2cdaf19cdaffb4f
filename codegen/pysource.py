"""Small, deterministic clean-ups of generated Python source before black."""

from __future__ import annotations

import re
import sys

_FROM_IMPORT = re.compile(r"^from (\S+) import (.+)$")


def tidy_imports(source: str) -> str:
    """Merge and sort the module's leading `from X import a, b` lines.

    isort's order, for the one-line imports generators emit: `__future__`,
    then the standard library, then third-party modules, then relative ones.
    """
    lines = source.split("\n")
    start = next((i for i, line in enumerate(lines) if _FROM_IMPORT.match(line)), None)
    if start is None:
        return source
    end = start
    names: dict[str, set[str]] = {}
    while end < len(lines) and (
        not lines[end].strip() or _FROM_IMPORT.match(lines[end])
    ):
        match = _FROM_IMPORT.match(lines[end])
        if match:
            module, imported = match.groups()
            names.setdefault(module, set()).update(
                n.strip() for n in imported.split(",")
            )
        end += 1
    groups: list[list[str]] = [[], [], [], []]
    for module in sorted(names):
        groups[_group(module)].append(
            f"from {module} import {', '.join(sorted(names[module], key=_name_key))}"
        )
    block = "\n\n".join("\n".join(group) for group in groups if group)
    return "\n".join(lines[:start] + [block, "", ""] + lines[end:])


def _group(module: str) -> int:
    if module == "__future__":
        return 0
    if module.startswith("."):
        return 3
    return 1 if module.split(".")[0] in sys.stdlib_module_names else 2


def _name_key(name: str) -> tuple[bool, str]:
    # isort's force_sort_within_sections=false order: CONSTANTS, Classes, functions.
    return (not name[:1].isupper(), name)
