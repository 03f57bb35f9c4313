"""Synth of request validation and non-proxy integrations: request validators, query and
header parameters, pydantic and JSON schema dict body models, MOCK, HTTP, HTTP_PROXY,
Lambda custom and AWS service integrations, the integration role, and the Lambda custom
integration's function; checked with aws-sam-translator, cfn-lint, openapi-spec-validator
and a fresh interpreter running the custom integration's entry module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from framework import IntegrationResponse, integrations
from framework.declare.api import RestApi
from framework.discovery import load_apis
from framework.errors import InvalidOptionError
from framework.synth import SynthError, openapi_document, render_template, sam_template, synth
from tests.test_synth import fresh_import, lint, openapi_errors, sam_transform, write_app

ORDERS = """
    from pydantic import BaseModel, Field

    from framework import IntegrationResponse, RestApi, integrations

    api = RestApi("orders")
    api.stage("dev", variables={"backend": "legacy-dev.example.com"})


    class Address(BaseModel):
        street: str
        city: str


    class Line(BaseModel):
        sku: str = Field(min_length=1)
        quantity: int = Field(gt=0)


    class NewOrder(BaseModel):
        lines: list[Line] = Field(min_length=1)
        ship_to: Address


    REVIEW = {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Review",
        "type": "object",
        "properties": {
            "stars": {"type": "integer", "minimum": 1, "maximum": 5},
            "text": {"type": "string", "maxLength": 500},
        },
        "required": ["stars"],
        "additionalProperties": False,
    }

    api.add_integration(
        "/status",
        integrations.mock(
            request_template=(
                '#if($input.params("down") == "yes"){"statusCode": 503}'
                '#else{"statusCode": 200}#end'
            ),
            responses=[
                IntegrationResponse(
                    200,
                    headers={"Cache-Control": "'no-store'"},
                    templates={"application/json": '{"status": "ok"}'},
                ),
                IntegrationResponse(
                    503,
                    selection_pattern="5\\\\d{2}",
                    headers={"Retry-After": "'120'", "Cache-Control": "'no-store'"},
                    templates={"application/json": '{"status": "maintenance"}'},
                ),
            ],
        ),
        methods=["GET"],
    )
    api.add_integration(
        "/legacy/{proxy+}",
        integrations.http("https://${stageVariables.backend}/{proxy}"),
        methods=["ANY"],
        timeout=10,
    )
    api.add_integration(
        "/quotes/{symbol}",
        integrations.http(
            "https://quotes.example.com/v1/{symbol}",
            proxy=False,
            http_method="GET",
            request_parameters={
                "integration.request.header.X-Api-Key": "method.request.header.X-Quote-Key",
                "integration.request.querystring.currency": "method.request.querystring.currency",
            },
            request_templates={"application/json": ""},
            passthrough="NEVER",
            responses=[
                IntegrationResponse(
                    200,
                    headers={"X-Quote-Time": "integration.response.header.Date"},
                    templates={"application/json": '{"price": $input.json("$.last")}'},
                ),
                IntegrationResponse(404, selection_pattern="404"),
            ],
            content_handling="CONVERT_TO_TEXT",
        ),
        methods=["GET"],
        validate="params",
        required_headers=["X-Quote-Key"],
    )


    @api.post(
        "/orders",
        integration=integrations.lambda_custom(
            request_templates={
                "application/json": '{"order": $input.json("$"), "requestId": "$context.requestId"}'
            },
            passthrough="WHEN_NO_TEMPLATES",
            responses=[
                IntegrationResponse(201, templates={"application/json": "$input.json('$')"}),
                IntegrationResponse(
                    400,
                    selection_pattern="Invalid order.*",
                    templates={
                        "application/json": '{"message": "$input.path(\\'$.errorMessage\\')"}'
                    },
                ),
            ],
        ),
        model=NewOrder,
        validate="all",
        required_query=["channel"],
    )
    def place_order(event, context):
        order = event["order"]
        if not order.get("lines"):
            raise ValueError("Invalid order: no lines")
        return {"id": "o-1", "lines": len(order["lines"]), "requestId": event["requestId"]}


    api.add_integration(
        "/reviews",
        integrations.aws(
            "dynamodb",
            action="PutItem",
            request_parameters={
                "integration.request.header.Content-Type": "'application/x-amz-json-1.0'"
            },
            request_templates={
                "application/json": (
                    '{"TableName": "reviews", "Item": {"id": {"S": "$context.requestId"}, '
                    '"stars": {"N": "$input.path(\\'$.stars\\')"}}}'
                )
            },
            responses=[
                IntegrationResponse(202, templates={"application/json": '{"saved": true}'}),
                IntegrationResponse(500, selection_pattern="5\\\\d{2}"),
            ],
        ),
        methods=["POST"],
        model=REVIEW,
        validate="body",
    )
    api.add_integration(
        "/archive/{key}",
        integrations.aws(
            "s3",
            path="orders-archive/{key}",
            http_method="PUT",
            credentials_role="arn:aws:iam::123456789012:role/orders-archive-writer",
            request_parameters={
                "integration.request.header.Content-Type": "method.request.header.Content-Type"
            },
            responses=[IntegrationResponse(200)],
        ),
        methods=["PUT"],
    )


    @api.get("/orders/{order_id}")
    def get_order(order_id: str):
        return {"id": order_id}
