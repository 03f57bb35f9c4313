"""The pet store example, as a user of the README meets it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from framework.testing import AsyncClient, Client
from tests.conftest import ROOT, Server

PETSTORE = str(ROOT / "examples/petstore/app.py")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    server = Server(PETSTORE, "--quiet")
    yield server
    server.stop()


@pytest.fixture()
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=10) as client:
        yield client


def test_the_pets_answer_at_the_bare_url_and_under_the_stage(http: httpx.Client) -> None:
    bare, staged = http.get("/pets"), http.get("/dev/pets")
    assert bare.status_code == staged.status_code == 200
    assert bare.json() == staged.json()
    assert bare.json()["table"] == "pets-dev"
    assert http.get("/prod/pets").json()["table"] == "pets"
    assert http.get("/pets", params={"species": "dog"}).json()["pets"] == [
        {"name": "Rex", "species": "dog", "age": 5, "id": "2"}
    ]


def test_create_read_delete(http: httpx.Client) -> None:
    created = http.post("/dev/pets", json={"name": "Nibbles", "species": "hamster", "age": 1})
    assert created.status_code == 201
    pet = created.json()
    assert pet == {"name": "Nibbles", "species": "hamster", "age": 1, "id": pet["id"]}
    assert http.get(f"/dev/pets/{pet['id']}").json()["name"] == "Nibbles"
    assert http.post("/dev/pets", json={"name": "Nibbles"}).status_code == 409
    deleted = http.delete(f"/dev/pets/{pet['id']}")
    assert (deleted.status_code, deleted.content) == (204, b"")
    missing = http.get(f"/dev/pets/{pet['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"message": f"no pet with id {pet['id']}"}


def test_an_invalid_pet_is_a_400_listing_the_errors(http: httpx.Client) -> None:
    response = http.post("/dev/pets", json={"name": "", "age": 99})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Invalid request body"
    assert [e["loc"] for e in body["errors"]] == [["name"], ["age"]]


def test_the_photo_is_binary_when_the_client_accepts_png(http: httpx.Client) -> None:
    photo = http.get("/dev/pets/1/photo", headers={"Accept": "image/png"})
    assert photo.headers["content-type"] == "image/png"
    assert photo.content.startswith(b"\x89PNG\r\n\x1a\n")
    # API Gateway sends the base64 text when the first Accept type is not binary.
    as_text = http.get("/dev/pets/1/photo", headers={"Accept": "*/*"})
    assert as_text.content.startswith(b"iVBORw0KGgo")


def test_the_greedy_path_gets_the_rest_of_the_path(http: httpx.Client) -> None:
    assert http.get("/dev/static/css/site/main.css").text == "you asked for css/site/main.css\n"


def test_cors_preflight_is_answered_by_the_mock_and_responses_carry_the_origin(
    http: httpx.Client,
) -> None:
    preflight = http.options(
        "/dev/pets",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert preflight.content == b""
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert preflight.headers["access-control-allow-methods"] == "GET,POST,OPTIONS"
    assert "Content-Type" in preflight.headers["access-control-allow-headers"]
    assert "x-amzn-trace-id" not in preflight.headers  # a mock, not Lambda
    response = http.get("/dev/pets", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_with_several_origins_echoes_an_allowed_one(behaviours_server: Server) -> None:
    with httpx.Client(base_url=behaviours_server.base) as http:
        allowed = http.options("/dev/cors", headers={"Origin": "https://b.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://b.example"
        assert allowed.headers["access-control-max-age"] == "600"
        other = http.get("/dev/cors", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        echoed = http.get("/dev/cors", headers={"Origin": "https://a.example"})
        assert echoed.headers["access-control-allow-origin"] == "https://a.example"
        assert echoed.headers["vary"] == "Origin"
        # A resource without CORS has no preflight: OPTIONS is 403 there.
        assert http.options("/dev/items/1").status_code == 403


def test_the_test_client_goes_through_the_same_gateway() -> None:
    from framework.discovery import load_module

    api = load_module(PETSTORE)[0].api
    with Client(api, stage="prod") as client:
        response = client.get("/pets/1")
        assert response.json()["table"] == "pets"
        assert response.headers["x-amzn-requestid"]
        assert client.get("/pets/1/nope").status_code == 403


def test_the_async_client_too() -> None:
    from framework.discovery import load_module

    api = load_module(PETSTORE)[0].api

    async def fetch() -> httpx.Response:
        async with AsyncClient(api, stage="dev") as client:
            return await client.get("/pets/2")

    assert asyncio.run(fetch()).json()["name"] == "Rex"
