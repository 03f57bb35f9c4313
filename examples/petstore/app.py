"""The pet store: an in-memory REST API with two stages.

python -m framework serve examples/petstore/app.py
curl http://127.0.0.1:3000/pets            # the chosen stage (dev) at the bare URL
curl http://127.0.0.1:3000/prod/pets       # every stage at /{stage}/...
"""

from __future__ import annotations

import base64
import itertools
import threading

from pydantic import BaseModel, Field

from framework import ConflictError, Cors, NotFoundError, Request, Response, RestApi

api = RestApi(
    "petstore",
    description="An in-memory pet store",
    binary_media_types=["image/png"],
    cors=Cors(allow_origins=["*"]),
    environment={"LOG_LEVEL": "INFO"},
)
api.stage("dev", variables={"table": "pets-dev", "greeting": "hello-from-dev"})
api.stage("prod", variables={"table": "pets", "greeting": "hello-from-prod"})


class NewPet(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    species: str = "cat"
    age: int = Field(default=0, ge=0, le=50)


class Pet(NewPet):
    id: str


_lock = threading.Lock()
_ids = itertools.count(3)
PETS: dict[str, Pet] = {
    "1": Pet(id="1", name="Tom", species="cat", age=3),
    "2": Pet(id="2", name="Rex", species="dog", age=5),
}

# A 1x1 transparent PNG.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@api.get("/")
def index(request: Request) -> dict[str, object]:
    return {"message": request.stage_variables.get("greeting", "hello"), "stage": request.stage}


@api.get("/pets")
def list_pets(request: Request) -> dict[str, object]:
    species = request.query.get("species")
    pets = [p.model_dump() for p in PETS.values() if species in (None, p.species)]
    return {"pets": pets, "table": request.stage_variables["table"]}


@api.post("/pets", status_code=201)
def create_pet(pet: NewPet) -> Pet:
    with _lock:
        if any(p.name == pet.name for p in PETS.values()):
            raise ConflictError(f"a pet named {pet.name} already exists")
        created = Pet(id=str(next(_ids)), **pet.model_dump())
        PETS[created.id] = created
    return created


@api.get("/pets/{pet_id}")
def get_pet(request: Request, pet_id: str) -> dict[str, object]:
    pet = PETS.get(pet_id)
    if pet is None:
        raise NotFoundError(f"no pet with id {pet_id}")
    return {**pet.model_dump(), "table": request.stage_variables["table"]}


@api.delete("/pets/{pet_id}")
def delete_pet(pet_id: str) -> Response:
    with _lock:
        if PETS.pop(pet_id, None) is None:
            raise NotFoundError(f"no pet with id {pet_id}")
    return Response(None, status_code=204)


@api.get("/pets/{pet_id}/photo")
def pet_photo(pet_id: str) -> Response:
    if pet_id not in PETS:
        raise NotFoundError(f"no pet with id {pet_id}")
    return Response(PHOTO, media_type="image/png", headers={"Cache-Control": "max-age=60"})


@api.get("/static/{proxy+}", timeout=5)
def static_files(proxy: str) -> Response:
    """A greedy path: everything under /static/ arrives as `proxy`."""
    return Response(f"you asked for {proxy}\n", media_type="text/plain")
