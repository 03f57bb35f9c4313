"""The pet store, metered: API keys, two usage plans, throttling, a quota, and gateway
responses that tell a throttled client what happened.

    python -m framework serve examples/metered/app.py
    curl -H 'x-api-key: free-key-0000000000000000' http://127.0.0.1:3000/dev/pets
    curl http://127.0.0.1:3000/__framework/usage          # who used how much
"""

from __future__ import annotations

from framework import NotFoundError, Quota, RestApi, Throttle

api = RestApi("metered", api_key_required=True)
# Every method of a stage is throttled at 50 requests/s (burst 100) for everyone together.
api.stage("dev", throttle=Throttle(rate=50, burst=100))
api.stage("prod", throttle=Throttle(rate=500, burst=1000))

free = api.usage_plan(
    "free",
    throttle=Throttle(rate=1, burst=3),
    quota=Quota(limit=100, period="DAY"),
    description="3 requests at once, 1 per second after that, 100 a day",
)
free.add_key("free-demo", "free-key-0000000000000000")
pro = api.usage_plan(
    "pro",
    throttle=Throttle(rate=20, burst=40),
    quota=Quota(limit=100_000, period="MONTH"),
    method_throttles={"POST /pets": Throttle(rate=5, burst=5)},
)
pro.add_key("pro-demo", "pro-key-00000000000000000")
pro.add_key("pro-generated")  # a value is generated and printed by serve
pro.add_key("pro-revoked", "revoked-key-000000000000", enabled=False)

# Tell throttled and over-quota clients what happened and when to come back.
api.gateway_response(
    "THROTTLED",
    headers={"Retry-After": "1"},
    template='{"message": $context.error.messageString, "hint": "slow down"}',
)
api.gateway_response(
    "QUOTA_EXCEEDED",
    headers={"Retry-After": "86400"},
    template='{"message": $context.error.messageString, "hint": "upgrade to pro"}',
)
api.gateway_response(
    "INVALID_API_KEY",
    template='{"message": "send a valid x-api-key header", "requestId": "$context.requestId"}',
)

PETS = {"1": {"id": "1", "name": "Tom"}, "2": {"id": "2", "name": "Rex"}}


@api.get("/pets")
def list_pets() -> list[dict[str, str]]:
    return list(PETS.values())


@api.post("/pets", status_code=201)
def create_pet() -> dict[str, str]:
    return {"id": str(len(PETS) + 1)}


@api.get("/pets/{pet_id}", throttle=Throttle(rate=100, burst=200))
def get_pet(pet_id: str) -> dict[str, str]:
    if pet_id not in PETS:
        raise NotFoundError(f"no pet {pet_id}")
    return PETS[pet_id]


@api.get("/health", api_key_required=False)
def health() -> dict[str, str]:
    return {"status": "ok"}
