"""What every benchmark shares: where things are, the peers, statistics, child processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEERS_DIR = BENCH / "peers"
RESULTS = BENCH / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"

PETS = [{"id": "1", "name": "Tom"}, {"id": "2", "name": "Rex"}]
NEW_PET = {"name": "Tom", "species": "cat", "age": 3, "tags": ["indoor", "fluffy"]}


@dataclass(frozen=True, slots=True)
class Peer:
    """One implementation of the pet API: ``bench/peers/<module>.py`` exposing ``handler``."""

    key: str
    module: str
    label: str


FLOOR = Peer("floor", "floor", "hand-written dict dispatch (floor)")
CHALICE = Peer("chalice", "chalice_app", "AWS Chalice")
POWERTOOLS = Peer("powertools", "powertools_app", "Powertools APIGatewayRestResolver")
FASTAPI = Peer("fastapi_mangum", "fastapi_mangum", "FastAPI + Mangum")
FRAMEWORK = Peer("framework", "framework_native", "framework, native (RestApi + api.handler)")
FRAMEWORK_ASGI = Peer(
    "framework_fastapi",
    "framework_fastapi",
    "framework + FastAPI (api.include_asgi_routes, Mangum)",
)
PEERS: tuple[Peer, ...] = (FLOOR, CHALICE, POWERTOOLS, FASTAPI, FRAMEWORK, FRAMEWORK_ASGI)


def peer_env() -> dict[str, str]:
    """The environment a child interpreter needs to ``import <peer module>``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PEERS_DIR), env.get("PYTHONPATH", "")) if p)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def add_peers_to_path() -> None:
    if str(PEERS_DIR) not in sys.path:
        sys.path.insert(0, str(PEERS_DIR))


class FakeLambdaContext:
    """The attributes of the Python runtime's ``LambdaContext`` that frameworks read."""

    function_name = "petbench"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:petbench"
    memory_limit_in_mb = 512
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"
    log_group_name = "/aws/lambda/petbench"
    log_stream_name = "2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef"
    identity = None
    client_context = None

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


# -- statistics -----------------------------------------------------------------------------


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


# -- child processes ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def start(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start a server in its own session, so that stopping it reaches only what it spawned."""
    if log is None:
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    """Stop a server started by ``start``: SIGINT, then SIGTERM, then SIGKILL, by its id."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)  # the session ``start`` created: only our processes
        except ProcessLookupError:
            return
        try:
            process.wait(timeout)
            return
        except subprocess.TimeoutExpired:
            continue


def http(
    method: str, url: str, body: object = None, timeout: float = 5.0
) -> tuple[int, object, str | None]:
    """One request with the standard library: ``(status, parsed JSON body, content type)``."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
            status = response.status
            content_type = response.headers.get("content-type")
    except urllib.error.HTTPError as error:
        raw, status, content_type = error.read(), error.code, error.headers.get("content-type")
    try:
        parsed: object = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", "replace")
    return status, parsed, content_type


def wait_ready(process: subprocess.Popen[bytes], url: str, timeout: float = 30.0) -> None:
    """Poll ``url`` until the server answers; raise if it exits or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            http("GET", url, timeout=1.0)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"no answer from {url} within {timeout:g} s")


def check_http_api(base: str) -> list[str]:
    """The pet API's answers over HTTP; returns what is wrong (empty: all correct)."""
    problems = []
    expected: list[tuple[str, str, object, int, object]] = [
        ("GET", "/pets/7", None, 200, {"id": "7"}),
        ("GET", "/pets", None, 200, {"pets": PETS}),
        ("POST", "/pets", NEW_PET, 201, NEW_PET),
    ]
    for method, path, body, status, want in expected:
        got_status, got, content_type = http(method, base + path, body)
        if got_status != status or got != want:
            problems.append(f"{method} {path}: {got_status} {got!r}, expected {status} {want!r}")
        elif not content_type or "application/json" not in content_type:
            problems.append(f"{method} {path}: content-type {content_type!r}")
    return problems


def read_status(pid: int) -> dict[str, int]:
    """``VmRSS``/``VmHWM`` (and friends) of a process, in KiB, from /proc/<pid>/status."""
    values = {}
    with open(f"/proc/{pid}/status") as stream:
        for line in stream:
            name, _, rest = line.partition(":")
            if name.startswith("Vm") or name == "Threads":
                number = rest.split()
                if number and number[0].isdigit():
                    values[name] = int(number[0])
    return values
