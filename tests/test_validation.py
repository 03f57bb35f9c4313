"""Request validators, through the local gateway: required parameters, then the body."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from framework import Request, RestApi
from framework.testing import Client
from tests.conftest import load_app

app = load_app("validation_app")

VALID_PET: dict[str, Any] = {
    "name": "Rex",
    "age": 3,
    "owner": {"name": "Ann", "email": "ann@example.com"},
    "tags": [{"label": "good"}],
}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Client(app.api, stage="dev") as client:
        yield client


def assert_bad_request(response: httpx.Response, body: dict[str, Any]) -> None:
    assert response.status_code == 400
    assert response.json() == body
    assert response.headers["x-amzn-errortype"] == "BadRequestException"


def test_missing_parameters_are_listed_sorted_by_their_full_key(client: Client) -> None:
    response = client.get("/search/dogs")
    # method.request.header.x-tenant < method.request.querystring.page < ...querystring.q
    assert_bad_request(
        response, {"message": "Missing required request parameters: [x-tenant, page, q]"}
    )


def test_only_the_parameters_still_missing_are_named(client: Client) -> None:
    response = client.get("/search/dogs?q=rex", headers={"X-Tenant": "acme"})
    assert_bad_request(response, {"message": "Missing required request parameters: [page]"})


def test_header_names_are_matched_without_regard_to_case_and_empty_values_count(
    client: Client,
) -> None:
    response = client.get("/search/dogs?q=rex&page=", headers={"X-TENANT": "acme"})
    assert response.status_code == 200
    assert response.json() == {"kind": "dogs", "q": "rex", "tenant": "acme"}


def test_a_body_matching_the_pydantic_model_reaches_the_handler(client: Client) -> None:
    response = client.post("/pets", json=VALID_PET)
    assert response.status_code == 200
    assert response.json() == {"created": "Rex", "owner": "Ann"}


@pytest.mark.parametrize(
    "body",
    [
        {**VALID_PET, "owner": {"name": "Ann"}},  # nested $ref: Owner.email missing
        {**VALID_PET, "tags": [{"label": ""}]},  # nested array of $ref: minLength
        {**VALID_PET, "age": -1},
        {**VALID_PET, "age": "three"},
        [VALID_PET],
    ],
    ids=["nested-required", "nested-array-item", "minimum", "type", "not-an-object"],
)
def test_a_body_failing_the_model_is_refused_before_the_function_runs(
    client: Client, body: Any
) -> None:
    # The gateway's own 400, without the handler runtime's "errors" list.
    assert_bad_request(client.post("/pets", json=body), {"message": "Invalid request body"})


def test_a_body_that_is_not_json_is_an_invalid_body(client: Client) -> None:
    response = client.post(
        "/pets", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_bad_request(response, {"message": "Invalid request body"})


def test_a_get_without_a_body_on_a_method_with_a_body_model_is_an_invalid_body(
    client: Client,
) -> None:
    assert_bad_request(client.get("/pets/check"), {"message": "Invalid request body"})


def test_a_body_of_another_content_type_is_not_checked_against_the_json_model(
    client: Client,
) -> None:
    response = client.post(
        "/unchecked", content=b"whatever", headers={"Content-Type": "text/plain"}
    )
    assert response.json() == {"body": "whatever"}


def test_a_json_schema_dict_model_validates_after_the_parameters(client: Client) -> None:
    order = {"qty": 2, "sku": "ABC-12"}
    missing_key = client.post("/orders/main", json={"qty": 0})
    assert_bad_request(
        missing_key, {"message": "Missing required request parameters: [Idempotency-Key]"}
    )
    bad_body = client.post("/orders/main", json={"qty": 0}, headers={"Idempotency-Key": "k1"})
    assert_bad_request(bad_body, {"message": "Invalid request body"})
    extra = client.post(
        "/orders/main", json={**order, "gift": True}, headers={"Idempotency-Key": "k1"}
    )
    assert_bad_request(extra, {"message": "Invalid request body"})
    good = client.post("/orders/main", json=order, headers={"Idempotency-Key": "k1"})
    assert good.status_code == 200
    assert good.json() == {"shop": "main", "order": order}


def test_validate_none_passes_anything_even_with_a_model(client: Client) -> None:
    response = client.post(
        "/unchecked", content=b"[1, 2", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"body": "[1, 2"}


def test_the_validator_messages_are_the_validation_error_string_of_the_gateway_response() -> None:
    api = RestApi("validation-errors")
    api.gateway_response("BAD_REQUEST_BODY", template="$context.error.validationErrorString")

    @api.post("/orders", validate="body", model=app.ORDER_SCHEMA)
    def order(request: Request) -> dict[str, Any]:
        return {}

    with Client(api) as client:
        response = client.post("/orders", json={"qty": 0, "sku": "abc"})
    assert response.status_code == 400
    assert response.text == (
        "[qty: 0 is less than the minimum of 1, sku: 'abc' does not match '^[A-Z]{3}-[0-9]+$']"
    )
