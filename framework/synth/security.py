"""Who may call a method, written for API Gateway: authorizers as OpenAPI
``securitySchemes``, a ``security`` requirement on each protected method, the resource
policy, and the permission that lets API Gateway invoke a Lambda authorizer.

The shapes follow the AWS developer guide, "x-amazon-apigateway-authorizer object" and
"x-amazon-apigateway-authtype property" (the scheme is always ``type: apiKey``,
``in: header``), and "x-amazon-apigateway-policy". They are also what samtranslator
writes for ``AWS::Serverless::Api`` ``Auth.Authorizers`` (``ApiGatewayAuthorizer.
generate_swagger``), so API Gateway imports them as SAM's own would be.

What is declared for the local gateway only never reaches a file: an ``IamAuthorizer``'s
credentials and a ``CognitoAuthorizer``'s ``jwks`` and ``app_client_ids`` are not read
here at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from framework.declare.api import RestApi
from framework.declare.auth import (
    Authorizer,
    CognitoAuthorizer,
    IamAuthorizer,
    LambdaAuthorizer,
)
from framework.declare.routes import Route
from framework.synth.integrations import lambda_uri
from framework.synth.names import unique
from framework.synth.sources import SynthError
from framework.synth.usage import API_KEY_SCHEME

AUTHORIZER = "x-amazon-apigateway-authorizer"
AUTHTYPE = "x-amazon-apigateway-authtype"
POLICY = "x-amazon-apigateway-policy"
# "awsSigv4" is the reserved authtype for IAM authorization (AWS developer guide,
# "x-amazon-apigateway-authtype property"). The scheme's name is free; that page's example
# calls it "sigv4Reference".
SIGV4_SCHEME = "sigv4"
HEADER_PREFIX = "method.request.header."
# A REQUEST authorizer lists its identity sources in "identitySource"; the scheme's "name"
# is then "Unused", as for several sources or stage/context variables (AWS developer guide,
# "x-amazon-apigateway-authorizer object", examples; samtranslator always writes it so).
UNUSED = "Unused"


def authorizer_functions(api: RestApi) -> dict[str, LambdaAuthorizer]:
    """Function name -> the Lambda authorizer that function runs.

    A function's entry module exposes one handler: the API's dispatcher or one
    authorizer's endpoint. So a function cannot serve routes and an authorizer, nor two
    authorizers; both are refused here, naming what shares it."""
    route_users: dict[str, Route] = {}
    for route in api.routes:
        if route.invokes_lambda:  # a MOCK, HTTP or AWS service method runs no function
            route_users.setdefault(route.function, route)
    result: dict[str, LambdaAuthorizer] = {}
    for authorizer in api.lambda_authorizers:
        function = authorizer.function
        user = route_users.get(function)
        if user is not None:
            raise SynthError(
                f"RestApi {api.name}: function {function!r} serves both the route {user} and "
                f"the authorizer {authorizer.name!r}; give the authorizer its own function "
                "(@api.authorizer(function=...)) or the route another one (function=...)"
            )
        other = result.get(function)
        if other is not None:
            raise SynthError(
                f"RestApi {api.name}: function {function!r} runs both the authorizer "
                f"{other.name!r} and the authorizer {authorizer.name!r}; a function runs one "
                "authorizer"
            )
        result[function] = authorizer
    return result


def scheme_names(api: RestApi) -> dict[str, str]:
    """Authorizer name -> security scheme name. API Gateway names the authorizer it creates
    on import after the scheme, so a Lambda or Cognito authorizer keeps its own name; IAM
    authorization is the scheme ``sigv4``. The scheme ``api_key`` means "API key required"
    to API Gateway (``synth.usage``): an authorizer of that name becomes ``api_key2``."""
    taken = {a.name for a in api.authorizers if not isinstance(a, IamAuthorizer)}
    taken.add(API_KEY_SCHEME)
    result: dict[str, str] = {}
    for authorizer in api.authorizers:
        if isinstance(authorizer, IamAuthorizer):
            result[authorizer.name] = unique(SIGV4_SCHEME, taken)
        elif authorizer.name == API_KEY_SCHEME:
            result[authorizer.name] = unique(API_KEY_SCHEME, taken)
        else:
            result[authorizer.name] = authorizer.name
    return result


def security_schemes(api: RestApi, function_ids: Mapping[str, str]) -> dict[str, Any]:
    """``components.securitySchemes``: one scheme per declared authorizer.

    ``function_ids`` maps function names to the logical ids of their
    ``AWS::Serverless::Function``: a Lambda authorizer's ``authorizerUri`` points there."""
    authorizer_functions(api)  # refuse a function shared with routes before writing
    names = scheme_names(api)
    return {names[a.name]: _scheme(a, function_ids) for a in api.authorizers}


def _scheme(authorizer: Authorizer, function_ids: Mapping[str, str]) -> dict[str, Any]:
    if isinstance(authorizer, LambdaAuthorizer):
        return _lambda_scheme(authorizer, function_ids[authorizer.function])
    if isinstance(authorizer, CognitoAuthorizer):
        return _cognito_scheme(authorizer)
    return {"type": "apiKey", "name": "Authorization", "in": "header", AUTHTYPE: "awsSigv4"}


