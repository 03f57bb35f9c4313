"""Route step: find the resource and method API Gateway would pick for a request.

REST API routing, as observed on AWS (``shared/API-GATEWAY.md`` sections 1 and 6):
- at each level a literal path part beats ``{param}``, which beats ``{proxy+}``;
- routing is method-aware: when the most specific resource lacks the method, a less
  specific one that has it (a sibling ``{proxy+}``, say) serves the request;
- an unknown resource and a known resource without the method are both 403
  Missing Authentication Token; HEAD is not implied by GET;
- a trailing slash is ignored for matching (and stripped from a greedy parameter);
- OPTIONS on a CORS-enabled resource is answered by the preflight mock method.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from framework.declare.api import Preflight, RestApi
from framework.declare.paths import Segment
from framework.declare.routes import Route
from framework.gateway.context import GatewayResponseError, InvocationContext


@dataclass(slots=True)
class _Node:
    path: str
    literals: dict[str, _Node] = field(default_factory=dict)
    param: tuple[str, _Node] | None = None
    greedy: tuple[str, _Node] | None = None
    methods: dict[str, Route] = field(default_factory=dict)
    preflight: Preflight | None = None


@dataclass(frozen=True, slots=True)
class Match:
    route: Route | None
    preflight: Preflight | None
    path_params: dict[str, str]


class ResourceTree:
    """The API's resources as API Gateway holds them, for matching request paths."""

    def __init__(self, api: RestApi) -> None:
        self.root = _Node("/")
        for route in api.routes:
            self._node(route.resource.segments).methods[route.method] = route
        for preflight in api.preflights():
            self._node(preflight.resource.segments).preflight = preflight

    def _node(self, segments: tuple[Segment, ...]) -> _Node:
        node = self.root
        for segment in segments:
            path = f"{node.path.rstrip('/')}/{segment.text}"
            if segment.param is None:
                node = node.literals.setdefault(segment.text, _Node(path))
            elif segment.greedy:
                if node.greedy is None:
                    node.greedy = (segment.param, _Node(path))
                node = node.greedy[1]
            else:
                if node.param is None:
                    node.param = (segment.param, _Node(path))
                node = node.param[1]
        return node

    def match(self, method: str, raw_path: str) -> Match | None:
        """The route (or preflight) for ``method`` on ``raw_path``; None: 403."""
        path = raw_path.lstrip("/")
        if path.endswith("/"):
            path = path[:-1]
        parts = path.split("/") if path else []
        for node, params in self._candidates(self.root, parts, 0, {}):
            if method == "OPTIONS" and "OPTIONS" not in node.methods and node.preflight:
                return Match(None, node.preflight, params)
            route = node.methods.get(method) or node.methods.get("ANY")
            if route is not None:
                return Match(route, None, params)
        return None

    def _candidates(
        self, node: _Node, parts: list[str], index: int, params: dict[str, str]
    ) -> Iterator[tuple[_Node, dict[str, str]]]:
        if index == len(parts):
            yield node, params
            return
        part = parts[index]
        if part:
            child = node.literals.get(part)
            if child is not None:
                yield from self._candidates(child, parts, index + 1, params)
            if node.param is not None:
                name, child = node.param
                yield from self._candidates(child, parts, index + 1, {**params, name: part})
        if node.greedy is not None:
            name, child = node.greedy
            yield child, {**params, name: "/".join(parts[index:])}


def route(ctx: InvocationContext, tree: ResourceTree) -> None:
    """Fill ``ctx.route`` (or ``ctx.preflight``) and ``ctx.path_params``."""
    found = tree.match(ctx.method, ctx.raw_path)
    if found is None:
        raise GatewayResponseError(
            "MISSING_AUTHENTICATION_TOKEN", f"no method {ctx.method} for path {ctx.raw_path}"
        )
    ctx.route, ctx.preflight, ctx.path_params = found.route, found.preflight, found.path_params
