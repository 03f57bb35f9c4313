"""Where the framework spends its time: the profile behind each benchmark target.

    python bench/hotspots.py                  # all sections, about a minute
    python bench/hotspots.py --only cold,live

Sections: ``cold`` (``-X importtime`` of the native peer, attributed to the framework
module that triggered each import), ``warm`` (cProfile of ``api.handler``), ``gateway``
(the local gateway in-process, without sockets: FastAPI wrapper, pipeline, thread hop,
calls per request), ``live`` (the served gateway: the keep-alive latency signature, the
TCP_NODELAY diagnosis, and py-spy's view of the process under load when py-spy is
installed). Writes bench/results/hotspots.md.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import os
import pstats
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import timeit
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import asgi_drive
import importtree
import load
import patched_serve
import serve
import warm
from common import (
    BENCH,
    CHALICE,
    FASTAPI,
    FLOOR,
    FRAMEWORK,
    PEERS_DIR,
    PYTHON,
    RESULTS,
    FakeLambdaContext,
    add_peers_to_path,
    median,
    peer_env,
)

SECTIONS = ("cold", "warm", "gateway", "live")
# Cumulative: each row of the live table takes one more cost away (see patched_serve.py).
LIVE_PATCHES = ("nodelay", "nodelay,random", "nodelay,random,inline", "nodelay,random,inline,bare")


def _ms(us: float) -> str:
    return f"{us / 1000:.2f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def _where(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    for marker in ("site-packages/", str(BENCH.parent) + "/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
    if filename == "~":
        return function
    return f"`{filename}:{line}` {function}"


def _top(profile: cProfile.Profile, per: int, limit: int) -> list[list[str]]:
    """The functions with the most own time, per unit of work (``per`` units profiled)."""
    stats = pstats.Stats(profile).stats
    total = sum(row[2] for row in stats.values()) or 1.0
    rows = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:limit]
    return [
        [
            _where(key),
            f"{ncalls / per:.2f}",
            f"{own / per * 1e6:.2f}",
            f"{cumulative / per * 1e6:.2f}",
            f"{own / total:.1%}",
        ]
        for key, (_, ncalls, own, cumulative, _) in rows
    ]


# -- cold ---------------------------------------------------------------------------------------


# Run in a fresh interpreter: time the work done at import by the framework's own
# ``@dataclass`` decorators and ``re.compile`` calls (their callers' module is framework.*).
_IMPORT_WORK = """
import json, sys, time, dataclasses, re
stats = {}
def owner():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name not in ("dataclasses", "re", "__main__"):
            return name
        frame = frame.f_back
    return ""
def timed(fn, key):
    def wrapper(*args, **kwargs):
        who = owner()
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            if who.startswith("framework"):
                row = stats.setdefault(key, [0, 0.0])
                row[0] += 1
                row[1] += time.perf_counter() - started
    return wrapper
