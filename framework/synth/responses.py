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

``api.gateway_responses()`` has already given each customised type what it leaves unset
from its DEFAULT_4XX or DEFAULT_5XX.
"""

from __future__ import annotations

from typing import Any

from framework.declare.api import RestApi
from framework.declare.usage import GatewayResponse

GATEWAY_RESPONSES = "x-amazon-apigateway-gateway-responses"
HEADER_PREFIX = "gatewayresponse.header."


def gateway_responses(api: RestApi) -> dict[str, Any]:
    """The API's gateway responses, by response type; ``{}`` when it declares none (and
    has no CORS headers to add). A declaration that changes nothing is left out: API
    Gateway's default response is what it would give anyway."""
    declared = api.gateway_responses()
    result: dict[str, Any] = {}
    for response_type, response in sorted(declared.items()):
        written = _response(api, response)
        if written:
            result[response_type] = written
    return result


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
    ``'static value'``; declare refuses a value holding a quote)."""
    return value if GatewayResponse.is_mapping(value) else f"'{value}'"
