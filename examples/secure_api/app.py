"""Every way a REST API decides who may call a method, served locally as API Gateway does.

python -m framework serve examples/secure_api/app.py

# TOKEN authorizer (Authorization: Bearer <token>): "Bearer reader" may only GET /pets/*
curl -H 'Authorization: Bearer reader' http://127.0.0.1:3000/dev/pets/1
curl -H 'Authorization: Bearer admin' -X DELETE http://127.0.0.1:3000/dev/pets/1

# REQUEST authorizer: a key in the query string and a header
curl -H 'X-Tenant: acme' 'http://127.0.0.1:3000/dev/reports?key=k-123'

# Cognito: mint a token signed by the local key, then call with it
TOKEN=$(python -m framework token examples/secure_api/app.py --sub alice)
curl -H "Authorization: $TOKEN" http://127.0.0.1:3000/dev/me

# IAM: sign with SigV4 (awscurl, botocore, the AWS SDKs) using the credentials the
# server was started with (any values will do locally)
export AWS_ACCESS_KEY_ID=AKIDLOCAL AWS_SECRET_ACCESS_KEY=local-secret
awscurl --service execute-api http://127.0.0.1:3000/dev/admin/stats
"""

from __future__ import annotations

from framework import (
    AuthorizerRequest,
    CognitoAuthorizer,
    IamAuthorizer,
    Request,
    RestApi,
    UnauthorizedError,
    allow,
    deny,
)

api = RestApi("secure")
api.stage("dev", variables={"tenant": "acme"})

# Resource policy: /health is open to all, and nothing to callers from 192.0.2.0/24. The
# other methods are left to their authorizers: an Allow here for them would let a Lambda
# authorizer's policy that does not mention a method through (API Gateway's Table A).
api.resource_policy(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*/GET/health",
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}},
            },
        ],
    }
)


@api.authorizer(type="TOKEN", validation_regex=r"^Bearer [A-Za-z0-9._-]+$", ttl=300)
def bearer(request: AuthorizerRequest) -> object:
    token = (request.token or "").removeprefix("Bearer ")
    if token == "admin":
        return allow("admin", context={"role": "admin", "level": 9}, routes=["*"])
    if token == "reader":
        # Only GET /pets/*: cached for 5 minutes, this policy denies the reader's DELETE.
        return allow("reader", context={"role": "reader"}, routes=["GET /pets/*"])
    if token == "banned":
        return deny("banned")
    raise UnauthorizedError()


@api.authorizer(
    "tenant_key",
    type="REQUEST",
    identity_source=["header.X-Tenant", "query.key", "stageVariables.tenant"],
    ttl=60,
)
def tenant_key(request: AuthorizerRequest) -> object:
    if request.query.get("key") == "k-123" and request.headers.get("x-tenant") == "acme":
        return allow("tenant-acme", context={"tenant": "acme"}, routes=["GET /reports"])
    raise UnauthorizedError()


cognito = CognitoAuthorizer(
    "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example1",
)
# Locally, requests signed with the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY that the server
# was started with pass; on AWS, IAM decides.
iam = IamAuthorizer()

PETS = {"1": {"id": "1", "name": "Tom"}, "2": {"id": "2", "name": "Rex"}}


@api.get("/pets/{pet_id}", authorizer=bearer)
def get_pet(request: Request, pet_id: str) -> dict[str, object]:
    return {**PETS.get(pet_id, {"id": pet_id}), "caller": request.authorizer}


@api.delete("/pets/{pet_id}", authorizer=bearer)
def delete_pet(pet_id: str) -> dict[str, str]:
    return {"deleted": pet_id}


@api.get("/reports", authorizer="tenant_key")
def reports(request: Request) -> dict[str, object]:
    return {"tenant": request.authorizer.get("tenant"), "reports": ["q1", "q2"]}


@api.get("/me", authorizer=cognito)
def me(request: Request) -> dict[str, object]:
    return {"claims": request.authorizer["claims"]}


@api.post("/orders", authorizer=cognito, authorization_scopes=["shop/orders.write"])
def place_order(request: Request) -> dict[str, object]:
    return {"ordered_by": request.authorizer["claims"]["sub"]}


@api.get("/admin/stats", authorizer=iam)
def stats(request: Request) -> dict[str, object]:
    identity = request.event["requestContext"]["identity"]
    return {"caller": identity["caller"], "userArn": identity["userArn"]}


@api.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
