"""Synth of access control: Lambda (TOKEN, REQUEST), Cognito and IAM authorizers as OpenAPI
security schemes, per-method security, the resource policy, the authorizer functions and
their permissions; checked with aws-sam-translator, cfn-lint, openapi-spec-validator and a
fresh interpreter running the authorizer's entry module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from framework.declare.api import RestApi
from framework.declare.auth import CognitoAuthorizer, IamAuthorizer
from framework.discovery import load_apis
from framework.synth import SynthError, openapi_document, render_template, sam_template, synth
from tests.test_synth import fresh_import, lint, openapi_errors, sam_transform, tree, write_app

KEY_ID = "AKIDSYNTHLOCAL0001"
SECRET = "synth-local-secret-4f9c2e"
JWK_MODULUS = "synthJwksModulus0dd2b7c1e4"
JWK_KID = "synth-jwks-kid-7a1e"
CLIENT_ID = "synth-local-app-client"
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc123"
SECURE = f"""
    import os
    from pathlib import Path

    from framework import RestApi, UnauthorizedError
    from framework.declare.auth import CognitoAuthorizer, IamAuthorizer
    from framework.runtime.auth import allow, deny

    # Local-only credentials come from the environment and a file the app does not import:
    # neither is packaged.
    SECRET = os.environ.get("SYNTH_SECURE_SECRET")
    iam = IamAuthorizer({{"{KEY_ID}": SECRET}} if SECRET else {{}})
    members = CognitoAuthorizer(
        "{POOL}",
        name="members",
        jwks=Path(__file__).parent / "jwks.json",
        app_client_ids=[os.environ.get("SYNTH_SECURE_CLIENT", "")],
        ttl=60,
    )

    api = RestApi("secure", cors=True, authorizer="check_token")
    api.resource_policy(allow_source_ips=["10.0.0.0/8"], deny_source_ips=["10.0.0.7"])


    @api.authorizer(type="TOKEN", validation_regex=r"^Bearer [-0-9a-zA-Z._]+$")
    def check_token(request):
        if request.token == "Bearer good":
            return allow("user-1", context={{"tier": "pro"}}, routes=["GET /pets"])
        if request.token == "Bearer banned":
            return deny("user-2")
        raise UnauthorizedError()


    @api.authorizer(
        "tenant",
        type="REQUEST",
        identity_source=["header.X-Tenant", "query.token", "stageVariables.realm"],
        ttl=0,
    )
    def tenant(request):
        return allow(request.headers.get("x-tenant") or "anonymous")


    @api.get("/pets")
    def list_pets():
        return []


    @api.get("/health", authorizer=None)
    def health():
        return {{"ok": True}}


    @api.get("/reports", authorizer="tenant")
    def reports():
        return []


    @api.get("/me", authorizer=members, authorization_scopes=["pets/read", "pets/write"])
    def me(request):
        return request.authorizer


    @api.post("/admin/reindex", authorizer=iam)
    def reindex():
        return None
