"""framework: declare an Amazon API Gateway API in Python, serve it locally, deploy it.

Only the declaration and the Lambda runtime are exported here, so that importing an app
inside Lambda loads nothing but the standard library. The local gateway lives in
``framework.gateway``, the test client in ``framework.testing``, synth in ``framework.synth``.
"""

from __future__ import annotations

from framework.declare import Cors, LambdaFunction, RestApi, Stage
from framework.errors import (
    BadRequestError,
    ConflictError,
    DeclarationError,
    DuplicateRouteError,
    ForbiddenError,
    FrameworkError,
    HTTPError,
    InternalServerError,
    InvalidOptionError,
    InvalidPathError,
    MethodNotAllowedError,
    NotFoundError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UnprocessableEntityError,
)
from framework.runtime import Headers, Request, Response

# No typing at run time: it would be most of this package's import cost in Lambda.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.declare.auth import (
        CognitoAuthorizer,
        IamAuthorizer,
        LambdaAuthorizer,
        LocalCredential,
        ResourcePolicy,
    )
    from framework.declare.integrations import IntegrationResponse
    from framework.declare.usage import ApiKey, GatewayResponse, Quota, Throttle, UsagePlan
    from framework.runtime.auth import AuthorizerRequest, AuthResult, allow, deny

# Loaded on first use (PEP 562): a Lambda function whose app declares no authorizer,
# usage plan or integration does not import those modules in its cold start.
_LAZY = {
    "ApiKey": "framework.declare.usage",
    "AuthResult": "framework.runtime.auth",
    "AuthorizerRequest": "framework.runtime.auth",
    "CognitoAuthorizer": "framework.declare.auth",
    "GatewayResponse": "framework.declare.usage",
    "IamAuthorizer": "framework.declare.auth",
    "IntegrationResponse": "framework.declare.integrations",
    "LambdaAuthorizer": "framework.declare.auth",
    "LocalCredential": "framework.declare.auth",
    "Quota": "framework.declare.usage",
    "ResourcePolicy": "framework.declare.auth",
    "Throttle": "framework.declare.usage",
    "UsagePlan": "framework.declare.usage",
    "allow": "framework.runtime.auth",
    "deny": "framework.runtime.auth",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'framework' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ApiKey",
    "AuthResult",
    "AuthorizerRequest",
    "BadRequestError",
    "CognitoAuthorizer",
    "ConflictError",
    "Cors",
    "DeclarationError",
    "DuplicateRouteError",
    "ForbiddenError",
    "FrameworkError",
    "GatewayResponse",
    "HTTPError",
    "Headers",
    "IamAuthorizer",
    "IntegrationResponse",
    "InternalServerError",
    "InvalidOptionError",
    "InvalidPathError",
    "LambdaAuthorizer",
    "LambdaFunction",
    "LocalCredential",
    "MethodNotAllowedError",
    "NotFoundError",
    "Quota",
    "Request",
    "ResourcePolicy",
    "Response",
    "RestApi",
    "ServiceUnavailableError",
    "Stage",
    "Throttle",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
    "UsagePlan",
    "allow",
    "deny",
]
