"""An app without pydantic: the Lambda cold start must not load it."""

from __future__ import annotations

from framework import Request, RestApi

api = RestApi("plain")


@api.get("/hello/{name}")
def hello(request: Request, name: str) -> dict[str, str]:
    return {"hello": name}
