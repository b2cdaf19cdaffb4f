"""Model class names that every generated module can use as they are.

models.py, client.py, server.py and streaming.py all name a model alike, so a
name must survive each of them: datamodel-code-generator renames a class that
clashes with a name it imports (`Field` -> `FieldModel`, but only when that
module happens to use `Field`) or that ends in `_`, and the client and server
import models beside names of their own (`Response`, `Client`) and Python's
builtins (`ValueError`). So names are settled here, before any generator sees
them: a name that is taken becomes `<Name>Model`, the same on every run.
"""

from __future__ import annotations

import builtins
import keyword
import re
from collections.abc import Iterable

# What datamodel-code-generator may import into models.py, and what our model
# templates add (pydantic, typing, the standard library types of formats).
_MODEL_MODULE = frozenset(
    {"AliasChoices", "Annotated", "Any", "AnyUrl", "AwareDatetime", "Base64Bytes"}
    | {"Base64Encoder", "Base64Str", "BaseModel", "ClassVar", "ConfigDict", "Decimal"}
    | {"Dict", "EmailStr", "EncodedBytes", "Enum", "Field", "FrozenSet", "FutureDate"}
    | {"FutureDatetime", "IPv4Address", "IPv4Network", "IPv6Address", "IPv6Network"}
    | {"IntEnum", "Iterator", "List", "Literal", "Mapping", "MultipleOf"}
    | {"NaiveDatetime", "NegativeFloat", "NegativeInt", "NonNegativeFloat"}
    | {"NonNegativeInt", "NonPositiveFloat", "NonPositiveInt", "Optional", "PastDate"}
    | {"PastDatetime", "Path", "PositiveFloat", "PositiveInt", "RootModel"}
    | {"SecretStr", "Self", "Sequence", "SerializeAsAny", "Set", "StrEnum"}
    | {"StrictBool", "StrictBytes", "StrictFloat", "StrictInt", "StrictStr"}
    | {"StringConstraints", "SupportsIndex", "Tuple", "TypeAdapter", "TypeAlias"}
    | {"ULID", "UUID", "UUID1", "UUID3", "UUID4", "UUID5", "Union"}
    | {"ValidationInfo", "ValidatorFunctionWrapHandler"}
    # The enum aliases' marker and what it needs (codegen/open_values.py).
    | {"OpenInAnswers", "GetCoreSchemaHandler", "ValidationError", "core_schema"}
    | {"cast", "get_args", "Mapping"}
    # The type of files (codegen/upload_types.py).
    | {"UploadedFile"}
)
# Module-level names of the templates in templates/package/ that import models
# (tests/test_ir_fallbacks.py checks this list against rendered packages).
_PACKAGE_MODULES = frozenset(
    {"APIRoute", "ASGIApp", "Annotated", "Any", "ApiConnectionError", "ApiError"}
    | {"ApiStatusError", "ApiTimeoutError", "AsyncClient", "AsyncIterator"}
    | {"AsyncStream", "Authenticate", "Awaitable", "BaseModel", "Callable", "Client"}
    | {"Cookie", "Coroutine", "Credentials", "DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT"}
    | {"DONE", "Depends", "ErrorBody", "EventDecodeError", "FastAPI", "Field"}
    | {"FileInput", "Generic", "HTMLResponse", "Handlers", "Header", "Headers", "IO"}
    | {"IncompleteStreamError", "Iterator", "JSONLinesDecoder", "JSONResponse"}
    | {"Literal", "Mapping"}
    # The client's limits and error family (issue 12).
    | {"ApiProtocolError", "ContentDecodingError", "DEFAULT_MAX_ERROR_BODY_SIZE"}
    | {"DEFAULT_MAX_EVENT_SIZE", "EventSizeError", "EventTooLargeError"}
    | {"StreamIdleTimeoutError", "StreamLimits", "StreamReadError", "StreamTextError"}
    | {"TooManyRedirectsError"}
    | {"Message", "NOT_GIVEN", "NotGiven", "Path", "Protocol", "Query", "Receive"}
    | {"Request", "RequestContext", "RequestValidationError", "Response", "SSEDecoder"}
    | {"Scope", "Send", "ServerSentEvent", "StarletteHTTPException", "Stream"}
    | {"StreamError", "StreamingResponse", "TracebackType", "TypeAdapter", "TypeVar"}
    | {"UnknownEvent", "UploadFile", "ValidationError"}
    | {"AsyncBinaryResponse", "BinaryContent", "BinaryResponse", "Reply"}
    | {"APIRouter", "HTTPStatus", "Sequence", "TypeGuard"}
    | {"ArgumentError", "AsyncGenerator", "AuthenticationError", "BadRequestError"}
    | {"ConflictError", "Generator"}
    | {"ErrorDetails", "FileContent", "FileParts", "InternalServerError"}
    | {"NotFoundError", "PermissionDeniedError", "RateLimitError"}
    | {"ResponseValidationError", "UnlistedEvent", "UnprocessableEntityError"}
    | {"ArgumentError", "AsyncClientWithRawResponse", "AsyncRawResponse", "Awaitable"}
    | {"ClientWithRawResponse", "DEFAULT_BASE_URL", "RawResponse"}
    | {"ClientDisconnect"}
    | {"AsyncExitStack", "FormParserError", "MultipartParser", "SpooledTemporaryFile"}
)
RESERVED = frozenset(dir(builtins)) | _MODEL_MODULE | _PACKAGE_MODULES


def usable(name: str) -> bool:
    """Whether `name` can be a model class in every generated module."""
    return (
        name.isidentifier()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and not name.endswith("_")
        and name not in RESERVED
    )


class ClassNames:
    """Hands out distinct, usable class names."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def components(self, names: Iterable[str]) -> dict[str, str]:
        """Class names for component names: each keeps its own when it can.

        Usable names are claimed first, so a renamed one never displaces them.
        """
        names = list(names)
        chosen = {name: name for name in names if usable(name)}
        self.taken.update(chosen)
        for name in names:
            if name not in chosen:
                chosen[name] = self.claim(name)
        return chosen

    def claim(self, wanted: str, suffix: str = "Model") -> str:
        """`wanted` when usable and free, else it with `suffix` added until it is."""
        base = re.sub(r"\W", "", wanted).strip("_")
        candidate = base if base[:1].isalpha() else suffix + base
        while not usable(candidate) or candidate in self.taken:
            candidate += suffix
        self.taken.add(candidate)
        return candidate
