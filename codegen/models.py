"""Pydantic v2 models from the IR, through datamodel-code-generator's Python API.

The generator gets one OpenAPI document holding only the IR's models (component
schemas with their cross-field rules taken out, plus the derived event models),
our own templates (templates/models/) and, per model, the rules rendered as
validator checks. Enums are `Literal` type aliases (`Model.literal`), written by
our RootModel template; open ones carry the `OpenInAnswers` marker
(codegen/open_values.py) that models.py defines once.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .enum_aliases import LiteralAlias, literal_values
from .ir import Api, Model
from .model_document import generator_schemas
from .naming import snake_case
from .open_values import IMPORTS as MARKER_IMPORTS
from .open_values import MARKER, with_marker
from .render import docline
from .schema_clean import COMPONENT_REF
from .schema_rules import Conditional, Constraint, RequiredAlternatives, Rule
from .sound_models import accepts
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
    """Python field names by `Model.wire_name`."""
    marked: bool
    """Whether an open enum needs the `OpenInAnswers` marker."""
    names: tuple[str, ...]
    """Every model's class name: the other modules import them."""
    literal_names: tuple[str, ...]
    """The models written as `Literal` aliases."""


def models_source(api: Api) -> str:
    """The source of `models.py` (not yet formatted)."""
    return generate_models(models_job(api))


def models_job(api: Api) -> ModelsJob:
    """What `generate_models` needs to write the API's models."""
    header = HEADER.format(title=docline(api.title or "API"))
    document = {
        "openapi": api.openapi,
        "info": {"title": api.title, "version": api.version},
        "paths": {},
        "components": {
            "schemas": generator_schemas({m.name: m.schema for m in api.models})
        },
    }
    rules: defaultdict[str, dict[str, Any]] = defaultdict(dict)
    for model in api.models:
        if model.rules:
            rules[model.name]["cross_field_rules"] = [
                _validator(model, r) for r in model.rules
            ]
    schemas = {m.name: m.schema for m in api.models}
    for model in api.models:
        defaults = _root_defaults(model, schemas)
        if defaults:
            rules[model.name]["root_defaults"] = defaults
        if model.literal:
            rules[model.name]["literal_alias"] = _alias(model.literal)
    return ModelsJob(
        document=json.dumps(document),
        header=header,
        rules=rules,
        aliases={
            f"{model.name}.{wire}": python
            for model in api.models
            for wire, python in model.field_names.items()
        },
        marked=any(m.literal and m.literal.open for m in api.models),
        names=tuple(m.name for m in api.models),
        literal_names=tuple(m.name for m in api.models if m.literal),
    )


def generate_models(job: ModelsJob) -> str:
    """The source of `models.py` (not yet formatted), written by datamodel-code-generator."""
    if not job.names:
        # The model generator refuses a document without schemas.
        return job.header + "\n\nfrom __future__ import annotations\n"
    with warnings.catch_warnings():
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


def _alias(alias: LiteralAlias) -> str:
    """The right-hand side of an enum's alias: `Annotated[Literal[...], OpenInAnswers]`."""
    values = "Literal[" + ", ".join(repr(v) for v in alias.values) + "]"
    return f"Annotated[{values}, {MARKER}]" if alias.open else values


def _is_root_model(schema: dict[str, Any]) -> bool:
    """Whether the model generator writes this schema as a `RootModel`."""
    return not (
        {"enum", "properties", "allOf"} & schema.keys()
        or schema.get("type") == "object"
    )


