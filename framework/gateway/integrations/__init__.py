"""The integrate step for non-proxy integrations: MOCK, HTTP, HTTP_PROXY, AWS.

One module per integration type; ``mapping`` (integration request: templates,
passthrough, parameter mappings) and ``response`` (integration responses: selection
patterns, templates, header mappings) are shared. Lambda proxy routes
(``route.integration is None``) keep going through ``steps.integrate``.
"""

from __future__ import annotations

from framework.declare.api import RestApi
from framework.declare.integrations import (
    AwsIntegration,
    HttpIntegration,
    LambdaIntegration,
    MockIntegration,
)
from framework.events.proxy import HttpResponse
from framework.gateway.context import InvocationContext
from framework.gateway.integrations import (
    aws_service,
    http_custom,
    http_proxy,
    lambda_custom,
    mock,
)
from framework.gateway.lambda_env import LambdaService

__all__ = ["Integrations"]


class Integrations:
    """Runs the non-proxy integrations of one API.

    On creation it prints where each AWS service integration goes locally (a Python
    stand-in, a local endpoint, or nowhere), so nobody wonders whether AWS was called.
    """

    def __init__(self, api: RestApi, lambdas: LambdaService, *, announce: bool = True) -> None:
        self.api = api
        self.lambdas = lambdas
        lines = aws_service.destinations(api)
        if announce and lines:
            print(f"{api.name}: AWS service integrations run locally, never against AWS:")
            print("\n".join(lines), flush=True)

    async def __call__(self, ctx: InvocationContext) -> HttpResponse:
        """The method response for ``ctx``'s route, whose integration is not Lambda proxy."""
        route = ctx.route
        assert route is not None
        integration = route.integration
        if isinstance(integration, MockIntegration):
            return mock.invoke(ctx, integration)
        if isinstance(integration, HttpIntegration):
            if integration.proxy:
                return await http_proxy.invoke(ctx, integration)
            return await http_custom.invoke(ctx, integration)
        if isinstance(integration, LambdaIntegration):
            return await lambda_custom.invoke(ctx, integration, self.lambdas)
        if isinstance(integration, AwsIntegration):
            return await aws_service.invoke(ctx, integration)
        raise TypeError(f"{route}: not a non-proxy integration: {integration!r}")
