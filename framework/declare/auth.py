"""Who may call a method: Lambda authorizers, Cognito user pools, IAM, resource policies.

Pure declarations. The local gateway enforces them (``framework.gateway.authorize``), the
runtime runs Lambda authorizer functions (``framework.runtime.auth``), synth writes them
into the OpenAPI document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from framework._record import field, record
from framework.errors import InvalidOptionError

if TYPE_CHECKING:
    from pathlib import Path

# Authorizer result TTL: default 300 s, 0 disables caching, at most 3600 s (AWS developer
# guide, "Use API Gateway Lambda authorizers").
DEFAULT_TTL = 300
MAX_TTL = 3600

_SOURCE = re.compile(
    r"method\.request\.(header|querystring)\.[^\s,]+|stageVariables\.[^\s,]+|context\.[^\s,]+"
)
_SHORT = {"header": "method.request.header.", "query": "method.request.querystring."}


def normalize_identity_source(value: str, where: str) -> str:
    """``Authorization`` / ``header.Authorization`` / ``query.token`` / ``stageVariables.x``
    / ``context.x`` -> API Gateway's spelling (``method.request.header.Authorization``)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidOptionError(f"{where}: an identity source must be a non-empty string")
    value = value.strip()
    kind, dot, rest = value.partition(".")
    if dot and kind in _SHORT:
        value = _SHORT[kind] + rest
    elif "." not in value:
        value = _SHORT["header"] + value
    if not _SOURCE.fullmatch(value):
        raise InvalidOptionError(
            f"{where}: identity source {value!r} must be a header, query string, stage "
            "variable or context variable (method.request.header.X, "
            "method.request.querystring.X, stageVariables.X, context.X)"
        )
    return value


