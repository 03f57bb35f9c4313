"""Integrations beyond Lambda proxy: a validated body, a Lambda function behind VTL
mapping templates, an HTTP proxy to a backend chosen by a stage variable, and a mock.

    python examples/integrations/backend.py &                 # the inventory, port 8081
    python -m framework serve examples/integrations/app.py

    # the body is validated against OrderRequest (400 before any Lambda runs)
    curl -X POST http://127.0.0.1:3000/dev/orders -H 'Content-Type: application/json' \\
         -d '{"sku": "TEA-1", "quantity": 0}'       # 400 {"message": "Invalid request body"}
    # the request template makes the event, the response template the answer
    curl -X POST http://127.0.0.1:3000/dev/orders -H 'Content-Type: application/json' \\
         -d '{"sku": "TEA-1", "quantity": 2}'       # 200 {"order": "...", "total": 7.0, ...}
    # a Lambda error picks its response by selection pattern
    curl -X POST http://127.0.0.1:3000/dev/orders -H 'Content-Type: application/json' \\
         -d '{"sku": "NOPE-1", "quantity": 1}'      # 404 {"error": "Not found: NOPE-1"}
    # HTTP_PROXY to http://${stageVariables.inventory}/items/{proxy}
    curl http://127.0.0.1:3000/dev/inventory/TEA-1     # the backend's own answer
    curl http://127.0.0.1:3000/dev/inventory/NOPE      # the backend's 404, as it is
    # MOCK: API Gateway answers itself
    curl http://127.0.0.1:3000/dev/health

The ``dev`` stage's ``inventory`` variable is ``127.0.0.1:8081`` (or ``$INVENTORY_HOST``);
``prod`` points at the deployed service.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from pydantic import BaseModel, Field

from framework import RestApi, integrations
from framework.integrations import IntegrationResponse

api = RestApi("shop")
api.stage("dev", variables={"inventory": os.environ.get("INVENTORY_HOST", "127.0.0.1:8081")})
api.stage("prod", variables={"inventory": "inventory.internal.example.com"})

PRICES = {"TEA-1": 3.5, "TEA-2": 4.0, "MUG-7": 9.0}


class OrderRequest(BaseModel):
    """What a client may send: API Gateway refuses anything else (validate="body")."""

    sku: str = Field(pattern=r"^[A-Z]+-[0-9]+$")
    quantity: int = Field(ge=1, le=100)
    note: str | None = None


# The event the function receives: the client's fields renamed, plus who asked and where.
ORDER_EVENT = """{
  "item": $input.json('$.sku'),
  "count": $input.json('$.quantity'),
  "requestId": "$context.requestId",
  "stage": "$context.stage"
}"""

ORDER_CREATED = """#set($order = $input.path('$'))
{"order": "$order.id", "total": $order.total, "item": "$order.item"}"""

ORDER_FAILED = """{"error": "$util.escapeJavaScript($input.path('$.errorMessage'))"}"""


@api.post(
    "/orders",
    validate="body",
    model=OrderRequest,
    integration=integrations.lambda_custom(
        request_templates={"application/json": ORDER_EVENT},
        responses=[
            IntegrationResponse(201, templates={"application/json": ORDER_CREATED}),
            IntegrationResponse(
                404,
                selection_pattern="Not found: .*",
                templates={"application/json": ORDER_FAILED},
            ),
        ],
    ),
)
def place_order(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A plain Lambda handler (a Lambda custom integration): the event is the template's."""
    if event["item"] not in PRICES:
        raise LookupError(f"Not found: {event['item']}")
    return {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, event["requestId"])),
        "item": event["item"],
        "total": PRICES[event["item"]] * event["count"],
    }


api.add_integration(
    "/inventory/{proxy+}",
    integrations.http("http://${stageVariables.inventory}/items/{proxy}"),
    methods=["GET"],
    timeout=5,
)

api.add_integration(
    "/health",
    integrations.mock(template='{"status": "ok", "stage": "$context.stage"}'),
    methods=["GET"],
)
