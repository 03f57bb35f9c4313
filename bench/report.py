"""The verdicts (PASS/MISS per target) and the markdown table of one run."""

from __future__ import annotations

import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from common import FRAMEWORK
from warm import GET_ONE, POST

PACKAGES = (
    "framework",
    "chalice",
    "aws-lambda-powertools",
    "fastapi",
    "starlette",
    "mangum",
    "uvicorn",
    "pydantic",
    "httpx",
)


@dataclass(frozen=True, slots=True)
class Goal:
    name: str
    section: str
    read: Callable[[dict[str, Any]], float | bool | None]
    limit: str
    passes: Callable[[Any], bool]


def _get(*path: str) -> Callable[[dict[str, Any]], Any]:
    def read(section: dict[str, Any]) -> Any:
        value: Any = section
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value

    return read


GOALS = (
    Goal(
        "cold import, framework ÷ Chalice",
        "cold",
        _get("peers", FRAMEWORK.key, "vs_chalice"),
        "≤ 0.5",
        lambda v: v <= 0.5,
    ),
    Goal(
        "warm GET /pets/{id}, framework ÷ Chalice",
        "warm",
        _get("routes", GET_ONE, FRAMEWORK.key, "vs_chalice"),
        "≤ 0.25",
        lambda v: v <= 0.25,
    ),
    Goal(
        "warm GET /pets/{id}, framework ÷ Powertools",
        "warm",
        _get("routes", GET_ONE, FRAMEWORK.key, "vs_powertools"),
        "≤ 0.25",
        lambda v: v <= 0.25,
    ),
    Goal(
        "local gateway req/s ÷ uvicorn + FastAPI",
        "serve",
        _get("ratios", "framework_vs_uvicorn"),
        "≥ 0.75",
        lambda v: v >= 0.75,
    ),
    Goal(
        "local gateway req/s ÷ chalice local",
        "serve",
        _get("ratios", "framework_vs_chalice_local"),
        "≥ 3",
        lambda v: v >= 3,
    ),
    Goal(
        "local gateway memory flat",
        "memory",
        _get("flat"),
        "growth ≤ 2 MiB / 2%",
        lambda v: bool(v),
    ),
)


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for goal in GOALS:
        section = results.get(goal.section)
        value = goal.read(section) if isinstance(section, dict) else None
        status = "SKIP" if value is None else ("PASS" if goal.passes(value) else "MISS")
        rows.append({"target": goal.name, "value": value, "limit": goal.limit, "status": status})
    return rows


def environment(loadgen: str | None) -> dict[str, Any]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": _cpus(),
        # Other work on the machine skews every figure: worth a look when numbers jump.
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "loadgen": loadgen,
        "versions": versions,
    }


def _cpus() -> int | None:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


