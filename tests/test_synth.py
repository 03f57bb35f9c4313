"""Synth: declaration -> SAM template, OpenAPI documents and the Lambda code folder,
checked with the real tools (aws-sam-translator, cfn-lint, openapi-spec-validator) and a
fresh Python interpreter importing the generated entry module."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import cfnlint.api
import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator
from openapi_spec_validator.validation.exceptions import UnresolvableParameterError
from pydantic import BaseModel, Field
from samtranslator.translator.transform import transform

from framework.declare.api import RestApi
from framework.discovery import load_apis
from framework.synth import SynthError, openapi_document, render_template, sam_template, synth
from framework.synth.sam import definition_body

ROOT = Path(__file__).resolve().parents[1]
PETSTORE = str(ROOT / "examples" / "petstore" / "app.py")
# Modules the deployed handler must never load (ARCHITECTURE.md, "Rules of the house").
FORBIDDEN = ("fastapi", "starlette", "uvicorn", "httpx", "yaml", "jsonschema", "airspeed", "jwt")
NO_VALUE = {"Ref": "AWS::NoValue"}


# -- helpers -----------------------------------------------------------------------------


class _NoManagedPolicies:
    """What samtranslator asks for managed policy ARNs; no function names one."""

    def load(self) -> dict[str, str]:
        return {}


def sam_transform(template: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run the SAM transform offline, as CloudFormation would on deploy."""
    # samtranslator reads the region (for ARNs and pseudo parameters) from boto3's session.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    template = json.loads(json.dumps(template))
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            # What `sam package` does: the code folder becomes an uploaded artefact.
            resource["Properties"]["CodeUri"] = "s3://bucket/code.zip"
    result: dict[str, Any] = transform(template, {}, _NoManagedPolicies())
    return result


def lint(text: str) -> list[str]:
    return [str(match) for match in cfnlint.api.lint(text)]


def openapi_errors(document: dict[str, Any]) -> list[str]:
    """openapi-spec-validator's complaints, except one: a greedy ``{proxy+}`` parameter is
    declared as ``proxy`` (API Gateway's own spelling) where the validator wants ``proxy+``."""
    errors = []
    for error in OpenAPIV30SpecValidator(document).iter_errors():
        greedy = re.search(r"Path parameter '(\w+)\+?' .* in '\S*\{\1\+\}'", str(error))
        if isinstance(error, UnresolvableParameterError) and greedy:
            continue
        errors.append(str(error))
    return errors


def write_app(folder: Path, name: str, source: str) -> str:
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def fresh_import(src: Path, module: str, event: dict[str, Any]) -> dict[str, Any]:
    """Import ``module`` from ``src`` in a new interpreter, call its handler with ``event``;
    report the response, where framework came from and the forbidden modules loaded."""
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(src)!r})
        import {module} as entry
        response = entry.handler(json.loads(sys.stdin.read()), None)
        import framework
        tops = {{name.partition(".")[0] for name in sys.modules}}
        print(json.dumps({{
            "response": response,
            "framework": framework.__file__,
            "loaded": sorted(tops & {set(FORBIDDEN) | {"pydantic", "mangum"}!r}),
        }}))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", code],
        input=json.dumps(event),
        capture_output=True,
        text=True,
        cwd=src,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def rest_event(method: str, resource: str, path: str, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": None,
        "multiValueHeaders": None,
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {"stage": "dev", "resourcePath": resource, "httpMethod": method},
        "body": None,
        "isBase64Encoded": False,
    }
    event.update(extra)
    return event


@pytest.fixture(scope="module")
def petstore() -> list[RestApi]:
    return load_apis(PETSTORE)


SHOP = """
    from framework import RestApi

    api = RestApi("shop", environment={"TABLE": "orders"})
    api.stage("dev", variables={"table": "orders-dev", "log_level": "debug"})
    api.stage("prod", variables={"table": "orders"})
    api.function("admin", memory_size=1024, timeout=60, environment={"ADMIN": "1"})


    @api.get("/orders")
    def list_orders(request):
        return {"orders": [], "table": request.stage_variables["table"]}


    @api.delete("/orders/{order_id}", function="admin", timeout=10)
    def delete_order(order_id: str):
        return None
"""


