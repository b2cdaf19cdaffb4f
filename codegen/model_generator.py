"""Run datamodel-code-generator on the models' document: Pydantic v2 source.

The generator gets one OpenAPI document holding only the IR's models (built by
codegen/models.py as a `ModelsJob`), our own templates (templates/models/) and,
per model, the template data of its rules. This module needs neither the IR
nor the loader nor Jinja, so the process that runs it (codegen/background.py)
can be forked before they are imported and stay small.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .background import Worker
from .gc_pause import gc_paused
from .open_values import IMPORTS as MARKER_IMPORTS
from .open_values import with_marker
from .pysource import tidy_imports
from .templates_path import template_folder
from .upload_types import relative_import

TEMPLATES = template_folder("models")
# Formats whose types need packages beyond pydantic (email-validator,
# python-ulid): the generated package depends on pydantic and httpx only.
PLAIN_STRING_FORMATS = ["email=string", "idn-email=string", "ulid=string"]
# pyright reads a narrower type for BaseModel's own attribute as an error;
# mypy and pydantic take it as pydantic documents it.
TYPED_EXTRAS = (
    "# Typed extra fields (`__pydantic_extra__: dict[str, X]`) narrow an attribute\n"
    "# of BaseModel, as pydantic documents them.\n"
    "# pyright: reportIncompatibleVariableOverride=false"
)
HEADER = '"""Pydantic models of the {title} components.\n\nGenerated from the OpenAPI spec by codegen: do not edit.\n"""'


@dataclass(frozen=True)
class ModelsJob:
    """What the model generator is given: plain data, so another process can run it."""

    document: str
    """The OpenAPI document (JSON) holding only the models' schemas."""
    header: str
    rules: defaultdict[str, dict[str, Any]]
    """Template data by model name: validators, root defaults, `Literal` aliases."""
    aliases: dict[str, str]
    """Python field names, keyed `"<Model>.<wire name>"`."""
    marked: bool
    """Whether an open enum needs the `OpenInAnswers` marker."""
    names: tuple[str, ...]
    """Every model's class name: the other modules import them."""
    literal_names: tuple[str, ...]
    """The models written as `Literal` aliases."""


def generate_models(job: ModelsJob) -> str:
    """The source of `models.py` (not yet formatted), written by datamodel-code-generator."""
    if not job.names:
        # The model generator refuses a document without schemas.
        return job.header + "\n\nfrom __future__ import annotations\n"
    # The generator builds a large graph that lives until it is done: collecting
    # cycles meanwhile walks it again and again for little (5-9% of its time
    # on OpenAI's spec, for 8 MiB more at the peak).
    with gc_paused(), warnings.catch_warnings():
        # Its notes (a constraint it leaves out, a format it does not know) name
        # no place in the spec; what we cannot express is warned about upstream.
        warnings.simplefilter("ignore")
        source = _generate(job.document, job.header, job.rules, job.aliases, job.marked)
    if not isinstance(source, str):
        raise TypeError(
            f"expected one module from datamodel-code-generator, got {type(source)}"
        )
    _check_class_names(source, job.names)
    source = relative_import(source)
    source = _alias_fields(source, list(job.literal_names))
    if "    __pydantic_extra__:" in source:
        source = source.replace(job.header, f"{job.header}\n\n{TYPED_EXTRAS}", 1)
    return with_marker(source) if job.marked else source


def warm_up() -> None:
    """Import the model generator and run it once on a tiny document.

    A first run costs about a second more than the next ones (imports, its
    templates compiled, pydantic's schemas of its own classes); a `Worker`
    pays that while the spec is still being loaded.
    """
    tiny = {"type": "object", "properties": {"name": {"type": "string"}}}
    generate_models(
        ModelsJob(
            document=json.dumps(
                {
                    "openapi": "3.1.0",
                    "info": {"title": "warm-up", "version": "1"},
                    "paths": {},
                    "components": {"schemas": {"Tiny": tiny}},
                }
            ),
            header=HEADER.format(title="warm-up"),
            rules=defaultdict(dict),
            aliases={},
            marked=False,
            names=("Tiny",),
            literal_names=(),
        )
    )


def start_worker() -> Worker[ModelsJob, str]:
    """A `Worker` that turns a `ModelsJob` into the source of `models.py` (unformatted).

    Started before the spec is loaded, it warms up meanwhile; where it cannot
    fork, it runs the job in the caller.
    """
    return Worker(_models_file, warm_up)


def _models_file(job: ModelsJob) -> str:
    return tidy_imports(generate_models(job))


def _alias_fields(source: str, aliases: list[str]) -> str:
    """The generator's output where it took enum aliases for root models.

    It validates their defaults (`Annotated[Size, Field(validate_default=True)]`),
    which a `Literal` default needs no more than any other.
    """
    if aliases:
        names = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        source = re.sub(
            rf"Annotated\[((?:{names})(?: \| None)?), Field\(validate_default=True\)\]",
            r"\1",
            source,
        )
    # It also imports `RootModel` when every root model it wrote became an
    # alias, and `Dict` for typed extras it writes in our template as `dict`.
    for module, name in (("pydantic", "RootModel"), ("typing", "Dict")):
        if not re.search(rf"\b{name}\[", source):
            source = _unimported(source, module, name)
    return source


def _unimported(source: str, module: str, name: str) -> str:
    """`source` without `name` in its `from module import ...` line."""
    return re.sub(
        rf"^(from {module} import .*)$",
        lambda m: re.sub(
            rf"^from {module} import $",
            "",
            re.sub(rf"(, )?\b{name}\b(, )?", _joined, m.group(1)),
        ),
        source,
        flags=re.MULTILINE,
    )


def _joined(match: re.Match[str]) -> str:
    """What stays of `, Name, ` when the name is taken out of an import list."""
    return ", " if match.group(1) and match.group(2) else ""


def _check_class_names(source: str, names: tuple[str, ...]) -> None:
    """Every model is a class (or alias) of that name: the other modules import it by name."""
    found = re.findall(r"^(?:class (\w+)\b|(\w+) = )", source, re.MULTILINE)
    defined = {a or b for a, b in found}
    renamed = [name for name in names if name not in defined]
    if renamed:
        raise RuntimeError(
            "datamodel-code-generator renamed models the other modules import: "
            + ", ".join(renamed[:5])
        )


def _generate(
    document: str,
    header: str,
    rules: defaultdict[str, dict[str, Any]],
    aliases: dict[str, str],
    marked: bool,
) -> object:
    # Imported here, not at the top: `codegen check` with an unchanged tree and
    # `codegen diff` do without it (0.15 s).
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        LiteralType,
        PythonVersion,
        generate,
    )

    validated = any("cross_field_rules" in r for r in rules.values())
    imports = ["pydantic.model_validator", "typing.Self"] if validated else []
    if marked:
        imports += MARKER_IMPORTS
    return generate(
        document,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        custom_template_dir=TEMPLATES,
        custom_file_header=header,
        extra_template_data=rules,
        additional_imports=imports or None,
        aliases=aliases,
        type_mappings=PLAIN_STRING_FORMATS,
        parent_scoped_naming=True,
        use_annotated=True,
        field_constraints=True,
        use_standard_collections=True,
        use_union_operator=True,
        use_schema_description=True,
        use_field_description=True,
        use_double_quotes=True,
        disable_timestamp=True,
        enum_field_as_literal=LiteralType.All,
        strict_nullable=True,
        use_single_value_enum_as_const=True,
        allow_population_by_field_name=True,
        formatters=[],
    )