"""


@dataclass(frozen=True)
class Orders:
    api: RestApi
    out: Path

    @property
    def document(self) -> dict[str, Any]:
        return openapi_document(self.api)

    def operation(self, path: str, method: str) -> dict[str, Any]:
        operation: dict[str, Any] = self.document["paths"][path][method]
        return operation


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Orders:
    folder = tmp_path_factory.mktemp("orders")
    target = write_app(folder, "synth_orders", ORDERS)
    apis = load_apis(target)
    synth(apis, folder / "out", app_target=target)
    return Orders(apis[0], folder / "out")


def string_schema() -> dict[str, str]:
    return {"type": "string"}


def lambda_uri(function_id: str) -> dict[str, str]:
    return {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
        f"functions/${{{function_id}.Arn}}/invocations"
    }


# -- the real tools ----------------------------------------------------------------------


def test_the_template_transforms_with_the_sam_translator_and_api_gateway_gets_the_document(
    orders: Orders, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfn = sam_transform(sam_template([orders.api], code_uri="src/"), monkeypatch)

    resources = cfn["Resources"]
    kinds = {name: r["Type"] for name, r in resources.items() if "Deployment" not in name}
    # One function for the proxy route, one for the Lambda custom integration; MOCK, HTTP
    # and AWS service methods run none.
    assert kinds == {
        "OrdersApi": "AWS::ApiGateway::RestApi",
        "OrdersApiStage": "AWS::ApiGateway::Stage",
        "OrdersFunction": "AWS::Lambda::Function",
        "OrdersFunctionRole": "AWS::IAM::Role",
        "OrdersFunctionPermission": "AWS::Lambda::Permission",
        "OrdersPlaceOrderFunction": "AWS::Lambda::Function",
        "OrdersPlaceOrderFunctionRole": "AWS::IAM::Role",
        "OrdersPlaceOrderFunctionPermission": "AWS::Lambda::Permission",
        "OrdersIntegrationRole": "AWS::IAM::Role",
    }
    assert resources["OrdersApi"]["Properties"]["Body"] == orders.document


def test_the_template_lints_clean_with_cfn_lint(orders: Orders) -> None:
    assert lint(render_template([orders.api])) == []


def test_the_document_is_valid_openapi_3(orders: Orders) -> None:
    assert openapi_errors(orders.document) == []


# -- request validation ------------------------------------------------------------------


def test_the_validators_in_use_are_declared_once_and_named_by_each_method(
    orders: Orders,
) -> None:
    document = orders.document

    assert document["x-amazon-apigateway-request-validators"] == {
        "body": {"validateRequestBody": True, "validateRequestParameters": False},
        "params": {"validateRequestBody": False, "validateRequestParameters": True},
        "all": {"validateRequestBody": True, "validateRequestParameters": True},
    }
    validators = {
        (method, path): operation.get("x-amazon-apigateway-request-validator")
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert validators == {
        ("get", "/status"): None,
        ("x-amazon-apigateway-any-method", "/legacy/{proxy+}"): None,
        ("get", "/quotes/{symbol}"): "params",
        ("post", "/orders"): "all",
        ("post", "/reviews"): "body",
        ("put", "/archive/{key}"): None,
        ("get", "/orders/{order_id}"): None,
    }


def test_required_and_mapped_query_strings_and_headers_become_method_request_parameters(
    orders: Orders,
) -> None:
    # Required: enforced by a parameter validator. Mapped into the integration request:
    # declared so that API Gateway accepts the mapping, not required.
    assert orders.operation("/quotes/{symbol}", "get")["parameters"] == [
        {"name": "symbol", "in": "path", "required": True, "schema": string_schema()},
        {"name": "X-Quote-Key", "in": "header", "required": True, "schema": string_schema()},
        {"name": "currency", "in": "query", "schema": string_schema()},
    ]
    assert orders.operation("/orders", "post")["parameters"] == [
        {"name": "channel", "in": "query", "required": True, "schema": string_schema()},
    ]
    assert orders.operation("/archive/{key}", "put")["parameters"] == [
        {"name": "key", "in": "path", "required": True, "schema": string_schema()},
        {"name": "Content-Type", "in": "header", "schema": string_schema()},
    ]


def test_a_pydantic_model_with_nested_models_and_a_json_schema_dict_become_models(
    orders: Orders,
) -> None:
    document = orders.document

    def body(name: str) -> dict[str, Any]:
        schema = {"$ref": f"#/components/schemas/{name}"}
        return {"required": True, "content": {"application/json": {"schema": schema}}}

    assert orders.operation("/orders", "post")["requestBody"] == body("NewOrder")
    assert orders.operation("/reviews", "post")["requestBody"] == body("PostReviewsBody")
    assert "requestBody" not in orders.operation("/status", "get")
    assert document["components"]["schemas"] == {
        "Address": {
            "title": "Address",
            "type": "object",
            "properties": {
                "street": {"title": "Street", "type": "string"},
                "city": {"title": "City", "type": "string"},
            },
            "required": ["street", "city"],
        },
        "Line": {
            "title": "Line",
            "type": "object",
            "properties": {
                "sku": {"title": "Sku", "type": "string", "minLength": 1},
                "quantity": {
                    "title": "Quantity",
                    "type": "integer",
                    "minimum": 0,
                    "exclusiveMinimum": True,
                },
            },
            "required": ["sku", "quantity"],
        },
        "NewOrder": {
            "title": "NewOrder",
            "type": "object",
            "properties": {
                "lines": {
                    "title": "Lines",
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Line"},
                    "minItems": 1,
                },
                "ship_to": {"$ref": "#/components/schemas/Address"},
            },
            "required": ["lines", "ship_to"],
        },
        # The dict as declared, named after its operation; draft 4's $schema is left out
        # (an OpenAPI schema object has none).
        "PostReviewsBody": {
            "title": "Review",
            "type": "object",
            "properties": {
                "stars": {"type": "integer", "minimum": 1, "maximum": 5},
                "text": {"type": "string", "maxLength": 500},
            },
            "required": ["stars"],
            "additionalProperties": False,
        },
    }


# -- integrations ------------------------------------------------------------------------


def test_a_mock_integration_answers_with_its_integration_responses(orders: Orders) -> None:
    operation = orders.operation("/status", "get")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "mock",
        "requestTemplates": {
            "application/json": (
                '#if($input.params("down") == "yes"){"statusCode": 503}#else{"statusCode": 200}#end'
            )
        },
        "passthroughBehavior": "when_no_match",
        "responses": {
            "default": {
                "statusCode": "200",
                "responseParameters": {"method.response.header.Cache-Control": "'no-store'"},
                "responseTemplates": {"application/json": '{"status": "ok"}'},
            },
            "5\\d{2}": {
                "statusCode": "503",
                "responseParameters": {
                    "method.response.header.Retry-After": "'120'",
                    "method.response.header.Cache-Control": "'no-store'",
                },
                "responseTemplates": {"application/json": '{"status": "maintenance"}'},
            },
        },
    }
    # Each status code and header an integration response maps to is a method response.
    assert operation["responses"] == {
        "200": {"description": "OK", "headers": {"Cache-Control": {"schema": string_schema()}}},
        "503": {
            "description": "Service Unavailable",
            "headers": {
                "Cache-Control": {"schema": string_schema()},
                "Retry-After": {"schema": string_schema()},
            },
        },
    }
    assert operation["operationId"] == "get_status"


def test_an_http_proxy_integration_keeps_its_url_and_maps_the_greedy_path(
    orders: Orders,
) -> None:
    operation = orders.operation("/legacy/{proxy+}", "x-amazon-apigateway-any-method")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "http_proxy",
        "httpMethod": "ANY",
        # A plain string: API Gateway fills {proxy} and the stage variable in.
        "uri": "https://${stageVariables.backend}/{proxy}",
        "requestParameters": {"integration.request.path.proxy": "method.request.path.proxy"},
        "passthroughBehavior": "when_no_match",
        "timeoutInMillis": 10000,
    }
    assert operation["responses"] == {"200": {"description": "OK"}}


def test_an_http_integration_maps_parameters_templates_and_responses(orders: Orders) -> None:
    operation = orders.operation("/quotes/{symbol}", "get")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "http",
        "httpMethod": "GET",
        "uri": "https://quotes.example.com/v1/{symbol}",
        "requestParameters": {
            "integration.request.header.X-Api-Key": "method.request.header.X-Quote-Key",
            "integration.request.querystring.currency": "method.request.querystring.currency",
            "integration.request.path.symbol": "method.request.path.symbol",
        },
        "requestTemplates": {"application/json": ""},
        "passthroughBehavior": "never",
        "contentHandling": "CONVERT_TO_TEXT",
        "timeoutInMillis": 29000,
        "responses": {
            "default": {
                "statusCode": "200",
                "responseParameters": {
                    "method.response.header.X-Quote-Time": "integration.response.header.Date"
                },
                "responseTemplates": {"application/json": '{"price": $input.json("$.last")}'},
            },
            "404": {"statusCode": "404"},
        },
    }
    assert operation["responses"] == {
        "200": {"description": "OK", "headers": {"X-Quote-Time": {"schema": string_schema()}}},
        "404": {"description": "Not Found"},
    }


def test_a_lambda_custom_integration_invokes_its_own_function(orders: Orders) -> None:
    operation = orders.operation("/orders", "post")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "aws",
        "httpMethod": "POST",
        "uri": lambda_uri("OrdersPlaceOrderFunction"),
        "requestTemplates": {
            "application/json": '{"order": $input.json("$"), "requestId": "$context.requestId"}'
        },
        "passthroughBehavior": "when_no_templates",
        "timeoutInMillis": 29000,
        "responses": {
            "default": {
                "statusCode": "201",
                "responseTemplates": {"application/json": "$input.json('$')"},
            },
            # For Lambda, the pattern is matched against the error message.
            "Invalid order.*": {
                "statusCode": "400",
                "responseTemplates": {
                    "application/json": '{"message": "$input.path(\'$.errorMessage\')"}'
                },
            },
        },
    }
    assert operation["responses"] == {
        "201": {"description": "Created"},
        "400": {"description": "Bad Request"},
    }
    assert operation["operationId"] == "place_order"


def test_an_aws_service_integration_without_a_role_is_called_with_the_generated_one(
    orders: Orders,
) -> None:
    operation = orders.operation("/reviews", "post")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "aws",
        "httpMethod": "POST",
        "uri": {
            "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:dynamodb:action/PutItem"
        },
        "credentials": {"Fn::GetAtt": ["OrdersIntegrationRole", "Arn"]},
        "requestParameters": {
            "integration.request.header.Content-Type": "'application/x-amz-json-1.0'"
        },
        "requestTemplates": {
            "application/json": (
                '{"TableName": "reviews", "Item": {"id": {"S": "$context.requestId"}, '
                '"stars": {"N": "$input.path(\'$.stars\')"}}}'
            )
        },
        "passthroughBehavior": "when_no_match",
        "timeoutInMillis": 29000,
        "responses": {
            "default": {
                "statusCode": "202",
                "responseTemplates": {"application/json": '{"saved": true}'},
            },
            "5\\d{2}": {"statusCode": "500"},
        },
    }


def test_an_aws_service_path_integration_uses_the_declared_role_and_maps_its_path(
    orders: Orders,
) -> None:
    operation = orders.operation("/archive/{key}", "put")

    assert operation["x-amazon-apigateway-integration"] == {
        "type": "aws",
        "httpMethod": "PUT",
        "uri": {
            "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:"
            "path/orders-archive/{key}"
        },
        "credentials": "arn:aws:iam::123456789012:role/orders-archive-writer",
        "requestParameters": {
            "integration.request.header.Content-Type": "method.request.header.Content-Type",
            "integration.request.path.key": "method.request.path.key",
        },
        "passthroughBehavior": "when_no_match",
        "timeoutInMillis": 29000,
        "responses": {"default": {"statusCode": "200"}},
    }


def test_the_integration_role_trusts_api_gateway_with_the_declared_actions_only(
    orders: Orders,
) -> None:
    resources = sam_template([orders.api], code_uri="src/")["Resources"]

    assert resources["OrdersIntegrationRole"] == {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "Description": "Assumed by API Gateway for the AWS service integrations of orders",
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
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
                        "Version": "2012-10-17",
                        "Statement": [
                            {"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": "*"}
                        ],
                    },
                }
            ],
        },
    }


# -- the Lambda custom integration's function --------------------------------------------


def test_the_lambda_custom_integration_gets_a_function_a_permission_and_an_entry_module(
    orders: Orders,
) -> None:
    resources = sam_template([orders.api], code_uri="src/")["Resources"]

    assert resources["OrdersPlaceOrderFunction"] == {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "CodeUri": "src/",
            "Handler": "framework_entry_orders_place_order.handler",
            "Runtime": "python3.12",
            "MemorySize": 512,
            "Timeout": 30,
        },
    }
    assert resources["OrdersPlaceOrderFunctionPermission"] == {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "OrdersPlaceOrderFunction"},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:"
                "${AWS::AccountId}:${OrdersApi}/*/*/*"
            },
        },
    }
    src = orders.out / "src"
    assert (src / "framework_entry_orders_place_order.py").read_text() == (
        '"""Lambda entry point of function \'orders-place-order\', Lambda custom integration '
        "of POST /orders of API 'orders'.\n"
        "\n"
        "Generated by `python -m framework synth`; do not edit.\n"
        '"""\n'
        "\n"
        "import synth_orders as _app\n"
        "\n"
        'handler = _app.api.function_handler("orders-place-order")\n'
    )
    assert sorted(p.name for p in src.glob("framework_entry_*.py")) == [
        "framework_entry_orders.py",
        "framework_entry_orders_place_order.py",
    ]


