"""API Gateway's own errors, through real HTTP to `python -m framework serve`."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.conftest import Server

pytestmark = pytest.mark.usefixtures("behaviours_server")


def assert_gateway_error(
    response: httpx.Response, status: int, body: bytes, error_type: str | None
) -> None:
    assert response.status_code == status
    assert response.content == body
    assert response.headers["content-type"] == "application/json"
    assert response.headers.get("x-amzn-errortype") == error_type
    assert response.headers["x-amzn-requestid"]
    assert response.headers["x-amz-apigw-id"]
    assert "x-amzn-trace-id" not in response.headers  # errors carry no trace id


def test_unknown_path_is_403_missing_authentication_token(http: httpx.Client) -> None:
    response = http.get("/dev/no/such/resource")
    assert_gateway_error(
        response,
        403,
        b'{"message":"Missing Authentication Token"}',
        "MissingAuthenticationTokenException",
    )
    assert response.headers["content-length"] == "42"


def test_undeclared_method_on_a_known_resource_is_403_too(http: httpx.Client) -> None:
    response = http.delete("/dev/items/1")
    assert_gateway_error(
        response,
        403,
        b'{"message":"Missing Authentication Token"}',
        "MissingAuthenticationTokenException",
    )


def test_head_is_not_implied_by_get(http: httpx.Client) -> None:
    assert http.head("/dev/items/1").status_code == 403


def test_a_handler_that_raises_is_502_and_the_server_keeps_serving(
    behaviours_server: Server, http: httpx.Client
) -> None:
    response = http.post("/dev/crash")
    assert_gateway_error(
        response, 502, b'{"message": "Internal server error"}', "InternalServerErrorException"
    )
    assert response.headers["content-length"] == "36"
    assert http.get("/dev/items/7").json() == {"item_id": "7"}


@pytest.mark.parametrize(
    "kind",
    ["bad-status", "unknown-key", "body-object", "bare-string", "multi-not-list", "unserialisable"],
)
def test_a_malformed_proxy_response_is_502(http: httpx.Client, kind: str) -> None:
    response = http.get("/dev/raw", params={"kind": kind})
    assert_gateway_error(
        response, 502, b'{"message": "Internal server error"}', "InternalServerErrorException"
    )


def test_a_handler_slower_than_the_method_timeout_is_504(http: httpx.Client) -> None:
    response = http.get("/dev/sleep", params={"seconds": "1"})
    assert_gateway_error(
        response, 504, b'{"message": "Endpoint request timed out"}', "InternalServerErrorException"
    )
    # A fast call to the same method still answers.
    assert http.get("/dev/sleep", params={"seconds": "0"}).json() == {"remaining": 0}


def test_a_function_slower_than_its_own_lambda_timeout_is_502(http: httpx.Client) -> None:
    response = http.get("/dev/lambda-timeout")
    assert_gateway_error(
        response, 502, b'{"message": "Internal server error"}', "InternalServerErrorException"
    )


def test_a_body_over_10_mb_is_413(http: httpx.Client) -> None:
    response = http.post("/dev/upload", content=b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.json() == {"message": "Request Too Long"}
    assert http.post("/dev/upload", content=b"x" * 1024).json() == {"size": 1024, "base64": False}


def test_failures_are_printed_to_the_console_as_cloudwatch_would_hold_them() -> None:
    from tests.conftest import APPS

    server = Server(str(APPS / "behaviours.py"), "--quiet")
    try:
        with httpx.Client(base_url=server.base, timeout=10) as client:
            assert client.post("/dev/crash").status_code == 502
            assert client.get("/dev/raw", params={"kind": "body-object"}).status_code == 502
    finally:
        _, err = server.stop()
    assert "RuntimeError: the handler fell over" in err
    assert "Traceback (most recent call last)" in err
    assert "Malformed Lambda proxy response" in err


def test_well_formed_hand_written_proxy_responses_pass_through(http: httpx.Client) -> None:
    made = http.get("/dev/raw", params={"kind": "string-status"})
    assert (made.status_code, made.text) == (201, "made")
    empty = http.get("/dev/raw", params={"kind": "empty"})
    assert (empty.status_code, empty.content, empty.headers["content-type"]) == (
        200,
        b"",
        "application/json",
    )
    only_headers = http.get("/dev/raw", params={"kind": "only-headers"})
    assert (only_headers.status_code, only_headers.headers["x-only"]) == (200, "1")
    multi = http.get("/dev/raw", params={"kind": "multi"})
    assert multi.headers.get_list("test-multi") == ["value-multi", "value-solo"]
    assert multi.headers["flag"] == "true"
    assert multi.headers["x-amzn-trace-id"].startswith("Root=1-")


def test_binary_bodies_are_decoded_only_when_the_first_accept_type_is_binary(
    http: httpx.Client,
) -> None:
    png = http.get("/dev/raw", params={"kind": "binary"}, headers={"Accept": "image/png"})
    assert png.content == b"\x89PNG\r\n\x1a\n"
    for accept in ("*/*", "image/*", "text/html, image/png"):
        as_text = http.get("/dev/raw", params={"kind": "binary"}, headers={"Accept": accept})
        assert as_text.content == b"iVBORw0KGgo=", accept


def test_error_bodies_are_json(http: httpx.Client) -> None:
    assert json.loads(http.get("/dev/nothing").content) == {
        "message": "Missing Authentication Token"
    }
