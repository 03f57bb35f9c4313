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

__all__ = [
    "BadRequestError",
    "ConflictError",
    "Cors",
    "DeclarationError",
    "DuplicateRouteError",
    "ForbiddenError",
    "FrameworkError",
    "HTTPError",
    "Headers",
    "InternalServerError",
    "InvalidOptionError",
    "InvalidPathError",
    "LambdaFunction",
    "MethodNotAllowedError",
    "NotFoundError",
    "Request",
    "Response",
    "RestApi",
    "ServiceUnavailableError",
    "Stage",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnprocessableEntityError",
]
