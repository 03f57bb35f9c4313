"""What runs inside Lambda. Standard library only at import time."""

from __future__ import annotations

from framework.runtime.dispatch import Dispatcher
from framework.runtime.request import Headers, Request
from framework.runtime.response import Response, to_proxy_response

__all__ = ["Dispatcher", "Headers", "Request", "Response", "to_proxy_response"]