def integration(function_id: str, timeout_ms: int = 29000) -> dict[str, Any]:
    return {
        "type": "aws_proxy",
        "httpMethod": "POST",
        "uri": {
            "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/"
            f"2015-03-31/functions/${{{function_id}.Arn}}/invocations"
        },
        "timeoutInMillis": timeout_ms,
        "passthroughBehavior": "when_no_match",
    }


def permission(function_id: str, api_id: str) -> dict[str, Any]:
    return {
        "Type": "AWS::Lambda::Permission",
        "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function_id},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:"
                f"${{AWS::AccountId}}:${{{api_id}}}/*/*/*"
            },
        },
    }


# -- the pet store, checked by the real tools --------------------------------------------


def test_the_pet_store_template_transforms_with_the_sam_translator_into_what_api_gateway_gets(
    petstore: list[RestApi], monkeypatch: pytest.MonkeyPatch
) -> None:
    cfn = sam_transform(sam_template(petstore, code_uri="src/"), monkeypatch)

    resources = cfn["Resources"]
    kinds = {name: resource["Type"] for name, resource in resources.items()}
    deployment = next(n for n, kind in kinds.items() if kind == "AWS::ApiGateway::Deployment")
    assert kinds == {
        "PetstoreApi": "AWS::ApiGateway::RestApi",
        deployment: "AWS::ApiGateway::Deployment",
        "PetstoreApiStage": "AWS::ApiGateway::Stage",
        "PetstoreFunction": "AWS::Lambda::Function",
        "PetstoreFunctionRole": "AWS::IAM::Role",
        "PetstoreFunctionPermission": "AWS::Lambda::Permission",
    }
    # API Gateway imports exactly the OpenAPI document synth wrote.
    assert resources["PetstoreApi"]["Properties"] == {
        "Body": openapi_document(petstore[0]),
        "Description": "An in-memory pet store",
        "Name": "petstore",
    }
    stage = resources["PetstoreApiStage"]["Properties"]
    assert stage["StageName"] == {"Ref": "Stage"}
    assert stage["Variables"] == {
        "greeting": {"Fn::FindInMap": ["PetstoreApiStageVariables", {"Ref": "Stage"}, "greeting"]},
        "table": {"Fn::FindInMap": ["PetstoreApiStageVariables", {"Ref": "Stage"}, "table"]},
    }
    function = resources["PetstoreFunction"]["Properties"]
    assert function["Handler"] == "framework_entry_petstore.handler"
    assert function["Runtime"] == "python3.12"
    assert function["Environment"] == {"Variables": {"LOG_LEVEL": "INFO"}}


def test_the_pet_store_template_lints_clean_with_cfn_lint(petstore: list[RestApi]) -> None:
    assert lint(render_template(petstore)) == []


def test_the_pet_store_openapi_document_is_valid_openapi_3(petstore: list[RestApi]) -> None:
    assert openapi_errors(openapi_document(petstore[0])) == []


