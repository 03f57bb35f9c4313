"""aws-lambda-powertools: ``APIGatewayRestResolver``."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

app = APIGatewayRestResolver()

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@app.get("/pets")
def list_pets() -> dict[str, object]:
    return {"pets": PETS}


@app.get("/pets/<id>")
def get_pet(id: str) -> dict[str, object]:
    return {"id": id}


@app.post("/pets")
def create_pet() -> tuple[object, int]:
    return app.current_event.json_body, 201


def handler(event: dict[str, object], context: object) -> dict[str, object]:
    return app.resolve(event, context)
