from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from framework.discovery import load_module

# Keep the local Cognito signing key out of the user's cache folder; servers started by
# the tests inherit this, so tokens minted here verify there.
os.environ.setdefault(
    "FRAMEWORK_LOCAL_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="framework-")) / "key.pem")
)

ROOT = Path(__file__).resolve().parent.parent
APPS = Path(__file__).resolve().parent / "apps"


def load_app(name: str) -> ModuleType:
    """Import tests/apps/<name>.py (once) as the CLI would import it."""
    module, _ = load_module(str(APPS / f"{name}.py"))
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`python -m framework serve ...` in a subprocess, bound to 127.0.0.1."""

    def __init__(
        self, *args: str, cwd: Path = ROOT, ports: int = 1, env: dict[str, str] | None = None
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "framework", "serve", *args, "--port", str(self.port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.wait_until_up(ports)

    def wait_until_up(self, ports: int = 1) -> None:
        try:
            for port in range(self.port, self.port + ports):
                self.wait_for(self.process, port)
        except RuntimeError:
            self.stop()
            raise

    @staticmethod
    def wait_for(process: subprocess.Popen[str] | subprocess.Popen[bytes], port: int) -> None:
        """Wait until ``process`` listens on ``port`` on 127.0.0.1 (20 s at most)."""
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                out, err = process.communicate()
                raise RuntimeError(f"server exited early:\n{out!r}\n{err!r}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start in time") from None
                time.sleep(0.05)

    def stop(self) -> tuple[str, str]:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.communicate()


@pytest.fixture(scope="module")
def behaviours_server() -> Iterator[Server]:
    server = Server(str(APPS / "behaviours.py"), "--quiet")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def http(behaviours_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=behaviours_server.base, timeout=10) as client:
        yield client
