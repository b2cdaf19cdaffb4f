"""FastAPI server of the Bifrost Images API.

The generated code owns routing, parsing, validation, authentication and error
answers; your code implements `Handlers` (outside this package) and never
touches HTTP:

    from images_api.server import create_app

    app = create_app(MyHandlers(), authenticate=check_credentials)

Every error the server answers itself (an invalid body, missing credentials, a
handler failure) uses the spec's error schema, never FastAPI's own shapes.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol, TypeVar

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.datastructures import Headers, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .models import (
    BifrostError,
    ImageEditErrorEvent,
    ImageEditRequest,
    ImageGenerationErrorEvent,
    ImageGenerationRequest,
    ImageGenerationResponse,
    ImageVariationRequest,
)
from .sse import encode_sse
from .streaming import ImageGenerationStreamEvent, ImageEditStreamEvent

logger = logging.getLogger(__name__)

_Model = TypeVar("_Model", bound=BaseModel)

_ERROR_KINDS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


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
"""Checks credentials: returns the caller (any object) to accept them, None to refuse."""


@dataclass(frozen=True)
class RequestContext:
    """What a handler may need beyond the typed request."""

    request: Request
    credentials: Credentials | None
    principal: Any
    """What `authenticate` returned for the credentials."""


class ApiError(Exception):
    """Raise from a handler to answer with a status code and the spec's error body.

    `body` is sent as it is; without one, the server builds the spec's error
    model from `message`.
    """

    def __init__(
        self, status_code: int, message: str, *, body: BaseModel | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.body = body


class Handlers(Protocol):
    """The operations of the Bifrost Images API: implement each method."""

    async def image_generation(
        self, body: ImageGenerationRequest, context: RequestContext
    ) -> ImageGenerationResponse:
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
    ) -> ImageGenerationResponse:
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
    ) -> ImageGenerationResponse:
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
) -> FastAPI:
    """The application serving `handlers`.

    `authenticate` receives the credentials a request presents for the
    operation's security schemes. Without it, any well-formed credentials are
    accepted (development only); requests presenting none get 401 either way.

    `max_body_size` (bytes) answers 413 to larger request bodies, by their
    `Content-Length` before reading, and while reading a chunked one: request
    bodies are held in memory, so a server open to the public should set it.
    """
    app = FastAPI(
        title="Bifrost Images API",
        version="1.0.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.router.route_class = _SpecRoute
    if max_body_size is not None:
        app.add_middleware(_BodyLimit, limit=max_body_size)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_api_route(
        "/openapi.json", _openapi_document, methods=["GET"], include_in_schema=False
    )
    app.add_api_route("/docs", _swagger_ui, methods=["GET"], include_in_schema=False)

    @app.post("/v1/images/generations")
    async def image_generation(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
            )
        ),
    ) -> Response:
        """Generate an image"""
        body = _validated(ImageGenerationRequest, await _json_body(request))
        if body.stream:
            return await _event_stream(
                handlers.image_generation_stream(body, context),
                _image_generation_error_event,
            )
        return _json_response(await handlers.image_generation(body, context), 200)

    @app.post("/v1/images/edits")
    async def image_edit(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
            )
        ),
    ) -> Response:
        """Edit an image"""
        body = _validated(
            ImageEditRequest, await _form_body(request, frozenset({"image[]"}))
        )
        if body.stream:
            return await _event_stream(
                handlers.image_edit_stream(body, context), _image_edit_error_event
            )
        return _json_response(await handlers.image_edit(body, context), 200)

    @app.post("/v1/images/variations")
    async def image_variation(
        request: Request,
        context: RequestContext = Depends(
            _authorizer(
                (("BearerAuth",), ("BasicAuth",), ("VirtualKeyAuth",), ("ApiKeyAuth",)),
                authenticate,
            )
        ),
    ) -> Response:
        """Create Variation"""
        body = _validated(
            ImageVariationRequest, await _form_body(request, frozenset({"image[]"}))
        )
        return _json_response(await handlers.image_variation(body, context), 200)

    return app


class _SpecRoute(APIRoute):
    """Answers every failure of an endpoint in the spec's error shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handle(request)
            except ApiError as error:
                return _api_error_response(error)
            except RequestValidationError as error:
                return _error_response(400, _describe(error.errors()))
            except StarletteHTTPException as error:
                return _error_response(
                    error.status_code, str(error.detail), error.headers
                )
            except Exception:
                logger.exception("%s %s failed", request.method, request.url.path)
                return _error_response(500, "The server failed to handle the request.")

        return guarded


