"""The local API Gateway: a FastAPI app that runs API Gateway's pipeline in front of the
functions, invoked in-process. Local-only: never imported by the Lambda runtime."""

from __future__ import annotations

from framework.gateway.app import ApiGateway, create_app
from framework.gateway.lambda_env import LambdaService

__all__ = ["ApiGateway", "LambdaService", "create_app"]
