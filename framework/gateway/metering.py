"""api_key and throttle steps: API keys, usage plans, token buckets and quotas.

As API Gateway meters a REST API (AWS developer guide, "Throttle requests to your REST
APIs" and "Usage plans and API keys for REST APIs"):
- a method that requires a key needs one that exists, is enabled, and belongs to a usage
  plan covering the stage; otherwise 403 Forbidden. The key comes from the ``x-api-key``
  header, or from the Lambda authorizer's ``usageIdentifierKey`` (source AUTHORIZER);
- throttling is a token bucket: ``burst`` tokens at most, refilled at ``rate`` per second.
  The stage's method throttling (the route's ``throttle=``, else the stage's) and the
  usage plan's per-key throttling (the plan's per-method limit, else its own) both apply,
  each with the most specific limit; an empty bucket is 429 Too Many Requests;
- a quota counts a key's requests per calendar period (UTC); past it, 429 Limit Exceeded.
"""

from __future__ import annotations

import calendar
import threading
import time
from dataclasses import dataclass
from typing import Any

from framework.declare.api import RestApi
from framework.declare.usage import ApiKey, Quota, Throttle, UsagePlan
from framework.events.rest import resource_id
from framework.gateway.clock import Clock
from framework.gateway.context import GatewayResponseError, InvocationContext


def api_key_id(api_name: str, key_name: str) -> str:
    """A stable id for a key, shaped like API Gateway's (``a1b2c3d4e5``)."""
    return resource_id(api_name, f"api key {key_name}") + resource_id(key_name, api_name)[:4]


class TokenBucket:
    """``burst`` tokens at most, ``rate`` added per second; thread-safe."""

    def __init__(self, limit: Throttle, clock: Clock) -> None:
        self.limit = limit
        self.clock = clock
        self.tokens = float(limit.burst)
        self.updated = clock.monotonic()
        self._lock = threading.Lock()

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(float(self.limit.burst), self.tokens + elapsed * self.limit.rate)
        self.updated = now

    def take(self) -> bool:
        with self._lock:
            self._refill(self.clock.monotonic())
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False

    def available(self) -> float:
        with self._lock:
            self._refill(self.clock.monotonic())
            return self.tokens


def period_start(quota: Quota, now: float) -> float:
    """The UTC start of the quota period containing ``now``."""
    t = time.gmtime(now)
    midnight = calendar.timegm((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0))
    if quota.period == "DAY":
        return float(midnight)
    if quota.period == "WEEK":
        sunday_based = (t.tm_wday + 1) % 7  # tm_wday: Monday 0; offset 0 is Sunday
        back = (sunday_based - quota.offset) % 7
        return float(midnight - back * 86400)
    day = quota.offset + 1
    year, month = t.tm_year, t.tm_mon
    if t.tm_mday < day:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return float(calendar.timegm((year, month, day, 0, 0, 0)))


def period_end(quota: Quota, start: float) -> float:
    t = time.gmtime(start)
    if quota.period == "DAY":
        return start + 86400
    if quota.period == "WEEK":
        return start + 7 * 86400
    year, month = (t.tm_year + 1, 1) if t.tm_mon == 12 else (t.tm_year, t.tm_mon + 1)
    return float(calendar.timegm((year, month, t.tm_mday, 0, 0, 0)))


@dataclass(slots=True)
class _Usage:
    start: float
    used: int = 0


