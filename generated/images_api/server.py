"""FastAPI server of the Bifrost Images API.

The generated code owns routing, parsing, validation, authentication and error
answers; your code implements `Handlers` (outside this package) and never
touches HTTP:

    from images_api.server import create_app, create_router

    app = create_app(MyHandlers(), authenticate=check_credentials)
    # or, in an app of your own:
    app.include_router(create_router(MyHandlers(), authenticate=check_credentials))

Every error the server answers itself on its routes (an invalid request,
missing credentials, a handler failure, a body too large) uses the spec's error
schema, never FastAPI's own shapes; your own routes beside them keep FastAPI's
behaviour. `create_app` also answers unknown paths in the spec's shape.

Hostile or careless clients cost little: a body of the wrong type is 415, a
path with a trailing slash is 404 (never a redirect), a client that goes away
is one debug log line, and an event stream it abandons has its handler's
generator closed at once.

Secure by default: without `authenticate`, every request to an operation that
needs credentials is refused with 401. Pass an `authenticate` that returns the
caller (any object) for the credentials it accepts, None for the others; one
that accepts anything (`images_api.mock.accept_any`) opens the server up,
for trials only.

A handler returns the body of the operation's first 2xx answer of that type,
or a `Reply(status, body, headers)` for any answer the operation declares
(another status, an error body, headers); it raises `ApiError` to answer an
error: `ApiError(404, "No such image.")` fills the spec's error model,
`ApiError(404, body=SomeErrorModel(...))` sends that body.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import inspect
import json
import logging
import re
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Mapping,
    Sequence,
)
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from functools import cache
from http import HTTPStatus
from importlib import resources
from tempfile import SpooledTemporaryFile
from typing import Any, Generic, Literal, Protocol, TypeGuard, TypeVar
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Depends, FastAPI, Request, params
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette import routing
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Message, Receive, Scope, Send

from .models import (
    BifrostError,
    ImageEditCompletedEvent,
    ImageEditErrorEvent,
    ImageEditPartialImageEvent,
    ImageEditRequest,
    ImageGenerationCompletedEvent,
    ImageGenerationErrorEvent,
    ImageGenerationPartialImageEvent,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageVariationRequest,
)
from .uploads import UploadedFile
from .sse import encode_sse
from .streaming import ImageEditStreamEvent, ImageGenerationStreamEvent

logger = logging.getLogger(__name__)

_Model = TypeVar("_Model", bound=BaseModel)
_Body = TypeVar("_Body", covariant=True)
_Headers = TypeVar("_Headers", covariant=True)


@dataclass(frozen=True)
class Credentials:
    """What a request presented for one of the spec's security schemes."""

    scheme: str
    """The scheme's name in the spec, e.g. `BearerAuth`."""
    kind: Literal["bearer", "basic", "api_key"]
    secret: str
    """The bearer token, the API key, or the basic-auth password."""
    username: str | None = None
    """The basic-auth user name."""


Authenticate = Callable[[Credentials], Awaitable[Any]]
"""Checks credentials: returns the caller (any object) to accept them, None to refuse.

Without one, the server refuses every request to an operation that needs credentials.
"""


@dataclass(frozen=True)
class RequestContext:
    """What a handler may need beyond the typed request."""

    request: Request
    credentials: Credentials | None
    principal: Any
    """What `authenticate` returned for the credentials."""


