"""AWS Chalice: its Lambda entry point is the app object itself.

Also copied as ``app.py`` into a generated project for ``chalice local`` (bench/serve.py).
"""

from __future__ import annotations

from chalice.app import Chalice, Response

app = Chalice(app_name="petbench")

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]


@app.route("/pets", methods=["GET"])
def list_pets() -> dict[str, object]:
    return {"pets": PETS}


@app.route("/pets/{id}", methods=["GET"])
def get_pet(id: str) -> dict[str, object]:
    return {"id": id}


@app.route("/pets", methods=["POST"])
def create_pet() -> Response:
    return Response(body=app.current_request.json_body, status_code=201)


handler = app
