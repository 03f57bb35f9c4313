"""Serve the local gateway with uvicorn: one port per API, every stage on each."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import uvicorn

from framework.declare.api import RestApi
from framework.gateway.app import Receive, Scope, Send, create_app
from framework.gateway.lambda_env import LambdaService


@dataclass(frozen=True, slots=True)
class Binding:
    api: RestApi
    port: int
    stage: str


def plan_ports(apis: Sequence[RestApi], port: int, stage: str | None) -> list[Binding]:
    """The first API on ``port``, the next on ``port + 1``, and so on (like separate hosts)."""
    bindings = []
    for index, api in enumerate(apis):
        chosen = stage if stage and any(s.name == stage for s in api.stages) else None
        if stage and chosen is None and len(apis) == 1:
            api.get_stage(stage)  # raises, naming the declared stages
        bindings.append(Binding(api, port + index, chosen or api.stages[0].name))
    return bindings


def banner(bindings: Sequence[Binding], host: str) -> str:
    """What start-up prints: each API's base URLs and each route with its URL."""
    lines = []
    for binding in bindings:
        api = binding.api
        base = f"http://{host}:{binding.port}"
        lines.append(f"{api.name}: {len(api.routes)} route(s)")
        for stage in api.stages:
            mark = "  (also at " + base + "/)" if stage.name == binding.stage else ""
            lines.append(f"  stage {stage.name}: {base}/{stage.name}/{mark}")
        width = max((len(r.method) for r in api.routes), default=3)
        for route in api.routes:
            path = route.path.lstrip("/")
            needs_key = "  (API key)" if route.api_key_required else ""
            lines.append(
                f"  {route.method:<{width}} {base}/{binding.stage}/{path}"
                f"  -> {route.function}.{route.name}{needs_key}"
            )
        for plan in api.usage_plans:
            limits = []
            if plan.throttle:
                limits.append(f"{plan.throttle.rate:g}/s burst {plan.throttle.burst}")
            if plan.quota:
                limits.append(f"{plan.quota.limit}/{plan.quota.period.lower()}")
            stages = ", ".join(api.plan_stages(plan))
            lines.append(f"  usage plan {plan.name} ({'; '.join(limits) or 'no limits'}; {stages})")
            for key in plan.keys:
                state = "" if key.enabled else "  (disabled)"
                origin = "  (generated for local use)" if key.generated else ""
                lines.append(f"    x-api-key: {key.value}  {key.name}{state}{origin}")
        if api.usage_plans:
            lines.append(f"  usage so far: {base}/__framework/usage")
    return "\n".join(lines)


class _ByPort:
    """One ASGI app for several APIs: the local port a request arrived on picks the API."""

    def __init__(self, apps: dict[int, Any]) -> None:
        self.apps = apps
        self.first = next(iter(apps.values()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.first(scope, receive, send)
            return
        server = scope.get("server")
        app = self.apps.get(server[1], self.first) if server else self.first
        await app(scope, receive, send)


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every keep-alive response waits for the client's delayed ACK (~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"framework: cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def configure_logging(quiet: bool = False) -> None:
    logger = logging.getLogger("framework.gateway")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False


def serve(
    apis: Sequence[RestApi],
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    stage: str | None = None,
    quiet: bool = False,
) -> None:
    """Serve ``apis`` until interrupted."""
    bindings = plan_ports(apis, port, stage)
    sockets = [_socket(host, b.port) for b in bindings]
    configure_logging(quiet)
    print(banner(bindings, host), flush=True)
    # After the banner: creating the gateways prints where AWS service integrations go.
    lambdas = LambdaService(list(apis))
    apps = {b.port: create_app(b.api, stage=b.stage, lambdas=lambdas) for b in bindings}
    for key in sorted(lambdas.environment.conflicts):
        print(f"framework: functions disagree on ${key}: their invocations are serialised")
    config = uvicorn.Config(
        _ByPort(apps),
        log_level="warning",
        access_log=False,
        lifespan="off",
        loop="auto",  # uvloop and httptools when installed (uvicorn[standard])
        server_header=False,
    )
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=sockets))
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it handled
        pass
    finally:
        lambdas.close()
        for sock in sockets:
            sock.close()
