"""Lambda authorizers inside Lambda: the request they see and the policy they return.

Standard library only. ``AuthorizerEndpoint`` is the Lambda handler of an authorizer
function; it turns ``allow(...)``/``deny(...)``, a raw policy dict or powertools'
``APIGatewayAuthorizerResponse`` into the IAM policy API Gateway expects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from framework._record import field, record
from framework.errors import UnauthorizedError
from framework.runtime.request import Request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from framework.declare.auth import LambdaAuthorizer
    from framework.events.types import LambdaContext

Scalar = str | int | float | bool | None  # None is passed on as null


class AuthorizerRequest(Request):
    """What a Lambda authorizer receives: the TOKEN or REQUEST authorizer event.

    ``token`` is the identity header's value (TOKEN authorizers); a REQUEST authorizer's
    event is the proxy event without its body, so ``headers``, ``query``, ``path_params``,
    ``stage_variables`` and ``source_ip`` read as on a ``Request``.
    """

    __slots__ = ()

    @property
    def type(self) -> str:
        return str(self.event.get("type", ""))

    @property
    def token(self) -> str | None:
        value = self.event.get("authorizationToken")
        return None if value is None else str(value)

    @property
    def method_arn(self) -> str:
        return str(self.event.get("methodArn", ""))

    @property
    def method(self) -> str:
        return str(self.event.get("httpMethod") or _arn_parts(self.method_arn)[2])

    @property
    def stage(self) -> str:
        return _arn_parts(self.method_arn)[1]

    def __repr__(self) -> str:
        return f"<AuthorizerRequest {self.type} {self.method_arn}>"


def _arn_parts(method_arn: str) -> tuple[str, str, str, str]:
    """``arn:...:{apiId}/{stage}/{METHOD}/{path}`` -> (arn prefix with api id, stage,
    method, path)."""
    head, _, rest = method_arn.partition("/")
    stage, _, rest = rest.partition("/")
    method, _, path = rest.partition("/")
    return head, stage, method, path


@record
class AuthResult:
    """What ``allow``/``deny`` return: rendered into a policy for the request's methodArn."""

    effect: str
    principal_id: str
    routes: tuple[str, ...] | None = None
    context: Mapping[str, Scalar] = field(default_factory=dict)
    usage_identifier_key: str | None = None

    def policy(self, method_arn: str) -> dict[str, Any]:
        head, stage, _, _ = _arn_parts(method_arn)
        if self.routes is None:
            resources = [method_arn]
        else:
            resources = [_route_arn(head, stage, route) for route in self.routes]
        result: dict[str, Any] = {
            "principalId": self.principal_id,
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Action": "execute-api:Invoke", "Effect": self.effect, "Resource": resources}
                ],
            },
        }
        if self.context:
            result["context"] = dict(self.context)
        if self.usage_identifier_key is not None:
            result["usageIdentifierKey"] = self.usage_identifier_key
        return result


def _route_arn(head: str, stage: str, route: str) -> str:
    """``"GET /pets/*"`` -> ``arn:...:{apiId}/{stage}/GET/pets/*``; ``"*"`` -> every method."""
    if route == "*":
        return f"{head}/{stage}/*"
    method, _, path = route.strip().partition(" ")
    if not path:
        raise ValueError(f"route {route!r} must look like 'GET /pets/*' or '*'")
    method = "*" if method.upper() == "ANY" else method.upper()
    return f"{head}/{stage}/{method}/{path.lstrip('/')}"


def allow(
    principal_id: str,
    *,
    context: Mapping[str, Scalar] | None = None,
    routes: Iterable[str] | None = None,
    usage_identifier_key: str | None = None,
) -> AuthResult:
    """Allow the caller. ``routes`` (``["GET /pets/*", "POST /pets"]``, or ``["*"]``) says
    what the policy covers; by default only the method being called.

    API Gateway caches the policy for the authorizer's TTL and applies it to the caller's
    next requests, so a policy that covers only this method denies the others until it
    expires: list every route the caller may use.
    """
    return AuthResult(
        "Allow",
        principal_id,
        None if routes is None else tuple(routes),
        dict(context or {}),
        usage_identifier_key,
    )


def deny(
    principal_id: str,
    *,
    context: Mapping[str, Scalar] | None = None,
    routes: Iterable[str] | None = None,
) -> AuthResult:
    """Deny the caller explicitly (403 "... with an explicit deny")."""
    return AuthResult(
        "Deny", principal_id, None if routes is None else tuple(routes), dict(context or {})
    )


class AuthorizerEndpoint:
    """The Lambda handler of a Lambda authorizer function."""

    __slots__ = ("authorizer",)

    def __init__(self, authorizer: LambdaAuthorizer) -> None:
        self.authorizer = authorizer

    def __call__(self, event: Mapping[str, Any], context: LambdaContext | None = None) -> Any:
        request = AuthorizerRequest(event, context)
        try:
            result = self.authorizer.handler(request)
        except UnauthorizedError:
            # API Gateway answers 401 when the authorizer fails with exactly "Unauthorized"
            # (AWS developer guide, "Use API Gateway Lambda authorizers").
            raise Exception("Unauthorized") from None
        if isinstance(result, AuthResult):
            return result.policy(request.method_arn)
        as_dict = getattr(result, "asdict", None)  # powertools' APIGatewayAuthorizerResponse
        if callable(as_dict):
            return as_dict()
        return result