class Metering:
    """API keys, throttling and quotas for one API."""

    def __init__(self, api: RestApi, clock: Clock) -> None:
        self.api = api
        self.clock = clock
        self._buckets: dict[tuple[Any, ...], TokenBucket] = {}
        self._usage: dict[tuple[str, str], _Usage] = {}
        self._lock = threading.Lock()
        self._plans: dict[str, tuple[UsagePlan, ...]] = {}
        for plan in api.usage_plans:
            for stage in api.plan_stages(plan):  # checks the plan's stages and methods
                self._plans[stage] = (*self._plans.get(stage, ()), plan)

    # -- api_key ----------------------------------------------------------------------------

    def api_key(self, ctx: InvocationContext) -> None:
        route = ctx.route
        if route is None or not route.api_key_required:
            return
        if self.api.api_key_source == "AUTHORIZER":
            value = ctx.usage_identifier_key
        else:
            value = ctx.header("x-api-key")
        found = self._find(ctx.stage.name, value) if value else None
        if found is None:
            raise GatewayResponseError("INVALID_API_KEY", "no valid API key for this stage")
        plan, key = found
        ctx.plan, ctx.api_key = plan, key
        if ctx.event is not None:
            identity = ctx.event["requestContext"]["identity"]
            identity["apiKey"] = key.value
            identity["apiKeyId"] = api_key_id(self.api.name, key.name)

    def _find(self, stage: str, value: str) -> tuple[UsagePlan, ApiKey] | None:
        for plan in self._plans.get(stage, ()):
            for key in plan.keys:
                if key.value == value and key.enabled:
                    return plan, key
        return None

    # -- throttle ---------------------------------------------------------------------------

    def _bucket(self, key: tuple[Any, ...], limit: Throttle) -> TokenBucket:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None or bucket.limit != limit:
                bucket = self._buckets[key] = TokenBucket(limit, self.clock)
            return bucket

    def throttle(self, ctx: InvocationContext) -> None:
        route = ctx.route
        if route is None:
            return
        declared = f"{route.method} {route.path}"
        # Each HTTP method has its own bucket, an ANY route's too (synth writes one
        # MethodSetting per method it serves).
        method = f"{ctx.method} {route.path}"
        server = route.throttle or ctx.stage.throttle
        if (
            server is not None
            and not self._bucket(("stage", ctx.stage.name, method), server).take()
        ):
            raise GatewayResponseError("THROTTLED", f"stage {ctx.stage.name} {method}")
        plan, key = ctx.plan, ctx.api_key
        if plan is None or key is None:
            return
        per_method = plan.method_throttles.get(declared)
        client = per_method or plan.throttle
        if client is not None:
            scope = method if per_method else "*"
            if not self._bucket(("key", plan.name, key.name, scope), client).take():
                raise GatewayResponseError("THROTTLED", f"key {key.name} in plan {plan.name}")
        if plan.quota is not None:
            self._count(plan, key, plan.quota)

    def _count(self, plan: UsagePlan, key: ApiKey, quota: Quota) -> None:
        start = period_start(quota, self.clock.time())
        with self._lock:
            usage = self._usage.get((plan.name, key.name))
            if usage is None or usage.start != start:
                usage = self._usage[(plan.name, key.name)] = _Usage(start)
            if usage.used >= quota.limit:
                raise GatewayResponseError("QUOTA_EXCEEDED", f"key {key.name}: {quota.limit}")
            usage.used += 1

    # -- the developer's view ---------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """Each plan's keys: quota used and remaining, tokens left in their buckets."""
        now = self.clock.time()
        plans = []
        for plan in self.api.usage_plans:
            keys = []
            for key in plan.keys:
                entry: dict[str, Any] = {"name": key.name, "enabled": key.enabled}
                if plan.quota is not None:
                    start = period_start(plan.quota, now)
                    usage = self._usage.get((plan.name, key.name))
                    used = usage.used if usage is not None and usage.start == start else 0
                    entry["quota"] = {
                        "limit": plan.quota.limit,
                        "period": plan.quota.period,
                        "used": used,
                        "remaining": max(0, plan.quota.limit - used),
                        "resets_at": time.strftime(
                            "%Y-%m-%dT%H:%M:%SZ", time.gmtime(period_end(plan.quota, start))
                        ),
                    }
                buckets = {
                    k[3]: round(b.available(), 3)
                    for k, b in list(self._buckets.items())
                    if k[:3] == ("key", plan.name, key.name)
                }
                if buckets:
                    entry["tokens"] = buckets
                keys.append(entry)
            plans.append(
                {
                    "name": plan.name,
                    "stages": list(self.api.plan_stages(plan)),
                    "throttle": _limit(plan.throttle),
                    "keys": keys,
                }
            )
        return {"api": self.api.name, "usage_plans": plans}


def _limit(throttle: Throttle | None) -> dict[str, float] | None:
    return None if throttle is None else {"rate": throttle.rate, "burst": throttle.burst}
