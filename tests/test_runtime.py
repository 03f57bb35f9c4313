"""The Lambda runtime: api.handler turns REST proxy events into proxy responses."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from pydantic import BaseModel

from framework import (
    BadRequestError,
    ConflictError,
    Cors,
    ForbiddenError,
    HTTPError,
    NotFoundError,
    Request,
    Response,
    RestApi,
    TooManyRequestsError,
    UnauthorizedError,
)
from framework.testing import rest_event


class NewPet(BaseModel):
    name: str
    age: int = 0


api = RestApi("runtime", binary_media_types=["image/png"], cors=Cors())
api.stage("dev", variables={"table": "pets-dev"})


@api.get("/pets/{pet_id}")
def get_pet(request: Request, pet_id: str) -> dict[str, Any]:
    return {"id": pet_id, "table": request.stage_variables["table"]}


@api.post("/pets", status_code=201)
def create_pet(pet: NewPet) -> NewPet:
    return pet


@api.get("/kinds/{kind}")
def kinds(kind: str) -> Any:
    values: dict[str, Any] = {
        "list": [1, 2],
        "str": "plain text",
        "bytes": b"\x89PNG",
        "none": None,
        "number": 7,
        "response": Response(
            {"ok": True},
            status_code=202,
            headers={"Location": "/pets/7"},
            cookies={"session": "abc"},
        ),
        "png": Response(b"\x89PNG", media_type="image/png"),
    }
    return values[kind]


@api.get("/errors/{name}")
def errors(name: str) -> None:
    raise {
        "bad": BadRequestError("bad input"),
        "unauthorized": UnauthorizedError(),
        "forbidden": ForbiddenError("no"),
        "missing": NotFoundError("no pet 9"),
        "conflict": ConflictError("taken"),
        "slow-down": TooManyRequestsError(),
        "custom": HTTPError("teapot", headers={"Retry-After": "3"}),
    }[name]


@api.route("/inspect", methods=["GET", "POST"])
def inspect(request: Request) -> dict[str, Any]:
    return {
        "method": request.method,
        "path": request.path,
        "resource": request.resource,
        "query": request.query,
        "query_all": request.query_all,
        "header": request.headers.get("x-CUSTOM"),
        "all_headers": request.headers.get_all("X-Custom"),
        "cookies": request.cookies,
        "text": request.text,
        "json": request.json(default=None),
        "stage": request.stage,
        "request_id": request.request_id,
        "source_ip": request.source_ip,
        "authorizer": request.authorizer,
        "has_event": request.event["resource"] == "/inspect",
        "context": request.lambda_context,
    }


def call(method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    response = api.handler(rest_event(api, method, url, stage="dev", **kwargs), None)
    return dict(response)


def test_path_parameters_and_stage_variables_reach_the_handler() -> None:
    assert call("GET", "/pets/7") == {
        "statusCode": 200,
        "headers": {"Access-Control-Allow-Origin": "*", "Content-Type": "application/json"},
        "body": '{"id":"7","table":"pets-dev"}',
        "isBase64Encoded": False,
    }


def test_dispatch_uses_the_resource_not_the_url() -> None:
    event = rest_event(api, "GET", "/pets/7", stage="dev")
    event["path"] = "/somewhere/else"
    assert json.loads(api.handler(event, None)["body"])["id"] == "7"


def test_a_pydantic_body_is_parsed_and_the_route_status_used() -> None:
    response = call("POST", "/pets", json={"name": "Tom", "age": 3})
    assert response["statusCode"] == 201
    assert json.loads(response["body"]) == {"name": "Tom", "age": 3}


def test_an_invalid_body_is_400_with_the_validation_errors() -> None:
    response = call("POST", "/pets", json={"age": "old"})
    assert response["statusCode"] == 400
    assert json.loads(response["body"]) == {
        "message": "Invalid request body",
        "errors": [
            {"loc": ["name"], "msg": "Field required", "type": "missing"},
            {
                "loc": ["age"],
                "msg": "Input should be a valid integer, unable to parse string as an integer",
                "type": "int_parsing",
            },
        ],
    }
    not_json = call("POST", "/pets", body="{nope", headers={"Content-Type": "application/json"})
    assert not_json["statusCode"] == 400
    assert json.loads(not_json["body"])["errors"][0]["type"] == "json_invalid"


@pytest.mark.parametrize(
    ("kind", "body", "content_type", "encoded"),
    [
        ("list", "[1,2]", "application/json", False),
        ("str", "plain text", "text/plain; charset=utf-8", False),
        ("bytes", base64.b64encode(b"\x89PNG").decode(), "application/octet-stream", True),
        ("none", "", None, False),
        ("number", "7", "application/json", False),
        ("png", base64.b64encode(b"\x89PNG").decode(), "image/png", True),
    ],
)
def test_return_values_become_proxy_responses(
    kind: str, body: str, content_type: str | None, encoded: bool
) -> None:
    response = call("GET", f"/kinds/{kind}")
    assert response["body"] == body
    assert response["headers"].get("Content-Type") == content_type
    assert response["isBase64Encoded"] is encoded


def test_a_response_sets_status_headers_and_cookies() -> None:
    assert call("GET", "/kinds/response") == {
        "statusCode": 202,
        "headers": {
            "Access-Control-Allow-Origin": "*",
            "Location": "/pets/7",
            "Content-Type": "application/json",
        },
        "multiValueHeaders": {"Set-Cookie": ["session=abc"]},
        "body": '{"ok":true}',
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [
        ("bad", 400, "bad input"),
        ("unauthorized", 401, "Unauthorized"),
        ("forbidden", 403, "no"),
        ("missing", 404, "no pet 9"),
        ("conflict", 409, "taken"),
        ("slow-down", 429, "Too Many Requests"),
        ("custom", 500, "teapot"),
    ],
)
def test_http_errors_become_a_message_with_their_status(
    name: str, status: int, message: str
) -> None:
    response = call("GET", f"/errors/{name}")
    assert response["statusCode"] == status
    assert json.loads(response["body"]) == {"message": message}
    assert response["headers"]["Access-Control-Allow-Origin"] == "*"  # CORS on errors too


def test_request_exposes_the_event() -> None:
    body = call(
        "POST",
        "/inspect?a=1&a=2&b=x",
        headers={"X-Custom": "v", "Cookie": "session=abc; theme=dark"},
        json={"k": "v"},
    )["body"]
    seen = json.loads(body)
    assert seen["request_id"]
    del seen["request_id"]
    assert seen == {
        "method": "POST",
        "path": "/inspect",
        "resource": "/inspect",
        "query": {"a": "2", "b": "x"},
        "query_all": {"a": ["1", "2"], "b": ["x"]},
        "header": "v",
        "all_headers": ["v"],
        "cookies": {"session": "abc", "theme": "dark"},
        "text": '{"k": "v"}',
        "json": {"k": "v"},
        "stage": "dev",
        "source_ip": "127.0.0.1",
        "authorizer": {},
        "has_event": True,
        "context": None,
    }


def test_request_json_on_an_invalid_body_is_a_400() -> None:
    event = rest_event(api, "POST", "/inspect", stage="dev", body="{broken")
    request = Request(event)
    with pytest.raises(BadRequestError, match="not valid JSON"):
        request.json()


def test_a_non_rest_event_fails_the_invocation_clearly() -> None:
    with pytest.raises(ValueError, match="expects an API Gateway REST proxy event"):
        api.handler({"Records": []}, None)


def test_powertools_reads_the_same_event_the_handler_gets() -> None:
    from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

    event = rest_event(api, "GET", "/pets/7?x=1", stage="dev", headers={"X-Custom": "v"})
    powertools = APIGatewayProxyEvent(dict(event))
    ours = Request(event)
    assert powertools.path_parameters == ours.path_params == {"pet_id": "7"}
    assert powertools.query_string_parameters == ours.query
    assert powertools.headers["x-custom"] == ours.headers["X-Custom"]
    assert powertools.request_context.stage == ours.stage
    assert powertools.request_context.identity.source_ip == ours.source_ip
