"""Lambda, Cognito and IAM authorizers, enforced by the local gateway as API Gateway does."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import jwt
import pytest
from aws_lambda_powertools.utilities.parser.models import (
    ApiGatewayAuthorizerRequest,
    ApiGatewayAuthorizerToken,
)
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives.asymmetric import rsa

from framework import CognitoAuthorizer, RestApi
from framework.errors import InvalidOptionError
from framework.testing import Client, ManualClock, mint_cognito_token
from tests.conftest import APPS, Server, load_app

app = load_app("auth_app")
api: RestApi = app.api


@pytest.fixture()
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture()
def client(clock: ManualClock) -> Iterator[Client]:
    app.CALLS.clear()
    app.EVENTS.clear()
    with Client(api, stage="dev", clock=clock) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_error(response: httpx.Response, status: int, body: bytes, error_type: str) -> None:
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["x-amzn-errortype"] == error_type


UNAUTHORIZED = b'{"message":"Unauthorized"}'
EXPLICIT = b'{"Message":"User is not authorized to access this resource with an explicit deny"}'
IMPLICIT = b'{"Message":"User is not authorized to access this resource"}'


# -- TOKEN authorizers ------------------------------------------------------------------------


def test_a_missing_token_is_401_without_calling_the_authorizer(client: Client) -> None:
    assert_error(client.get("/things/1"), 401, UNAUTHORIZED, "UnauthorizedException")
    assert_error(
        client.get("/things/1", headers={"Authorization": ""}),
        401,
        UNAUTHORIZED,
        "UnauthorizedException",
    )
    assert app.CALLS["bearer"] == 0


def test_a_token_failing_the_validation_regex_is_401_without_a_call(client: Client) -> None:
    response = client.get("/things/1", headers={"Authorization": "Basic abc"})
    assert_error(response, 401, UNAUTHORIZED, "UnauthorizedException")
    assert app.CALLS["bearer"] == 0


def test_the_authorizer_saying_unauthorized_is_401(client: Client) -> None:
    assert_error(
        client.get("/things/1", headers=bearer("stranger")),
        401,
        UNAUTHORIZED,
        "UnauthorizedException",
    )
    assert app.CALLS["bearer"] == 1


def test_an_explicit_deny_is_403_with_api_gateways_capital_m(client: Client) -> None:
    response = client.get("/things/1", headers=bearer("banned"))
    assert_error(response, 403, EXPLICIT, "AccessDeniedException")


def test_the_token_event_is_what_api_gateway_sends(client: Client) -> None:
    assert client.get("/things/42?x=1", headers=bearer("admin")).status_code == 200
    (event,) = app.EVENTS
    ApiGatewayAuthorizerToken.model_validate(event)
    arn = event["methodArn"]
    assert event == {
        "type": "TOKEN",
        "authorizationToken": "Bearer admin",
        "methodArn": arn,
    }
    prefix, _, rest = arn.partition("/")
    assert prefix.startswith("arn:aws:execute-api:us-east-1:123456789012:")
    assert rest == "dev/GET/things/42"


def test_context_principal_and_latency_reach_the_handler_as_strings(client: Client) -> None:
    seen = client.get("/things/1", headers=bearer("admin")).json()["authorizer"]
    assert seen.pop("integrationLatency") >= 0
    assert seen == {"principalId": "admin", "level": "9", "staff": "true", "note": None}


def test_a_cached_policy_that_does_not_cover_another_method_denies_it(
    client: Client, clock: ManualClock
) -> None:
    assert client.get("/things/1", headers=bearer("reader")).status_code == 200
    assert client.get("/things/2", headers=bearer("reader")).status_code == 200
    # The cached policy allows GET /things/* only: DELETE is refused without a new call.
    assert_error(
        client.delete("/things/1", headers=bearer("reader")), 403, IMPLICIT, "AccessDeniedException"
    )
    assert app.CALLS["bearer"] == 1
    clock.advance(301)  # past the 300 s TTL: the authorizer runs again
    assert client.get("/things/1", headers=bearer("reader")).status_code == 200
    assert app.CALLS["bearer"] == 2


def test_a_raw_policy_dict_and_powertools_responses_are_understood(client: Client) -> None:
    assert (
        client.get("/things/1", headers=bearer("raw")).json()["authorizer"]["principalId"] == "raw"
    )
    seen = client.delete("/things/1", headers=bearer("powertools")).json()["authorizer"]
    assert (seen["principalId"], seen["source"]) == ("pt", "powertools")


@pytest.mark.parametrize("token", ["crash", "nested-context", "no-principal"])
def test_a_failing_or_malformed_authorizer_is_500_with_a_null_message(
    client: Client, token: str
) -> None:
    response = client.get("/things/1", headers=bearer(token))
    assert_error(response, 500, b'{"message": null}', "AuthorizerConfigurationException")


# -- REQUEST authorizers ----------------------------------------------------------------------


def test_a_request_authorizer_gets_the_request_and_is_cached_on_its_sources(
    client: Client,
) -> None:
    response = client.get("/report?tenant=acme", headers={"X-Key": "k1"})
    assert response.status_code == 200, response.text
    assert response.json()["authorizer"]["tenant"] == "acme"
    (event,) = app.EVENTS
    ApiGatewayAuthorizerRequest.model_validate(event)
    assert event["type"] == "REQUEST"
    assert event["methodArn"].endswith("/dev/GET/report")
    assert event["headers"]["X-Key"] == "k1"
    assert event["queryStringParameters"] == {"tenant": "acme"}
    assert event["stageVariables"] == {"tenant": "acme"}
    assert "body" not in event
    client.get("/report?tenant=acme", headers={"X-Key": "k1"})
    assert app.CALLS["by_request"] == 1  # same identity sources: the cache answers
    client.get("/report?tenant=other", headers={"X-Key": "k1"})
    assert app.CALLS["by_request"] == 2


def test_a_missing_identity_source_is_401_without_a_call(client: Client) -> None:
    assert_error(
        client.get("/report", headers={"X-Key": "k1"}), 401, UNAUTHORIZED, "UnauthorizedException"
    )
    assert app.CALLS["by_request"] == 0


def test_without_caching_the_authorizer_runs_every_time(client: Client) -> None:
    for _ in range(3):
        assert client.get("/open").status_code == 200
    assert app.CALLS["uncached"] == 3


def test_the_authorizer_lambda_entry_point_returns_the_policy() -> None:
    handler = api.authorizer_handler("bearer")
    arn = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/things/1"
    result = handler({"type": "TOKEN", "methodArn": arn, "authorizationToken": "Bearer reader"})
    assert result == {
        "principalId": "reader",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    "Resource": ["arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/things/*"],
                }
            ],
        },
    }
    with pytest.raises(Exception, match="^Unauthorized$"):
        handler({"type": "TOKEN", "methodArn": arn, "authorizationToken": "Bearer nope"})


# -- Cognito ----------------------------------------------------------------------------------

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1"


def pyjwt_token(key: Any, kid: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {
        "sub": "bob",
        "iss": ISSUER,
        "token_use": "id",
        "aud": "client-a",
        "iat": now,
        "exp": now + 600,
    }
    payload.update(claims)
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def test_a_minted_id_token_passes_and_its_claims_reach_the_handler(client: Client) -> None:
    token = mint_cognito_token(
        app.cognito, sub="alice", client_id="client-a", claims={"email_verified": True}
    )
    claims = client.get("/me", headers={"Authorization": token}).json()["authorizer"]["claims"]
    assert claims["sub"] == "alice"
    assert claims["iss"] == ISSUER
    assert claims["email_verified"] == "true"


def test_bad_cognito_tokens_are_401(client: Client, clock: ManualClock) -> None:
    from framework.gateway.cognito import LOCAL_KID

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(clock.time())
    cases = {
        "expired": mint_cognito_token(app.cognito, client_id="client-a", expires_in=-1),
        "wrong audience": mint_cognito_token(app.cognito, client_id="client-z"),
        "wrong key": pyjwt_token(other_key, LOCAL_KID),
        "unknown kid": pyjwt_token(other_key, "another-kid"),
        "alg none": jwt.encode(
            {"sub": "x", "iss": ISSUER, "exp": now + 600, "aud": "client-a"},
            cast(Any, None),  # alg none signs with no key
            algorithm="none",
        ),
        "other pool": mint_cognito_token(
            CognitoAuthorizer(
                "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"
            ),
            client_id="client-a",
        ),
        "garbage": "not-a-jwt",
    }
    for name, token in cases.items():
        response = client.get("/me", headers={"Authorization": token})
        assert response.status_code == 401, name
        assert response.content == UNAUTHORIZED, name


def test_a_token_expires_when_the_clock_passes_exp(client: Client, clock: ManualClock) -> None:
    token = mint_cognito_token(app.cognito, client_id="client-a", expires_in=60, clock=clock)
    assert client.get("/me", headers={"Authorization": token}).status_code == 200
    clock.advance(61)
    assert client.get("/me", headers={"Authorization": token}).status_code == 401


def test_scoped_methods_need_an_access_token_with_a_matching_scope(client: Client) -> None:
    def call(token: str) -> int:
        return client.post("/orders", headers={"Authorization": token}).status_code

    assert (
        call(
            mint_cognito_token(
                app.cognito, token_use="access", client_id="client-a", scopes=["shop/orders.write"]
            )
        )
        == 200
    )
    assert (
        call(
            mint_cognito_token(
                app.cognito, token_use="access", client_id="client-a", scopes=["shop/orders.read"]
            )
        )
        == 401
    )
    assert call(mint_cognito_token(app.cognito, client_id="client-a")) == 401  # an ID token


# -- IAM (SigV4) ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    server = Server(str(APPS / "auth_app.py"), "--quiet")
    yield server
    server.stop()


def signed(
    server: Server,
    method: str,
    path: str,
    *,
    secret: str = "test-secret",
    key: str = "AKIDTEST",
    body: bytes = b"",
    skew: float = 0,
) -> AWSRequest:
    """A request signed by botocore's SigV4 signer, as if its clock were ``skew`` s off."""
    request = AWSRequest(method=method, url=f"{server.base}{path}", data=body)
    signer = SigV4Auth(Credentials(key, secret), "execute-api", "us-east-1")
    if not skew:
        signer.add_auth(request)
        return request
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() + skew))
    request.context["timestamp"] = stamp
    request.headers["X-Amz-Date"] = stamp
    request.headers["Host"] = f"127.0.0.1:{server.port}"
    canonical = signer.canonical_request(request)
    signature = signer.signature(signer.string_to_sign(request, canonical), request)
    signed_headers = signer.signed_headers(signer.headers_to_sign(request))
    request.headers["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={signer.scope(request)}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
    return request


def send(request: AWSRequest) -> httpx.Response:
    prepared = request.prepare()
    return httpx.request(
        prepared.method, prepared.url, headers=dict(prepared.headers), content=prepared.body or b""
    )


def test_a_botocore_signed_request_passes_and_fills_the_identity(server: Server) -> None:
    response = send(signed(server, "GET", "/dev/signed?b=2&a=1"))
    assert response.status_code == 200, response.text
    identity = response.json()["identity"]
    assert {k: identity[k] for k in ("accessKey", "accountId", "caller", "user", "userArn")} == {
        "accessKey": "AKIDTEST",
        "accountId": "123456789012",
        "caller": "AIDAALICE",
        "user": "AIDAALICE",
        "userArn": "arn:aws:iam::123456789012:user/alice",
    }
    posted = send(signed(server, "POST", "/dev/signed", body=b'{"a": 1}'))
    assert posted.status_code == 200, posted.text


def test_a_wrong_secret_or_a_tampered_request_is_403(server: Server) -> None:
    mismatch = (
        b'{"message":"The request signature we calculated does not match the signature you '
        b"provided. Check your AWS Secret Access Key and signing method. Consult the service "
        b'documentation for details."}'
    )
    assert_error(
        send(signed(server, "GET", "/dev/signed", secret="wrong")),
        403,
        mismatch,
        "InvalidSignatureException",
    )
    tampered = signed(server, "POST", "/dev/signed", body=b'{"amount": 1}')
    tampered.data = b'{"amount": 1000}'
    assert_error(send(tampered), 403, mismatch, "InvalidSignatureException")


def test_an_unknown_key_is_403(server: Server) -> None:
    response = send(signed(server, "GET", "/dev/signed", key="AKIDUNKNOWN"))
    assert_error(
        response,
        403,
        b'{"message":"The security token included in the request is invalid."}',
        "UnrecognizedClientException",
    )


def test_a_signature_more_than_five_minutes_off_has_expired(server: Server) -> None:
    for skew in (-400, 400):
        response = send(signed(server, "GET", "/dev/signed", skew=skew))
        assert response.status_code == 403
        assert response.json()["message"].startswith("Signature expired: ")
        assert response.headers["x-amzn-errortype"] == "InvalidSignatureException"
    assert send(signed(server, "GET", "/dev/signed", skew=-200)).status_code == 200


def test_an_unsigned_request_to_an_iam_method_is_missing_authentication_token(
    server: Server,
) -> None:
    response = httpx.get(f"{server.base}/dev/signed")
    assert_error(
        response,
        403,
        b'{"message":"Missing Authentication Token"}',
        "MissingAuthenticationTokenException",
    )


def test_without_declared_credentials_the_servers_aws_environment_is_used() -> None:
    credentials = {"AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "env-secret"}
    server = Server("examples/secure_api/app.py", "--quiet", env=credentials)
    try:
        good = send(
            signed(server, "GET", "/dev/admin/stats", key="AKIDFROMENV", secret="env-secret")
        )
        bad = send(signed(server, "GET", "/dev/admin/stats", key="AKIDFROMENV", secret="nope"))
    finally:
        server.stop()
    assert good.status_code == 200, good.text
    assert good.json()["caller"] == "AIDALOCALUSER0000000"
    assert bad.status_code == 403


# -- declarations -----------------------------------------------------------------------------


def test_authorizer_declarations_are_checked() -> None:
    api = RestApi("checks")
    with pytest.raises(InvalidOptionError, match="ttl must be 0-3600"):
        api.authorizer("a1", ttl=4000)(lambda request: None)
    with pytest.raises(InvalidOptionError, match="TOKEN authorizer reads exactly one header"):
        api.authorizer("a2", identity_source=["header.A", "header.B"])(lambda r: None)
    with pytest.raises(InvalidOptionError, match="identity source 'cookie.x'"):
        api.authorizer("a3", type="REQUEST", identity_source=["cookie.x"])(lambda r: None)
    with pytest.raises(InvalidOptionError, match="needs identity sources"):
        api.authorizer("a4", type="REQUEST")(lambda request: None)
    with pytest.raises(InvalidOptionError, match="is not declared"):
        api.get("/x", authorizer="nobody")(lambda: None)
    with pytest.raises(InvalidOptionError, match="authorization_scopes need a CognitoAuthorizer"):
        api.get("/y", authorization_scopes=["a/b"])(lambda: None)
    with pytest.raises(InvalidOptionError, match="not a user pool ARN"):
        CognitoAuthorizer("arn:aws:iam::123:user/x")
    with pytest.raises(InvalidOptionError, match="not evaluated locally"):
        api.resource_policy(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "execute-api:Invoke",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
                    }
                ]
            }
        )