def _root_defaults(model: Model, schemas: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Python defaults of the fields typed by a `RootModel`: `Voice("alloy")`.

    The generator writes the bare value (`= "alloy"`; for a bare `$ref`, the
    referenced schema's default), which pydantic validates into the model but
    mypy rightly rejects.
    """
    found = {}
    for wire, prop in model.schema.get("properties", {}).items():
        if not isinstance(prop, dict):
            continue
        refs = [
            str(s["$ref"]).removeprefix(COMPONENT_REF)
            for s in [prop, *prop.get("anyOf", []), *prop.get("oneOf", [])]
            if isinstance(s, dict) and "$ref" in s
        ]
        if len(refs) != 1 or not _is_root_model(schemas.get(refs[0], {"enum": 0})):
            continue
        default = prop.get("default")
        if "default" not in prop and "$ref" in prop:
            default = schemas[refs[0]].get("default")
        expression = _is_scalar(default) and _construct(refs[0], default, schemas)
        if expression:
            found[model.python_name(wire)] = expression
    return found


def _construct(name: str, value: Any, schemas: dict[str, dict[str, Any]]) -> str | None:
    """`value` as an instance of the non-object model `name`, or None if it is not one."""
    schema = schemas.get(name)
    if schema is None or not _is_root_model(schema) and "enum" not in schema:
        return None
    if literal_values(schema):
        # An alias, not a class: the value itself.
        return repr(value) if accepts(schema, value, schemas) else None
    if (
        "enum" in schema
        or "$ref" not in schema
        and not ({"anyOf", "oneOf"} & schema.keys())
    ):
        return f"{name}({value!r})" if accepts(schema, value, schemas) else None
    for branch in [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]:
        if not isinstance(branch, dict) or branch is schema and "$ref" not in schema:
            continue
        if not accepts(branch, value, schemas):
            continue
        if "$ref" in branch:
            inner = _construct(
                str(branch["$ref"]).removeprefix(COMPONENT_REF), value, schemas
            )
            return f"{name}({inner})" if inner else None
        return f"{name}({value!r})"
    return None


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


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


def _validator(model: Model, rule: Rule) -> dict[str, Any]:
    """Template data for one `@model_validator`: its name, docstring and checks."""
    if isinstance(rule, RequiredAlternatives):
        return _alternatives(model, rule)
    return _conditional(model, rule)


def _alternatives(model: Model, rule: RequiredAlternatives) -> dict[str, Any]:
    def present(fields: tuple[str, ...]) -> str:
        return " and ".join(f"self.{model.python_name(f)} is not None" for f in fields)

    options = " or ".join(" + ".join(f"`{f}`" for f in fields) for fields in rule.sets)
    method = "_require_" + "_or_".join(
        "_".join(model.python_name(f) for f in fields) for fields in rule.sets
    )
    if rule.exactly:
        count = " + ".join(f"({present(fields)})" for fields in rule.sets)
        check = {
            "condition": f"{count} != 1",
            "message": _literal(f"exactly one of {options} is required"),
        }
        doc = f"Exactly one of {options} is present."
    else:
        none = " and ".join(
            (
                f"not ({present(fields)})"
                if len(fields) > 1
                else present(fields).replace(" is not None", " is None")
            )
            for fields in rule.sets
        )
        check = {
            "condition": none,
            "message": _literal(f"one of {options} is required"),
        }
        doc = f"At least one of {options} is present."
    return {"method": method, "doc": doc, "checks": [check]}


def _conditional(model: Model, rule: Conditional) -> dict[str, Any]:
    when = " and ".join(_equals(model, name, value) for name, value in rule.when)
    said = " and ".join(f"`{name}` is {json.dumps(value)}" for name, value in rule.when)
    checks = _constraint_checks(model, rule.then, when, f"when {said}")
    if rule.otherwise:
        unless = f"not ({when})" if len(rule.when) > 1 else _negate(when)
        checks += _constraint_checks(model, rule.otherwise, unless, f"unless {said}")
    method = "_check_when_" + "_and_".join(
        f"{model.python_name(n)}_is_{snake_case(str(v))}" for n, v in rule.when
    )
    doc = rule.description or " ".join(
        json.loads(c["message"]).capitalize() + "." for c in checks
    )
    return {"method": method, "doc": doc, "checks": checks}


def _constraint_checks(
    model: Model, constraint: Constraint, condition: str, said: str
) -> list[dict[str, str]]:
    checks = []
    for name in constraint.required:
        attribute = model.python_name(name)
        checks.append(
            {
                "condition": f"{condition} and self.{attribute} is None",
                "message": _literal(f"`{name}` is required {said}"),
            }
        )
    for allowed in constraint.allowed:
        attribute = model.python_name(allowed.name)
        values = ", ".join(repr(v) for v in allowed.values)
        choices = " or ".join(json.dumps(v) for v in allowed.values)
        checks.append(
            {
                # Only a value the caller gave counts: JSON Schema does not apply defaults.
                "condition": (
                    f'{condition} and "{attribute}" in self.model_fields_set'
                    f" and self.{attribute} not in ({values},)"
                ),
                "message": _literal(f"`{allowed.name}` must be {choices} {said}"),
            }
        )
    return checks


def _equals(model: Model, name: str, value: Any) -> str:
    attribute = model.python_name(name)
    if value is None or isinstance(value, bool):
        return f"self.{attribute} is {value!r}"
    return f"self.{attribute} == {value!r}"


def _negate(comparison: str) -> str:
    if " is " in comparison:
        return comparison.replace(" is ", " is not ", 1)
    return comparison.replace(" == ", " != ", 1)


def _literal(text: str) -> str:
    return json.dumps(text)
