"""API keys, usage plans and throttling, written for API Gateway.

In the OpenAPI document (AWS developer guide, "Configure a method to use API keys with an
OpenAPI definition" and "x-amazon-apigateway-api-key-source property"): the ``api_key``
security scheme, ``{"api_key": []}`` in the ``security`` of each method that requires a
key, and where the key comes from (the ``x-api-key`` header, or a Lambda authorizer's
``usageIdentifierKey``).

In the template:

* the stage's method throttling as ``MethodSettings`` of the ``AWS::Serverless::Api``
  (SAM passes them to the stage): the stage's own default for ``/*`` ``*``, which differs
  per stage and is picked like a stage variable (``synth.stages``), and each route's
  ``throttle=``, the same in every stage;
* per usage plan an ``AWS::ApiGateway::UsagePlan`` on the deployed stage, per key an
  ``AWS::ApiGateway::ApiKey`` and the ``AWS::ApiGateway::UsagePlanKey`` joining them. A
  plan that does not cover every stage, and its keys, exist only in the stacks of the
  stages it covers (a ``Condition``).

A key declared without a value has one generated for the local gateway only: its
``ApiKey`` has no ``Value``, so API Gateway generates the deployed one, and the local
value is written nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from framework.declare.api import RestApi
from framework.declare.routes import Route
from framework.declare.usage import Throttle, UsagePlan
from framework.synth.names import TemplateNames
from framework.synth.stages import NO_VALUE, PLACEHOLDER, STAGE_PARAMETER, StageSettings

# The scheme name API Gateway's importer reads as "API key required"; the header is where
# a client sends the key (source HEADER).
API_KEY_SCHEME = "api_key"
API_KEY_HEADER = "x-api-key"
API_KEY_SOURCE = "x-amazon-apigateway-api-key-source"
# What an ANY method stands for when throttled method by method (below).
_ANY_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


# -- the OpenAPI document ----------------------------------------------------------------


def requires_keys(api: RestApi) -> bool:
    """Whether any method of ``api`` requires an API key."""
    return any(route.api_key_required for route in api.routes)


def key_scheme() -> dict[str, Any]:
    """``components.securitySchemes.api_key``, as the AWS guide writes it."""
    return {"type": "apiKey", "name": API_KEY_HEADER, "in": "header"}


def key_security(route: Route) -> list[dict[str, list[str]]]:
    """The ``security`` entry requiring a key: ``[{"api_key": []}]`` or ``[]``.

    It is a requirement of its own next to an authorizer's, not a second key of the same
    requirement object: API Gateway's importer applies every requirement of the list
    (where OpenAPI would read them as alternatives), and this is how API Gateway exports a
    method with both and how samtranslator writes ``ApiKeyRequired``
    (``SwaggerEditor._set_method_apikey_handling``)."""
    return [{API_KEY_SCHEME: []}] if route.api_key_required else []


# -- stage throttling --------------------------------------------------------------------


def method_settings(api: RestApi, api_id: str, stages: StageSettings) -> list[Any]:
    """The ``MethodSettings`` of the API's stage: its default throttling for every method
    (per stage, possibly none) and each throttled route's own; ``[]`` for none."""
    settings: list[Any] = []
    default = _stage_default(api, api_id, stages)
    if default != NO_VALUE:
        settings.append(default)
    for route in api.routes:
        if route.throttle is not None:
            for path, method in _targets(api, route.method, route.path):
                settings.append(_method_setting(resource_path(path), method, route.throttle))
    return settings


def _stage_default(api: RestApi, api_id: str, stages: StageSettings) -> Any:
    """``/*`` ``*`` with the deployed stage's throttle: read from the mapping
    ``<Api>StageThrottling`` where the stage name can be a mapping key, picked with
    ``Fn::If`` otherwise, and removed (``AWS::NoValue``) for a stage without one."""
    throttles = {stage.name: stage.throttle for stage in api.stages if stage.throttle}
    map_name = f"{api_id}StageThrottling"

    def find(key: str) -> dict[str, Any]:
        return {"Fn::FindInMap": [map_name, {"Ref": STAGE_PARAMETER}, key]}

    mapped = {
        "ResourcePath": "/*",
        "HttpMethod": "*",
        "ThrottlingBurstLimit": find("BurstLimit"),
        "ThrottlingRateLimit": find("RateLimit"),
    }
    values = {name: _method_setting("/*", "*", limit) for name, limit in throttles.items()}
    expression = stages.select(values, mapped)
    if any(stage in throttles for stage in stages.in_map):
        stages.mappings[map_name] = {
            stage: _limits(throttles.get(stage), "BurstLimit", "RateLimit")
            for stage in stages.in_map
        }
    return expression


def _limits(limit: Throttle | None, burst: str, rate: str) -> dict[str, Any]:
    if limit is None:
        return {burst: PLACEHOLDER, rate: PLACEHOLDER}  # removed by Fn::If before use
    return {burst: limit.burst, rate: limit.rate}


def _method_setting(path: str, method: str, limit: Throttle) -> dict[str, Any]:
    return {
        "ResourcePath": path,
        "HttpMethod": method,
        **_limits(limit, "ThrottlingBurstLimit", "ThrottlingRateLimit"),
    }


def resource_path(path: str) -> str:
    """A resource path as a method setting names it: each ``/`` escaped as ``~1`` after a
    leading ``/``, the root as ``/`` alone (AWS CloudFormation User Guide,
    "AWS::ApiGateway::Stage MethodSetting", ResourcePath); ``~`` as ``~0``, as in the
    JSON Pointer these follow."""
    if path == "/":
        return "/"
    return "/" + path.replace("~", "~0").replace("/", "~1")


