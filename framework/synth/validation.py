"""Request validation in the OpenAPI document: the request validators, the method request
parameters they check, and JSON schema dict body models.

* ``x-amazon-apigateway-request-validators`` lists the validators the methods use, and
  each such method names its own with ``x-amazon-apigateway-request-validator`` (AWS
  developer guide, "x-amazon-apigateway-request-validators object" and
  "x-amazon-apigateway-request-validator property"). They are named as declared:
  ``body``, ``params``, ``all``.
* Every OpenAPI parameter becomes a method request parameter on import, ``required:
  true`` making it ``method.request.querystring.<name>: true`` (or ``header``), which a
  validator with ``validateRequestParameters`` then enforces (AWS developer guide, "Set up
  basic request validation in API Gateway", the OpenAPI definition). A parameter mapped
  into an integration request must exist as a method request parameter as well, so those
  are declared too, not required.
* A JSON schema dict given as ``model=`` becomes a ``components/schemas`` entry, that is
  an API Gateway model. API Gateway validates with JSON Schema draft 4 and imports OpenAPI
  3.0 Schema Objects, and the local gateway validates with the dict exactly as given, so a
  dict is written unchanged and refused when it holds what those cannot express.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from framework.declare.api import RestApi
from framework.declare.integrations import AwsIntegration, HttpIntegration
from framework.declare.models import REF_PREFIX, SCHEMA_KEYWORDS
from framework.declare.routes import Route
from framework.synth.names import camel, unique
from framework.synth.sources import SynthError

VALIDATORS = "x-amazon-apigateway-request-validators"
VALIDATOR = "x-amazon-apigateway-request-validator"
# validator name -> (validateRequestBody, validateRequestParameters)
_RULES = {"body": (True, False), "params": (False, True), "all": (True, True)}
_SOURCES = {
    "method.request.querystring.": "query",
    "method.request.multivaluequerystring.": "query",
    "method.request.header.": "header",
    "method.request.multivalueheader.": "header",
}
# The keywords of an OpenAPI 3.0 Schema Object, but $ref (refused in a dict model).
_KEYWORDS = SCHEMA_KEYWORDS - {"$ref"}
_TYPES = frozenset({"array", "boolean", "integer", "number", "object", "string"})
_DRAFT4 = ("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-04/schema")
# What a newer schema spells differently, and how to write it for draft 4 / OpenAPI 3.0.
_HINTS = {
    "$defs": "a model is one self-contained schema: inline the definitions, or use a "
    "pydantic model (its nested models become models of their own)",
    "definitions": "a model is one self-contained schema: inline the definitions, or use a "
    "pydantic model (its nested models become models of their own)",
    "$ref": "a model is one self-contained schema: inline the referenced schema, or use a "
    "pydantic model",
    "const": "write enum: [value]",
    "examples": "write example: value",
    "prefixItems": "OpenAPI 3.0 has no positional items: write items: {anyOf: [...]}",
    "$schema": "API Gateway models are JSON Schema draft 4: leave $schema out, or give "
    "http://json-schema.org/draft-04/schema# at the top",
}


# -- validators and parameters -----------------------------------------------------------


def request_validators(api: RestApi) -> dict[str, Any]:
    """The validators the methods of ``api`` use, by name; ``{}`` for none."""
    used = {route.validate for route in api.routes}
    return {
        name: {"validateRequestBody": body, "validateRequestParameters": params}
        for name, (body, params) in _RULES.items()
        if name in used
    }


def method_validator(route: Route) -> dict[str, str]:
    """``{"x-amazon-apigateway-request-validator": name}``, or ``{}`` for none."""
    return {VALIDATOR: route.validate} if route.validate else {}


def request_parameters(route: Route) -> list[dict[str, Any]]:
    """The method's query string and header parameters (path parameters come from the
    resource): the required ones as declared, then the ones its integration maps."""
    result: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, where: str, required: bool) -> None:
        # Header names are case-insensitive, query string names are not.
        key = (where, name.lower() if where == "header" else name)
        if key in seen:
            return
        seen.add(key)
        parameter: dict[str, Any] = {"name": name, "in": where}
        if required:
            parameter["required"] = True
        parameter["schema"] = {"type": "string"}
        result.append(parameter)

    for name in route.required_query:
        add(name, "query", True)
    for name in route.required_headers:
        add(name, "header", True)
    for source in _mapped_sources(route):
        for prefix, where in _SOURCES.items():
            if source.startswith(prefix):
                add(source[len(prefix) :], where, False)
    return result


def _mapped_sources(route: Route) -> list[str]:
    integration = route.integration
    if isinstance(integration, HttpIntegration | AwsIntegration):
        return sorted(integration.request_parameters.values())
    return []


# -- JSON schema dict models -------------------------------------------------------------


def dict_model_schemas(
    entries: Sequence[tuple[Route, str, Mapping[str, Any]]], taken: set[str]
) -> tuple[dict[tuple[str, str], dict[str, str]], dict[str, Any]]:
    """``(route key -> {"$ref": ...}, components.schemas)`` for the routes whose
    ``model=`` is a JSON schema dict. ``entries`` holds (route, operation id, schema);
    each schema is named after the first operation using it (``create_order`` ->
    ``CreateOrderBody``), avoiding the names in ``taken``; equal schemas share a name."""
    refs: dict[tuple[str, str], dict[str, str]] = {}
    schemas: dict[str, Any] = {}
    by_text: dict[str, str] = {}
    for route, operation_id, model in entries:
        schema = draft4_schema(model, f"{route}: model")
        text = json.dumps(schema, sort_keys=True)
        name = by_text.get(text)
        if name is None:
            name = by_text[text] = unique(f"{camel(operation_id)}Body", taken)
            schemas[name] = schema
        refs[route.key] = {"$ref": REF_PREFIX + name}
    return refs, schemas


def draft4_schema(schema: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``schema`` as written into ``components/schemas``: the same, as plain dicts and
    lists, without a top-level draft 4 ``$schema``. Raises :class:`SynthError` naming
    ``where`` and the place in the schema for anything API Gateway's model could not
    express."""
    plain: dict[str, Any] = json.loads(json.dumps(schema))
    if plain.get("$schema") in _DRAFT4:
        del plain["$schema"]
    _check(plain, where, "#")
    return plain


