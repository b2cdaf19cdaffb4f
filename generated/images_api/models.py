"""Pydantic models of the Bifrost Images API components.

Generated from the OpenAPI spec by codegen: do not edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self, cast, get_args

from pydantic import (
    AnyUrl,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    model_validator,
)
from pydantic_core import ValidationError, core_schema

from .uploads import UploadedFile


class OpenInAnswers:
    """Marks an enum whose answers may carry values the spec does not list yet.

    A server adds enum values before its spec does, and an answer is already
    paid for: when the client reads one (validation context `{"lenient": True}`),
    a value of the same JSON type is kept as it is. Requests, and every other
    validation, accept only the listed values.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        values: tuple[object, ...] = get_args(source)
        kinds = frozenset(type(value) for value in values)

        def keep_unknown(
            value: Any,
            validate: core_schema.ValidatorFunctionWrapHandler,
            info: core_schema.ValidationInfo,
        ) -> Any:
            try:
                return validate(value)
            except ValidationError:
                context = info.context
                if (
                    isinstance(context, Mapping)
                    and cast("Mapping[str, object]", context).get("lenient")
                    and type(value) in kinds
                ):
                    return value
                raise

        return core_schema.with_info_wrap_validator_function(
            keep_unknown, handler(source)
        )


ImageGenerationRequestSize = Annotated[
    Literal[
        "256x256",
        "512x512",
        "1024x1024",
        "1792x1024",
        "1024x1792",
        "1536x1024",
        "1024x1536",
        "auto",
    ],
    OpenInAnswers,
]
"""Size of the generated images."""


ImageGenerationRequestQuality = Annotated[
    Literal["auto", "high", "medium", "low", "hd", "standard"], OpenInAnswers
]
"""Quality of the generated images."""


Style = Annotated[Literal["natural", "vivid"], OpenInAnswers]
"""Style of the generated images."""


ResponseFormat = Annotated[Literal["url", "b64_json"], OpenInAnswers]


Background = Annotated[Literal["transparent", "opaque", "auto"], OpenInAnswers]
"""Background of the generated images."""


Moderation = Annotated[Literal["low", "auto"], OpenInAnswers]
"""Content moderation level."""


OutputFormat = Annotated[Literal["png", "webp", "jpeg"], OpenInAnswers]
"""File format of the output images."""


ImageGenerationStreamResponseType = Annotated[
    Literal["image_generation.partial_image", "image_generation.completed", "error"],
    OpenInAnswers,
]
"""Type of the stream event."""


ImageEditRequestType = Annotated[
    Literal["inpainting", "outpainting", "background_removal"], OpenInAnswers
]
"""Kind of edit to perform."""