class ApiError(Exception):
    """Raise from a handler to answer with an error status.

    `body`, one of the error models the spec's operations declare
    (`ApiError(404, body=BifrostError(...))`), is sent as it is; without
    one, the server fills the spec's error model with `message` (by default
    the status's reason phrase). `headers` go out with it.
    """

    def __init__(
        self,
        status_code: int,
        message: str = "",
        *,
        body: BifrostError | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        message = message or _reason(status_code)
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.body = body
        self.headers = headers


@dataclass(frozen=True)
class Reply(Generic[_Body, _Headers]):
    """A handler's answer with its status code and headers chosen.

    Any answer the operation declares: another 2xx status than the first of
    the body's type, an error status with its declared body, headers. Each
    handler's return type says which bodies fit and the operation's headers
    model (None when it declares no headers); a plain mapping sends headers
    the spec does not declare. A `Reply` whose status does not declare its
    kind of body is a bug of the handler: the server answers 500 and logs why.
    A bare body goes out with the first 2xx status of its type.
    """

    status: int
    body: _Body
    headers: _Headers | Mapping[str, str] | None = None


class Handlers(Protocol):
    """The operations of the Bifrost Images API: implement each method."""

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """Generate an image

        Generates images from text prompts using the specified model.
        """
        ...

    def image_generation_stream(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> AsyncIterator[ImageGenerationStreamEvent]:
        """Stream the events of `image_generation` (asked for with `stream`)."""
        ...

    async def image_edit(
        self, body: ImageEditRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """Edit an image

        Edits an image using a text prompt and optional mask.
        Request must be sent as multipart/form-data with at least `model`, `prompt` (unless `type` is `background_removal`), and `image` (or `image[]`).
        """
        ...

    def image_edit_stream(
        self, body: ImageEditRequest, context: RequestContext
    ) -> AsyncIterator[ImageEditStreamEvent]:
        """Stream the events of `image_edit` (asked for with `stream`)."""
        ...

    async def image_variation(
        self, body: ImageVariationRequest, context: RequestContext
    ) -> ImageGenerationResponse | Reply[ImageGenerationResponse | BifrostError, None]:
        """Create Variation

        Creates variations of an image.
        Request must be sent as multipart/form-data with `model` and `image` (or `image[]`).
        Does not support streaming.
        """
        ...


def create_app(
    handlers: Handlers,
    *,
    authenticate: Authenticate | None = None,
    max_body_size: int | None = None,
    **fastapi_options: Any,
) -> FastAPI:
    """An application serving `handlers`: `create_router`'s routes, the spec and its docs.

    `fastapi_options` go to `FastAPI(...)` as they are (`lifespan`,
    `middleware`, `title`, `root_path`, ...). FastAPI's own OpenAPI document and
    docs are off unless asked for: `/openapi.json` serves the spec this server
    was generated from, `/docs` a Swagger UI of it. Unknown paths are answered
    in the spec's error shape (404), a trailing slash too: no redirect, whose
    `Location` Starlette would build from the `Host` header (pass
    `redirect_slashes=True` to have them for your own routes). Routes you add
    to the app keep FastAPI's behaviour otherwise.
    """
    options: dict[str, Any] = {
        "title": "Bifrost Images API",
        "version": "1.0.0",
        "openapi_url": None,
        "docs_url": None,
        "redoc_url": None,
        "redirect_slashes": False,
        **fastapi_options,
    }
    app = FastAPI(**options)
    app.add_exception_handler(StarletteHTTPException, _unknown_path)
    app.add_api_route(
        "/openapi.json", _openapi_document, methods=["GET"], include_in_schema=False
    )
    app.add_api_route("/docs", _swagger_ui, methods=["GET"], include_in_schema=False)
    app.include_router(
        create_router(handlers, authenticate=authenticate, max_body_size=max_body_size)
    )
    return app


def create_router(
    handlers: Handlers,
    *,
    authenticate: Authenticate | None = None,
    max_body_size: int | None = None,
    prefix: str = "",
    dependencies: Sequence[params.Depends] | None = None,
) -> APIRouter:
    """The operations of the spec as a router, to include in a FastAPI app of your own.

        app.include_router(create_router(MyHandlers(), authenticate=check_credentials))

    `authenticate` receives the credentials a request presents for the
    operation's security schemes and returns the caller, or None to refuse them (401).
    Without it, every request to an operation that needs credentials is
    refused with 401; operations the spec leaves open stay open.

    `max_body_size` (bytes) answers 413 to larger request bodies, by their
    `Content-Length` before reading, and while reading a chunked one: request
    bodies are held in memory, so a server open to the public should set it.

    `prefix` and `dependencies` are `APIRouter`'s. The error shaping stays on
    these routes: the app's other routes keep their own behaviour. The app's
    slash redirects never lead to these routes: `/path/` is not `/path`.
    """
    router = APIRouter(
        prefix=prefix,
        dependencies=dependencies,
        route_class=_route_class(max_body_size),
        redirect_slashes=False,
    )

    @router.post("/v1/images/generations")
    async def image_generation(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
                'Bearer realm="Bifrost Images API", Basic realm="Bifrost Images API", charset="UTF-8"',
            )
        ),
    ) -> Response:
        """Generate an image"""
        body = _validated(ImageGenerationRequest, await _json_body(request))
        if body.stream:
            return await _event_stream(
                handlers.image_generation_stream(body, context),
                _image_generation_error_event,
                _IMAGE_GENERATION_EVENTS,
            )
        return _answer(
            await handlers.image_generation(body, context),
            (
                _Outcome(200, "json", ImageGenerationResponse),
                _Outcome(400, "json", BifrostError),
                _Outcome(500, "json", BifrostError),
            ),
        )

    @router.post("/v1/images/edits")
    async def image_edit(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
                'Bearer realm="Bifrost Images API", Basic realm="Bifrost Images API", charset="UTF-8"',
            )
        ),
    ) -> Response:
        """Edit an image"""
        body = _validated(
            ImageEditRequest, await _form_body(request, frozenset({"image[]"}))
        )
        if body.stream:
            return await _event_stream(
                handlers.image_edit_stream(body, context),
                _image_edit_error_event,
                _IMAGE_EDIT_EVENTS,
            )
        return _answer(
            await handlers.image_edit(body, context),
            (
                _Outcome(200, "json", ImageGenerationResponse),
                _Outcome(400, "json", BifrostError),
                _Outcome(500, "json", BifrostError),
            ),
        )

    @router.post("/v1/images/variations")
    async def image_variation(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
                'Bearer realm="Bifrost Images API", Basic realm="Bifrost Images API", charset="UTF-8"',
            )
        ),
    ) -> Response:
        """Create Variation"""
        body = _validated(
            ImageVariationRequest, await _form_body(request, frozenset({"image[]"}))
        )
        return _answer(
            await handlers.image_variation(body, context),
            (
                _Outcome(200, "json", ImageGenerationResponse),
                _Outcome(400, "json", BifrostError),
                _Outcome(500, "json", BifrostError),
            ),
        )

    return router