def test_the_greedy_parameter_is_named_as_api_gateway_names_it(petstore: list[RestApi]) -> None:
    operation = openapi_document(petstore[0])["paths"]["/static/{proxy+}"]["get"]
    assert operation["parameters"] == [
        {"name": "proxy", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    assert operation["x-amazon-apigateway-integration"] == integration("PetstoreFunction", 5000)


def test_the_template_wires_every_declared_method_to_its_function_and_preflights_to_mocks(
    petstore: list[RestApi],
) -> None:
    template = yaml.safe_load(render_template(petstore))
    body = template["Resources"]["PetstoreApi"]["Properties"]["DefinitionBody"]
    found = set()
    for path, item in body["paths"].items():
        for method, operation in item.items():
            integration_ = operation["x-amazon-apigateway-integration"]
            if integration_["type"] == "mock":
                target = "mock"
            else:
                # How `sam local start-api` finds the function (samcli LambdaUri).
                match = re.search(r"\$\{([A-Za-z0-9]+)\.Arn\}", integration_["uri"]["Fn::Sub"])
                assert match is not None
                target = match.group(1)
                assert template["Resources"][target]["Type"] == "AWS::Serverless::Function"
            found.add((method.upper(), path, target))

    api = petstore[0]
    declared = {(r.method, r.path, "PetstoreFunction") for r in api.routes}
    preflights = {("OPTIONS", p.resource.path, "mock") for p in api.preflights()}
    assert found == declared | preflights
    assert len(preflights) == 5


def test_the_pet_store_preflight_answers_with_the_declared_cors_headers(
    petstore: list[RestApi],
) -> None:
    options = openapi_document(petstore[0])["paths"]["/pets"]["options"]
    assert options == {
        "summary": "CORS preflight",
        "responses": {
            "200": {
                "description": "CORS preflight response",
                "headers": {
                    "Access-Control-Allow-Headers": {"schema": {"type": "string"}},
                    "Access-Control-Allow-Methods": {"schema": {"type": "string"}},
                    "Access-Control-Allow-Origin": {"schema": {"type": "string"}},
                },
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": '{"statusCode": 200}'},
            "passthroughBehavior": "when_no_match",
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                        "method.response.header.Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
                        "method.response.header.Access-Control-Allow-Headers": (
                            "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'"
                        ),
                    },
                }
            },
        },
    }


def test_the_pet_store_document_has_its_models_binary_types_and_cors_gateway_responses(
    petstore: list[RestApi],
) -> None:
    document = openapi_document(petstore[0])
    assert document["info"] == {
        "title": "petstore",
        "version": "1.0",
        "description": "An in-memory pet store",
    }
    assert document["x-amazon-apigateway-binary-media-types"] == ["image/png"]
    cors_origin = {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
    assert document["x-amazon-apigateway-gateway-responses"] == {
        "DEFAULT_4XX": {"responseParameters": cors_origin},
        "DEFAULT_5XX": {"responseParameters": cors_origin},
    }
    create = document["paths"]["/pets"]["post"]
    assert create["operationId"] == "create_pet"
    assert create["requestBody"] == {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}},
    }
    assert create["responses"] == {
        "201": {
            "description": "Created",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        }
    }
    assert document["components"]["schemas"]["NewPet"] == {
        "title": "NewPet",
        "type": "object",
        "properties": {
            "name": {"title": "Name", "type": "string", "minLength": 1, "maxLength": 64},
            "species": {"title": "Species", "type": "string", "default": "cat"},
            "age": {"title": "Age", "type": "integer", "minimum": 0, "maximum": 50, "default": 0},
        },
        "required": ["name"],
    }
    assert sorted(document["components"]["schemas"]) == ["NewPet", "Pet"]


def test_the_repository_template_is_the_synthesized_pet_store(petstore: list[RestApi]) -> None:
    committed = (ROOT / "template.yaml").read_text()
    assert committed == render_template(petstore), (
        "template.yaml is stale: python -m framework.synth examples/petstore/app.py > template.yaml"
    )


# -- the files synth writes --------------------------------------------------------------


def test_synth_writes_the_template_documents_and_code_folder(
    petstore: list[RestApi], tmp_path: Path
) -> None:
    written = synth(petstore, tmp_path, app_target=PETSTORE)

    names = [p.relative_to(tmp_path).as_posix() for p in written]
    assert names == sorted(names)
    assert {n for n in names if not n.startswith("src/framework/")} == {
        "openapi/petstore.json",
        "src/app.py",
        "src/framework_entry_petstore.py",
        "src/requirements.txt",
        "template.yaml",
    }
    # The Lambda runtime of the framework, and nothing that needs FastAPI or PyYAML.
    copied = {n.split("/")[2] for n in names if n.startswith("src/framework/")}
    assert copied == {
        "__init__.py",
        "_record.py",
        "errors.py",
        "integrations.py",
        "py.typed",
        "declare",
        "events",
        "runtime",
    }
    assert (tmp_path / "template.yaml").read_text() == render_template(petstore)
    assert json.loads((tmp_path / "openapi/petstore.json").read_text()) == openapi_document(
        petstore[0]
    )
    assert (tmp_path / "src/app.py").read_bytes() == Path(PETSTORE).read_bytes()
    assert (tmp_path / "src/requirements.txt").read_text().splitlines()[0].startswith("pydantic==")
    assert len((tmp_path / "src/requirements.txt").read_text().splitlines()) == 1
    assert (tmp_path / "src/framework_entry_petstore.py").read_text() == (
        "\"\"\"Lambda entry point of function 'petstore' of API 'petstore'.\n"
        "\n"
        "Generated by `python -m framework synth`; do not edit.\n"
        '"""\n'
        "\n"
        "import app as _app\n"
        "\n"
        'handler = _app.api.function_handler("petstore")\n'
    )