dataclasses._process_class = timed(dataclasses._process_class, "@dataclass")
re.compile = timed(re.compile, "re.compile")
import framework_native
print(json.dumps(stats))
"""


def _import_work(runs: int) -> dict[str, tuple[float, float]]:
    """``{"@dataclass": (count, ms)}``: median over ``runs`` fresh interpreters."""
    samples: dict[str, list[tuple[float, float]]] = {}
    for _ in range(runs):
        completed = subprocess.run(
            [PYTHON, "-c", _IMPORT_WORK],
            env=peer_env(),
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        for key, (count, seconds) in json.loads(completed.stdout).items():
            samples.setdefault(key, []).append((count, seconds * 1000))
    return {
        key: (median(c for c, _ in values), median(ms for _, ms in values))
        for key, values in samples.items()
    }


def cold(runs: int) -> list[str]:
    framework = importtree.sample(FRAMEWORK.module, runs)
    chalice = importtree.sample(CHALICE.module, runs)
    floor = importtree.sample(FLOOR.module, runs)
    lines = [
        "## Cold start: what `import framework_native` imports",
        "",
        f"`python -X importtime`, median of {runs} interpreters. Cumulative import time of the "
        f"entry module: framework native **{_ms(framework[FRAMEWORK.module].cumulative_us)} ms**, "
        f"Chalice {_ms(chalice[CHALICE.module].cumulative_us)} ms, "
        f"floor {_ms(floor[FLOOR.module].cumulative_us)} ms (-X importtime inflates all of them "
        "alike). Modules loaded: framework native "
        f"{len(framework)}, Chalice {len(chalice)}, floor {len(floor)}.",
        "",
        "The framework's own modules, by own (self) time:",
        "",
    ]
    lines += _table(
        ["module", "self ms", "cumulative ms", "imported by"],
        [
            [m.name, _ms(m.self_us), _ms(m.cumulative_us), m.parent or "–"]
            for m in importtree.owned(framework, "framework")
        ],
    )
    lines += ["What the framework's modules pull in (first importer; cumulative):", ""]
    lines += _table(
        ["module", "cumulative ms", "imported by", "Chalice peer loads it too"],
        [
            [
                m.name,
                _ms(m.cumulative_us),
                m.parent or "–",
                "yes" if m.name in chalice else "**no**",
            ]
            for m in importtree.entry_points(framework, "framework")
            if m.cumulative_us >= 200
        ],
    )
    work = _import_work(runs)
    if work:
        lines += [
            "Work done at import by the framework's own code (without -X importtime, "
            "`dataclasses` and `re` already imported; median of "
            f"{runs}): "
            + "; ".join(
                f"{key}: {count:.0f} calls, {ms:.2f} ms ({ms / max(count, 1):.2f} ms each)"
                for key, (count, ms) in sorted(work.items())
            )
            + ".",
            "",
        ]
    return lines


# -- warm ---------------------------------------------------------------------------------------


def warm_section(invocations: int) -> list[str]:
    events = warm.build_events()
    handler = warm.load_handler(FRAMEWORK)
    floor = warm.load_handler(FLOOR)
    lines = ["## Warm: cProfile of the native `api.handler`", ""]
    for route in warm.TIMED:
        event = events[route]
        context = FakeLambdaContext()
        timings = warm.time_handlers({"framework": handler, "floor": floor}, event, 5, 0.1)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(invocations):
            handler(event, context)
        profile.disable()
        lines += [
            f"`{route}`: {timings['framework']:.2f} µs per invocation unprofiled (floor "
            f"{timings['floor']:.2f} µs). Profiled, per invocation:",
            "",
        ]
        lines += _table(
            ["function", "calls", "own µs", "cumulative µs", "share of own time"],
            _top(profile, invocations, 14),
        )
    return lines


# -- gateway (in-process) -----------------------------------------------------------------------


@contextmanager
def counting(targets: Sequence[tuple[Any, str]]) -> Iterator[Counter[str]]:
    """Count calls of module-level functions (``uuid.uuid4``...), whichever thread calls."""
    counts: Counter[str] = Counter()
    saved = []

    def counted(original: Callable[..., Any], label: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[label] += 1
            return original(*args, **kwargs)

        return wrapper

    for owner, name in targets:
        original = getattr(owner, name)
        saved.append((owner, name, original))
        setattr(owner, name, counted(original, f"{owner.__name__}.{name}"))
    try:
        yield counts
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


@contextmanager
def patched(owner: Any, name: str, value: Any) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def ablations(api: Any, path: str, requests: int) -> list[str]:
    """The in-process gateway with one cost taken away at a time (this process only)."""
    from framework.gateway.app import create_app

    def measure(inline: bool, urandom: bool, wrapper: bool) -> float:
        app = create_app(api)
        target = app if wrapper else app.state.gateway
        with ExitStack() as stack:
            if inline:
                stack.enter_context(
                    patched(app.state.gateway.lambdas, "_executor", patched_serve.InlineExecutor())
                )
            if urandom:
                stack.enter_context(patched(os, "urandom", patched_serve.pseudo_urandom))
            return asgi_drive.run(target, path, requests=requests, concurrency=32)

    variants = [
        ("as served: `create_app(api)`", False, False, True),
        ("without the FastAPI wrapper (ApiGateway alone)", False, False, False),
        ("ApiGateway alone, `os.urandom` -> `random.getrandbits`", False, True, False),
        ("ApiGateway alone, function called inline (no worker thread)", True, False, False),
        ("ApiGateway alone, both", True, True, False),
        ("`create_app(api)`, both", True, True, True),
    ]
    try:
        rows = []
        for label, inline, urandom, wrapper in variants:
            us = min(measure(inline, urandom, wrapper) for _ in range(5))
            rows.append([label, f"{us:.1f}", f"{1e6 / us:,.0f}"])
    except AttributeError as exc:  # the gateway's internals moved: nothing to take away
        return [f"Ablations skipped: {exc}.", ""]
    lines = [
        "Ablations: the same drive (32 in flight, best of 5) with one cost taken away by a "
        "monkeypatch in this process (diagnostic only, not a proposed implementation):",
        "",
    ]
    return lines + _table(["gateway", "µs/request", "requests/s ceiling"], rows)


# Pipeline pieces captured from one real request, then replayed alone: (module, attribute,
# what it is). Each is looked up through its module at call time, so patching sees it.
PIECES = (
    ("framework.gateway.steps", "parse", "step parse: request ids, epoch"),
    ("framework.gateway.app", "route", "step route: resource tree match"),
    ("framework.gateway.steps", "build_event", "step build_event"),
    ("framework.gateway.steps", "build_rest_event", "  of which build_rest_event"),
    ("framework.events.rest", "_short_id", "    of which _short_id (sha256)"),
    ("framework.gateway.lambda_env", "LocalLambdaContext", "LocalLambdaContext(...)"),
    ("framework.gateway.steps", "respond", "step respond"),
    ("framework.gateway.steps", "parse_proxy_response", "  of which parse_proxy_response"),
)


@contextmanager
def capturing(pieces: Sequence[tuple[str, str, str]]) -> Iterator[dict[str, list[Any]]]:
    """Record each piece's calls (args, kwargs, result) while the block runs."""
    calls: dict[str, list[Any]] = {}
    saved = []

    def recorder(original: Callable[..., Any], key: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            calls.setdefault(key, []).append((args, kwargs, result))
            return result

        return wrapper

    for module_name, name, _ in pieces:
        try:
            module = importlib.import_module(module_name)
            original = getattr(module, name)
        except (ImportError, AttributeError):
            continue
        saved.append((module, name, original))
        setattr(module, name, recorder(original, f"{module_name}.{name}"))
    try:
        yield calls
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def _per_call(fn: Callable[..., Any], args: Any, kwargs: Any) -> float:
    timer = timeit.Timer(lambda: fn(*args, **kwargs))
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=3, number=number)) / number * 1e6