class _SpecRoute(APIRoute):
    """A route of the spec: every failure is answered in the spec's error shape."""

    body_limit: int | None = None
    """The largest request body read, in bytes (`max_body_size`)."""

    def matches(self, scope: Scope) -> tuple[routing.Match, Scope]:
        # Starlette's slash redirect probes the routes with a slash added to or taken
        # from `path` (`raw_path` left as sent): never match such a probe, so no 307.
        raw_path = scope.get("raw_path")
        slashed = str(scope["path"]).endswith("/")
        if isinstance(raw_path, bytes) and raw_path.endswith(b"/") != slashed:
            return routing.Match.NONE, {}
        return super().matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A known path asked with another method: 405 with `Allow`, in the spec's shape.
        if self.methods and scope["method"] not in self.methods:
            allow = ", ".join(sorted(self.methods))
            await _error_response(405, _reason(405), {"Allow": allow})(
                scope, receive, send
            )
            return
        try:
            await super().handle(scope, receive, send)
        except (ClientDisconnect, anyio.BrokenResourceError, anyio.ClosedResourceError):
            # Gone while the answer was sent: nobody to answer, nothing to trace.
            logger.debug("%s %s: the client went away", scope["method"], scope["path"])

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        limit = self.body_limit

        async def guarded(request: Request) -> Response:
            try:
                if limit is not None:
                    request = _limited(request, limit)
                return await handle(request)
            except ApiError as error:
                return _api_error_response(error)
            except RequestValidationError as error:
                return _error_response(400, _describe(error.errors()))
            except StarletteHTTPException as error:
                return _error_response(
                    error.status_code, str(error.detail), error.headers
                )
            except ClientDisconnect:
                # Gone while its body was read: an answer nobody reads, and no traceback to flood the log.
                logger.debug(
                    "%s %s: the client went away", request.method, request.url.path
                )
                return _error_response(
                    400, "The client went away before the request was read."
                )
            except Exception:
                logger.exception("%s %s failed", request.method, request.url.path)
                return _error_response(500, "The server failed to handle the request.")

        return guarded