def test_synth_is_deterministic(petstore: list[RestApi], tmp_path: Path) -> None:
    synth(petstore, tmp_path / "one", app_target=PETSTORE)
    synth(petstore, tmp_path / "two", app_target=PETSTORE)
    first = tree(tmp_path / "one")
    assert first == tree(tmp_path / "two")
    synth(petstore, tmp_path / "one", app_target=PETSTORE)
    assert tree(tmp_path / "one") == first


def test_the_pet_store_entry_module_loads_no_local_gateway_module_in_a_fresh_interpreter(
    petstore: list[RestApi], tmp_path: Path
) -> None:
    synth(petstore, tmp_path, app_target=PETSTORE)
    src = tmp_path / "src"

    event = rest_event("GET", "/pets", "/pets", stageVariables={"table": "pets-dev"})
    result = fresh_import(src, "framework_entry_petstore", event)

    assert result["framework"] == str(src / "framework" / "__init__.py")
    assert result["loaded"] == ["pydantic"]  # the pet store declares its bodies with pydantic
    assert result["response"]["statusCode"] == 200
    assert json.loads(result["response"]["body"])["table"] == "pets-dev"


def test_an_app_without_models_deploys_without_pydantic(tmp_path: Path) -> None:
    target = write_app(tmp_path, "synth_shop_plain", SHOP)
    apis = load_apis(target)

    synth(apis, tmp_path / "out", app_target=target)
    src = tmp_path / "out" / "src"

    assert (src / "requirements.txt").read_text() == ""
    event = rest_event("GET", "/orders", "/orders", stageVariables={"table": "orders-dev"})
    result = fresh_import(src, "framework_entry_shop", event)
    assert result["loaded"] == []
    assert json.loads(result["response"]["body"]) == {"orders": [], "table": "orders-dev"}
    admin = fresh_import(
        src,
        "framework_entry_admin",
        rest_event("DELETE", "/orders/{order_id}", "/orders/7", pathParameters={"order_id": "7"}),
    )
    assert admin["response"]["statusCode"] == 200


