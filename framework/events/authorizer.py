"""Lambda authorizer events for REST APIs (TOKEN and REQUEST)."""

from __future__ import annotations

from typing import Any

from framework.events.types import RestProxyEvent

# The proxy event's keys a REQUEST authorizer does not get.
_NOT_IN_REQUEST = ("body", "isBase64Encoded")


def token_event(method_arn: str, token: str) -> dict[str, Any]:
    """``{"type": "TOKEN", "methodArn": ..., "authorizationToken": ...}``."""
    return {"type": "TOKEN", "methodArn": method_arn, "authorizationToken": token}


def request_event(method_arn: str, proxy_event: RestProxyEvent) -> dict[str, Any]:
    """The proxy event without the body, plus ``type: REQUEST`` and ``methodArn`` (AWS
    developer guide, "Input to an API Gateway Lambda authorizer")."""
    event: dict[str, Any] = {"type": "REQUEST", "methodArn": method_arn}
    event.update((k, v) for k, v in proxy_event.items() if k not in _NOT_IN_REQUEST)
    return event
