"""This framework, native handlers: ``RestApi`` + ``api.handler``.

Also the TARGET of ``python -m framework serve`` in bench/serve.py and bench/memory.py.
"""

from __future__ import annotations

from framework import Request, RestApi

api = RestApi("petbench")

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@api.get("/pets")
def list_pets() -> dict[str, object]:
    return {"pets": PETS}


@api.get("/pets/{id}")
def get_pet(id: str) -> dict[str, object]:
    return {"id": id}


@api.post("/pets", status_code=201)
def create_pet(request: Request) -> object:
    return request.json()


handler = api.handler
