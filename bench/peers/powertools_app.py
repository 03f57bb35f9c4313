"""aws-lambda-powertools: ``APIGatewayRestResolver``."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@app.get("/pets")
def list_pets() -> dict[str, Any]:
    return {"pets": PETS}


@app.get("/pets/<id>")
def get_pet(id: str) -> dict[str, Any]:
    return {"id": id}


@app.post("/pets")
def create_pet() -> tuple[Any, int]:
    return app.current_event.json_body, 201


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
