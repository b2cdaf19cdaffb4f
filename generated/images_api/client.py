"""HTTP client of the Bifrost Images API: `Client` and `AsyncClient`.

    from images_api.client import Client

    with Client(bearer_auth="...") as client:
        ...

Operations are grouped into resources by their first tag
(`client.images.generation(...)`).
The `AsyncClient` has the same, to await.
Keyword arguments are checked against the spec's models before anything is
sent (`ArgumentError`); every method also takes `timeout`, `extra_headers`,
`extra_query` and `extra_body`, and `client.with_raw_response` answers the
HTTP response (`RawResponse`: status, headers, `parse()`). Answers other than
2xx raise `ApiStatusError` carrying the spec's error model (its body read up to
`max_error_body_size`); every other failure is an `ApiError` too, with the
failure of httpx as its `__cause__` (see the errors module).

Retries (`max_retries`, exponential backoff) cover what is safe to send again:
answers 408, 409, 429, 500, 502, 503 and 504, and failures before any byte of
the answer came (connect errors, timeouts, a connection the server dropped).
An answer that began, a stream above all, is never sent again. The server's
`Retry-After` (or `retry-after-ms`) sets the wait; one longer than 60 s ends
the retries at once, with the server's wait in the error's `retry_after`.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import json
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, cast, overload

import httpx
from pydantic import BaseModel, ValidationError

from .errors import (
    ApiConnectionError as ApiConnectionError,
    ApiError as ApiError,
    ApiStatusError as ApiStatusError,
    ApiTimeoutError as ApiTimeoutError,
    ArgumentError as ArgumentError,
    ErrorBody as ErrorBody,
    ResponseValidationError as ResponseValidationError,
    connection_error,
    status_error,
)
from .models import (
    Background,
    BifrostError,
    Fallback,
    ImageEditRequest,
    ImageEditRequestQuality,
    ImageEditRequestSize,
    ImageEditRequestType,
    ImageGenerationRequest,
    ImageGenerationRequestQuality,
    ImageGenerationRequestSize,
    ImageGenerationResponse,
    ImageVariationRequest,
    ImageVariationRequestSize,
    InputFidelity,
    Moderation,
    OutputFormat,
    ResponseFormat,
    Style,
)
from .streaming import (
    AsyncStream as AsyncStream,
    Stream as Stream,
    StreamLimits,
    parse_image_edit_event,
    parse_image_generation_event,
    ImageEditEvent,
    ImageGenerationEvent,
)
from .uploads import FileInput as FileInput, FileParts

DEFAULT_BASE_URL = "http://localhost:8080"
DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
DEFAULT_MAX_ERROR_BODY_SIZE = 1024 * 1024
"""Bytes of an error answer read into `ApiStatusError.raw_body`; the rest is dropped."""
DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024
"""The longest event (its data lines together) or line a stream reads, in characters."""
_RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_RETRY_DELAY = 60.0

_Model = TypeVar("_Model", bound=BaseModel)
_Answer = TypeVar("_Answer", covariant=True)


class NotGiven:
    """The type of `NOT_GIVEN`: an argument left out, unlike None, which sends null."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class _Requests:
    """Configuration and the request logic shared by both clients' transports."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        credentials: dict[str, Any],
        timeout: float | httpx.Timeout | None,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        max_error_body_size: int,
        max_event_size: int,
        stream_idle_timeout: float | None | NotGiven,
        stream_text_errors: Literal["strict", "replace"],
        owns_http: bool,
        http_base_url: httpx.URL,
    ) -> None:
        # A given `http_client`'s own base URL is a default too, after the environment's.
        self.base_url = httpx.URL(
            base_url
            or os.environ.get("IMAGES_API_BASE_URL")
            or str(http_base_url)
            or DEFAULT_BASE_URL
        )
        self.credentials = credentials
        self.timeout = httpx.Timeout(timeout)
        self.max_retries = max_retries
        self.default_headers = dict(default_headers or {})
        self.max_error_body_size = max_error_body_size
        self.max_event_size = max_event_size
        self.stream_idle_timeout = stream_idle_timeout
        self.stream_text_errors: Literal["strict", "replace"] = stream_text_errors
        self.owns_http = owns_http
        """Whether the connection pool was made here, and is closed with the client."""

    def request(
        self,
        method: str,
        path: str,
        *,
        security: tuple[tuple[str, ...], ...],
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        json_body: BaseModel | None = None,
        form: list[tuple[str, str]] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
        multipart: bool = False,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> _Prepared:
        given: dict[str, Any] = {**(params or {}), **(extra_query or {})}
        query = {
            key: [_scalar(v) for v in cast("list[object]", value)]
            if isinstance(value, list)
            else _scalar(value)
            for key, value in given.items()
        }
        all_headers = {
            **self.default_headers,
            **{key: _scalar(value) for key, value in (headers or {}).items()},
        }
        all_headers.update(self._auth_headers(security, query))
        content = None
        if json_body is not None:
            content = json_body.model_dump_json(
                by_alias=True, exclude_unset=True
            ).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if extra_body:
            if form is not None:
                form = [
                    *form,
                    *((key, _scalar(value)) for key, value in extra_body.items()),
                ]
            elif json_body is not None or content is None:
                content = _extended_json(
                    content if isinstance(content, bytes) else None, extra_body
                )
                all_headers["Content-Type"] = "application/json"
            else:
                raise TypeError(
                    "extra_body goes into a JSON or form body; this request's body is neither"
                )
        all_headers.update(extra_headers or {})
        chosen_timeout = (
            self.timeout if isinstance(timeout, NotGiven) else httpx.Timeout(timeout)
        )
        url = str(self.base_url).rstrip("/") + path
        if multipart and form is not None:
            # A part per field: a form without files still goes as multipart/form-data.
            parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = [
                (key, (None, value.encode("utf-8"), None)) for key, value in form
            ]
            return _Prepared(
                method,
                url,
                query,
                all_headers,
                content,
                None,
                [*parts, *(files or [])],
                chosen_timeout,
            )
        return _Prepared(
            method, url, query, all_headers, content, form, files, chosen_timeout
        )

    def _auth_headers(
        self, security: tuple[tuple[str, ...], ...], query: dict[str, Any]
    ) -> dict[str, str]:
        """Credentials for the first alternative of `security` this client has all of."""
        for schemes in security:
            # An empty alternative (`{}`, anonymous) sends nothing: only taken when no other fits.
            if schemes and all(self.credentials.get(scheme) for scheme in schemes):
                headers: dict[str, str] = {}
                for scheme in schemes:
                    _apply_credentials(scheme, self.credentials[scheme], headers, query)
                return headers
        return {}

    def stream_limits(self, request: _Prepared) -> StreamLimits:
        """The limits of a stream answering `request`: the idle deadline is its read timeout unless set."""
        idle = (
            request.timeout.read
            if isinstance(self.stream_idle_timeout, NotGiven)
            else self.stream_idle_timeout
        )
        return StreamLimits(
            max_event_size=self.max_event_size,
            idle_timeout=idle,
            text_errors=self.stream_text_errors,
        )

    def retry_delay(
        self, attempt: int, failure: ApiError, retryable: bool
    ) -> float | None:
        """Seconds to wait before sending again after a `retryable` failure, or None when not to."""
        if not retryable or attempt >= self.max_retries:
            return None
        advised = failure.retry_after if isinstance(failure, ApiStatusError) else None
        if advised is not None and advised > _MAX_RETRY_DELAY:
            failure.add_note(
                f"Not retried: the server asks to wait {advised:g} s, longer than the client waits ({_MAX_RETRY_DELAY:g} s)."
            )
            return None
        if advised is not None and advised >= 0:
            return advised
        backoff = min(0.5 * 2.0**attempt, 8.0)
        return backoff * random.uniform(0.75, 1.0)


class _Transport(_Requests):
    """Sends the requests of a `Client` and its copies, over one connection pool."""

    def __init__(self, http: httpx.Client, **options: Any) -> None:
        super().__init__(http_base_url=http.base_url, **options)
        self.http = http

    def send(
        self,
        prepared: _Prepared,
        *,
        stream: bool = False,
        errors: Mapping[int | str, type[ErrorBody]] | None = None,
    ) -> httpx.Response:
        doing = f"{prepared.method} {prepared.url}"
        attempt = 0
        while True:
            # The URL, headers and timeout go with each request: a given `http_client` keeps its own for other uses.
            request = self.http.build_request(
                prepared.method,
                prepared.url,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                data=prepared.form_data(),
                files=prepared.files,
                timeout=prepared.timeout,
            )
            cause: httpx.RequestError | None = None
            try:
                response = self.http.send(request, stream=True)
            except httpx.RequestError as error:
                cause = error
                failure: ApiConnectionError | ApiStatusError[ErrorBody] = (
                    connection_error(error, doing)
                )
                # Nothing of the answer came: a timeout, or a connection that failed or was dropped, is worth another try.
                retryable = isinstance(failure, ApiTimeoutError) or isinstance(
                    error, (httpx.NetworkError, httpx.RemoteProtocolError)
                )
            else:
                if response.is_success:
                    if not stream:
                        # The answer began: a failure now is never retried, the request was done.
                        try:
                            response.read()
                        except httpx.RequestError as error:
                            response.close()
                            raise connection_error(error, doing) from error
                    return response
                failure = self._status_failure(response, errors or {})
                retryable = response.status_code in _RETRY_STATUSES
            delay = self.retry_delay(attempt, failure, retryable)
            if delay is None:
                raise failure from cause
            time.sleep(delay)
            attempt += 1

    def _status_failure(
        self, response: httpx.Response, models: Mapping[int | str, type[ErrorBody]]
    ) -> ApiStatusError[ErrorBody]:
        """The error of a non-2xx answer, its body read up to `max_error_body_size`; the response is closed."""
        limit = self.max_error_body_size
        body = bytearray()
        truncated = False
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    del body[limit:]
                    truncated = True
                    break
        except httpx.RequestError:
            # The rest of the answer was lost: its status says what matters.
            truncated = True
        finally:
            response.close()
        return _status_error(response, models, bytes(body), truncated)


class ImagesResource:
    """The operations tagged `Images`."""

    def __init__(self, transport: _Transport) -> None:
        self.with_raw_response = ImagesResourceWithRawResponse(transport)
        """The same methods, answering the HTTP response with `parse()`."""

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse: ...

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Stream[ImageGenerationEvent]: ...

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | Stream[ImageGenerationEvent]: ...

    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | Stream[ImageGenerationEvent]:
        """Generate an image

        Generates images from text prompts using the specified model.

        Args:
            model: Model to use, in the form `provider/model` (e.g. `openai/gpt-image-1`).
            prompt: Text description of the image to generate.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            style: Style of the generated images.
            response_format: Format in which generated images are returned; ignored and forced to `b64_json` when streaming.
            background: Background of the generated images.
            moderation: Content moderation level.
            partial_images: Number of partial images to stream per image.
            output_compression: Compression level of the output images, in percent.
            output_format: File format of the output images.
            user: End-user identifier for tracking.
            fallbacks: Models to try if the primary model fails.
            seed: Random seed for generation (provider-specific).
            negative_prompt: Text describing what the image should not contain (provider-specific).
            num_inference_steps: Number of inference steps (provider-specific).
            aspect_ratio: Aspect ratio of the generated images (provider-specific).
            resolution: Resolution of the generated images (provider-specific).
            input_images: Input images for the generation (provider-specific).
        """
        return self.with_raw_response.generation(
            model=model,
            prompt=prompt,
            n=n,
            size=size,
            quality=quality,
            style=style,
            response_format=response_format,
            background=background,
            moderation=moderation,
            partial_images=partial_images,
            output_compression=output_compression,
            output_format=output_format,
            user=user,
            fallbacks=fallbacks,
            seed=seed,
            negative_prompt=negative_prompt,
            num_inference_steps=num_inference_steps,
            aspect_ratio=aspect_ratio,
            resolution=resolution,
            input_images=input_images,
            stream=stream,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        ).parse()

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse: ...

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> Stream[ImageEditEvent]: ...

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | Stream[ImageEditEvent]: ...

    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | Stream[ImageEditEvent]:
        """Edit an image

        Edits an image using a text prompt and optional mask.
        Request must be sent as multipart/form-data with at least `model`, `prompt` (unless `type` is `background_removal`), and `image` (or `image[]`).

        Args:
            model: Model to use, in the form `provider/model`.
            prompt: Edit instruction; required unless `type` is `background_removal`.
            type: Kind of edit to perform.
            image: The image to edit; send either `image` or `image[]`.
            mask: Image whose transparent areas mark where to edit; must be the same size as the image.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            response_format: Format in which generated images are returned.
            background: Background of the generated images.
            input_fidelity: How closely the output follows the input images.
            output_format: File format of the output images.
            output_compression: Compression level of the output images, in percent.
            partial_images: Number of partial images to stream per image.
            user: End-user identifier for tracking.
            fallbacks: JSON-encoded array of `Fallback` objects (models to try if the primary model fails); a string because form fields are strings.
        """
        return self.with_raw_response.edit(
            model=model,
            prompt=prompt,
            type=type,
            image=image,
            mask=mask,
            n=n,
            size=size,
            quality=quality,
            response_format=response_format,
            background=background,
            input_fidelity=input_fidelity,
            output_format=output_format,
            output_compression=output_compression,
            partial_images=partial_images,
            user=user,
            fallbacks=fallbacks,
            stream=stream,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        ).parse()

    def variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse:
        """Create Variation

        Creates variations of an image.
        Request must be sent as multipart/form-data with `model` and `image` (or `image[]`).
        Does not support streaming.

        Args:
            model: Model to use, in the form `provider/model`.
            image: The image to create variations of; send either `image` or `image[]`.
            n: Number of variations to generate.
            size: Size of the generated images.
            response_format: Format in which generated images are returned.
            user: End-user identifier for tracking.
        """
        return self.with_raw_response.variation(
            model=model,
            image=image,
            n=n,
            size=size,
            response_format=response_format,
            user=user,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        ).parse()


class ImagesResourceWithRawResponse:
    """The operations tagged `Images`, answering a `RawResponse`."""

    def __init__(self, transport: _Transport) -> None:
        self._transport = transport

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse]: ...

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Stream[ImageGenerationEvent]]: ...

    @overload
    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse | Stream[ImageGenerationEvent]]: ...

    def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse | Stream[ImageGenerationEvent]]:
        """Generate an image

        Generates images from text prompts using the specified model.

        Args:
            model: Model to use, in the form `provider/model` (e.g. `openai/gpt-image-1`).
            prompt: Text description of the image to generate.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            style: Style of the generated images.
            response_format: Format in which generated images are returned; ignored and forced to `b64_json` when streaming.
            background: Background of the generated images.
            moderation: Content moderation level.
            partial_images: Number of partial images to stream per image.
            output_compression: Compression level of the output images, in percent.
            output_format: File format of the output images.
            user: End-user identifier for tracking.
            fallbacks: Models to try if the primary model fails.
            seed: Random seed for generation (provider-specific).
            negative_prompt: Text describing what the image should not contain (provider-specific).
            num_inference_steps: Number of inference steps (provider-specific).
            aspect_ratio: Aspect ratio of the generated images (provider-specific).
            resolution: Resolution of the generated images (provider-specific).
            input_images: Input images for the generation (provider-specific).
        """
        body = _checked(
            ImageGenerationRequest,
            _given(
                {
                    "model": model,
                    "prompt": prompt,
                    "n": n,
                    "size": size,
                    "quality": quality,
                    "style": style,
                    "response_format": response_format,
                    "background": background,
                    "moderation": moderation,
                    "partial_images": partial_images,
                    "output_compression": output_compression,
                    "output_format": output_format,
                    "user": user,
                    "fallbacks": fallbacks,
                    "seed": seed,
                    "negative_prompt": negative_prompt,
                    "num_inference_steps": num_inference_steps,
                    "aspect_ratio": aspect_ratio,
                    "resolution": resolution,
                    "input_images": input_images,
                    "stream": stream,
                }
            ),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/generations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            json_body=body,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if body.stream:
            response = self._transport.send(
                request, stream=True, errors={400: BifrostError, 500: BifrostError}
            )

            limits = self._transport.stream_limits(request)

            def events() -> Stream[ImageGenerationEvent]:
                return Stream(response, parse_image_generation_event, limits=limits)

            return RawResponse(response, events)

        response = self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return RawResponse(response, read)

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse]: ...

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[Stream[ImageEditEvent]]: ...

    @overload
    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse | Stream[ImageEditEvent]]: ...

    def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse | Stream[ImageEditEvent]]:
        """Edit an image

        Edits an image using a text prompt and optional mask.
        Request must be sent as multipart/form-data with at least `model`, `prompt` (unless `type` is `background_removal`), and `image` (or `image[]`).

        Args:
            model: Model to use, in the form `provider/model`.
            prompt: Edit instruction; required unless `type` is `background_removal`.
            type: Kind of edit to perform.
            image: The image to edit; send either `image` or `image[]`.
            mask: Image whose transparent areas mark where to edit; must be the same size as the image.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            response_format: Format in which generated images are returned.
            background: Background of the generated images.
            input_fidelity: How closely the output follows the input images.
            output_format: File format of the output images.
            output_compression: Compression level of the output images, in percent.
            partial_images: Number of partial images to stream per image.
            user: End-user identifier for tracking.
            fallbacks: JSON-encoded array of `Fallback` objects (models to try if the primary model fails); a string because form fields are strings.
        """
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        files.add(mask, single="mask", many="mask")
        body = _checked(
            ImageEditRequest,
            _given(
                {
                    "model": model,
                    "prompt": prompt,
                    "type": type,
                    "n": n,
                    "size": size,
                    "quality": quality,
                    "response_format": response_format,
                    "background": background,
                    "input_fidelity": input_fidelity,
                    "output_format": output_format,
                    "output_compression": output_compression,
                    "partial_images": partial_images,
                    "user": user,
                    "fallbacks": fallbacks,
                    "stream": stream,
                }
            )
            | files.contents(),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/edits",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            form=_form_fields(body, files.wire_names),
            files=files.parts,
            multipart=True,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if body.stream:
            response = self._transport.send(
                request, stream=True, errors={400: BifrostError, 500: BifrostError}
            )

            limits = self._transport.stream_limits(request)

            def events() -> Stream[ImageEditEvent]:
                return Stream(response, parse_image_edit_event, limits=limits)

            return RawResponse(response, events)

        response = self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return RawResponse(response, read)

    def variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> RawResponse[ImageGenerationResponse]:
        """Create Variation

        Creates variations of an image.
        Request must be sent as multipart/form-data with `model` and `image` (or `image[]`).
        Does not support streaming.

        Args:
            model: Model to use, in the form `provider/model`.
            image: The image to create variations of; send either `image` or `image[]`.
            n: Number of variations to generate.
            size: Size of the generated images.
            response_format: Format in which generated images are returned.
            user: End-user identifier for tracking.
        """
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        body = _checked(
            ImageVariationRequest,
            _given(
                {
                    "model": model,
                    "n": n,
                    "size": size,
                    "response_format": response_format,
                    "user": user,
                }
            )
            | files.contents(),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/variations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            form=_form_fields(body, files.wire_names),
            files=files.parts,
            multipart=True,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        response = self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return RawResponse(response, read)


class ClientWithRawResponse:
    """The methods of a `Client` and its resources, answering a `RawResponse`."""

    def __init__(self, transport: _Transport) -> None:
        self._transport = transport
        self.images = ImagesResourceWithRawResponse(transport)


class Client:
    """Synchronous client of the Bifrost Images API.

    The base URL and credentials not given come from the environment:

    - `base_url`: `IMAGES_API_BASE_URL`, else a given `http_client`'s, else `DEFAULT_BASE_URL`
    - `bearer_auth`: `IMAGES_API_BEARER_AUTH`
    - `basic_auth`: `IMAGES_API_BASIC_AUTH` (`username:password`)
    - `virtual_key_auth`: `IMAGES_API_VIRTUAL_KEY_AUTH`
    - `api_key_auth`: `IMAGES_API_API_KEY_AUTH`

    A given `http_client` is used for its connection pool and settings (proxies,
    transport); the base URL, timeout and headers of this client go with every
    request, and `close()` leaves that pool to its owner.
    """

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        bearer_auth: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        virtual_key_auth: str | None = None,
        api_key_auth: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        max_error_body_size: int = DEFAULT_MAX_ERROR_BODY_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_text_errors: Literal["strict", "replace"] = "strict",
    ) -> None:
        self._transport = _Transport(
            http_client or httpx.Client(timeout=timeout),
            base_url=base_url,
            credentials=_credentials(
                bearer_auth=bearer_auth,
                basic_auth=basic_auth,
                virtual_key_auth=virtual_key_auth,
                api_key_auth=api_key_auth,
            ),
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_error_body_size=max_error_body_size,
            max_event_size=max_event_size,
            stream_idle_timeout=stream_idle_timeout,
            stream_text_errors=stream_text_errors,
            owns_http=http_client is None,
        )
        self.with_raw_response = ClientWithRawResponse(self._transport)
        """The same methods and resources, answering the HTTP response with `parse()`."""
        self.images = ImagesResource(self._transport)

    @property
    def base_url(self) -> httpx.URL:
        return self._transport.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._transport.timeout

    @property
    def max_retries(self) -> int:
        return self._transport.max_retries

    @property
    def default_headers(self) -> dict[str, str]:
        return dict(self._transport.default_headers)

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | NotGiven = NOT_GIVEN,
        bearer_auth: str | None | NotGiven = NOT_GIVEN,
        basic_auth: tuple[str, str] | None | NotGiven = NOT_GIVEN,
        virtual_key_auth: str | None | NotGiven = NOT_GIVEN,
        api_key_auth: str | None | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        max_error_body_size: int | NotGiven = NOT_GIVEN,
        max_event_size: int | NotGiven = NOT_GIVEN,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_text_errors: Literal["strict", "replace"] | NotGiven = NOT_GIVEN,
    ) -> Client:
        """A copy of this client with the options given changed, sharing its connection pool.

        `default_headers` are added to this client's (a header given again is
        replaced); a credential given as None is read from the environment, as
        the constructor does.
        """
        transport = self._transport
        return Client(
            transport.base_url if isinstance(base_url, NotGiven) else base_url,
            bearer_auth=transport.credentials["BearerAuth"]
            if isinstance(bearer_auth, NotGiven)
            else bearer_auth,
            basic_auth=transport.credentials["BasicAuth"]
            if isinstance(basic_auth, NotGiven)
            else basic_auth,
            virtual_key_auth=transport.credentials["VirtualKeyAuth"]
            if isinstance(virtual_key_auth, NotGiven)
            else virtual_key_auth,
            api_key_auth=transport.credentials["ApiKeyAuth"]
            if isinstance(api_key_auth, NotGiven)
            else api_key_auth,
            timeout=transport.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=transport.max_retries
            if isinstance(max_retries, NotGiven)
            else max_retries,
            default_headers={
                **transport.default_headers,
                **({} if isinstance(default_headers, NotGiven) else default_headers),
            },
            http_client=transport.http,
            max_error_body_size=transport.max_error_body_size
            if isinstance(max_error_body_size, NotGiven)
            else max_error_body_size,
            max_event_size=transport.max_event_size
            if isinstance(max_event_size, NotGiven)
            else max_event_size,
            stream_idle_timeout=transport.stream_idle_timeout
            if isinstance(stream_idle_timeout, NotGiven)
            else stream_idle_timeout,
            stream_text_errors=transport.stream_text_errors
            if isinstance(stream_text_errors, NotGiven)
            else stream_text_errors,
        )

    def close(self) -> None:
        """Close the connection pool, unless it was given (`http_client`) or is a copy's."""
        if self._transport.owns_http:
            self._transport.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _AsyncTransport(_Requests):
    """Sends the requests of an `AsyncClient` and its copies, over one connection pool."""

    def __init__(self, http: httpx.AsyncClient, **options: Any) -> None:
        super().__init__(http_base_url=http.base_url, **options)
        self.http = http

    async def send(
        self,
        prepared: _Prepared,
        *,
        stream: bool = False,
        errors: Mapping[int | str, type[ErrorBody]] | None = None,
    ) -> httpx.Response:
        doing = f"{prepared.method} {prepared.url}"
        attempt = 0
        while True:
            # The URL, headers and timeout go with each request: a given `http_client` keeps its own for other uses.
            request = self.http.build_request(
                prepared.method,
                prepared.url,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                data=prepared.form_data(),
                files=prepared.files,
                timeout=prepared.timeout,
            )
            cause: httpx.RequestError | None = None
            try:
                response = await self.http.send(request, stream=True)
            except httpx.RequestError as error:
                cause = error
                failure: ApiConnectionError | ApiStatusError[ErrorBody] = (
                    connection_error(error, doing)
                )
                # Nothing of the answer came: a timeout, or a connection that failed or was dropped, is worth another try.
                retryable = isinstance(failure, ApiTimeoutError) or isinstance(
                    error, (httpx.NetworkError, httpx.RemoteProtocolError)
                )
            else:
                if response.is_success:
                    if not stream:
                        # The answer began: a failure now is never retried, the request was done.
                        try:
                            await response.aread()
                        except httpx.RequestError as error:
                            await response.aclose()
                            raise connection_error(error, doing) from error
                    return response
                failure = await self._status_failure(response, errors or {})
                retryable = response.status_code in _RETRY_STATUSES
            delay = self.retry_delay(attempt, failure, retryable)
            if delay is None:
                raise failure from cause
            await asyncio.sleep(delay)
            attempt += 1

    async def _status_failure(
        self, response: httpx.Response, models: Mapping[int | str, type[ErrorBody]]
    ) -> ApiStatusError[ErrorBody]:
        """The error of a non-2xx answer, its body read up to `max_error_body_size`; the response is closed."""
        limit = self.max_error_body_size
        body = bytearray()
        truncated = False
        try:
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > limit:
                    del body[limit:]
                    truncated = True
                    break
        except httpx.RequestError:
            # The rest of the answer was lost: its status says what matters.
            truncated = True
        finally:
            await response.aclose()
        return _status_error(response, models, bytes(body), truncated)