def _targets(api: RestApi, method: str, path: str) -> list[tuple[str, str]]:
    """The (resource path, HTTP method) pairs a throttle declared for ``method path``
    applies to. ``*`` stands for every declared method (and ``/*`` for every resource),
    as in a usage plan's ``method_throttles``.

    An ANY method is throttled method by method, as the methods it serves: throttling
    settings are looked up by the request's HTTP method (the serverless-api-gateway-
    throttling plugin does the same for REST APIs). Methods the resource declares itself
    have their own settings, and OPTIONS stays the CORS preflight's when there is one."""
    resources = api.resources()
    paths = list(resources) if path == "/*" else [path]
    preflights = {preflight.resource.path for preflight in api.preflights()}
    result: list[tuple[str, str]] = []
    for each in paths:
        declared = resources.get(each, {})
        for name in list(declared) if method == "*" else [method]:
            if name != "ANY":
                result.append((each, name))
                continue
            for served in _ANY_METHODS:
                if served in declared or (served == "OPTIONS" and each in preflights):
                    continue
                result.append((each, served))
    return result


# -- usage plans and keys ----------------------------------------------------------------


def usage_resources(
    api: RestApi, api_id: str, names: TemplateNames, stages: StageSettings
) -> dict[str, Any]:
    """The ``AWS::ApiGateway::UsagePlan``, ``ApiKey`` and ``UsagePlanKey`` resources of
    the API's usage plans, by logical id."""
    resources: dict[str, Any] = {}
    for plan in api.usage_plans:
        plan_names = names.plans[(api.name, plan.name)]
        covered = api.plan_stages(plan)
        deployed = [stage for stage in stages.names if stage in covered]
        condition = None if deployed == stages.names else stages.condition(*deployed)
        # A plan covering none of the stages this template can deploy (impossible today:
        # plan_stages refuses undeclared stages) would need a condition that is never true.
        conditional: dict[str, Any] = {"Condition": condition} if condition else {}
        resources[plan_names.logical_id] = {
            "Type": "AWS::ApiGateway::UsagePlan",
            **conditional,
            "Properties": _plan_properties(api, api_id, plan),
        }
        for key in plan.keys:
            key_id = plan_names.api_keys[key.name]
            properties: dict[str, Any] = {
                "Name": _stage_name(api, key.name),
                "Enabled": key.enabled,
            }
            if not key.generated:
                properties["Value"] = key.value
            resources[key_id] = {
                "Type": "AWS::ApiGateway::ApiKey",
                **conditional,
                "Properties": properties,
            }
            resources[plan_names.plan_keys[key.name]] = {
                "Type": "AWS::ApiGateway::UsagePlanKey",
                **conditional,
                "Properties": {
                    "KeyId": {"Ref": key_id},
                    "KeyType": "API_KEY",
                    "UsagePlanId": {"Ref": plan_names.logical_id},
                },
            }
    return resources


def _plan_properties(api: RestApi, api_id: str, plan: UsagePlan) -> dict[str, Any]:
    # "<Api>.Stage" is SAM's reference to the stage it generates for an
    # AWS::Serverless::Api (AWS SAM developer guide, "Referencing AWS CloudFormation
    # resources generated by AWS SAM"). A Ref to it both names the stage and makes the
    # plan wait for it; the stage's logical id itself depends on how SAM resolves
    # StageName (PetstoreApiStage, or PetstoreApiprodStage with the parameter's value).
    api_stage: dict[str, Any] = {
        "ApiId": {"Ref": api_id},
        "Stage": {"Ref": f"{api_id}.Stage"},
    }
    throttles = plan_method_throttles(api, plan.method_throttles)
    if throttles:
        api_stage["Throttle"] = throttles
    properties: dict[str, Any] = {
        "UsagePlanName": _stage_name(api, plan.name),
        "ApiStages": [api_stage],
    }
    if plan.description:
        properties["Description"] = plan.description
    if plan.throttle is not None:
        properties["Throttle"] = _limits(plan.throttle, "BurstLimit", "RateLimit")
    if plan.quota is not None:
        properties["Quota"] = {
            "Limit": plan.quota.limit,
            "Period": plan.quota.period,
            "Offset": plan.quota.offset,
        }
    return properties


def plan_method_throttles(
    api: RestApi, method_throttles: Mapping[str, Throttle]
) -> dict[str, dict[str, Any]]:
    """A plan's per-method throttling as ``ApiStage.Throttle``: keyed by
    ``<resource path>/<HTTP method>`` (``/pets/{pet_id}/GET``; AWS CloudFormation User
    Guide, "AWS::ApiGateway::UsagePlan ApiStage"). ``*`` keys are expanded first, so that
    a method named on its own keeps its own limit."""
    ordered = sorted(method_throttles.items(), key=lambda item: not item[0].startswith("*"))
    result: dict[str, dict[str, Any]] = {}
    for route_key, limit in ordered:
        method, _, path = route_key.partition(" ")
        for each, name in _targets(api, method, path):
            result[f"{each}/{name}"] = _limits(limit, "BurstLimit", "RateLimit")
    return result


def _stage_name(api: RestApi, name: str) -> dict[str, str]:
    """``<api>-<stage>-<name>``: plans and keys are per stack, so per stage; the stage in
    the name tells the stacks' plans and keys apart in the console and the CLI
    (``aws apigateway get-api-keys --name-query metered-prod-``)."""
    return {"Fn::Sub": f"{api.name}-${{{STAGE_PARAMETER}}}-{name}"}
