"""The models' part of the IR as datamodel-code-generator's input (a `ModelsJob`).

The generator gets one OpenAPI document holding only the IR's models (component
schemas with their cross-field rules taken out, plus the derived event models)
and, per model, template data: the rules rendered as validator checks, Python
defaults of fields typed by root models, and `Literal` aliases for enums
(`Model.literal`; open ones carry the `OpenInAnswers` marker of
codegen/open_values.py). codegen/model_generator.py runs the generator.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from .enum_aliases import LiteralAlias, literal_values
from .ir import Api, Model
from .model_document import generator_schemas
from .model_generator import HEADER, ModelsJob, generate_models
from .naming import snake_case
from .open_values import MARKER
from .render import docline
from .schema_clean import COMPONENT_REF
from .schema_rules import Conditional, Constraint, RequiredAlternatives, Rule
from .sound_models import accepts


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
