"""Non-proxy integrations: MOCK, HTTP, HTTP_PROXY, Lambda custom (AWS) and AWS services.

Pure declarations. The local gateway runs them (``framework.gateway.integrations``), synth
writes them as ``x-amazon-apigateway-integration``. Mapping templates are VTL
(``framework.gateway.vtl``); parameter mappings use API Gateway's expressions
(``method.request.header.X``, ``'static'``, ``context.requestId``, ``stageVariables.x``,
``integration.response.header.Y``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from framework._record import field, record
from framework.errors import InvalidOptionError

Passthrough = Literal["WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"]
ContentHandling = Literal["CONVERT_TO_TEXT", "CONVERT_TO_BINARY"]

_REQUEST_TARGET = re.compile(r"integration\.request\.(header|querystring|path)\.[^\s]+")
_REQUEST_SOURCE = re.compile(
    r"method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.[^\s]+"
    r"|method\.request\.body(\.[^\s]+)?|context\.[^\s]+|stageVariables\.[^\s]+|'[^']*'"
)
_RESPONSE_TARGET = re.compile(r"method\.response\.header\.[^\s]+")
_RESPONSE_SOURCE = re.compile(
    r"integration\.response\.(header|multivalueheader)\.[^\s]+"
    r"|integration\.response\.body(\.[^\s]+)?|context\.[^\s]+|stageVariables\.[^\s]+|'[^']*'"
)


@record
class IntegrationResponse:
    """How a backend's answer becomes the method's response.

    ``selection_pattern`` (a regular expression, matched in full) picks this response: for
    HTTP and MOCK against the backend's status code, for Lambda against the error
    message. The response without a pattern is the default.
    """

    status_code: int = 200
    selection_pattern: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    content_handling: ContentHandling | None = None

    def __post_init__(self) -> None:
        where = f"IntegrationResponse {self.status_code}"
        if (
            isinstance(self.status_code, bool)
            or not isinstance(self.status_code, int)
            or not (100 <= self.status_code <= 599)
        ):
            raise InvalidOptionError(f"{where}: status_code must be 100-599")
        if self.selection_pattern is not None:
            try:
                re.compile(self.selection_pattern)
            except re.error as exc:
                raise InvalidOptionError(f"{where}: selection_pattern: {exc}") from exc
        for name, source in self.headers.items():
            if not _RESPONSE_SOURCE.fullmatch(source):
                raise InvalidOptionError(
                    f"{where}: header {name}: {source!r} is not a response mapping "
                    "(integration.response.header.X, integration.response.body.x, "
                    "'static', context.x, stageVariables.x)"
                )


def _responses(
    where: str, responses: Sequence[IntegrationResponse] | None
) -> tuple[IntegrationResponse, ...]:
    result = tuple(responses or (IntegrationResponse(),))
    defaults = [r for r in result if r.selection_pattern is None]
    if len(defaults) > 1:
        raise InvalidOptionError(f"{where}: only one integration response may be the default")
    patterns = [r.selection_pattern for r in result if r.selection_pattern is not None]
    repeated = sorted({p for p in patterns if patterns.count(p) > 1})
    if repeated:
        raise InvalidOptionError(f"{where}: selection pattern {repeated[0]!r} is used twice")
    return result


def _request_parameters(where: str, mapping: Mapping[str, str] | None) -> dict[str, str]:
    result = dict(mapping or {})
    for target, source in result.items():
        if not _REQUEST_TARGET.fullmatch(target):
            raise InvalidOptionError(
                f"{where}: {target!r} must be integration.request.header|querystring|path.NAME"
            )
        if not _REQUEST_SOURCE.fullmatch(source):
            raise InvalidOptionError(
                f"{where}: {source!r} for {target} must be method.request.header|querystring|"
                "path.NAME, 'static', context.x or stageVariables.x"
            )
    return result


def _passthrough(where: str, value: str) -> Passthrough:
    if value not in ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"):
        raise InvalidOptionError(
            f"{where}: passthrough must be WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER"
        )
    return value  # type: ignore[return-value]


@record(eq=False)
class MockIntegration:
    """API Gateway answers itself: the request template picks the status code
    (``{"statusCode": 200}``), the integration responses give the body."""

    request_template: str = '{"statusCode": 200}'
    responses: tuple[IntegrationResponse, ...] = ()

    runs_lambda = False

    @property
    def type(self) -> str:
        return "MOCK"


@record(eq=False)
class HttpIntegration:
    """An HTTP backend. ``proxy=True`` (HTTP_PROXY) passes the request through and the
    response back; ``proxy=False`` (HTTP) maps both with templates and responses.

    ``url`` may use ``{name}`` path parameters (``{proxy}`` for a greedy one) and
    ``${stageVariables.name}``.
    """

    url: str
    proxy: bool = True
    http_method: str | None = None  # None: the method's own
    request_parameters: Mapping[str, str] = field(default_factory=dict)
    request_templates: Mapping[str, str] = field(default_factory=dict)
    passthrough: Passthrough = "WHEN_NO_MATCH"
    responses: tuple[IntegrationResponse, ...] = ()
    content_handling: ContentHandling | None = None

    runs_lambda = False

    @property
    def type(self) -> str:
        return "HTTP_PROXY" if self.proxy else "HTTP"


@record(eq=False)
class LambdaIntegration:
    """A Lambda custom integration (type AWS): the request template's output is the event;
    the function's result (or its error message, for ``selection_pattern``) goes through
    the integration responses. The decorated function is a plain Lambda handler
    ``(event, context)``, in a function of its own."""

    request_templates: Mapping[str, str] = field(default_factory=dict)
    passthrough: Passthrough = "WHEN_NO_MATCH"
    responses: tuple[IntegrationResponse, ...] = ()
    content_handling: ContentHandling | None = None

    runs_lambda = True

    @property
    def type(self) -> str:
        return "AWS"


@record(eq=False)
class AwsIntegration:
    """An AWS service action (``service="sqs", action="SendMessage"``, or a ``path``),
    called by API Gateway with ``credentials_role``.

    Locally nothing reaches AWS: ``local`` is either a Python stand-in called with the
    rendered request body (a str) that returns the service's response body (a dict or
    str) or raises, or an ``http://`` endpoint of a local service (DynamoDB Local, a moto
    server) that receives the request as the AWS service would.
    """

    service: str
    action: str | None = None
    path: str | None = None
    http_method: str = "POST"
    credentials_role: str | None = None
    request_parameters: Mapping[str, str] = field(default_factory=dict)
    request_templates: Mapping[str, str] = field(default_factory=dict)
    passthrough: Passthrough = "WHEN_NO_MATCH"
    responses: tuple[IntegrationResponse, ...] = ()
    local: Callable[[str], Any] | str | None = None

    runs_lambda = False

    @property
    def type(self) -> str:
        return "AWS"


Integration = MockIntegration | HttpIntegration | LambdaIntegration | AwsIntegration


def mock(
    *,
    status_code: int = 200,
    request_template: str | None = None,
    responses: Sequence[IntegrationResponse] | None = None,
    template: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> MockIntegration:
    """A MOCK integration; the short form answers ``status_code`` with ``template``."""
    where = "mock"
    if responses is None:
        responses = [
            IntegrationResponse(
                status_code,
                headers=dict(headers or {}),
                templates={"application/json": template} if template is not None else {},
            )
        ]
    return MockIntegration(
        request_template or f'{{"statusCode": {status_code}}}', _responses(where, responses)
    )


def http(
    url: str,
    *,
    proxy: bool = True,
    http_method: str | None = None,
    request_parameters: Mapping[str, str] | None = None,
    request_templates: Mapping[str, str] | None = None,
    passthrough: str = "WHEN_NO_MATCH",
    responses: Sequence[IntegrationResponse] | None = None,
    content_handling: ContentHandling | None = None,
) -> HttpIntegration:
    where = f"http {url}"
    if not isinstance(url, str) or not re.match(r"https?://", url):
        raise InvalidOptionError(f"{where}: the url must start with http:// or https://")
    if "+}" in url:
        # API Gateway substitutes {proxy} from integration.request.path.proxy.
        raise InvalidOptionError(f"{where}: write the greedy path parameter as {{proxy}}")
    if proxy and (request_templates or responses):
        raise InvalidOptionError(
            f"{where}: an HTTP_PROXY integration passes the request through; templates and "
            "integration responses need proxy=False"
        )
    return HttpIntegration(
        url,
        proxy,
        http_method.upper() if http_method else None,
        _request_parameters(where, request_parameters),
        dict(request_templates or {}),
        _passthrough(where, passthrough),
        _responses(where, responses) if not proxy else (),
        content_handling,
    )


def lambda_custom(
    *,
    request_templates: Mapping[str, str] | None = None,
    passthrough: str = "WHEN_NO_MATCH",
    responses: Sequence[IntegrationResponse] | None = None,
    content_handling: ContentHandling | None = None,
) -> LambdaIntegration:
    where = "lambda_custom"
    return LambdaIntegration(
        dict(request_templates or {}),
        _passthrough(where, passthrough),
        _responses(where, responses),
        content_handling,
    )


def aws(
    service: str,
    *,
    action: str | None = None,
    path: str | None = None,
    http_method: str = "POST",
    credentials_role: str | None = None,
    request_parameters: Mapping[str, str] | None = None,
    request_templates: Mapping[str, str] | None = None,
    passthrough: str = "WHEN_NO_MATCH",
    responses: Sequence[IntegrationResponse] | None = None,
    local: Callable[[str], Any] | str | None = None,
) -> AwsIntegration:
    where = f"aws {service}"
    if not isinstance(service, str) or not re.fullmatch(r"[a-z0-9-]+", service):
        raise InvalidOptionError(f"{where}: service must be a lower-case service name (sqs)")
    if (action is None) == (path is None):
        raise InvalidOptionError(f"{where}: give exactly one of action= or path=")
    if isinstance(local, str) and not re.match(r"https?://", local):
        raise InvalidOptionError(f"{where}: local must be a callable or an http:// endpoint")
    return AwsIntegration(
        service,
        action,
        path,
        http_method.upper(),
        credentials_role,
        _request_parameters(where, request_parameters),
        dict(request_templates or {}),
        _passthrough(where, passthrough),
        _responses(where, responses),
        local,
    )
