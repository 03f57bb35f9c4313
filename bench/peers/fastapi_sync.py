"""FastAPI with plain ``def`` routes: Starlette runs them on its thread pool, as the local
gateway runs a Lambda handler on a worker thread. Served directly by uvicorn in
bench/serve.py, for reference beside the ``async def`` peer."""

from __future__ import annotations

from fastapi import FastAPI, Request

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@app.get("/pets")
def list_pets() -> dict[str, object]:
    return {"pets": PETS}


@app.get("/pets/{id}")
def get_pet(id: str) -> dict[str, object]:
    return {"id": id}


@app.post("/pets", status_code=201)
async def create_pet(request: Request) -> object:
    return await request.json()
