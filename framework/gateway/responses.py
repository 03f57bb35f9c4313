"""Gateway responses: the errors API Gateway itself returns, rendered in one place.

Bodies are byte-for-byte what REST APIs send (``shared/API-GATEWAY.md`` section 3): note
that some are compact JSON and some have a space after the colon.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from framework.events.proxy import HttpResponse
from framework.gateway.context import GatewayResponseError, InvocationContext


@dataclass(frozen=True, slots=True)
class GatewayResponse:
    status: int
    body: str
    error_type: str | None


# AWS developer guide, "Gateway response types for API Gateway", for the status codes.
DEFAULTS: dict[str, GatewayResponse] = {
    "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(
        403, '{"message":"Missing Authentication Token"}', "MissingAuthenticationTokenException"
    ),
    # The Lambda function raised, timed out, or returned a malformed proxy response.
    "LAMBDA_ERROR": GatewayResponse(
        502, '{"message": "Internal server error"}', "InternalServerErrorException"
    ),
    # x-amzn-ErrorType of a timeout is unverified (LocalStack's implementation).
    "INTEGRATION_TIMEOUT": GatewayResponse(
        504, '{"message": "Endpoint request timed out"}', "InternalServerErrorException"
    ),
    # Wording unverified; this response type cannot be customised.
    "REQUEST_TOO_LARGE": GatewayResponse(413, '{"message":"Request Too Long"}', None),
    "UNAUTHORIZED": GatewayResponse(401, '{"message":"Unauthorized"}', "UnauthorizedException"),
    # Authorizer policies: an explicit Deny, and no Allow for the method ARN (the casing of
    # "Message" in the second is unverified; the first is AWS-validated).
    "ACCESS_DENIED": GatewayResponse(
        403,
        '{"Message":"User is not authorized to access this resource with an explicit deny"}',
        "AccessDeniedException",
    ),
    "ACCESS_DENIED_IMPLICIT": GatewayResponse(
        403, '{"Message":"User is not authorized to access this resource"}', "AccessDeniedException"
    ),
    # The authorizer raised (other than "Unauthorized"), timed out, or returned a malformed
    # policy or context.
    "AUTHORIZER_CONFIGURATION_ERROR": GatewayResponse(
        500, '{"message": null}', "AuthorizerConfigurationException"
    ),
    "INVALID_SIGNATURE": GatewayResponse(
        403, '{"message":"Invalid signature"}', "InvalidSignatureException"
    ),
}


def json_message(message: str, key: str = "message") -> str:
    """``{"message":"..."}``, compact, as API Gateway writes its own errors."""
    return json.dumps({key: message}, separators=(",", ":"))


def render(error: GatewayResponseError, ctx: InvocationContext) -> HttpResponse:
    """The client's response for a gateway error."""
    spec = DEFAULTS[error.type]
    headers = [("Content-Type", "application/json")]
    error_type = error.error_type or spec.error_type
    if error_type:
        headers.append(("x-amzn-ErrorType", error_type))
    headers.append(("x-amzn-RequestId", ctx.request_id))
    headers.append(("x-amz-apigw-id", ctx.extended_request_id))
    body = error.body if error.body is not None else spec.body
    return HttpResponse(spec.status, headers, body.encode())
