"""``Request``: what a handler sees of the API Gateway event. Standard library only."""

from __future__ import annotations

import binascii  # not base64: its import costs the cold start ~1 ms for two calls
import json
from collections.abc import Iterator, Mapping

from framework.errors import BadRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.events.types import LambdaContext


class Headers(Mapping[str, str]):
    """Case-insensitive, read-only request headers; ``get_all`` gives every value."""

    __slots__ = ("_multi", "_single")

    def __init__(
        self, single: Mapping[str, str] | None, multi: Mapping[str, list[str]] | None = None
    ) -> None:
        self._single = {k.lower(): v for k, v in (single or {}).items()}
        self._multi = {k.lower(): list(v) for k, v in (multi or {}).items()}

    def __getitem__(self, name: str) -> str:
        return self._single[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._single

    def __iter__(self) -> Iterator[str]:
        return iter(self._single)

    def __len__(self) -> int:
        return len(self._single)

    def get_all(self, name: str) -> list[str]:
        lower = name.lower()
        if lower in self._multi:
            return list(self._multi[lower])
        return [self._single[lower]] if lower in self._single else []

    def __repr__(self) -> str:
        return f"Headers({self._single!r})"


_MISSING: Any = object()


class Request:
    """A request as API Gateway delivered it to the function.

    >>> @api.get("/pets")
    ... def list_pets(request: Request) -> list:
    ...     return store.list(limit=int(request.query.get("limit", "10")))
    """

    __slots__ = ("_body", "_cookies", "_headers", "event", "lambda_context")

    def __init__(self, event: Mapping[str, Any], lambda_context: LambdaContext | None = None):
        self.event = event
        self.lambda_context = lambda_context
        self._headers: Headers | None = None
        self._cookies: dict[str, str] | None = None
        self._body: bytes | None = None

    # -- what API Gateway routed ----------------------------------------------------------

    @property
    def method(self) -> str:
        return str(self.event.get("httpMethod", ""))

    @property
    def path(self) -> str:
        """The path after the stage, as the client sent it (API Gateway does not decode it)."""
        return str(self.event.get("path", ""))

    @property
    def resource(self) -> str:
        """The matched resource, e.g. ``/pets/{pet_id}``."""
        return str(self.event.get("resource", ""))

    @property
    def path_params(self) -> dict[str, str]:
        return dict(self.event.get("pathParameters") or {})

    # -- query, headers, cookies ----------------------------------------------------------

    @property
    def query(self) -> dict[str, str]:
        """Query string parameters; a repeated key gives its last value."""
        return dict(self.event.get("queryStringParameters") or {})

    @property
    def query_all(self) -> dict[str, list[str]]:
        """Every value of every query string parameter, in order."""
        multi = self.event.get("multiValueQueryStringParameters")
        if multi:
            return {k: list(v) for k, v in multi.items()}
        return {k: [v] for k, v in (self.event.get("queryStringParameters") or {}).items()}

    @property
    def headers(self) -> Headers:
        if self._headers is None:
            self._headers = Headers(self.event.get("headers"), self.event.get("multiValueHeaders"))
        return self._headers

    @property
    def cookies(self) -> dict[str, str]:
        if self._cookies is None:
            cookies: dict[str, str] = {}
            for header in self.headers.get_all("cookie"):
                for pair in header.split(";"):
                    name, sep, value = pair.strip().partition("=")
                    if sep and name:
                        cookies[name] = value.strip().strip('"')
            self._cookies = cookies
        return self._cookies

    # -- body -----------------------------------------------------------------------------

    @property
    def body(self) -> bytes:
        """The raw body (base64-decoded when API Gateway delivered it encoded)."""
        if self._body is None:
            raw = self.event.get("body")
            if raw is None:
                self._body = b""
            elif self.event.get("isBase64Encoded"):
                self._body = binascii.a2b_base64(raw)
            else:
                self._body = str(raw).encode("utf-8")
        return self._body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self, default: Any = _MISSING) -> Any:
        """The body parsed as JSON; an empty body gives ``default`` (or a 400 without one)."""
        if not self.body:
            if default is not _MISSING:
                return default
            raise BadRequestError("Request body is empty; a JSON document was expected")
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise BadRequestError(f"Request body is not valid JSON: {exc}") from exc

    # -- stage and context ----------------------------------------------------------------

    @property
    def _context(self) -> Mapping[str, Any]:
        return self.event.get("requestContext") or {}

    @property
    def stage(self) -> str:
        return str(self._context.get("stage", ""))

    @property
    def stage_variables(self) -> dict[str, str]:
        return dict(self.event.get("stageVariables") or {})

    @property
    def request_id(self) -> str:
        return str(self._context.get("requestId", ""))

    @property
    def source_ip(self) -> str | None:
        identity = self._context.get("identity") or {}
        value = identity.get("sourceIp")
        return str(value) if value is not None else None

    @property
    def authorizer(self) -> dict[str, Any]:
        """``requestContext.authorizer``: principalId, context values, claims; {} if none."""
        return dict(self._context.get("authorizer") or {})

    def __repr__(self) -> str:
        return f"<Request {self.method} {self.path} stage={self.stage!r}>"