def components(api: Any, path: str) -> list[str]:
    """µs per call of each pipeline piece, replayed with the arguments of a real request."""
    from framework.gateway.app import create_app

    app = create_app(api)
    requests = 20
    with capturing(PIECES) as calls:
        asgi_drive.run(app.state.gateway, path, requests=requests, concurrency=1)
    rows = []
    for module_name, name, label in PIECES:
        recorded = calls.get(f"{module_name}.{name}")
        if not recorded:
            rows.append([label, "–", "not called"])
            continue
        fn = getattr(importlib.import_module(module_name), name)
        args, kwargs, _ = recorded[-1]
        per_request = len(recorded) / (requests + 1)
        rows.append([label, f"{_per_call(fn, args, kwargs):.2f}", f"{per_request:.1f}"])
    event = (calls.get("framework.gateway.steps.build_rest_event") or [((), {}, None)])[-1][2]
    if event is not None:
        context = FakeLambdaContext()
        result = api.handler(event, context)
        rows.append(
            [
                "the function: `api.handler(event, context)`",
                f"{_per_call(api.handler, (event, context), {}):.2f}",
                "1.0",
            ]
        )
        rows.append(
            [
                "Lambda boundary: `json.loads(json.dumps(result))`",
                f"{_per_call(lambda: json.loads(json.dumps(result)), (), {}):.2f}",
                "1.0",
            ]
        )
    rows.append(
        ["`str(uuid.uuid4())`", f"{_per_call(lambda: str(uuid.uuid4()), (), {}):.2f}", "3.0"]
    )
    lines = [
        "Pipeline pieces, each replayed alone with the arguments it got from a real request "
        "(µs per call, unprofiled; nested rows are part of the row above):",
        "",
    ]
    return lines + _table(["piece", "µs per call", "calls per request"], rows)


