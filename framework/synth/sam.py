"""``sam_template(apis)``: the AWS SAM template that deploys the declared APIs.

Per API: an ``AWS::Serverless::Api`` whose ``DefinitionBody`` is the OpenAPI document.
Per Lambda function: an ``AWS::Serverless::Function`` without ``Events`` (the OpenAPI
document already wires every method to its function) and an ``AWS::Lambda::Permission``
letting API Gateway invoke it, which SAM would otherwise have derived from the events.
A Lambda authorizer's function is one of them; its permission covers the API's
authorizers instead of its methods (``synth.security``); so is the function of each
Lambda custom integration, invoked like a proxy one. MOCK, HTTP and AWS service methods run
no function; AWS service integrations that name no role get one ``AWS::IAM::Role`` per API
(``synth.integrations``). Usage plans, API keys and the stage's method throttling come
from ``synth.usage``.

CloudFormation intrinsics are plain dicts (``{"Fn::Sub": ...}``) so the template can be
written with ``yaml.safe_dump``.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from framework.declare.api import RestApi
from framework.synth.integrations import integration_role
from framework.synth.names import TemplateNames, integration_role_id, template_names
from framework.synth.openapi import openapi_document
from framework.synth.security import (
    authorizer_functions,
    authorizer_permission,
    invoke_permission,
)
from framework.synth.stages import STAGE_PARAMETER, stage_settings
from framework.synth.usage import method_settings, usage_resources

TEMPLATE_VERSION = "2010-09-09"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
# A Lambda runtime supported until 2028 (AWS Lambda developer guide, "Lambda runtimes").
PYTHON_RUNTIME = "python3.12"


def sam_template(
    apis: Sequence[RestApi], *, code_uri: str = ".", names: TemplateNames | None = None
) -> dict[str, Any]:
    """The SAM template (a dict) for ``apis``; ``code_uri`` is the folder holding the
    entry modules, the app and the framework runtime (``synth`` writes it as ``src/``).

    >>> template = sam_template([api], code_uri="src/")
    >>> template["Resources"]["PetstoreApi"]["Type"]
    'AWS::Serverless::Api'
    """
    if not apis:
        raise ValueError("sam_template needs at least one RestApi")
    names = names or template_names(apis)
    stages = stage_settings(apis, names.apis)
    resources: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for api in apis:
        api_id = names.apis[api.name]
        role_id = names.integration_roles.get(api.name) or integration_role_id(api.name)
        resources[api_id] = _api_resource(
            api,
            names,
            role_id,
            stages.variables.get(api.name),
            method_settings(api, api_id, stages),
        )
        authorizers = authorizer_functions(api)
        for fn in api.functions:
            fn_names = names.functions[(api.name, fn.name)]
            resources[fn_names.logical_id] = _function_resource(
                api, fn.name, handler=fn_names.handler, code_uri=code_uri
            )
            permission = authorizer_permission if fn.name in authorizers else _permission_resource
            resources[fn_names.permission_id] = permission(fn_names.logical_id, api_id)
        role = integration_role(api)
        if role is not None:
            resources[role_id] = role
        resources.update(usage_resources(api, api_id, names, stages))
        outputs[f"{api_id}Url"] = _url_output(api, api_id)

    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Transform": SAM_TRANSFORM,
        "Description": "framework: " + ", ".join(api.name for api in apis),
        "Parameters": {STAGE_PARAMETER: stages.parameter},
    }
    if stages.mappings:
        template["Mappings"] = stages.mappings
    if stages.conditions:
        template["Conditions"] = stages.conditions
    template["Resources"] = resources
    template["Outputs"] = outputs
    return template


def _api_resource(
    api: RestApi,
    names: TemplateNames,
    role_id: str,
    variables: dict[str, Any] | None,
    settings: list[Any],
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "Name": api.name,
        "StageName": {"Ref": STAGE_PARAMETER},
        # Setting OpenApiVersion stops SAM from also creating a stage named "Stage"
        # (AWS SAM developer guide, AWS::Serverless::Api, "OpenApiVersion").
        "OpenApiVersion": "3.0.1",
        "DefinitionBody": definition_body(
            openapi_document(
                api,
                function_ids=names.function_ids(api),
                role_id=role_id,
            )
        ),
    }
    if api.description:
        properties["Description"] = api.description
    if variables:
        properties["Variables"] = variables
    if settings:
        properties["MethodSettings"] = settings
    # Binary media types travel in the document (x-amazon-apigateway-binary-media-types);
    # SAM's BinaryMediaTypes property would only write them there a second time.
    return {"Type": "AWS::Serverless::Api", "Properties": properties}


def definition_body(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document as SAM must receive it to pass it on unchanged.

    For an OpenAPI 3 body SAM wraps every header of an ``options`` 200 response into
    ``{"schema": <header>}`` (samtranslator ``ApiGenerator._openapi_postprocess``, meant
    for the Swagger 2 headers of its own CORS support). The body therefore carries those
    headers unwrapped, and API Gateway receives exactly :func:`openapi_document`."""
    body = copy.deepcopy(document)
    for path_item in body.get("paths", {}).values():
        headers = path_item.get("options", {}).get("responses", {}).get("200", {}).get("headers")
        if isinstance(headers, dict):
            for name, header in headers.items():
                if isinstance(header, dict) and set(header) == {"schema"}:
                    headers[name] = header["schema"]
    return body


def _function_resource(
    api: RestApi, function: str, *, handler: str, code_uri: str
) -> dict[str, Any]:
    settings = next(fn for fn in api.functions if fn.name == function)
    properties: dict[str, Any] = {
        "CodeUri": code_uri,
        "Handler": handler,
        "Runtime": PYTHON_RUNTIME,
        "MemorySize": settings.memory_size,
        "Timeout": settings.timeout,
    }
    environment = api.function_environment(function)
    if environment:
        properties["Environment"] = {"Variables": dict(sorted(environment.items()))}
    return {"Type": "AWS::Serverless::Function", "Properties": properties}


def _permission_resource(function_id: str, api_id: str) -> dict[str, Any]:
    # execute-api ARN: arn:aws:execute-api:region:account:api-id/stage/METHOD/resource-path
    # (AWS developer guide, "Control access to an API with IAM permissions"); the wildcards
    # cover every stage, method and resource of this API and nothing else.
    return invoke_permission(function_id, api_id, "*/*/*")


def _url_output(api: RestApi, api_id: str) -> dict[str, Any]:
    # Invoke URL: https://{restapi_id}.execute-api.{region}.amazonaws.com/{stage_name}/
    # (AWS developer guide, "Invoke REST APIs in API Gateway"); URLSuffix covers China.
    return {
        "Description": f"Invoke URL of the {api.name} API",
        "Value": {
            "Fn::Sub": (
                f"https://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}"
                f"/${{{STAGE_PARAMETER}}}/"
            )
        },
    }
