"""The gateway's clock: real by default, controllable in tests (no sleeping for TTLs)."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def time(self) -> float:
        """Seconds since the epoch (request times, token expiry, signature skew, quotas)."""
        ...

    def monotonic(self) -> float:
        """Seconds for measuring intervals (cache TTLs, token buckets)."""
        ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that moves only when told to.

    >>> clock = ManualClock()
    >>> client = Client(api, clock=clock)
    >>> clock.advance(301)          # the authorizer's cached policy has now expired
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        return self.time()

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