def test_a_module_target_packages_its_package_and_the_modules_it_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "synth_pkg_shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text("def greeting() -> str:\n    return 'hi'\n")
    (package / "unused.py").write_text("raise RuntimeError('not imported by the app')\n")
    (package / "app.py").write_text(
        textwrap.dedent(
            """
            from framework import RestApi

            shop = RestApi("shop")


            @shop.get("/")
            def index():
                from .helpers import greeting  # imported lazily: still packaged

                return {"message": greeting()}
            """
        )
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    target = "synth_pkg_shop.app:shop"

    synth(load_apis(target), tmp_path / "out", app_target=target)
    src = tmp_path / "out" / "src"

    assert sorted(p.name for p in (src / "synth_pkg_shop").iterdir()) == [
        "__init__.py",
        "app.py",
        "helpers.py",
    ]
    assert (
        'import synth_pkg_shop.app as _app\n\nhandler = _app.shop.function_handler("shop")\n'
        in (src / "framework_entry_shop.py").read_text()
    )
    result = fresh_import(src, "framework_entry_shop", rest_event("GET", "/", "/"))
    assert json.loads(result["response"]["body"]) == {"message": "hi"}
    assert result["loaded"] == []


# -- declaration -> template -------------------------------------------------------------


def test_routes_split_over_two_functions_and_two_stages_give_this_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = load_apis(write_app(tmp_path, "synth_shop_template", SHOP))[0]

    template = sam_template([api], code_uri="src/")

    assert template == {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": "framework: shop",
        "Parameters": {
            "Stage": {
                "Type": "String",
                "Description": "The stage to deploy: the first path segment of the invoke URL.",
                "AllowedValues": ["dev", "prod"],
                "Default": "dev",
            }
        },
        "Mappings": {
            "ShopApiStageVariables": {
                "dev": {"LogLevel": "debug", "table": "orders-dev"},
                "prod": {"LogLevel": "-", "table": "orders"},
            }
        },
        "Conditions": {"IsStageProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}},
        "Resources": {
            "ShopApi": {
                "Type": "AWS::Serverless::Api",
                "Properties": {
                    "Name": "shop",
                    "StageName": {"Ref": "Stage"},
                    "OpenApiVersion": "3.0.1",
                    "DefinitionBody": {
                        "openapi": "3.0.1",
                        "info": {"title": "shop", "version": "1.0"},
                        "paths": {
                            "/orders": {
                                "get": {
                                    "operationId": "list_orders",
                                    "responses": {"200": {"description": "OK"}},
                                    "x-amazon-apigateway-integration": integration("ShopFunction"),
                                }
                            },
                            "/orders/{order_id}": {
                                "delete": {
                                    "operationId": "delete_order",
                                    "parameters": [
                                        {
                                            "name": "order_id",
                                            "in": "path",
                                            "required": True,
                                            "schema": {"type": "string"},
                                        }
                                    ],
                                    "responses": {"200": {"description": "OK"}},
                                    "x-amazon-apigateway-integration": integration(
                                        "AdminFunction", 10000
                                    ),
                                }
                            },
                        },
                    },
                    "Variables": {
                        # prod declares no log_level: the variable is left out there.
                        "log_level": {
                            "Fn::If": [
                                "IsStageProd",
                                NO_VALUE,
                                {
                                    "Fn::FindInMap": [
                                        "ShopApiStageVariables",
                                        {"Ref": "Stage"},
                                        "LogLevel",
                                    ]
                                },
                            ]
                        },
                        "table": {
                            "Fn::FindInMap": ["ShopApiStageVariables", {"Ref": "Stage"}, "table"]
                        },
                    },
                },
            },
            "ShopFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "CodeUri": "src/",
                    "Handler": "framework_entry_shop.handler",
                    "Runtime": "python3.12",
                    "MemorySize": 512,
                    "Timeout": 30,
                    "Environment": {"Variables": {"TABLE": "orders"}},
                },
            },
            "ShopFunctionPermission": permission("ShopFunction", "ShopApi"),
            "AdminFunction": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "CodeUri": "src/",
                    "Handler": "framework_entry_admin.handler",
                    "Runtime": "python3.12",
                    "MemorySize": 1024,
                    "Timeout": 60,
                    "Environment": {"Variables": {"ADMIN": "1", "TABLE": "orders"}},
                },
            },
            "AdminFunctionPermission": permission("AdminFunction", "ShopApi"),
        },
        "Outputs": {
            "ShopApiUrl": {
                "Description": "Invoke URL of the shop API",
                "Value": {
                    "Fn::Sub": "https://${ShopApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
                    "/${Stage}/"
                },
            }
        },
    }
    assert lint(render_template([api])) == []
    cfn = sam_transform(template, monkeypatch)
    assert cfn["Resources"]["ShopApi"]["Properties"]["Body"] == openapi_document(api)
    assert openapi_errors(openapi_document(api)) == []