ImageEditRequestSize = Annotated[
    Literal["256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "auto"],
    OpenInAnswers,
]
"""Size of the generated images."""


ImageEditRequestQuality = Annotated[
    Literal["auto", "high", "medium", "low", "standard"], OpenInAnswers
]
"""Quality of the generated images."""


InputFidelity = Annotated[Literal["high", "low"], OpenInAnswers]
"""How closely the output follows the input images."""


class ImageEditRequest(BaseModel):
    """Multipart form request to edit an image. Requires `model`, `prompt` unless `type` is `background_removal`, and one of `image` or `image[]`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    model: str
    """Model to use, in the form `provider/model`."""
    prompt: str | None = None
    """Edit instruction; required unless `type` is `background_removal`."""
    type: ImageEditRequestType | None = None
    """Kind of edit to perform."""
    image: UploadedFile | None = None
    """The image to edit; send either `image` or `image[]`."""
    image_list: Annotated[
        list[UploadedFile] | None, Field(alias="image[]", max_length=16)
    ] = None
    """Several input images, up to 16; send either `image` or `image[]`."""
    mask: UploadedFile | None = None
    """Image whose transparent areas mark where to edit; must be the same size as the image."""
    n: Annotated[int | None, Field(ge=1, le=10)] = None
    """Number of images to generate."""
    size: ImageEditRequestSize | None = None
    """Size of the generated images."""
    quality: ImageEditRequestQuality | None = None
    """Quality of the generated images."""
    response_format: ResponseFormat | None = None
    """Format in which generated images are returned."""
    background: Background | None = None
    """Background of the generated images."""
    input_fidelity: InputFidelity | None = None
    """How closely the output follows the input images."""
    output_format: OutputFormat | None = None
    """File format of the output images."""
    output_compression: Annotated[int | None, Field(ge=0, le=100)] = None
    """Compression level of the output images, in percent."""
    partial_images: Annotated[int | None, Field(ge=0, le=3)] = None
    """Number of partial images to stream per image."""
    stream: bool = False
    """Stream the response as Server-Sent Events when true."""
    user: str | None = None
    """End-user identifier for tracking."""
    fallbacks: str | None = None
    """JSON-encoded array of `Fallback` objects (models to try if the primary model fails); a string because form fields are strings."""

    @model_validator(mode="after")
    def _check_when_type_is_background_removal(self) -> Self:
        """`prompt` is required unless `type` is "background_removal"."""
        if self.type != "background_removal" and self.prompt is None:
            raise ValueError(
                '`prompt` is required unless `type` is "background_removal"'
            )
        return self

    @model_validator(mode="after")
    def _require_image_or_image_list(self) -> Self:
        """At least one of `image` or `image[]` is present."""
        if self.image is None and self.image_list is None:
            raise ValueError("one of `image` or `image[]` is required")
        return self


ImageEditStreamResponseType = Annotated[
    Literal["image_edit.partial_image", "image_edit.completed", "error"], OpenInAnswers
]
"""Type of the stream event."""


ImageVariationRequestSize = Annotated[
    Literal["256x256", "512x512", "1024x1024"], OpenInAnswers
]
"""Size of the generated images."""


class ImageVariationRequest(BaseModel):
    """Multipart form request to create variations of an image. Requires `model` and one of `image` or `image[]`. Does not support streaming."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    model: str
    """Model to use, in the form `provider/model`."""
    image: UploadedFile | None = None
    """The image to create variations of; send either `image` or `image[]`."""
    image_list: Annotated[list[UploadedFile] | None, Field(alias="image[]")] = None
    """Several input images; send either `image` or `image[]`."""
    n: Annotated[int | None, Field(ge=1, le=10)] = None
    """Number of variations to generate."""
    size: ImageVariationRequestSize | None = None
    """Size of the generated images."""
    response_format: ResponseFormat | None = None
    """Format in which generated images are returned."""
    user: str | None = None
    """End-user identifier for tracking."""

    @model_validator(mode="after")
    def _require_image_or_image_list(self) -> Self:
        """At least one of `image` or `image[]` is present."""
        if self.image is None and self.image_list is None:
            raise ValueError("one of `image` or `image[]` is required")
        return self


class ImageData(BaseModel):
    """A generated image."""

    model_config = ConfigDict(extra="allow")

    url: AnyUrl | None = None
    """URL of the generated image."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    index: int | None = None
    """Index of the image in the response."""


class ErrorField(BaseModel):
    """Details of an error."""

    model_config = ConfigDict(extra="allow")

    type: str | None = None
    """Type of the error."""
    code: str | None = None
    """Error code."""
    message: str | None = None
    """Human-readable error message."""
    param: str | None = None
    """Request parameter the error relates to."""
    event_id: str | None = None
    """Identifier of the error event."""


ModelProvider = Annotated[
    Literal[
        "openai",
        "anthropic",
        "azure",
        "bedrock",
        "cohere",
        "gemini",
        "vertex",
        "mistral",
        "groq",
        "ollama",
        "openrouter",
        "xai",
        "nebius",
        "huggingface",
        "replicate",
        "fireworks",
    ],
    OpenInAnswers,
]
"""Identifier of an AI provider supported by the gateway; model ids take the form `provider/model`."""


class ImageTokenDetails(BaseModel):
    """Breakdown of tokens by kind."""

    model_config = ConfigDict(extra="allow")

    image_tokens: int | None = None
    """Number of image tokens."""
    text_tokens: int | None = None
    """Number of text tokens."""


class BifrostCacheDebug(BaseModel):
    """Cache debugging information for a response."""

    model_config = ConfigDict(extra="allow")

    cache_hit: bool | None = None
    """Whether the response was served from the cache."""
    cache_id: str | None = None
    """Identifier of the cache entry."""
    hit_type: str | None = None
    """Kind of cache hit."""
    requested_provider: str | None = None
    """Provider requested by the caller."""
    requested_model: str | None = None
    """Model requested by the caller."""
    provider_used: str | None = None
    """Provider actually used."""
    model_used: str | None = None
    """Model actually used."""
    input_tokens: int | None = None
    """Number of input tokens."""
    threshold: float | None = None
    """Similarity threshold for a cache hit."""
    similarity: float | None = None
    """Similarity score of the cache hit."""


class Fallback(BaseModel):
    """A provider and model to try if the primary model fails."""

    model_config = ConfigDict(extra="allow")

    provider: ModelProvider
    """Provider of the fallback model."""
    model: str
    """Model name to use with the fallback provider."""


class ImageUsage(BaseModel):
    """Token usage of an image request."""

    model_config = ConfigDict(extra="allow")

    input_tokens: int | None = None
    """Number of input tokens."""
    total_tokens: int | None = None
    """Total number of tokens."""
    output_tokens: int | None = None
    """Number of output tokens."""
    input_tokens_details: ImageTokenDetails | None = None
    """Breakdown of the input tokens."""
    output_tokens_details: ImageTokenDetails | None = None
    """Breakdown of the output tokens."""


class BifrostResponseExtraFields(BaseModel):
    """Additional gateway metadata attached to a response."""

    model_config = ConfigDict(extra="allow")

    request_type: str | None = None
    """Type of the request."""
    provider: ModelProvider | None = None
    """Provider that handled the request."""
    model_requested: str | None = None
    """Model requested by the caller."""
    model_deployment: str | None = None
    """Provider deployment that served the model."""
    latency: int | None = None
    """Request latency in milliseconds."""
    chunk_index: int | None = None
    """Index of the chunk within a stream."""
    raw_request: dict[str, Any] | None = None
    """Raw request sent to the provider."""
    raw_response: dict[str, Any] | None = None
    """Raw response received from the provider."""
    cache_debug: BifrostCacheDebug | None = None
    """Cache debugging information."""


class BifrostErrorExtraFields(BaseModel):
    """Additional gateway metadata attached to an error."""

    model_config = ConfigDict(extra="allow")

    provider: ModelProvider | None = None
    """Provider that handled the request."""
    model_requested: str | None = None
    """Model requested by the caller."""
    request_type: str | None = None
    """Type of the request that failed."""
    error_type: str | None = None
    """Low-cardinality error class, prefixed `caller_`, `policy_`, `provider_` or `bifrost_`."""
    retry_after_ms: int | None = None
    """Suggested delay in milliseconds before retrying."""


class ImageGenerationRequest(BaseModel):
    """Request to generate images from a text prompt."""

    model_config = ConfigDict(extra="allow")

    model: str
    """Model to use, in the form `provider/model` (e.g. `openai/gpt-image-1`)."""
    prompt: str
    """Text description of the image to generate."""
    n: Annotated[int, Field(ge=1, le=10)] = 1
    """Number of images to generate."""
    size: ImageGenerationRequestSize | None = None
    """Size of the generated images."""
    quality: ImageGenerationRequestQuality | None = None
    """Quality of the generated images."""
    style: Style | None = None
    """Style of the generated images."""
    response_format: ResponseFormat = "url"
    """Format in which generated images are returned; ignored and forced to `b64_json` when streaming."""
    background: Background | None = None
    """Background of the generated images."""
    moderation: Moderation | None = None
    """Content moderation level."""
    partial_images: Annotated[int | None, Field(ge=0, le=3)] = None
    """Number of partial images to stream per image."""
    output_compression: Annotated[int | None, Field(ge=0, le=100)] = None
    """Compression level of the output images, in percent."""
    output_format: OutputFormat | None = None
    """File format of the output images."""
    user: str | None = None
    """End-user identifier for tracking."""
    stream: bool = False
    """Stream the response as Server-Sent Events when true."""
    fallbacks: list[Fallback] | None = None
    """Models to try if the primary model fails."""
    seed: int | None = None
    """Random seed for generation (provider-specific)."""
    negative_prompt: str | None = None
    """Text describing what the image should not contain (provider-specific)."""
    num_inference_steps: int | None = None
    """Number of inference steps (provider-specific)."""
    aspect_ratio: str | None = None
    """Aspect ratio of the generated images (provider-specific)."""
    resolution: str | None = None
    """Resolution of the generated images (provider-specific)."""
    input_images: list[str] | None = None
    """Input images for the generation (provider-specific)."""

    @model_validator(mode="after")
    def _check_when_stream_is_true(self) -> Self:
        """When `stream` is true, `response_format` must be `b64_json`."""
        if (
            self.stream is True
            and "response_format" in self.model_fields_set
            and self.response_format not in ("b64_json",)
        ):
            raise ValueError(
                '`response_format` must be "b64_json" when `stream` is true'
            )
        return self


class ImageGenerationResponse(BaseModel):
    """Generated images; the response of image generation, edit and variation requests."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    created: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    model: str | None = None
    """Model that generated the images."""
    data: list[ImageData] | None = None
    """Generated images."""
    background: str | None = None
    """Background of the generated images."""
    output_format: str | None = None
    """File format of the generated images."""
    quality: str | None = None
    """Quality of the generated images."""
    size: str | None = None
    """Size of the generated images."""
    usage: ImageUsage | None = None
    """Token usage of the request."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class BifrostError(BaseModel):
    """Error returned by the gateway."""

    model_config = ConfigDict(extra="allow")

    event_id: str | None = None
    """Identifier of the error event."""
    type: str | None = None
    """Type of the error."""
    is_bifrost_error: bool | None = None
    """Whether the error originated in the gateway rather than the provider."""
    status_code: int | None = None
    """HTTP status code of the error."""
    error: ErrorField | None = None
    """Details of the error."""
    extra_fields: BifrostErrorExtraFields | None = None
    """Additional gateway metadata about the error."""


class ImageEditStreamResponse(BaseModel):
    """A Server-Sent Event of an image edit stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: ImageEditStreamResponseType
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_edit.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageGenerationPartialImageEvent(BaseModel):
    """The `image_generation.partial_image` event. A Server-Sent Event of an image generation stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["image_generation.partial_image"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_generation.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageGenerationCompletedEvent(BaseModel):
    """The `image_generation.completed` event. A Server-Sent Event of an image generation stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["image_generation.completed"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_generation.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageGenerationErrorEvent(BaseModel):
    """The `error` event. A Server-Sent Event of an image generation stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["error"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_generation.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageEditPartialImageEvent(BaseModel):
    """The `image_edit.partial_image` event. A Server-Sent Event of an image edit stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["image_edit.partial_image"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_edit.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageEditCompletedEvent(BaseModel):
    """The `image_edit.completed` event. A Server-Sent Event of an image edit stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["image_edit.completed"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_edit.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageEditErrorEvent(BaseModel):
    """The `error` event. A Server-Sent Event of an image edit stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: Literal["error"]
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_edit.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""


class ImageGenerationStreamResponse(BaseModel):
    """A Server-Sent Event of an image generation stream; sent as `event: <type>`, then `data: <json>`, then a blank line."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    """Identifier of the response."""
    type: ImageGenerationStreamResponseType
    """Type of the stream event."""
    partial_image_index: int | None = None
    """Index of the partial image."""
    sequence_number: int | None = None
    """Ordering of the event within the stream."""
    b64_json: str | None = None
    """Base64-encoded image data."""
    url: str | None = None
    """URL of the image."""
    created_at: int | None = None
    """Creation time as a Unix timestamp in seconds."""
    size: str | None = None
    """Size of the image."""
    quality: str | None = None
    """Quality of the image."""
    background: str | None = None
    """Background of the image."""
    output_format: str | None = None
    """File format of the image."""
    revised_prompt: str | None = None
    """Prompt as revised by the model."""
    usage: ImageUsage | None = None
    """Token usage; present on `image_generation.completed` events."""
    error: BifrostError | None = None
    """Error details; present on `error` events."""
    extra_fields: BifrostResponseExtraFields | None = None
    """Additional gateway metadata."""
