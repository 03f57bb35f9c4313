"""Lambda custom integration (type AWS): a mapped event in, a mapped response out.

AWS developer guide, "Set up Lambda custom integrations in API Gateway" and "Handle
Lambda errors in API Gateway":

- the request template's output (or the passed-through body) is the event, invoked
  synchronously; an empty body is ``{}``;
- a result is rendered by the default integration response, ``$input`` being the
  result's JSON;
- a failure's ``errorMessage`` is matched against the selection patterns; the matching
  response renders the error ``{"errorMessage", "errorType", "stackTrace"}`` as
  ``$input``. With no match the *default* response renders it: the client gets the error
  JSON with the default status, typically 200 -- API Gateway's classic surprise;
- API Gateway stopping at the integration timeout is 504 as for proxy integrations.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Mapping
from typing import Any, cast

from framework.declare.integrations import IntegrationResponse, LambdaIntegration
from framework.events.proxy import HttpResponse
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations import response
from framework.gateway.integrations.mapping import integration_request, log
from framework.gateway.lambda_env import IntegrationTimeout, InvocationError, LambdaService


async def invoke(
    ctx: InvocationContext, integration: LambdaIntegration, lambdas: LambdaService
) -> HttpResponse:
    route = ctx.route
    assert route is not None and route.handler is not None
    request = integration_request(
        ctx,
        templates=integration.request_templates,
        passthrough=integration.passthrough,
        content_handling=integration.content_handling,
    )
    text = request.body.decode("utf-8", "replace")
    try:
        event = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        # Lambda refuses a payload that is not JSON (InvalidRequestContentException);
        # API Gateway then answers 500 (unverified).
        log(
            ctx,
            f"Execution failed due to configuration error: Lambda invocation failed: "
            f"Could not parse request body into json: {exc}: {text[:200]!r}",
        )
        raise GatewayResponseError("API_CONFIGURATION_ERROR", "event is not JSON") from None
    failure: dict[str, Any] = {}
    try:
        result = await lambdas.invoke(
            ctx.api,
            route.function,
            cast(Mapping[str, Any], event),  # any JSON value is a Lambda event
            integration_timeout=route.timeout,
            handler=_capturing(route.handler, failure),
        )
    except IntegrationTimeout as exc:
        raise GatewayResponseError("INTEGRATION_TIMEOUT", str(exc)) from None
    except InvocationError as exc:
        error = lambda_error(exc, failure)
        selected = response.select(
            integration.responses, error["errorMessage"], ctx, what="Lambda error message"
        )
        endpoint = HttpResponse(200, [], json.dumps(error).encode())
    else:
        selected = _default(integration, ctx)
        endpoint = HttpResponse(200, [], json.dumps(result).encode())
    return response.method_response(
        ctx, selected, endpoint, request_override=request.override, lambda_trace=True
    )


def lambda_error(exc: InvocationError, failure: Mapping[str, Any]) -> dict[str, Any]:
    """The error payload Lambda's Python runtime returns for a failed invocation."""
    message = exc.error_message
    if "type" in failure:
        return {
            "errorMessage": message,
            "errorType": failure["type"],
            "stackTrace": failure["stack"],
        }
    if message.startswith("Runtime.MarshalError: "):
        return {
            "errorMessage": message.removeprefix("Runtime.MarshalError: "),
            "errorType": "Runtime.MarshalError",
            "stackTrace": [],
        }
    return {"errorMessage": message}  # a timeout: Lambda reports only the message


def _default(integration: LambdaIntegration, ctx: InvocationContext) -> IntegrationResponse:
    # A successful invocation has no error message to match: the default response.
    for candidate in integration.responses:
        if candidate.selection_pattern is None:
            return candidate
    return response.select((), "", ctx, what="Lambda result")


def _capturing(handler: Callable[..., Any], failure: dict[str, Any]) -> Callable[..., Any]:
    """``handler``, noting the type and stack of what it raises (the runtime's
    ``errorType`` and ``stackTrace``)."""

    def run(event: Any, context: Any) -> Any:
        try:
            return handler(event, context)
        except BaseException as exc:
            frames = traceback.extract_tb(exc.__traceback__)[1:]  # not this wrapper
            failure["type"] = type(exc).__name__
            failure["stack"] = traceback.format_list(frames)
            raise

    return run
