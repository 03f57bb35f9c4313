"""Synth of API keys, usage plans, throttling and gateway responses: the OpenAPI security
and gateway responses, the stage's MethodSettings, the usage plan, API key and usage plan
key resources; checked with aws-sam-translator, cfn-lint and openapi-spec-validator, and
resolved stage by stage as CloudFormation would deploy each value of the Stage parameter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from samtranslator.translator.transform import transform

from framework.declare.api import RestApi
from framework.discovery import load_apis
from framework.errors import InvalidOptionError
from framework.synth import openapi_document, render_template, sam_template, synth
from tests.test_synth import lint, openapi_errors, sam_transform, tree, write_app

ROOT = Path(__file__).resolve().parents[1]
METERED = str(ROOT / "examples" / "metered" / "app.py")
NO_VALUE = {"Ref": "AWS::NoValue"}
ACME_KEY = "acme-key-0000000000000000"


@dataclass(frozen=True)
class Synthed:
    api: RestApi
    out: Path


@pytest.fixture(scope="module")
def metered(tmp_path_factory: pytest.TempPathFactory) -> Synthed:
    out = tmp_path_factory.mktemp("metered")
    apis = load_apis(METERED)
    synth(apis, out, app_target=METERED)
    return Synthed(apis[0], out)


# A smaller API for what the metered example does not have: CORS, an authorizer next to a
# key, the key from the authorizer, ANY, the root, a stage whose name cannot be a mapping
# key, a stage without throttling, a plan for one stage only.
KENNEL = f"""
    from framework import InvalidOptionError, Cors, RestApi, Throttle
    from framework.runtime.auth import allow

    api = RestApi(
        "kennel", cors=Cors(allow_origins=["https://kennel.example"]), api_key_source="AUTHORIZER"
    )
    api.stage("dev")
    api.stage("load_test", throttle=Throttle(rate=1000, burst=2000))
    api.stage("prod", throttle=Throttle(rate=10.5, burst=20))

    partners = api.usage_plan(
        "partners",
        stages=["prod"],
        method_throttles={{
            "ANY /dogs/{{proxy+}}": Throttle(rate=3, burst=3),
            "GET /dogs/{{proxy+}}": Throttle(rate=1, burst=1),
        }},
    )
    partners.add_key("acme", "{ACME_KEY}")

    api.gateway_response(
        "THROTTLED", headers={{"Retry-After": "2", "X-Request-Id": "context.requestId"}}
    )
    api.gateway_response("INTEGRATION_TIMEOUT", status_code=503, template='{{"retry": true}}')


    @api.authorizer(type="TOKEN")
    def gate(request):
        return allow("partner", routes=["*"])


    @api.get("/", api_key_required=True, throttle=Throttle(rate=1, burst=1))
    def index():
        return {{}}


    @api.any("/dogs/{{proxy+}}", api_key_required=True, authorizer="gate",
             throttle=Throttle(rate=2, burst=4))
    def dogs(proxy: str):
        return {{"dog": proxy}}


    @api.get("/dogs/{{proxy+}}")
    def dog(proxy: str):
        return {{"dog": proxy}}
