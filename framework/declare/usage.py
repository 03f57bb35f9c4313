"""API keys, usage plans, throttling and quotas; gateway responses.

Pure declarations: the local gateway meters with them (``framework.gateway.metering``),
synth writes ``AWS::ApiGateway::UsagePlan``/``ApiKey``/``UsagePlanKey`` and stage
``MethodSettings``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from framework._record import field, record
from framework.errors import DeclarationError, InvalidOptionError

Period = Literal["DAY", "WEEK", "MONTH"]


@record
class Throttle:
    """A token bucket: ``rate`` requests per second on average, ``burst`` at once.

    >>> Throttle(rate=10, burst=20)
    """

    rate: float
    burst: int

    def __post_init__(self) -> None:
        if isinstance(self.rate, bool) or not isinstance(self.rate, int | float) or self.rate < 0:
            raise InvalidOptionError(f"Throttle: rate must be >= 0 requests/s, got {self.rate!r}")
        if isinstance(self.burst, bool) or not isinstance(self.burst, int) or self.burst < 0:
            raise InvalidOptionError(f"Throttle: burst must be an int >= 0, got {self.burst!r}")


@record
class Quota:
    """At most ``limit`` requests per calendar ``period`` (UTC).

    ``offset``: the day the period starts — for WEEK 0 is Sunday, 1 Monday...; for MONTH
    0 is the first day of the month (AWS API reference, "QuotaSettings").
    """

    limit: int
    period: Period = "DAY"
    offset: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 0:
            raise InvalidOptionError(f"Quota: limit must be an int >= 0, got {self.limit!r}")
        if self.period not in ("DAY", "WEEK", "MONTH"):
            raise InvalidOptionError(
                f"Quota: period must be DAY, WEEK or MONTH, got {self.period!r}"
            )
        top = {"DAY": 0, "WEEK": 6, "MONTH": 27}[self.period]
        if not 0 <= self.offset <= top:
            raise InvalidOptionError(
                f"Quota: offset for a {self.period} period must be 0-{top}, got {self.offset}"
            )


@record(frozen=False, eq=False)
class ApiKey:
    """An API key of a usage plan. A key declared without a value gets one generated for
    local use (shown by ``serve``); AWS generates its own at deploy time."""

    name: str
    value: str
    enabled: bool = True
    generated: bool = False

    def __repr__(self) -> str:
        return f"ApiKey({self.name!r}, enabled={self.enabled})"


_KEY_VALUE = re.compile(r"[\x21-\x7e]{20,128}")  # 20-128 printable ASCII (CreateApiKey)


@record(frozen=False, eq=False)
class UsagePlan:
    """Who may call which stages how often: throttling and a quota per API key."""

    name: str
    stages: tuple[str, ...]
    throttle: Throttle | None = None
    quota: Quota | None = None
    method_throttles: Mapping[str, Throttle] = field(default_factory=dict)
    description: str | None = None
    keys: list[ApiKey] = field(default_factory=list)

    def add_key(self, name: str, value: str | None = None, *, enabled: bool = True) -> ApiKey:
        """Add an API key to the plan; ``value`` is generated when left out."""
        where = f"usage plan {self.name}: key {name!r}"
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", name):
            raise InvalidOptionError(f"{where}: name must be letters, digits, '-' or '_'")
        if any(k.name == name for k in self.keys):
            raise DeclarationError(f"{where}: declared twice")
        if value is not None and not _KEY_VALUE.fullmatch(value):
            raise InvalidOptionError(f"{where}: a key value is 20-128 printable characters")
        if value is None:
            import secrets  # only to generate a key

            value, generated = secrets.token_urlsafe(30), True
        else:
            generated = False
        key = ApiKey(name, value, enabled, generated)
        self.keys.append(key)
        return key

    def key(self, name: str) -> ApiKey:
        for key in self.keys:
            if key.name == name:
                return key
        raise DeclarationError(f"usage plan {self.name}: no key {name!r}")


def method_key(route: str, where: str) -> str:
    """``"get /pets/{id}"`` -> ``"GET /pets/{id}"``: one declared method."""
    method, _, path = route.strip().partition(" ")
    if not path.startswith("/") or "*" in route:
        raise InvalidOptionError(
            f"{where}: {route!r} must name one method, like 'GET /pets/{{id}}'"
        )
    return f"{method.upper()} {path}"


# -- gateway responses ---------------------------------------------------------------------

# AWS developer guide, "Gateway response types for API Gateway".
GATEWAY_RESPONSE_TYPES = frozenset(
    {
        "ACCESS_DENIED",
        "API_CONFIGURATION_ERROR",
        "AUTHORIZER_CONFIGURATION_ERROR",
        "AUTHORIZER_FAILURE",
        "BAD_REQUEST_PARAMETERS",
        "BAD_REQUEST_BODY",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
        "EXPIRED_TOKEN",
        "INTEGRATION_FAILURE",
        "INTEGRATION_TIMEOUT",
        "INVALID_API_KEY",
        "INVALID_SIGNATURE",
        "MISSING_AUTHENTICATION_TOKEN",
        "QUOTA_EXCEEDED",
        "REQUEST_TOO_LARGE",
        "RESOURCE_NOT_FOUND",
        "THROTTLED",
        "UNAUTHORIZED",
        "UNSUPPORTED_MEDIA_TYPE",
        "WAF_FILTERED",
    }
)
# The types whose status is 5XX; every other type but the two defaults is a 4XX.
FIVE_XX_TYPES = frozenset(
    {
        "API_CONFIGURATION_ERROR",
        "AUTHORIZER_CONFIGURATION_ERROR",
        "AUTHORIZER_FAILURE",
        "INTEGRATION_FAILURE",
        "INTEGRATION_TIMEOUT",
    }
)


def default_type(response_type: str) -> str:
    """The DEFAULT_4XX or DEFAULT_5XX that stands in for ``response_type``."""
    return "DEFAULT_5XX" if response_type in FIVE_XX_TYPES else "DEFAULT_4XX"


_MAPPED = re.compile(
    r"(method\.request\.(header|querystring|path)\.|stageVariables\.|context\.)\S+"
)


@record
class GatewayResponse:
    """An override of one of API Gateway's own responses.

    ``headers`` values are static strings, or mapping expressions
    (``method.request.header.Origin``, ``stageVariables.x``, ``context.requestId``);
    ``templates`` are VTL per content type, with ``$context.error.messageString`` and
    friends.
    """

    type: str
    status_code: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)

    @staticmethod
    def is_mapping(value: str) -> bool:
        return _MAPPED.fullmatch(value) is not None


def gateway_response(
    type: str,
    *,
    status_code: int | None,
    headers: Mapping[str, str] | None,
    template: str | Mapping[str, str] | None,
) -> GatewayResponse:
    where = f"gateway_response {type!r}"
    if type not in GATEWAY_RESPONSE_TYPES:
        raise InvalidOptionError(
            f"{where}: unknown type; use one of {', '.join(sorted(GATEWAY_RESPONSE_TYPES))}"
        )
    if type == "REQUEST_TOO_LARGE":
        # AWS developer guide, "Amazon API Gateway quotas and important notes".
        raise InvalidOptionError(f"{where}: API Gateway does not let this response change")
    if status_code is not None and (
        isinstance(status_code, bool)
        or not isinstance(status_code, int)
        or not 100 <= status_code <= 599
    ):
        raise InvalidOptionError(f"{where}: status_code must be 100-599, got {status_code!r}")
    for name, value in (headers or {}).items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise InvalidOptionError(f"{where}: headers map names to strings")
        if "'" in value and not GatewayResponse.is_mapping(value):
            # A static value is written '...' and has no way to hold a quote (AWS
            # developer guide, "Parameter mapping for REST APIs").
            raise InvalidOptionError(f"{where}: header {name}: a static value cannot hold '")
    if isinstance(template, str):
        templates: Mapping[str, str] = {"application/json": template}
    else:
        templates = dict(template or {})
    return GatewayResponse(type, status_code, dict(headers or {}), templates)
