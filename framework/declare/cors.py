"""CORS settings for a REST API or one of its methods.

A REST API with Lambda proxy integrations gets its CORS behaviour from two places, and the
framework declares both from one ``Cors`` value:

* the preflight (``OPTIONS``) is a MOCK integration that API Gateway answers itself;
* every other response carries ``Access-Control-Allow-Origin`` only if the function sets it,
  because API Gateway adds no headers to proxy responses (AWS developer guide, "Enabling
  CORS for a REST API resource"). The runtime inside the function does that.
"""

from __future__ import annotations

from collections.abc import Iterable

from framework._record import record
from framework.errors import InvalidOptionError

DEFAULT_ALLOW_HEADERS = (
    "Content-Type",
    "X-Amz-Date",
    "Authorization",
    "X-Api-Key",
    "X-Amz-Security-Token",
)


@record
class Cors:
    """Cross-origin settings.

    >>> Cors(allow_origins=["https://example.com"], allow_credentials=True, max_age=600)
    Cors(allow_origins=('https://example.com',), ...)
    """

    allow_origins: tuple[str, ...] = ("*",)
    allow_headers: tuple[str, ...] = DEFAULT_ALLOW_HEADERS
    expose_headers: tuple[str, ...] = ()
    allow_credentials: bool = False
    max_age: int | None = None

    def __init__(
        self,
        allow_origins: Iterable[str] = ("*",),
        allow_headers: Iterable[str] = DEFAULT_ALLOW_HEADERS,
        expose_headers: Iterable[str] = (),
        allow_credentials: bool = False,
        max_age: int | None = None,
    ) -> None:
        # Lists are welcome (Cors(allow_origins=["*"])); a record keeps tuples.
        for name, value in (
            ("allow_origins", allow_origins),
            ("allow_headers", allow_headers),
            ("expose_headers", expose_headers),
        ):
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        object.__setattr__(self, "allow_credentials", allow_credentials)
        object.__setattr__(self, "max_age", max_age)
        self._check()

    def _check(self) -> None:
        if not self.allow_origins:
            raise InvalidOptionError("Cors: allow_origins must name at least one origin or '*'")
        if self.allow_credentials and "*" in self.allow_origins:
            # Browsers reject a credentialed response whose Allow-Origin is '*'.
            raise InvalidOptionError("Cors: allow_credentials=True needs explicit origins, not '*'")
        if self.max_age is not None and self.max_age < 0:
            raise InvalidOptionError(f"Cors: max_age must be >= 0, got {self.max_age}")

    def allow_origin_for(self, origin: str | None) -> str | None:
        """The ``Access-Control-Allow-Origin`` value for a request from ``origin``."""
        if "*" in self.allow_origins:
            return "*"
        if len(self.allow_origins) == 1:
            return self.allow_origins[0]
        if origin is not None and origin in self.allow_origins:
            return origin
        return None

    def response_headers(self, origin: str | None) -> dict[str, str]:
        """Headers the function adds to an ordinary (non-preflight) response."""
        allowed = self.allow_origin_for(origin)
        if allowed is None:
            return {}
        headers = {"Access-Control-Allow-Origin": allowed}
        if len(self.allow_origins) > 1 and "*" not in self.allow_origins:
            headers["Vary"] = "Origin"
        if self.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ",".join(self.expose_headers)
        return headers

    def preflight_headers(self, methods: tuple[str, ...], origin: str | None) -> dict[str, str]:
        """Headers of the OPTIONS mock integration's 200 response."""
        headers = self.response_headers(origin)
        headers.pop("Access-Control-Expose-Headers", None)
        headers["Access-Control-Allow-Methods"] = ",".join(methods)
        headers["Access-Control-Allow-Headers"] = ",".join(self.allow_headers)
        if self.max_age is not None:
            headers["Access-Control-Max-Age"] = str(self.max_age)
        return headers
