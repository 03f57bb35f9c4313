"""The Lambda entry point: an API Gateway proxy event in, a proxy response out.

API Gateway has already routed the request, so dispatch is one dict lookup on
``(event["resource"], event["httpMethod"])``; the URL is never matched again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping

from framework.errors import HTTPError
from framework.runtime.binding import Binding, plan
from framework.runtime.request import Request
from framework.runtime.response import dumps, to_proxy_response

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.declare.api import RestApi
    from framework.declare.asgi import AsgiMount
    from framework.declare.routes import Route
    from framework.events.types import LambdaContext, ProxyResponse


class _Endpoint:
    """One route, ready to call: its parameter plan is worked out once, at first use."""

    __slots__ = ("bindings", "cors", "handler", "route", "static_cors")

    def __init__(self, route: Route) -> None:
        if route.handler is None:  # the dispatcher only takes Lambda proxy routes
            raise ValueError(f"{route}: no handler")
        self.handler: Callable[..., Any] = route.handler
        self.route = route
        self.bindings: tuple[Binding, ...] | None = None
        self.cors = route.cors
        # With one allowed origin (or '*') the CORS headers never depend on the request.
        self.static_cors = (
            route.cors.response_headers(None)
            if route.cors is not None and len(route.cors.allow_origins) == 1
            else None
        )

    def cors_headers(self, request: Request) -> dict[str, str] | None:
        if self.cors is None:
            return None
        if self.static_cors is not None:
            return self.static_cors
        return self.cors.response_headers(request.headers.get("origin"))

    def __call__(self, event: Mapping[str, Any], context: LambdaContext | None) -> ProxyResponse:
        request = Request(event, context)
        route = self.route
        try:
            bindings = self.bindings
            if bindings is None:
                bindings = self.bindings = plan(self.handler, route.resource.params, str(route))
            kwargs: dict[str, Any] = {}
            if bindings:
                path_params = event.get("pathParameters") or {}
                for binding in bindings:
                    if binding.kind == "path":
                        kwargs[binding.name] = path_params.get(binding.name)
                    elif binding.kind == "request":
                        kwargs[binding.name] = request
                    else:
                        kwargs[binding.name] = _parse_model(binding.model, request)
            value = self.handler(**kwargs)
        except HTTPError as error:
            headers = dict(self.cors_headers(request) or {})
            headers.update(error.headers)
            return _error_response(error.status_code, error_body(error), headers)
        return to_proxy_response(
            value, status_code=route.status_code, extra_headers=self.cors_headers(request)
        )


def error_body(error: HTTPError) -> dict[str, Any]:
    body: dict[str, Any] = {"message": error.message}
    details = getattr(error, "details", None)
    if details is not None:
        body["errors"] = details
    return body


def _error_response(status: int, body: dict[str, Any], headers: dict[str, str]) -> ProxyResponse:
    headers["Content-Type"] = "application/json"
    return {
        "statusCode": status,
        "headers": headers,
        "body": dumps(body),
        "isBase64Encoded": False,
    }


class InvalidBodyError(HTTPError):
    """400 with pydantic's validation errors under ``errors``."""

    status_code = 400
    default_message = "Invalid request body"

    def __init__(self, details: list[dict[str, Any]]):
        super().__init__()
        self.details = details


def _parse_model(model: Any, request: Request) -> Any:
    # Pydantic is only imported when the app uses a model: the model class brings it.
    try:
        return model.model_validate_json(request.body or b"null")
    except ValueError as exc:  # pydantic.ValidationError is a ValueError
        errors = getattr(exc, "errors", None)
        details = (
            [
                {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                for e in errors(include_url=False)
            ]
            if callable(errors)
            else [{"loc": [], "msg": str(exc), "type": "value_error"}]
        )
        raise InvalidBodyError(details) from exc


class _LazyAsgi:
    """Imports Mangum only when the app's first request arrives."""

    __slots__ = ("endpoint", "mount")

    def __init__(self, mount: AsgiMount) -> None:
        self.mount = mount
        self.endpoint: Callable[..., ProxyResponse] | None = None

    def __call__(self, event: Mapping[str, Any], context: LambdaContext | None) -> ProxyResponse:
        if self.endpoint is None:
            from framework.runtime.asgi import AsgiEndpoint

            self.endpoint = AsgiEndpoint(self.mount)
        return self.endpoint(event, context)


class Dispatcher:
    """``api.handler``: maps ``(resource, httpMethod)`` to the route's endpoint."""

    def __init__(self, api: RestApi) -> None:
        self.api = api
        self._table: dict[tuple[str, str], Callable[..., ProxyResponse]] = {}
        apps: dict[int, Callable[..., ProxyResponse]] = {}
        for route in api.routes:
            if route.integration is not None:
                continue  # MOCK, HTTP, AWS service, or a Lambda custom integration's own function
            if route.asgi is None:
                self._table[route.key] = _Endpoint(route)
                continue
            # One Mangum handler per mounted app, built at the first request of its function.
            if id(route.asgi) not in apps:
                apps[id(route.asgi)] = _LazyAsgi(route.asgi)
            self._table[route.key] = apps[id(route.asgi)]

    def __call__(
        self, event: Mapping[str, Any], context: LambdaContext | None = None
    ) -> ProxyResponse:
        try:
            resource = event["resource"]
            method = event["httpMethod"]
        except (KeyError, TypeError):
            # Not an API Gateway REST event: fail the invocation, as a misrouted event should.
            raise ValueError(
                "api.handler expects an API Gateway REST proxy event "
                "(with 'resource' and 'httpMethod')"
            ) from None
        endpoint = self._table.get((resource, method)) or self._table.get((resource, "ANY"))
        if endpoint is None:
            # Only a deployment that does not match the declaration gets here.
            print(
                f"framework: no route for {method} {resource} in API {self.api.name}",
                file=sys.stderr,
            )
            return _error_response(404, {"message": f"No route for {method} {resource}"}, {})
        return endpoint(event, context)
