"""Memory: the local gateway's resident set while it serves a fixed number of requests.

The gateway (``python -m framework serve``) is warmed up, then sent ``requests`` requests by
the asyncio httpx client (a fixed count, which wrk cannot stop at), bounded in time. RSS is
read from ``/proc/<pid>/status`` as the requests complete; growth is the median RSS over
the last 10% of the requests minus the median over the first 10%. Peak is ``VmHWM``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import load
from common import median, read_status
from serve import FRAMEWORK_SERVE, ROUTE, running

# Flat: the last tenth of the run holds no more than this above the first tenth.
FLAT_KIB = 2048
FLAT_FRACTION = 0.02


def measure(*, requests: int, warmup: int, connections: int, time_limit: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="petbench-mem-") as folder:
        with running(FRAMEWORK_SERVE, Path(folder)) as (base, pid):
            started = read_status(pid)
            url = base + ROUTE
            asyncio.run(
                load.run_httpx(
                    url, connections=connections, duration=time_limit, max_requests=warmup
                )
            )
            after_warmup = read_status(pid)
            samples: list[tuple[int, int]] = []
            every = max(1, requests // 200)

            def sample(done: int) -> None:
                if done % every == 0:
                    samples.append((done, read_status(pid)["VmRSS"]))

            result = asyncio.run(
                load.run_httpx(
                    url,
                    connections=connections,
                    duration=time_limit,
                    max_requests=requests,
                    on_progress=sample,
                )
            )
            final = read_status(pid)
    done = result.requests
    first = [rss for n, rss in samples if n <= done * 0.1] or [after_warmup["VmRSS"]]
    last = [rss for n, rss in samples if n >= done * 0.9] or [final["VmRSS"]]
    first_kib, last_kib = median(first), median(last)
    growth = last_kib - first_kib
    return {
        "target": FRAMEWORK_SERVE.label,
        "route": f"GET {ROUTE}",
        "requests": done,
        "requested": requests,
        "warmup_requests": warmup,
        "errors": result.errors,
        "seconds": round(result.seconds, 2),
        "rss_start_kib": started["VmRSS"],
        "rss_after_warmup_kib": after_warmup["VmRSS"],
        "rss_first_10pct_kib": round(first_kib),
        "rss_last_10pct_kib": round(last_kib),
        "rss_end_kib": final["VmRSS"],
        "peak_rss_kib": final["VmHWM"],
        "threads_end": final.get("Threads"),
        "growth_kib": round(growth),
        "growth_pct": round(100 * growth / first_kib, 2) if first_kib else None,
        "flat": growth <= max(FLAT_KIB, FLAT_FRACTION * first_kib),
        "flat_rule": f"growth <= max({FLAT_KIB} KiB, {FLAT_FRACTION:.0%} of the first tenth)",
        "samples": samples,
    }
