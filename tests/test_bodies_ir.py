"""The IR's decisions about request bodies and 2xx answers (codegen/bodies.py, codegen/responses.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codegen.bodies import media_test
from codegen.client_view import client_context
from codegen.ir import Operation

from .test_ir_fallbacks import answer, built, ref, spec_file, warnings_at

BINARY = {"type": "string", "format": "binary"}
THING = {"type": "object", "properties": {"name": {"type": "string"}}}


def operation(tmp_path: Path, raw: dict[str, Any]) -> tuple[Operation, Any]:
    path = spec_file(
        tmp_path, {"/x": {"post": {"operationId": "send", **raw}}}, {"Thing": THING}
    )
    api, diagnostics = built(path)
    return api.operations[0], diagnostics


def body(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {"content": content},
        "responses": {"204": {"description": "done"}},
    }


def test_every_media_type_of_a_body_is_a_choice_the_preferred_first(
    tmp_path: Path,
) -> None:
    upload = {"type": "object", "properties": {"file": BINARY}}
    op, _ = operation(
        tmp_path,
        body(
            {
                "multipart/form-data": {"schema": upload},
                "application/json": {"schema": ref("Thing")},
                "application/x-www-form-urlencoded": {"schema": ref("Thing")},
            }
        ),
    )
    assert op.body is not None
    assert [(b.kind, b.model) for b in op.body.choices] == [
        ("json", "Thing"),
        ("multipart", "SendRequestMultipart"),
        ("form", "Thing"),
    ]
    assert op.body.upload == op.body.alternatives[0]
    assert [b.accepts for b in op.body.choices] == [
        ("application/json",),
        ("multipart/form-data",),
        ("application/x-www-form-urlencoded",),
    ]


def test_raw_media_types_of_one_kind_are_one_choice(tmp_path: Path) -> None:
    op, diagnostics = operation(
        tmp_path,
        body(
            {
                "image/png": {"schema": BINARY},
                "image/*": {"schema": BINARY},
                "text/plain": {"schema": {"type": "string"}},
            }
        ),
    )
    assert op.body is not None
    assert [(b.kind, b.accepts) for b in op.body.choices] == [
        ("text", ("text/plain",)),
        ("binary", ("image/png", "image/*")),
    ]
    assert op.body.upload is None
    assert not op.body.chosen_type and op.body.alternatives[0].chosen_type
    assert not diagnostics.warnings  # raw content is supported, not a fallback


def test_media_test_matches_exact_types_and_ranges() -> None:
    assert media_test(("application/json",), "m") == "m == 'application/json'"
    assert media_test(("image/png", "image/*"), "m") == (
        "m == 'image/png' or m.startswith('image/')"
    )
    assert media_test(("a/b", "c/d"), "m") == "m in ('a/b', 'c/d')"
    assert media_test(("*/*",), "m") == "True"


def test_answers_are_the_plain_2xx_ones(tmp_path: Path) -> None:
    responses = {
        "200": answer("json", "application/json", ref("Thing")),
        "201": answer("image", "image/png", BINARY),
        "202": answer("text", "text/csv", {"type": "string"}),
        "2XX": {"description": "nothing"},
        "206": answer("events", "text/event-stream", {"type": "object"}),
        "400": answer("error", "application/json", ref("Thing")),
    }
    op, _ = operation(tmp_path, {"responses": responses})
    assert [(a.status, a.code, a.kind, a.python_type) for a in op.answers] == [
        ("200", 200, "json", "Thing"),
        ("201", 201, "binary", "bytes"),
        ("202", 202, "text", "str"),
        ("2XX", 204, "empty", "None"),
    ]
    assert op.answers[1].media_type == "image/png"
    assert not op.reply and op.headers_model is None


def test_two_statuses_of_one_type_need_a_reply(tmp_path: Path) -> None:
    responses = {
        "200": answer("done", "application/json", ref("Thing")),
        "202": answer("accepted", "application/json", ref("Thing")),
    }
    op, _ = operation(tmp_path, {"responses": responses})
    assert op.reply and op.headers_model is None


def test_declared_headers_become_one_model_of_the_2xx_answers(tmp_path: Path) -> None:
    limit = {"schema": {"type": "integer"}, "required": True, "description": "Left."}
    responses = {
        "200": {
            "description": "ok",
            "headers": {
                "X-Limit": limit,
                "X-Id": {"schema": {"type": "string"}, "required": True},
                "Content-Type": {"schema": {"type": "string"}},
                "Transfer-Encoding": {"schema": {"type": "string"}},
                "X-Tags": {"schema": {"type": "object"}},
                "X-Ids": {"schema": {"type": "array", "items": {"type": "string"}}},
            },
        },
        "201": {"description": "created", "headers": {"X-Limit": limit}},
        "400": {"description": "bad", "headers": {"X-Error": {"schema": {}}}},
    }
    path = spec_file(
        tmp_path, {"/x": {"get": {"operationId": "look", "responses": responses}}}
    )
    api, diagnostics = built(path)
    op = api.operations[0]
    assert op.reply and op.headers_model == "LookHeaders"
    assert op.answers[0].kind == "empty"
    model = next(m for m in api.models if m.name == "LookHeaders")
    assert list(model.schema["properties"]) == ["x-limit", "x-id", "x-tags", "x-ids"]
    assert model.schema["properties"]["x-ids"] == {"type": "string"}
    assert model.schema["required"] == ["x-limit"]  # x-id: not on every answer
    assert model.schema["properties"]["x-limit"]["description"] == "Left."
    assert model.python_name("x-limit") == "x_limit"
    for name in ("X-Tags", "X-Ids"):
        (warning,) = warnings_at(
            diagnostics, f"#/paths/~1x/get/responses/200/headers/{name}"
        )
        assert "read as a string" in warning


def test_headers_of_an_answer_that_only_streams_have_no_model(tmp_path: Path) -> None:
    # A stream has no `Reply` to carry them; a model would only be dead code.
    responses = {
        "200": {
            "description": "events",
            "headers": {"X-Id": {"schema": {"type": "string"}}},
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
    op, _ = operation(tmp_path, {"responses": responses})
    assert op.answers == () and op.headers_model is None and not op.reply


def test_the_client_switches_to_multipart_only_for_a_form_with_files(
    tmp_path: Path,
) -> None:
    with_file = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "f": BINARY},
    }
    without = {"type": "object", "properties": {"name": {"type": "string"}}}
    kinds = []
    for index, form in enumerate((with_file, without)):
        folder = tmp_path / str(index)
        folder.mkdir()
        content = {
            "application/json": {"schema": ref("Thing")},
            "multipart/form-data": {"schema": form},
        }
        path = spec_file(
            folder,
            {"/x": {"post": {"operationId": "send", **body(content)}}},
            {"Thing": THING},
        )
        (op,) = client_context(built(path)[0])["client_operations"]
        kinds.append((op.body_kind, [a.python_name for a in op.arguments]))
    assert kinds == [("json_or_form", ["name", "f"]), ("json", ["name"])]


def test_a_bare_json_string_beside_raw_content_is_that_content(tmp_path: Path) -> None:
    content = {
        "video/mp4": {"schema": BINARY},
        "application/json": {"schema": {"type": "string"}},
    }
    responses = {"200": {"description": "the video", "content": content}}
    path = spec_file(
        tmp_path, {"/v": {"get": {"operationId": "video", "responses": responses}}}
    )
    api, _ = built(path)
    (answer_,) = api.operations[0].answers
    assert (answer_.kind, answer_.media_type) == ("binary", "video/mp4")
    assert not [m for m in api.models if m.name.startswith("Video")]