def _ttl(value: int, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TTL:
        raise InvalidOptionError(f"{where}: ttl must be 0-{MAX_TTL} seconds, got {value!r}")
    return value


@record(eq=False)
class LambdaAuthorizer:
    """A Lambda authorizer: TOKEN (one header) or REQUEST (several identity sources).

    The function receives an ``AuthorizerRequest`` and returns ``allow(...)``/``deny(...)``,
    a raw IAM policy dict, or powertools' ``APIGatewayAuthorizerResponse``; raising
    ``UnauthorizedError`` answers 401.
    """

    name: str
    handler: Callable[..., Any]
    type: Literal["TOKEN", "REQUEST"]
    identity_sources: tuple[str, ...]
    function: str
    validation_regex: str | None = None
    ttl: int = DEFAULT_TTL

    @property
    def kind(self) -> str:
        return "lambda"


@record(eq=False)
class CognitoAuthorizer:
    """A Cognito user pool authorizer (``COGNITO_USER_POOLS``).

    Locally the JWT is verified against ``jwks`` (a dict, a path to a JSON file, or an
    https URL) plus a key the framework generates to mint test tokens
    (``framework.testing.mint_cognito_token``). ``app_client_ids`` restricts the accepted
    ``aud`` (ID tokens) / ``client_id`` (access tokens) locally.
    """

    user_pool_arns: tuple[str, ...]
    name: str = "cognito"
    identity_source: str = "method.request.header.Authorization"
    jwks: Mapping[str, Any] | str | Path | None = None
    app_client_ids: tuple[str, ...] = ()
    ttl: int = DEFAULT_TTL

    def __init__(
        self,
        user_pool_arns: str | Iterable[str],
        *,
        name: str = "cognito",
        identity_source: str = "Authorization",
        jwks: Mapping[str, Any] | str | Path | None = None,
        app_client_ids: Iterable[str] = (),
        ttl: int = DEFAULT_TTL,
    ) -> None:
        where = f"CognitoAuthorizer {name}"
        arns = (user_pool_arns,) if isinstance(user_pool_arns, str) else tuple(user_pool_arns)
        if not arns:
            raise InvalidOptionError(f"{where}: name at least one user pool ARN")
        for arn in arns:
            if not _POOL_ARN.fullmatch(arn) and not arn.startswith("{"):
                raise InvalidOptionError(
                    f"{where}: {arn!r} is not a user pool ARN "
                    "(arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)"
                )
        object.__setattr__(self, "user_pool_arns", arns)
        object.__setattr__(self, "name", _name(name, where))
        object.__setattr__(self, "identity_source", identity_source_header(identity_source, where))
        object.__setattr__(self, "jwks", jwks)
        object.__setattr__(self, "app_client_ids", tuple(app_client_ids))
        object.__setattr__(self, "ttl", _ttl(ttl, where))

    @property
    def kind(self) -> str:
        return "cognito"

    @property
    def issuers(self) -> tuple[str, ...]:
        """``https://cognito-idp.{region}.amazonaws.com/{pool id}`` for each pool."""
        result = []
        for arn in self.user_pool_arns:
            match = _POOL_ARN.fullmatch(arn)
            if match:
                result.append(
                    f"https://cognito-idp.{match['region']}.amazonaws.com/{match['pool']}"
                )
        return tuple(result)


_POOL_ARN = re.compile(
    r"arn:aws[a-z-]*:cognito-idp:(?P<region>[a-z0-9-]+):\d{12}:userpool/(?P<pool>[\w-]+_[\w]+)"
)


def identity_source_header(value: str, where: str) -> str:
    source = normalize_identity_source(value, where)
    if not source.startswith("method.request.header."):
        raise InvalidOptionError(f"{where}: the identity source must be a header, got {source}")
    return source


@record
class LocalCredential:
    """An IAM identity the local gateway accepts SigV4 signatures from."""

    secret_access_key: str
    user_arn: str = "arn:aws:iam::123456789012:user/local"
    account_id: str = "123456789012"
    user_id: str = "AIDALOCALUSER0000000"


@record(eq=False)
class IamAuthorizer:
    """``AWS_IAM`` authorization: requests must be SigV4-signed (service ``execute-api``).

    ``credentials`` maps access key ids to secrets (or ``LocalCredential``) the local
    gateway verifies signatures with; without any, it uses ``AWS_ACCESS_KEY_ID`` and
    ``AWS_SECRET_ACCESS_KEY`` from its environment. AWS checks real IAM identities and
    their policies; credentials are never synthesized.
    """

    credentials: Mapping[str, LocalCredential] = field(default_factory=dict)
    name: str = "iam"

    def __init__(self, credentials: Mapping[str, str | LocalCredential] | None = None) -> None:
        table: dict[str, LocalCredential] = {}
        for key, value in (credentials or {}).items():
            table[key] = value if isinstance(value, LocalCredential) else LocalCredential(value)
        object.__setattr__(self, "credentials", table)
        object.__setattr__(self, "name", "iam")

    @property
    def kind(self) -> str:
        return "iam"


Authorizer = LambdaAuthorizer | CognitoAuthorizer | IamAuthorizer


def _name(value: str, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value):
        raise InvalidOptionError(f"{where}: name must be 1-64 letters, digits, '-' or '_'")
    return value


def lambda_authorizer(
    handler: Callable[..., Any],
    *,
    api_name: str,
    name: str | None,
    type: str,
    identity_source: str | Sequence[str] | None,
    validation_regex: str | None,
    ttl: int,
    function: str | None,
) -> LambdaAuthorizer:
    """Validate ``@api.authorizer(...)``'s options into a ``LambdaAuthorizer``."""
    name = name or str(getattr(handler, "__name__", "authorizer"))
    where = f"authorizer {name}"
    _name(name, where)
    upper = str(type).upper()
    if upper not in ("TOKEN", "REQUEST"):
        raise InvalidOptionError(f"{where}: type must be TOKEN or REQUEST, got {type!r}")
    if identity_source is None:
        sources: Sequence[str] = ("Authorization",) if upper == "TOKEN" else ()
    elif isinstance(identity_source, str):
        sources = [s for s in identity_source.split(",") if s.strip()]
    else:
        sources = list(identity_source)
    normalized = tuple(normalize_identity_source(s, where) for s in sources)
    if upper == "TOKEN":
        if len(normalized) != 1 or not normalized[0].startswith("method.request.header."):
            raise InvalidOptionError(f"{where}: a TOKEN authorizer reads exactly one header")
    elif not normalized and ttl:
        # AWS: caching needs identity sources to key the cache on.
        raise InvalidOptionError(
            f"{where}: a REQUEST authorizer with ttl > 0 needs identity sources"
        )
    if validation_regex is not None:
        if upper != "TOKEN":
            raise InvalidOptionError(f"{where}: validation_regex applies to TOKEN authorizers")
        try:
            re.compile(validation_regex)
        except re.error as exc:
            raise InvalidOptionError(f"{where}: validation_regex: {exc}") from exc
    if not callable(handler):
        raise InvalidOptionError(f"{where}: {handler!r} is not callable")
    return LambdaAuthorizer(
        name=name,
        handler=handler,
        type="TOKEN" if upper == "TOKEN" else "REQUEST",
        identity_sources=normalized,
        function=function or f"{api_name}-{name}",
        validation_regex=validation_regex,
        ttl=_ttl(ttl, where),
    )


# -- resource policies ---------------------------------------------------------------------


@record
class ResourcePolicy:
    """An API's resource policy (``x-amazon-apigateway-policy``), as an IAM policy document.

    Locally, statements are evaluated for ``Principal: "*"`` and the ``aws:SourceIp``
    condition (``IpAddress`` / ``NotIpAddress``); anything else is refused at declaration.
    """

    document: Mapping[str, Any]


_SUPPORTED_CONDITIONS = {("IpAddress", "aws:SourceIp"), ("NotIpAddress", "aws:SourceIp")}


def resource_policy(
    document: Mapping[str, Any] | None,
    *,
    api_name: str,
    allow_source_ips: Sequence[str] = (),
    deny_source_ips: Sequence[str] = (),
) -> ResourcePolicy:
    """Build (or check) a resource policy; ``allow_source_ips``/``deny_source_ips`` take
    addresses or CIDR blocks."""
    where = f"RestApi {api_name}: resource_policy"
    if document is None:
        statements: list[dict[str, Any]] = []
        for effect, ips in (("Allow", allow_source_ips), ("Deny", deny_source_ips)):
            if ips:
                statements.append(
                    {
                        "Effect": effect,
                        "Principal": "*",
                        "Action": "execute-api:Invoke",
                        "Resource": "execute-api:/*",
                        "Condition": {"IpAddress": {"aws:SourceIp": list(ips)}},
                    }
                )
        if deny_source_ips and not allow_source_ips:
            # A policy with only a Deny denies everyone else implicitly: allow the rest.
            statements.insert(
                0,
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "execute-api:Invoke",
                    "Resource": "execute-api:/*",
                },
            )
        if not statements:
            raise InvalidOptionError(f"{where}: give a policy document or source IPs")
        document = {"Version": "2012-10-17", "Statement": statements}
    elif allow_source_ips or deny_source_ips:
        raise InvalidOptionError(f"{where}: give either a document or source IPs, not both")
    _check_policy(document, where)
    return ResourcePolicy(document)


def _check_policy(document: Mapping[str, Any], where: str) -> None:
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise InvalidOptionError(f"{where}: the document needs a Statement list")
    for index, statement in enumerate(statements):
        here = f"{where}: Statement[{index}]"
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise InvalidOptionError(f"{here}: Effect must be Allow or Deny")
        principal = statement.get("Principal", "*")
        if principal not in ("*", {"AWS": "*"}):
            raise InvalidOptionError(
                f'{here}: the local gateway evaluates Principal "*" only, got {principal!r}'
            )
        for operator, conditions in (statement.get("Condition") or {}).items():
            for key, values in conditions.items():
                if (operator, key) not in _SUPPORTED_CONDITIONS:
                    raise InvalidOptionError(
                        f"{here}: condition {operator} {key} is not evaluated locally "
                        "(supported: IpAddress / NotIpAddress on aws:SourceIp)"
                    )
                for value in [values] if isinstance(values, str) else values:
                    try:
                        _ip_network(value)
                    except ValueError as exc:
                        raise InvalidOptionError(f"{here}: {value!r} is not an IP or CIDR") from exc


def _ip_network(value: str) -> None:
    import ipaddress  # only when a resource policy is declared

    ipaddress.ip_network(value, strict=False)
