"""The floor: a hand-written Lambda handler dispatching on a dict.

It imports ``json`` and nothing else (not even ``typing``, hence the bare ``dict``
annotations): what the least a REST API handler can cost looks like.
"""

from __future__ import annotations

import json

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


def _respond(status: int, value: object) -> dict:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(value),
        "isBase64Encoded": False,
    }


def _list_pets(event: dict) -> dict:
    return _respond(200, {"pets": PETS})


def _get_pet(event: dict) -> dict:
    return _respond(200, {"id": event["pathParameters"]["id"]})


def _create_pet(event: dict) -> dict:
    return _respond(201, json.loads(event["body"]))


_ROUTES = {
    ("/pets", "GET"): _list_pets,
    ("/pets/{id}", "GET"): _get_pet,
    ("/pets", "POST"): _create_pet,
}


def handler(event: dict, context: object) -> dict:
    route = _ROUTES.get((event["resource"], event["httpMethod"]))
    if route is None:
        return _respond(404, {"message": "Not Found"})
    return route(event)