def _route_class(max_body_size: int | None) -> type[_SpecRoute]:
    if max_body_size is None:
        return _SpecRoute

    class _LimitedRoute(_SpecRoute):
        body_limit = max_body_size

    return _LimitedRoute


def _limited(request: Request, limit: int) -> Request:
    """`request`, refused with 413 when its body is over `limit` bytes, never read whole.

    By `Content-Length` before reading; while reading, for a chunked body.
    """
    message = f"The request body is larger than {limit} bytes."
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise ApiError(413, message)
    receive = request.receive
    received = 0

    async def counted() -> Message:
        nonlocal received
        chunk = await receive()
        received += len(chunk.get("body", b""))
        if received > limit:
            # Raised inside the endpoint's body read, where _SpecRoute answers it.
            raise ApiError(413, message)
        return chunk

    return Request(request.scope, counted)


async def _unknown_path(request: Request, error: Exception) -> Response:
    """A path no route matches, answered in the spec's error shape; other routes' errors as FastAPI does."""
    if not isinstance(error, StarletteHTTPException):
        raise error
    if "route" in request.scope:
        return await http_exception_handler(request, error)
    return _error_response(error.status_code, str(error.detail), error.headers)


def _reason(status: int) -> str:
    """The status's reason phrase: `Not Found`."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Server Error" if status >= 500 else "Client Error"


def _error_kind(status: int) -> str:
    """The status's reason phrase in snake_case: `not_found` for 404."""
    return "_".join(re.findall(r"[a-z0-9]+", _reason(status).lower()))


def _error_body(status: int, message: str) -> BifrostError:
    return BifrostError.model_validate(
        {
            "type": _error_kind(status),
            "status_code": status,
            "error": {"message": message, "type": _error_kind(status)},
        }
    )