"""


@pytest.fixture(scope="module")
def kennel(tmp_path_factory: pytest.TempPathFactory) -> RestApi:
    folder = tmp_path_factory.mktemp("kennel")
    return load_apis(write_app(folder, "synth_kennel", KENNEL))[0]


def deployed(cfn: dict[str, Any], stage: str) -> dict[str, Any]:
    """The transformed template as CloudFormation creates it with ``Stage=stage``:
    conditions evaluated, resources whose condition is false left out, ``Fn::If``,
    ``Fn::FindInMap`` and ``Ref: Stage`` resolved, ``AWS::NoValue`` removed (from lists
    too). The result has no Conditions and no Mappings left to read."""
    absent = object()
    truths: dict[str, bool] = {}

    def condition(name: str) -> bool:
        if name not in truths:
            truths[name] = truth(cfn["Conditions"][name])
        return truths[name]

    def truth(expression: dict[str, Any]) -> bool:
        ((function, arguments),) = expression.items()
        if function == "Fn::Equals":
            left, right = (resolve(argument) for argument in arguments)
            return bool(left == right)
        if function == "Fn::Or":
            return any(truth(argument) for argument in arguments)
        if function == "Condition":
            return condition(arguments)
        raise AssertionError(f"unexpected condition function {function}")

    def resolve(value: Any) -> Any:
        if isinstance(value, list):
            return [item for item in map(resolve, value) if item is not absent]
        if not isinstance(value, dict):
            return value
        if value == NO_VALUE:
            return absent
        if value == {"Ref": "Stage"}:
            return stage
        if set(value) == {"Fn::If"}:
            name, yes, no = value["Fn::If"]
            return resolve(yes if condition(name) else no)
        if set(value) == {"Fn::FindInMap"}:
            mapping, top, second = (resolve(part) for part in value["Fn::FindInMap"])
            return cfn["Mappings"][mapping][top][second]
        resolved = {key: resolve(item) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item is not absent}

    resources = {
        name: resolve({key: item for key, item in resource.items() if key != "Condition"})
        for name, resource in cfn["Resources"].items()
        if "Condition" not in resource or condition(resource["Condition"])
    }
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": cfn["Parameters"],
        "Resources": resources,
        "Outputs": resolve(cfn.get("Outputs", {})),
    }


def references(value: Any) -> set[str]:
    """Every logical id a value refers to: ``Ref``, ``Fn::GetAtt`` and ``${X}`` in Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= references(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref" and isinstance(item, str):
                found.add(item)
            elif key == "Fn::GetAtt":
                found.add(item[0] if isinstance(item, list) else item.split(".")[0])
            elif key == "Fn::Sub" and isinstance(item, str):
                parts = item.split("${")[1:]
                found |= {part.split("}")[0].split(".")[0] for part in parts}
            else:
                found |= references(item)
    return {name for name in found if not name.startswith("AWS::")}


def deploys(template: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Transform the template for each allowed value of Stage (samtranslator receives the
    parameter as CloudFormation passes it) and resolve it for that stage; each must refer
    only to what exists in that stage and lint clean. Returns the stacks by stage."""
    stacks: dict[str, Any] = {}
    for stage in template["Parameters"]["Stage"]["AllowedValues"]:
        cfn = sam_transform_with(template, {"Stage": stage}, monkeypatch)
        stack = deployed(cfn, stage)
        dangling = references(stack["Resources"]) - set(stack["Resources"]) - {"Stage"}
        assert dangling == set(), f"Stage={stage}: refers to {dangling}"
        assert lint(json.dumps(stack)) == [], f"Stage={stage}"
        stacks[stage] = stack
    return stacks


class _NoManagedPolicies:
    def load(self) -> dict[str, str]:
        return {}


def sam_transform_with(
    template: dict[str, Any], parameters: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """:func:`tests.test_synth.sam_transform` with the parameter values CloudFormation
    hands the transform on deploy."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    template = json.loads(json.dumps(template))
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://bucket/code.zip"
    result: dict[str, Any] = transform(template, parameters, _NoManagedPolicies())
    return result


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def stage_setting(path: str, method: str, rate: float, burst: int) -> dict[str, Any]:
    return {
        "ResourcePath": path,
        "HttpMethod": method,
        "ThrottlingBurstLimit": burst,
        "ThrottlingRateLimit": rate,
    }


# -- the metered example: OpenAPI ---------------------------------------------------------


def test_each_method_requiring_a_key_has_the_api_key_requirement_and_the_scheme(
    metered: Synthed,
) -> None:
    document = openapi_document(metered.api)

    security = {
        (method, path): operation.get("security")
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert security == {
        ("get", "/pets"): [{"api_key": []}],
        ("post", "/pets"): [{"api_key": []}],
        ("get", "/pets/{pet_id}"): [{"api_key": []}],
        ("get", "/health"): None,  # api_key_required=False
    }
    assert document["components"]["securitySchemes"] == {
        "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}
    }
    assert document["x-amazon-apigateway-api-key-source"] == "HEADER"


def test_the_declared_gateway_responses_are_written_with_quoted_static_headers(
    metered: Synthed,
) -> None:
    responses = openapi_document(metered.api)["x-amazon-apigateway-gateway-responses"]

    assert responses == {
        "THROTTLED": {
            "responseParameters": {"gatewayresponse.header.Retry-After": "'1'"},
            "responseTemplates": {
                "application/json": (
                    '{"message": $context.error.messageString, "hint": "slow down"}'
                )
            },
        },
        "QUOTA_EXCEEDED": {
            "responseParameters": {"gatewayresponse.header.Retry-After": "'86400'"},
            "responseTemplates": {
                "application/json": (
                    '{"message": $context.error.messageString, "hint": "upgrade to pro"}'
                )
            },
        },
        "INVALID_API_KEY": {
            "responseTemplates": {
                "application/json": (
                    '{"message": "send a valid x-api-key header", '
                    '"requestId": "$context.requestId"}'
                )
            }
        },
    }


def test_the_metered_document_is_valid_openapi_3(metered: Synthed) -> None:
    assert openapi_errors(openapi_document(metered.api)) == []


# -- the metered example: the template ----------------------------------------------------


def test_the_stage_throttles_per_stage_by_default_and_the_throttled_route_on_its_own(
    metered: Synthed,
) -> None:
    template = sam_template([metered.api], code_uri="src/")

    find = "Fn::FindInMap"
    assert template["Resources"]["MeteredApi"]["Properties"]["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingBurstLimit": {
                find: ["MeteredApiStageThrottling", {"Ref": "Stage"}, "BurstLimit"]
            },
            "ThrottlingRateLimit": {
                find: ["MeteredApiStageThrottling", {"Ref": "Stage"}, "RateLimit"]
            },
        },
        # '/' is escaped as '~1' (AWS::ApiGateway::Stage MethodSetting, ResourcePath).
        stage_setting("/~1pets~1{pet_id}", "GET", 100, 200),
    ]
    assert template["Mappings"] == {
        "MeteredApiStageThrottling": {
            "dev": {"BurstLimit": 100, "RateLimit": 50},
            "prod": {"BurstLimit": 1000, "RateLimit": 500},
        }
    }
    assert "Conditions" not in template  # both plans cover both stages


def test_each_usage_plan_its_keys_and_their_links_are_these_resources(metered: Synthed) -> None:
    resources = sam_template([metered.api], code_uri="src/")["Resources"]

    def plan_key(key_id: str, plan_id: str) -> dict[str, Any]:
        return {
            "Type": "AWS::ApiGateway::UsagePlanKey",
            "Properties": {
                "KeyId": {"Ref": key_id},
                "KeyType": "API_KEY",
                "UsagePlanId": {"Ref": plan_id},
            },
        }

    stage = {"ApiId": {"Ref": "MeteredApi"}, "Stage": {"Ref": "MeteredApi.Stage"}}
    assert of_type(resources, "AWS::ApiGateway::UsagePlan") == {
        "MeteredFreeUsagePlan": {
            "Type": "AWS::ApiGateway::UsagePlan",
            "Properties": {
                "UsagePlanName": {"Fn::Sub": "metered-${Stage}-free"},
                "ApiStages": [stage],
                "Description": "3 requests at once, 1 per second after that, 100 a day",
                "Throttle": {"BurstLimit": 3, "RateLimit": 1},
                "Quota": {"Limit": 100, "Period": "DAY", "Offset": 0},
            },
        },
        "MeteredProUsagePlan": {
            "Type": "AWS::ApiGateway::UsagePlan",
            "Properties": {
                "UsagePlanName": {"Fn::Sub": "metered-${Stage}-pro"},
                "ApiStages": [
                    {**stage, "Throttle": {"/pets/POST": {"BurstLimit": 5, "RateLimit": 5}}}
                ],
                "Throttle": {"BurstLimit": 40, "RateLimit": 20},
                "Quota": {"Limit": 100_000, "Period": "MONTH", "Offset": 0},
            },
        },
    }
    assert of_type(resources, "AWS::ApiGateway::ApiKey") == {
        "MeteredFreeDemoApiKey": {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {
                "Name": {"Fn::Sub": "metered-${Stage}-free-demo"},
                "Enabled": True,
                "Value": "free-key-0000000000000000",
            },
        },
        "MeteredProDemoApiKey": {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {
                "Name": {"Fn::Sub": "metered-${Stage}-pro-demo"},
                "Enabled": True,
                "Value": "pro-key-00000000000000000",
            },
        },
        # No Value: API Gateway generates the deployed key.
        "MeteredProGeneratedApiKey": {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {"Name": {"Fn::Sub": "metered-${Stage}-pro-generated"}, "Enabled": True},
        },
        "MeteredProRevokedApiKey": {
            "Type": "AWS::ApiGateway::ApiKey",
            "Properties": {
                "Name": {"Fn::Sub": "metered-${Stage}-pro-revoked"},
                "Enabled": False,
                "Value": "revoked-key-000000000000",
            },
        },
    }
    assert of_type(resources, "AWS::ApiGateway::UsagePlanKey") == {
        "MeteredFreeDemoUsagePlanKey": plan_key("MeteredFreeDemoApiKey", "MeteredFreeUsagePlan"),
        "MeteredProDemoUsagePlanKey": plan_key("MeteredProDemoApiKey", "MeteredProUsagePlan"),
        "MeteredProGeneratedUsagePlanKey": plan_key(
            "MeteredProGeneratedApiKey", "MeteredProUsagePlan"
        ),
        "MeteredProRevokedUsagePlanKey": plan_key("MeteredProRevokedApiKey", "MeteredProUsagePlan"),
    }


def test_the_metered_template_transforms_lints_clean_and_plans_wait_for_the_stage(
    metered: Synthed, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfn = sam_transform(sam_template([metered.api], code_uri="src/"), monkeypatch)

    resources = cfn["Resources"]
    assert cfn["Resources"]["MeteredApi"]["Properties"]["Body"] == openapi_document(metered.api)
    # SAM resolves MeteredApi.Stage to the stage it generates: the plans reference (and so
    # wait for) the stage that exists.
    stages = of_type(resources, "AWS::ApiGateway::Stage")
    assert list(stages) == ["MeteredApiStage"]
    for plan in of_type(resources, "AWS::ApiGateway::UsagePlan").values():
        assert plan["Properties"]["ApiStages"][0]["Stage"] == {"Ref": "MeteredApiStage"}
    assert (
        stages["MeteredApiStage"]["Properties"]["MethodSettings"]
        == (sam_template([metered.api])["Resources"]["MeteredApi"]["Properties"]["MethodSettings"])
    )
    assert lint((metered.out / "template.yaml").read_text()) == []


def test_the_metered_template_deploys_each_stage_with_that_stages_throttling(
    metered: Synthed, monkeypatch: pytest.MonkeyPatch
) -> None:
    stacks = deploys(sam_template([metered.api], code_uri="src/"), monkeypatch)

    settings = {
        stage: of_type(stack["Resources"], "AWS::ApiGateway::Stage")["MeteredApiStage"][
            "Properties"
        ]["MethodSettings"]
        for stage, stack in stacks.items()
    }
    route = stage_setting("/~1pets~1{pet_id}", "GET", 100, 200)
    assert settings == {
        "dev": [stage_setting("/*", "*", 50, 100), route],
        "prod": [stage_setting("/*", "*", 500, 1000), route],
    }
    for stack in stacks.values():
        assert len(of_type(stack["Resources"], "AWS::ApiGateway::UsagePlan")) == 2
        assert len(of_type(stack["Resources"], "AWS::ApiGateway::ApiKey")) == 4


def test_a_generated_key_value_is_written_nowhere_while_an_explicit_one_is_in_its_key(
    metered: Synthed,
) -> None:
    generated = metered.api.usage_plans[1].key("pro-generated")
    assert generated.generated
    files = tree(metered.out)

    for name, data in files.items():
        assert generated.value.encode() not in data, f"the generated key is in {name}"
    template = render_template([metered.api])
    assert "Value: pro-key-00000000000000000\n" in template
    assert files["template.yaml"].decode() == template


# -- a smaller API: CORS, an authorizer and a key, ANY, odd stage names ----------------------


def test_a_key_next_to_an_authorizer_is_a_requirement_of_its_own(kennel: RestApi) -> None:
    document = openapi_document(kennel)

    security = {
        (method, path): operation.get("security")
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    assert security == {
        ("get", "/"): [{"api_key": []}],
        ("x-amazon-apigateway-any-method", "/dogs/{proxy+}"): [{"gate": []}, {"api_key": []}],
        ("get", "/dogs/{proxy+}"): None,
        ("options", "/"): None,  # preflights never need a key: browsers send none
        ("options", "/dogs/{proxy+}"): None,
    }
    assert set(document["components"]["securitySchemes"]) == {"gate", "api_key"}
    assert document["x-amazon-apigateway-api-key-source"] == "AUTHORIZER"
    assert openapi_errors(document) == []


def test_customised_responses_keep_the_cors_header_of_their_default(kennel: RestApi) -> None:
    responses = openapi_document(kennel)["x-amazon-apigateway-gateway-responses"]

    origin = {"gatewayresponse.header.Access-Control-Allow-Origin": "'https://kennel.example'"}
    assert responses == {
        "DEFAULT_4XX": {"responseParameters": origin},
        "DEFAULT_5XX": {"responseParameters": origin},
        "THROTTLED": {
            "responseParameters": {
                **origin,
                "gatewayresponse.header.Retry-After": "'2'",
                # A mapping expression stays as it is.
                "gatewayresponse.header.X-Request-Id": "context.requestId",
            }
        },
        "INTEGRATION_TIMEOUT": {
            "statusCode": "503",
            "responseParameters": origin,
            "responseTemplates": {"application/json": '{"retry": true}'},
        },
    }


def test_any_is_throttled_as_each_method_it_serves_and_stage_defaults_pick_their_stage(
    kennel: RestApi,
) -> None:
    template = sam_template([kennel])

    mapped = {
        "ResourcePath": "/*",
        "HttpMethod": "*",
        "ThrottlingBurstLimit": {
            "Fn::FindInMap": ["KennelApiStageThrottling", {"Ref": "Stage"}, "BurstLimit"]
        },
        "ThrottlingRateLimit": {
            "Fn::FindInMap": ["KennelApiStageThrottling", {"Ref": "Stage"}, "RateLimit"]
        },
    }
    dogs = "/~1dogs~1{proxy+}"
    assert template["Resources"]["KennelApi"]["Properties"]["MethodSettings"] == [
        {
            "Fn::If": [
                "IsStageDev",
                NO_VALUE,  # dev declares no throttle: the entry goes
                {
                    "Fn::If": [
                        "IsStageLoadTest",  # not a mapping key
                        stage_setting("/*", "*", 1000, 2000),
                        mapped,
                    ]
                },
            ]
        },
        stage_setting("/", "GET", 1, 1),
        # GET has its own method; OPTIONS is the CORS preflight.
        *(stage_setting(dogs, m, 2, 4) for m in ("DELETE", "HEAD", "PATCH", "POST", "PUT")),
    ]
    assert template["Mappings"]["KennelApiStageThrottling"] == {
        "dev": {"BurstLimit": "-", "RateLimit": "-"},
        "prod": {"BurstLimit": 20, "RateLimit": 10.5},
    }


def test_a_plan_for_one_stage_exists_only_in_that_stages_stack(
    kennel: RestApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = sam_template([kennel], code_uri="src/")
    resources = template["Resources"]

    assert resources["KennelPartnersUsagePlan"] == {
        "Type": "AWS::ApiGateway::UsagePlan",
        "Condition": "IsStageProd",
        "Properties": {
            "UsagePlanName": {"Fn::Sub": "kennel-${Stage}-partners"},
            "ApiStages": [
                {
                    "ApiId": {"Ref": "KennelApi"},
                    "Stage": {"Ref": "KennelApi.Stage"},
                    # ANY stands for the methods not declared on their own.
                    "Throttle": {
                        "/dogs/{proxy+}/GET": {"BurstLimit": 1, "RateLimit": 1},
                        **{
                            f"/dogs/{{proxy+}}/{method}": {"BurstLimit": 3, "RateLimit": 3}
                            for method in ("DELETE", "HEAD", "PATCH", "POST", "PUT")
                        },
                    },
                }
            ],
        },
    }
    assert resources["KennelAcmeApiKey"] == {
        "Type": "AWS::ApiGateway::ApiKey",
        "Condition": "IsStageProd",
        "Properties": {
            "Name": {"Fn::Sub": "kennel-${Stage}-acme"},
            "Enabled": True,
            "Value": ACME_KEY,
        },
    }
    assert resources["KennelAcmeUsagePlanKey"]["Condition"] == "IsStageProd"
    assert template["Conditions"] == {
        "IsStageDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
        "IsStageLoadTest": {"Fn::Equals": [{"Ref": "Stage"}, "load_test"]},
        "IsStageProd": {"Fn::Equals": [{"Ref": "Stage"}, "prod"]},
    }
    assert lint(render_template([kennel])) == []

    stacks = deploys(template, monkeypatch)

    plans = {
        s: of_type(stack["Resources"], "AWS::ApiGateway::UsagePlan") for s, stack in stacks.items()
    }
    assert {s: list(found) for s, found in plans.items()} == {
        "dev": [],
        "load_test": [],
        "prod": ["KennelPartnersUsagePlan"],
    }
    defaults = {
        s: of_type(stack["Resources"], "AWS::ApiGateway::Stage")["KennelApiStage"]["Properties"][
            "MethodSettings"
        ][0]
        for s, stack in stacks.items()
    }
    assert defaults == {
        "dev": stage_setting("/", "GET", 1, 1),  # no stage default: the route's comes first
        "load_test": stage_setting("/*", "*", 1000, 2000),
        "prod": stage_setting("/*", "*", 10.5, 20),
    }


def test_a_plan_for_some_of_several_stages_is_conditioned_on_any_of_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = RestApi("zoo", api_key_required=True)
    for stage in ("dev", "qa", "prod"):
        api.stage(stage)
    api.usage_plan("testers", stages=["dev", "qa"]).add_key("tester")
    api.add_route("/animals", lambda: [], methods=["GET"])

    template = sam_template([api])

    assert template["Resources"]["ZooTestersUsagePlan"]["Condition"] == "IsStageDevOrQa"
    assert template["Conditions"]["IsStageDevOrQa"] == {
        "Fn::Or": [{"Condition": "IsStageDev"}, {"Condition": "IsStageQa"}]
    }
    assert "MethodSettings" not in template["Resources"]["ZooApi"]["Properties"]
    stacks = deploys(template, monkeypatch)
    keys = {
        s: list(of_type(st["Resources"], "AWS::ApiGateway::ApiKey")) for s, st in stacks.items()
    }
    assert keys == {"dev": ["ZooTesterApiKey"], "qa": ["ZooTesterApiKey"], "prod": []}


# -- declarations synth refuses or renames --------------------------------------------------


def test_a_static_header_value_with_a_single_quote_is_refused_naming_it() -> None:
    api = RestApi("quotes")
    with pytest.raises(InvalidOptionError, match="'UNAUTHORIZED': header WWW-Authenticate"):
        api.gateway_response("UNAUTHORIZED", headers={"WWW-Authenticate": "Bearer realm='pets'"})


def test_an_authorizer_named_api_key_leaves_the_name_to_api_keys() -> None:
    api = RestApi("clash")

    @api.authorizer(type="TOKEN")
    def api_key(request: Any) -> dict[str, Any]:
        return {}

    api.add_route("/", lambda: {}, methods=["GET"], authorizer="api_key", api_key_required=True)

    document = openapi_document(api)

    assert document["paths"]["/"]["get"]["security"] == [{"api_key2": []}, {"api_key": []}]
    assert document["components"]["securitySchemes"]["api_key"] == {
        "type": "apiKey",
        "name": "x-api-key",
        "in": "header",
    }
    assert "x-amazon-apigateway-authorizer" in document["components"]["securitySchemes"]["api_key2"]


def test_an_api_without_keys_or_throttling_gets_none_of_it() -> None:
    api = RestApi("plain")
    api.add_route("/", lambda: {}, methods=["GET"])

    document = openapi_document(api)
    template = sam_template([api])

    assert "x-amazon-apigateway-api-key-source" not in document
    assert "components" not in document
    assert "x-amazon-apigateway-gateway-responses" not in document
    assert "MethodSettings" not in template["Resources"]["PlainApi"]["Properties"]
    assert set(template["Resources"]) == {"PlainApi", "PlainFunction", "PlainFunctionPermission"}
