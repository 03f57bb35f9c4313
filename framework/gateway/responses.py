"""Gateway responses: the errors API Gateway itself returns, rendered in one place.

Every step's error comes here. The API's own gateway response for the type applies first,
then its DEFAULT_4XX / DEFAULT_5XX, then API Gateway's built-in response (AWS developer
guide, "Gateway responses for REST APIs"). Built-in bodies are byte-for-byte what REST
APIs send (``shared/API-GATEWAY.md`` section 3): some are compact JSON, some are not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from framework.declare.usage import GatewayResponse as Override
from framework.events.proxy import HttpResponse
from framework.gateway.context import GatewayResponseError, InvocationContext


@dataclass(frozen=True, slots=True)
class GatewayResponse:
    status: int
    body: str
    error_type: str | None
    # The response type an API may override; None: only DEFAULT_4XX/5XX apply.
    response_type: str | None
    message: str | None
    key: str = "message"


def _builtin(
    status: int,
    message: str | None,
    error_type: str | None,
    response_type: str | None,
    *,
    body: str | None = None,
    key: str = "message",
) -> GatewayResponse:
    text = body if body is not None else json.dumps({key: message}, separators=(",", ":"))
    return GatewayResponse(status, text, error_type, response_type, message, key)


# AWS developer guide, "Gateway response types for API Gateway", for the status codes.
DEFAULTS: dict[str, GatewayResponse] = {
    "MISSING_AUTHENTICATION_TOKEN": _builtin(
        403,
        "Missing Authentication Token",
        "MissingAuthenticationTokenException",
        "MISSING_AUTHENTICATION_TOKEN",
    ),
    # The Lambda function raised, timed out, or returned a malformed proxy response.
    "LAMBDA_ERROR": _builtin(
        502,
        "Internal server error",
        "InternalServerErrorException",
        None,
        body='{"message": "Internal server error"}',
    ),
    # x-amzn-ErrorType of a timeout is unverified (LocalStack's implementation).
    "INTEGRATION_TIMEOUT": _builtin(
        504,
        "Endpoint request timed out",
        "InternalServerErrorException",
        "INTEGRATION_TIMEOUT",
        body='{"message": "Endpoint request timed out"}',
    ),
    # Wording unverified; this response cannot be customised.
    "REQUEST_TOO_LARGE": _builtin(413, "Request Too Long", None, None),
    "UNAUTHORIZED": _builtin(401, "Unauthorized", "UnauthorizedException", "UNAUTHORIZED"),
    # Authorizer policies: an explicit Deny, and no Allow for the method ARN (the casing of
    # "Message" in the second is unverified; the first is AWS-validated).
    "ACCESS_DENIED": _builtin(
        403,
        "User is not authorized to access this resource with an explicit deny",
        "AccessDeniedException",
        "ACCESS_DENIED",
        key="Message",
    ),
    "ACCESS_DENIED_IMPLICIT": _builtin(
        403,
        "User is not authorized to access this resource",
        "AccessDeniedException",
        "ACCESS_DENIED",
        key="Message",
    ),
    # The authorizer raised (other than "Unauthorized"), timed out, or returned a malformed
    # policy or context.
    "AUTHORIZER_CONFIGURATION_ERROR": _builtin(
        500,
        None,
        "AuthorizerConfigurationException",
        "AUTHORIZER_CONFIGURATION_ERROR",
        body='{"message": null}',
    ),
    "INVALID_SIGNATURE": _builtin(
        403, "Invalid signature", "InvalidSignatureException", "INVALID_SIGNATURE"
    ),
    "INVALID_API_KEY": _builtin(403, "Forbidden", "ForbiddenException", "INVALID_API_KEY"),
    "THROTTLED": _builtin(429, "Too Many Requests", "TooManyRequestsException", "THROTTLED"),
    "QUOTA_EXCEEDED": _builtin(429, "Limit Exceeded", "LimitExceededException", "QUOTA_EXCEEDED"),
    "BAD_REQUEST_PARAMETERS": _builtin(
        400,
        "Bad request parameters",
        "BadRequestException",
        "BAD_REQUEST_PARAMETERS",
    ),
    "BAD_REQUEST_BODY": _builtin(
        400,
        "Invalid request body",
        "BadRequestException",
        "BAD_REQUEST_BODY",
        body='{"message": "Invalid request body"}',
    ),
    "UNSUPPORTED_MEDIA_TYPE": _builtin(
        415, "Unsupported Media Type", "UnsupportedMediaTypeException", "UNSUPPORTED_MEDIA_TYPE"
    ),
    "INTEGRATION_FAILURE": _builtin(
        504,
        "Internal server error",
        "InternalServerErrorException",
        "INTEGRATION_FAILURE",
        body='{"message": "Internal server error"}',
    ),
    # An HTTP or AWS integration's endpoint refused or dropped the connection: captured on
    # AWS as 504 with this body (liangruibupt/aws-is-how, devops/apigw/
    # 2PrivateAPI-Testing.md); the response type API Gateway files it under is
    # INTEGRATION_FAILURE (developer guide, "Gateway response types").
    "INTEGRATION_NETWORK_ERROR": _builtin(
        504,
        "Network error communicating with endpoint",
        "InternalServerErrorException",
        "INTEGRATION_FAILURE",
        body='{"message": "Network error communicating with endpoint"}',
    ),
    "API_CONFIGURATION_ERROR": _builtin(
        500,
        "Internal server error",
        "InternalServerErrorException",
        "API_CONFIGURATION_ERROR",
        body='{"message": "Internal server error"}',
    ),
}


def json_message(message: str, key: str = "message") -> str:
    """``{"message":"..."}``, compact, as API Gateway writes its own errors."""
    return json.dumps({key: message}, separators=(",", ":"))


def _override(spec: GatewayResponse, overrides: dict[str, Override]) -> Override | None:
    """The API's response for this error: its own type's (which already holds what it
    inherits from its default), else DEFAULT_4XX/5XX. REQUEST_TOO_LARGE never changes."""
    if spec.status == 413:
        return None
    own = overrides.get(spec.response_type) if spec.response_type else None
    return own or overrides.get("DEFAULT_4XX" if spec.status < 500 else "DEFAULT_5XX")


def render(
    error: GatewayResponseError,
    ctx: InvocationContext,
    overrides: dict[str, Override] | None = None,
) -> HttpResponse:
    """The client's response for a gateway error."""
    spec = DEFAULTS[error.type]
    message = error.message if error.message is not None else spec.message
    body = spec.body if error.message is None else json_message(error.message, spec.key)
    status = spec.status
    extra: list[tuple[str, str]] = []
    override = _override(spec, overrides or {})
    if override is not None:
        status = override.status_code or status
        for name, value in override.headers.items():
            resolved = _header_value(value, ctx) if Override.is_mapping(value) else value
            if resolved is not None:
                extra.append((name, resolved))
        template = override.templates.get("application/json")
        if template is not None:
            body = _render_template(template, ctx, spec, message, error)
    headers = [("Content-Type", "application/json")]
    error_type = error.error_type or spec.error_type
    if error_type:
        headers.append(("x-amzn-ErrorType", error_type))
    headers.append(("x-amzn-RequestId", ctx.request_id))
    headers.append(("x-amz-apigw-id", ctx.extended_request_id))
    headers.extend(extra)
    return HttpResponse(status, headers, body.encode())


