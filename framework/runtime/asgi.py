"""Run an ASGI app (FastAPI, Starlette, ...) for API Gateway events, through Mangum.

Mangum turns the REST event into an ASGI scope with ``root_path = ""`` and the path after
the stage, so an app behind API Gateway builds links without the stage (``url_for``, the
docs page's ``openapi.json``) and breaks on the invoke URL. ``StageRootPath`` puts the
stage and the mount prefix into ``root_path``, as the ASGI spec means it, so the app
routes on the path below its mount and links to the URL the client used.

Mangum is imported when the first ASGI route is called, never by ``import framework``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.declare.asgi import AsgiMount
    from framework.events.types import LambdaContext, ProxyResponse


def client_prefix(event: Mapping[str, Any]) -> str:
    """What precedes ``event["path"]`` in the URL the client requested: ``/{stage}`` on
    the invoke URL, ``""`` through a custom domain (or the bare local URL)."""
    context_path = str((event.get("requestContext") or {}).get("path") or "")
    path = str(event.get("path") or "")
    if path and context_path.endswith(path):
        return context_path[: len(context_path) - len(path)].rstrip("/")
    return ""


class StageRootPath:
    """ASGI middleware: ``root_path`` = client prefix + mount prefix; ``path`` under it."""

    def __init__(self, app: Any, prefix: str) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        event = scope.get("aws.event")
        if scope.get("type") == "http" and event is not None:
            outer = client_prefix(event)
            scope = dict(scope)
            scope["root_path"] = outer + self.prefix
            scope["path"] = outer + scope["path"]
        await self.app(scope, receive, send)


class AsgiEndpoint:
    """The Lambda handler of one mounted ASGI app: ``Mangum(StageRootPath(app))``."""

    def __init__(self, mount: AsgiMount) -> None:
        from mangum import Mangum

        # lifespan "auto": Mangum runs the app's startup/shutdown around each invocation,
        # as it does in Lambda.
        self.handler: Any = Mangum(StageRootPath(mount.app, mount.prefix), lifespan="auto")

    def __call__(self, event: Mapping[str, Any], context: LambdaContext | None) -> ProxyResponse:
        result: ProxyResponse = self.handler(dict(event), context)
        return result
