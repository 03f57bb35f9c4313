"""AWS service integrations (type AWS), run against local stand-ins: nothing reaches AWS.

AWS developer guide, "Tutorial: Create a REST API as an Amazon SQS proxy" and "Set up an
integration request": API Gateway sends the rendered request template to the service
action (``service="sqs", action="SendMessage"``) or path, and the service's HTTP status
picks the integration response. Locally ``AwsIntegration.local`` says where it goes:

- a Python callable: called on a worker thread with the rendered body (a str); what it
  returns (a dict, list or str) is the service's 200 answer; what it raises is a 500
  ``{"message": ...}`` answer, both then go through the integration responses;
- an ``http://`` endpoint (DynamoDB Local, a moto server, LocalStack): the rendered body is
  sent there signed with SigV4 and dummy credentials, with the ``X-Amz-Target`` and
  content type of the service's JSON protocol (from botocore's service model:
  ``DynamoDB_20120810.PutItem``, ``AWSStepFunctions.StartExecution``,
  ``AmazonSQS.SendMessage``, ``application/x-amz-json-1.0``);
- nothing: the request fails with a 500 and the console says why.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable
from typing import Any, Final

from framework.declare.api import RestApi
from framework.declare.integrations import AwsIntegration
from framework.events.proxy import HttpResponse
from framework.events.rest import REGION
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations import backend, response
from framework.gateway.integrations.mapping import integration_request, log

# API Gateway's service names that botocore spells differently.
_BOTOCORE_NAMES: Final = {"states": "stepfunctions"}
# Credentials local services accept (moto and DynamoDB Local check none).
_DUMMY_CREDENTIALS: Final = ("AKIDLOCALFRAMEWORK", "local-secret")


async def invoke(ctx: InvocationContext, integration: AwsIntegration) -> HttpResponse:
    route = ctx.route
    assert route is not None
    request = integration_request(
        ctx,
        templates=integration.request_templates,
        passthrough=integration.passthrough,
        parameters=integration.request_parameters,
    )
    local = integration.local
    if callable(local):
        endpoint = await _call(ctx, local, request.body.decode("utf-8", "replace"), route.timeout)
    elif isinstance(local, str):
        headers, url = _service_request(integration, local, request.header, request.querystring)
        headers = _signed(integration.http_method, url, headers, request.body, integration.service)
        endpoint = await backend.send(
            ctx,
            method=integration.http_method,
            url=url,
            headers=list(headers.items()),
            body=request.body,
            timeout=route.timeout,
        )
    else:
        log(
            ctx,
            f"{describe(integration)}: this AWS integration has no local stand-in or "
            "endpoint; give it local=<a Python callable> or local='http://...' (a local "
            "service such as DynamoDB Local or a moto server)",
        )
        raise GatewayResponseError("API_CONFIGURATION_ERROR", "no local stand-in")
    selected = response.select(integration.responses, str(endpoint.status), ctx, what="status code")
    return response.method_response(ctx, selected, endpoint, request_override=request.override)


def describe(integration: AwsIntegration) -> str:
    """``sqs SendMessage`` or ``s3 path/bucket/key``."""
    target = integration.action if integration.action else f"path/{integration.path}"
    return f"{integration.service} {target}"


def destinations(api: RestApi) -> list[str]:
    """One line per AWS service integration saying where it goes locally."""
    lines = []
    for route in api.routes:
        integration = route.integration
        if not isinstance(integration, AwsIntegration):
            continue
        local = integration.local
        if callable(local):
            name = getattr(local, "__qualname__", repr(local))
            where = f"Python stand-in {getattr(local, '__module__', '?')}.{name}"
        elif isinstance(local, str):
            where = f"{local} (SigV4-signed with dummy credentials)"
        else:
            where = "no local stand-in or endpoint: answers 500"
        lines.append(f"  {route.method} {route.path} -> {describe(integration)}: {where}")
    return lines


async def _call(
    ctx: InvocationContext, local: Callable[[str], Any], body: str, timeout: float
) -> HttpResponse:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            result = await loop.run_in_executor(None, local, body)
    except TimeoutError:
        raise GatewayResponseError("INTEGRATION_TIMEOUT", "local stand-in timed out") from None
    except Exception as exc:  # the service's error answer
        log(
            ctx,
            f"The local stand-in {getattr(local, '__qualname__', local)} raised "
            f"{type(exc).__name__}: {exc}; the integration response is a 500",
        )
        payload = json.dumps({"message": str(exc)}).encode()
        return HttpResponse(500, [("Content-Type", "application/json")], payload)
    if isinstance(result, bytes):
        return HttpResponse(200, [], result)
    if isinstance(result, str):
        return HttpResponse(200, [("Content-Type", "application/json")], result.encode())
    text = "" if result is None else json.dumps(result)
    return HttpResponse(200, [("Content-Type", "application/json")], text.encode())


def _service_request(
    integration: AwsIntegration,
    local: str,
    mapped_headers: dict[str, str],
    mapped_query: dict[str, list[str]],
) -> tuple[dict[str, str], str]:
    headers = dict(mapped_headers)
    query = dict(mapped_query)
    base = local.rstrip("/")
    if integration.path is not None:
        url = f"{base}/{integration.path.lstrip('/')}"
    else:
        url = base + "/"
        assert integration.action is not None
        protocol = _protocol(integration.service)
        if protocol is not None:
            prefix, version = protocol
            headers.setdefault("X-Amz-Target", f"{prefix}.{integration.action}")
            headers.setdefault("Content-Type", f"application/x-amz-json-{version}")
        else:  # a query-protocol service (SNS, ...): the action is a parameter
            query.setdefault("Action", [integration.action])
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return headers, backend.with_query(url, "", query)


@functools.cache
def _protocol(service: str) -> tuple[str, str] | None:
    """``(targetPrefix, jsonVersion)`` of a JSON-protocol service; None for others."""
    import botocore.session
    from botocore.exceptions import UnknownServiceError

    try:
        model = botocore.session.get_session().get_service_model(
            _BOTOCORE_NAMES.get(service, service)
        )
    except UnknownServiceError:
        return None
    metadata: dict[str, Any] = model.metadata
    if metadata.get("protocol") != "json" or not metadata.get("targetPrefix"):
        return None
    return str(metadata["targetPrefix"]), str(metadata.get("jsonVersion", "1.0"))


def _signed(
    method: str, url: str, headers: dict[str, str], body: bytes, service: str
) -> dict[str, str]:
    """``headers`` plus a SigV4 signature by dummy credentials, as a local service expects."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method=method, url=url, data=body, headers=headers)
    SigV4Auth(Credentials(*_DUMMY_CREDENTIALS), service, REGION).add_auth(request)
    return {str(k): str(v) for k, v in request.headers.items()}
