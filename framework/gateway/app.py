"""The local API Gateway: an ASGI app that runs the pipeline for one or more REST APIs.

Each declared stage answers at ``/{stage}/...`` (the invoke-URL shape) and the chosen
stage also at ``/...`` (as ``sam local start-api`` serves it).
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI

from framework.declare.api import RestApi, Stage
from framework.events.proxy import HttpResponse
from framework.gateway import steps
from framework.gateway.authorize import Authorization
from framework.gateway.clock import Clock, SystemClock
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.integrations import Integrations
from framework.gateway.lambda_env import LambdaService
from framework.gateway.metering import Metering
from framework.gateway.responses import render
from framework.gateway.route import ResourceTree, route
from framework.gateway.validate import RequestValidation

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

access_log = logging.getLogger("framework.gateway")
_FRAMING = frozenset({"content-length", "transfer-encoding", "connection"})


class TooLarge(Exception):
    pass


class ApiGateway:
    """The pipeline for one REST API (every stage of it), as an ASGI app."""

    def __init__(
        self,
        api: RestApi,
        lambdas: LambdaService,
        *,
        stage: str | None = None,
        clock: Clock | None = None,
    ):
        self.api = api
        self.lambdas = lambdas
        self.clock = clock or SystemClock()
        self.authorization = Authorization(api, lambdas, self.clock)
        self.metering = Metering(api, self.clock)
        self.gateway_responses = api.gateway_responses()
        self.stages: dict[str, Stage] = {s.name: s for s in api.stages}
        self.default_stage = api.get_stage(stage) if stage else api.stages[0]
        self.tree = ResourceTree(api)
        self.validate = RequestValidation()
        self.integrations = Integrations(api, lambdas)

    def split_stage(self, raw_path: str) -> tuple[Stage, str, bool]:
        """``/prod/pets`` -> (prod, ``/pets``, True); a path without a stage -> the chosen
        stage, the whole path, False."""
        trimmed = raw_path.lstrip("/")
        first, slash, rest = trimmed.partition("/")
        stage = self.stages.get(first)
        if stage is not None:
            return stage, (slash + rest) or "/", True
        return self.default_stage, raw_path or "/", False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        raw = scope.get("raw_path")
        raw_path = raw.decode("latin-1") if raw else quote(scope.get("path", "/"))
        raw_path = raw_path.split("?", 1)[0]
        stage, path, stage_in_path = self.split_stage(raw_path)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        client = scope.get("client") or ("127.0.0.1", 0)
        server = scope.get("server") or ("127.0.0.1", 80)
        ctx = InvocationContext(
            api=self.api,
            stage=stage,
            method=scope["method"],
            raw_path=path,
            stage_in_path=stage_in_path,
            query_string=scope.get("query_string", b"").decode("latin-1"),
            headers=headers,
            source_ip=client[0],
            port=server[1] or 80,
            scheme=scope.get("scheme", "http"),
            protocol=f"HTTP/{scope.get('http_version', '1.1')}",
            started=started,
        )
        length = ctx.header("content-length")
        ctx.content_length = int(length) if length and length.isdigit() else None
        try:
            response = await self.run(ctx, receive)
        except GatewayResponseError as error:
            if error.detail:
                access_log.debug("%s %s: %s", ctx.method, raw_path, error.detail)
            response = render(error, ctx, self.gateway_responses)
        except Exception as exc:  # a bug of ours must not take the server down
            traceback.print_exception(exc, file=sys.stderr)
            response = render(GatewayResponseError("LAMBDA_ERROR"), ctx, self.gateway_responses)
        await _send(send, response, head=ctx.method == "HEAD")
        access_log.info(
            '%s "%s %s" %s %s %d %.1fms',
            ctx.source_ip,
            ctx.method,
            raw_path,
            f"{stage.name} {ctx.resource or '-'}",
            ctx.route.function if ctx.route and ctx.route.invokes_lambda else "-",
            response.status,
            (time.perf_counter() - started) * 1000,
        )

    async def run(self, ctx: InvocationContext, receive: Receive) -> HttpResponse:
        """parse -> route -> policy -> authorize -> api_key -> throttle -> validate ->
        integrate -> respond."""
        steps.parse(ctx, self.clock)
        ctx.body = await _read_body(receive, steps.MAX_PAYLOAD_BYTES, ctx)
        route(ctx, self.tree)
        if ctx.preflight is not None:
            return steps.preflight(ctx)
        steps.build_event(ctx)
        self.authorization.policy(ctx)
        await self.authorization.authorize(ctx)
        self.metering.api_key(ctx)
        self.metering.throttle(ctx)
        self.validate(ctx)
        if ctx.route is not None and ctx.route.integration is not None:
            # MOCK, HTTP, HTTP_PROXY, AWS: integration request and response in one step.
            return await self.integrations(ctx)
        await steps.integrate(ctx, self.lambdas)
        return steps.respond(ctx)


async def _read_body(receive: Receive, limit: int, ctx: InvocationContext) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise GatewayResponseError("REQUEST_TOO_LARGE", f"more than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _send(send: Send, response: HttpResponse, *, head: bool = False) -> None:
    # API Gateway frames the response itself: the function's Content-Length is replaced.
    headers = [
        (k.encode("latin-1"), v.encode("latin-1"))
        for k, v in response.headers
        if k.lower() not in _FRAMING
    ]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else response.body})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


class GatewayApp(FastAPI):
    """The local gateway's FastAPI app: its own routes live under ``/__framework/``; every
    other request goes straight to the API Gateway pipeline, past FastAPI's middleware
    (which would add ~25 µs a request for nothing: the pipeline renders its own errors)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/__framework/"):
            await self.state.gateway(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    api: RestApi,
    *,
    stage: str | None = None,
    lambdas: LambdaService | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The local gateway for ``api`` as a FastAPI app (serve it with uvicorn).

    ``stage`` is the stage also served at the bare URL (default: the first declared).
    """
    service = lambdas or LambdaService([api])
    gateway = ApiGateway(api, service, stage=stage, clock=clock)
    app = GatewayApp(
        title=f"{api.name} (local API Gateway)", openapi_url=None, docs_url=None, redoc_url=None
    )
    app.state.gateway = gateway

    @app.get("/__framework/usage", include_in_schema=False)
    def usage() -> dict[str, Any]:
        """The local gateway's metering: each usage plan's keys, quota used and left."""
        return gateway.metering.report()

    app.mount("/", gateway)
    return app
