"""Validate step: the method's request validator (``validate="params" | "body" | "all"``).

API Gateway checks a method request before it reaches the integration (AWS developer
guide, "Request validation for REST APIs in API Gateway"):

- required parameters first: every required header, query string parameter and path
  parameter must be present, else 400 ``Missing required request parameters: [a, b]``,
  the names sorted by their full key (``method.request.header.x`` before
  ``method.request.path.y`` before ``method.request.querystring.z``), as the AWS-validated
  snapshots record (``shared/API-GATEWAY.md`` section 3);
- then the body against the method's model, a JSON Schema draft 4 -- exactly the schema
  synth exports (``framework.declare.models.validation_schema``) -- else 400
  ``Invalid request body``; ``$context.error.validationErrorString`` holds the reasons.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, Final

from framework.declare.models import request_model, validation_schema
from framework.declare.routes import Route
from framework.events.media import media_type
from framework.gateway.context import GatewayResponseError, InvocationContext

# The content types a method's JSON model applies to. A model is declared for
# application/json; a request without a Content-Type is taken as application/json, which
# is API Gateway's default for choosing models and mapping templates (developer guide,
# "Method request behavior for payloads without mapping templates").
_JSON_TYPES: Final = frozenset({"", "application/json"})

# How many validator messages $context.error.validationErrorString lists.
_MAX_MESSAGES: Final = 10


class RequestValidation:
    """The validate step for one API; the compiled JSON Schema validator of each method
    is built on first use and kept."""

    def __init__(self) -> None:
        # None: the method has no body model, so there is nothing to check.
        self._validators: dict[tuple[str, str], Callable[[Any], list[str]] | None] = {}

    def __call__(self, ctx: InvocationContext) -> None:
        route = ctx.route
        if route is None or route.validate is None:
            return
        if route.validate in ("params", "all"):
            missing = missing_parameters(route, ctx)
            if missing:
                message = f"Missing required request parameters: [{', '.join(missing)}]"
                raise GatewayResponseError("BAD_REQUEST_PARAMETERS", message, message=message)
        if route.validate in ("body", "all"):
            self._check_body(route, ctx)

    def _check_body(self, route: Route, ctx: InvocationContext) -> None:
        if media_type(ctx.header("content-type")) not in _JSON_TYPES:
            return  # the model is the application/json one; other types are not checked
        if route.key not in self._validators:
            self._validators[route.key] = self._validator(route, ctx)
        check = self._validators[route.key]
        if check is None:
            return
        errors = body_errors(ctx.body, check)
        if errors:
            detail = "[" + ", ".join(errors) + "]"
            raise GatewayResponseError("BAD_REQUEST_BODY", detail)

    @staticmethod
    def _validator(route: Route, ctx: InvocationContext) -> Callable[[Any], list[str]] | None:
        model = request_model(route)
        if model is None:
            return None
        try:
            return _compile(validation_schema(model))
        except ValueError as exc:  # not a draft 4 schema
            print(
                f"[ERROR] {ctx.api.name} {route}: the model is not a valid JSON Schema "
                f"draft 4: {exc}",
                file=sys.stderr,
                flush=True,
            )
            raise GatewayResponseError("API_CONFIGURATION_ERROR", str(exc)) from None


def missing_parameters(route: Route, ctx: InvocationContext) -> list[str]:
    """The names of the required parameters the request lacks, in API Gateway's order."""
    required: list[tuple[str, str]] = [
        ("method.request.path." + name, name) for name in route.resource.params
    ]
    required += [("method.request.querystring." + name, name) for name in route.required_query]
    required += [("method.request.header." + name, name) for name in route.required_headers]
    query = (ctx.event["queryStringParameters"] if ctx.event is not None else None) or {}
    missing = []
    for key, name in sorted(required):
        kind = key.split(".")[2]
        if kind == "path":
            present = name in ctx.path_params
        elif kind == "querystring":
            present = name in query
        else:
            present = ctx.header(name) is not None  # header names are case-insensitive
        if not present:
            missing.append(name)
    return missing


def body_errors(body: bytes, check: Callable[[Any], list[str]]) -> list[str]:
    """Why ``body`` fails the model (empty: it passes).

    An empty body is validated as ``{}``, as LocalStack's AWS-validated implementation
    does: so a GET without a body fails any model with required properties, which is what
    AWS answers ("Invalid request body", ``shared/API-GATEWAY.md`` section 3).
    """
    text = body.decode("utf-8", "replace").strip() or "{}"
    try:
        instance = json.loads(text)
    except ValueError as exc:
        return [f"the body is not JSON: {exc}"]
    return check(instance)


def _compile(schema: dict[str, Any]) -> Callable[[Any], list[str]]:
    # Imported on first use: jsonschema is only needed when a method validates its body.
    from jsonschema import Draft4Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft4Validator.check_schema(schema)
    except SchemaError as exc:
        raise ValueError(exc.message) from exc
    validator = Draft4Validator(schema)

    def check(instance: Any) -> list[str]:
        errors = sorted(
            validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]
        )
        return [_describe(error) for error in errors[:_MAX_MESSAGES]]

    return check


def _describe(error: Any) -> str:
    where = "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{where.lstrip('.') or '(root)'}: {error.message}"
