"""FastAPI under Mangum, as its documentation deploys it; ``app`` is also what plain
uvicorn serves in bench/serve.py."""

from __future__ import annotations

from fastapi import FastAPI, Request
from mangum import Mangum

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


handler = Mangum(app)
