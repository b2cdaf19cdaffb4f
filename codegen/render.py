"""Render the generated package's files from Jinja2 templates over the IR."""

from __future__ import annotations

import json
import re

import jinja2

from .client_options import ClientOptions
from .client_view import client_context
from .errors_view import errors_context
from .ir import Api
from .mock_answers import mock_answers
from .mock_view import mock_context
from .naming import snake_case
from .server_view import server_context
from .streaming_view import streaming_context
from .templates_path import template_folder
from .upload_types import uses_uploads
from .write import Files

TEMPLATES = template_folder("package")


def render_package(
    api: Api, package: str, models: str, client_options: ClientOptions = ClientOptions()
) -> Files:
    """Every file of the package, by path relative to its folder."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["docstring"] = docstring
    env.filters["docline"] = docline
    env.filters["snake"] = snake_case
    env.filters["format_placeholder"] = lambda name: f"{name}=..."
    context = {
        "api": api,
        "package": package,
        "distribution": package.replace("_", "-"),
        "title": docline(api.title or package),
    }
    server = {**context, **server_context(api)}
    client = {**context, **client_context(api, package, client_options)}
    files = {
        "__init__.py": env.get_template("__init__.py.j2").render(context),
        "models.py": models,
        "py.typed": "",
        "pyproject.toml": env.get_template("pyproject.toml.j2").render(context),
        "README.md": env.get_template("README.md.j2").render({**server, **client}),
    }
    if api.has_streams:
        files["streaming.py"] = env.get_template("streaming.py.j2").render(
            {**context, **streaming_context(api)}
        )
        files["sse.py"] = env.get_template("sse.py.j2").render(context)
    files["server.py"] = env.get_template("server.py.j2").render(server)
    files["errors.py"] = env.get_template("errors.py.j2").render(
        {**context, **errors_context(api)}
    )
    if client["has_files"] or server["form_bodies"] or uses_uploads(api):
        files["uploads.py"] = env.get_template("uploads.py.j2").render(context)
    files["client.py"] = env.get_template("client.py.j2").render(client)
    answers = mock_answers(api)
    mock = {**context, **mock_context(api, server["operations"], answers)}
    files["mock.py"] = env.get_template("mock.py.j2").render(mock)
    files["mock.json"] = (
        json.dumps(answers.answers, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    files["openapi.json"] = json.dumps(api.spec, indent=2, ensure_ascii=False) + "\n"
    # A lone surrogate (valid in a JSON string) cannot be written as UTF-8.
    return {path: _LONE_SURROGATE.sub(_escape, text) for path, text in files.items()}


# Characters a docstring cannot hold as they are: control characters (NUL
# cannot even be in a source file) and lone surrogates.
_UNSAFE_IN_DOCSTRING = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    """The escape sequence of a character, as Python and JSON strings write it."""
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _docstring_body(text: str) -> str:
    """`text` escaped for the inside of a triple-quoted docstring."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return _UNSAFE_IN_DOCSTRING.sub(_escape, escaped)


def docline(text: str) -> str:
    """`text` on one line, safe inside a triple-quoted docstring."""
    return _docstring_body(" ".join(text.split()))


def docstring(text: str, indent: int = 0) -> str:
    """A triple-quoted docstring literal of `text`, continuation lines indented."""
    body = _docstring_body(text.strip())
    if body.endswith('"'):
        body += " "
    if "\n" not in body:
        return f'"""{body}"""'
    pad = " " * indent
    lines = [(pad + line if line.strip() else "") for line in body.split("\n")]
    return '"""' + lines[0].lstrip() + "\n" + "\n".join(lines[1:]) + "\n" + pad + '"""'