def test_the_lambda_custom_entry_module_runs_the_raw_handler_in_a_fresh_interpreter(
    orders: Orders,
) -> None:
    src = orders.out / "src"
    # What the request template makes of the client's body.
    event = {
        "order": {
            "lines": [{"sku": "A-1", "quantity": 2}],
            "ship_to": {"street": "1 Main St", "city": "Springfield"},
        },
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    }

    result = fresh_import(src, "framework_entry_orders_place_order", event)

    assert result["framework"] == str(src / "framework" / "__init__.py")
    assert result["loaded"] == ["pydantic"]  # the app module declares its models with it
    assert result["response"] == {
        "id": "o-1",
        "lines": 1,
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
    }
    proxy = fresh_import(
        src,
        "framework_entry_orders",
        {
            "resource": "/orders/{order_id}",
            "path": "/orders/o-1",
            "httpMethod": "GET",
            "pathParameters": {"order_id": "o-1"},
            "requestContext": {"stage": "dev", "resourcePath": "/orders/{order_id}"},
            "body": None,
            "isBase64Encoded": False,
        },
    )
    assert proxy["response"]["statusCode"] == 200


# -- what cannot be synthesized ----------------------------------------------------------


def _mock_api(model: dict[str, Any]) -> RestApi:
    api = RestApi("checks")
    api.add_integration("/items", integrations.mock(), methods=["POST"], model=model)
    return api


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (
            {"type": "object", "$defs": {"Tag": {"type": "string"}}},
            r"POST /items: model: #/\$defs cannot be written .* inline the definitions",
        ),
        (
            {"type": "object", "properties": {"kind": {"const": "book"}}},
            r"#/properties/kind/const .* write enum: \[value\]",
        ),
        (
            {"type": "object", "properties": {"n": {"type": "integer", "exclusiveMinimum": 0}}},
            r"#/properties/n/exclusiveMinimum is a number .* minimum: 0, exclusiveMinimum: true",
        ),
        (
            {"type": ["string", "null"]},
            r"#/type must be one of .* got \['string', 'null'\]; write nullable: true",
        ),
        (
            {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]},
            r"#/items is a list \(positional items\)",
        ),
        (
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"},
            r"#/\$schema .* JSON Schema draft 4",
        ),
        (
            {"properties": {"a": {"$ref": "#/definitions/A"}}},
            r"#/properties/a/\$ref .* self-contained",
        ),
    ],
)
def test_a_json_schema_dict_that_draft_4_cannot_express_is_refused_naming_the_route(
    model: dict[str, Any], message: str
) -> None:
    with pytest.raises(SynthError, match=message):
        openapi_document(_mock_api(model))


