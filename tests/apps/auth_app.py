"""Authorizers under test; CALLS counts how often each authorizer function ran."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
    APIGatewayAuthorizerResponse,
)

from framework import (
    AuthorizerRequest,
    CognitoAuthorizer,
    IamAuthorizer,
    LocalCredential,
    Request,
    RestApi,
    UnauthorizedError,
    allow,
    deny,
)

CALLS: Counter[str] = Counter()
EVENTS: list[dict[str, Any]] = []

api = RestApi("guarded")
api.stage("dev", variables={"tenant": "acme"})
api.stage("prod", variables={"tenant": "acme"})


@api.authorizer(type="TOKEN", validation_regex=r"^Bearer \S+$", ttl=300)
def bearer(request: AuthorizerRequest) -> Any:
    CALLS["bearer"] += 1
    EVENTS.append(dict(request.event))
    token = (request.token or "").removeprefix("Bearer ")
    if token == "admin":
        return allow("admin", routes=["*"], context={"level": 9, "staff": True, "note": None})
    if token == "reader":
        return allow("reader", routes=["GET /things/*"])
    if token == "banned":
        return deny("banned", routes=["*"])
    if token == "raw":
        return {
            "principalId": "raw",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}],
            },
        }
    if token == "powertools":
        response = APIGatewayAuthorizerResponse(
            principal_id="pt",
            region="us-east-1",
            aws_account_id="123456789012",
            api_id="*",
            stage="*",
            context={"source": "powertools"},
        )
        response.allow_all_routes()
        return response
    if token == "nested-context":
        return allow("x", routes=["*"], context={"bad": {"nested": 1}})  # type: ignore[dict-item]
    if token == "no-principal":
        return {"policyDocument": {"Statement": []}}
    if token == "crash":
        raise RuntimeError("the authorizer has a bug")
    raise UnauthorizedError()


@api.authorizer(
    "by_request",
    type="REQUEST",
    identity_source=["header.X-Key", "query.tenant", "stageVariables.tenant"],
    ttl=60,
)
def by_request(request: AuthorizerRequest) -> Any:
    CALLS["by_request"] += 1
    EVENTS.append(dict(request.event))
    if request.headers.get("x-key") == "k1":
        return allow(
            "requester", routes=["GET /report"], context={"tenant": request.query["tenant"]}
        )
    raise UnauthorizedError()


@api.authorizer("uncached", type="REQUEST", ttl=0)
def uncached(request: AuthorizerRequest) -> Any:
    CALLS["uncached"] += 1
    return allow("anyone", routes=["GET /open"])


cognito = CognitoAuthorizer(
    "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1",
    app_client_ids=["client-a"],
)
iam = IamAuthorizer(
    credentials={
        "AKIDTEST": LocalCredential(
            "test-secret", user_arn="arn:aws:iam::123456789012:user/alice", user_id="AIDAALICE"
        )
    }
)


def _echo(request: Request) -> dict[str, Any]:
    return {
        "authorizer": request.authorizer,
        "identity": request.event["requestContext"]["identity"],
    }


@api.get("/things/{thing_id}", authorizer=bearer)
def get_thing(request: Request, thing_id: str) -> dict[str, Any]:
    return _echo(request)


@api.delete("/things/{thing_id}", authorizer="bearer")
def delete_thing(request: Request, thing_id: str) -> dict[str, Any]:
    return _echo(request)


@api.get("/report", authorizer=by_request)
def report(request: Request) -> dict[str, Any]:
    return _echo(request)


@api.get("/open", authorizer=uncached)
def open_route(request: Request) -> dict[str, Any]:
    return _echo(request)


@api.get("/me", authorizer=cognito)
def me(request: Request) -> dict[str, Any]:
    return _echo(request)


@api.post("/orders", authorizer=cognito, authorization_scopes=["shop/orders.write"])
def orders(request: Request) -> dict[str, Any]:
    return _echo(request)


@api.route("/signed", methods=["GET", "POST"], authorizer=iam)
def signed(request: Request) -> dict[str, Any]:
    return _echo(request)


@api.get("/public")
def public() -> dict[str, str]:
    return {"public": "yes"}
