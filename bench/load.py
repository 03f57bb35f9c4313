"""Load generators: ``wrk`` when installed, else an asyncio client over httpx.

Both keep ``connections`` keep-alive connections busy with ``GET url`` until ``duration``
seconds are up (the httpx client can also stop after a fixed number of requests) and
report requests/s and latency percentiles.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from common import percentile

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True, slots=True)
class LoadResult:
    tool: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def wrk_path() -> str | None:
    return shutil.which("wrk")


def choose(tool: str) -> str:
    """``auto`` picks wrk when it is on PATH, else httpx."""
    if tool == "auto":
        return "wrk" if wrk_path() else "httpx"
    if tool == "wrk" and not wrk_path():
        raise SystemExit("bench: --loadgen wrk, but wrk is not installed (apt-get install wrk)")
    return tool


def run(tool: str, url: str, *, connections: int, duration: float) -> LoadResult:
    if tool == "wrk":
        return run_wrk(url, connections=connections, duration=duration)
    return asyncio.run(run_httpx(url, connections=connections, duration=duration))


# -- wrk ------------------------------------------------------------------------------------


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if match is None:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(url: str, *, connections: int, duration: float) -> LoadResult:
    seconds = max(1, round(duration))
    command = [
        wrk_path() or "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
        url,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", output)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if total is None or rps is None or set(percentiles) != {"50", "99"}:
        raise RuntimeError(f"cannot read wrk's output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    elapsed = float(total.group(2)) * _UNITS.get(total.group(3), 1000.0) / 1000
    return LoadResult(
        "wrk",
        float(rps.group(1)),
        _ms(percentiles["50"]),
        _ms(percentiles["99"]),
        int(total.group(1)),
        errors,
        elapsed,
    )


# -- httpx ----------------------------------------------------------------------------------


async def run_httpx(
    url: str,
    *,
    connections: int,
    duration: float,
    max_requests: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """``connections`` workers, each with its own single-connection client (httpx's shared
    pool serialises badly under concurrency), until the time or the request budget is up."""
    import httpx

    latencies: list[float] = []
    errors = 0
    issued = 0
    deadline = 0.0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors, issued
        while time.perf_counter() < deadline and (max_requests is None or issued < max_requests):
            issued += 1
            started = time.perf_counter()
            try:
                response = await client.get(url)
                await response.aread()
                ok = response.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            errors += not ok
            if on_progress is not None:
                on_progress(len(latencies))

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(5.0)
    # verify=False: plain HTTP, and loading the CA bundle 32 times takes about a second.
    clients = [
        httpx.AsyncClient(limits=limits, timeout=timeout, verify=False) for _ in range(connections)
    ]
    started = time.perf_counter()
    deadline = started + duration
    try:
        await asyncio.gather(*(worker(client) for client in clients))
    finally:
        for client in clients:
            await client.aclose()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return LoadResult(
        "httpx",
        len(ordered) / elapsed if elapsed else 0.0,
        percentile(ordered, 0.50) * 1000,
        percentile(ordered, 0.99) * 1000,
        len(ordered),
        errors,
        elapsed,
    )
