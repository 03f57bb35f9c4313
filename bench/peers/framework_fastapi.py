"""This framework with a FastAPI app: each of the app's routes declared as an API Gateway
method (``api.include_asgi_routes``), the app run under Mangum by ``api.handler``.

``include_asgi_routes`` rather than ``api.mount("/{proxy+}", app)``: it declares the same
resources as every other peer (``/pets``, ``/pets/{id}``), so the same events reach it.
"""

from __future__ import annotations

from fastapi import FastAPI, Request

from framework import RestApi

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@app.get("/pets")
async def list_pets() -> dict[str, object]:
    return {"pets": PETS}


@app.get("/pets/{id}")
async def get_pet(id: str) -> dict[str, object]:
    return {"id": id}


@app.post("/pets", status_code=201)
async def create_pet(request: Request) -> object:
    return await request.json()


api = RestApi("petbench_asgi")
api.include_asgi_routes(app)
handler = api.handler