def _lambda_scheme(authorizer: LambdaAuthorizer, function_id: str) -> dict[str, Any]:
    extension: dict[str, Any] = {
        "type": authorizer.type.lower(),
        "authorizerUri": authorizer_uri(function_id),
        "authorizerResultTtlInSeconds": authorizer.ttl,
    }
    if authorizer.type == "TOKEN":
        # A TOKEN authorizer's identity source is the header the scheme names;
        # "identitySource" is for REQUEST (and HTTP API JWT) authorizers only (AWS developer
        # guide, "x-amazon-apigateway-authorizer object").
        name = _header_name(authorizer.identity_sources[0])
        if authorizer.validation_regex is not None:
            extension["identityValidationExpression"] = authorizer.validation_regex
    else:
        name = UNUSED
        if authorizer.identity_sources:
            # "A comma-separated list of mapping expressions" (same page); optional when
            # the result is not cached (ttl 0).
            extension["identitySource"] = ", ".join(authorizer.identity_sources)
    return {
        "type": "apiKey",
        "name": name,
        "in": "header",
        AUTHTYPE: "custom",
        AUTHORIZER: extension,
    }


def _cognito_scheme(authorizer: CognitoAuthorizer) -> dict[str, Any]:
    # The token header is the scheme's "name", as API Gateway exports a COGNITO_USER_POOLS
    # authorizer. Its results are cached too: authorizerResultTtlInSeconds applies to every
    # authorizer type (API Gateway API Reference, "Authorizer"; the AWS CDK sets it for
    # CognitoUserPoolsAuthorizer as resultsCacheTtl).
    return {
        "type": "apiKey",
        "name": _header_name(authorizer.identity_source),
        "in": "header",
        AUTHTYPE: "cognito_user_pools",
        AUTHORIZER: {
            "type": "cognito_user_pools",
            "providerARNs": list(authorizer.user_pool_arns),
            "authorizerResultTtlInSeconds": authorizer.ttl,
        },
    }


def _header_name(source: str) -> str:
    if not source.startswith(HEADER_PREFIX):  # pragma: no cover - refused by declare
        raise SynthError(f"identity source {source!r} is not a header")
    return source[len(HEADER_PREFIX) :]


def authorizer_uri(function_id: str) -> dict[str, Any]:
    """The Lambda invocation URI of an authorizer function (AWS developer guide,
    "x-amazon-apigateway-authorizer object", ``authorizerUri``); ``sam local start-api``
    finds the function by the ``${Logical.Arn}`` in it, as for integrations."""
    return lambda_uri(function_id)


def method_security(route: Route, schemes: Mapping[str, str]) -> list[dict[str, list[str]]]:
    """The operation's ``security``: ``[{scheme: scopes}]``, or ``[]`` for an open method
    (then the operation has no ``security`` at all). Scopes are method authorization
    scopes, which API Gateway applies to Cognito authorizers only (samtranslator writes
    ``AuthorizationScopes`` the same way, ``SwaggerEditor.add_auth_to_method``)."""
    authorizer = route.authorizer
    if authorizer is None:
        return []
    scopes = list(route.authorization_scopes) if isinstance(authorizer, CognitoAuthorizer) else []
    return [{schemes[authorizer.name]: scopes}]


def resource_policy(api: RestApi) -> dict[str, Any] | None:
    """``x-amazon-apigateway-policy``: the API's resource policy document, as declared.

    ``"Resource": "execute-api:/*"`` stays as written: API Gateway expands it on import to
    ``arn:aws:execute-api:{region}:{account-id}:{api-id}/*`` (AWS developer guide,
    "x-amazon-apigateway-policy"). Expanding it here could not work anyway: the policy is
    part of the RestApi's own body, and a ``Fn::Sub`` of ``${Api}`` there would make the
    API depend on itself."""
    if api.policy is None:
        return None
    plain: dict[str, Any] = _plain(api.policy.document)
    return plain


def _plain(value: Any) -> Any:
    """Mappings -> dicts, tuples -> lists: JSON and YAML as ``yaml.safe_dump`` writes them."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def authorizer_permission(function_id: str, api_id: str) -> dict[str, Any]:
    """The ``AWS::Lambda::Permission`` letting API Gateway invoke an authorizer function.

    API Gateway invokes an authorizer as ``{api-id}/authorizers/{authorizer-id}``, not as
    a method, so the methods' permission (``{api-id}/*/*/*``) does not cover it; the
    authorizer's id is only known once the body is imported, hence the wildcard
    (samtranslator's ``ApiGenerator._get_permission`` grants ``${Api}/authorizers/*`` for
    the authorizers it creates)."""
    return invoke_permission(function_id, api_id, "authorizers/*")


def invoke_permission(function_id: str, api_id: str, scope: str) -> dict[str, Any]:
    """An ``AWS::Lambda::Permission`` for API Gateway on ``{api-id}/{scope}``."""
    source_arn = (
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
        f"${{{api_id}}}/{scope}"
    )
    return {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function_id},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Sub": source_arn},
        },
    }
