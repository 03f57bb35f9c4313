"""HTTP (custom, non-proxy): mapped request to an HTTP endpoint, mapped response back.

AWS developer guide, "Set up HTTP custom integrations in API Gateway": the request
template (chosen by Content-Type, or passthrough) is the body; only the mapped headers
and query string parameters are sent (``integration.request.header.X`` ...); the
endpoint's status code picks the integration response (``selectionPattern``), whose
template and header mappings make the method response.

Request headers API Gateway adds (LocalStack's AWS-validated header tests): ``Accept:
application/json`` and ``User-Agent: AmazonAPIGateway_<api id>`` unless mapped, the
client's ``Content-Type`` for methods with a body, ``X-Amzn-Trace-Id`` and
``X-Amzn-Apigateway-Api-Id``.
"""

from __future__ import annotations

from framework.declare.integrations import HttpIntegration
from framework.events.proxy import HttpResponse
from framework.gateway.context import InvocationContext
from framework.gateway.integrations import backend, response
from framework.gateway.integrations.mapping import integration_request


async def invoke(ctx: InvocationContext, integration: HttpIntegration) -> HttpResponse:
    route = ctx.route
    assert route is not None
    request = integration_request(
        ctx,
        templates=integration.request_templates,
        passthrough=integration.passthrough,
        parameters=integration.request_parameters,
        content_handling=integration.content_handling,
    )
    # API Gateway fills a URL's {name} only from integration.request.path.name mappings;
    # the method's path parameters stand in for a missing mapping (synth writes it).
    url = backend.endpoint_url(ctx, integration.url, {**ctx.path_params, **request.path})
    url = backend.with_query(url, "", request.querystring)
    method = backend.method_for(integration.http_method, ctx)
    headers = dict(request.header)
    content_type = ctx.header("content-type")
    body_type = {"Content-Type": content_type} if content_type else {}
    backend.add_gateway_headers(
        ctx, headers, body_type if method not in backend.NO_BODY_METHODS else None
    )
    endpoint = await backend.send(
        ctx,
        method=method,
        url=url,
        headers=list(headers.items()),
        body=request.body,
        timeout=route.timeout,
    )
    selected = response.select(integration.responses, str(endpoint.status), ctx, what="status code")
    return response.method_response(ctx, selected, endpoint, request_override=request.override)
