"""API keys, usage plans, throttling and quotas, enforced with API Gateway's semantics."""

from __future__ import annotations

import asyncio
import calendar
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from framework import (
    AuthorizerRequest,
    Cors,
    DeclarationError,
    InvalidOptionError,
    Quota,
    Request,
    RestApi,
    Throttle,
    allow,
)
from framework.gateway.metering import period_start
from framework.testing import AsyncClient, Client, ManualClock

FORBIDDEN = b'{"message":"Forbidden"}'
TOO_MANY = b'{"message":"Too Many Requests"}'
LIMIT = b'{"message":"Limit Exceeded"}'


def metered_api() -> RestApi:
    api = RestApi("metered", api_key_required=True)
    api.stage("dev")
    api.stage("prod")
    free = api.usage_plan(
        "free",
        stages=["dev"],
        throttle=Throttle(rate=1, burst=5),
        quota=Quota(limit=8, period="DAY"),
        method_throttles={"POST /items": Throttle(rate=0, burst=1)},
    )
    free.add_key("alice", "alice-key-000000000000000")
    free.add_key("mallory", "mallory-key-0000000000000", enabled=False)
    prod_only = api.usage_plan("prod-only", stages=["prod"])
    prod_only.add_key("bob", "bob-key-00000000000000000")

    @api.get("/items")
    def items(request: Request) -> dict[str, Any]:
        identity = request.event["requestContext"]["identity"]
        return {"apiKey": identity.get("apiKey"), "apiKeyId": identity.get("apiKeyId")}

    @api.post("/items")
    def create() -> dict[str, str]:
        return {"created": "yes"}

    @api.get("/free", api_key_required=False, throttle=Throttle(rate=0, burst=2))
    def free_route() -> dict[str, str]:
        return {"free": "yes"}

    return api


@pytest.fixture()
def clock() -> ManualClock:
    # Noon UTC on a Wednesday, so a day's quota has 12 hours left.
    return ManualClock(calendar.timegm((2026, 11, 18, 12, 0, 0)))


@pytest.fixture()
def client(clock: ManualClock) -> Iterator[Client]:
    with Client(metered_api(), stage="dev", clock=clock) as client:
        yield client


def key(value: str) -> dict[str, str]:
    return {"x-api-key": value}


def assert_error(response: httpx.Response, status: int, body: bytes, error_type: str) -> None:
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["x-amzn-errortype"] == error_type


def test_a_missing_unknown_or_disabled_key_is_403_forbidden(client: Client) -> None:
    for headers in ({}, key("no-such-key-0000000000000"), key("mallory-key-0000000000000")):
        assert_error(client.get("/items", headers=headers), 403, FORBIDDEN, "ForbiddenException")


def test_a_key_of_a_plan_for_another_stage_is_403(clock: ManualClock) -> None:
    api = metered_api()
    with (
        Client(api, stage="dev", clock=clock) as dev,
        Client(api, stage="prod", clock=clock) as prod,
    ):
        assert dev.get("/items", headers=key("bob-key-00000000000000000")).status_code == 403
        assert prod.get("/items", headers=key("bob-key-00000000000000000")).status_code == 200
        assert prod.get("/items", headers=key("alice-key-000000000000000")).status_code == 403


def test_the_key_reaches_the_event(client: Client) -> None:
    seen = client.get("/items", headers=key("alice-key-000000000000000")).json()
    assert seen["apiKey"] == "alice-key-000000000000000"
    assert len(seen["apiKeyId"]) == 10


def test_a_burst_of_parallel_requests_gets_exactly_burst_successes(clock: ManualClock) -> None:
    api = metered_api()

    async def fire(count: int) -> Counter[int]:
        async with AsyncClient(api, stage="dev", clock=clock) as client:
            responses = await asyncio.gather(
                *(
                    client.get("/items", headers=key("alice-key-000000000000000"))
                    for _ in range(count)
                )
            )
        for response in responses:
            if response.status_code == 429:
                assert response.content == TOO_MANY
                assert response.headers["x-amzn-errortype"] == "TooManyRequestsException"
        return Counter(r.status_code for r in responses)

    # Time stands still: a bucket of 5 serves 5 of 20 concurrent requests.
    assert asyncio.run(fire(20)) == Counter({200: 5, 429: 15})