class AsyncImagesResource:
    """The operations tagged `Images`."""

    def __init__(self, transport: _AsyncTransport) -> None:
        self.with_raw_response = AsyncImagesResourceWithRawResponse(transport)
        """The same methods, answering the HTTP response with `parse()`."""

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse: ...

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncStream[ImageGenerationEvent]: ...

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | AsyncStream[ImageGenerationEvent]: ...

    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | AsyncStream[ImageGenerationEvent]:
        """Generate an image

        Generates images from text prompts using the specified model.

        Args:
            model: Model to use, in the form `provider/model` (e.g. `openai/gpt-image-1`).
            prompt: Text description of the image to generate.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            style: Style of the generated images.
            response_format: Format in which generated images are returned; ignored and forced to `b64_json` when streaming.
            background: Background of the generated images.
            moderation: Content moderation level.
            partial_images: Number of partial images to stream per image.
            output_compression: Compression level of the output images, in percent.
            output_format: File format of the output images.
            user: End-user identifier for tracking.
            fallbacks: Models to try if the primary model fails.
            seed: Random seed for generation (provider-specific).
            negative_prompt: Text describing what the image should not contain (provider-specific).
            num_inference_steps: Number of inference steps (provider-specific).
            aspect_ratio: Aspect ratio of the generated images (provider-specific).
            resolution: Resolution of the generated images (provider-specific).
            input_images: Input images for the generation (provider-specific).
        """
        return await (
            await self.with_raw_response.generation(
                model=model,
                prompt=prompt,
                n=n,
                size=size,
                quality=quality,
                style=style,
                response_format=response_format,
                background=background,
                moderation=moderation,
                partial_images=partial_images,
                output_compression=output_compression,
                output_format=output_format,
                user=user,
                fallbacks=fallbacks,
                seed=seed,
                negative_prompt=negative_prompt,
                num_inference_steps=num_inference_steps,
                aspect_ratio=aspect_ratio,
                resolution=resolution,
                input_images=input_images,
                stream=stream,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            )
        ).parse()

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse: ...

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncStream[ImageEditEvent]: ...

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | AsyncStream[ImageEditEvent]: ...

    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse | AsyncStream[ImageEditEvent]:
        """Edit an image

        Edits an image using a text prompt and optional mask.
        Request must be sent as multipart/form-data with at least `model`, `prompt` (unless `type` is `background_removal`), and `image` (or `image[]`).

        Args:
            model: Model to use, in the form `provider/model`.
            prompt: Edit instruction; required unless `type` is `background_removal`.
            type: Kind of edit to perform.
            image: The image to edit; send either `image` or `image[]`.
            mask: Image whose transparent areas mark where to edit; must be the same size as the image.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            response_format: Format in which generated images are returned.
            background: Background of the generated images.
            input_fidelity: How closely the output follows the input images.
            output_format: File format of the output images.
            output_compression: Compression level of the output images, in percent.
            partial_images: Number of partial images to stream per image.
            user: End-user identifier for tracking.
            fallbacks: JSON-encoded array of `Fallback` objects (models to try if the primary model fails); a string because form fields are strings.
        """
        return await (
            await self.with_raw_response.edit(
                model=model,
                prompt=prompt,
                type=type,
                image=image,
                mask=mask,
                n=n,
                size=size,
                quality=quality,
                response_format=response_format,
                background=background,
                input_fidelity=input_fidelity,
                output_format=output_format,
                output_compression=output_compression,
                partial_images=partial_images,
                user=user,
                fallbacks=fallbacks,
                stream=stream,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            )
        ).parse()

    async def variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ImageGenerationResponse:
        """Create Variation

        Creates variations of an image.
        Request must be sent as multipart/form-data with `model` and `image` (or `image[]`).
        Does not support streaming.

        Args:
            model: Model to use, in the form `provider/model`.
            image: The image to create variations of; send either `image` or `image[]`.
            n: Number of variations to generate.
            size: Size of the generated images.
            response_format: Format in which generated images are returned.
            user: End-user identifier for tracking.
        """
        return await (
            await self.with_raw_response.variation(
                model=model,
                image=image,
                n=n,
                size=size,
                response_format=response_format,
                user=user,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
                extra_body=extra_body,
            )
        ).parse()


