"""Warm invocation: microseconds per Lambda invocation of each peer's ``handler``.

Every peer gets the same REST proxy events, built once by ``framework.testing.rest_event``
(each peer is handed its own deep copy, in case a handler writes into its event), and the
same context object. Each peer's answers are checked before anything is timed.
"""

from __future__ import annotations

import copy
import importlib
import json
import timeit
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from common import (
    CHALICE,
    FLOOR,
    FRAMEWORK,
    NEW_PET,
    PETS,
    POWERTOOLS,
    FakeLambdaContext,
    Peer,
    add_peers_to_path,
    median,
    ratio,
)

Handler = Callable[[Mapping[str, Any], Any], Mapping[str, Any]]

# What a browser-ish or SDK client sends; API Gateway adds Host, X-Amzn-Trace-Id, X-Forwarded-*.
CLIENT_HEADERS = {
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) petbench/1.0",
}
GET_ONE = "GET /pets/{id}"
POST = "POST /pets"
LIST = "GET /pets"
TIMED = (GET_ONE, POST)


def build_events() -> dict[str, dict[str, Any]]:
    """The REST proxy events API Gateway would send for the three routes (stage ``dev``)."""
    add_peers_to_path()
    from framework.testing import rest_event

    api = importlib.import_module(FRAMEWORK.module).api
    return {
        GET_ONE: dict(rest_event(api, "GET", "/pets/7", stage="dev", headers=CLIENT_HEADERS)),
        POST: dict(
            rest_event(api, "POST", "/pets", stage="dev", headers=CLIENT_HEADERS, json=NEW_PET)
        ),
        LIST: dict(rest_event(api, "GET", "/pets", stage="dev", headers=CLIENT_HEADERS)),
    }


EXPECTED: dict[str, tuple[int, object]] = {
    GET_ONE: (200, {"id": "7"}),
    POST: (201, NEW_PET),
    LIST: (200, {"pets": PETS}),
}


def load_handler(peer: Peer) -> Handler:
    add_peers_to_path()
    handler: Handler = importlib.import_module(peer.module).handler
    return handler


def _content_type(result: Mapping[str, Any]) -> str | None:
    for key, value in (result.get("headers") or {}).items():
        if key.lower() == "content-type":
            return str(value)
    for key, values in (result.get("multiValueHeaders") or {}).items():
        if key.lower() == "content-type" and values:
            return str(values[0])
    return None


def check(peer: Peer, handler: Handler, events: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """What ``handler`` gets wrong about the pet API (empty: every answer is correct)."""
    problems = []
    for route, event in events.items():
        status, body = EXPECTED[route]
        result = handler(copy.deepcopy(event), FakeLambdaContext())
        try:
            got = json.loads(result.get("body") or "null")
        except ValueError:
            got = result.get("body")
        if result.get("statusCode") != status or got != body:
            code = result.get("statusCode")
            problems.append(f"{peer.key} {route}: {code} {got!r}, expected {status} {body!r}")
        elif "application/json" not in (_content_type(result) or "application/json"):
            # No Content-Type (Chalice sends none): API Gateway then answers application/json.
            problems.append(f"{peer.key} {route}: content type {_content_type(result)!r}")
    return problems


def _timer(
    handler: Handler, event: Mapping[str, Any], min_round: float
) -> tuple[timeit.Timer, int]:
    """A timer for ``handler(event, context)`` and the number of calls that fill a round."""
    timer = timeit.Timer(
        "handler(event, context)",
        setup="import gc; gc.enable()",  # timeit turns the collector off; Lambda does not
        globals={"handler": handler, "event": event, "context": FakeLambdaContext()},
    )
    number, _ = timer.autorange()
    elapsed = timer.timeit(number)
    return timer, max(1, int(number * min_round / max(elapsed, 1e-9)))


def time_handlers(
    handlers: Mapping[str, Handler], event: Mapping[str, Any], rounds: int, min_round: float
) -> dict[str, float]:
    """Median µs per call of each handler; rounds are interleaved (a, b, c, a, b, c, ...)
    so that a slower moment of the machine hits every peer alike."""
    timers = {
        key: _timer(handler, copy.deepcopy(event), min_round) for key, handler in handlers.items()
    }
    samples: dict[str, list[float]] = {key: [] for key in handlers}
    for _ in range(rounds):
        for key, (timer, number) in timers.items():
            samples[key].append(timer.timeit(number) / number)
    return {key: median(values) * 1e6 for key, values in samples.items()}


def measure(peers: Sequence[Peer], rounds: int, min_round: float) -> dict[str, Any]:
    events = build_events()
    handlers = {peer.key: load_handler(peer) for peer in peers}
    problems = [p for peer in peers for p in check(peer, handlers[peer.key], events)]
    if problems:
        raise RuntimeError("wrong answers, nothing timed:\n  " + "\n  ".join(problems))
    routes: dict[str, dict[str, dict[str, Any]]] = {}
    for route in TIMED:
        timings = time_handlers(handlers, events[route], rounds, min_round)
        rows = {p.key: {"label": p.label, "us": round(timings[p.key], 2)} for p in peers}
        for row in rows.values():
            for name, other in (("chalice", CHALICE), ("powertools", POWERTOOLS), ("floor", FLOOR)):
                value = ratio(row["us"], rows[other.key]["us"] if other.key in rows else None)
                row[f"vs_{name}"] = round(value, 3) if value is not None else None
        routes[route] = rows
    return {"rounds": rounds, "checked": sorted(events), "routes": routes}
