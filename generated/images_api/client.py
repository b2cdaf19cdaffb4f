"""HTTP client of the Bifrost Images API: `Client` and `AsyncClient`.

    from images_api.client import Client

    with Client("http://localhost:8080", bearer_auth="...") as client:
        ...

One method per operation, with keyword arguments checked against the spec's
models before anything is sent. Answers other than 2xx raise `ApiStatusError`
carrying the spec's error model; 429, 5xx and connection failures are retried
with exponential backoff (honouring `Retry-After`), but never once a streamed
answer has begun.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import json
import random
import time
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, TypeVar, overload
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from .errors import (
    ApiConnectionError as ApiConnectionError,
    ApiError as ApiError,
    ApiStatusError as ApiStatusError,
    ApiTimeoutError as ApiTimeoutError,
    ErrorBody as ErrorBody,
    ResponseValidationError as ResponseValidationError,
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
    parse_image_edit_event,
    parse_image_generation_event,
    ImageEditEvent,
    ImageGenerationEvent,
)
from .uploads import FileInput as FileInput, FileParts

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)
"""Image operations can take minutes; connecting should not."""
DEFAULT_MAX_RETRIES = 2
_RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
_MAX_RETRY_DELAY = 60.0

_Model = TypeVar("_Model", bound=BaseModel)


class NotGiven:
    """The type of `NOT_GIVEN`: an argument left out, unlike None, which sends null."""

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


class _BaseClient:
    """Configuration and the request logic shared by both clients."""

    def __init__(
        self,
        *,
        bearer_auth: str | None,
        basic_auth: tuple[str, str] | None,
        virtual_key_auth: str | None,
        api_key_auth: str | None,
        max_retries: int,
    ) -> None:
        self._credentials: dict[str, Any] = {
            "BearerAuth": bearer_auth,
            "BasicAuth": basic_auth,
            "VirtualKeyAuth": virtual_key_auth,
            "ApiKeyAuth": api_key_auth,
        }
        self.max_retries = max_retries

    def _request(
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
    ) -> _Prepared:
        query = {
            key: (
                _scalar(value)
                if not isinstance(value, list)
                else [_scalar(v) for v in value]
            )
            for key, value in (params or {}).items()
        }
        all_headers = {key: _scalar(value) for key, value in (headers or {}).items()}
        all_headers.update(self._auth_headers(security, query))
        content = None
        if json_body is not None:
            content = json_body.model_dump_json(
                by_alias=True, exclude_unset=True
            ).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if multipart and form is not None:
            # A part per field: a form without files still goes as multipart/form-data.
            parts: list[tuple[str, tuple[str | None, bytes, str | None]]] = [
                (key, (None, value.encode("utf-8"), None)) for key, value in form
            ]
            return _Prepared(
                method,
                path,
                query,
                all_headers,
                content,
                None,
                [*parts, *(files or [])],
            )
        return _Prepared(method, path, query, all_headers, content, form, files)

    def _auth_headers(
        self, security: tuple[tuple[str, ...], ...], query: dict[str, Any]
    ) -> dict[str, str]:
        """Credentials for the first alternative of `security` this client has all of."""
        for schemes in security:
            # An empty alternative (`{}`, anonymous) sends nothing: only taken when no other fits.
            if schemes and all(self._credentials.get(scheme) for scheme in schemes):
                headers: dict[str, str] = {}
                for scheme in schemes:
                    _apply_credentials(
                        scheme, self._credentials[scheme], headers, query
                    )
                return headers
        return {}

    def _retry_delay(
        self, attempt: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds to wait before retrying, or None when not to retry."""
        if attempt >= self.max_retries:
            return None
        if response is not None and response.status_code not in _RETRY_STATUSES:
            return None
        if response is not None:
            advised = _retry_after(response)
            if advised is not None and 0 <= advised <= _MAX_RETRY_DELAY:
                return advised
        backoff = min(0.5 * 2.0**attempt, 8.0)
        return backoff * random.uniform(0.75, 1.0)