def _header_value(expression: str, ctx: InvocationContext) -> str | None:
    kind, _, name = expression.partition(".")
    if kind == "method":
        source, _, name = name.removeprefix("request.").partition(".")
        if source == "header":
            return ctx.header(name)
        if source == "path":
            return ctx.path_params.get(name)
        query = dict(ctx.event["queryStringParameters"] or {}) if ctx.event else {}
        return query.get(name)
    if kind == "stageVariables":
        return ctx.stage.variables.get(name)
    value: Any = context_variables(ctx)
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return None if value is None else str(value)


def context_variables(ctx: InvocationContext) -> dict[str, Any]:
    """``$context`` for templates: the request context plus request-level values."""
    base: dict[str, Any] = dict(ctx.event["requestContext"]) if ctx.event is not None else {}
    base.setdefault("requestId", ctx.request_id)
    base.setdefault("extendedRequestId", ctx.extended_request_id)
    base.setdefault("stage", ctx.stage.name)
    base.setdefault("httpMethod", ctx.method)
    base.setdefault("resourcePath", ctx.resource)
    base.setdefault("identity", {"sourceIp": ctx.source_ip})
    base.setdefault("apiId", "")
    return base


def _render_template(
    template: str,
    ctx: InvocationContext,
    spec: GatewayResponse,
    message: str | None,
    error: GatewayResponseError,
) -> str:
    # Imported on first use: the template engine is only needed when an API customises
    # a gateway response body.
    from framework.gateway import vtl

    context = context_variables(ctx)
    context["error"] = vtl.gateway_error_context(
        message,
        spec.response_type or ("DEFAULT_4XX" if spec.status < 500 else "DEFAULT_5XX"),
        error.detail if error.type.startswith("BAD_REQUEST") else None,
    )
    query = ctx.event["queryStringParameters"] if ctx.event is not None else None
    params = {
        "path": dict(ctx.path_params),
        "querystring": dict(query or {}),
        "header": dict(ctx.headers),
    }
    result = vtl.render(
        template,
        input=vtl.TemplateInput(body=ctx.body, params=params),
        context=context,
        stage_variables=ctx.stage.variables,
    )
    return result.body