def test_equal_json_schema_dicts_share_one_model() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}}}
    api = RestApi("checks")
    api.add_integration("/items", integrations.mock(), methods=["POST", "PUT"], model=schema)

    document = openapi_document(api)

    assert list(document["components"]["schemas"]) == ["PostItemsBody"]
    ref = {"$ref": "#/components/schemas/PostItemsBody"}
    for method in ("post", "put"):
        body = document["paths"]["/items"][method]["requestBody"]
        assert body["content"]["application/json"]["schema"] == ref


def test_an_api_of_integrations_alone_has_no_function(monkeypatch: pytest.MonkeyPatch) -> None:
    api = RestApi("facade")
    api.add_integration("/", integrations.mock(template='{"hello": "world"}'), methods=["GET"])
    api.add_integration(
        "/search/{proxy+}", integrations.http("https://search.example.com/{proxy}"), methods=["GET"]
    )

    template = sam_template([api])

    assert {r["Type"] for r in template["Resources"].values()} == {"AWS::Serverless::Api"}
    assert lint(render_template([api])) == []
    assert openapi_errors(openapi_document(api)) == []
    sam_transform(template, monkeypatch)


def test_a_url_part_that_is_no_path_parameter_is_refused_unless_mapped() -> None:
    def search_api(**mapping: str) -> RestApi:
        api = RestApi("facade")
        api.add_integration(
            "/search",
            integrations.http("https://search.example.com/{index}", request_parameters=mapping),
            methods=["GET"],
        )
        return api

    with pytest.raises(SynthError, match=r"GET /search: the integration URI uses \{index\}"):
        openapi_document(search_api())

    mapped = search_api(**{"integration.request.path.index": "stageVariables.index"})
    integration = openapi_document(mapped)["paths"]["/search"]["get"]
    assert integration["x-amazon-apigateway-integration"]["requestParameters"] == {
        "integration.request.path.index": "stageVariables.index"
    }


