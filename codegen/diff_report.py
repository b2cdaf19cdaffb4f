"""`codegen diff` reports: plain text for terminals and CI logs, Markdown for pull requests."""

from __future__ import annotations

from .spec_diff import Change, SpecDiff, iter_grouped

API_WIDE = "API-wide"


def summary(diff: SpecDiff) -> str:
    """`2 breaking, 3 non-breaking changes`, or `no API changes`."""
    if not diff.changes:
        return "no API changes"
    total = len(diff.changes)
    return f"{len(diff.breaking)} breaking, {len(diff.non_breaking)} non-breaking {'change' if total == 1 else 'changes'}"


def render_text(diff: SpecDiff, old: str, new: str) -> str:
    lines = [f"API changes from {old} to {new}: {summary(diff)}"]
    for title, changes in (
        ("Breaking changes", diff.breaking),
        ("Non-breaking changes", diff.non_breaking),
    ):
        if not changes:
            continue
        lines += ["", f"{title} ({len(changes)}):"]
        for operation, group in iter_grouped(changes):
            lines.append(f"  {operation or API_WIDE}")
            lines += [f"    - {change.describe()}" for change in group]
    return "\n".join(lines) + "\n"


def render_markdown(diff: SpecDiff, old: str, new: str) -> str:
    lines = [f"### API changes: {summary(diff)}", "", f"From `{old}` to `{new}`."]
    for title, changes in (
        ("Breaking changes", diff.breaking),
        ("Non-breaking changes", diff.non_breaking),
    ):
        if not changes:
            continue
        lines += [
            "",
            f"#### {title} ({len(changes)})",
            "",
            "| Operation | Where | Change |",
            "| --- | --- | --- |",
        ]
        lines += [_row(change) for change in changes]
    return "\n".join(lines) + "\n"


def _row(change: Change) -> str:
    operation = _code(change.operation) if change.operation else API_WIDE
    where = _code(change.where) if change.where else ""
    return f"| {operation} | {where} | {_cell(change.message)} |"


def _code(text: str) -> str:
    # A backtick inside would end the code span; a pipe would end the cell.
    fence = "``" if "`" in text else "`"
    return f"{fence}{text.replace('|', '&#124;')}{fence}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
