"""An API whose methods have request validators: parameters, pydantic and JSON schema bodies."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from framework import Request, RestApi


class Owner(BaseModel):
    name: str
    email: str


class Tag(BaseModel):
    label: str = Field(min_length=1)


class NewPet(BaseModel):
    """Nested models: the schema refers to Owner and Tag with $ref."""

    name: str
    age: int = Field(ge=0)
    owner: Owner
    tags: list[Tag] = []


ORDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["qty", "sku"],
    "properties": {
        "qty": {"type": "integer", "minimum": 1},
        "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
    },
    "additionalProperties": False,
}

api = RestApi("validation")
api.stage("dev")


@api.get(
    "/search/{kind}",
    validate="params",
    required_query=["q", "page"],
    required_headers=["x-tenant"],
)
def search(request: Request, kind: str) -> dict[str, Any]:
    return {"kind": kind, "q": request.query["q"], "tenant": request.headers["x-tenant"]}


@api.post("/pets", validate="body")
def create_pet(pet: NewPet) -> dict[str, Any]:
    return {"created": pet.name, "owner": pet.owner.name}


@api.get("/pets/check", validate="body", model=NewPet)
def check_pet(request: Request) -> dict[str, Any]:
    return {"checked": True}


@api.post(
    "/orders/{shop}",
    validate="all",
    model=ORDER_SCHEMA,
    required_headers=["Idempotency-Key"],
)
def place_order(request: Request, shop: str) -> dict[str, Any]:
    return {"shop": shop, "order": request.json()}


@api.post("/unchecked", validate=None, model=NewPet)
def unchecked(request: Request) -> dict[str, Any]:
    return {"body": request.text}