# -- markdown -------------------------------------------------------------------------------


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _x(value: Any) -> str:
    return "–" if value is None else f"{value:.2f}×"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    env = meta["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    lines = [
        "# Benchmark results",
        "",
        f"{meta['finished']} · `python bench/run.py {meta['args']}` · {meta['seconds']:.0f} s · "
        f"Python {env['python']} on {env['platform']}, {env['cpus']} CPU(s), load average "
        f"{meta['load_average_start'][0]:.2f} at the start, {env['load_average'][0]:.2f} at the "
        "end · "
        f"load generator: {env['loadgen'] or '–'}",
        "",
        f"Versions: {versions}.",
        "",
        "## Targets",
        "",
    ]
    lines += _table(
        ["target", "measured", "goal", "result"],
        [
            [
                v["target"],
                _x(v["value"]) if isinstance(v["value"], float) else _num(v["value"]),
                v["limit"],
                f"**{v['status']}**",
            ]
            for v in results["targets"]
        ],
    )
    if "cold" in results:
        cold = results["cold"]
        lines += [
            "## Cold start: importing the entry module",
            "",
            f"Median of {cold['runs']} fresh interpreters per peer; net = minus a bare "
            f"`python -c pass` ({cold['baseline_ms']:.1f} ms wall-clock, "
            f"{cold['baseline_cpu_ms']:.1f} ms CPU). The target reads wall-clock; CPU time "
            "(user + system) is a cross-check.",
            "",
        ]
        lines += _table(
            ["peer", "median ms", "net ms", "÷ Chalice", "÷ floor", "net CPU ms", "CPU ÷ Chalice"],
            [
                [
                    row["label"],
                    _num(row["median_ms"], 1),
                    _num(row["net_ms"], 1),
                    _x(row["vs_chalice"]),
                    _x(row["vs_floor"]),
                    _num(row["net_cpu_ms"], 1),
                    _x(row["cpu_vs_chalice"]),
                ]
                for row in cold["peers"].values()
            ],
        )
    if "warm" in results:
        warm = results["warm"]
        get, post = warm["routes"].get(GET_ONE, {}), warm["routes"].get(POST, {})
        lines += [
            "## Warm invocation: µs per Lambda invocation",
            "",
            f"Median of {warm['rounds']} timeit rounds, same REST proxy events for every peer "
            f"(answers checked first: {', '.join(warm['checked'])}).",
            "",
        ]
        header = ["peer"]
        for route in (GET_ONE, POST):
            header += [f"{route} µs", "÷ Chalice", "÷ Powertools", "÷ floor"]
        rows = []
        for key, row in get.items():
            cells = [row["label"]]
            for route_rows in (get, post):
                r = route_rows.get(key, {})
                cells += [
                    _num(r.get("us")),
                    _x(r.get("vs_chalice")),
                    _x(r.get("vs_powertools")),
                    _x(r.get("vs_floor")),
                ]
            rows.append(cells)
        lines += _table(header, rows)
    if "serve" in results:
        serve = results["serve"]
        lines += [
            "## Local serving",
            "",
            f"`{serve['route']}` on 127.0.0.1, {serve['tool']}, {serve['connections']} "
            f"connections, {serve['warmup_s']:g} s warm-up then {serve['duration_s']:g} s.",
            "",
        ]
        rows = []
        for key, row in serve["targets"].items():
            versus = serve["ratios"].get(f"framework_vs_{key}")
            rows.append(
                [
                    row["label"],
                    _num(row["rps"], 0),
                    _num(row["p50_ms"]),
                    _num(row["p99_ms"]),
                    _num(row["requests"]),
                    _num(row["errors"]),
                    _x(versus) if versus else "–",
                ]
            )
        lines += _table(
            ["server", "req/s", "p50 ms", "p99 ms", "requests", "errors", "framework ÷ this"], rows
        )
    if "memory" in results:
        mem = results["memory"]
        mib = 1024
        lines += [
            "## Memory of the local gateway",
            "",
            f"{mem['requests']:,} requests (after {mem['warmup_requests']:,} to warm up) of "
            f"`{mem['route']}` in {mem['seconds']:.1f} s, RSS read from /proc as they complete.",
            "",
        ]
        lines += _table(
            [
                "RSS at start",
                "after warm-up",
                "first 10%",
                "last 10%",
                "end",
                "peak (VmHWM)",
                "growth",
                "flat",
            ],
            [
                [
                    f"{mem['rss_start_kib'] / mib:.1f} MiB",
                    f"{mem['rss_after_warmup_kib'] / mib:.1f} MiB",
                    f"{mem['rss_first_10pct_kib'] / mib:.1f} MiB",
                    f"{mem['rss_last_10pct_kib'] / mib:.1f} MiB",
                    f"{mem['rss_end_kib'] / mib:.1f} MiB",
                    f"{mem['peak_rss_kib'] / mib:.1f} MiB",
                    f"{mem['growth_kib']:+,} KiB ({mem['growth_pct']:+.2f}%)",
                    _num(mem["flat"]),
                ]
            ],
        )
    return "\n".join(lines).rstrip() + "\n"
