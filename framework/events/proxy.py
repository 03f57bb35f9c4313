"""Parse a Lambda proxy response the way a REST API does, refusing what it refuses.

API Gateway answers 502 ``{"message": "Internal server error"}`` for any response that is
not a JSON object with only ``statusCode``, ``headers``, ``multiValueHeaders``, ``body`` and
``isBase64Encoded`` of the right types (``shared/API-GATEWAY.md`` section 2).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from framework.events.media import is_binary

ALLOWED_KEYS = frozenset({"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"})


class MalformedProxyResponse(ValueError):
    """The function's result is not a valid Lambda proxy response (API Gateway: 502)."""


@dataclass(slots=True)
class HttpResponse:
    """An HTTP response as the client will receive it."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None


def _scalar(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    # Numbers become their JSON text: API Gateway reads header maps as string maps.
    if isinstance(value, int | float):
        return str(value)
    raise MalformedProxyResponse(f"{where} must be a string, got {type(value).__name__}")


def parse_proxy_response(
    result: Any, *, accept: str | None, binary_media_types: Sequence[str]
) -> HttpResponse:
    """Turn the function's return value into the client's response, or raise
    ``MalformedProxyResponse`` where API Gateway would answer 502."""
    if not isinstance(result, dict):
        raise MalformedProxyResponse(
            f"the response must be a JSON object, got {type(result).__name__}"
        )
    unknown = set(result) - ALLOWED_KEYS
    if unknown:
        raise MalformedProxyResponse(f"unknown key(s) in the response: {sorted(unknown)}")

    status = result.get("statusCode", 200)
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise MalformedProxyResponse(f"statusCode must be an integer HTTP status, got {status!r}")

    headers: list[tuple[str, str]] = []
    seen: dict[str, str] = {}  # lower-case name -> the spelling the client sees
    multi = result.get("multiValueHeaders")
    if multi is not None:
        if not isinstance(multi, dict):
            raise MalformedProxyResponse("multiValueHeaders must be an object")
        for name, values in multi.items():
            if not isinstance(values, list):
                raise MalformedProxyResponse(f"multiValueHeaders[{name!r}] must be a list")
            seen.setdefault(name.lower(), name)
            for value in values:
                headers.append((name, _scalar(value, f"multiValueHeaders[{name!r}]")))
    single = result.get("headers")
    if single is not None:
        if not isinstance(single, dict):
            raise MalformedProxyResponse("headers must be an object")
        for name, value in single.items():
            # Same name in both maps: multi values first, then this one, under the
            # multiValueHeaders spelling.
            spelled = seen.setdefault(name.lower(), name)
            headers.append((spelled, _scalar(value, f"headers[{name!r}]")))
    if "content-type" not in seen:
        headers.append(("Content-Type", "application/json"))

    body = result.get("body")
    encoded = result.get("isBase64Encoded", False)
    if encoded is not None and not isinstance(encoded, bool):
        raise MalformedProxyResponse("isBase64Encoded must be a boolean")
    if body is None:
        data = b""
    elif not isinstance(body, str):
        raise MalformedProxyResponse(f"body must be a string, got {type(body).__name__}")
    elif encoded and is_binary(accept, binary_media_types):
        try:
            data = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MalformedProxyResponse(f"body is not valid base64: {exc}") from exc
    else:
        # Without a matching Accept the base64 text reaches the client as it is.
        data = body.encode("utf-8")
    return HttpResponse(status, headers, data)
