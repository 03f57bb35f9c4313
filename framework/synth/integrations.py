"""Integrations in the OpenAPI document: ``x-amazon-apigateway-integration`` for Lambda
proxy (``aws_proxy``), MOCK, HTTP, HTTP_PROXY, Lambda custom (``aws``) and AWS service
(``aws``) integrations, the method responses that integration responses map to, and the
IAM role API Gateway assumes to call AWS services.

The shapes follow the AWS developer guide, "x-amazon-apigateway-integration object",
"x-amazon-apigateway-integration.requestParameters object",
"x-amazon-apigateway-integration.responses object" and
"x-amazon-apigateway-integration.response object": ``type`` and ``passthroughBehavior``
in lower case, integration responses keyed by their selection pattern (``default`` for
the one without), ``statusCode`` a string, ``responseParameters`` from
``method.response.header.<name>`` to a mapping expression or a ``'static'`` value.

A MOCK, HTTP or AWS service method runs no Lambda function; a Lambda custom integration
runs its raw ``(event, context)`` handler in a function of its own (``route.function``).
"""

from __future__ import annotations

import http
import re
from collections.abc import Mapping, Sequence
from typing import Any

from framework.declare.api import RestApi
from framework.declare.integrations import (
    AwsIntegration,
    HttpIntegration,
    IntegrationResponse,
    LambdaIntegration,
    MockIntegration,
)
from framework.declare.routes import Route
from framework.synth.sources import SynthError

INTEGRATION = "x-amazon-apigateway-integration"
JSON = "application/json"
PATH_TARGET = "integration.request.path."
PATH_SOURCE = "method.request.path."
# "{name}" in an integration URI, but not the "${stageVariables.name}" API Gateway
# substitutes itself.
_PLACEHOLDER = re.compile(r"(?<!\$)\{([^{}$]*)\}")
# Services whose IAM prefix is not their endpoint name (Service Authorization Reference,
# "Actions, resources, and condition keys for AWS services": CloudWatch is "cloudwatch",
# SES "ses"). API Gateway names the service by its endpoint in the integration URI.
_IAM_PREFIXES = {"monitoring": "cloudwatch", "email": "ses"}
_POLICY_VERSION = "2012-10-17"


def method_integration(
    route: Route, *, function_ids: Mapping[str, str], role_id: str
) -> dict[str, Any]:
    """The ``x-amazon-apigateway-integration`` of ``route``.

    ``function_ids`` maps function names to logical ids (Lambda proxy and Lambda custom
    integrations invoke ``route.function``); ``role_id`` is the logical id of the role an
    AWS service integration without ``credentials_role`` is called with."""
    integration = route.integration
    if integration is None:
        return proxy_integration(route, function_ids[route.function])
    if isinstance(integration, MockIntegration):
        return _mock(route, integration)
    if isinstance(integration, HttpIntegration):
        return _http(route, integration)
    if isinstance(integration, LambdaIntegration):
        return _lambda_custom(route, integration, function_ids[route.function])
    return _aws_service(route, integration, role_id)


def lambda_uri(function_id: str) -> dict[str, Any]:
    """The Lambda Invoke API path of a function, as integrations and authorizers call it.
    ``sam local start-api`` finds the function by the ``${Logical.Arn}`` in this Fn::Sub."""
    return {
        "Fn::Sub": (
            "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
            f"${{{function_id}.Arn}}/invocations"
        )
    }


def proxy_integration(route: Route, function_id: str) -> dict[str, Any]:
    """The ``aws_proxy`` integration of ``route`` with the function ``function_id``.

    Lambda is always invoked with POST (AWS developer guide, "Set up Lambda proxy
    integrations in API Gateway")."""
    return {
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": lambda_uri(function_id),
        "timeoutInMillis": _timeout(route),
        "passthroughBehavior": "when_no_match",
    }


def _mock(route: Route, integration: MockIntegration) -> dict[str, Any]:
    # The request template gives the status code the integration responses select on
    # (AWS developer guide, "Set up mock integrations in API Gateway"). There is no
    # backend to time out.
    result: dict[str, Any] = {
        "type": "mock",
        "requestTemplates": {JSON: integration.request_template},
        "passthroughBehavior": "when_no_match",
    }
    return _with_responses(result, route, integration.responses)


