"""Malformed declarations fail at import time, naming the route."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from framework import (
    Cors,
    DeclarationError,
    DuplicateRouteError,
    FrameworkError,
    InvalidOptionError,
    InvalidPathError,
    Request,
    RestApi,
)


def test_declaring_the_same_method_twice_names_the_route_and_the_first_handler() -> None:
    api = RestApi("pets")

    @api.get("/pets/{pet_id}")
    def first(pet_id: str) -> None: ...

    with pytest.raises(
        DuplicateRouteError, match=r"GET /pets/\{pet_id\}: already declared by .*first"
    ):

        @api.get("/pets/{pet_id}")
        def second(pet_id: str) -> None: ...


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("pets", "must start with '/'"),
        ("/pets/", "must not end with '/'"),
        ("/pets//x", "empty path part"),
        ("/pets/{id", "not a valid resource path part"),
        ("/pets/a b", "not a valid resource path part"),
        ("/files/{proxy+}/more", "must be the last path part"),
        ("/a/{x}/b/{x}", "appears twice"),
    ],
)
def test_a_bad_path_raises_naming_the_route(path: str, message: str) -> None:
    api = RestApi("pets")
    with pytest.raises(InvalidPathError, match=re.escape(message)) as caught:
        api.get(path)(lambda **kwargs: None)
    assert str(caught.value).startswith(f"GET {path}:")
    assert isinstance(caught.value, DeclarationError)
    assert isinstance(caught.value, FrameworkError)


@pytest.mark.parametrize("timeout", [0.01, 0, 29.5, 60, "5", True])
def test_a_timeout_out_of_range_raises(timeout: object) -> None:
    api = RestApi("pets")
    with pytest.raises(
        InvalidOptionError, match=r"^POST /pets: timeout must be between 0.05 and 29"
    ):
        api.post("/pets", timeout=timeout)(lambda: None)


def test_timeouts_at_the_limits_are_accepted() -> None:
    api = RestApi("pets")
    api.get("/fast", timeout=0.05)(lambda: None)
    api.get("/slow", timeout=29)(lambda: None)
    assert [r.timeout for r in api.routes] == [0.05, 29.0]


def test_two_variable_children_of_one_resource_conflict() -> None:
    api = RestApi("pets")
    api.get("/pets/{pet_id}")(lambda pet_id: None)
    with pytest.raises(InvalidOptionError, match="only one variable child"):
        api.get("/pets/{name}")(lambda name: None)
    with pytest.raises(InvalidOptionError, match="only one variable child"):
        api.get("/pets/{proxy+}")(lambda proxy: None)
    api.get("/pets/{pet_id}/toys")(lambda pet_id: None)  # the same variable deeper is fine


def test_an_unknown_option_or_method_is_refused() -> None:
    api = RestApi("pets")
    with pytest.raises(InvalidOptionError, match=r"GET /pets: unknown option\(s\) timout"):
        api.get("/pets", timout=3)(lambda: None)
    with pytest.raises(InvalidOptionError, match="FETCH /pets: unknown method"):
        api.route("/pets", methods=["FETCH"])(lambda: None)


def test_a_handler_must_accept_its_path_parameters() -> None:
    api = RestApi("pets")
    with pytest.raises(InvalidOptionError, match="does not accept the path parameter"):

        @api.get("/pets/{pet_id}")
        def get_pet(request: Request) -> None: ...


def test_a_handler_parameter_nothing_can_fill_is_refused() -> None:
    api = RestApi("pets")
    with pytest.raises(InvalidOptionError, match="parameter 'limit'"):

        @api.get("/pets")
        def list_pets(limit: int) -> None: ...

    @api.get("/pets")
    def with_default(limit: int = 10) -> None: ...


class A(BaseModel):
    a: int


def test_only_one_parameter_takes_the_body() -> None:
    api = RestApi("pets")
    with pytest.raises(InvalidOptionError, match="only one parameter may take the JSON body"):

        @api.post("/pets")
        def create(first: A, second: A) -> None: ...


def test_decorators_return_the_function_unchanged_and_record_a_route() -> None:
    api = RestApi("pets", cors=Cors())

    def get_pet(pet_id: str) -> dict[str, str]:
        return {"id": pet_id}

    assert api.get("/pets/{pet_id}", status_code=202, function="reader")(get_pet) is get_pet
    (route,) = api.routes
    assert (route.method, route.path, route.function, route.status_code) == (
        "GET",
        "/pets/{pet_id}",
        "reader",
        202,
    )
    assert route.cors == Cors()
    assert route.timeout == 29.0


def test_route_declares_several_methods_and_any_is_a_method() -> None:
    api = RestApi("pets")
    api.route("/pets", methods=["get", "POST"])(lambda: None)
    api.any("/{proxy+}")(lambda proxy: None)
    assert [str(r) for r in api.routes] == ["GET /pets", "POST /pets", "ANY /{proxy+}"]


def test_without_stages_there_is_one_named_dev() -> None:
    api = RestApi("pets")
    assert [s.name for s in api.stages] == ["dev"]
    api.stage("prod", variables={"table": "pets"})
    assert [s.name for s in api.stages] == ["prod"]
    with pytest.raises(DeclarationError, match="stage 'prod' is declared twice"):
        api.stage("prod")
    with pytest.raises(DeclarationError, match=r"no stage 'qa' \(stages: prod\)"):
        api.get_stage("qa")


def test_api_and_stage_names_are_checked() -> None:
    with pytest.raises(InvalidOptionError, match="name must be"):
        RestApi("pet store")
    with pytest.raises(InvalidOptionError, match="stage name"):
        RestApi("pets").stage("my stage")
    with pytest.raises(InvalidOptionError, match="binary media type"):
        RestApi("pets", binary_media_types=["png"])


def test_cors_with_credentials_needs_explicit_origins() -> None:
    with pytest.raises(InvalidOptionError, match="allow_credentials"):
        Cors(allow_credentials=True)


def test_preflights_cover_cors_resources_without_their_own_options() -> None:
    api = RestApi("pets", cors=Cors())
    api.get("/pets")(lambda: None)
    api.post("/pets")(lambda: None)
    api.get("/private", cors=False)(lambda: None)
    api.any("/any")(lambda: None)
    api.get("/own")(lambda: None)
    api.options("/own")(lambda: None)
    assert {p.resource.path: p.methods for p in api.preflights()} == {
        "/pets": ("GET", "POST", "OPTIONS"),
        "/any": ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT", "OPTIONS"),
    }


def test_function_environment_merges_the_apis_and_the_functions() -> None:
    api = RestApi("pets", environment={"A": "1", "B": "2"})
    api.function("worker", memory_size=1024, environment={"B": "3"})
    api.get("/a", function="worker")(lambda: None)
    api.get("/b")(lambda: None)
    assert api.function_environment("worker") == {"A": "1", "B": "3"}
    assert api.function_environment("pets") == {"A": "1", "B": "2"}
    assert [(f.name, f.memory_size) for f in api.functions] == [("worker", 1024), ("pets", 512)]
