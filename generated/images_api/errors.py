"""Errors of the Bifrost Images API client, all under one root, `ApiError`.

    ApiError
        ApiConnectionError            the server could not be reached, or the connection broke
            ApiTimeoutError           the server did not answer in time
                StreamIdleTimeoutError    an event stream sent no event in time
            ApiProtocolError          the answer broke the rules of HTTP (cut short, malformed)
            ContentDecodingError      the answer's content encoding (gzip, ...) is corrupt
            TooManyRedirectsError     redirects went on past the HTTP client's limit
            StreamReadError           an event stream that cannot be read on
                IncompleteStreamError     it ended in the middle of an event
                EventTooLargeError        an event or line grew past `max_event_size`
                StreamTextError           its bytes are not UTF-8
        ApiStatusError                an answer other than 2xx, with the spec's error model
            BadRequestError           400
            AuthenticationError       401
            PermissionDeniedError     403
            NotFoundError             404
            ConflictError             409
            UnprocessableEntityError  422
            RateLimitError            429
            InternalServerError       5xx
        ResponseValidationError       a 2xx answer that does not fit its model
        ArgumentError                 arguments that do not fit the spec (also a ValueError)
        StreamError                   the server reported an error inside an event stream
        EventDecodeError              a streamed event that does not fit its model

Every error a call meets is one of these; one raised for a failure of httpx
or of decoding has it as its `__cause__`.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

from typing import Any, Generic

import httpx
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from typing_extensions import TypeVar

from .models import BifrostError
from .sse import ServerSentEvent

ErrorBody = BifrostError
"""The spec's error models: what `ApiStatusError.body` holds."""

_Body = TypeVar("_Body", default=ErrorBody)
_ErrorEvent = TypeVar("_ErrorEvent", default=object)
_EXCERPT = 500
"""How much of an answer an error message quotes."""


class ApiError(Exception):
    """Anything that kept a request from getting its answer."""


class ApiConnectionError(ApiError):
    """The server could not be reached, or the connection broke."""


class ApiTimeoutError(ApiConnectionError):
    """The server did not answer in time."""


class StreamIdleTimeoutError(ApiTimeoutError):
    """An event stream sent no event within the client's `stream_idle_timeout`.

    Comments and keep-alives do not count: a server that only keeps the
    connection open times out as a silent one would.
    """


class ApiProtocolError(ApiConnectionError):
    """The answer broke the rules of HTTP: cut short of its length, or malformed."""


class ContentDecodingError(ApiConnectionError):
    """The answer's content encoding (gzip, deflate, ...) could not be decoded."""


class TooManyRedirectsError(ApiConnectionError):
    """Redirects went on past the limit of the HTTP client (one that follows them)."""


class StreamReadError(ApiConnectionError):
    """An event stream that cannot be read on; the connection is closed."""


class IncompleteStreamError(StreamReadError):
    """The event stream ended in the middle of an event."""


class EventTooLargeError(StreamReadError):
    """An event's data, or one line, of the stream grew past the client's `max_event_size`."""


class StreamTextError(StreamReadError):
    """The event stream is not valid UTF-8 (`stream_text_errors="replace"` reads it anyway)."""


def connection_error(error: httpx.RequestError, doing: str) -> ApiConnectionError:
    """The error of a failure of httpx while `doing` something (`"POST /v1/x"`), chained to it by the caller."""
    if isinstance(error, httpx.TimeoutException):
        return ApiTimeoutError(f"{doing} timed out: {error!r}")
    if isinstance(error, httpx.ProtocolError):
        return ApiProtocolError(f"{doing}: the answer broke the HTTP protocol: {error}")
    if isinstance(error, httpx.DecodingError):
        return ContentDecodingError(
            f"{doing}: the answer's content encoding is corrupt: {error}"
        )
    if isinstance(error, httpx.TooManyRedirects):
        return TooManyRedirectsError(f"{doing}: {error}")
    return ApiConnectionError(f"{doing} failed: {error!r}")


