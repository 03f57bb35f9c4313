"""A FastAPI app deployed through the framework: API Gateway in front, Mangum in Lambda.

    python -m framework serve examples/fastapi_app/app.py
    curl http://127.0.0.1:3000/dev/app/items/3?q=x
    open http://127.0.0.1:3000/dev/app/docs          # FastAPI's docs, under the stage

The whole app is mounted under /app (one greedy resource); the /v2 routes are declared
one by one, so API Gateway knows each method.
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from framework import RestApi

api = RestApi("shop", binary_media_types=["image/png"])
api.stage("dev", variables={"tier": "dev"})
api.stage("prod", variables={"tier": "prod"})

app = FastAPI(title="shop")


class Item(BaseModel):
    name: str
    price: float


@app.get("/items/{item_id}")
def read_item(item_id: int, q: str | None = None) -> dict[str, object]:
    return {"item_id": item_id, "q": q}


@app.post("/items", status_code=201)
def create_item(item: Item) -> Item:
    return item


@app.get("/whoami")
def whoami(request: Request) -> dict[str, object]:
    event = request.scope["aws.event"]
    return {
        "stage": event["requestContext"]["stage"],
        "tier": (event["stageVariables"] or {}).get("tier"),
        "cookies": dict(request.cookies),
        "self": str(request.url_for("read_item", item_id=1)),
    }


@app.get("/login")
def login() -> Response:
    response = Response("welcome")
    response.set_cookie("session", "s3cret", httponly=True)
    response.set_cookie("theme", "dark")
    return response


@app.get("/logo.png")
def logo() -> Response:
    return Response(b"\x89PNG\r\n\x1a\n\x00fake", media_type="image/png")


@app.get("/old")
def old(request: Request) -> RedirectResponse:
    return RedirectResponse(str(request.url_for("read_item", item_id=7)))


@app.get("/teapot")
def teapot() -> None:
    raise HTTPException(status_code=418, detail="I'm a teapot")


@app.get("/boom")
def boom() -> None:
    raise RuntimeError("unhandled")


api.mount("/app/{proxy+}", app)

# The same app's routes, each its own API Gateway method under /v2 (one function).
api.include_asgi_routes(app, prefix="/v2", function="shop-v2")