class Client(_BaseClient):
    """Synchronous client of the Bifrost Images API."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080",
        *,
        bearer_auth: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        virtual_key_auth: str | None = None,
        api_key_auth: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        super().__init__(
            bearer_auth=bearer_auth,
            basic_auth=basic_auth,
            virtual_key_auth=virtual_key_auth,
            api_key_auth=api_key_auth,
            max_retries=max_retries,
        )
        self._http = http_client or httpx.Client(
            base_url=base_url, timeout=timeout, headers=headers
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _send(
        self,
        prepared: _Prepared,
        *,
        stream: bool = False,
        errors: Mapping[int | str, type[ErrorBody]] | None = None,
    ) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None
            request = self._http.build_request(
                prepared.method,
                prepared.path,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                data=prepared.form_data(),
                files=prepared.files,
            )
            try:
                response = self._http.send(request, stream=True)
            except httpx.TimeoutException as error:
                failure: ApiError = ApiTimeoutError(
                    f"{prepared.method} {prepared.path} timed out: {error}"
                )
                response = None
            except httpx.TransportError as error:
                failure = ApiConnectionError(
                    f"{prepared.method} {prepared.path} failed: {error}"
                )
                response = None
            else:
                if response.is_success:
                    if not stream:
                        response.read()
                    return response
                response.read()
                failure = _status_error(response, errors or {})
            delay = self._retry_delay(attempt, response)
            if delay is None:
                raise failure
            time.sleep(delay)
            attempt += 1

    @overload
    def image_generation(
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
    ) -> ImageGenerationResponse: ...

    @overload
    def image_generation(
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
    ) -> Stream[ImageGenerationEvent]: ...

    def image_generation(
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
        body = ImageGenerationRequest.model_validate(
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
            )
        )
        request = self._request(
            "POST",
            "/v1/images/generations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            json_body=body,
        )
        if body.stream:
            return Stream(
                self._send(
                    request, stream=True, errors={400: BifrostError, 500: BifrostError}
                ),
                parse_image_generation_event,
            )
        response = self._send(request, errors={400: BifrostError, 500: BifrostError})
        return _parsed(response, ImageGenerationResponse)

    @overload
    def image_edit(
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
    ) -> ImageGenerationResponse: ...

    @overload
    def image_edit(
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
    ) -> Stream[ImageEditEvent]: ...

    def image_edit(
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
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        files.add(mask, single="mask", many="mask")
        body = ImageEditRequest.model_validate(
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
            | files.contents()
        )
        request = self._request(
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
        )
        if body.stream:
            return Stream(
                self._send(
                    request, stream=True, errors={400: BifrostError, 500: BifrostError}
                ),
                parse_image_edit_event,
            )
        response = self._send(request, errors={400: BifrostError, 500: BifrostError})
        return _parsed(response, ImageGenerationResponse)

    def image_variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
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
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        body = ImageVariationRequest.model_validate(
            _given(
                {
                    "model": model,
                    "n": n,
                    "size": size,
                    "response_format": response_format,
                    "user": user,
                }
            )
            | files.contents()
        )
        request = self._request(
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
        )
        response = self._send(request, errors={400: BifrostError, 500: BifrostError})
        return _parsed(response, ImageGenerationResponse)


class AsyncClient(_BaseClient):
    """Asynchronous client of the Bifrost Images API."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080",
        *,
        bearer_auth: str | None = None,
        basic_auth: tuple[str, str] | None = None,
        virtual_key_auth: str | None = None,
        api_key_auth: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        super().__init__(
            bearer_auth=bearer_auth,
            basic_auth=basic_auth,
            virtual_key_auth=virtual_key_auth,
            api_key_auth=api_key_auth,
            max_retries=max_retries,
        )
        self._http = http_client or httpx.AsyncClient(
            base_url=base_url, timeout=timeout, headers=headers
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _send(
        self,
        prepared: _Prepared,
        *,
        stream: bool = False,
        errors: Mapping[int | str, type[ErrorBody]] | None = None,
    ) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None
            request = self._http.build_request(
                prepared.method,
                prepared.path,
                params=prepared.params,
                headers=prepared.headers,
                content=prepared.content,
                data=prepared.form_data(),
                files=prepared.files,
            )
            try:
                response = await self._http.send(request, stream=True)
            except httpx.TimeoutException as error:
                failure: ApiError = ApiTimeoutError(
                    f"{prepared.method} {prepared.path} timed out: {error}"
                )
                response = None
            except httpx.TransportError as error:
                failure = ApiConnectionError(
                    f"{prepared.method} {prepared.path} failed: {error}"
                )
                response = None
            else:
                if response.is_success:
                    if not stream:
                        await response.aread()
                    return response
                await response.aread()
                failure = _status_error(response, errors or {})
            delay = self._retry_delay(attempt, response)
            if delay is None:
                raise failure
            await asyncio.sleep(delay)
            attempt += 1

    @overload
    async def image_generation(
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
    ) -> ImageGenerationResponse: ...

    @overload
    async def image_generation(
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
    ) -> AsyncStream[ImageGenerationEvent]: ...

    async def image_generation(
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
        body = ImageGenerationRequest.model_validate(
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
            )
        )
        request = self._request(
            "POST",
            "/v1/images/generations",
            security=(
                ("BearerAuth",),
                ("BasicAuth",),
                ("VirtualKeyAuth",),
                ("ApiKeyAuth",),
            ),
            json_body=body,
        )
        if body.stream:
            return AsyncStream(
                await self._send(
                    request, stream=True, errors={400: BifrostError, 500: BifrostError}
                ),
                parse_image_generation_event,
            )
        response = await self._send(
            request, errors={400: BifrostError, 500: BifrostError}
        )
        return _parsed(response, ImageGenerationResponse)

    @overload
    async def image_edit(
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
    ) -> ImageGenerationResponse: ...

    @overload
    async def image_edit(
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
    ) -> AsyncStream[ImageEditEvent]: ...

    async def image_edit(
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
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        files.add(mask, single="mask", many="mask")
        body = ImageEditRequest.model_validate(
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
            | files.contents()
        )
        request = self._request(
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
        )
        if body.stream:
            return AsyncStream(
                await self._send(
                    request, stream=True, errors={400: BifrostError, 500: BifrostError}
                ),
                parse_image_edit_event,
            )
        response = await self._send(
            request, errors={400: BifrostError, 500: BifrostError}
        )
        return _parsed(response, ImageGenerationResponse)

    async def image_variation(
        self,
        *,
        model: str,
        image: FileInput | Sequence[FileInput] | NotGiven = NOT_GIVEN,
        n: int | NotGiven = NOT_GIVEN,
        size: ImageVariationRequestSize | NotGiven = NOT_GIVEN,
        response_format: ResponseFormat | NotGiven = NOT_GIVEN,
        user: str | NotGiven = NOT_GIVEN,
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
        files = _FileParts()
        files.add(image, single="image", many="image[]")
        body = ImageVariationRequest.model_validate(
            _given(
                {
                    "model": model,
                    "n": n,
                    "size": size,
                    "response_format": response_format,
                    "user": user,
                }
            )
            | files.contents()
        )
        request = self._request(
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
        )
        response = await self._send(
            request, errors={400: BifrostError, 500: BifrostError}
        )
        return _parsed(response, ImageGenerationResponse)


class _Prepared:
    """A request ready to be sent (again, when retried)."""

    def __init__(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        headers: dict[str, str],
        content: bytes | None,
        form: list[tuple[str, str]] | None,
        files: Sequence[tuple[str, tuple[str | None, bytes, str | None]]] | None,
    ) -> None:
        self.method = method
        self.path = path
        self.params = params
        self.headers = headers
        self.content = content
        self.form = form
        self.files = files

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
    fields = []
    for key, value in body.model_dump(
        mode="json", by_alias=True, exclude_unset=True, exclude=files
    ).items():
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            fields.append((key, _scalar(item)))
    return fields


def _path(value: Any) -> str:
    return quote(_scalar(value), safe="")


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
    response: httpx.Response, models: Mapping[int | str, type[ErrorBody]]
) -> ApiStatusError[ErrorBody]:
    """The error of a non-2xx answer, its body read leniently into the spec's model for that status."""
    model = (
        models.get(response.status_code)
        or models.get(f"{response.status_code // 100}XX")
        or models.get("default")
        or BifrostError
    )
    try:
        body = model.model_validate_json(response.content, context={"lenient": True})
    except ValidationError:
        return status_error(response, None)
    return status_error(response, body)


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