def _http(route: Route, integration: HttpIntegration) -> dict[str, Any]:
    # The URI keeps its "{name}" parts: API Gateway fills them from the
    # integration.request.path.<name> parameters (AWS developer guide, "Set up a proxy
    # integration with a proxy resource"), and "${stageVariables.x}" from the stage.
    # It is a plain string: inside an Fn::Sub, CloudFormation would take the stage
    # variable for one of its own.
    result: dict[str, Any] = {
        "type": "http_proxy" if integration.proxy else "http",
        "httpMethod": integration.http_method or route.method,
        "uri": integration.url,
        "passthroughBehavior": integration.passthrough.lower(),
        "timeoutInMillis": _timeout(route),
    }
    parameters = _request_parameters(route, integration.request_parameters, integration.url)
    if parameters:
        result["requestParameters"] = parameters
    if integration.request_templates:
        result["requestTemplates"] = dict(integration.request_templates)
    if integration.content_handling is not None:
        result["contentHandling"] = integration.content_handling
    return _with_responses(result, route, integration.responses)


def _lambda_custom(
    route: Route, integration: LambdaIntegration, function_id: str
) -> dict[str, Any]:
    # Type AWS with the Lambda Invoke API: the request template's output is the event, and
    # selection patterns match the error message of a failed invocation while a success
    # takes the default response (AWS developer guide, "Handle Lambda errors in API
    # Gateway").
    result: dict[str, Any] = {
        "type": "aws",
        "httpMethod": "POST",
        "uri": lambda_uri(function_id),
        "passthroughBehavior": integration.passthrough.lower(),
        "timeoutInMillis": _timeout(route),
    }
    if integration.request_templates:
        result["requestTemplates"] = dict(integration.request_templates)
    if integration.content_handling is not None:
        result["contentHandling"] = integration.content_handling
    return _with_responses(result, route, integration.responses)


def _aws_service(route: Route, integration: AwsIntegration, role_id: str) -> dict[str, Any]:
    # arn:aws:apigateway:{region}:{service}:action/{Action} or :path/{path} (AWS
    # developer guide, "x-amazon-apigateway-integration object", uri). "${" in the user's
    # part is written "${!" so that Fn::Sub leaves it as API Gateway expects it.
    if integration.action is not None:
        target = f"action/{integration.action}"
    else:
        target = f"path/{(integration.path or '').lstrip('/')}"
    uri = f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:{integration.service}:"
    credentials: Any = integration.credentials_role
    if credentials is None:
        iam_action(route, integration)  # refuse a path integration without a role
        credentials = {"Fn::GetAtt": [role_id, "Arn"]}
    result: dict[str, Any] = {
        "type": "aws",
        "httpMethod": integration.http_method,
        "uri": {"Fn::Sub": uri + target.replace("${", "${!")},
        "credentials": credentials,
        "passthroughBehavior": integration.passthrough.lower(),
        "timeoutInMillis": _timeout(route),
    }
    path = integration.path if integration.action is None else None
    parameters = _request_parameters(route, integration.request_parameters, path or "")
    if parameters:
        result["requestParameters"] = parameters
    if integration.request_templates:
        result["requestTemplates"] = dict(integration.request_templates)
    return _with_responses(result, route, integration.responses)


def _timeout(route: Route) -> int:
    return round(route.timeout * 1000)


def _request_parameters(route: Route, declared: Mapping[str, str], uri: str) -> dict[str, str]:
    """The declared parameter mappings, plus ``integration.request.path.<name>:
    method.request.path.<name>`` for each ``{name}`` of the URI the declaration does not
    map: API Gateway substitutes a URI's ``{name}`` only from such a mapping."""
    result = dict(declared)
    for name in _PLACEHOLDER.findall(uri):
        target = PATH_TARGET + name
        if target in result:
            continue
        if name.endswith("+"):
            raise SynthError(
                f"{route}: the integration URI holds {{{name}}}; write {{{name[:-1]}}}: "
                "API Gateway fills a greedy path parameter in by its name"
            )
        if name not in route.resource.params:
            raise SynthError(
                f"{route}: the integration URI uses {{{name}}}, which is not a path parameter "
                f"of {route.path}; map it with request_parameters={{'{target}': ...}}"
            )
        result[target] = PATH_SOURCE + name
    for target, source in result.items():
        mapped = source[len(PATH_SOURCE) :] if source.startswith(PATH_SOURCE) else None
        if mapped is not None and mapped not in route.resource.params:
            raise SynthError(
                f"{route}: {target} maps {source}, but {route.path} has no such path parameter"
            )
    return result


