"""An API with every non-proxy integration: MOCK, HTTP, HTTP_PROXY, Lambda custom, AWS.

``build(backend)`` declares it for an HTTP backend at ``backend`` (``host:port``, the
``dev`` stage's ``backend`` variable); the ``down`` stage points at a port nobody listens
on. The HTTP integrations reach the backend through ``${stageVariables.backend}``.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from framework import RestApi, integrations
from framework.integrations import IntegrationResponse

JSON = "application/json"

ORDER_TEMPLATE = """{
  "item": $input.json('$.name'),
  "quantity": $input.path('$.qty'),
  "stage": "$context.stage",
  "color": "$stageVariables.color"
}"""

ORDER_RESPONSE = """#set($order = $input.path('$'))
{"orderId": "$order.id", "total": $order.total, "item": "$order.event.item"}"""

ERROR_RESPONSE = (
    """{"error": "$input.path('$.errorMessage')", "type": "$input.path('$.errorType')"}"""
)

PET_REQUEST = """{"full_name": $input.json('$.name'), "years": $input.json('$.age')}"""

PET_RESPONSE = """#set($pet = $input.path('$'))
{"pet": "$pet.received.full_name", "age": $pet.received.years, "id": "$pet.id",
 "caller": "$pet.caller", "query": "$pet.query", "agent": "$pet.user_agent"}"""


def place_order(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """A plain Lambda handler: the event is what the request template made."""
    if event["item"] == "boom":
        raise RuntimeError("kaboom")
    if event["quantity"] <= 0:
        raise ValueError(f"Invalid quantity: {event['quantity']}")
    return {"id": "o-1", "total": event["quantity"] * 3, "event": event}


def dawdle(event: Any, context: Any) -> dict[str, Any]:
    time.sleep(1)
    return {}


def send_message(body: str) -> dict[str, Any]:
    """A stand-in for SQS SendMessage: the MessageId is derived from the body."""
    if "poison" in body:
        raise RuntimeError("queue is full")
    return {"MessageId": hashlib.sha256(body.encode()).hexdigest()[:16], "MD5OfMessageBody": "x"}


def build(backend: str, down: str = "127.0.0.1:9") -> RestApi:
    api = RestApi("integrations", binary_media_types=["image/png", "application/octet-stream"])
    api.stage("dev", variables={"backend": backend, "color": "blue"})
    api.stage("down", variables={"backend": down, "color": "red"})

    # -- MOCK ------------------------------------------------------------------------------
    api.add_integration(
        "/status",
        integrations.mock(
            request_template=(
                "#if($input.params('fail') == 'yes')"
                '{"statusCode": 503}#else{"statusCode": 200}#end'
            ),
            responses=[
                IntegrationResponse(
                    200,
                    headers={"X-Mock": "'yes'", "X-Stage": "context.stage"},
                    templates={JSON: '{"ok": true, "stage": "$context.stage"}'},
                ),
                IntegrationResponse(
                    503, selection_pattern="5\\d\\d", templates={JSON: '{"ok": false}'}
                ),
            ],
        ),
        methods=["GET"],
    )
    api.add_integration(
        "/mock/broken-template",
        integrations.mock(request_template='#if($input.params("x") == "y"){"statusCode": 200}'),
        methods=["GET"],
    )
    api.add_integration(
        "/mock/no-status",
        integrations.mock(request_template='{"status": "fine"}'),
        methods=["GET"],
    )

    # -- HTTP_PROXY ------------------------------------------------------------------------
    api.add_integration(
        "/proxy/{proxy+}",
        integrations.http("http://${stageVariables.backend}/echo/{proxy}"),
        methods=["ANY"],
    )
    api.add_integration(
        "/files/{name}",
        integrations.http("http://${stageVariables.backend}/files/{name}"),
        methods=["GET", "POST"],
    )
    api.add_integration(
        "/slow",
        integrations.http("http://${stageVariables.backend}/slow"),
        methods=["GET"],
        timeout=0.5,
    )
    api.add_integration(
        "/nowhere",
        integrations.http("http://no-such-host.invalid/x"),
        methods=["GET"],
        timeout=5,
    )

    # -- HTTP (custom) ---------------------------------------------------------------------
    api.add_integration(
        "/legacy/pets/{id}",
        integrations.http(
            "http://${stageVariables.backend}/pets/{id}",
            proxy=False,
            request_parameters={
                "integration.request.path.id": "method.request.path.id",
                "integration.request.header.X-Caller": "method.request.header.X-User",
                "integration.request.querystring.verbose": "'yes'",
            },
            request_templates={JSON: PET_REQUEST},
            responses=[
                IntegrationResponse(
                    200,
                    headers={
                        "X-Freshness": "integration.response.header.X-Status",
                        "X-Static": "'fixed'",
                    },
                    templates={JSON: PET_RESPONSE},
                ),
                IntegrationResponse(
                    404, selection_pattern="404", templates={JSON: '{"message": "no such pet"}'}
                ),
                IntegrationResponse(
                    502,
                    selection_pattern="5\\d\\d",
                    templates={JSON: '{"message": "$input.path(\'$.error\')"}'},
                ),
            ],
        ),
        methods=["POST"],
    )

    # -- Lambda custom -----------------------------------------------------------------------
    api.add_route(
        "/orders",
        place_order,
        methods=["POST"],
        integration=integrations.lambda_custom(
            request_templates={JSON: ORDER_TEMPLATE},
            responses=[
                IntegrationResponse(200, templates={JSON: ORDER_RESPONSE}),
                IntegrationResponse(
                    400, selection_pattern="Invalid.*", templates={JSON: ERROR_RESPONSE}
                ),
            ],
        ),
    )
    api.add_route(
        "/orders/raw",
        place_order,
        methods=["POST"],
        integration=integrations.lambda_custom(
            request_templates={JSON: ORDER_TEMPLATE},
            responses=[
                IntegrationResponse(200),
                IntegrationResponse(400, selection_pattern="Invalid.*"),
            ],
        ),
    )
    api.add_route(
        "/orders/strict",
        place_order,
        methods=["POST"],
        integration=integrations.lambda_custom(
            request_templates={JSON: ORDER_TEMPLATE}, passthrough="NEVER"
        ),
    )
    api.add_route(
        "/orders/broken-response",
        place_order,
        methods=["POST"],
        integration=integrations.lambda_custom(
            request_templates={JSON: ORDER_TEMPLATE},
            responses=[
                IntegrationResponse(200, templates={JSON: "#foreach($x in $input.path('$'))"})
            ],
        ),
    )

    api.add_route(
        "/orders/slow",
        dawdle,
        methods=["POST"],
        timeout=0.3,
        integration=integrations.lambda_custom(),
    )

    # -- AWS service -----------------------------------------------------------------------
    api.add_integration(
        "/queue",
        integrations.aws(
            "sqs",
            action="SendMessage",
            request_templates={JSON: '{"QueueUrl": "orders", "MessageBody": $input.json(\'$\')}'},
            responses=[
                IntegrationResponse(
                    200, templates={JSON: '{"queued": "$input.path(\'$.MessageId\')"}'}
                ),
                IntegrationResponse(
                    502,
                    selection_pattern="5\\d\\d",
                    templates={JSON: '{"error": "$input.path(\'$.message\')"}'},
                ),
            ],
            local=send_message,
        ),
        methods=["POST"],
    )
    api.add_integration("/unplugged", integrations.aws("sns", action="Publish"), methods=["POST"])
    return api