class _BodyLimit:
    """ASGI middleware: a request body over `limit` bytes is a 413, never read whole."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.message = f"The request body is larger than {limit} bytes."

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            await _error_response(413, self.message)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # Raised inside the endpoint's body read, where _SpecRoute answers it.
                raise ApiError(413, self.message)
            return message

        await self.app(scope, counted, send)


async def _http_exception(request: Request, error: Exception) -> Response:
    """Unknown paths and methods, answered in the spec's error shape too (405 keeps `Allow`)."""
    if isinstance(error, StarletteHTTPException):
        return _error_response(error.status_code, str(error.detail), error.headers)
    return _error_response(500, "The server failed to handle the request.")


def _error_kind(status: int) -> str:
    return _ERROR_KINDS.get(status, "api_error" if status < 500 else "server_error")


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
        return _error_response(error.status_code, error.message)
    return _model_response(error.body, error.status_code)


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


def _json_response(body: BaseModel, status: int) -> Response:
    return Response(
        body.model_dump_json(by_alias=True, exclude_unset=True),
        status_code=status,
        media_type="application/json",
    )


def _describe(errors: Any) -> str:
    """Pydantic/FastAPI error details as one readable sentence."""
    parts = []
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
    body = await request.body()
    if not body.strip():
        raise ApiError(400, "The request needs a JSON body.")
    return body


async def _form_body(request: Request, array_fields: frozenset[str]) -> dict[str, Any]:
    """The fields of a multipart (or urlencoded) form; files as bytes, repeated fields as lists."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith(
        ("multipart/form-data", "application/x-www-form-urlencoded")
    ):
        raise ApiError(400, "The request needs a multipart/form-data body.")
    try:
        async with request.form() as form:
            data: dict[str, Any] = {}
            for key in dict.fromkeys(form.keys()):
                values = [
                    await value.read() if isinstance(value, UploadFile) else value
                    for value in form.getlist(key)
                ]
                if key in array_fields:
                    data[key] = values
                elif len(values) > 1:
                    raise ApiError(400, f"The form field {key!r} may appear only once.")
                else:
                    data[key] = values[0]
            return data
    # What python-multipart raises on a malformed body (Starlette's own become HTTP 400s).
    except (ValueError, KeyError, AssertionError) as error:
        raise ApiError(400, f"The form body is malformed: {error}") from None


def _authorizer(
    alternatives: tuple[tuple[str, ...], ...], authenticate: Authenticate | None
) -> Callable[[Request], Awaitable[RequestContext]]:
    """An operation's security check, as a dependency of its route.

    FastAPI runs dependencies before it validates parameters, so a request
    without valid credentials learns nothing about its parameters: 401 first.
    """

    async def authorize(request: Request) -> RequestContext:
        """The first alternative whose every scheme is presented and accepted, else 401.

        An empty alternative (`{}`) lets a request without credentials in; credentials
        that are presented are still checked.
        """
        presented = False
        for schemes in alternatives:
            found = [_credentials(request, scheme) for scheme in schemes]
            if not schemes or any(credentials is None for credentials in found):
                continue
            presented = True
            principals = [
                await authenticate(c) if authenticate else c
                for c in found
                if c is not None
            ]
            if all(principal is not None for principal in principals):
                return RequestContext(request, found[0], principals[0])
        if not presented and () in alternatives:
            return RequestContext(request, None, None)
        message = (
            "The credentials are not valid."
            if presented
            else "The request needs credentials."
        )
        raise ApiError(401, message)

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


async def _event_stream(
    events: AsyncIterator[_Model], error_event: Callable[[int, str], BaseModel]
) -> Response:
    """Send `events` as Server-Sent Events, each as soon as it is produced.

    The first event is awaited before the answer starts, so a handler that
    fails at once still gets a plain error answer; a failure after that ends
    the stream with an error event.
    """
    try:
        first = await anext(events)
    except StopAsyncIteration:
        first = None

    async def send() -> AsyncIterator[bytes]:
        try:
            if first is not None:
                yield _sse(first)
            async for event in events:
                yield _sse(event)
        except ApiError as error:
            yield _sse(error_event(error.status_code, error.message))
        except Exception:
            logger.exception("event stream failed")
            yield _sse(error_event(500, "The server failed while streaming."))

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(send(), media_type="text/event-stream", headers=headers)


def _sse(event: BaseModel) -> bytes:
    data = event.model_dump_json(by_alias=True, exclude_unset=True)
    return encode_sse(data, event=str(getattr(event, "type", "message")))


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
        resources.files(__package__).joinpath("openapi.json").read_text("utf-8")
    )
    return document
