"""framework: declare an Amazon API Gateway API in Python, serve it locally, deploy it.

Only the declaration and the Lambda runtime are exported here, so that importing an app
inside Lambda loads nothing but the standard library. The local gateway lives in
``framework.gateway``, the test client in ``framework.testing``, synth in ``framework.synth``.
"""

from __future__ import annotations

from framework.declare import Cors, LambdaFunction, RestApi, Stage
from framework.declare.auth import (
    CognitoAuthorizer,
    IamAuthorizer,
    LambdaAuthorizer,
    LocalCredential,
    ResourcePolicy,
)
from framework.declare.usage import ApiKey, GatewayResponse, Quota, Throttle, UsagePlan
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
from framework.runtime.auth import AuthorizerRequest, AuthResult, allow, deny

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
