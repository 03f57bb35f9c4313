"""Gateway responses: the errors API Gateway itself returns, rendered in one place.

Bodies are byte-for-byte what REST APIs send (``shared/API-GATEWAY.md`` section 3): note
that some are compact JSON and some have a space after the colon.
"""

from __future__ import annotations

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
}


def render(error: GatewayResponseError, ctx: InvocationContext) -> HttpResponse:
    """The client's response for a gateway error."""
    spec = DEFAULTS[error.type]
    headers = [("Content-Type", "application/json")]
    if spec.error_type:
        headers.append(("x-amzn-ErrorType", spec.error_type))
    headers.append(("x-amzn-RequestId", ctx.request_id))
    headers.append(("x-amz-apigw-id", ctx.extended_request_id))
    return HttpResponse(spec.status, headers, spec.body.encode())
