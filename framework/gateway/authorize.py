"""Policy and authorize steps: resource policies, Lambda authorizers, Cognito, IAM.

How API Gateway combines a resource policy with the method's authorization (AWS developer
guide, "How API Gateway resource policies affect authorization workflow", Table A, caller
and API in the same account):
- the resource policy is evaluated first; an explicit Deny ends the request (403);
- with no authorization, the resource policy must allow the method explicitly;
- otherwise either may allow: a Lambda authorizer's policy that neither allows nor denies
  the method passes when the resource policy allows it, and vice versa; an explicit Deny
  from either wins;
- with IAM, the caller's IAM policies are not evaluated locally: a valid signature counts
  as allowed; a successful Cognito authentication counts as allowed.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from framework.declare.api import RestApi
from framework.declare.auth import CognitoAuthorizer, IamAuthorizer, LambdaAuthorizer
from framework.events.authorizer import request_event, token_event
from framework.events.policy import (
    MalformedPolicy,
    check_authorizer_output,
    context_strings,
    evaluate,
)
from framework.events.rest import ACCOUNT_ID, api_id, method_arn
from framework.gateway import sigv4
from framework.gateway.clock import Clock
from framework.gateway.cognito import CognitoVerifier, TokenRejected, claims_for_event
from framework.gateway.context import GatewayResponseError, InvocationContext
from framework.gateway.lambda_env import IntegrationTimeout, InvocationError, LambdaService

# The longest API Gateway waits for a REST Lambda authorizer (unverified; the integration
# limit of 29 s is used).
AUTHORIZER_TIMEOUT = 29.0


@dataclass(slots=True)
class _Cached:
    expires: float
    principal: str
    policy: Any
    context: dict[str, Any]
    usage_identifier_key: str | None


class Authorization:
    """The policy and authorize steps for one API, with the authorizer result cache."""

    def __init__(self, api: RestApi, lambdas: LambdaService, clock: Clock) -> None:
        self.api = api
        self.api_id = api_id(api.name)
        self.lambdas = lambdas
        self.clock = clock
        self._cache: dict[tuple[str, str, tuple[str | None, ...]], _Cached] = {}
        self._lock = threading.Lock()
        self._cognito: dict[str, CognitoVerifier] = {}
        self._handlers = {a.name: api.authorizer_handler(a.name) for a in api.lambda_authorizers}

    def method_arn(self, ctx: InvocationContext) -> str:
        return method_arn(ctx.api.name, ctx.stage.name, ctx.method, ctx.raw_path)

    # -- policy -----------------------------------------------------------------------------

    def policy(self, ctx: InvocationContext) -> None:
        """Evaluate the resource policy; records its effect for ``authorize``."""
        if self.api.policy is None or ctx.route is None:
            return
        arn = self.method_arn(ctx)
        effect = evaluate(
            self.api.policy.document, arn, api_id=self.api_id, source_ip=ctx.source_ip
        )
        ctx.policy_effect = effect or "Neither"
        if effect == "Deny" or (effect is None and ctx.route.authorizer is None):
            masked = arn.replace(f":{ACCOUNT_ID}:", f":********{ACCOUNT_ID[-4:]}:")
            suffix = " with an explicit deny" if effect == "Deny" else ""
            message = (
                f"User: anonymous is not authorized to perform: execute-api:Invoke on "
                f"resource: {masked}{suffix}"
            )
            raise GatewayResponseError(
                "ACCESS_DENIED",
                f"resource policy: {effect or 'no Allow'}",
                message=message,
            )

    # -- authorize --------------------------------------------------------------------------

    async def authorize(self, ctx: InvocationContext) -> None:
        route = ctx.route
        if route is None or route.authorizer is None:
            return
        authorizer = route.authorizer
        if isinstance(authorizer, LambdaAuthorizer):
            await self._lambda(ctx, authorizer)
        elif isinstance(authorizer, CognitoAuthorizer):
            self._cognito_step(ctx, authorizer, route.authorization_scopes)
        else:
            self._iam(ctx, authorizer)

    async def _lambda(self, ctx: InvocationContext, authorizer: LambdaAuthorizer) -> None:
        assert ctx.event is not None
        arn = self.method_arn(ctx)
        values = self._identity_values(ctx, authorizer)
        if authorizer.type == "TOKEN":
            token = values[0]
            if not token:
                raise GatewayResponseError("UNAUTHORIZED", "no identity token")
            if authorizer.validation_regex and not re.fullmatch(authorizer.validation_regex, token):
                raise GatewayResponseError("UNAUTHORIZED", "the token fails the validation regex")
            event = token_event(arn, token)
        else:
            # With caching on, every identity source must be present and non-empty, or the
            # request is refused without calling the authorizer.
            if authorizer.ttl and not all(values):
                raise GatewayResponseError("UNAUTHORIZED", "an identity source is missing")
            event = request_event(arn, ctx.event)
        ctx.authorizer_event = event
        key = (authorizer.name, ctx.stage.name, tuple(values))
        now = self.clock.monotonic()
        with self._lock:
            cached = self._cache.get(key)
        if cached is None or cached.expires <= now:
            started = time.perf_counter()
            cached = await self._invoke(ctx, authorizer, event, key, now)
            latency = int((time.perf_counter() - started) * 1000)
        else:
            latency = 0
        effect = evaluate(cached.policy, arn, api_id=self.api_id, source_ip=ctx.source_ip)
        if effect == "Deny":
            raise GatewayResponseError("ACCESS_DENIED", "the authorizer's policy denies it")
        if effect is None and ctx.policy_effect != "Allow":
            raise GatewayResponseError(
                "ACCESS_DENIED_IMPLICIT", f"the authorizer's policy does not allow {arn}"
            )
        ctx.event["requestContext"]["authorizer"] = {
            "principalId": cached.principal,
            "integrationLatency": latency,
            **context_strings(cached.context),
        }
        ctx.usage_identifier_key = cached.usage_identifier_key

    async def _invoke(
        self,
        ctx: InvocationContext,
        authorizer: LambdaAuthorizer,
        event: Any,
        key: tuple[str, str, tuple[str | None, ...]],
        now: float,
    ) -> _Cached:
        try:
            output = await self.lambdas.invoke(
                self.api,
                authorizer.function,
                event,
                integration_timeout=AUTHORIZER_TIMEOUT,
                handler=self._handlers[authorizer.name],
            )
        except InvocationError as exc:
            if exc.error_message == "Unauthorized":
                raise GatewayResponseError("UNAUTHORIZED", "the authorizer said so") from None
            raise GatewayResponseError("AUTHORIZER_CONFIGURATION_ERROR", str(exc)) from None
        except IntegrationTimeout as exc:
            raise GatewayResponseError("AUTHORIZER_CONFIGURATION_ERROR", str(exc)) from None
        try:
            principal, policy, context = check_authorizer_output(output)
        except MalformedPolicy as exc:
            print(
                f"[ERROR] {self.api.name} authorizer {authorizer.name} RequestId: "
                f"{ctx.request_id}\nExecution failed due to configuration error: {exc}",
                flush=True,
            )
            raise GatewayResponseError("AUTHORIZER_CONFIGURATION_ERROR", str(exc)) from None
        usage_key = output.get("usageIdentifierKey")
        result = _Cached(now + authorizer.ttl, principal, policy, context, usage_key)
        if authorizer.ttl:
            with self._lock:
                self._cache[key] = result
        return result

    def _identity_values(
        self, ctx: InvocationContext, authorizer: LambdaAuthorizer
    ) -> tuple[str | None, ...]:
        assert ctx.event is not None
        values: list[str | None] = []
        for source in authorizer.identity_sources:
            if source.startswith("method.request.header."):
                values.append(ctx.header(source[len("method.request.header.") :]))
            elif source.startswith("method.request.querystring."):
                query = ctx.event["queryStringParameters"] or {}
                values.append(query.get(source[len("method.request.querystring.") :]))
            elif source.startswith("stageVariables."):
                values.append(ctx.stage.variables.get(source[len("stageVariables.") :]))
            else:
                value: Any = ctx.event["requestContext"]
                for part in source[len("context.") :].split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                values.append(None if value is None else str(value))
        return tuple(values)

    def _cognito_step(
        self, ctx: InvocationContext, authorizer: CognitoAuthorizer, scopes: tuple[str, ...]
    ) -> None:
        assert ctx.event is not None
        token = ctx.header(authorizer.identity_source[len("method.request.header.") :])
        if not token:
            raise GatewayResponseError("UNAUTHORIZED", "no token")
        if token.startswith("Bearer "):  # tolerated; API Gateway documents the bare token
            token = token[len("Bearer ") :]
        verifier = self._cognito.get(authorizer.name)
        if verifier is None:
            verifier = self._cognito[authorizer.name] = CognitoVerifier(authorizer, self.clock)
        try:
            claims = verifier.verify(token, scopes)
        except TokenRejected as exc:
            raise GatewayResponseError("UNAUTHORIZED", f"Cognito: {exc}") from None
        ctx.event["requestContext"]["authorizer"] = {"claims": claims_for_event(claims)}

    def _iam(self, ctx: InvocationContext, authorizer: IamAuthorizer) -> None:
        assert ctx.event is not None
        host = ctx.header("host") or "localhost"
        prefix = f"/{ctx.stage.name}" if ctx.stage_in_path else ""
        query = f"?{ctx.query_string}" if ctx.query_string else ""
        url = f"{ctx.scheme}://{host}{prefix}{ctx.raw_path}{query}"
        try:
            caller = sigv4.verify(
                authorizer,
                method=ctx.method,
                url=url,
                headers=ctx.headers,
                body=ctx.body,
                now=self.clock.time(),
            )
        except sigv4.SignatureRejected as exc:
            if exc.missing:
                raise GatewayResponseError("MISSING_AUTHENTICATION_TOKEN", "no signature") from None
            raise GatewayResponseError(
                "INVALID_SIGNATURE",
                exc.message,
                message=exc.message,
                error_type=exc.error_type,
            ) from None
        identity = ctx.event["requestContext"]["identity"]
        identity["accessKey"] = caller.access_key
        identity["accountId"] = caller.credential.account_id
        identity["caller"] = caller.credential.user_id
        identity["user"] = caller.credential.user_id
        identity["userArn"] = caller.credential.user_arn