class AsyncImagesResourceWithRawResponse:
    """The operations tagged `Images`, answering a `AsyncRawResponse`."""

    def __init__(self, transport: _AsyncTransport) -> None:
        self._transport = transport

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse]: ...

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[AsyncStream[ImageGenerationEvent]]: ...

    @overload
    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[
        ImageGenerationResponse | AsyncStream[ImageGenerationEvent]
    ]: ...

    async def generation(
        self,
        *,
        model: str,
        prompt: str,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageGenerationRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageGenerationRequestQuality | NotGiven = NOT_GIVEN,
        style: Style | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        moderation: Moderation | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: list[Fallback] | NotGiven = NOT_GIVEN,
        seed: int | NotGiven = NOT_GIVEN,
        negative_prompt: str | NotGiven = NOT_GIVEN,
        num_inference_steps: int | NotGiven = NOT_GIVEN,
        aspect_ratio: str | NotGiven = NOT_GIVEN,
        resolution: str | NotGiven = NOT_GIVEN,
        input_images: list[str] | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse | AsyncStream[ImageGenerationEvent]]:
        """Generate an image

        Generates images from text prompts using the specified model.

        Args:
            model: Model to use, in the form `provider/model` (e.g. `openai/gpt-image-1`).
            prompt: Text description of the image to generate.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            style: Style of the generated images.
            response_format: Format in which generated images are returned; ignored and forced to `b64_json` when streaming.
            background: Background of the generated images.
            moderation: Content moderation level.
            partial_images: Number of partial images to stream per image.
            output_compression: Compression level of the output images, in percent.
            output_format: File format of the output images.
            user: End-user identifier for tracking.
            fallbacks: Models to try if the primary model fails.
            seed: Random seed for generation (provider-specific).
            negative_prompt: Text describing what the image should not contain (provider-specific).
            num_inference_steps: Number of inference steps (provider-specific).
            aspect_ratio: Aspect ratio of the generated images (provider-specific).
            resolution: Resolution of the generated images (provider-specific).
            input_images: Input images for the generation (provider-specific).
        """
        body = _checked(
            ImageGenerationRequest,
            _given(
                {
                    "model": model,
                    "prompt": prompt,
                    "n": n,
                    "size": size,
                    "quality": quality,
                    "style": style,
                    "response_format": response_format,
                    "background": background,
                    "moderation": moderation,
                    "partial_images": partial_images,
                    "output_compression": output_compression,
                    "output_format": output_format,
                    "user": user,
                    "fallbacks": fallbacks,
                    "seed": seed,
                    "negative_prompt": negative_prompt,
                    "num_inference_steps": num_inference_steps,
                    "aspect_ratio": aspect_ratio,
                    "resolution": resolution,
                    "input_images": input_images,
                    "stream": stream,
                }
            ),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/generations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            json_body=body,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if body.stream:
            response = await self._transport.send(
                request, stream=True, errors={400: BifrostError, 500: BifrostError}
            )

            limits = self._transport.stream_limits(request)

            async def events() -> AsyncStream[ImageGenerationEvent]:
                return AsyncStream(
                    response, parse_image_generation_event, limits=limits
                )

            return AsyncRawResponse(response, events)

        response = await self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        async def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return AsyncRawResponse(response, read)

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[False] | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse]: ...

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: Literal[True],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[AsyncStream[ImageEditEvent]]: ...

    @overload
    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse | AsyncStream[ImageEditEvent]]: ...

    async def edit(
        self,
        *,
        model: str,
        prompt: str | NotGiven = NOT_GIVEN,
        type: ImageEditRequestType | NotGiven = NOT_GIVEN,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        mask: FileInput | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageEditRequestSize | NotGiven = NOT_GIVEN,
        quality: ImageEditRequestQuality | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        background: Background | NotGiven = NOT_GIVEN,
        input_fidelity: InputFidelity | NotGiven = NOT_GIVEN,
        output_format: OutputFormat | NotGiven = NOT_GIVEN,
        output_compression: int | NotGiven = NOT_GIVEN,
        partial_images: int | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        fallbacks: str | NotGiven = NOT_GIVEN,
        stream: bool | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse | AsyncStream[ImageEditEvent]]:
        """Edit an image

        Edits an image using a text prompt and optional mask.
        Request must be sent as multipart/form-data with at least `model`, `prompt` (unless `type` is `background_removal`), and `image` (or `image[]`).

        Args:
            model: Model to use, in the form `provider/model`.
            prompt: Edit instruction; required unless `type` is `background_removal`.
            type: Kind of edit to perform.
            image: The image to edit; send either `image` or `image[]`.
            mask: Image whose transparent areas mark where to edit; must be the same size as the image.
            n: Number of images to generate.
            size: Size of the generated images.
            quality: Quality of the generated images.
            response_format: Format in which generated images are returned.
            background: Background of the generated images.
            input_fidelity: How closely the output follows the input images.
            output_format: File format of the output images.
            output_compression: Compression level of the output images, in percent.
            partial_images: Number of partial images to stream per image.
            user: End-user identifier for tracking.
            fallbacks: JSON-encoded array of `Fallback` objects (models to try if the primary model fails); a string because form fields are strings.
        """
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        files.add(mask, single="mask", many="mask")
        body = _checked(
            ImageEditRequest,
            _given(
                {
                    "model": model,
                    "prompt": prompt,
                    "type": type,
                    "n": n,
                    "size": size,
                    "quality": quality,
                    "response_format": response_format,
                    "background": background,
                    "input_fidelity": input_fidelity,
                    "output_format": output_format,
                    "output_compression": output_compression,
                    "partial_images": partial_images,
                    "user": user,
                    "fallbacks": fallbacks,
                    "stream": stream,
                }
            )
            | files.contents(),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/edits",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            form=_form_fields(body, files.wire_names),
            files=files.parts,
            multipart=True,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        if body.stream:
            response = await self._transport.send(
                request, stream=True, errors={400: BifrostError, 500: BifrostError}
            )

            limits = self._transport.stream_limits(request)

            async def events() -> AsyncStream[ImageEditEvent]:
                return AsyncStream(response, parse_image_edit_event, limits=limits)

            return AsyncRawResponse(response, events)

        response = await self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        async def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return AsyncRawResponse(response, read)

    async def variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> AsyncRawResponse[ImageGenerationResponse]:
        """Create Variation

        Creates variations of an image.
        Request must be sent as multipart/form-data with `model` and `image` (or `image[]`).
        Does not support streaming.

        Args:
            model: Model to use, in the form `provider/model`.
            image: The image to create variations of; send either `image` or `image[]`.
            n: Number of variations to generate.
            size: Size of the generated images.
            response_format: Format in which generated images are returned.
            user: End-user identifier for tracking.
        """
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        body = _checked(
            ImageVariationRequest,
            _given(
                {
                    "model": model,
                    "n": n,
                    "size": size,
                    "response_format": response_format,
                    "user": user,
                }
            )
            | files.contents(),
        )
        request = self._transport.request(
            "POST",
            "/v1/images/variations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            form=_form_fields(body, files.wire_names),
            files=files.parts,
            multipart=True,
            timeout=timeout,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
        )
        response = await self._transport.send(
            request, errors={400: BifrostError, 500: BifrostError}
        )

        async def read() -> ImageGenerationResponse:
            return _parsed(response, ImageGenerationResponse)

        return AsyncRawResponse(response, read)


class AsyncClientWithRawResponse:
    """The methods of an `AsyncClient` and its resources, answering an `AsyncRawResponse`."""

    def __init__(self, transport: _AsyncTransport) -> None:
        self._transport = transport
        self.images = AsyncImagesResourceWithRawResponse(transport)


class AsyncClient:
    """Asynchronous client of the Bifrost Images API.

    The base URL and credentials not given come from the environment:

    - `base_url`: `IMAGES_API_BASE_URL`, else a given `http_client`'s, else `DEFAULT_BASE_URL`
    - `bearer_auth`: `IMAGES_API_BEARER_AUTH`
    - `basic_auth`: `IMAGES_API_BASIC_AUTH` (`username:password`)
    - `virtual_key_auth`: `IMAGES_API_VIRTUAL_KEY_AUTH`
    - `api_key_auth`: `IMAGES_API_API_KEY_AUTH`

    A given `http_client` is used for its connection pool and settings (proxies,
    transport); the base URL, timeout and headers of this client go with every
    request, and `close()` leaves that pool to its owner.
    """

    def __init__(
        self,
        base_url: str | httpx.URL | None = None,
        *,
        bearer_auth: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        virtual_key_auth: str | None = None,
        api_key_auth: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        max_error_body_size: int = DEFAULT_MAX_ERROR_BODY_SIZE,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_text_errors: Literal["strict", "replace"] = "strict",
    ) -> None:
        self._transport = _AsyncTransport(
            http_client or httpx.AsyncClient(timeout=timeout),
            base_url=base_url,
            credentials=_credentials(
                bearer_auth=bearer_auth,
                basic_auth=basic_auth,
                virtual_key_auth=virtual_key_auth,
                api_key_auth=api_key_auth,
            ),
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            max_error_body_size=max_error_body_size,
            max_event_size=max_event_size,
            stream_idle_timeout=stream_idle_timeout,
            stream_text_errors=stream_text_errors,
            owns_http=http_client is None,
        )
        self.with_raw_response = AsyncClientWithRawResponse(self._transport)
        """The same methods and resources, answering the HTTP response with `parse()`."""
        self.images = AsyncImagesResource(self._transport)

    @property
    def base_url(self) -> httpx.URL:
        return self._transport.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._transport.timeout

    @property
    def max_retries(self) -> int:
        return self._transport.max_retries

    @property
    def default_headers(self) -> dict[str, str]:
        return dict(self._transport.default_headers)

    def with_options(
        self,
        *,
        base_url: str | httpx.URL | NotGiven = NOT_GIVEN,
        bearer_auth: str | None | NotGiven = NOT_GIVEN,
        basic_auth: tuple[str, str] | None | NotGiven = NOT_GIVEN,
        virtual_key_auth: str | None | NotGiven = NOT_GIVEN,
        api_key_auth: str | None | NotGiven = NOT_GIVEN,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        max_error_body_size: int | NotGiven = NOT_GIVEN,
        max_event_size: int | NotGiven = NOT_GIVEN,
        stream_idle_timeout: float | None | NotGiven = NOT_GIVEN,
        stream_text_errors: Literal["strict", "replace"] | NotGiven = NOT_GIVEN,
    ) -> AsyncClient:
        """A copy of this client with the options given changed, sharing its connection pool.

        `default_headers` are added to this client's (a header given again is
        replaced); a credential given as None is read from the environment, as
        the constructor does.
        """
        transport = self._transport
        return AsyncClient(
            transport.base_url if isinstance(base_url, NotGiven) else base_url,
            bearer_auth=transport.credentials["BearerAuth"]
            if isinstance(bearer_auth, NotGiven)
            else bearer_auth,
            basic_auth=transport.credentials["BasicAuth"]
            if isinstance(basic_auth, NotGiven)
            else basic_auth,
            virtual_key_auth=transport.credentials["VirtualKeyAuth"]
            if isinstance(virtual_key_auth, NotGiven)
            else virtual_key_auth,
            api_key_auth=transport.credentials["ApiKeyAuth"]
            if isinstance(api_key_auth, NotGiven)
            else api_key_auth,
            timeout=transport.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=transport.max_retries
            if isinstance(max_retries, NotGiven)
            else max_retries,
            default_headers={
                **transport.default_headers,
                **({} if isinstance(default_headers, NotGiven) else default_headers),
            },
            http_client=transport.http,
            max_error_body_size=transport.max_error_body_size
            if isinstance(max_error_body_size, NotGiven)
            else max_error_body_size,
            max_event_size=transport.max_event_size
            if isinstance(max_event_size, NotGiven)
            else max_event_size,
            stream_idle_timeout=transport.stream_idle_timeout
            if isinstance(stream_idle_timeout, NotGiven)
            else stream_idle_timeout,
            stream_text_errors=transport.stream_text_errors
            if isinstance(stream_text_errors, NotGiven)
            else stream_text_errors,
        )

    async def close(self) -> None:
        """Close the connection pool, unless it was given (`http_client`) or is a copy's."""
        if self._transport.owns_http:
            await self._transport.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


class RawResponse(Generic[_Answer]):
    """The HTTP answer of a call, read into what the method returns by `parse()`.

    `client.with_raw_response.…` (or `client.<resource>.with_raw_response.…`)
    has every method, with the same arguments, answering one. A streamed or
    binary answer is not read until `parse()`; `close()` it if it is not wanted.
    """

    def __init__(self, response: httpx.Response, read: Callable[[], _Answer]) -> None:
        self.http_response = response
        self._read = read
        self._parsed: list[_Answer] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def parse(self) -> _Answer:
        """The answer as the method returns it; read once, then the same value."""
        if not self._parsed:
            self._parsed.append(self._read())
        return self._parsed[0]

    def close(self) -> None:
        self.http_response.close()


class AsyncRawResponse(Generic[_Answer]):
    """The HTTP answer of a call of the `AsyncClient`; see `RawResponse`."""

    def __init__(
        self, response: httpx.Response, read: Callable[[], Awaitable[_Answer]]
    ) -> None:
        self.http_response = response
        self._read = read
        self._parsed: list[_Answer] = []

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    async def parse(self) -> _Answer:
        """The answer as the method returns it; read once, then the same value."""
        if not self._parsed:
            self._parsed.append(await self._read())
        return self._parsed[0]

    async def close(self) -> None:
        await self.http_response.aclose()


class _Prepared:
    """A request ready to be sent (again, when retried)."""

    def __init__(
        self,
        method: str,
        url: str,
        params: dict[str, Any],
        headers: dict[str, str],
        content: bytes | None,
        form: list[tuple[str, str]] | None,
        files: Sequence[tuple[str, tuple[str | None, bytes, str | None]]] | None,
        timeout: httpx.Timeout,
    ) -> None:
        self.method = method
        self.url = url
        self.params = params
        self.headers = headers
        self.content = content
        self.form = form
        self.files = files
        self.timeout = timeout

    def form_data(self) -> dict[str, Any] | None:
        if self.form is None:
            return None
        data: dict[str, Any] = {}
        for key, value in self.form:
            data.setdefault(key, []).append(value)
        return {
            key: values[0] if len(values) == 1 else values
            for key, values in data.items()
        }


class _FileParts(FileParts):
    """The files given to a call; arguments left out are skipped."""

    def add(
        self,
        value: FileInput | Sequence[FileInput] | NotGiven,
        *,
        single: str,
        many: str,
    ) -> None:
        if not isinstance(value, NotGiven):
            super().add(value, single=single, many=many)


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments the caller gave (NOT_GIVEN ones left out)."""
    return {
        key: value for key, value in values.items() if not isinstance(value, NotGiven)
    }


def _checked(model: type[_Model], arguments: dict[str, Any]) -> _Model:
    """The arguments of a call as the request's model; `ArgumentError` when they do not fit it."""
    try:
        return model.model_validate(arguments)
    except ValidationError as error:
        raise ArgumentError.from_validation(error, model.__name__) from None


def _credentials(
    bearer_auth: str | None,
    basic_auth: tuple[str, str] | None,
    virtual_key_auth: str | None,
    api_key_auth: str | None,
) -> dict[str, Any]:
    """The credentials of each security scheme: the argument, else the environment's."""
    return {
        "BearerAuth": bearer_auth
        if bearer_auth is not None
        else os.environ.get("IMAGES_API_BEARER_AUTH"),
        "BasicAuth": basic_auth
        if basic_auth is not None
        else _basic_credentials(os.environ.get("IMAGES_API_BASIC_AUTH")),
        "VirtualKeyAuth": virtual_key_auth
        if virtual_key_auth is not None
        else os.environ.get("IMAGES_API_VIRTUAL_KEY_AUTH"),
        "ApiKeyAuth": api_key_auth
        if api_key_auth is not None
        else os.environ.get("IMAGES_API_API_KEY_AUTH"),
    }


def _basic_credentials(text: str | None) -> tuple[str, str] | None:
    """`username:password` as the pair basic authentication takes."""
    if not text:
        return None
    username, _, password = text.partition(":")
    return username, password


def _extended_json(content: bytes | None, extra_body: Mapping[str, object]) -> bytes:
    """A JSON body (or none) with the fields of `extra_body` added."""
    body: object = json.loads(content) if content else {}
    if not isinstance(body, dict):
        raise TypeError(
            "extra_body adds fields to an object; this request's JSON body is not one"
        )
    return json.dumps({**cast("dict[str, object]", body), **extra_body}).encode("utf-8")


def _scalar(value: Any) -> str:
    """A parameter or form value as the wire writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(getattr(value, "value", value))


def _form_fields(
    body: BaseModel, file_names: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The non-file fields of a form body, repeated for lists."""
    files = {
        name
        for name, field in type(body).model_fields.items()
        if (field.alias or name) in file_names
    }
    fields: list[tuple[str, str]] = []
    for key, value in body.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude=files
    ).items():
        if value is None:
            continue
        items = cast("list[object]", value) if isinstance(value, list) else [value]
        for item in items:
            fields.append((key, _scalar(item)))
    return fields


