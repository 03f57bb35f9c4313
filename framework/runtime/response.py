"""``Response`` and the conversion of a handler's return value to a Lambda proxy response."""

from __future__ import annotations

import binascii  # not base64: its import costs the cold start ~1 ms for one call
import json
from collections.abc import Mapping, Sequence

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.events.types import ProxyResponse

JSON = "application/json"
dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
TEXT = "text/plain; charset=utf-8"
BINARY = "application/octet-stream"


class Response:
    """A response with an explicit status, headers, cookies or media type.

    >>> Response({"id": "7"}, status_code=201, headers={"Location": "/pets/7"})
    >>> Response(png_bytes, media_type="image/png")
    >>> Response("bye", cookies={"session": ""})            # Set-Cookie: session=
    >>> Response(None, status_code=204)

    ``body`` may be a dict or list (JSON), str, bytes (sent base64-encoded, binary), a
    pydantic model, or None.
    """

    __slots__ = ("body", "cookies", "headers", "media_type", "status_code")

    def __init__(
        self,
        body: Any = None,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | Sequence[str] | None = None,
        media_type: str | None = None,
    ) -> None:
        self.body = body
        self.status_code = status_code
        self.headers = dict(headers or {})
        self.cookies = cookies
        self.media_type = media_type

    def __repr__(self) -> str:
        return f"Response(status_code={self.status_code}, media_type={self.media_type!r})"


def encode_body(body: Any) -> tuple[str | None, bool, str | None]:
    """``(text, is_base64, default media type)`` for a handler's body value."""
    if body is None:
        return None, False, None
    if isinstance(body, dict | list):
        return dumps(body), False, JSON
    if isinstance(body, str):
        return body, False, TEXT
    if isinstance(body, bytes | bytearray | memoryview):
        return binascii.b2a_base64(bytes(body), newline=False).decode("ascii"), True, BINARY
    dump = getattr(body, "model_dump_json", None)  # a pydantic model, without importing pydantic
    if dump is not None:
        return dump(), False, JSON
    return dumps(body), False, JSON


def _cookie_lines(cookies: Mapping[str, str] | Sequence[str]) -> list[str]:
    if isinstance(cookies, Mapping):
        return [f"{name}={value}" for name, value in cookies.items()]
    if isinstance(cookies, str):
        return [cookies]
    return [str(line) for line in cookies]


def to_proxy_response(
    value: Any, *, status_code: int, extra_headers: Mapping[str, str] | None = None
) -> ProxyResponse:
    """Render a handler's return value as the proxy response API Gateway expects."""
    cookies = None
    if isinstance(value, Response):
        status_code = value.status_code
        text, encoded, media = encode_body(value.body)
        media = value.media_type or media
        headers = dict(extra_headers) if extra_headers else {}
        headers.update(value.headers)
        cookies = value.cookies
    else:
        text, encoded, media = encode_body(value)
        headers = dict(extra_headers) if extra_headers else {}
    if media is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = media
    result: ProxyResponse = {
        "statusCode": status_code,
        "headers": headers,
        "body": text if text is not None else "",
        "isBase64Encoded": encoded,
    }
    if cookies:
        result["multiValueHeaders"] = {"Set-Cookie": _cookie_lines(cookies)}
    return result
