"""Diagnostic only: ``python -m framework serve`` with some of its costs taken away by
monkeypatches, to measure what each would give if fixed. Used by bench/hotspots.py.

    python bench/patched_serve.py nodelay,random serve bench/peers/framework_native.py --port 3000

Patches (comma-separated, first argument):

``nodelay``
    ``framework.gateway.server._socket`` creates the listening socket as
    ``socket(family, SOCK_STREAM)``: ``proto`` is 0, and so is every accepted connection's.
    asyncio sets ``TCP_NODELAY`` only on sockets whose ``proto`` is ``IPPROTO_TCP``
    (``asyncio.base_events._set_nodelay``), so the gateway's two writes per response
    (headers, then body) meet Nagle's algorithm and the client's delayed ACK: ~40 ms per
    request on a keep-alive connection. The patch creates it with ``IPPROTO_TCP``.
``random``
    ``os.urandom`` (six calls a request: three ``uuid.uuid4()``, two request ids, one trace
    id) releases the GIL around ``getrandom()``; with worker threads running, the event
    loop then waits to get the GIL back. The patch draws from ``random.getrandbits``.
``inline``
    Call the function on the event loop's thread instead of a worker thread (no
    ``run_in_executor`` hop; the function's timeout is no longer enforced).
``bare``
    Serve the ``ApiGateway`` ASGI app itself instead of a FastAPI app that mounts it at ``/``.
"""

from __future__ import annotations

import os
import random
import socket
import sys
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

from framework.cli import main
from framework.gateway import lambda_env, server

PATCHES = ("nodelay", "random", "inline", "bare")


def _tcp_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


def pseudo_urandom(size: int) -> bytes:
    return random.getrandbits(size * 8).to_bytes(size, "little") if size else b""


class InlineExecutor(Executor):
    """Runs the submitted call at once, on the caller's thread (the event loop's)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the awaiting coroutine, as a pool would
            future.set_exception(exc)
        return future


def apply(patches: set[str]) -> None:
    unknown = patches - set(PATCHES)
    if unknown:
        raise SystemExit(f"unknown patch(es) {', '.join(sorted(unknown))}; use {PATCHES}")
    if "nodelay" in patches:
        server._socket = _tcp_socket
    if "random" in patches:
        os.urandom = pseudo_urandom
    if "inline" in patches:
        original_init = lambda_env.LambdaService.__init__

        def init(self: Any, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            self._executor = InlineExecutor()

        lambda_env.LambdaService.__init__ = init
    if "bare" in patches:
        create_app = server.create_app

        def bare(*args: Any, **kwargs: Any) -> Any:
            return create_app(*args, **kwargs).state.gateway

        server.create_app = bare


if __name__ == "__main__":
    apply({p for p in sys.argv[1].split(",") if p})
    sys.exit(main(sys.argv[2:]))