class ApiStatusError(ApiError, Generic[_Body]):
    """The server answered with a status other than 2xx.

    `body` is the answer read into the spec's error model for that status
    (unknown fields and values kept), or None when it does not fit one;
    `raw_body` is the answer as it came, up to the client's
    `max_error_body_size`: `body_truncated` says the rest was dropped.
    `retry_after` is the wait in seconds the server asked for (`Retry-After`
    or `retry-after-ms`), if any. `response` is closed: its status and headers
    stay, its connection does not.
    """

    def __init__(
        self,
        response: httpx.Response,
        body: _Body | None,
        *,
        raw_body: bytes | None = None,
        body_truncated: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.raw_body = response.content if raw_body is None else raw_body
        said = self.raw_body[:_EXCERPT].decode("utf-8", "replace")
        if body_truncated:
            said += (
                f" (only the first {len(self.raw_body)} bytes of the answer were read)"
            )
        if retry_after is not None:
            said += f" (the server asks to retry after {retry_after:g} s)"
        super().__init__(f"{response.status_code} {response.reason_phrase}: {said}")
        self.response = response
        self.status_code = response.status_code
        self.body = body
        self.body_truncated = body_truncated
        self.retry_after = retry_after


class BadRequestError(ApiStatusError[_Body]):
    """400 Bad Request: the server would not accept the request."""


class AuthenticationError(ApiStatusError[_Body]):
    """401 Unauthorized: the credentials are missing or not accepted."""


class PermissionDeniedError(ApiStatusError[_Body]):
    """403 Forbidden: the credentials do not allow this."""


class NotFoundError(ApiStatusError[_Body]):
    """404 Not Found."""


class ConflictError(ApiStatusError[_Body]):
    """409 Conflict: the request clashes with the current state of a resource."""


class UnprocessableEntityError(ApiStatusError[_Body]):
    """422 Unprocessable Content: well-formed, but not valid."""


class RateLimitError(ApiStatusError[_Body]):
    """429 Too Many Requests."""


class InternalServerError(ApiStatusError[_Body]):
    """A 5xx answer: the server failed."""


_STATUS_ERRORS: dict[int, type[ApiStatusError[Any]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error(
    response: httpx.Response,
    body: _Body | None,
    *,
    raw_body: bytes | None = None,
    body_truncated: bool = False,
    retry_after: float | None = None,
) -> ApiStatusError[_Body]:
    """The error of a non-2xx answer, of the class of its status (`ApiStatusError` for others)."""
    if response.status_code >= 500:
        return InternalServerError(
            response,
            body,
            raw_body=raw_body,
            body_truncated=body_truncated,
            retry_after=retry_after,
        )
    kind = _STATUS_ERRORS.get(response.status_code, ApiStatusError)
    return kind(
        response,
        body,
        raw_body=raw_body,
        body_truncated=body_truncated,
        retry_after=retry_after,
    )


class ResponseValidationError(ApiError):
    """A 2xx answer that does not fit its model, even read leniently.

    The call's work is done (and may be paid for): `raw_body` keeps the answer
    as it came, `errors` says where it differs from `model`.
    """

    def __init__(
        self, response: httpx.Response, model: str, error: ValidationError
    ) -> None:
        super().__init__(f"the answer does not match {model}: {_summary(error)}")
        self.response = response
        self.status_code = response.status_code
        self.model = model
        self.raw_body = response.content
        self.errors: list[ErrorDetails] = error.errors()


class ArgumentError(ApiError, ValueError):
    """Arguments that do not fit the spec; nothing was sent.

    `errors` are pydantic's, located by the request model's field names.
    """

    def __init__(self, message: str, errors: list[ErrorDetails]) -> None:
        super().__init__(message)
        self.errors = errors

    @classmethod
    def from_validation(cls, error: ValidationError, model_name: str) -> ArgumentError:
        """The error of arguments that failed validation into the request model `model_name`."""
        return cls(
            f"invalid arguments for {model_name}: {_summary(error)}", error.errors()
        )


class StreamError(ApiError, Generic[_ErrorEvent]):
    """The server reported an error inside an event stream.

    `event` is its error event: the spec's error event model, or an
    `UnknownEvent` when the stream has none or the data does not fit it.
    """

    def __init__(self, event: _ErrorEvent) -> None:
        said = (
            event.model_dump_json(exclude_unset=True)
            if isinstance(event, BaseModel)
            else repr(event)
        )
        super().__init__(f"the stream reported an error: {said[:_EXCERPT]}")
        self.event = event


class EventDecodeError(ApiError, ValueError):
    """A streamed event whose data does not fit its type's model, even read leniently."""

    def __init__(self, sse: ServerSentEvent, reason: str) -> None:
        super().__init__(f"cannot decode {sse.event!r} event: {reason}")
        self.sse = sse


def _summary(error: ValidationError) -> str:
    """`n: Input should be less than or equal to 10; ...`: pydantic's errors on one line."""
    return "; ".join(
        ".".join(map(str, detail["loc"])) + ": " + detail["msg"]
        if detail["loc"]
        else detail["msg"]
        for detail in error.errors()
    )