def _error_response(
    status: int, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = _error_body(status, message)
    return _model_response(body, status, headers)


def _api_error_response(error: ApiError) -> JSONResponse:
    if error.body is None:
        return _error_response(error.status_code, error.message, error.headers)
    return _model_response(error.body, error.status_code, error.headers)


def _model_response(
    body: BaseModel | dict[str, Any],
    status: int,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    content = (
        body.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if isinstance(body, BaseModel)
        else body
    )
    return JSONResponse(content, status_code=status, headers=headers)


@dataclass(frozen=True)
class _Outcome:
    """One answer an operation declares: its status (or range) and kind of body."""

    status: int
    """The status sent for a bare body (the first 2xx answer of its type)."""
    kind: Literal["json", "binary", "text", "empty"]
    model: type[BaseModel] | None = None
    media_type: str | None = None
    covers: str = ""
    """The statuses the answer stands for besides `status`: a range (`4XX`) or `default`."""

    def serves(self, status: int) -> bool:
        if self.covers == "default":
            return True
        if self.covers:
            return str(status)[0] == self.covers[0]
        return status == self.status

    def holds(self, body: Any) -> bool:
        if self.kind == "json":
            return self.model is not None and isinstance(body, self.model)
        if self.kind == "binary":
            return isinstance(body, bytes) or hasattr(body, "__aiter__")
        if self.kind == "text":
            return isinstance(body, str)
        return body is None

    def response(self, body: Any, status: int, headers: Mapping[str, str]) -> Response:
        if self.kind == "json":
            return Response(
                body.model_dump_json(by_alias=True, exclude_unset=True),
                status_code=status,
                media_type="application/json",
                headers=headers,
            )
        if self.kind == "text":
            return Response(
                body, status_code=status, media_type=self.media_type, headers=headers
            )
        return Response(status_code=status, headers=headers)


def _answer(result: Any, outcomes: tuple[_Outcome, ...]) -> Response:
    """The handler's result as the answer the operation declares for it.

    A `Reply` goes out with its status, as the first declared answer of that
    status its body fits; a bare body as the first 2xx answer of its type.
    """
    if _is_reply(result):
        for outcome in outcomes:
            if outcome.serves(result.status) and outcome.holds(result.body):
                return outcome.response(
                    result.body, result.status, _header_values(result.headers)
                )
        answered = f"{type(result.body).__name__} with status {result.status}"
    else:
        for outcome in outcomes:
            if 200 <= outcome.status < 300 and outcome.holds(result):
                return outcome.response(result, outcome.status, {})
        answered = type(result).__name__
    raise TypeError(
        f"the handler answered {answered}, which the operation does not declare"
    )


def _is_reply(result: object) -> TypeGuard[Reply[Any, Any]]:
    """Whether `result` is a `Reply` (as one of any body, for type checkers)."""
    return isinstance(result, Reply)


def _header_values(headers: Any) -> dict[str, str]:
    """Header values as the wire writes them (booleans as `true`/`false`); None ones left out."""
    if headers is None:
        return {}
    values = (
        headers.model_dump(mode="json", by_alias=True, exclude_none=True)
        if isinstance(headers, BaseModel)
        else dict(headers)
    )
    return {
        name: json.dumps(value) if isinstance(value, bool) else str(value)
        for name, value in values.items()
    }


def _describe(errors: Any) -> str:
    """Pydantic/FastAPI error details as one readable sentence."""
    parts: list[str] = []
    for error in errors:
        location = ".".join(
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "header")
        )
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "invalid request"


def _validated(model: type[_Model], data: Any) -> _Model:
    try:
        if isinstance(data, bytes):
            return model.model_validate_json(data)
        return model.model_validate(data)
    except ValidationError as error:
        raise ApiError(400, _describe(error.errors(include_url=False))) from None


async def _json_body(request: Request) -> bytes:
    """The body of a JSON request: 415 unless its Content-Type is JSON (`application/json`, `*/*+json`)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(
            415,
            f"The request body must be JSON (application/json), not {media or 'untyped'}.",
        )
    body = await request.body()
    if not body.strip():
        raise ApiError(400, "The request needs a JSON body.")
    return body


async def _form_body(request: Request, array_fields: frozenset[str]) -> dict[str, Any]:
    """The fields of a multipart (or urlencoded) form; files as `UploadedFile`s, repeated fields as lists."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        raise ApiError(
            415,
            "The request needs a multipart/form-data (or application/x-www-form-urlencoded) body.",
        )
    if content_type.startswith("multipart/"):
        items = await _multipart_items(request)
    else:
        items = await _urlencoded_items(request)
    grouped: dict[str, list[str | UploadedFile]] = {}
    for key, value in items:
        grouped.setdefault(key, []).append(value)
    data: dict[str, Any] = {}
    for key, values in grouped.items():
        if key in array_fields:
            data[key] = values
        elif len(values) > 1:
            raise ApiError(400, f"The form field {key!r} may appear only once.")
        else:
            data[key] = values[0]
    return data


_SPOOL_SIZE = 1024 * 1024
"""File parts up to this size stay in memory; larger ones are spooled to disk."""
_MAX_PARTS = 1000
"""The most parts (or urlencoded fields) a form may have."""
_MAX_FIELD_SIZE = 1024 * 1024
"""The largest text field of a multipart form; larger content is sent as a file."""
_MAX_PART_HEADERS = 16 * 1024
"""The most bytes of headers one part may have (its name and file name included)."""


async def _multipart_items(
    request: Request,
) -> Sequence[tuple[str, str | UploadedFile]]:
    """The parts of a multipart body, in order: text fields decoded, file parts as `UploadedFile`s.

    The files are closed (their temporary files removed) when the request
    ends, after its answer is sent, or at once when the body is refused.
    """
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise ApiError(400, "The multipart body has no boundary in its Content-Type.")
    reader = _MultipartReader(_charset(options))
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": reader.on_part_begin,
            "on_header_field": reader.on_header_field,
            "on_header_value": reader.on_header_value,
            "on_header_end": reader.on_header_end,
            "on_headers_finished": reader.on_headers_finished,
            "on_part_data": reader.on_part_data,
            "on_part_end": reader.on_part_end,
            "on_end": reader.on_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
        if not reader.complete:
            raise ApiError(
                400,
                "The multipart body is truncated: it ends before its closing boundary.",
            )
    except FormParserError as error:
        reader.close()
        raise ApiError(400, f"The multipart body is malformed: {error}") from None
    except BaseException:
        # A refused part, a body over the limit, a client gone: no file outlives the request.
        reader.close()
        raise
    _close_after_response(request, reader.close)
    return reader.items


