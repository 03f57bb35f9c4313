"""The REST proxy event the gateway builds, checked against API Gateway's observed shape
and against aws-lambda-powertools' model of it."""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import httpx
import pytest
from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel

from framework.testing import Client
from tests.conftest import load_app

TOP_LEVEL_KEYS = {
    "body",
    "headers",
    "httpMethod",
    "isBase64Encoded",
    "multiValueHeaders",
    "multiValueQueryStringParameters",
    "path",
    "pathParameters",
    "queryStringParameters",
    "requestContext",
    "resource",
    "stageVariables",
}
REQUEST_CONTEXT_KEYS = {
    "accountId",
    "apiId",
    "deploymentId",
    "domainName",
    "domainPrefix",
    "extendedRequestId",
    "httpMethod",
    "identity",
    "path",
    "protocol",
    "requestId",
    "requestTime",
    "requestTimeEpoch",
    "resourceId",
    "resourcePath",
    "stage",
}
IDENTITY_KEYS = {
    "accessKey",
    "accountId",
    "caller",
    "cognitoAuthenticationProvider",
    "cognitoAuthenticationType",
    "cognitoIdentityId",
    "cognitoIdentityPoolId",
    "principalOrgId",
    "sourceIp",
    "user",
    "userAgent",
    "userArn",
}


@pytest.fixture(scope="module")
def client() -> Any:
    with Client(load_app("behaviours").api, stage="dev") as client:
        yield client


def event_of(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    APIGatewayProxyEventModel.model_validate(event)  # powertools, lax mode
    assert set(event) == TOP_LEVEL_KEYS
    assert set(event["requestContext"]) == REQUEST_CONTEXT_KEYS
    assert set(event["requestContext"]["identity"]) == IDENTITY_KEYS
    return event


def test_a_get_event_has_api_gateways_keys_and_nulls(client: Client) -> None:
    event = event_of(client.get("/echo", headers={"User-Agent": "pytest"}))
    assert event["resource"] == "/echo"
    assert event["path"] == "/echo"
    assert event["httpMethod"] == "GET"
    assert event["body"] is None
    assert event["isBase64Encoded"] is False
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["stageVariables"] == {"color": "blue"}
    context = event["requestContext"]
    assert context["path"] == "/dev/echo"
    assert context["stage"] == "dev"
    assert context["resourcePath"] == "/echo"
    assert context["httpMethod"] == "GET"
    assert context["protocol"] == "HTTP/1.1"
    assert context["accountId"] == "123456789012"
    assert re.fullmatch(r"[a-z0-9]{10}", context["apiId"])
    assert context["domainPrefix"] == context["apiId"]
    identity = context["identity"]
    assert identity["sourceIp"] == "127.0.0.1"
    assert identity["userAgent"] == "pytest"
    assert [k for k, v in identity.items() if v is not None] == ["sourceIp", "userAgent"]


def test_each_request_gets_a_fresh_request_id_and_the_real_time(client: Client) -> None:
    before = int(time.time() * 1000)
    first = event_of(client.get("/echo"))["requestContext"]
    second = event_of(client.get("/echo"))["requestContext"]
    after = int(time.time() * 1000)
    assert first["requestId"] != second["requestId"]
    assert re.fullmatch(r"[0-9a-f-]{36}", first["requestId"])
    assert before <= first["requestTimeEpoch"] <= second["requestTimeEpoch"] <= after
    assert isinstance(first["requestTimeEpoch"], int)
    assert first["requestTime"] == time.strftime(
        "%d/%b/%Y:%H:%M:%S +0000", time.gmtime(first["requestTimeEpoch"] / 1000)
    )


def test_stage_variables_follow_the_stage_in_the_url() -> None:
    api = load_app("behaviours").api
    with Client(api, stage="prod") as prod:
        event = event_of(prod.get("/echo"))
    assert event["stageVariables"] == {"color": "red"}
    assert event["requestContext"]["path"] == "/prod/echo"
    with Client(api) as bare:  # the bare URL serves the first stage
        event = event_of(bare.get("/echo"))
    assert event["requestContext"]["stage"] == "dev"
    # requestContext.path is the path the client asked for, as through a custom domain.
    assert event["requestContext"]["path"] == "/echo"


def test_repeated_query_keys_and_headers_keep_every_value(client: Client) -> None:
    response = client.get(
        "/echo?category=electronics&category=books&plus=test+alias&email=test%2Balias@x.io&empty=",
        headers=[("X-Probe", "first"), ("X-Probe", "second")],
    )
    event = event_of(response)
    assert event["queryStringParameters"] == {
        "category": "books",
        "plus": "test alias",
        "email": "test+alias@x.io",
        "empty": "",
    }
    assert event["multiValueQueryStringParameters"] == {
        "category": ["electronics", "books"],
        "plus": ["test alias"],
        "email": ["test+alias@x.io"],
        "empty": [""],
    }
    assert event["headers"]["X-Probe"] == "second"
    assert event["multiValueHeaders"]["X-Probe"] == ["first", "second"]


def test_gateway_headers_are_added_and_hop_by_hop_headers_dropped(client: Client) -> None:
    event = event_of(client.get("/echo", headers={"authorization": "token", "TE": "trailers"}))
    headers = event["headers"]
    assert headers["Authorization"] == "token"
    assert "Te" not in headers and "TE" not in headers
    assert "Content-Length" not in headers
    assert headers["X-Forwarded-For"] == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "http"
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24}", headers["X-Amzn-Trace-Id"])
    assert headers["Host"] == "127.0.0.1:3000"
    assert event["multiValueHeaders"]["Host"] == ["127.0.0.1:3000"]


def test_the_path_is_not_decoded_and_the_greedy_parameter_is_named_proxy(client: Client) -> None:
    event = event_of(client.get("/echo/user/test%2Balias@x.io/space%20value/"))
    assert event["resource"] == "/echo/{proxy+}"
    assert event["path"] == "/echo/user/test%2Balias@x.io/space%20value/"
    assert event["pathParameters"] == {"proxy": "user/test%2Balias@x.io/space%20value"}
    assert event["requestContext"]["path"] == "/dev/echo/user/test%2Balias@x.io/space%20value/"
    assert event["requestContext"]["resourcePath"] == "/echo/{proxy+}"


def test_a_leading_double_slash_collapses_in_path_but_not_in_the_context_path(
    client: Client,
) -> None:
    event = event_of(client.get("http://127.0.0.1:3000/dev//echo"))
    assert event["path"] == "/echo"
    assert event["requestContext"]["path"] == "/dev//echo"


def test_a_text_body_arrives_as_a_string(client: Client) -> None:
    body = '{"name": "Tom", "city": "Zürich"}'
    event = event_of(
        client.post("/echo", content=body.encode(), headers={"Content-Type": "application/json"})
    )
    assert event["body"] == body
    assert event["isBase64Encoded"] is False
    assert event["headers"]["Content-Type"] == "application/json"


def test_a_binary_media_type_body_arrives_base64_encoded(client: Client) -> None:
    data = bytes(range(256))
    event = event_of(
        client.put("/echo", content=data, headers={"Content-Type": "application/octet-stream"})
    )
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == data


def test_literal_resources_win_over_path_parameters(client: Client) -> None:
    assert client.get("/items/special").json() == {"special": "yes"}
    assert client.get("/items/other").json() == {"item_id": "other"}
    assert client.get("/items/other/").json() == {"item_id": "other"}
