"""An API whose routes exercise the gateway's behaviours: errors, timeouts, raw responses."""

from __future__ import annotations

import os
import time
from typing import Any

from framework import Cors, Request, Response, RestApi


class HandWrittenResponses(RestApi):
    """A function that answers ``/raw`` with hand-written proxy responses, well-formed or
    not: what a Lambda function written without the framework may return."""

    def handler(self, event: Any, context: Any = None) -> Any:
        if event["resource"] == "/raw":
            return RAW_RESPONSES[(event["queryStringParameters"] or {}).get("kind", "")]
        return super().handler(event, context)


RAW_RESPONSES: dict[str, Any] = {
    "string-status": {"statusCode": "201", "body": "made"},
    "bad-status": {"statusCode": "test", "body": "x"},
    "unknown-key": {"statusCode": 200, "body": "x", "wrongValue": 1},
    "body-object": {"statusCode": 200, "body": {"a": 1}},
    "bare-string": "just a string",
    "empty": {},
    "only-headers": {"headers": {"X-Only": "1"}},
    "multi": {
        "statusCode": 200,
        "headers": {"test-multi": "value-solo", "flag": True},
        "multiValueHeaders": {"tesT-Multi": ["value-multi"]},
        "body": "ok",
    },
    "multi-not-list": {"statusCode": 200, "multiValueHeaders": {"a": "b"}},
    "binary": {
        "statusCode": 200,
        "headers": {"Content-Type": "image/png"},
        "body": "iVBORw0KGgo=",
        "isBase64Encoded": True,
    },
    "unserialisable": {"statusCode": 200, "body": b"bytes are not JSON"},
}

api = HandWrittenResponses(
    "behaviours",
    binary_media_types=["image/png", "application/octet-stream"],
    environment={"GREETING": "hi"},
)
api.stage("dev", variables={"color": "blue"})
api.stage("prod", variables={"color": "red"})
api.function("slow", timeout=1, environment={"ROLE": "slow"})


@api.route("/echo", methods=["GET", "POST", "PUT"])
def echo(request: Request) -> dict[str, Any]:
    """The whole event, so tests can look at what API Gateway would have sent."""
    return dict(request.event)


@api.get("/echo/{proxy+}")
def echo_greedy(request: Request, proxy: str) -> dict[str, Any]:
    return dict(request.event)


@api.get("/items/{item_id}")
def item(item_id: str) -> dict[str, str]:
    return {"item_id": item_id}


@api.get("/items/special")
def special() -> dict[str, str]:
    return {"special": "yes"}


@api.post("/crash")
def crash() -> None:
    raise RuntimeError("the handler fell over")


@api.get("/raw")
def raw() -> None:
    """Answered by HandWrittenResponses.handler."""


@api.get("/sleep", timeout=0.3)
def sleep(request: Request) -> dict[str, int]:
    time.sleep(float(request.query.get("seconds", "1")))
    return {"remaining": 0}


@api.get("/lambda-timeout", function="slow")
def lambda_timeout(request: Request) -> dict[str, Any]:
    time.sleep(1.5)
    return {}


@api.get("/context", function="slow")
def context(request: Request) -> dict[str, Any]:
    ctx = request.lambda_context
    assert ctx is not None
    return {
        "function_name": ctx.function_name,
        "remaining_ms": ctx.get_remaining_time_in_millis(),
        "memory": ctx.memory_limit_in_mb,
        "request_id": ctx.aws_request_id,
        "env": {k: os.environ.get(k) for k in ("GREETING", "ROLE")},
    }


@api.post("/upload")
def upload(request: Request) -> dict[str, Any]:
    return {"size": len(request.body), "base64": request.event["isBase64Encoded"]}


@api.get("/cors", cors=Cors(allow_origins=["https://a.example", "https://b.example"], max_age=600))
def with_cors() -> dict[str, bool]:
    return {"cors": True}


@api.get("/cookies")
def cookies(request: Request) -> Response:
    return Response(
        {"seen": request.cookies},
        cookies=["session=abc; HttpOnly", "theme=dark"],
        headers={"X-Custom": "1"},
    )
