"""Integrations other than Lambda proxy, for ``api.add_integration`` and ``integration=``.

>>> from framework import integrations
>>> api.add_integration("/status", integrations.mock(template='{"ok": true}'), methods=["GET"])
>>> api.add_integration("/legacy/{proxy+}", integrations.http("https://legacy.example.com/{proxy}"),
...                     methods=["ANY"])
>>> @api.post("/orders", integration=integrations.lambda_custom(
...     request_templates={"application/json": '{"order": $input.json("$")}'},
...     responses=[integrations.IntegrationResponse(200),
...                integrations.IntegrationResponse(400, selection_pattern="Invalid.*")]))
... def place_order(event, context): ...
"""

from __future__ import annotations

from framework.declare.integrations import (
    AwsIntegration,
    HttpIntegration,
    Integration,
    IntegrationResponse,
    LambdaIntegration,
    MockIntegration,
    aws,
    http,
    lambda_custom,
    mock,
)

__all__ = [
    "AwsIntegration",
    "HttpIntegration",
    "Integration",
    "IntegrationResponse",
    "LambdaIntegration",
    "MockIntegration",
    "aws",
    "http",
    "lambda_custom",
    "mock",
]