def test_an_api_wide_authorizer_with_a_route_opting_out() -> None:
    guarded = RestApi("defaulted", authorizer=app.cognito)
    guarded.get("/private")(lambda: {"ok": True})
    guarded.get("/public", authorizer=None)(lambda: {"ok": True})
    assert [r.authorizer for r in guarded.routes] == [app.cognito, None]
    with Client(guarded) as client:
        assert client.get("/private").status_code == 401
        assert client.get("/public").json() == {"ok": True}


# -- resource policies ------------------------------------------------------------------------


def policy_api(**policy: Any) -> RestApi:
    guarded = RestApi("policed")
    guarded.resource_policy(**policy)

    @guarded.authorizer(ttl=0)
    def only_get(request: Any) -> Any:
        from framework import allow

        return allow("u", routes=["GET /a"])

    guarded.get("/a", authorizer=only_get)(lambda: {"a": 1})
    guarded.post("/a", authorizer=only_get)(lambda: {"a": 2})
    guarded.get("/open")(lambda: {"open": 1})
    return guarded


def test_a_denied_source_ip_is_refused_before_the_authorizer() -> None:
    guarded = policy_api(deny_source_ips=["10.1.0.0/16"])
    with Client(guarded, source_ip="10.1.2.3") as client:
        response = client.get("/open")
    assert response.status_code == 403
    message = response.json()["Message"]
    assert message.startswith("User: anonymous is not authorized to perform: execute-api:Invoke")
    assert message.endswith("/dev/GET/open with an explicit deny")
    with Client(guarded, source_ip="10.2.0.1") as client:
        assert client.get("/open").json() == {"open": 1}


def test_without_an_allow_an_unauthenticated_method_is_implicitly_denied() -> None:
    guarded = policy_api(allow_source_ips=["10.0.0.0/8"])
    with Client(guarded, source_ip="192.168.1.1") as client:
        response = client.get("/open")
        assert response.status_code == 403
        assert "with an explicit deny" not in response.json()["Message"]
        # The authorizer's policy alone allows GET /a (Table A: Allow + Neither = Allow) ...
        assert client.get("/a", headers={"Authorization": "t"}).status_code == 200
        # ... and POST /a, which neither allows, is an implicit deny.
        assert client.post("/a", headers={"Authorization": "t"}).status_code == 403
    with Client(guarded, source_ip="10.0.0.1") as client:
        # The resource policy's Allow lets through what the authorizer's policy omits.
        assert client.post("/a", headers={"Authorization": "t"}).status_code == 200


def test_resource_policy_events_stay_json(client: Client) -> None:
    assert json.loads(client.get("/public").content) == {"public": "yes"}