def test_a_stage_variable_in_an_aws_service_path_survives_fn_sub() -> None:
    api = RestApi("files")
    api.add_integration(
        "/files/{name}",
        integrations.aws(
            "s3",
            path="${stageVariables.bucket}/{name}",
            http_method="GET",
            credentials_role="arn:aws:iam::123456789012:role/files-reader",
        ),
        methods=["GET"],
    )

    operation = openapi_document(api)["paths"]["/files/{name}"]["get"]

    # Fn::Sub writes "${!x}" as the literal "${x}" (AWS CloudFormation User Guide, Fn::Sub).
    assert operation["x-amazon-apigateway-integration"]["uri"] == {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:s3:path/"
        "${!stageVariables.bucket}/{name}"
    }
    assert lint(render_template([api])) == []


def test_an_aws_service_path_integration_without_a_role_is_refused() -> None:
    api = RestApi("files")
    api.add_integration(
        "/files/{name}",
        integrations.aws("s3", path="files-bucket/{name}", http_method="GET"),
        methods=["GET"],
    )

    with pytest.raises(
        SynthError, match=r"GET /files/\{name\}: .* with path= needs credentials_role="
    ):
        sam_template([api])


def test_a_function_shared_by_a_lambda_custom_handler_and_a_proxy_route_is_refused() -> None:
    api = RestApi("shared")

    def raw(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return event

    api.add_route(
        "/raw", raw, methods=["POST"], integration=integrations.lambda_custom(), function="one"
    )
    api.add_route("/proxy", lambda: {}, methods=["GET"], function="one")

    with pytest.raises(
        SynthError, match=r"function 'one' runs the handler of the Lambda custom integration"
    ):
        openapi_document(api)


def test_two_integration_responses_with_one_selection_pattern_are_refused() -> None:
    responses = [IntegrationResponse(400, selection_pattern="4\\d{2}")] * 2
    with pytest.raises(InvalidOptionError, match=r"mock: selection pattern .* is used twice"):
        integrations.mock(responses=responses)
