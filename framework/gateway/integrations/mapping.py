"""Integration request: mapping templates, passthrough, parameter mappings, payload encoding.

What API Gateway does between the method request and a non-proxy backend (AWS developer
guide, "Integration request in API Gateway", "Mapping template transformations for REST
APIs", "Method request behavior for payloads without mapping templates" and "Content
type conversions in API Gateway"). The same functions serve the integration response
(``response.py``) where the two share an expression or the template machinery.
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from framework.events.media import is_binary, media_type
from framework.gateway import vtl
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.responses import context_variables

# API Gateway's content type for a request without one, when it picks a mapping template
# (developer guide, "Method request behavior for payloads without mapping templates":
# "None (default to application/json)").
DEFAULT_CONTENT_TYPE: Final = "application/json"


@dataclass(slots=True)
class IntegrationRequest:
    """What goes to the backend after the integration request's mappings."""

    body: bytes
    header: dict[str, str] = field(default_factory=dict)
    querystring: dict[str, list[str]] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)
    # ``$context.requestOverride`` as the request template left it: the response
    # template sees it too.
    override: dict[str, dict[str, str]] = field(default_factory=dict)


def integration_request(
    ctx: InvocationContext,
    *,
    templates: Mapping[str, str],
    passthrough: str,
    parameters: Mapping[str, str] | None = None,
    content_handling: str | None = None,
) -> IntegrationRequest:
    """Apply the request parameter mappings and the request template (or passthrough)."""
    content_type = ctx.header("content-type")
    chosen = choose_request_template(templates, passthrough, content_type)
    header, query, path = map_request_parameters(parameters or {}, ctx)
    payload = request_payload(ctx, content_handling, templated=chosen is not None)
    if chosen is None:
        body = payload if isinstance(payload, bytes) else payload.encode()
        return IntegrationRequest(body, header, query, path)
    media, template = chosen
    result = render(template, ctx, body=payload, what=f"request template for {media}")
    override = result.request_override
    # Developer guide, "Use a mapping template to override an API's request and response
    # parameters and status codes": overrides win over the parameter mappings.
    for name, value in override.header.items():
        set_header(header, name, value)
    query.update({name: [value] for name, value in override.querystring.items()})
    path.update(override.path)
    return IntegrationRequest(
        result.body.encode(),
        header,
        query,
        path,
        {
            "header": dict(override.header),
            "querystring": dict(override.querystring),
            "path": dict(override.path),
        },
    )


def choose_request_template(
    templates: Mapping[str, str], passthrough: str, content_type: str | None
) -> tuple[str, str] | None:
    """``(media type, template)`` for the request's Content-Type; None: pass the body
    through. Raises UNSUPPORTED_MEDIA_TYPE (415) where the passthrough behaviour refuses.

    Developer guide, "Method request behavior for payloads without mapping templates":
    WHEN_NO_MATCH passes an unmatched content type through; WHEN_NO_TEMPLATES only when no
    template is defined at all (else 415); NEVER refuses whatever has no template, also
    when none is defined. ``$default`` matches any content type.
    """
    wanted = media_type(content_type) or DEFAULT_CONTENT_TYPE
    for key, template in templates.items():
        if key.lower() == wanted:
            return key, template
    if "$default" in templates:
        return "$default", templates["$default"]
    if passthrough == "WHEN_NO_MATCH" or (passthrough == "WHEN_NO_TEMPLATES" and not templates):
        return None
    raise GatewayResponseError(
        "UNSUPPORTED_MEDIA_TYPE",
        f"no mapping template for {wanted} and passthrough behavior {passthrough}",
    )


def request_payload(
    ctx: InvocationContext, content_handling: str | None, *, templated: bool
) -> bytes | str:
    """The method request body as the template (or the backend) receives it.

    Developer guide, "Content type conversions in API Gateway": a binary payload (its
    Content-Type is one of the API's binary media types) reaches a mapping template, or
    the backend with CONVERT_TO_TEXT, base64-encoded; a text payload with
    CONVERT_TO_BINARY and no template is base64-decoded. Everything else passes as is.
    """
    binary = is_binary(ctx.header("content-type"), ctx.api.binary_media_types)
    if binary and (templated or content_handling == "CONVERT_TO_TEXT"):
        return base64.b64encode(ctx.body).decode("ascii")
    if not binary and not templated and content_handling == "CONVERT_TO_BINARY":
        try:
            return base64.b64decode(ctx.body, validate=True)
        except (binascii.Error, ValueError):
            return ctx.body  # not base64: API Gateway would fail; pass it unchanged
    return ctx.body


def template_params(ctx: InvocationContext) -> dict[str, dict[str, str]]:
    """``$input.params()``: the method request's path, query string and header values."""
    event = ctx.event
    headers = dict(event["headers"] or {}) if event is not None else dict(ctx.headers)
    query = dict(event["queryStringParameters"] or {}) if event is not None else {}
    return {"path": dict(ctx.path_params), "querystring": query, "header": headers}


