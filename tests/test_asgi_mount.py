"""A FastAPI app behind the local gateway answers as it does under uvicorn directly, apart
from the differences API Gateway makes (shared/API-GATEWAY.md)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from framework import RestApi
from framework.declare.asgi import asgi_routes, mount_resources
from framework.errors import InvalidOptionError, InvalidPathError
from framework.testing import rest_event
from tests.conftest import ROOT, Server, free_port

EXAMPLE = str(ROOT / "examples/fastapi_app/app.py")


@pytest.fixture(scope="module")
def gateway() -> Iterator[Server]:
    server = Server(EXAMPLE, "--quiet")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def uvicorn_base() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app:app", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT / "examples/fastapi_app",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        Server.wait_for(process, port)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(base: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as client:
        return client.request(method, path, **kwargs)


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/items/3?q=shoes", {}),
    ("GET", "/items/not-a-number", {}),
    ("POST", "/items", {"json": {"name": "hat", "price": 9.5}}),
    ("POST", "/items", {"json": {"name": "hat"}}),
    ("GET", "/teapot", {}),
    ("GET", "/boom", {}),
    ("GET", "/nowhere", {}),
    ("GET", "/logo.png", {"headers": {"Accept": "image/png"}}),
]


@pytest.mark.parametrize(("method", "path", "kwargs"), REQUESTS)
def test_the_app_answers_as_under_uvicorn(
    gateway: Server, uvicorn_base: str, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    direct = fetch(uvicorn_base, method, path, **kwargs)
    for prefix in ("/dev/app", "/app"):  # under the stage, and at the bare local URL
        through = fetch(gateway.base, method, prefix + path, **kwargs)
        assert through.status_code == direct.status_code
        assert through.content == direct.content
        assert through.headers["content-type"] == direct.headers["content-type"]
        assert through.headers["x-amzn-requestid"]


def test_cookies_go_both_ways(gateway: Server, uvicorn_base: str) -> None:
    direct = fetch(uvicorn_base, "GET", "/login")
    through = fetch(gateway.base, "GET", "/dev/app/login")
    assert through.headers.get_list("set-cookie") == direct.headers.get_list("set-cookie")
    cookie = {"Cookie": "session=s3cret"}
    seen = fetch(gateway.base, "GET", "/dev/app/whoami", headers=cookie).json()
    assert seen["cookies"] == {"session": "s3cret"}


def test_url_for_and_redirects_point_under_the_stage_and_the_mount(
    gateway: Server, uvicorn_base: str
) -> None:
    assert fetch(uvicorn_base, "GET", "/old").headers["location"] == f"{uvicorn_base}/items/7"
    staged = fetch(gateway.base, "GET", "/dev/app/old")
    assert staged.status_code == 307
    assert staged.headers["location"] == f"{gateway.base}/dev/app/items/7"
    bare = fetch(gateway.base, "GET", "/app/old")
    assert bare.headers["location"] == f"{gateway.base}/app/items/7"
    whoami = fetch(gateway.base, "GET", "/prod/app/whoami").json()
    assert whoami == {
        "stage": "prod",
        "tier": "prod",
        "cookies": {},
        "self": f"{gateway.base}/prod/app/items/1",
    }


def test_the_docs_page_loads_its_openapi_under_the_stage(gateway: Server) -> None:
    docs = fetch(gateway.base, "GET", "/dev/app/docs")
    assert docs.status_code == 200
    assert "url: '/dev/app/openapi.json'" in docs.text
    spec = fetch(gateway.base, "GET", "/dev/app/openapi.json").json()
    assert spec["servers"] == [{"url": "/dev/app"}]
    assert "/items/{item_id}" in spec["paths"]


def test_binary_needs_a_binary_accept_as_on_api_gateway(gateway: Server) -> None:
    as_text = fetch(gateway.base, "GET", "/dev/app/logo.png", headers={"Accept": "*/*"})
    assert as_text.content == b"iVBORw0KGgoAZmFrZQ=="  # the base64 text, as AWS sends it


def test_routes_declared_one_by_one_are_their_own_methods(gateway: Server) -> None:
    assert fetch(gateway.base, "GET", "/dev/v2/items/5").json() == {"item_id": 5, "q": None}
    # An undeclared method is API Gateway's 403 now, not the app's 405.
    refused = fetch(gateway.base, "DELETE", "/dev/v2/items/5")
    assert refused.status_code == 403
    assert refused.json() == {"message": "Missing Authentication Token"}


def test_the_lambda_handler_runs_the_app_through_mangum() -> None:
    from framework.discovery import load_module

    api: RestApi = load_module(EXAMPLE)[0].api
    event = rest_event(api, "GET", "/app/items/9?q=a", stage="dev")
    # Mangum runs the app on the thread's event loop (Lambda keeps it for the next call).
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        response = api.handler(event, None)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    assert response["statusCode"] == 200
    assert response["body"] == '{"item_id":9,"q":"a"}'


def test_mount_declares_the_prefix_and_the_greedy_resource() -> None:
    assert mount_resources("/app/{proxy+}") == ("/app", ("/app", "/app/{proxy+}"))
    assert mount_resources("/app") == ("/app", ("/app", "/app/{proxy+}"))
    assert mount_resources("/{proxy+}") == ("", ("/", "/{proxy+}"))
    with pytest.raises(InvalidPathError):
        mount_resources("app")


def test_starlette_paths_become_api_gateway_resources() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route, WebSocketRoute

    async def endpoint(request: Any) -> None: ...

    app = Starlette(
        routes=[
            Route("/users/{user_id:int}", endpoint, methods=["GET", "PUT"]),
            Route("/files/{rest:path}", endpoint),
        ]
    )
    assert asgi_routes(app, "/v1") == [
        ("/v1/users/{user_id}", ("GET", "PUT")),
        ("/v1/files/{rest+}", ("GET",)),
    ]
    with_socket = Starlette(routes=[WebSocketRoute("/ws", endpoint)])
    with pytest.raises(InvalidOptionError, match="not an HTTP route"):
        asgi_routes(with_socket)
