"""Non-proxy integrations through the local gateway, against a real HTTP backend.

The backend (tests/apps/http_backend.py) runs under uvicorn on 127.0.0.1; the API
(tests/apps/integrations_app.py) reaches it through the ``backend`` stage variable.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from framework import RestApi, integrations
from framework.events.rest import api_id
from framework.integrations import IntegrationResponse
from framework.testing import Client
from tests.conftest import ROOT, Server, free_port, load_app

apps = load_app("integrations_app")
backend_app = load_app("http_backend")


@pytest.fixture(scope="module")
def backend() -> Iterator[str]:
    """The HTTP backend served by uvicorn on 127.0.0.1: its ``host:port``."""
    port = free_port()
    config = uvicorn.Config(
        backend_app.app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ws="none",
        http="h11",
        loop="asyncio",
        server_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True, name="backend")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the HTTP backend did not start")
        time.sleep(0.02)
    yield f"127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def client(backend: str) -> Iterator[Client]:
    api = apps.build(backend, down=f"127.0.0.1:{free_port()}")
    with Client(api, stage="dev") as client:
        yield client


def gateway_headers(response: httpx.Response) -> None:
    assert response.headers["x-amzn-requestid"]
    assert response.headers["x-amz-apigw-id"]


# -- HTTP_PROXY ------------------------------------------------------------------------------


def test_http_proxy_forwards_method_path_query_headers_and_body_and_returns_the_status(
    client: Client, backend: str
) -> None:
    response = client.post(
        "/proxy/a/b%20c?x=1&x=2&y=%20z",
        content=b"hello",
        headers={"X-Custom": "yes", "X-Want-Status": "201", "Content-Type": "text/plain"},
    )
    assert response.status_code == 201
    assert response.json() == {
        "method": "POST",
        "path": "/echo/a/b c",
        "query": "x=1&x=2&y=%20z",
        "headers": {
            "accept": "*/*",
            "content-type": "text/plain",
            "host": backend,
            "user-agent": f"python-httpx/{httpx.__version__}",
            "x-amzn-apigateway-api-id": api_id("integrations"),
            "x-custom": "yes",
            "x-forwarded-for": "127.0.0.1",
        },
        "trace": True,
        "body": "hello",
    }


def test_http_proxy_returns_the_backend_headers_remapping_the_ones_api_gateway_owns(
    client: Client,
) -> None:
    response = client.get("/proxy/anything")
    headers = response.headers
    assert headers["x-backend"] == "echo"
    assert headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert headers["x-amzn-remapped-server"] == "backend/1.0"
    assert headers["x-amzn-remapped-content-length"] == str(len(response.content))
    assert "server" not in headers
    gateway_headers(response)


def test_http_proxy_passes_binary_bodies_both_ways_untouched(client: Client) -> None:
    image = client.get("/files/logo.png")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == backend_app.PNG
    blob = bytes(range(256))
    echoed = client.post(
        "/files/blob", content=blob, headers={"Content-Type": "application/octet-stream"}
    )
    assert echoed.content == blob


def test_http_proxy_takes_the_backend_from_the_stage_variable_of_the_stage_called(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    # The "down" stage's backend is a port nobody listens on.
    response = client.get("http://127.0.0.1:3000/down/proxy/anything")
    assert response.status_code == 504
    assert response.content == b'{"message": "Network error communicating with endpoint"}'
    assert response.headers["x-amzn-errortype"] == "InternalServerErrorException"
    assert "network error communicating with endpoint" in capsys.readouterr().err


def test_http_proxy_past_the_integration_timeout_is_504(client: Client) -> None:
    response = client.get("/slow")
    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}


def test_an_endpoint_whose_host_does_not_resolve_is_a_500(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/nowhere")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}
    assert "Invalid endpoint address" in capsys.readouterr().err


# -- HTTP (custom) ---------------------------------------------------------------------------


def test_http_maps_the_request_with_a_template_and_parameters_and_the_response_back(
    client: Client,
) -> None:
    response = client.post(
        "/legacy/pets/7", json={"name": "Rex", "age": 3}, headers={"X-User": "ann"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "pet": "Rex",
        "age": 3,
        "id": "7",
        "caller": "ann",
        "query": "verbose=yes",
        "agent": f"AmazonAPIGateway_{api_id('integrations')}",
    }
    assert response.headers["x-freshness"] == "fresh"
    assert response.headers["x-static"] == "fixed"
    assert response.headers["content-type"] == "application/json"
    assert "x-amzn-trace-id" not in response.headers


@pytest.mark.parametrize(
    ("pet", "status", "body"),
    [
        ("missing", 404, {"message": "no such pet"}),
        ("broken", 502, {"message": "database down"}),
    ],
)
def test_http_picks_the_integration_response_by_the_backend_status(
    client: Client, pet: str, status: int, body: dict[str, Any]
) -> None:
    response = client.post(f"/legacy/pets/{pet}", json={"name": "Rex", "age": 3})
    assert response.status_code == status
    assert response.json() == body


# -- MOCK ------------------------------------------------------------------------------------


def test_mock_answers_with_the_response_its_request_template_selects(client: Client) -> None:
    ok = client.get("/status")
    assert (ok.status_code, ok.json()) == (200, {"ok": True, "stage": "dev"})
    assert ok.headers["x-mock"] == "yes"
    assert ok.headers["x-stage"] == "dev"
    failing = client.get("/status?fail=yes")
    assert (failing.status_code, failing.json()) == (503, {"ok": False})
    assert "x-mock" not in failing.headers


def test_mock_whose_template_gives_no_status_code_is_a_500(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/mock/no-status")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}
    assert "Unable to parse statusCode" in capsys.readouterr().err


def test_a_template_that_does_not_parse_is_a_500_and_the_console_shows_where(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.get("/mock/broken-template")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}
    console = capsys.readouterr().err
    assert "Unable to transform request template: line 1" in console
    assert '>   1 | #if($input.params("x") == "y"){"statusCode": 200}' in console


# -- Lambda custom ---------------------------------------------------------------------------


def test_lambda_custom_invokes_with_the_mapped_event_and_maps_the_result(client: Client) -> None:
    response = client.post("/orders", json={"name": "tea", "qty": 2})
    assert response.status_code == 200
    assert response.json() == {"orderId": "o-1", "total": 6, "item": "tea"}
    assert response.headers["x-amzn-trace-id"].startswith("Root=1-")


def test_lambda_custom_error_matching_a_selection_pattern_gets_that_response(
    client: Client,
) -> None:
    response = client.post("/orders", json={"name": "tea", "qty": 0})
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid quantity: 0", "type": "ValueError"}


def test_lambda_custom_error_matching_no_pattern_is_a_200_with_the_error(client: Client) -> None:
    response = client.post("/orders/raw", json={"name": "boom", "qty": 1})
    assert response.status_code == 200
    body = response.json()
    assert {**body, "stackTrace": []} == {
        "errorMessage": "kaboom",
        "errorType": "RuntimeError",
        "stackTrace": [],
    }
    assert 'raise RuntimeError("kaboom")' in body["stackTrace"][-1]


def test_lambda_custom_result_without_a_template_is_the_result_json(client: Client) -> None:
    response = client.post("/orders/raw", json={"name": "tea", "qty": 1})
    assert response.json() == {
        "id": "o-1",
        "total": 3,
        "event": {"item": "tea", "quantity": 1, "stage": "dev", "color": "blue"},
    }


def test_lambda_custom_past_the_integration_timeout_is_504(client: Client) -> None:
    response = client.post("/orders/slow", json={})
    assert response.status_code == 504
    assert response.json() == {"message": "Endpoint request timed out"}


def test_passthrough_never_refuses_a_content_type_without_a_template(client: Client) -> None:
    response = client.post(
        "/orders/strict", content=b"qty=1", headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {"message": "Unsupported Media Type"}
    assert response.headers["x-amzn-errortype"] == "UnsupportedMediaTypeException"
    # No Content-Type: API Gateway takes it as application/json, which has a template.
    plain = client.post("/orders/strict", content=json.dumps({"name": "tea", "qty": 1}))
    assert plain.status_code == 200


def test_a_response_template_that_fails_is_a_500(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.post("/orders/broken-response", json={"name": "tea", "qty": 1})
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}
    assert "Unable to transform response template for application/json" in capsys.readouterr().err


# -- AWS service -----------------------------------------------------------------------------


def test_an_aws_integration_calls_its_python_stand_in_with_the_rendered_body(
    client: Client,
) -> None:
    rendered = '{"QueueUrl": "orders", "MessageBody": {"id":1}}'
    response = client.post("/queue", json={"id": 1})
    assert response.status_code == 200
    assert response.json() == {"queued": apps.send_message(rendered)["MessageId"]}


def test_a_stand_in_that_raises_is_the_service_500_seen_by_the_selection_patterns(
    client: Client,
) -> None:
    response = client.post("/queue", json={"poison": True})
    assert response.status_code == 502
    assert response.json() == {"error": "queue is full"}


def test_an_aws_integration_without_a_local_stand_in_is_a_500_that_says_why(
    client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    response = client.post("/unplugged", json={})
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error"}
    assert "sns Publish: this AWS integration has no local stand-in" in capsys.readouterr().err


def test_the_gateway_says_at_start_up_where_each_aws_integration_goes(
    backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Client(apps.build(backend)):
        pass
    assert capsys.readouterr().out.splitlines() == [
        "integrations: AWS service integrations run locally, never against AWS:",
        "  POST /queue -> sqs SendMessage: Python stand-in integrations_app.send_message",
        "  POST /unplugged -> sns Publish: no local stand-in or endpoint: answers 500",
    ]


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[str]:
    """A moto server on 127.0.0.1 standing in for DynamoDB: its URL."""
    if importlib.util.find_spec("moto") is None:
        pytest.skip("moto is not installed (pip install -e '.[test]')")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        Server.wait_for(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_an_aws_integration_with_a_local_endpoint_puts_an_item_into_dynamodb(
    dynamodb: str,
) -> None:
    import boto3

    table = boto3.client(
        "dynamodb",
        endpoint_url=dynamodb,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    table.create_table(
        TableName="pets",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    api = RestApi("dynamo")
    api.add_integration(
        "/pets/{table}",
        integrations.aws(
            "dynamodb",
            action="PutItem",
            request_templates={
                "application/json": """{"TableName": "$input.params('table')", "Item": {
                    "id": {"S": "$input.path('$.id')"}, "name": {"S": "$input.path('$.name')"}}}"""
            },
            responses=[
                IntegrationResponse(200, templates={"application/json": '{"saved": true}'}),
                IntegrationResponse(
                    400,
                    selection_pattern="4\\d\\d",
                    templates={"application/json": '{"error": "$input.path(\'$.__type\')"}'},
                ),
            ],
            local=dynamodb,
        ),
        methods=["POST"],
    )
    with Client(api) as client:
        saved = client.post("/pets/pets", json={"id": "p1", "name": "Rex"})
        unknown_table = client.post("/pets/nope", json={"id": "p2", "name": "Tom"})
    assert (saved.status_code, saved.json()) == (200, {"saved": True})
    assert table.get_item(TableName="pets", Key={"id": {"S": "p1"}})["Item"] == {
        "id": {"S": "p1"},
        "name": {"S": "Rex"},
    }
    assert (unknown_table.status_code, unknown_table.json()) == (
        400,
        {"error": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"},
    )


# -- Passthrough, overrides and payload encodings -----------------------------------------


def echo_service(body: str) -> str:
    """An AWS stand-in that answers with what it was sent."""
    return body


@pytest.fixture(scope="module")
def encodings() -> Iterator[Client]:
    api = RestApi("encodings", binary_media_types=["image/png"])
    api.add_integration(
        "/picky",
        integrations.aws(
            "sqs",
            action="SendMessage",
            request_templates={"application/json": '{"json": $input.json("$")}'},
            passthrough="WHEN_NO_TEMPLATES",
            local=echo_service,
        ),
        methods=["POST"],
    )
    api.add_integration(
        "/relaxed",
        integrations.aws(
            "sqs", action="SendMessage", passthrough="WHEN_NO_TEMPLATES", local=echo_service
        ),
        methods=["POST"],
    )
    api.add_integration(
        "/images",
        integrations.aws(
            "s3",
            path="bucket/image",
            request_templates={"image/png": '{"base64": "$input.body"}'},
            local=echo_service,
        ),
        methods=["PUT"],
    )
    api.add_integration(
        "/images/raw",
        integrations.aws(
            "s3",
            path="bucket/raw",
            request_templates={"application/json": '$input.path("$.data")'},
            responses=[
                IntegrationResponse(
                    200,
                    content_handling="CONVERT_TO_BINARY",
                    headers={"Content-Type": "'image/png'"},
                )
            ],
            local=echo_service,
        ),
        methods=["POST"],
    )
    api.add_integration(
        "/teapot",
        integrations.mock(
            template=(
                "#set($context.responseOverride.status = 418)"
                '#set($context.responseOverride.header.X-Kind = "teapot")'
                '{"short": true, "requestId": "$context.requestId"}'
            )
        ),
        methods=["GET"],
    )
    with Client(api) as client:
        yield client


def test_when_no_templates_refuses_an_unmatched_type_only_when_templates_exist(
    encodings: Client,
) -> None:
    refused = encodings.post("/picky", content=b"a=1", headers={"Content-Type": "text/plain"})
    assert (refused.status_code, refused.json()) == (415, {"message": "Unsupported Media Type"})
    templated = encodings.post("/picky", json={"a": 1})
    assert templated.json() == {"json": {"a": 1}}
    passed = encodings.post("/relaxed", content=b"a=1", headers={"Content-Type": "text/plain"})
    assert (passed.status_code, passed.content) == (200, b"a=1")


def test_a_binary_request_body_reaches_the_template_base64_encoded(encodings: Client) -> None:
    png = backend_app.PNG
    response = encodings.put("/images", content=png, headers={"Content-Type": "image/png"})
    assert response.json() == {"base64": base64.b64encode(png).decode()}


def test_convert_to_binary_decodes_a_base64_integration_response(encodings: Client) -> None:
    data = base64.b64encode(backend_app.PNG).decode()
    response = encodings.post("/images/raw", json={"data": data})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content == backend_app.PNG


def test_a_response_template_may_override_the_status_and_headers(encodings: Client) -> None:
    response = encodings.get("/teapot")
    assert response.status_code == 418
    assert response.headers["x-kind"] == "teapot"
    assert response.json() == {"short": True, "requestId": response.headers["x-amzn-requestid"]}


# -- The example -----------------------------------------------------------------------------

EXAMPLE = ROOT / "examples" / "integrations"


def test_the_integrations_example_serves_against_its_own_backend() -> None:
    port = free_port()
    inventory = subprocess.Popen(
        [sys.executable, str(EXAMPLE / "backend.py"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        Server.wait_for(inventory, port)
        server = Server(
            str(EXAMPLE / "app.py"), "--quiet", env={"INVENTORY_HOST": f"127.0.0.1:{port}"}
        )
        try:
            with httpx.Client(base_url=server.base, timeout=10) as http:
                invalid = http.post("/dev/orders", json={"sku": "TEA-1", "quantity": 0})
                created = http.post("/dev/orders", json={"sku": "TEA-1", "quantity": 2})
                unknown = http.post("/dev/orders", json={"sku": "NOPE-1", "quantity": 1})
                stock = http.get("/dev/inventory/MUG-7")
                missing = http.get("/dev/inventory/NOPE")
                health = http.get("/dev/health")
        finally:
            server.stop()
    finally:
        inventory.terminate()
        inventory.wait(timeout=10)
    assert (invalid.status_code, invalid.json()) == (400, {"message": "Invalid request body"})
    assert created.status_code == 201
    assert {**created.json(), "order": "-"} == {"order": "-", "total": 7.0, "item": "TEA-1"}
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Not found: NOPE-1"})
    assert (stock.status_code, stock.json()) == (
        200,
        {"sku": "MUG-7", "stock": 3, "via": "python-httpx/" + httpx.__version__},
    )
    assert stock.headers["x-inventory"] == "local"
    assert (missing.status_code, missing.json()) == (404, {"message": "no item NOPE"})
    assert (health.status_code, health.json()) == (200, {"status": "ok", "stage": "dev"})


def test_integration_declarations_api_gateway_would_refuse_fail_at_import() -> None:
    from framework import InvalidOptionError, integrations
    from framework.integrations import IntegrationResponse

    with pytest.raises(InvalidOptionError, match=r"write the greedy path parameter as \{proxy\}"):
        integrations.http("http://backend.example/{proxy+}")
    with pytest.raises(InvalidOptionError, match="mock: selection pattern .* is used twice"):
        integrations.mock(
            responses=[
                IntegrationResponse(200),
                IntegrationResponse(400, selection_pattern=r"4\d\d"),
                IntegrationResponse(404, selection_pattern=r"4\d\d"),
            ]
        )


# The developer guide's SOAP case: a JSON client in front of an XML backend. The request
# template writes the SOAP envelope, a header mapping sets the backend's content type, the
# response template turns the backend's answer back into JSON.
SOAP_REQUEST = """#set($order = $input.path('$'))
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body>
    <PlaceOrder>
      <Customer>$util.escapeJavaScript($order.customer)</Customer>
