"""Methods on resources: what ``@api.get(...)`` and friends record."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from framework._record import record
from framework.declare.cors import Cors
from framework.declare.paths import ResourcePath
from framework.errors import InvalidOptionError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    # Imported where used: an app without authorizers, usage plans, ASGI apps or
    # integrations does not load them in Lambda (cold start).
    from framework.declare.asgi import AsgiMount
    from framework.declare.auth import Authorizer
    from framework.declare.integrations import Integration
    from framework.declare.usage import Throttle

    Handler = Callable[..., Any]

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


@record
class Route:
    """One method on one resource, as declared. Pure data."""

    method: str
    resource: ResourcePath
    handler: Handler | None  # None for MOCK, HTTP and AWS service integrations
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
    validate: str | None = None  # the request validator: "body", "params", "all"
    required_query: tuple[str, ...] = ()
    required_headers: tuple[str, ...] = ()
    model: Any = None  # the body model: a pydantic class or a JSON schema dict
    # None: Lambda proxy (AWS_PROXY) to the handler, or Mangum for an ASGI app.
    integration: Integration | None = None

    @property
    def invokes_lambda(self) -> bool:
        """Does a Lambda function of this API serve the method (proxy or custom)?"""
        return self.integration is None or self.integration.runs_lambda

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
        if self.handler is None:
            return f"({self.integration.type if self.integration else '-'} integration)"
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
        "integration",
        "validate",
        "required_query",
        "required_headers",
        "model",
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
    api_validate: str | None = None,
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
        **_request_checks(where, options, api_validate),
        "integration": _integration(where, options.get("integration")),
    }


VALIDATORS: Final = ("body", "params", "all")


def _names(where: str, option: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = (value,)
    names = tuple(value)
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise InvalidOptionError(f"{where}: {option} must be a list of names")
    return names


def _request_checks(
    where: str, options: Mapping[str, Any], api_default: str | None
) -> dict[str, Any]:
    validate = options.get("validate", INHERIT)
    if validate is INHERIT:
        validate = api_default
    if validate is not None and validate not in VALIDATORS:
        raise InvalidOptionError(
            f"{where}: validate must be 'body', 'params', 'all' or None, got {validate!r}"
        )
    model = options.get("model")
    if model is not None and not (
        isinstance(model, Mapping) or hasattr(model, "model_json_schema")
    ):
        raise InvalidOptionError(
            f"{where}: model must be a pydantic model class or a JSON schema dict"
        )
    return {
        "validate": validate,
        "required_query": _names(where, "required_query", options.get("required_query")),
        "required_headers": _names(where, "required_headers", options.get("required_headers")),
        "model": model,
    }


def _integration(where: str, value: Any) -> Integration | None:
    if value is None:
        return None
    from framework.declare.integrations import (
        AwsIntegration,
        HttpIntegration,
        LambdaIntegration,
        MockIntegration,
    )

    if not isinstance(
        value, MockIntegration | HttpIntegration | LambdaIntegration | AwsIntegration
    ):
        raise InvalidOptionError(
            f"{where}: integration must come from framework.integrations "
            "(mock, http, lambda_custom, aws)"
        )
    return value


def _metering(where: str, options: Mapping[str, Any], api_default: bool) -> dict[str, Any]:
    required = options.get("api_key_required", INHERIT)
    if required is INHERIT:
        required = api_default
    if not isinstance(required, bool):
        raise InvalidOptionError(f"{where}: api_key_required must be True or False")
    throttle = options.get("throttle")
    if throttle is not None:
        from framework.declare.usage import Throttle
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
    if scopes:
        from framework.declare.auth import CognitoAuthorizer
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