async def _hop(concurrency: int, requests: int, wait_for: bool) -> float:
    """µs per ``run_in_executor`` round trip of a no-op, as the gateway invokes a function."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(64)
    per_worker = requests // concurrency

    async def worker() -> None:
        for _ in range(per_worker):
            future = loop.run_in_executor(pool, int)
            await (asyncio.wait_for(future, 29.0) if wait_for else future)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    pool.shutdown()
    return elapsed / (per_worker * concurrency) * 1e6


def gateway(requests: int) -> list[str]:
    add_peers_to_path()
    from framework.gateway.app import create_app

    api = importlib.import_module(FRAMEWORK.module).api
    fastapi_app = importlib.import_module(FASTAPI.module).app
    app = create_app(api)
    inner = getattr(app.state, "gateway", None)
    path = "/pets/7"
    rows = []
    candidates: list[tuple[str, Any]] = [
        ("FastAPI app alone (what plain uvicorn serves)", fastapi_app),
        ("`create_app(api)`: FastAPI + Mount('/') + ApiGateway", app),
    ]
    if inner is not None:
        candidates.append(("`app.state.gateway`: the ApiGateway ASGI app alone", inner))
    for label, candidate in candidates:
        one = asgi_drive.run(candidate, path, requests=requests // 4, concurrency=1)
        many = asgi_drive.run(candidate, path, requests=requests, concurrency=32)
        rows.append([label, f"{one:.1f}", f"{many:.1f}", f"{1e6 / many:,.0f}"])
    lines = [
        "## Local gateway in-process (no sockets)",
        "",
        f"`GET {path}` sent straight to the ASGI app ({requests:,} requests); the ceiling "
        "each app could reach on one core if the server cost nothing.",
        "",
    ]
    lines += _table(
        ["ASGI app", "µs/request, 1 in flight", "µs/request, 32 in flight", "requests/s ceiling"],
        rows,
    )

    hop_rows = []
    for concurrency in (1, 32):
        bare = asyncio.run(_hop(concurrency, requests, wait_for=False))
        waited = asyncio.run(_hop(concurrency, requests, wait_for=True))
        hop_rows.append([str(concurrency), f"{bare:.1f}", f"{waited:.1f}"])
    uuid_us = min(timeit.repeat(lambda: str(uuid.uuid4()), number=20_000, repeat=3)) / 20_000 * 1e6
    lines += [
        "Invoking the function on a worker thread (`LambdaService.invoke`: "
        "`loop.run_in_executor` + `asyncio.wait_for`), the same pattern on a no-op:",
        "",
    ]
    lines += _table(["in flight", "run_in_executor µs", "+ wait_for µs"], hop_rows)
    lines += [f"One `str(uuid.uuid4())` costs {uuid_us:.2f} µs.", ""]
    lines += ablations(api, path, requests)
    lines += components(api, path)

    targets = [
        (uuid, "uuid4"),
        (os, "urandom"),
        (json, "dumps"),
        (json, "loads"),
        (time, "strftime"),
        (time, "gmtime"),
    ]
    with counting(targets) as counts:
        n = 500
        asgi_drive.run(app, path, requests=n, concurrency=1)
    calls = ", ".join(f"`{name}` {count / (n + 1):.1f}" for name, count in sorted(counts.items()))
    lines += [f"Standard-library calls per request through `create_app(api)`: {calls}.", ""]

    # The function inline, so that one profiler sees the whole request (with worker
    # threads it would see only the event loop's half).
    inline_app = create_app(api)
    executor = patched_serve.InlineExecutor()
    profile = cProfile.Profile()
    try:
        with patched(inline_app.state.gateway.lambdas, "_executor", executor):
            profile.enable()
            asgi_drive.run(inline_app, path, requests=requests, concurrency=32)
            profile.disable()
    except AttributeError as exc:
        return lines + [f"Profile skipped: {exc}.", ""]
    lines += [
        f"cProfile of `create_app(api)` serving {requests:,} requests, 32 in flight, the "
        "function called inline (so the profile holds the whole request), per request:",
        "",
    ]
    lines += _table(
        ["function", "calls", "own µs", "cumulative µs", "share of own time"],
        _top(profile, requests, 30),
    )
    return lines


# -- live (sockets, wrk, py-spy) ----------------------------------------------------------------


def _patched_target(patches: str) -> serve.Target:
    def command(port: int, scratch: Path) -> tuple[list[str], Path]:
        target = PEERS_DIR / f"{FRAMEWORK.module}.py"
        argv = [
            PYTHON,
            str(BENCH / "patched_serve.py"),
            patches,
            "serve",
            str(target),
            "--port",
            str(port),
            "--quiet",
        ]
        return argv, BENCH.parent

    label = "framework serve + " + " + ".join(f"`{p}`" for p in patches.split(","))
    return serve.Target(f"framework_{patches.replace(',', '_')}", label, command)


def _listening_proto() -> str:
    try:
        from framework.gateway.server import _socket
    except ImportError:
        return "unknown (framework.gateway.server._socket is gone)"
    sock = _socket("127.0.0.1", 0)
    try:
        return f"proto={sock.proto} (IPPROTO_TCP is {socket.IPPROTO_TCP})"
    finally:
        sock.close()


def _py_spy(pid: int, seconds: float, url: str, tool: str) -> list[str]:
    spy = shutil.which("py-spy", path=str(Path(PYTHON).parent)) or shutil.which("py-spy")
    if spy is None:
        return ["py-spy is not installed (`pip install py-spy`): no sampling profile.", ""]
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "profile.txt"
        loader = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); import load; "
                "load.run(sys.argv[2], sys.argv[3], connections=32, duration=float(sys.argv[4]))",
                str(BENCH),
                tool,
                url,
                str(seconds + 3),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(1.0)
            subprocess.run(
                [
                    spy,
                    "record",
                    "-p",
                    str(pid),
                    "-d",
                    str(int(seconds)),
                    "-r",
                    "100",
                    "--nonblocking",
                    "-f",
                    "raw",
                    "-o",
                    str(raw),
                ],
                capture_output=True,
                timeout=seconds + 30,
                check=False,
            )
        finally:
            loader.wait(timeout=seconds + 60)
        if not raw.exists():
            return ["py-spy could not attach (ptrace permission?): no sampling profile.", ""]
        text = raw.read_text()
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [_strip_line(f) for f in stack.split(";")]
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            inclusive[frame] += int(count)
    lines = [
        f"py-spy, 100 Hz for {seconds:g} s, while {tool} keeps 32 connections busy "
        f"({total:,} samples, all threads). Most own time:",
        "",
    ]
    lines += _table(["function", "own"], [[f, f"{n / total:.1%}"] for f, n in own.most_common(15)])
    lines += ["Framework functions, inclusive of what they call:", ""]
    lines += _table(
        ["function", "inclusive"],
        [[f, f"{n / total:.1%}"] for f, n in inclusive.most_common() if "framework/" in f][:20],
    )
    return lines


def _strip_line(frame: str) -> str:
    # "invoke (framework/gateway/lambda_env.py:140)" -> "invoke (framework/gateway/lambda_env.py)"
    name, _, where = frame.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", str(BENCH.parent) + "/"):
        if marker in where:
            where = where.split(marker, 1)[1]
    return f"{name} ({where})" if where else name


def live(seconds: float, tool: str) -> list[str]:
    lines = [
        "## Local gateway served",
        "",
        f"The gateway's listening socket: {_listening_proto()}. Accepted connections inherit "
        "it, and asyncio only sets TCP_NODELAY when proto is IPPROTO_TCP.",
        "",
    ]
    rows = []
    spy: list[str] = []
    with tempfile.TemporaryDirectory(prefix="petbench-hot-") as folder:
        targets = [serve.FRAMEWORK_SERVE]
        targets += [_patched_target(p) for p in LIVE_PATCHES]
        targets += [serve.UVICORN]
        for target in targets:
            with serve.running(target, Path(folder)) as (base, pid):
                url = base + serve.ROUTE
                load.run(tool, url, connections=8, duration=1.0)
                single = load.run(tool, url, connections=1, duration=seconds)
                many = load.run(tool, url, connections=32, duration=seconds)
                rows.append(
                    [
                        target.label,
                        f"{single.p50_ms:.2f}",
                        f"{single.rps:,.0f}",
                        f"{many.rps:,.0f}",
                        f"{many.p50_ms:.2f}",
                        f"{many.p99_ms:.2f}",
                    ]
                )
                if target.key == "framework_nodelay":
                    spy = _py_spy(pid, max(seconds, 5.0), url, tool)
    lines += [f"`GET {serve.ROUTE}`, {tool}, {seconds:g} s per row:", ""]
    lines += _table(
        [
            "server",
            "p50 ms, 1 connection",
            "req/s, 1 connection",
            "req/s, 32 connections",
            "p50 ms, 32",
            "p99 ms, 32",
        ],
        rows,
    )
    return lines + spy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/hotspots.py", description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("--loadgen", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    lines = ["# Hot spots", "", time.strftime("%Y-%m-%d %H:%M:%S %Z"), ""]
    if "cold" in only:
        lines += cold(9)
    if "warm" in only:
        lines += warm_section(20_000)
    if "gateway" in only:
        lines += gateway(4_000)
    if "live" in only:
        lines += live(4.0, load.choose(args.loadgen))
    text = "\n".join(lines).rstrip() + "\n"
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "hotspots.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