def _charset(options: dict[bytes, bytes]) -> str:
    """The charset of a form's text (its Content-Type's `charset`, UTF-8 by default)."""
    name = options.get(b"charset", b"utf-8").decode("latin-1")
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ApiError(400, f"The form's charset {name!r} is unknown.") from None


class _MultipartReader:
    """The callbacks python-multipart calls while it parses a body, gathering its parts."""

    def __init__(self, charset: str) -> None:
        self.items: list[tuple[str, str | UploadedFile]] = []
        self.complete = False
        """Whether the closing boundary was read."""
        self._charset = charset
        self._files: list[SpooledTemporaryFile[bytes]] = []
        self._parts = 0
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers_size = 0
        self._disposition = b""
        self._part_type: str | None = None
        self._name = ""
        self._filename: str | None = None
        self._text = bytearray()
        self._file: SpooledTemporaryFile[bytes] | None = None

    def on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > _MAX_PARTS:
            raise ApiError(400, f"The form has more than {_MAX_PARTS} parts.")
        self._headers_size = 0
        self._disposition = b""
        self._part_type = None
        self._filename = None
        self._text.clear()
        self._file = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._count_header(end - start)
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        name = bytes(self._header_name).lower()
        if name == b"content-disposition":
            self._disposition = bytes(self._header_value)
        elif name == b"content-type":
            self._part_type = self._header_value.decode("latin-1").strip() or None
        self._header_name.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name")
        if name is None:
            raise ApiError(
                400, "A part of the form has no name in its Content-Disposition."
            )
        self._name = self._decoded(name, "A form field's name")
        filename = options.get(b"filename")
        if filename is not None:
            self._filename = self._decoded(
                filename, f"The file name of the form field {self._name!r}"
            )
            self._file = SpooledTemporaryFile(max_size=_SPOOL_SIZE)
            self._files.append(self._file)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            # A chunk at a time: into memory, or the page cache once spooled to disk.
            self._file.write(data[start:end])
            return
        if len(self._text) + end - start > _MAX_FIELD_SIZE:
            raise ApiError(
                400,
                f"The form field {self._name!r} is over {_MAX_FIELD_SIZE} bytes; send it as a file.",
            )
        self._text += data[start:end]

    def on_part_end(self) -> None:
        if self._file is None:
            self.items.append(
                (
                    self._name,
                    self._decoded(bytes(self._text), f"The form field {self._name!r}"),
                )
            )
            return
        size = self._file.tell()
        self._file.seek(0)
        upload = UploadedFile(
            self._file, filename=self._filename, content_type=self._part_type, size=size
        )
        self.items.append((self._name, upload))

    def on_end(self) -> None:
        self.complete = True

    def close(self) -> None:
        """Close every file of the body (a spooled one is removed from disk)."""
        for file in self._files:
            file.close()

    def _count_header(self, size: int) -> None:
        # Recent python-multipart also caps each header line; this bounds them all, on any version.
        self._headers_size += size
        if self._headers_size > _MAX_PART_HEADERS:
            raise ApiError(
                400,
                f"A part of the form has over {_MAX_PART_HEADERS} bytes of headers.",
            )

    def _decoded(self, raw: bytes, what: str) -> str:
        try:
            return raw.decode(self._charset)
        except UnicodeDecodeError:
            raise ApiError(400, f"{what} is not valid {self._charset} text.") from None