def _apply_credentials(
    scheme: str, value: Any, headers: dict[str, str], query: dict[str, Any]
) -> None:
    if scheme == "BearerAuth":
        headers["Authorization"] = f"Bearer {value}"
    if scheme == "BasicAuth":
        username, password = value
        headers["Authorization"] = "Basic " + base64.b64encode(
            f"{username}:{password}".encode()
        ).decode("ascii")
    if scheme == "VirtualKeyAuth":
        headers["x-bf-vk"] = value
    if scheme == "ApiKeyAuth":
        headers["x-api-key"] = value


def _parsed(response: httpx.Response, model: type[_Model]) -> _Model:
    """The answer read into `model`, leniently: values and fields the spec does not list are kept."""
    try:
        return model.model_validate_json(response.content, context={"lenient": True})
    except ValidationError as error:
        raise ResponseValidationError(response, model.__name__, error) from None


def _status_error(
    response: httpx.Response,
    models: Mapping[int | str, type[ErrorBody]],
    raw_body: bytes,
    truncated: bool,
) -> ApiStatusError[ErrorBody]:
    """The error of a non-2xx answer, its body read leniently into the spec's model for that status."""
    model = (
        models.get(response.status_code)
        or models.get(f"{response.status_code // 100}XX")
        or models.get("default")
        or BifrostError
    )
    body: ErrorBody | None = None
    try:
        body = model.model_validate_json(raw_body, context={"lenient": True})
    except ValidationError:
        pass  # not in the spec's shape: `raw_body` has it as it came
    return status_error(
        response,
        body,
        raw_body=raw_body,
        body_truncated=truncated,
        retry_after=_retry_after(response),
    )


def _retry_after(response: httpx.Response) -> float | None:
    """The server's advice on when to retry: `retry-after-ms`, or `Retry-After` seconds or date."""
    milliseconds = response.headers.get("retry-after-ms")
    if milliseconds:
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    advice = response.headers.get("retry-after")
    if not advice:
        return None
    try:
        return float(advice)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(advice).timestamp() - time.time()
    except (TypeError, ValueError):
        return None
