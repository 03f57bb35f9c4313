"""Test helpers for your own pytest suite.

``Client(api, stage="dev")`` sends requests through the whole local gateway, in-process,
and returns ``httpx.Response`` objects::

    from framework.testing import Client
    from myapp import api

    def test_get_pet():
        with Client(api, stage="dev") as client:
            response = client.get("/pets/1")
        assert response.json()["id"] == "1"

``rest_event(...)`` builds the event API Gateway would send for a request, to call
``api.handler`` directly. ``mint_cognito_token(authorizer, ...)`` signs a Cognito-shaped
JWT the local gateway accepts; ``ManualClock`` lets a test move time (authorizer caches,
token expiry) without sleeping.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx

from framework.declare.api import RestApi
from framework.events.rest import build_rest_event
from framework.events.types import RestProxyEvent
from framework.gateway.app import create_app
from framework.gateway.clock import Clock, ManualClock
from framework.gateway.cognito import mint_token as mint_cognito_token
from framework.gateway.route import ResourceTree

T = TypeVar("T")

__all__ = ["AsyncClient", "Client", "ManualClock", "mint_cognito_token", "rest_event"]


class _LoopThread:
    """An event loop on a daemon thread: the gateway runs there as it would under uvicorn."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="gateway")
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


class _SyncASGITransport(httpx.BaseTransport):
    def __init__(self, app: Any, client: tuple[str, int]) -> None:
        self._transport = httpx.ASGITransport(app=app, client=client)
        self._loop = _LoopThread()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()

        async def send() -> httpx.Response:
            response = await self._transport.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        return self._loop.run(send())

    def close(self) -> None:
        self._loop.close()


def _base_url(stage: str | None, host: str) -> str:
    return f"http://{host}/{stage}" if stage else f"http://{host}"


class Client(httpx.Client):
    """An ``httpx.Client`` whose requests go through the local gateway for ``api``.

    Paths are relative to the stage: ``Client(api, stage="prod").get("/pets")`` requests
    ``/prod/pets``. With ``stage=None`` requests go to the bare URL (the first stage).
    """

    def __init__(
        self,
        api: RestApi,
        *,
        stage: str | None = None,
        source_ip: str = "127.0.0.1",
        clock: Clock | None = None,
        **kwargs: Any,
    ) -> None:
        if stage is not None:
            api.get_stage(stage)  # fail early, naming the declared stages
        app = create_app(api, stage=stage, clock=clock)
        self.app = app
        transport = _SyncASGITransport(app, (source_ip, 50000))
        super().__init__(transport=transport, base_url=_base_url(stage, "127.0.0.1:3000"), **kwargs)


class AsyncClient(httpx.AsyncClient):
    """The ``httpx.AsyncClient`` twin of ``Client``, for async tests."""

    def __init__(
        self, api: RestApi, *, stage: str | None = None, clock: Clock | None = None, **kwargs: Any
    ) -> None:
        if stage is not None:
            api.get_stage(stage)
        self.app = create_app(api, stage=stage, clock=clock)
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50000))
        super().__init__(transport=transport, base_url=_base_url(stage, "127.0.0.1:3000"), **kwargs)


def rest_event(
    api: RestApi,
    method: str,
    url: str,
    *,
    stage: str | None = None,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
    json: Any = None,
    source_ip: str = "127.0.0.1",
) -> RestProxyEvent:
    """The REST proxy event API Gateway would send ``api``'s function for this request.

    >>> event = rest_event(api, "GET", "/pets/1?verbose=1", stage="dev")
    >>> api.handler(event, None)["statusCode"]
    200
    """
    import json as _json

    the_stage = api.get_stage(stage) if stage else api.stages[0]
    parts = urlsplit(url)
    raw_path = parts.path or "/"
    query_string = parts.query
    if query:
        query_string = "&".join(filter(None, [query_string, urlencode(query)]))
    header_list = list((headers or {}).items())
    data = b""
    if json is not None:
        data = _json.dumps(json).encode()
        if not any(k.lower() == "content-type" for k, _ in header_list):
            header_list.append(("Content-Type", "application/json"))
    elif body is not None:
        data = body.encode() if isinstance(body, str) else body
    match = ResourceTree(api).match(method.upper(), raw_path)
    if match is None or match.route is None:
        raise LookupError(f"{api.name} has no method {method.upper()} for {raw_path}")
    return build_rest_event(
        api_name=api.name,
        method=method.upper(),
        raw_path=raw_path,
        query_string=query_string,
        headers=header_list,
        body=data,
        resource=match.route.path,
        path_parameters=match.path_params,
        stage=the_stage.name,
        stage_variables=the_stage.variables,
        source_ip=source_ip,
        binary_media_types=api.binary_media_types,
    )