async def _urlencoded_items(
    request: Request,
) -> Sequence[tuple[str, str | UploadedFile]]:
    """The fields of an urlencoded body, in order, decoded strictly (UTF-8)."""
    try:
        return parse_qsl(
            (await request.body()).decode("ascii"),
            keep_blank_values=True,
            errors="strict",
            max_num_fields=_MAX_PARTS,
        )
    except UnicodeDecodeError:
        raise ApiError(
            400, "The form body is not valid urlencoded UTF-8 text."
        ) from None
    except ValueError:
        raise ApiError(400, f"The form has more than {_MAX_PARTS} fields.") from None


def _close_after_response(request: Request, close: Callable[[], None]) -> None:
    """Call `close` when the request ends: once its answer (a stream too) is sent or has failed."""
    # FastAPI unwinds this stack of the request after sending the answer; a
    # plain callback still runs when the stream is cancelled.
    stack = request.scope.get("fastapi_inner_astack")
    if isinstance(stack, AsyncExitStack):
        stack.callback(close)


def _authorizer(
    alternatives: tuple[tuple[str, ...], ...],
    authenticate: Authenticate | None,
    challenge: str = "",
) -> Callable[[Request], Awaitable[RequestContext]]:
    """An operation's security check, as a dependency of its route.

    FastAPI runs dependencies before it validates parameters, so a request
    without valid credentials learns nothing about its parameters: 401 first.
    `challenge` is the 401's `WWW-Authenticate`: one per HTTP scheme the
    operation accepts (API keys have no standard challenge: none is sent for them).
    """
    refusal = {"WWW-Authenticate": challenge} if challenge else None

    async def authorize(request: Request) -> RequestContext:
        """The first alternative whose every scheme is presented and accepted, else 401.

        An empty alternative (`{}`) lets a request without credentials in; credentials
        that are presented are still checked. Without `authenticate` nothing is
        accepted, so only such an alternative lets a request in.
        """
        if authenticate is None:
            if () in alternatives:
                return RequestContext(request, None, None)
            raise ApiError(
                401,
                "The request needs credentials the server accepts.",
                headers=refusal,
            )
        presented = False
        for schemes in alternatives:
            found = [_credentials(request, scheme) for scheme in schemes]
            if not schemes or any(credentials is None for credentials in found):
                continue
            presented = True
            principals = [await authenticate(c) for c in found if c is not None]
            if all(principal is not None for principal in principals):
                return RequestContext(request, found[0], principals[0])
        if not presented and () in alternatives:
            return RequestContext(request, None, None)
        message = (
            "The credentials are not valid."
            if presented
            else "The request needs credentials."
        )
        raise ApiError(401, message, headers=refusal)

    return authorize


def _credentials(request: Request, scheme: str) -> Credentials | None:
    """The credentials `request` presents for `scheme`, if any (well-formed)."""
    if scheme == "BearerAuth":
        return _bearer(request, scheme)
    if scheme == "BasicAuth":
        return _basic(request, scheme)
    if scheme == "VirtualKeyAuth":
        value = request.headers.get("x-bf-vk")
        return Credentials(scheme, "api_key", value) if value else None
    if scheme == "ApiKeyAuth":
        value = request.headers.get("x-api-key")
        return Credentials(scheme, "api_key", value) if value else None
    return None


def _bearer(request: Request, scheme: str) -> Credentials | None:
    kind, _, token = request.headers.get("authorization", "").partition(" ")
    return (
        Credentials(scheme, "bearer", token.strip())
        if kind.lower() == "bearer" and token.strip()
        else None
    )


