"""Calling an HTTP endpoint for an integration: URL rendering, the request, its failures.

Failures become what API Gateway answers:

- no answer within the method's integration timeout: 504 ``Endpoint request timed out``
  (``shared/API-GATEWAY.md`` section 3);
- the endpoint refuses or drops the connection: 504 ``{"message": "Network error
  communicating with endpoint"}`` with ``x-amzn-ErrorType: InternalServerErrorException``
  (INTEGRATION_FAILURE). Captured from AWS for an endpoint that did not answer through a
  VPC link (liangruibupt/aws-is-how, devops/apigw/2PrivateAPI-Testing.md) and reported for
  an instance with nothing listening; for a public endpoint refusing connections it is
  unverified (LocalStack answers 500 there);
- a host name that does not resolve, or a URL API Gateway cannot call: 500 ``Internal
  server error``, the execution log saying "Invalid endpoint address" (LocalStack's
  implementation; unverified).

Each failure's cause is printed on the console, where the execution log would hold it.
"""

from __future__ import annotations

import asyncio
import functools
import re
import socket
import ssl
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import httpx

from framework.events.proxy import HttpResponse
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations.mapping import log, set_header
from framework.gateway.responses import context_variables

_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_.~-]+)\}")
_PATH_PARAMETER = re.compile(r"\{([A-Za-z0-9_.-]+)\+?\}")

# Methods whose request body API Gateway does not send on (LocalStack's HTTP integrations,
# NO_BODY_METHODS).
NO_BODY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def method_for(declared: str | None, ctx: InvocationContext) -> str:
    """The backend's HTTP method: the integration's, else the request's (also for ANY)."""
    method = declared or ctx.method
    return ctx.method if method == "ANY" else method


def add_gateway_headers(
    ctx: InvocationContext, headers: dict[str, str], defaults: Mapping[str, str] | None = None
) -> None:
    """What API Gateway adds to a request for an HTTP backend: Accept and User-Agent
    when the request has none, the trace id and the API id (LocalStack's AWS-validated
    header tests, shared/API-GATEWAY.md section 1)."""
    api_id = str(context_variables(ctx).get("apiId", ""))
    added = {"Accept": "application/json", "User-Agent": f"AmazonAPIGateway_{api_id}"}
    added.update(defaults or {})
    for name, value in added.items():
        if not any(k.lower() == name.lower() for k in headers):
            headers[name] = value
    trace = (ctx.event["headers"] or {}).get("X-Amzn-Trace-Id") if ctx.event else None
    if trace:
        set_header(headers, "X-Amzn-Trace-Id", trace)
    set_header(headers, "X-Amzn-Apigateway-Api-Id", api_id)


def render_url(url: str, path: Mapping[str, str], stage_variables: Mapping[str, str]) -> str:
    """``${stageVariables.name}`` and ``{name}`` (``{proxy}``) substituted in ``url``
    (developer guide, "Set up HTTP integrations", "Stage variables for a REST API")."""
    url = _STAGE_VARIABLE.sub(lambda m: stage_variables.get(m[1], ""), url)
    return _PATH_PARAMETER.sub(lambda m: path.get(m[1], ""), url)


def endpoint_url(ctx: InvocationContext, url: str, path: Mapping[str, str]) -> str:
    """``render_url`` for this request; a stage variable the stage does not define renders
    empty, as on AWS, and the console says so (the endpoint address is then invalid)."""
    undefined = sorted({m[1] for m in _STAGE_VARIABLE.finditer(url)} - set(ctx.stage.variables))
    if undefined:
        log(
            ctx,
            f"Stage {ctx.stage.name} defines no stage variable {', '.join(undefined)}, "
            f"used by the integration URL {url}: it renders empty",
        )
    return render_url(url, path, ctx.stage.variables)


def with_query(url: str, raw: str, extra: Mapping[str, Sequence[str]]) -> str:
    """``url`` with the raw query string ``raw`` (kept as the client encoded it) and the
    ``extra`` parameters appended."""
    parts = [
        part for part in (raw, urlencode([(k, v) for k, vs in extra.items() for v in vs])) if part
    ]
    if not parts:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(parts)


async def send(
    ctx: InvocationContext,
    *,
    method: str,
    url: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    timeout: float,
) -> HttpResponse:
    """Send the integration request; the endpoint's answer as it came (body decoded from
    any Content-Encoding), or the gateway error API Gateway answers instead."""
    content = body if body and method not in NO_BODY_METHODS else None
    try:
        async with asyncio.timeout(timeout):
            async with httpx.AsyncClient(
                verify=_ssl_context(), timeout=timeout, follow_redirects=False
            ) as client:
                response = await client.request(method, url, headers=list(headers), content=content)
    except (TimeoutError, httpx.TimeoutException):
        log(
            ctx,
            f"Execution failed due to a timeout error: {method} {url} gave no response "
            f"within the {timeout:g} s integration timeout",
        )
        raise GatewayResponseError("INTEGRATION_TIMEOUT", f"{url}: timed out") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        log(
            ctx,
            f"Execution failed due to configuration error: Invalid endpoint address {url!r}: {exc}",
        )
        raise GatewayResponseError("API_CONFIGURATION_ERROR", str(exc)) from None
    except httpx.TransportError as exc:
        if _unresolvable(exc):
            log(
                ctx,
                f"Execution failed due to configuration error: Invalid endpoint address "
                f"{url!r}: {exc}",
            )
            raise GatewayResponseError("API_CONFIGURATION_ERROR", str(exc)) from None
        log(
            ctx,
            f"Execution failed due to a network error communicating with endpoint "
            f"{method} {url}: {type(exc).__name__}: {exc or 'connection failed'}",
        )
        raise GatewayResponseError("INTEGRATION_NETWORK_ERROR", str(exc)) from None
    pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
    return HttpResponse(response.status_code, pairs, response.content)


def _unresolvable(exc: BaseException) -> bool:
    """Did the connection fail because the host name does not resolve?"""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, socket.gaierror):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # One context for every request: building one loads the CA bundle (milliseconds).
    try:
        import certifi
    except ImportError:  # pragma: no cover - httpx depends on certifi
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=certifi.where())
