"""Round trip over the small specs: every operation, generated client -> generated mock server.

For each spec `codegen.roundtrip.round_trip` generates the package, serves
`create_app(MockHandlers())` on 127.0.0.1 and calls every operation with the
generated client, arguments synthesised from the schemas; each answer must be
the mock's answer as the declared type: a model also valid against the spec's
schema, a `BinaryResponse` of the mock's bytes, text, nothing, a `Reply` with
its status and headers, or a stream of the mock's events, each of its type,
in order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen.roundtrip import SpecResult, round_trip

from .conftest import FIXTURES, SPEC

SHARED_SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"
OPC = SHARED_SPECS / "opc-end-to-end"

SPECS = {
    "images": SPEC,
    "library": FIXTURES / "library" / "openapi.yaml",
    "petstore30": FIXTURES / "petstore30" / "openapi.yaml",
    "urn_clash": FIXTURES / "urn_clash" / "openapi.yaml",
    "whole_file": FIXTURES / "whole_file" / "openapi.yaml",
    "mock_answers": FIXTURES / "mock_answers" / "openapi.yaml",
    "params": FIXTURES / "params" / "openapi.yaml",
    "security": FIXTURES / "security" / "openapi.yaml",
    "streams": FIXTURES / "streams" / "openapi.yaml",
    "bodies": FIXTURES / "bodies" / "openapi.yaml",
    "responses": FIXTURES / "responses" / "openapi.yaml",
    "round_trip_fixes": FIXTURES / "round_trip_fixes" / "openapi.yaml",
    "redocly-starter": SHARED_SPECS / "redocly-starter" / "openapi.yaml",
    "opc-3.1_specific": OPC / "3.1_specific.openapi.yaml",
    "opc-baseline_3.0": OPC / "baseline_openapi_3.0.json",
    "opc-baseline_3.1": OPC / "baseline_openapi_3.1.yaml",
    "opc-enums_3.1": OPC / "openapi_3.1_enums.yaml",
}

_results: dict[str, SpecResult] = {}


def result_of(name: str) -> SpecResult:
    """The spec's round trip, run once per session."""
    path = SPECS[name]
    if not path.is_file():
        pytest.skip(f"{path} is not there")
    if name not in _results:
        _results[name] = round_trip(path)
    return _results[name]


@pytest.mark.parametrize("name", list(SPECS))
def test_every_operation_round_trips(name: str) -> None:
    result = result_of(name)
    assert not result.error
    assert result.total > 0
    failed = [f"{f.operation}: {f.reason}" for f in result.failures()]
    assert not failed, "\n".join(failed)
