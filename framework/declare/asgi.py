"""ASGI applications (FastAPI, Starlette, ...) behind API Gateway, run by Mangum in Lambda.

Two ways to put one behind a REST API:

* ``api.mount("/app/{proxy+}", app)``: one greedy resource (plus its parent) whose
  function runs the whole app. API Gateway sees one method; the app does its own routing.
* ``api.include_asgi_routes(app)``: each of the app's routes becomes its own API Gateway
  method (so each can get its own authorizer, validator, throttling), all served by the
  same function running the app.

Pure declaration: the app is only inspected (duck-typed), never imported or run here.
"""

from __future__ import annotations

import re
from typing import Any

from framework._record import record
from framework.errors import InvalidOptionError, InvalidPathError

_GREEDY_TAIL = re.compile(r"/\{[A-Za-z0-9._-]+\+\}$")
_STARLETTE_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_]+))?\}")


@record(eq=False)
class AsgiMount:
    """An ASGI app and the path prefix it is mounted under (``""`` for none).

    The app sees paths relative to the prefix, as under Starlette's ``Mount``; its
    ``root_path`` carries the stage and the prefix, so ``url_for`` and the docs pages work.
    """

    app: Any
    prefix: str

    @property
    def name(self) -> str:
        app = self.app
        return getattr(app, "title", None) or type(app).__name__


def mount_resources(path: str) -> tuple[str, tuple[str, ...]]:
    """``/app/{proxy+}`` or ``/app`` -> (``/app``, (``/app``, ``/app/{proxy+}``)).

    A greedy resource does not match its own parent (``/app/{proxy+}`` does not match
    ``/app``), so a mount declares both.
    """
    where = f"mount {path}"
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidPathError(f"{where}: the path must start with '/'")
    match = _GREEDY_TAIL.search(path)
    if match:
        prefix = path[: match.start()]
        greedy = path
    else:
        if "{" in path and "+}" in path:
            raise InvalidPathError(f"{where}: a greedy parameter must be the last path part")
        prefix = path.rstrip("/")
        greedy = f"{prefix}/{{proxy+}}"
    return prefix, ((prefix or "/"), greedy)


def function_name(api_name: str, prefix: str) -> str:
    """The default Lambda function of an ASGI app: ``petstore-app`` for ``/app``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", prefix).strip("-")
    return f"{api_name}-{slug or 'asgi'}"


def asgi_routes(app: Any, prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """The app's HTTP routes as API Gateway resources: ``[(path, methods)]``.

    Starlette paths convert as API Gateway spells them: ``{id}`` and ``{id:int}`` become
    ``{id}``; a final ``{rest:path}`` becomes the greedy ``{rest+}``. HEAD, which Starlette
    adds to every GET route, is left out: API Gateway would need it declared on its own.
    """
    routes = getattr(app, "routes", None)
    if routes is None:
        raise InvalidOptionError(
            f"include_asgi_routes: {type(app).__name__} has no 'routes' to read "
            "(pass a FastAPI or Starlette app, or use api.mount)"
        )
    result: list[tuple[str, tuple[str, ...]]] = []
    for route in routes:
        methods = getattr(route, "methods", None)
        path = getattr(route, "path", None)
        if not methods or not isinstance(path, str):
            kind = type(route).__name__
            raise InvalidOptionError(
                f"include_asgi_routes: route {path!r} ({kind}) is not an HTTP route with "
                "methods; mount apps with sub-mounts or WebSockets with api.mount instead"
            )
        resource = prefix + _convert(path)
        wanted = tuple(sorted(m.upper() for m in methods if m.upper() != "HEAD"))
        if wanted:
            result.append((resource or "/", wanted))
    return result


def _convert(path: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name, convertor = match.group(1), match.group(2)
        if convertor == "path":
            if match.end() != len(path):
                raise InvalidPathError(
                    f"include_asgi_routes: {path}: a {{name:path}} parameter must come last "
                    "to become API Gateway's greedy {name+}"
                )
            return "{" + name + "+}"
        return "{" + name + "}"

    converted = _STARLETTE_PARAM.sub(replace, path)
    return converted.rstrip("/") if converted != "/" else converted
