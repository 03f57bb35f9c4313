"""CORS in the OpenAPI document: the preflight ``OPTIONS`` mock methods.

A Lambda proxy integration's responses carry only the headers the function sets (the
runtime adds the CORS ones), so two things are left to API Gateway itself (AWS developer
guide, "Enabling CORS for a REST API resource"):

* the preflight, a MOCK integration answering ``OPTIONS`` with the Access-Control headers
  (this module);
* the gateway responses (403 Missing Authentication Token, 429, 504...), which never reach
  the function: ``api.gateway_responses()`` gives ``DEFAULT_4XX`` and ``DEFAULT_5XX``
  Access-Control-Allow-Origin, and ``synth.responses`` writes them.
"""

from __future__ import annotations

from typing import Any

from framework.declare.api import Preflight
from framework.declare.cors import Cors

ALLOW_ORIGIN = "Access-Control-Allow-Origin"
JSON = "application/json"


def _quoted(value: str) -> str:
    # A static value in responseParameters is a single-quoted string literal (AWS developer
    # guide, "Parameter mapping for REST APIs": "'static value'").
    return "'" + value.replace("'", "") + "'"


def _several_origins(cors: Cors) -> bool:
    return len(cors.allow_origins) > 1 and "*" not in cors.allow_origins


def preflight_headers(preflight: Preflight) -> dict[str, str]:
    """The static headers of the preflight's 200 response.

    With several allowed origins Access-Control-Allow-Origin depends on the request, so it
    is left out here and set by the response template (:func:`origin_template`)."""
    cors = preflight.cors
    if _several_origins(cors):
        headers = cors.preflight_headers(preflight.methods, cors.allow_origins[0])
        headers.pop(ALLOW_ORIGIN, None)
        return headers
    return cors.preflight_headers(preflight.methods, None)


def origin_template(cors: Cors) -> str:
    """VTL for the mock integration response: echo the request's Origin when allowed.

    ``$context.responseOverride.header.<name>`` overrides a response header from a mapping
    template (AWS developer guide, "Override your API's request and response parameters
    and status codes"). Header names reach ``$input.params()`` as the client sent them,
    hence both spellings."""
    allowed = " || ".join(f'$origin == "{origin}"' for origin in cors.allow_origins)
    return (
        "#set($origin = $input.params().header.get('Origin'))\n"
        '#if("$!origin" == "")#set($origin = $input.params().header.get(\'origin\'))#end\n'
        f"#if({allowed})\n"
        f"#set($context.responseOverride.header.{ALLOW_ORIGIN} = $origin)\n"
        "#end\n"
    )


def preflight_operation(preflight: Preflight, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``options`` operation: method response headers and a MOCK integration that
    answers 200 with them (the console's "Enable CORS" sets up the same)."""
    static = preflight_headers(preflight)
    names = sorted(static)
    if _several_origins(preflight.cors):
        names = sorted({*names, ALLOW_ORIGIN})
    integration_response: dict[str, Any] = {
        "statusCode": "200",
        "responseParameters": {
            f"method.response.header.{name}": _quoted(value) for name, value in static.items()
        },
    }
    if _several_origins(preflight.cors):
        integration_response["responseTemplates"] = {JSON: origin_template(preflight.cors)}
    operation: dict[str, Any] = {
        "summary": "CORS preflight",
        "responses": {
            "200": {
                "description": "CORS preflight response",
                "headers": {name: {"schema": {"type": "string"}} for name in names},
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            # A MOCK integration's status code comes from the request template (AWS
            # developer guide, "Set up mock integrations in API Gateway").
            "requestTemplates": {JSON: '{"statusCode": 200}'},
            "passthroughBehavior": "when_no_match",
            "responses": {"default": integration_response},
        },
    }
    if parameters:
        operation["parameters"] = parameters
    return operation
