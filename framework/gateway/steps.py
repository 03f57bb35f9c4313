"""The pipeline steps of this slice: parse, integrate and respond (route is in route.py).

Each step is a function of one ``InvocationContext``; a step that must stop the request
raises ``GatewayResponseError`` and the pipeline renders the gateway response.
"""

from __future__ import annotations

import sys

from framework.events.proxy import HttpResponse, MalformedProxyResponse, parse_proxy_response
from framework.events.rest import (
    build_rest_event,
    extended_request_id,
    new_request_id,
    trace_id,
)
from framework.gateway.clock import Clock
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.lambda_env import IntegrationTimeout, InvocationError, LambdaService

# API Gateway's payload limit (AWS developer guide, "Amazon API Gateway quotas").
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024


def parse(ctx: InvocationContext, clock: Clock) -> None:
    """Request id, request time, payload size."""
    ctx.request_id = new_request_id()
    ctx.extended_request_id = extended_request_id()
    ctx.epoch = clock.time()
    if ctx.content_length is not None and ctx.content_length > MAX_PAYLOAD_BYTES:
        raise GatewayResponseError("REQUEST_TOO_LARGE", f"{ctx.content_length} bytes")


def preflight(ctx: InvocationContext) -> HttpResponse:
    """The OPTIONS mock integration the synthesized API has for CORS."""
    assert ctx.preflight is not None
    cors = ctx.preflight.cors
    headers = [("Content-Type", "application/json")]
    headers += cors.preflight_headers(ctx.preflight.methods, ctx.header("origin")).items()
    headers += [("x-amzn-RequestId", ctx.request_id), ("x-amz-apigw-id", ctx.extended_request_id)]
    return HttpResponse(200, headers, b"")


def build_event(ctx: InvocationContext) -> None:
    """The proxy event for the matched method: authorizers and the integration read it."""
    route = ctx.route
    assert route is not None
    ctx.event = build_rest_event(
        api_name=ctx.api.name,
        method=ctx.method,
        raw_path=ctx.raw_path,
        query_string=ctx.query_string,
        headers=ctx.headers,
        body=ctx.body,
        resource=route.path,
        path_parameters=ctx.path_params,
        stage=ctx.stage.name,
        stage_variables=ctx.stage.variables,
        source_ip=ctx.source_ip,
        binary_media_types=ctx.api.binary_media_types,
        request_id=ctx.request_id,
        extended_id=ctx.extended_request_id,
        epoch=ctx.epoch,
        host=ctx.host,
        port=ctx.port,
        scheme=ctx.scheme,
        protocol=ctx.protocol,
        stage_in_path=ctx.stage_in_path,
    )


async def integrate(ctx: InvocationContext, lambdas: LambdaService) -> None:
    """AWS_PROXY: invoke the route's function in-process with the event."""
    route = ctx.route
    assert route is not None and ctx.event is not None
    try:
        ctx.result = await lambdas.invoke(
            ctx.api, route.function, ctx.event, integration_timeout=route.timeout
        )
    except IntegrationTimeout as exc:
        raise GatewayResponseError("INTEGRATION_TIMEOUT", str(exc)) from None
    except InvocationError as exc:
        raise GatewayResponseError("LAMBDA_ERROR", str(exc)) from None


def respond(ctx: InvocationContext) -> HttpResponse:
    """Turn the proxy response into the client's response (502 when malformed)."""
    try:
        response = parse_proxy_response(
            ctx.result, accept=ctx.header("accept"), binary_media_types=ctx.api.binary_media_types
        )
    except MalformedProxyResponse as exc:
        # What API Gateway's execution log says; the client only sees the 502.
        print(
            f"[ERROR] {ctx.api.name} {ctx.method} {ctx.resource} RequestId: {ctx.request_id}\n"
            f"Execution failed due to configuration error: Malformed Lambda proxy response: {exc}",
            file=sys.stderr,
            flush=True,
        )
        raise GatewayResponseError("LAMBDA_ERROR", str(exc)) from None
    trace = ctx.event["headers"]["X-Amzn-Trace-Id"] if ctx.event and ctx.event["headers"] else None
    response.headers += [
        ("x-amzn-RequestId", ctx.request_id),
        ("x-amz-apigw-id", ctx.extended_request_id),
        ("X-Amzn-Trace-Id", trace or trace_id(ctx.epoch)),
    ]
    return response
