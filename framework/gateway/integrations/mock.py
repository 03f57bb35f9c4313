"""MOCK: API Gateway answers itself.

AWS developer guide, "Set up mock integrations in API Gateway": the request template's
output is a JSON object whose ``statusCode`` picks the integration response (by its
``selectionPattern``, else the default); that response's template, rendered over an empty
payload, is the body, its header mappings (static values, ``context.*``,
``stageVariables.*``) the headers. A request template whose output has no integer
``statusCode`` fails the request with a 500 ("Execution failed due to configuration error:
Unable to parse statusCode", LocalStack's implementation).
"""

from __future__ import annotations

import json

from framework.declare.integrations import MockIntegration
from framework.events.proxy import HttpResponse
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations import response
from framework.gateway.integrations.mapping import log, render


def invoke(ctx: InvocationContext, integration: MockIntegration) -> HttpResponse:
    result = render(integration.request_template, ctx, body=ctx.body, what="request template")
    status = _status_code(result.body)
    if status is None:
        log(
            ctx,
            "Execution failed due to configuration error: Unable to parse statusCode. It "
            f"should be an integer that is defined in the request template. Got: {result.body!r}",
        )
        raise GatewayResponseError("API_CONFIGURATION_ERROR", "MOCK: no statusCode")
    override = result.request_override
    selected = response.select(integration.responses, str(status), ctx, what="status code")
    return response.method_response(
        ctx,
        selected,
        HttpResponse(status),
        request_override={
            "header": dict(override.header),
            "querystring": dict(override.querystring),
            "path": dict(override.path),
        },
    )


def _status_code(text: str) -> int | None:
    try:
        document = json.loads(text)
    except ValueError:
        return None
    value = document.get("statusCode") if isinstance(document, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value
