"""Cold start: the wall-clock cost of importing each peer's entry module in a fresh interpreter.

Each sample is one ``python -c "import <peer>"`` process; the same interpreter running
``python -c pass`` is the baseline, subtracted from the medians. The child's CPU time
(user + system) is recorded too, as a cross-check less disturbed by other work.
Processes are interleaved (baseline, peer 1, peer 2, ... then again) so that drift in the
machine's speed hits every peer alike. Bytecode caches are written by a first, untimed
import of each peer.
"""

from __future__ import annotations

import resource
import subprocess
import time
from collections.abc import Sequence
from typing import Any

from common import CHALICE, FLOOR, PYTHON, ROOT, Peer, median, peer_env, ratio

TIMEOUT = 60.0


def _command(peer: Peer | None) -> list[str]:
    return [PYTHON, "-c", "pass" if peer is None else f"import {peer.module}"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one child; children run one at a time, so the
    difference in RUSAGE_CHILDREN is this child's CPU time."""
    cpu = _cpu()
    started = time.perf_counter()
    subprocess.run(
        command,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.perf_counter() - started, _cpu() - cpu


def measure(peers: Sequence[Peer], runs: int) -> dict[str, Any]:
    """Median wall-clock ms per peer, net of the bare interpreter, and the ratios."""
    env = peer_env()
    for peer in peers:  # untimed: compile and cache the bytecode, fail early on a broken peer
        _run(_command(peer), env)
    _run(_command(None), env)
    samples: dict[str, list[tuple[float, float]]] = {"baseline": []}
    samples.update({peer.key: [] for peer in peers})
    for _ in range(runs):
        samples["baseline"].append(_run(_command(None), env))
        for peer in peers:
            samples[peer.key].append(_run(_command(peer), env))
    baseline_ms = median(wall for wall, _ in samples["baseline"]) * 1000
    baseline_cpu_ms = median(cpu for _, cpu in samples["baseline"]) * 1000
    rows: dict[str, dict[str, Any]] = {}
    for peer in peers:
        total_ms = median(wall for wall, _ in samples[peer.key]) * 1000
        cpu_ms = median(cpu for _, cpu in samples[peer.key]) * 1000
        rows[peer.key] = {
            "label": peer.label,
            "median_ms": round(total_ms, 2),
            "net_ms": round(max(total_ms - baseline_ms, 0.0), 2),
            # CPU time is less sensitive to other work on the machine: a cross-check.
            "net_cpu_ms": round(max(cpu_ms - baseline_cpu_ms, 0.0), 2),
        }
    for row in rows.values():
        for name, other in (("chalice", CHALICE), ("floor", FLOOR)):
            row[f"vs_{name}"] = _ratio(row, rows.get(other.key), "net_ms")
            row[f"cpu_vs_{name}"] = _ratio(row, rows.get(other.key), "net_cpu_ms")
    return {
        "runs": runs,
        "baseline_ms": round(baseline_ms, 2),
        "baseline_cpu_ms": round(baseline_cpu_ms, 2),
        "peers": rows,
    }


def _ratio(row: dict[str, Any], other: dict[str, Any] | None, key: str) -> float | None:
    value = ratio(row[key], other[key] if other else None)
    return round(value, 3) if value is not None else None
