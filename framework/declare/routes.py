"""Methods on resources: what ``@api.get(...)`` and friends record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from framework._record import record
from framework.declare.asgi import AsgiMount
from framework.declare.auth import Authorizer, CognitoAuthorizer
from framework.declare.cors import Cors
from framework.declare.paths import ResourcePath
from framework.declare.usage import Throttle
from framework.errors import InvalidOptionError

HTTP_METHODS: Final = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")

# REST API integration timeout: 50 ms to 29 s, default 29 s (AWS developer guide,
# "Amazon API Gateway quotas and important notes").
MIN_TIMEOUT: Final = 0.05
MAX_TIMEOUT: Final = 29.0


class _Inherit:
    """Sentinel: take the value from the API."""

    _instance: _Inherit | None = None

    def __new__(cls) -> _Inherit:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INHERIT"


INHERIT: Final = _Inherit()

Handler = Callable[..., Any]


@record
class Route:
    """One method on one resource, as declared. Pure data."""

    method: str
    resource: ResourcePath
    handler: Handler
    function: str
    timeout: float = MAX_TIMEOUT
    cors: Cors | None = None
    status_code: int = 200
    description: str | None = None
    # Set for methods served by an ASGI application under Mangum (``api.mount``).
    asgi: AsgiMount | None = None
    authorizer: Authorizer | None = None
    authorization_scopes: tuple[str, ...] = ()
    api_key_required: bool = False
    throttle: Throttle | None = None  # the method's throttling in every stage

    @property
    def path(self) -> str:
        return self.resource.path

    @property
    def key(self) -> tuple[str, str]:
        """``(resource, httpMethod)``: what the Lambda dispatcher looks a route up by."""
        return (self.resource.path, self.method)

    @property
    def name(self) -> str:
        if self.asgi is not None:
            return f"{self.asgi.name} (ASGI)"
        return getattr(self.handler, "__qualname__", repr(self.handler))

    def __str__(self) -> str:
        return f"{self.method} {self.resource.path}"


_KNOWN_OPTIONS: Final = frozenset(
    {
        "timeout",
        "cors",
        "status_code",
        "function",
        "description",
        "authorizer",
        "authorization_scopes",
        "api_key_required",
        "throttle",
    }
)


def route_options(
    where: str,
    options: Mapping[str, Any],
    *,
    api_cors: Cors | None,
    default_function: str,
    resolve_authorizer: Callable[[str, Any], Authorizer | None],
    api_key_required: bool = False,
) -> dict[str, Any]:
    """Validate a route's keyword options; errors name the route (``where``)."""
    unknown = sorted(set(options) - _KNOWN_OPTIONS)
    if unknown:
        raise InvalidOptionError(
            f"{where}: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(_KNOWN_OPTIONS))}"
        )
    timeout = options.get("timeout", MAX_TIMEOUT)
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int | float)
        or not MIN_TIMEOUT <= timeout <= MAX_TIMEOUT
    ):
        raise InvalidOptionError(
            f"{where}: timeout must be between {MIN_TIMEOUT} and {MAX_TIMEOUT:g} seconds "
            f"(API Gateway's REST integration limit), got {timeout!r}"
        )
    status_code = options.get("status_code", 200)
    if isinstance(status_code, bool) or not isinstance(status_code, int):
        raise InvalidOptionError(f"{where}: status_code must be an int, got {status_code!r}")
    if not 100 <= status_code <= 599:
        raise InvalidOptionError(f"{where}: status_code must be 100-599, got {status_code}")
    function = options.get("function") or default_function
    if not isinstance(function, str) or not function.replace("-", "").replace("_", "").isalnum():
        raise InvalidOptionError(
            f"{where}: function must be a name of letters, digits, '-' or '_', got {function!r}"
        )
    return {
        "timeout": float(timeout),
        "status_code": status_code,
        "function": function,
        "cors": resolve_cors(where, options.get("cors", INHERIT), api_cors),
        "description": options.get("description"),
        **_authorization(where, options, resolve_authorizer),
        **_metering(where, options, api_key_required),
    }


def _metering(where: str, options: Mapping[str, Any], api_default: bool) -> dict[str, Any]:
    required = options.get("api_key_required", INHERIT)
    if required is INHERIT:
        required = api_default
    if not isinstance(required, bool):
        raise InvalidOptionError(f"{where}: api_key_required must be True or False")
    throttle = options.get("throttle")
    if throttle is not None and not isinstance(throttle, Throttle):
        raise InvalidOptionError(f"{where}: throttle must be a Throttle(rate=..., burst=...)")
    return {"api_key_required": required, "throttle": throttle}


def _authorization(
    where: str, options: Mapping[str, Any], resolve: Callable[[str, Any], Authorizer | None]
) -> dict[str, Any]:
    authorizer = resolve(where, options.get("authorizer", INHERIT))
    scopes = options.get("authorization_scopes") or ()
    if isinstance(scopes, str):
        scopes = (scopes,)
    scopes = tuple(scopes)
    if scopes and not isinstance(authorizer, CognitoAuthorizer):
        # API Gateway applies method authorization scopes to Cognito authorizers only.
        raise InvalidOptionError(f"{where}: authorization_scopes need a CognitoAuthorizer")
    if not all(isinstance(s, str) and s for s in scopes):
        raise InvalidOptionError(f"{where}: authorization_scopes must be non-empty strings")
    return {"authorizer": authorizer, "authorization_scopes": scopes}


def resolve_cors(where: str, value: Any, api_cors: Cors | None) -> Cors | None:
    if value is INHERIT:
        return api_cors
    if value is None or value is False:
        return None
    if value is True:
        return api_cors or Cors()
    if isinstance(value, Cors):
        return value
    raise InvalidOptionError(f"{where}: cors must be a Cors, True, False or None, got {value!r}")