def test_a_stage_name_that_cannot_be_a_mapping_key_gets_its_variables_through_a_condition(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = RestApi("inventory")
    api.stage("dev", variables={"bucket": "inventory-dev"})
    api.stage("load_test", variables={"bucket": "inventory-load"})
    api.stage("prod")
    api.add_route("/items", lambda: [], methods=["GET"])

    template = sam_template([api])

    assert template["Parameters"]["Stage"]["AllowedValues"] == ["dev", "load_test", "prod"]
    # Mapping top-level keys allow letters, digits, '-' and '.': not 'load_test'.
    assert template["Mappings"] == {
        "InventoryApiStageVariables": {"dev": {"bucket": "inventory-dev"}, "prod": {"bucket": "-"}}
    }
    assert template["Conditions"] == {
        "IsStageLoadTest": {"Fn::Equals": [{"Ref": "Stage"}, "load_test"]},
        "IsStageProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
    }
    find = {"Fn::FindInMap": ["InventoryApiStageVariables", {"Ref": "Stage"}, "bucket"]}
    assert template["Resources"]["InventoryApi"]["Properties"]["Variables"] == {
        "bucket": {
            "Fn::If": [
                "IsStageLoadTest",
                "inventory-load",
                {"Fn::If": ["IsStageProd", NO_VALUE, find]},
            ]
        }
    }
    assert lint(render_template([api])) == []
    sam_transform(template, monkeypatch)


def test_an_api_without_stage_variables_has_no_mappings_and_no_conditions() -> None:
    api = RestApi("plain")
    api.add_route("/", lambda: {}, methods=["GET"])

    template = sam_template([api])

    assert "Mappings" not in template
    assert "Conditions" not in template
    assert "Variables" not in template["Resources"]["PlainApi"]["Properties"]
    assert template["Parameters"]["Stage"]["AllowedValues"] == ["dev"]
    assert "Environment" not in template["Resources"]["PlainFunction"]["Properties"]
    assert lint(render_template([api])) == []


def test_two_apis_with_a_function_of_the_same_name_get_distinct_logical_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = RestApi("orders"), RestApi("billing")
    first.add_route("/", lambda: {}, methods=["GET"], function="worker")
    second.add_route("/", lambda: {}, methods=["GET"], function="worker")

    template = sam_template([first, second])

    functions = {
        name: resource["Properties"]["Handler"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert functions == {
        "OrdersWorkerFunction": "framework_entry_orders_worker.handler",
        "BillingWorkerFunction": "framework_entry_billing_worker.handler",
    }
    uri = template["Resources"]["BillingApi"]["Properties"]["DefinitionBody"]["paths"]["/"]["get"][
        "x-amazon-apigateway-integration"
    ]["uri"]["Fn::Sub"]
    assert "${BillingWorkerFunction.Arn}" in uri
    assert lint(render_template([first, second])) == []
    sam_transform(template, monkeypatch)


# -- OpenAPI details ---------------------------------------------------------------------


def test_any_is_api_gateways_any_method_and_operation_ids_stay_unique() -> None:
    api = RestApi("proxy")

    def forward(proxy: str) -> dict[str, str]:
        return {"path": proxy}

    def item(request: Any = None) -> dict[str, str]:
        return {}

    api.add_route("/{proxy+}", forward, methods=["ANY"])
    api.add_route("/item", item, methods=["GET", "PUT", "PATCH"])

    paths = openapi_document(api)["paths"]

    assert set(paths["/{proxy+}"]) == {"x-amazon-apigateway-any-method"}
    assert [paths["/item"][m]["operationId"] for m in ("get", "put", "patch")] == [
        "item",
        "item_put",
        "item_patch",
    ]
    assert openapi_errors(openapi_document(api)) == []


class Tag(BaseModel):
    label: str


class Order(BaseModel):
    quantity: int = Field(gt=0, examples=[3])
    note: str | None = None
    tag: Tag | None = None
    pair: tuple[int, str] = (1, "a")


def create_order(order: Order) -> dict[str, str]:
    return {}


def test_optional_and_constrained_pydantic_fields_become_openapi_3_0_schemas() -> None:
    api = RestApi("orders")
    api.add_route("/orders", create_order, methods=["POST"])

    document = openapi_document(api)

    assert document["components"]["schemas"]["Order"]["properties"] == {
        "quantity": {
            "title": "Quantity",
            "type": "integer",
            "minimum": 0,
            "exclusiveMinimum": True,
            "example": 3,
        },
        "note": {"title": "Note", "type": "string", "default": None, "nullable": True},
        "tag": {
            "allOf": [{"$ref": "#/components/schemas/Tag"}],
            "default": None,
            "nullable": True,
        },
        "pair": {
            "title": "Pair",
            "type": "array",
            "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
            "minItems": 2,
            "maxItems": 2,
            "default": [1, "a"],
        },
    }
    assert openapi_errors(document) == []


def test_several_allowed_origins_are_echoed_by_the_preflight_template() -> None:
    from framework import Cors

    api = RestApi(
        "shop",
        cors=Cors(allow_origins=("https://a.example", "https://b.example"), allow_credentials=True),
    )
    api.add_route("/cart", lambda: {}, methods=["GET"])

    document = openapi_document(api)
    options = document["paths"]["/cart"]["options"]

    response = options["x-amazon-apigateway-integration"]["responses"]["default"]
    assert response["responseParameters"] == {
        "method.response.header.Vary": "'Origin'",
        "method.response.header.Access-Control-Allow-Credentials": "'true'",
        "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
        "method.response.header.Access-Control-Allow-Headers": (
            "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'"
        ),
    }
    assert response["responseTemplates"] == {
        "application/json": (
            "#set($origin = $input.params().header.get('Origin'))\n"
            '#if("$!origin" == "")#set($origin = $input.params().header.get(\'origin\'))#end\n'
            '#if($origin == "https://a.example" || $origin == "https://b.example")\n'
            "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n"
            "#end\n"
        )
    }
    assert set(options["responses"]["200"]["headers"]) == {
        "Access-Control-Allow-Credentials",
        "Access-Control-Allow-Headers",
        "Access-Control-Allow-Methods",
        "Access-Control-Allow-Origin",
        "Vary",
    }
    # A gateway response can only carry a static origin: none is right for two.
    assert "x-amazon-apigateway-gateway-responses" not in document
    assert openapi_errors(document) == []


def test_the_definition_body_survives_the_sam_transform_unchanged_with_headers_on_preflights(
    petstore: list[RestApi],
) -> None:
    document = openapi_document(petstore[0])
    body = definition_body(document)
    headers = body["paths"]["/pets"]["options"]["responses"]["200"]["headers"]
    # SAM wraps each of these into {"schema": ...} again (see definition_body).
    assert headers["Access-Control-Allow-Origin"] == {"type": "string"}
    assert body["paths"]["/pets"]["get"] == document["paths"]["/pets"]["get"]


ASGI_APP = """
    from framework import RestApi

    api = RestApi("hybrid")


    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})


    api.mount("/app/{proxy+}", app)


    @api.get("/health")
    def health():
        return {"ok": True}
"""


def test_an_asgi_app_gets_its_own_function_and_mangum_in_the_requirements(tmp_path: Path) -> None:
    target = write_app(tmp_path, "synth_hybrid", ASGI_APP)
    apis = load_apis(target)

    synth(apis, tmp_path / "out", app_target=target)
    src = tmp_path / "out" / "src"

    template = yaml.safe_load((tmp_path / "out" / "template.yaml").read_text())
    handlers = {
        name: resource["Properties"]["Handler"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }
    assert handlers == {
        "HybridAppFunction": "framework_entry_hybrid_app.handler",
        "HybridFunction": "framework_entry_hybrid.handler",
    }
    assert [line.partition("==")[0] for line in (src / "requirements.txt").read_text().split()] == [
        "mangum"
    ]
    health = fresh_import(src, "framework_entry_hybrid", rest_event("GET", "/health", "/health"))
    assert health["loaded"] == []  # Mangum is imported by the first ASGI request only
    assert lint((tmp_path / "out" / "template.yaml").read_text()) == []


def test_synth_refuses_an_api_the_entry_module_could_not_import(tmp_path: Path) -> None:
    ghost = RestApi("ghost")
    ghost.add_route("/", lambda: {}, methods=["GET"])

    with pytest.raises(SynthError, match="'ghost' is not a module-level variable"):
        synth([ghost], tmp_path, app_target=PETSTORE)


def test_synth_refuses_to_write_its_code_folder_over_the_app_sources(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    target = write_app(tmp_path / "src", "synth_inplace", SHOP)

    with pytest.raises(SynthError, match="holds the sources being packaged"):
        synth(load_apis(target), tmp_path, app_target=target)
    assert list(tree(tmp_path)) == ["src/synth_inplace.py"]  # nothing written