def _check(node: Any, where: str, pointer: str) -> None:
    if not isinstance(node, dict):
        raise SynthError(f"{where}: {pointer} must be a schema (a JSON object), got {node!r}")
    for key, value in node.items():
        here = f"{pointer}/{key}"
        if key.startswith("x-"):
            continue  # an OpenAPI extension: allowed anywhere
        if key not in _KEYWORDS:
            hint = _HINTS.get(key, "it is not a keyword of an OpenAPI 3.0 schema object")
            raise SynthError(
                f"{where}: {here} cannot be written into an API Gateway model (JSON Schema "
                f"draft 4, imported from OpenAPI 3.0): {hint}"
            )
        if key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            raise SynthError(
                f"{where}: {here} is a number (JSON Schema draft 6+); draft 4 writes "
                f"{bound}: {value!r}, {key}: true"
            )
        if key == "type" and not (isinstance(value, str) and value in _TYPES):
            raise SynthError(
                f"{where}: {here} must be one of {', '.join(sorted(_TYPES))} in draft 4 / "
                f"OpenAPI 3.0, got {value!r}; write nullable: true, or anyOf, instead"
            )
        if key == "properties":
            if not isinstance(value, dict):
                raise SynthError(f"{where}: {here} must map property names to schemas")
            for name, sub in value.items():
                _check(sub, where, f"{here}/{name}")
        elif key in ("allOf", "anyOf", "oneOf"):
            if not isinstance(value, list) or not value:
                raise SynthError(f"{where}: {here} must be a non-empty list of schemas")
            for index, sub in enumerate(value):
                _check(sub, where, f"{here}/{index}")
        elif key == "items":
            if isinstance(value, list):
                raise SynthError(
                    f"{where}: {here} is a list (positional items), which OpenAPI 3.0 cannot "
                    "carry: write items: {anyOf: [...]}"
                )
            _check(value, where, here)
        elif key == "not" or (key == "additionalProperties" and not isinstance(value, bool)):
            _check(value, where, here)
