"""Run the benchmarks against the peers and write bench/results/latest.{json,md}.

    python bench/run.py                       # everything, a few minutes
    python bench/run.py --quick               # smaller samples, about a minute
    python bench/run.py --only cold,warm      # some sections (cold, warm, serve, memory)

Prints the markdown table, with PASS/MISS for each target, when done.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import cold
import load
import memory
import report
import serve
import warm
from common import PEERS, RESULTS

SECTIONS = ("cold", "warm", "serve", "memory")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (a smoke run)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="auto: wrk if installed, else the asyncio httpx client",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, help="seconds per serving target")
    parser.add_argument(
        "--cold-runs", type=int, help="interpreters per peer (>= 15 unless --quick)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(only) - set(SECTIONS))
    if unknown:
        raise SystemExit(
            f"bench: unknown section(s) {', '.join(unknown)}; use {', '.join(SECTIONS)}"
        )
    quick = args.quick
    tool = load.choose(args.loadgen) if {"serve", "memory"} & set(only) else None
    started = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    results: dict[str, Any] = {}

    def step(name: str) -> None:
        print(f"bench: {name} ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    if "cold" in only:
        step("cold start")
        results["cold"] = cold.measure(PEERS, args.cold_runs or (7 if quick else 21))
    if "warm" in only:
        step("warm invocation")
        results["warm"] = warm.measure(
            PEERS, rounds=3 if quick else 7, min_round=0.05 if quick else 0.2
        )
    if "serve" in only and tool is not None:
        step(f"local serving ({tool})")
        results["serve"] = serve.measure(
            serve.TARGETS,
            tool=tool,
            connections=args.connections,
            duration=args.duration or (3.0 if quick else 10.0),
            warmup=1.0 if quick else 2.0,
        )
    if "memory" in only:
        step("memory")
        results["memory"] = memory.measure(
            requests=4_000 if quick else 20_000,
            warmup=500 if quick else 2_000,
            connections=args.connections,
            time_limit=30.0 if quick else 90.0,
        )
    results["targets"] = report.verdicts(results)
    results["meta"] = {
        "finished": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "args": " ".join(argv if argv is not None else sys.argv[1:]),
        "seconds": round(time.monotonic() - started, 1),
        "load_average_start": load_at_start,
        "environment": report.environment(tool),
    }
    text = report.markdown(results)
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
        (RESULTS / "latest.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
