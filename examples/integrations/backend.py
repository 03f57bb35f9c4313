"""The inventory service the integrations example proxies to: a tiny HTTP backend.

    python examples/integrations/backend.py            # http://127.0.0.1:8081
    python examples/integrations/backend.py --port 9000

``GET /items/{sku}`` answers the stock of an item (404 for an unknown one), ``GET
/items`` lists them; any other path is 404.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

STOCK = {"TEA-1": 12, "TEA-2": 0, "MUG-7": 3}


async def list_items(request: Request) -> JSONResponse:
    return JSONResponse({"items": [{"sku": k, "stock": v} for k, v in STOCK.items()]})


async def get_item(request: Request) -> JSONResponse:
    sku = request.path_params["sku"]
    if sku not in STOCK:
        return JSONResponse({"message": f"no item {sku}"}, status_code=404)
    return JSONResponse(
        {"sku": sku, "stock": STOCK[sku], "via": request.headers.get("user-agent")},
        headers={"X-Inventory": "local"},
    )


app = Starlette(routes=[Route("/items", list_items), Route("/items/{sku}", get_item)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    print(f"inventory backend on http://{args.host}:{args.port}/items", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
