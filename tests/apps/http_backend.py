"""An HTTP backend for the HTTP and HTTP_PROXY integration tests: it tells what it received.

A Starlette app; ``tests/test_integrations.py`` serves it with uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)

# The request headers /echo reports (the others vary: Content-Length, Accept-Encoding...).
ECHOED_HEADERS = (
    "accept",
    "content-type",
    "host",
    "user-agent",
    "x-amzn-apigateway-api-id",
    "x-custom",
    "x-forwarded-for",
)


async def echo(request: Request) -> Response:
    """What arrived; the status is the request's ``X-Want-Status`` header (default 200)."""
    body = await request.body()
    report = {
        "method": request.method,
        "path": request.url.path,
        "query": request.url.query,
        "headers": {k: request.headers.get(k) for k in ECHOED_HEADERS if k in request.headers},
        "trace": "x-amzn-trace-id" in request.headers,
        "body": body.decode("utf-8", "replace"),
    }
    headers = [
        ("X-Backend", "echo"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("Server", "backend/1.0"),
    ]
    response = Response(
        json.dumps(report),
        status_code=int(request.headers.get("x-want-status", "200")),
        media_type="application/json",
    )
    response.raw_headers.extend((k.lower().encode(), v.encode()) for k, v in headers)
    return response


async def files(request: Request) -> Response:
    """A PNG; a POST answers with the bytes it received, as they came."""
    if request.method == "POST":
        return Response(await request.body(), media_type="application/octet-stream")
    return Response(PNG, media_type="image/png")


async def pets(request: Request) -> Response:
    """A legacy pet service the HTTP (non-proxy) integration maps to and from."""
    pet_id = request.path_params["pet_id"]
    if pet_id == "missing":
        return JSONResponse({"error": "not found"}, status_code=404)
    if pet_id == "broken":
        return JSONResponse({"error": "database down"}, status_code=503)
    received = json.loads(await request.body() or b"null")
    return JSONResponse(
        {
            "id": pet_id,
            "received": received,
            "caller": request.headers.get("x-caller"),
            "query": request.url.query,
            "content_type": request.headers.get("content-type"),
            "user_agent": request.headers.get("user-agent"),
        },
        headers={"X-Status": "fresh"},
    )


async def slow(request: Request) -> Response:
    await asyncio.sleep(2)
    return JSONResponse({"late": True})


app = Starlette(
    routes=[
        Route("/echo/{rest:path}", echo, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/files/{name}", files, methods=["GET", "POST"]),
        Route("/pets/{pet_id}", pets, methods=["POST", "GET"]),
        Route("/slow", slow),
    ]
)
