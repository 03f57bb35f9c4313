"""A module that declares two APIs: each is served on its own port."""

from __future__ import annotations

from framework import RestApi

users = RestApi("users")
orders = RestApi("orders")
orders.stage("live")


@users.get("/users")
def list_users() -> list[str]:
    return ["ada"]


@orders.get("/orders")
def list_orders() -> list[str]:
    return ["o-1"]
