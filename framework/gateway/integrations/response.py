"""Integration response: from the backend's answer to the method response.

AWS developer guide, "Integration responses in API Gateway" and "Set up an integration
response in API Gateway": the response whose ``selectionPattern`` matches -- the HTTP
status code of an HTTP or AWS backend, the ``errorMessage`` of a failed Lambda function --
is chosen, else the default response (the one without a pattern); its status code, header
mappings (``method.response.header.X``) and response template make the client's response.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from framework.declare.integrations import IntegrationResponse
from framework.events.media import is_binary, media_type
from framework.events.proxy import HttpResponse
from framework.events.rest import trace_id
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations.mapping import (
    DEFAULT_CONTENT_TYPE,
    body_value,
    common_source,
    find_header,
    log,
    render,
    set_header,
    template_context,
)

_NO_MATCH: Final = (
    "Execution failed due to configuration error: No match for output mapping and no "
    "default output mapping configured."
)


def select(
    responses: Sequence[IntegrationResponse], value: str, ctx: InvocationContext, *, what: str
) -> IntegrationResponse:
    """The integration response for ``value`` (a status code, or a Lambda error message).

    A pattern must match the whole value, as Java's ``String.matches`` does; ``.`` does
    not match a newline (API reference, IntegrationResponse ``selectionPattern``: with
    ``.+`` "make sure that the error response does not contain any newline").
    """
    for candidate in responses:
        pattern = candidate.selection_pattern
        if pattern is not None and _compiled(pattern).fullmatch(value):
            return candidate
    for candidate in responses:
        if candidate.selection_pattern is None:
            return candidate
    log(ctx, f"{_NO_MATCH} Endpoint response {what}: {value[:200]}")
    raise GatewayResponseError("API_CONFIGURATION_ERROR", f"no integration response for {value}")


def method_response(
    ctx: InvocationContext,
    selected: IntegrationResponse,
    endpoint: HttpResponse,
    *,
    request_override: Mapping[str, Mapping[str, str]] | None = None,
    lambda_trace: bool = False,
) -> HttpResponse:
    """Render the selected integration response over the endpoint's answer."""
    payload = response_payload(ctx, endpoint, selected.content_handling)
    context = template_context(
        ctx, request_override=request_override, integration_status=endpoint.status
    )
    status = selected.status_code
    chosen = choose_response_template(selected.templates, ctx.header("accept"))
    headers: dict[str, str] = {}
    for name, source in selected.headers.items():
        value = response_source(source, ctx, endpoint, context)
        if value is not None:
            set_header(headers, name.removeprefix("method.response.header."), value)
    if chosen is None:
        body = payload if isinstance(payload, bytes) else payload.encode()
        media = DEFAULT_CONTENT_TYPE
    else:
        media, template = chosen
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        result = render(
            template,
            ctx,
            body=text,
            what=f"response template for {media} (integration response {status})",
            context=context,
        )
        body = result.body.encode()
        # Developer guide, "Use a mapping template to override an API's request and
        # response parameters and status codes".
        status = result.response_override.status or status
        for name, value in result.response_override.header.items():
            set_header(headers, name, value)
    if find_header(list(headers.items()), "content-type") is None:
        # A method response's content type is the media type of its template (JSON by
        # default); unverified for a response without any template.
        headers["Content-Type"] = media
    pairs = list(headers.items())
    pairs += [("x-amzn-RequestId", ctx.request_id), ("x-amz-apigw-id", ctx.extended_request_id)]
    if lambda_trace:
        # API Gateway adds X-Amzn-Trace-Id to what Lambda answered, not to MOCK or HTTP
        # responses (shared/API-GATEWAY.md section 2).
        headers_in = ctx.event["headers"] if ctx.event is not None else None
        pairs.append(
            ("X-Amzn-Trace-Id", (headers_in or {}).get("X-Amzn-Trace-Id") or trace_id(ctx.epoch))
        )
    return HttpResponse(status, pairs, body)


def choose_response_template(
    templates: Mapping[str, str], accept: str | None
) -> tuple[str, str] | None:
    """The template for the client's (first) Accept media type, else application/json,
    else the first one; None: the integration's body passes through.

    Developer guide, "Mapping template transformations for REST APIs": the response
    template is chosen by the Accept header, application/json by default.
    """
    if not templates:
        return None
    wanted = media_type(accept)
    for key, template in templates.items():
        if key.lower() == wanted:
            return key, template
    for key, template in templates.items():
        if key.lower() == DEFAULT_CONTENT_TYPE:
            return key, template
    key = next(iter(templates))
    return key, templates[key]


def response_payload(
    ctx: InvocationContext, endpoint: HttpResponse, content_handling: str | None
) -> bytes | str:
    """The integration response body, converted as ``contentHandling`` says (developer
    guide, "Content type conversions in API Gateway"): CONVERT_TO_TEXT base64-encodes a
    binary body, CONVERT_TO_BINARY base64-decodes a text one."""
    body = endpoint.body
    if content_handling == "CONVERT_TO_TEXT":
        binary = is_binary(endpoint.header("content-type"), ctx.api.binary_media_types)
        if binary or not _is_utf8(body):
            return base64.b64encode(body).decode("ascii")
        return body.decode("utf-8")
    if content_handling == "CONVERT_TO_BINARY":
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            log(
                ctx,
                "Execution failed due to configuration error: Unable to base64-decode "
                "the integration response for CONVERT_TO_BINARY",
            )
            raise GatewayResponseError(
                "API_CONFIGURATION_ERROR", "CONVERT_TO_BINARY: body is not base64"
            ) from None
    return body


def response_source(
    expression: str,
    ctx: InvocationContext,
    endpoint: HttpResponse,
    context: Mapping[str, Any],
) -> str | None:
    """A response mapping expression (developer guide, "Parameter mapping source
    reference for REST APIs"): ``integration.response.header.X``,
    ``integration.response.multivalueheader.X``, ``integration.response.body[.path]``,
    ``'static'``, ``context.x``, ``stageVariables.x``."""
    if not expression.startswith("integration.response."):
        return common_source(expression, ctx, context)
    kind, _, name = expression.removeprefix("integration.response.").partition(".")
    if kind == "header":
        return endpoint.header(name)
    if kind == "multivalueheader":
        values = [v for k, v in endpoint.headers if k.lower() == name.lower()]
        return ",".join(values) if values else None
    if kind == "body":
        return body_value(endpoint.body, name)
    return None


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