#foreach($item in $order.items)
      <Item sku="$item.sku" quantity="$item.quantity"/>
#end
    </PlaceOrder>
  </soap:Body>
</soap:Envelope>"""
SOAP_RESPONSE = (
    "#set($echo = $util.parseJson($input.body))\n"
    '{"backendContentType": "$echo.headers.get(\'content-type\')", '
    '"envelope": "$util.escapeJavaScript($echo.body)"}'
)


def test_a_json_request_becomes_a_soap_envelope_for_an_xml_backend(backend: str) -> None:
    api = RestApi("soap")
    api.stage("dev", variables={"backend": backend})
    api.add_integration(
        "/orders",
        integrations.http(
            "http://${stageVariables.backend}/echo/soap",
            proxy=False,
            http_method="POST",
            request_parameters={"integration.request.header.Content-Type": "'text/xml'"},
            request_templates={"application/json": SOAP_REQUEST},
            responses=[IntegrationResponse(200, templates={"application/json": SOAP_RESPONSE})],
        ),
        methods=["POST"],
    )
    order = {
        "customer": "Ada",
        "items": [{"sku": "TEA-1", "quantity": 2}, {"sku": "MUG", "quantity": 1}],
    }
    with Client(api, stage="dev") as client:
        response = client.post("/orders", json=order)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["backendContentType"] == "text/xml"
    # Velocity's blank lines around directives differ between engines: compare the XML lines.
    envelope = [line for line in answer["envelope"].splitlines() if line.strip()]
    assert envelope == [
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
        "  <soap:Body>",
        "    <PlaceOrder>",
        "      <Customer>Ada</Customer>",
        '      <Item sku="TEA-1" quantity="2"/>',
        '      <Item sku="MUG" quantity="1"/>',
        "    </PlaceOrder>",
        "  </soap:Body>",
        "</soap:Envelope>",
    ]