def template_context(
    ctx: InvocationContext,
    *,
    request_override: Mapping[str, Mapping[str, str]] | None = None,
    integration_status: int | None = None,
) -> dict[str, Any]:
    """``$context`` for a mapping template."""
    context = context_variables(ctx)
    if request_override:
        context["requestOverride"] = {k: dict(v) for k, v in request_override.items()}
    if integration_status is not None:
        # "$context.integration.status: the status code returned from an integration"
        # (developer guide, "Variables for data transformations").
        context["integration"] = {"status": integration_status}
        context["integrationStatus"] = integration_status
    return context


def render(
    template: str,
    ctx: InvocationContext,
    *,
    body: bytes | str,
    what: str,
    context: Mapping[str, Any] | None = None,
) -> vtl.RenderResult:
    """Render a mapping template; a template that fails is a 500, explained on the console
    (API Gateway: "Execution failed due to configuration error: Unable to transform ...")."""
    try:
        return vtl.render(
            template,
            input=vtl.TemplateInput(body=body, params=template_params(ctx)),
            context=template_context(ctx) if context is None else context,
            stage_variables=ctx.stage.variables,
        )
    except vtl.TemplateError as exc:
        log(
            ctx,
            f"Execution failed due to configuration error: Unable to transform {what}: "
            f"{exc}\n{_listing(template, exc.line)}",
        )
        raise GatewayResponseError("API_CONFIGURATION_ERROR", f"{what}: {exc}") from None


def map_request_parameters(
    mapping: Mapping[str, str], ctx: InvocationContext
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
    """``integration.request.{header,querystring,path}.X`` from their sources; a source
    that is absent from the request leaves its target unset."""
    header: dict[str, str] = {}
    query: dict[str, list[str]] = {}
    path: dict[str, str] = {}
    for target, source in mapping.items():
        _, _, kind, name = target.split(".", 3)
        value = request_source(source, ctx)
        if value is None:
            continue
        if kind == "querystring":
            query[name] = list(value) if isinstance(value, list) else [value]
            continue
        text = ",".join(value) if isinstance(value, list) else value
        if kind == "header":
            set_header(header, name, text)
        else:
            path[name] = text
    return header, query, path


def request_source(expression: str, ctx: InvocationContext) -> str | list[str] | None:
    """The value of a method request mapping expression (developer guide, "Parameter
    mapping source reference for REST APIs")."""
    if not expression.startswith("method.request."):
        return common_source(expression, ctx)
    kind, _, name = expression.removeprefix("method.request.").partition(".")
    event = ctx.event
    if kind == "header":
        return ctx.header(name)
    if kind == "multivalueheader":
        values = [v for k, v in ctx.headers if k.lower() == name.lower()]
        return values or None
    if kind == "querystring":
        return ((event["queryStringParameters"] if event else None) or {}).get(name)
    if kind == "multivaluequerystring":
        return ((event["multiValueQueryStringParameters"] if event else None) or {}).get(name)
    if kind == "path":
        return ctx.path_params.get(name)
    if kind == "body":
        return body_value(ctx.body, name)
    return None


def common_source(
    expression: str, ctx: InvocationContext, context: Mapping[str, Any] | None = None
) -> str | None:
    """``'static'``, ``context.x.y`` and ``stageVariables.x``: the sources every mapping
    (request, response) may use."""
    if len(expression) >= 2 and expression[0] == expression[-1] == "'":
        return expression[1:-1]
    kind, _, name = expression.partition(".")
    if kind == "stageVariables":
        return ctx.stage.variables.get(name)
    if kind == "context":
        value: Any = context_variables(ctx) if context is None else context
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return None if value is None else _text(value)
    return None


def body_value(body: bytes | str, path: str) -> str | None:
    """``...body`` (the whole payload) or ``...body.a.b[0]`` (a JSON path into it)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not path:
        return text
    try:
        value: Any = json.loads(text)
    except ValueError:
        return None
    for part in path.removeprefix("$.").replace("[", ".").replace("]", "").split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return None if value is None else _text(value)


def set_header(headers: dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing one of the same name in another case."""
    for existing in [k for k in headers if k.lower() == name.lower()]:
        del headers[existing]
    headers[name] = value


def find_header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    """The last value of a header in a list of pairs, by case-insensitive name."""
    found = None
    lower = name.lower()
    for key, value in headers:
        if key.lower() == lower:
            found = value
    return found


def log(ctx: InvocationContext, text: str) -> None:
    """What API Gateway's execution log would say, on the console."""
    print(
        f"[ERROR] {ctx.api.name} {ctx.method} {ctx.resource} RequestId: {ctx.request_id}\n{text}",
        file=sys.stderr,
        flush=True,
    )


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _listing(template: str, line: int | None) -> str:
    lines = template.splitlines() or [""]
    return "\n".join(
        f"{'>' if number == line else ' '} {number:3} | {text}"
        for number, text in enumerate(lines, 1)
    )