def test_the_bucket_refills_at_the_rate(client: Client, clock: ManualClock) -> None:
    alice = key("alice-key-000000000000000")
    statuses = [client.get("/items", headers=alice).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    clock.advance(2)  # rate 1/s: two more tokens
    statuses = [client.get("/items", headers=alice).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_a_plans_method_throttle_is_more_specific_than_the_plans(client: Client) -> None:
    alice = key("alice-key-000000000000000")
    assert client.post("/items", headers=alice).status_code == 200
    assert client.post("/items", headers=alice).status_code == 429  # burst 1 for POST
    assert client.get("/items", headers=alice).status_code == 200  # GET has its own bucket


def test_method_throttling_applies_without_keys(client: Client) -> None:
    statuses = [client.get("/free").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_quota_counts_per_day_and_resets_at_midnight_utc(
    client: Client, clock: ManualClock
) -> None:
    alice = key("alice-key-000000000000000")
    codes = []
    for _ in range(10):
        clock.advance(5)  # keep the bucket full: only the quota limits
        codes.append(client.get("/items", headers=alice).status_code)
    assert codes == [200] * 8 + [429, 429]
    response = client.get("/items", headers=alice)
    assert_error(response, 429, LIMIT, "LimitExceededException")
    clock.advance(12 * 3600)  # past midnight UTC
    assert client.get("/items", headers=alice).status_code == 200


def test_the_usage_endpoint_shows_what_each_key_used(client: Client, clock: ManualClock) -> None:
    for _ in range(3):
        client.get("/items", headers=key("alice-key-000000000000000"))
    report = client.get("http://127.0.0.1:3000/__framework/usage").json()
    assert report["api"] == "metered"
    free = report["usage_plans"][0]
    assert free["name"] == "free" and free["stages"] == ["dev"]
    alice = free["keys"][0]
    assert alice["quota"] == {
        "limit": 8,
        "period": "DAY",
        "used": 3,
        "remaining": 5,
        "resets_at": "2026-11-19T00:00:00Z",
    }
    assert alice["tokens"] == {"*": 2.0}


def test_the_key_can_come_from_the_authorizer(clock: ManualClock) -> None:
    api = RestApi("by-authorizer", api_key_required=True, api_key_source="AUTHORIZER")
    plan = api.usage_plan("plan")
    plan.add_key("tenant", "tenant-key-0000000000000")

    @api.authorizer(ttl=0)
    def tenants(request: AuthorizerRequest) -> Any:
        return allow("t", routes=["*"], usage_identifier_key=request.token)

    api.get("/data", authorizer=tenants)(lambda: {"ok": True})
    with Client(api, clock=clock) as client:
        assert (
            client.get("/data", headers={"Authorization": "tenant-key-0000000000000"}).status_code
            == 200
        )
        assert (
            client.get("/data", headers={"Authorization": "other-key-0000000000000"}).status_code
            == 403
        )


@pytest.mark.parametrize(
    ("period", "offset", "now", "start"),
    [
        ("DAY", 0, (2026, 11, 18, 15, 30, 0), (2026, 11, 18, 0, 0, 0)),
        ("WEEK", 0, (2026, 11, 18, 15, 30, 0), (2026, 11, 15, 0, 0, 0)),  # Sunday
        ("WEEK", 1, (2026, 11, 18, 15, 30, 0), (2026, 11, 16, 0, 0, 0)),  # Monday
        ("WEEK", 3, (2026, 11, 18, 15, 30, 0), (2026, 11, 18, 0, 0, 0)),  # Wednesday
        ("MONTH", 0, (2026, 11, 18, 15, 30, 0), (2026, 11, 1, 0, 0, 0)),
        ("MONTH", 19, (2026, 11, 18, 15, 30, 0), (2026, 10, 20, 0, 0, 0)),
        ("MONTH", 19, (2026, 1, 5, 0, 0, 0), (2025, 12, 20, 0, 0, 0)),
    ],
)
def test_quota_periods_start_on_calendar_boundaries(
    period: Any, offset: int, now: tuple[int, ...], start: tuple[int, ...]
) -> None:
    quota = Quota(limit=1, period=period, offset=offset)
    assert period_start(quota, calendar.timegm(now)) == calendar.timegm(start)


# -- gateway responses ------------------------------------------------------------------------


def test_default_4xx_changes_every_4xx_that_has_no_response_of_its_own(
    clock: ManualClock,
) -> None:
    api = metered_api()
    api.gateway_response(
        "DEFAULT_4XX", headers={"X-Error": "yes", "X-Req": "method.request.header.X-Req"}
    )
    api.gateway_response("INVALID_API_KEY", status_code=401)
    with Client(api, stage="dev", clock=clock) as client:
        missing = client.get("/nowhere", headers={"X-Req": "r-1"})
        assert (missing.status_code, missing.headers["x-error"], missing.headers["x-req"]) == (
            403,
            "yes",
            "r-1",
        )
        no_key = client.get("/items")
        assert (no_key.status_code, no_key.content, no_key.headers["x-error"]) == (
            401,
            FORBIDDEN,
            "yes",
        )


def test_cors_apis_add_the_origin_to_gateway_errors() -> None:
    api = RestApi("cors", cors=Cors(allow_origins=["https://app.example"]))
    api.get("/x")(lambda: {})
    with Client(api) as client:
        response = client.get("/nothing")
    assert response.status_code == 403
    assert response.headers["access-control-allow-origin"] == "https://app.example"


def test_metering_declarations_are_checked(clock: ManualClock) -> None:
    api = RestApi("checks")
    api.stage("dev")
    with pytest.raises(InvalidOptionError, match="rate must be >= 0"):
        Throttle(rate=-1, burst=1)
    with pytest.raises(InvalidOptionError, match="period must be DAY, WEEK or MONTH"):
        Quota(limit=1, period="YEAR")  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="offset for a WEEK period must be 0-6"):
        Quota(limit=1, period="WEEK", offset=7)
    with pytest.raises(InvalidOptionError, match="unknown type"):
        api.gateway_response("NOT_A_TYPE")
    with pytest.raises(InvalidOptionError, match="does not let this response change"):
        api.gateway_response("REQUEST_TOO_LARGE", status_code=400)
    with pytest.raises(InvalidOptionError, match="a static value cannot hold '"):
        api.gateway_response("THROTTLED", headers={"X-Note": "don't"})
    with pytest.raises(InvalidOptionError, match="must name one method"):
        api.usage_plan("stars", method_throttles={"* /*": Throttle(rate=1, burst=1)})
    plan = api.usage_plan("p", stages=["qa"])
    with pytest.raises(InvalidOptionError, match="20-128 printable"):
        plan.add_key("short", "abc")
    api.get("/x")(lambda: {})
    with pytest.raises(DeclarationError, match="names stage 'qa', which is not declared"):
        Client(api, clock=clock)