def _basic(request: Request, scheme: str) -> Credentials | None:
    kind, _, encoded = request.headers.get("authorization", "").partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        username, colon, password = (
            base64.b64decode(encoded.strip(), validate=True)
            .decode("utf-8")
            .partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        return None
    return Credentials(scheme, "basic", password, username) if colon else None


@dataclass(frozen=True)
class _Framing:
    """How one stream's events go on the wire."""

    media_type: str = "text/event-stream"
    discriminator: str | None = None
    """The data's property naming the event type, also sent as the SSE event name."""
    names: Mapping[type[BaseModel], str] = field(
        default_factory=dict[type[BaseModel], str]
    )
    """The event name of each event model, for events whose data does not carry it."""


_IMAGE_GENERATION_EVENTS = _Framing(
    discriminator="type",
    names={
        ImageGenerationPartialImageEvent: "image_generation.partial_image",
        ImageGenerationCompletedEvent: "image_generation.completed",
        ImageGenerationErrorEvent: "error",
    },
)


_IMAGE_EDIT_EVENTS = _Framing(
    discriminator="type",
    names={
        ImageEditPartialImageEvent: "image_edit.partial_image",
        ImageEditCompletedEvent: "image_edit.completed",
        ImageEditErrorEvent: "error",
    },
)


async def _event_stream(
    events: AsyncIterator[BaseModel],
    error_event: Callable[[int, str], BaseModel],
    framing: _Framing,
) -> Response:
    """Send `events` as the stream's framing says, each as soon as it is produced.

    The first event is awaited before the answer starts, so a handler that
    fails at once still gets a plain error answer; a failure after that ends
    the stream with an error event.
    """
    try:
        first = await anext(events)
    except StopAsyncIteration:
        first = None

    async def send() -> AsyncGenerator[bytes, None]:
        try:
            if first is not None:
                yield _encode(first, framing)
            async for event in events:
                yield _encode(event, framing)
        except ApiError as error:
            yield _encode(
                error_event(error.status_code, error.message), framing, "error"
            )
        except Exception:
            logger.exception("event stream failed")
            yield _encode(
                error_event(500, "The server failed while streaming."), framing, "error"
            )
        finally:
            if inspect.isasyncgen(events):
                await events.aclose()

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return _EventStreamResponse(send(), media_type=framing.media_type, headers=headers)


class _EventStreamResponse(StreamingResponse):
    """A stream of events that closes its generator however it ends: done, failed, or abandoned."""

    def __init__(
        self,
        chunks: AsyncGenerator[bytes, None],
        *,
        media_type: str,
        headers: Mapping[str, str],
    ) -> None:
        super().__init__(chunks, media_type=media_type, headers=headers)
        self._chunks = chunks

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        except anyio.get_cancelled_exc_class() as cancelled:
            # The client went away. The cancellation's traceback would hold the
            # handler's frames, and all they hold, in a cycle until a full GC.
            cancelled.__traceback__ = None
            raise
        finally:
            # Starlette leaves a generator it stops reading suspended; closing it now
            # runs the handler's `finally` (shielded: this task is being cancelled).
            with anyio.CancelScope(shield=True):
                await self._chunks.aclose()


def _encode(event: BaseModel, framing: _Framing, name: str | None = None) -> bytes:
    """One event as the stream's framing writes it; `name` is its type when the event does not say."""
    data, name = _model_data(event, framing, name)
    text = (
        data
        if isinstance(data, str)
        else json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    )
    return encode_sse(text, event=name)


def _model_data(
    event: BaseModel, framing: _Framing, name: str | None
) -> tuple[Any, str | None]:
    """The event's JSON data and its type: the data's tag, else its model's name."""
    data = event.model_dump(mode="json", by_alias=True, exclude_unset=True)
    name = name or framing.names.get(type(event))
    if framing.discriminator:  # only object events have one
        tag = data.get(framing.discriminator)
        if isinstance(tag, str):
            name = tag
        elif name is not None:
            data[framing.discriminator] = name  # a tag with a default, left unset
    return data, name


def _image_generation_error_event(
    status: int, message: str
) -> ImageGenerationErrorEvent:
    return ImageGenerationErrorEvent(type="error", error=_error_body(status, message))


def _image_edit_error_event(status: int, message: str) -> ImageEditErrorEvent:
    return ImageEditErrorEvent(type="error", error=_error_body(status, message))


def _openapi_document() -> JSONResponse:
    """The spec this server was generated from, not one FastAPI derives."""
    return JSONResponse(_spec())


def _swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="Bifrost Images API - docs"
    )


@cache
def _spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        resources.files(__package__ or __name__)
        .joinpath("openapi.json")
        .read_text("utf-8")
    )
    return document
