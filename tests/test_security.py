"""Security requirements end to end: API keys in each place, anonymous, optional and AND.

tests/fixtures/security has apiKey schemes in a header, the query and a cookie,
a global requirement one operation lifts (`security: []`), an optional one
(`- {}`) and one needing two schemes together. The generated client sends what
each operation needs; the generated server checks every scheme of a requirement.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .conftest import FIXTURES
from .server_harness import GeneratedPackage, generated_package, serve

SPEC = FIXTURES / "security" / "openapi.yaml"


class Handlers:
    def __init__(self, models: Any) -> None:
        self.models = models
        self.cookies: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        async def handle(context: Any, **params: Any) -> Any:
            self.cookies = dict(context.request.cookies)
            return self.models.Who(principal=context.principal)

        return handle


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedPackage]:
    with generated_package(SPEC, tmp_path_factory.mktemp("security")) as generated:
        yield generated


@pytest.fixture(scope="module")
def running(package: GeneratedPackage) -> Iterator[tuple[str, list[Any], Handlers]]:
    seen: list[Any] = []

    async def authenticate(credentials: Any) -> str | None:
        seen.append(credentials)
        if not credentials.secret.startswith("good"):
            return None
        return f"{credentials.scheme}:{credentials.secret}"

    handlers = Handlers(package.module("models"))
    app = package.module("server").create_app(handlers, authenticate=authenticate)
    with serve(app) as base_url:
        yield base_url, seen, handlers


def client(package: GeneratedPackage, base_url: str, **credentials: str) -> Any:
    return package.module("client").Client(base_url, max_retries=0, **credentials)


def status(call: Any) -> int:
    try:
        call()
    except Exception as error:  # the generated ApiStatusError
        return int(error.status_code)
    return 200


def test_api_key_in_header_query_and_cookie(
    running: tuple[str, list[Any], Handlers], package: GeneratedPackage
) -> None:
    base_url, _, handlers = running
    with client(
        package, base_url, header_key="good-h", query_key="good-q", cookie_key="good-c"
    ) as api:
        assert api.header_key().principal == "HeaderKey:good-h"
        assert api.query_key(page=2).principal == "QueryKey:good-q"
        # The credential cookie and a cookie parameter travel in one Cookie header.
        assert api.cookie_key(theme="dark").principal == "CookieKey:good-c"
        assert handlers.cookies == {"theme": "dark", "session": "good-c"}
    with client(package, base_url) as anonymous:
        assert status(anonymous.header_key) == 401
        assert status(anonymous.query_key) == 401
        assert status(anonymous.cookie_key) == 401
    raw = httpx.get(base_url + "/query-key", params={"api_key": "good-raw"})
    assert raw.json() == {"principal": "QueryKey:good-raw"}
    raw = httpx.get(base_url + "/cookie-key", headers={"Cookie": "session=bad"})
    assert raw.status_code == 401
    assert raw.json()["error"]["type"] == "unauthorized"


def test_anonymous_operation_overrides_the_global_requirement(
    running: tuple[str, list[Any], Handlers], package: GeneratedPackage
) -> None:
    base_url, _, _ = running
    with client(package, base_url) as api:
        assert api.anonymous().principal is None


def test_optional_credentials_are_checked_when_sent(
    running: tuple[str, list[Any], Handlers], package: GeneratedPackage
) -> None:
    base_url, _, _ = running
    with client(package, base_url) as anonymous:
        assert anonymous.optional().principal is None
    with client(package, base_url, header_key="good-h") as api:
        # The client sends the key it has rather than taking the empty alternative.
        assert api.optional().principal == "HeaderKey:good-h"
    with client(package, base_url, header_key="bad") as api:
        assert status(api.optional) == 401


def test_and_requirement_needs_and_checks_every_scheme(
    running: tuple[str, list[Any], Handlers], package: GeneratedPackage
) -> None:
    base_url, seen, _ = running
    with client(package, base_url, header_key="good-h", bearer="good-b") as api:
        seen.clear()
        assert api.both().principal == "HeaderKey:good-h"
        assert sorted(c.scheme for c in seen) == ["Bearer", "HeaderKey"]
    with client(package, base_url, header_key="good-h") as api:
        assert status(api.both) == 401
    with client(package, base_url, bearer="good-b") as api:
        assert status(api.both) == 401
    with client(package, base_url, header_key="good-h", bearer="bad") as api:
        assert status(api.both) == 401
