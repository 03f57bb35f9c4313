"""HTTP_PROXY: the request passes through to an HTTP endpoint, its answer back.

AWS developer guide, "Set up HTTP proxy integrations in API Gateway": API Gateway sends
the client's method, headers, query string and body to the integration URL (``{proxy}``
and the other path parameters, and ``${stageVariables.x}``, substituted) and returns the
endpoint's status, headers and body to the client without mapping. Request parameter
mappings still apply on top (LocalStack's AWS-validated behaviour).

Header details follow LocalStack's AWS-validated header remapping tests
(``test_apigateway_header_remapping_aws``): ``Host`` and a few hop-by-hop headers are not
forwarded; API Gateway adds ``X-Amzn-Trace-Id`` and ``X-Amzn-Apigateway-Api-Id`` (and a
``User-Agent``/``Accept`` when the client sent none); the endpoint's ``Connection``,
``Content-Length``, ``Date`` and ``Server`` reach the client renamed
``x-amzn-Remapped-*``, its ``Transfer-Encoding``, ``Content-Encoding`` and ``Via`` not at
all.
"""

from __future__ import annotations

from typing import Final

from framework.declare.integrations import HttpIntegration
from framework.events.proxy import HttpResponse
from framework.gateway.context import InvocationContext
from framework.gateway.integrations import backend
from framework.gateway.integrations.mapping import map_request_parameters, set_header

_NOT_FORWARDED: Final = frozenset(
    {
        "host",
        "content-encoding",
        "content-length",
        "expect",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "via",
    }
)
_DROPPED: Final = frozenset({"transfer-encoding", "content-encoding", "via"})
_REMAPPED: Final = frozenset({"connection", "content-length", "date", "server"})


async def invoke(ctx: InvocationContext, integration: HttpIntegration) -> HttpResponse:
    route = ctx.route
    assert route is not None
    mapped_headers, mapped_query, mapped_path = map_request_parameters(
        integration.request_parameters, ctx
    )
    url = backend.endpoint_url(ctx, integration.url, {**ctx.path_params, **mapped_path})
    url = backend.with_query(url, ctx.query_string, mapped_query)
    method = backend.method_for(integration.http_method, ctx)
    headers = forwarded_headers(ctx)
    for name, value in mapped_headers.items():
        set_header(headers, name, value)
    backend.add_gateway_headers(ctx, headers)
    endpoint = await backend.send(
        ctx,
        method=method,
        url=url,
        headers=list(headers.items()),
        body=ctx.body,
        timeout=route.timeout,
    )
    pairs: list[tuple[str, str]] = []
    for name, value in endpoint.headers:
        lower = name.lower()
        if lower in _DROPPED:
            continue
        pairs.append((f"x-amzn-Remapped-{name}" if lower in _REMAPPED else name, value))
    pairs += [("x-amzn-RequestId", ctx.request_id), ("x-amz-apigw-id", ctx.extended_request_id)]
    return HttpResponse(endpoint.status, pairs, endpoint.body)


def forwarded_headers(ctx: InvocationContext) -> dict[str, str]:
    """The method request's headers as API Gateway forwards them (repeated headers joined
    with commas), including those it added (``X-Forwarded-For``, ...)."""
    multi = (ctx.event["multiValueHeaders"] if ctx.event is not None else None) or {}
    if ctx.event is None:
        for name, value in ctx.headers:
            multi.setdefault(name, []).append(value)
    return {
        name: ",".join(values)
        for name, values in multi.items()
        if name.lower() not in _NOT_FORWARDED
    }
