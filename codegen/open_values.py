"""The marker that lets an enum alias read values an answer adds (`OpenInAnswers`).

models.py defines it once, before the first alias that uses it:
`Size = Annotated[Literal["256x256", "auto"], OpenInAnswers]`. Type checkers
see the `Literal`; pydantic checks the listed values, except in the validation
context `{"lenient": True}` (the client reading an answer), where a value of
the same JSON type that the spec does not list is kept as it is.
"""

from __future__ import annotations

import re

MARKER = "OpenInAnswers"
# What the marker's source needs, as datamodel-code-generator's `additional_imports`.
IMPORTS = [
    "collections.abc.Mapping",
    "typing.Annotated",
    "typing.Any",
    "typing.Literal",
    "typing.cast",
    "typing.get_args",
    "pydantic.GetCoreSchemaHandler",
    "pydantic_core.ValidationError",
    "pydantic_core.core_schema",
]
SOURCE = '''

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

        return core_schema.with_info_wrap_validator_function(keep_unknown, handler(source))
'''

_IMPORT_BLOCK = re.compile(r"^(?:from|import) .*(?:\n[ )].*)*\n", re.MULTILINE)
_FIRST_DEFINITION = re.compile(r"^(?:class |[A-Za-z_]\w* = )", re.MULTILINE)


def with_marker(source: str) -> str:
    """`source` (models.py) with the marker defined after its imports."""
    first = _FIRST_DEFINITION.search(source)
    head = source[: first.start()] if first else source
    imports = list(_IMPORT_BLOCK.finditer(head))
    end = imports[-1].end() if imports else 0
    return source[:end] + SOURCE + source[end:]


__all__ = ["IMPORTS", "MARKER", "SOURCE", "with_marker"]
