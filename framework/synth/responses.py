"""Gateway responses in the OpenAPI document: ``x-amazon-apigateway-gateway-responses``.

API Gateway answers some requests itself (403 Missing Authentication Token, 429 Too Many
Requests, 504...), without the Lambda function. ``api.gateway_responses()`` is what the
API declares for them (``api.gateway_response(...)``), with the CORS headers of
DEFAULT_4XX and DEFAULT_5XX already added; the local gateway renders the very same
declarations, so what ``serve`` answers is what API Gateway will.

The shape follows the AWS developer guide, "x-amazon-apigateway-gateway-responses.
gatewayResponse object": ``statusCode`` a string, ``responseParameters`` mapping
``gatewayresponse.header.<name>`` to a mapping expression or a static value,
``responseTemplates`` the body templates per content type.

A response type the API customises is written with what it leaves unset taken from its
DEFAULT_4XX or DEFAULT_5XX, as the local gateway renders it: API Gateway applies a
DEFAULT_xXX only to the types that are *not* customised, so without this a customised
THROTTLED would lose, for instance, the CORS header the browser needs to read the 429.
"""

from __future__ import annotations

from typing import Any

from framework.declare.api import RestApi
from framework.declare.usage import GatewayResponse
from framework.synth.sources import SynthError

GATEWAY_RESPONSES = "x-amazon-apigateway-gateway-responses"
HEADER_PREFIX = "gatewayresponse.header."
# The types whose status is 5XX (AWS developer guide, "Gateway response types for API
# Gateway"); every other type but the two defaults is a 4XX.
_5XX_TYPES = frozenset(
    {
        "API_CONFIGURATION_ERROR",
        "AUTHORIZER_CONFIGURATION_ERROR",
        "AUTHORIZER_FAILURE",
        "INTEGRATION_FAILURE",
        "INTEGRATION_TIMEOUT",
    }
)


def gateway_responses(api: RestApi) -> dict[str, Any]:
    """The API's gateway responses, by response type; ``{}`` when it declares none (and
    has no CORS headers to add). A declaration that changes nothing is left out: API
    Gateway's default response is what it would give anyway."""
    declared = api.gateway_responses()
    result: dict[str, Any] = {}
    for response_type, response in sorted(declared.items()):
        written = _response(api, _inherit(response, declared))
        if written:
            result[response_type] = written
    return result


def _inherit(response: GatewayResponse, declared: dict[str, GatewayResponse]) -> GatewayResponse:
    if response.type in ("DEFAULT_4XX", "DEFAULT_5XX"):
        return response
    default = declared.get("DEFAULT_5XX" if response.type in _5XX_TYPES else "DEFAULT_4XX")
    if default is None:
        return response
    return GatewayResponse(
        response.type,
        response.status_code if response.status_code is not None else default.status_code,
        {**default.headers, **response.headers},
        response.templates or default.templates,
    )


def _response(api: RestApi, response: GatewayResponse) -> dict[str, Any]:
    written: dict[str, Any] = {}
    if response.status_code is not None:
        written["statusCode"] = str(response.status_code)
    if response.headers:
        written["responseParameters"] = {
            f"{HEADER_PREFIX}{name}": _header_value(api, response, name, value)
            for name, value in response.headers.items()
        }
    if response.templates:
        written["responseTemplates"] = dict(response.templates)
    return written


def _header_value(api: RestApi, response: GatewayResponse, name: str, value: str) -> str:
    """A mapping expression as it is (``method.request.header.Origin``); a static value
    as a single-quoted literal (AWS developer guide, "Parameter mapping for REST APIs":
    ``'static value'``), which has no way to hold a single quote itself."""
    if GatewayResponse.is_mapping(value):
        return value
    if "'" in value:
        raise SynthError(
            f"RestApi {api.name}: gateway response {response.type}: header {name}: the "
            f"static value {value!r} contains a single quote, which API Gateway cannot "
            "write in a static header value ('...')"
        )
    return f"'{value}'"
