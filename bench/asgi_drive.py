"""Drive an ASGI app in-process, without sockets: the cost of the app alone per request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
App = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]

HEADERS = [
    (b"host", b"127.0.0.1:3000"),
    (b"user-agent", b"wrk/4.1.0"),
    (b"accept", b"*/*"),
]


def scope(path: str, method: str = "GET") -> dict[str, Any]:
    """The scope uvicorn would pass for ``method path`` on a keep-alive connection."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": list(HEADERS),
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 3000),
        "state": {},
    }


async def _one(app: App, template: dict[str, Any]) -> int:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(dict(template), receive, send)
    return int(sent[0]["status"])


async def drive(app: App, path: str, *, requests: int, concurrency: int) -> float:
    """µs per request with ``concurrency`` requests in flight on one event loop."""
    template = scope(path)
    status = await _one(app, template)
    if status != 200:
        raise RuntimeError(f"{path}: status {status}")
    per_worker = max(1, requests // concurrency)

    async def worker() -> None:
        for _ in range(per_worker):
            await _one(app, template)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return (time.perf_counter() - started) / (per_worker * concurrency) * 1e6


def run(app: App, path: str, *, requests: int, concurrency: int) -> float:
    return asyncio.run(drive(app, path, requests=requests, concurrency=concurrency))