"""


@dataclass(frozen=True)
class Secure:
    api: RestApi
    target: str
    out: Path


@pytest.fixture(scope="module")
def secure(tmp_path_factory: pytest.TempPathFactory) -> Secure:
    folder = tmp_path_factory.mktemp("secure")
    jwks = {"keys": [{"kty": "RSA", "kid": JWK_KID, "alg": "RS256", "n": JWK_MODULUS, "e": "AQAB"}]}
    (folder / "jwks.json").write_text(json.dumps(jwks))
    target = write_app(folder, "synth_secure", SECURE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SYNTH_SECURE_SECRET", SECRET)
        patch.setenv("SYNTH_SECURE_CLIENT", CLIENT_ID)
        apis = load_apis(target)
        synth(apis, folder / "out", app_target=target)
    return Secure(apis[0], target, folder / "out")


def authorizer_uri(function_id: str) -> dict[str, str]:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
        f"functions/${{{function_id}.Arn}}/invocations"
    }


# -- the OpenAPI document ----------------------------------------------------------------


def test_each_authorizer_becomes_the_security_scheme_api_gateway_imports(secure: Secure) -> None:
    schemes = openapi_document(secure.api)["components"]["securitySchemes"]

    assert schemes == {
        "check_token": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
                "type": "token",
                "authorizerUri": authorizer_uri("SecureCheckTokenFunction"),
                "authorizerResultTtlInSeconds": 300,
                "identityValidationExpression": "^Bearer [-0-9a-zA-Z._]+$",
            },
        },
        "tenant": {
            "type": "apiKey",
            "name": "Unused",
            "in": "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": {
                "type": "request",
                "authorizerUri": authorizer_uri("SecureTenantFunction"),
                "authorizerResultTtlInSeconds": 0,
                "identitySource": (
                    "method.request.header.X-Tenant, method.request.querystring.token, "
                    "stageVariables.realm"
                ),
            },
        },
        "members": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "cognito_user_pools",
            "x-amazon-apigateway-authorizer": {
                "type": "cognito_user_pools",
                "providerARNs": [POOL],
                "authorizerResultTtlInSeconds": 60,
            },
        },
        "sigv4": {
            "type": "apiKey",
            "name": "Authorization",
            "in": "header",
            "x-amazon-apigateway-authtype": "awsSigv4",
        },
    }


def test_each_method_requires_its_authorizer_while_preflights_and_opted_out_routes_stay_open(
    secure: Secure,
) -> None:
    paths = openapi_document(secure.api)["paths"]

    security = {
        (method, path): operation.get("security")
        for path, item in paths.items()
        for method, operation in item.items()
    }
    assert security == {
        ("get", "/pets"): [{"check_token": []}],  # the API's default authorizer
        ("get", "/health"): None,  # authorizer=None
        ("get", "/reports"): [{"tenant": []}],
        ("get", "/me"): [{"members": ["pets/read", "pets/write"]}],
        ("post", "/admin/reindex"): [{"sigv4": []}],
        ("options", "/pets"): None,
        ("options", "/health"): None,
        ("options", "/reports"): None,
        ("options", "/me"): None,
        ("options", "/admin/reindex"): None,
    }


def test_the_resource_policy_keeps_the_execute_api_shorthand_api_gateway_expands(
    secure: Secure,
) -> None:
    document = openapi_document(secure.api)

    assert document["x-amazon-apigateway-policy"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}},
            },
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "execute-api:Invoke",
                "Resource": "execute-api:/*",
                "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.7"]}},
            },
        ],
    }
    # 401/403 from an authorizer or the policy are 4XX: these CORS headers cover them.
    assert set(document["x-amazon-apigateway-gateway-responses"]) == {"DEFAULT_4XX", "DEFAULT_5XX"}


def test_the_secure_document_is_valid_openapi_3(secure: Secure) -> None:
    assert openapi_errors(openapi_document(secure.api)) == []


# -- the template ------------------------------------------------------------------------


def test_the_secure_template_transforms_into_one_api_with_three_functions_and_lints_clean(
    secure: Secure, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfn = sam_transform(sam_template([secure.api], code_uri="src/"), monkeypatch)

    kinds = {name: resource["Type"] for name, resource in cfn["Resources"].items()}
    assert sorted(kind for kind in kinds.values()) == sorted(
        ["AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage"]
        + ["AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::Permission"] * 3
    )
    # API Gateway imports the authorizers, the security and the policy exactly as written.
    assert cfn["Resources"]["SecureApi"]["Properties"]["Body"] == openapi_document(secure.api)
    assert lint((secure.out / "template.yaml").read_text()) == []


def test_an_authorizer_function_may_be_invoked_by_the_apis_authorizers_not_its_methods(
    secure: Secure,
) -> None:
    resources = sam_template([secure.api], code_uri="src/")["Resources"]

    def permission(function_id: str, source: str) -> dict[str, Any]:
        return {
            "Type": "AWS::Lambda::Permission",
            "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": function_id},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {
                    "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:"
                    f"${{AWS::AccountId}}:${{SecureApi}}/{source}"
                },
            },
        }

    assert resources["SecureFunctionPermission"] == permission("SecureFunction", "*/*/*")
    assert resources["SecureCheckTokenFunctionPermission"] == permission(
        "SecureCheckTokenFunction", "authorizers/*"
    )
    assert resources["SecureTenantFunctionPermission"] == permission(
        "SecureTenantFunction", "authorizers/*"
    )
    assert resources["SecureCheckTokenFunction"] == {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "CodeUri": "src/",
            "Handler": "framework_entry_secure_check_token.handler",
            "Runtime": "python3.12",
            "MemorySize": 512,
            "Timeout": 30,
        },
    }


# -- the code folder ---------------------------------------------------------------------


def test_the_authorizer_entry_module_returns_a_policy_for_a_token_event(secure: Secure) -> None:
    src = secure.out / "src"
    assert (src / "framework_entry_secure_check_token.py").read_text() == (
        "\"\"\"Lambda entry point of function 'secure-check_token', authorizer 'check_token' "
        "of API 'secure'.\n"
        "\n"
        "Generated by `python -m framework synth`; do not edit.\n"
        '"""\n'
        "\n"
        "import synth_secure as _app\n"
        "\n"
        'handler = _app.api.function_handler("secure-check_token")\n'
    )
    method_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/pets"
    event = {"type": "TOKEN", "authorizationToken": "Bearer good", "methodArn": method_arn}

    result = fresh_import(src, "framework_entry_secure_check_token", event)

    assert result["framework"] == str(src / "framework" / "__init__.py")
    assert result["loaded"] == []
    assert result["response"] == {
        "principalId": "user-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [method_arn]}
            ],
        },
        "context": {"tier": "pro"},
    }