# -- responses ---------------------------------------------------------------------------


def _with_responses(
    result: dict[str, Any], route: Route, responses: Sequence[IntegrationResponse]
) -> dict[str, Any]:
    written = integration_responses(route, responses)
    if written:
        result["responses"] = written
    return result


def integration_responses(route: Route, responses: Sequence[IntegrationResponse]) -> dict[str, Any]:
    """The integration's ``responses``: keyed by selection pattern, ``default`` for the
    response without one."""
    result: dict[str, Any] = {}
    for response in responses:
        # Unique: declare refuses two responses with one pattern (API Gateway keys by it).
        key = response.selection_pattern if response.selection_pattern is not None else "default"
        written: dict[str, Any] = {"statusCode": str(response.status_code)}
        if response.headers:
            written["responseParameters"] = {
                f"method.response.header.{name}": value for name, value in response.headers.items()
            }
        if response.templates:
            written["responseTemplates"] = dict(response.templates)
        if response.content_handling is not None:
            written["contentHandling"] = response.content_handling
        result[key] = written
    return result


def method_responses(responses: Sequence[IntegrationResponse]) -> dict[str, Any]:
    """The operation's ``responses``: each status code an integration response maps to,
    with every header mapped into it. API Gateway refuses to import a mapping to a
    status code or a ``method.response.header`` the method response does not declare."""
    headers: dict[int, set[str]] = {}
    for response in responses:
        headers.setdefault(response.status_code, set()).update(response.headers)
    result: dict[str, Any] = {}
    for code in sorted(headers):
        written: dict[str, Any] = {"description": status_description(code)}
        if headers[code]:
            written["headers"] = {
                name: {"schema": {"type": "string"}} for name in sorted(headers[code])
            }
        result[str(code)] = written
    return result


def status_description(code: int) -> str:
    """``201`` -> ``Created``: an OpenAPI response's required description."""
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return f"Status {code}"


# -- functions and roles -----------------------------------------------------------------


def lambda_integration_functions(api: RestApi) -> dict[str, Route]:
    """Function name -> the (first) Lambda custom integration route whose raw handler it
    runs. A function has one entry point, so such a function serves no other route,
    except other methods of the same handler; anything else is refused, naming both."""
    custom: dict[str, Route] = {}
    for route in api.routes:
        if isinstance(route.integration, LambdaIntegration):
            custom.setdefault(route.function, route)
    for route in api.routes:
        owner = custom.get(route.function)
        if owner is None or route is owner or not route.invokes_lambda:
            continue
        if route.integration is None or route.handler is not owner.handler:
            raise SynthError(
                f"RestApi {api.name}: function {route.function!r} runs the handler of the "
                f"Lambda custom integration {owner} and also serves {route}; give one of them "
                "its own function (function=...)"
            )
    return custom


def iam_action(route: Route, integration: AwsIntegration) -> str:
    """``sqs:SendMessage``: what the generated role must allow for ``integration``."""
    if integration.action is None:
        raise SynthError(
            f"{route}: an AWS service integration with path= needs credentials_role=: the "
            "IAM action it calls cannot be told from the path"
        )
    prefix = _IAM_PREFIXES.get(integration.service, integration.service)
    return f"{prefix}:{integration.action}"


def integration_role(api: RestApi) -> dict[str, Any] | None:
    """The ``AWS::IAM::Role`` API Gateway assumes for the AWS service integrations that
    name no ``credentials_role`` (AWS developer guide, "Tutorial: Create a REST API as an
    Amazon S3 proxy": the role trusts apigateway.amazonaws.com and allows the actions);
    None when every one names its own, or there are none."""
    actions = sorted(
        {
            iam_action(route, route.integration)
            for route in api.routes
            if isinstance(route.integration, AwsIntegration)
            and route.integration.credentials_role is None
        }
    )
    if not actions:
        return None
    return {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Description": f"Assumed by API Gateway for the AWS service integrations of {api.name}",
            "AssumeRolePolicyDocument": {
                "Version": _POLICY_VERSION,
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "apigateway.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": "aws-service-integrations",
                    "PolicyDocument": {
                        "Version": _POLICY_VERSION,
                        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
                    },
                }
            ],
        },
    }
