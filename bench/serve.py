"""Local serving: the same route through each local server, under a real load generator.

Targets (each a child process on 127.0.0.1, started, checked for correct answers, warmed
up, loaded for a fixed time, stopped):

* ``framework``: ``python -m framework serve bench/peers/framework_native.py --quiet``,
  the local API Gateway invoking the native handler;
* ``uvicorn``: the FastAPI peer's app served directly by ``uvicorn`` with its defaults
  (no gateway): the ceiling a gateway in front of Python handlers can hope to approach;
* ``uvicorn_sync``: FastAPI with plain ``def`` routes (run on Starlette's thread pool, as
  the gateway runs a Lambda handler on a worker thread), for reference only;
* ``chalice_local``: ``chalice local`` in a generated project whose app.py is the Chalice peer.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import load
from common import (
    CHALICE,
    FASTAPI,
    FRAMEWORK,
    HOST,
    PEERS_DIR,
    PYTHON,
    ROOT,
    check_http_api,
    free_port,
    peer_env,
    ratio,
    start,
    stop,
    wait_ready,
)

ROUTE = "/pets/7"


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    label: str
    # port, scratch directory -> (argv, working directory)
    command: Callable[[int, Path], tuple[list[str], Path]]


def _framework(port: int, scratch: Path) -> tuple[list[str], Path]:
    target = PEERS_DIR / f"{FRAMEWORK.module}.py"
    argv = [PYTHON, "-m", "framework", "serve", str(target), "--port", str(port), "--quiet"]
    return argv, ROOT


def _uvicorn(
    *extra: str, module: str | None = None
) -> Callable[[int, Path], tuple[list[str], Path]]:
    def command(port: int, scratch: Path) -> tuple[list[str], Path]:
        argv = [
            PYTHON,
            "-m",
            "uvicorn",
            f"{module or FASTAPI.module}:app",
            "--app-dir",
            str(PEERS_DIR),
            "--host",
            HOST,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            *extra,
        ]
        return argv, ROOT

    return command


def chalice_executable() -> str:
    beside = Path(PYTHON).parent / "chalice"
    found = str(beside) if beside.exists() else shutil.which("chalice")
    if found is None:
        raise RuntimeError("chalice is not installed: pip install -e '.[bench]'")
    return found


def chalice_project(folder: Path) -> Path:
    """A minimal Chalice project: app.py (the Chalice peer) and .chalice/config.json,
    which every chalice command, ``local`` included, reads."""
    project = folder / "petbench"
    (project / ".chalice").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PEERS_DIR / f"{CHALICE.module}.py", project / "app.py")
    config = {
        "version": "2.0",
        "app_name": "petbench",
        "stages": {"dev": {"api_gateway_stage": "api"}},
    }
    (project / ".chalice" / "config.json").write_text(json.dumps(config, indent=2))
    return project


def _chalice_local(port: int, scratch: Path) -> tuple[list[str], Path]:
    # --no-autoreload: one process (the reloader would fork a worker we would have to chase).
    argv = [chalice_executable(), "local", "--host", HOST, "--port", str(port), "--no-autoreload"]
    return argv, chalice_project(scratch)


FRAMEWORK_SERVE = Target("framework", "framework serve (local API Gateway)", _framework)
UVICORN = Target("uvicorn", "uvicorn + FastAPI, no gateway", _uvicorn())
UVICORN_SYNC = Target(
    "uvicorn_sync",
    "uvicorn + FastAPI, sync def route (reference)",
    _uvicorn(module="fastapi_sync"),
)
CHALICE_LOCAL = Target("chalice_local", "chalice local", _chalice_local)
TARGETS: tuple[Target, ...] = (FRAMEWORK_SERVE, UVICORN, UVICORN_SYNC, CHALICE_LOCAL)


@contextmanager
def running(target: Target, scratch: Path) -> Iterator[tuple[str, int]]:
    """Start ``target``, wait until it answers, check the API; yields (base URL, pid)."""
    port = free_port()
    argv, cwd = target.command(port, scratch)
    log = scratch / f"{target.key}.log"
    process = start(argv, cwd=cwd, env=peer_env(), log=log)
    base = f"http://{HOST}:{port}"
    try:
        try:
            wait_ready(process, base + ROUTE)
        except RuntimeError as exc:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{target.key}: {exc}\n{tail}") from None
        problems = check_http_api(base)
        if problems:
            raise RuntimeError(f"{target.key} answers wrongly:\n  " + "\n  ".join(problems))
        yield base, process.pid
    finally:
        stop(process)


def measure(
    targets: Sequence[Target], *, tool: str, connections: int, duration: float, warmup: float
) -> dict[str, Any]:
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="petbench-") as folder:
        scratch = Path(folder)
        for target in targets:
            with running(target, scratch) as (base, _pid):
                if warmup > 0:
                    load.run(tool, base + ROUTE, connections=connections, duration=warmup)
                result = load.run(tool, base + ROUTE, connections=connections, duration=duration)
            rows[target.key] = {"label": target.label, **result.as_dict()}
    framework = rows.get(FRAMEWORK_SERVE.key, {}).get("rps")
    ratios = {
        f"framework_vs_{key}": _round(ratio(framework, row["rps"]))
        for key, row in rows.items()
        if key != FRAMEWORK_SERVE.key
    }
    return {
        "route": f"GET {ROUTE}",
        "tool": tool,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "targets": rows,
        "ratios": ratios,
    }


def _round(value: float | None) -> float | None:
    return round(value, 3) if value is not None else None