def test_the_request_authorizer_and_the_routes_keep_their_own_entry_points(
    secure: Secure,
) -> None:
    src = secure.out / "src"
    tenant_entry = (src / "framework_entry_secure_tenant.py").read_text()
    assert 'handler = _app.api.function_handler("secure-tenant")\n' in tenant_entry
    assert "authorizer 'tenant'" in tenant_entry
    routes_entry = (src / "framework_entry_secure.py").read_text()
    assert 'handler = _app.api.function_handler("secure")\n' in routes_entry
    method_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/dev/GET/reports"
    event = {
        "type": "REQUEST",
        "methodArn": method_arn,
        "httpMethod": "GET",
        "headers": {"X-Tenant": "acme"},
        "queryStringParameters": {"token": "t"},
        "stageVariables": {"realm": "r"},
    }

    result = fresh_import(src, "framework_entry_secure_tenant", event)

    assert result["response"]["principalId"] == "acme"
    assert result["response"]["policyDocument"]["Statement"][0]["Effect"] == "Allow"


def test_no_local_credential_or_jwks_value_is_written_anywhere(secure: Secure) -> None:
    files = tree(secure.out)

    assert "src/jwks.json" not in files  # the app reads it, it does not import it
    for name, data in files.items():
        for value in (SECRET, JWK_MODULUS, JWK_KID, CLIENT_ID):
            assert value.encode() not in data, f"{value} written into {name}"
    generated = [name for name in files if not name.startswith("src/framework/")]
    for name in generated:
        if name != "src/synth_secure.py":  # the app's own source, copied as it is
            for value in (KEY_ID, "jwks"):
                assert value.encode() not in files[name], f"{value} written into {name}"


# -- declarations synth refuses or names -------------------------------------------------


def test_a_function_serving_routes_and_an_authorizer_is_refused_naming_both() -> None:
    api = RestApi("mixed")

    @api.authorizer(function="shared")
    def gate(request: Any) -> dict[str, Any]:
        return {}

    api.add_route("/items", lambda: [], methods=["GET"], function="shared", authorizer=None)

    message = r"function 'shared' serves both the route GET /items and the authorizer 'gate'"
    with pytest.raises(SynthError, match=message):
        sam_template([api])
    with pytest.raises(SynthError, match=message):
        openapi_document(api)


def test_a_lambda_authorizer_named_sigv4_leaves_iam_another_scheme_name() -> None:
    api = RestApi("names")

    @api.authorizer("sigv4", type="REQUEST", ttl=0)
    def custom(request: Any) -> dict[str, Any]:
        return {}

    api.add_route("/a", lambda: {}, methods=["GET"], authorizer="sigv4")
    api.add_route("/b", lambda: {}, methods=["GET"], authorizer=IamAuthorizer())

    document = openapi_document(api)

    assert document["components"]["securitySchemes"]["sigv4"]["x-amazon-apigateway-authorizer"] == {
        # No identity sources and no caching: no identitySource either.
        "type": "request",
        "authorizerUri": authorizer_uri("NamesSigv4Function"),
        "authorizerResultTtlInSeconds": 0,
    }
    assert document["components"]["securitySchemes"]["sigv42"] == {
        "type": "apiKey",
        "name": "Authorization",
        "in": "header",
        "x-amazon-apigateway-authtype": "awsSigv4",
    }
    assert document["paths"]["/b"]["get"]["security"] == [{"sigv42": []}]
    assert openapi_errors(document) == []


def test_a_cognito_authorizer_on_another_header_names_that_header() -> None:
    api = RestApi("tokens")
    pool = CognitoAuthorizer(POOL, name="pool", identity_source="X-Id-Token", ttl=0)
    api.add_route("/", lambda: {}, methods=["GET"], authorizer=pool)

    scheme = openapi_document(api)["components"]["securitySchemes"]["pool"]

    assert scheme["name"] == "X-Id-Token"
    assert scheme["x-amazon-apigateway-authorizer"]["authorizerResultTtlInSeconds"] == 0
    assert lint(render_template([api])) == []
