"""``openapi_document(api)``: the OpenAPI 3.0.1 document API Gateway imports.

One function per concern, each returning a piece of an operation or of the document, so
that a later capability is one more function and one more line in :func:`_operation` or
:func:`openapi_document`. Authorizers and the resource policy come from
``synth.security``, API keys from ``synth.usage``, gateway responses from
``synth.responses``, integrations and their method responses from ``synth.integrations``,
request validators, query/header parameters and JSON schema dict models from
``synth.validation``.

The API Gateway extensions follow the AWS developer guide, "Working with API Gateway
extensions to OpenAPI" (``x-amazon-apigateway-integration``,
``x-amazon-apigateway-any-method``, ``x-amazon-apigateway-binary-media-types``,
``x-amazon-apigateway-gateway-responses``, ``x-amazon-apigateway-request-validators``).
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping
from typing import Any

from framework.declare.api import RestApi
from framework.declare.models import component_schemas, request_model
from framework.declare.paths import ResourcePath
from framework.declare.routes import Route
from framework.synth import cors, integrations, responses, security, usage, validation
from framework.synth.names import function_logical_id, integration_role_id, snake, unique

OPENAPI_VERSION = "3.0.1"
API_VERSION = "1.0"
ANY_METHOD = "x-amazon-apigateway-any-method"
JSON = "application/json"


def openapi_document(
    api: RestApi,
    *,
    function_ids: Mapping[str, str] | None = None,
    role_id: str | None = None,
) -> dict[str, Any]:
    """The OpenAPI 3.0.1 document of ``api``, with API Gateway's extensions.

    ``function_ids`` maps each function name to the CloudFormation logical id its
    integrations point at; by default ``<Function>Function``. ``role_id`` is the logical
    id of the role of AWS service integrations without ``credentials_role``; by default
    ``<Api>IntegrationRole`` (see ``synth.names``).

    >>> doc = openapi_document(api)
    >>> doc["paths"]["/pets/{pet_id}"]["get"]["x-amazon-apigateway-integration"]["type"]
    'aws_proxy'
    """
    ids = dict(function_ids or {})
    for fn in api.functions:
        ids.setdefault(fn.name, function_logical_id(fn.name))
    role = role_id or integration_role_id(api.name)
    integrations.lambda_integration_functions(api)  # refuse a shared function before writing
    operation_ids = _operation_ids(api)
    request_models = {route.key: request_model(route) for route in api.routes}
    response_models = {route.key: _return_model(route) for route in api.routes}
    models = [
        m
        for m in (*request_models.values(), *response_models.values())
        if m is not None and not isinstance(m, Mapping)
    ]
    refs, schemas = component_schemas(list(dict.fromkeys(models)))
    dict_refs, dict_schemas = validation.dict_model_schemas(
        [
            (route, operation_ids[route.key], model)
            for route in api.routes
            if isinstance(model := request_models[route.key], Mapping)
        ],
        taken=set(schemas),
    )
    schemas = dict(sorted({**schemas, **dict_schemas}.items()))
    security_schemes = security.security_schemes(api, ids)
    scheme_names = security.scheme_names(api)
    keys_required = usage.requires_keys(api)
    if keys_required:
        security_schemes[usage.API_KEY_SCHEME] = usage.key_scheme()

    paths: dict[str, dict[str, Any]] = {}
    for route in api.routes:
        request_schema = dict_refs.get(route.key) or _ref(refs, request_models[route.key])
        operation = _operation(
            route,
            integration=integrations.method_integration(route, function_ids=ids, role_id=role),
            operation_id=operation_ids[route.key],
            request_schema=request_schema,
            response_schema=_ref(refs, response_models[route.key]),
            requirement=[
                *security.method_security(route, scheme_names),
                *usage.key_security(route),
            ],
        )
        paths.setdefault(route.path, {})[_method_key(route.method)] = operation
    for preflight in api.preflights():
        # No security: a browser sends the preflight without credentials, so it must stay
        # open even where every method of the resource is protected.
        operation = cors.preflight_operation(preflight, path_parameters(preflight.resource))
        paths.setdefault(preflight.resource.path, {})["options"] = operation

    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": _info(api),
        "paths": paths,
    }
    components: dict[str, Any] = {}
    if schemas:
        components["schemas"] = schemas
    if security_schemes:
        components["securitySchemes"] = security_schemes
    if components:
        document["components"] = components
    if api.binary_media_types:
        document["x-amazon-apigateway-binary-media-types"] = list(api.binary_media_types)
    validators = validation.request_validators(api)
    if validators:
        document[validation.VALIDATORS] = validators
    if keys_required:
        document[usage.API_KEY_SOURCE] = api.api_key_source
    # An authorizer's refusals (401 UNAUTHORIZED, 403 ACCESS_DENIED) are 4XX gateway
    # responses: the CORS headers on DEFAULT_4XX reach the browser with them too.
    gateway_responses = responses.gateway_responses(api)
    if gateway_responses:
        document[responses.GATEWAY_RESPONSES] = gateway_responses
    policy = security.resource_policy(api)
    if policy is not None:
        document[security.POLICY] = policy
    return document


# -- the document ------------------------------------------------------------------------


def _info(api: RestApi) -> dict[str, Any]:
    info: dict[str, Any] = {"title": api.name, "version": API_VERSION}
    if api.description:
        info["description"] = api.description
    return info


def _method_key(method: str) -> str:
    return ANY_METHOD if method == "ANY" else method.lower()


def _operation_ids(api: RestApi) -> dict[tuple[str, str], str]:
    """The handler's name, made unique: a handler serving several methods gets the method
    appended to the second and later ones (``update_pet``, ``update_pet_patch``). Methods
    served by an ASGI app or by an integration without a handler (MOCK, HTTP, AWS
    service) are named after method and path (``get_v2_items_item_id``)."""
    taken: set[str] = set()
    result: dict[tuple[str, str], str] = {}
    for route in api.routes:
        if route.asgi is not None or route.handler is None:
            base = snake(f"{route.method} {route.path}")  # get_v2_items_item_id
        else:
            base = getattr(route.handler, "__name__", None) or "handler"
        candidate = base if base not in taken else f"{base}_{route.method.lower()}"
        result[route.key] = unique(candidate, taken)
    return result


# -- one operation -----------------------------------------------------------------------


def _operation(
    route: Route,
    *,
    integration: dict[str, Any],
    operation_id: str,
    request_schema: dict[str, Any] | None,
    response_schema: dict[str, Any] | None,
    requirement: list[dict[str, list[str]]],
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id}
    operation.update(_documentation(route))
    parameters = [*path_parameters(route.resource), *validation.request_parameters(route)]
    if parameters:
        operation["parameters"] = parameters
    if request_schema is not None:
        operation["requestBody"] = _request_body(request_schema)
    if route.integration is not None and route.integration.responses:
        operation["responses"] = integrations.method_responses(route.integration.responses)
    else:
        operation["responses"] = _responses(route, response_schema)
    if requirement:
        operation["security"] = requirement
    operation.update(validation.method_validator(route))
    operation[integrations.INTEGRATION] = integration
    return operation


def _documentation(route: Route) -> dict[str, str]:
    if route.description:
        return {"description": route.description}
    if route.asgi is not None:
        return {"summary": f"Served by the ASGI app {route.asgi.name}"}
    if route.handler is None:
        return {}
    doc = inspect.getdoc(route.handler)
    if doc:
        return {"summary": doc.strip().splitlines()[0]}
    return {}


def path_parameters(resource: ResourcePath) -> list[dict[str, Any]]:
    """One required string parameter per ``{name}`` / ``{name+}`` of the resource.

    A greedy ``{proxy+}`` is declared as ``proxy``, as API Gateway itself exports it and
    as its method request parameter is named (``method.request.path.proxy``; AWS developer
    guide, "Set up a proxy resource with Lambda proxy integration with an OpenAPI
    definition"). Strict OpenAPI validators expect ``proxy+`` there."""
    return [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in resource.params
    ]


def _request_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": schema}}}


def _responses(route: Route, schema: dict[str, Any] | None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": integrations.status_description(route.status_code)}
    if schema is not None and route.status_code != 204:
        response["content"] = {JSON: {"schema": schema}}
    return {str(route.status_code): response}


# -- models ------------------------------------------------------------------------------


def _return_model(route: Route) -> Any:
    """The pydantic model a Lambda proxy handler is annotated to return, if any. (The
    responses of other integrations are their integration responses.)"""
    if route.asgi is not None or route.integration is not None or route.handler is None:
        return None
    try:
        hints = typing.get_type_hints(route.handler)
    except (NameError, TypeError, AttributeError):
        return None
    value = hints.get("return")
    is_model = isinstance(value, type) and hasattr(value, "model_json_schema")
    return value if is_model else None


def _ref(refs: Mapping[Any, dict[str, Any]], model: Any) -> dict[str, Any] | None:
    return dict(refs[model]) if model is not None else None
