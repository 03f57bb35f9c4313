"""`python -m framework`: serve (file, module, module:attr, pyproject), routes, --reload."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import APPS, ROOT, Server


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "framework", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_routes_lists_every_method_with_its_function_and_the_cors_mocks() -> None:
    result = run_cli("routes", "examples/petstore/app.py")
    assert result.returncode == 0, result.stderr
    lines = [line.split() for line in result.stdout.splitlines()]
    assert lines[0] == ["petstore", "(stages:", "dev,", "prod)"]
    assert ["GET", "/pets/{pet_id}", "petstore", "get_pet", "29s"] in lines
    assert ["GET", "/static/{proxy+}", "petstore", "static_files", "5s"] in lines
    assert ["OPTIONS", "/pets", "(CORS", "mock)", "-", "-"] in lines


def test_without_a_target_the_pyproject_names_the_app() -> None:
    assert run_cli("routes").stdout == run_cli("routes", "examples/petstore/app.py").stdout


def test_a_module_and_a_module_attribute_are_targets() -> None:
    by_module = run_cli("routes", "tests.apps.plain")
    by_attribute = run_cli("routes", "tests.apps.plain:api")
    assert by_module.returncode == by_attribute.returncode == 0, by_module.stderr
    assert by_module.stdout == by_attribute.stdout
    assert "/hello/{name}" in by_module.stdout


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("tests/apps/missing.py", "no such file"),
        ("tests.apps.nothing_here", "no module named 'tests.apps.nothing_here'"),
        ("tests.apps.plain:nope", "'nope' is not a RestApi"),
    ],
)
def test_a_bad_target_is_a_clear_error_not_a_traceback(target: str, message: str) -> None:
    result = run_cli("routes", target)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_declaration_fails_at_import_naming_the_route(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text(
        "from framework import RestApi\n"
        "api = RestApi('broken')\n"
        "@api.get('/pets/{id')\n"
        "def get_pet(id: str) -> None: ...\n"
    )
    result = run_cli("routes", "broken.py", cwd=tmp_path)
    assert result.returncode == 2
    assert "InvalidPathError: GET /pets/{id:" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_prints_each_route_with_its_url_and_answers_at_both_urls() -> None:
    server = Server("examples/petstore/app.py", "--stage", "prod")
    try:
        with httpx.Client(timeout=10) as client:
            bare = client.get(f"{server.base}/pets").json()
            dev = client.get(f"{server.base}/dev/pets").json()
            prod = client.get(f"{server.base}/prod/pets").json()
    finally:
        out, _ = server.stop()
    assert bare["table"] == prod["table"] == "pets"  # --stage prod is the bare URL's stage
    assert dev["table"] == "pets-dev"
    assert f"stage prod: {server.base}/prod/  (also at {server.base}/)" in out
    assert f"GET    {server.base}/prod/pets/{{pet_id}}  -> petstore.get_pet" in out
    assert '"GET /pets" prod /pets petstore 200' in out  # the access log line


def test_a_module_with_two_apis_serves_each_on_its_own_port() -> None:
    server = Server(str(APPS / "two_apis.py"), "--quiet", ports=2)
    try:
        with httpx.Client(timeout=10) as client:
            users = client.get(f"{server.base}/dev/users")
            orders = client.get(f"http://127.0.0.1:{server.port + 1}/live/orders")
            wrong = client.get(f"{server.base}/dev/orders")
    finally:
        out, _ = server.stop()
    assert users.json() == ["ada"]
    assert orders.json() == ["o-1"]
    assert wrong.status_code == 403
    assert f"stage live: http://127.0.0.1:{server.port + 1}/live/" in out


def test_reload_restarts_the_server_when_the_code_changes(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        "from framework import RestApi\n"
        "api = RestApi('reloading')\n"
        "@api.get('/version')\n"
        "def version() -> dict:\n"
        "    return {'version': 1}\n"
    )
    server = Server("app.py", "--reload", "--quiet", cwd=tmp_path)
    try:
        with httpx.Client(base_url=server.base, timeout=5) as client:
            assert client.get("/version").json() == {"version": 1}
            app.write_text(app.read_text().replace("'version': 1", "'version': 2"))
            deadline = time.monotonic() + 20
            while True:
                try:
                    if client.get("/version").json() == {"version": 2}:
                        break
                except httpx.TransportError:
                    pass  # restarting
                assert time.monotonic() < deadline, "the server did not reload"
                time.sleep(0.2)
    finally:
        server.process.send_signal(signal.SIGINT)
        out, err = server.process.communicate(timeout=15)
    assert "app.py changed, reloading" in out
    assert "Traceback" not in err


def test_token_mints_a_cognito_token_that_a_served_api_accepts() -> None:
    target = "examples/secure_api/app.py"
    id_token = run_cli("token", target, "--sub", "alice", "--claim", "email=a@example.com")
    access = run_cli("token", target, "--access", "--scope", "shop/orders.write")
    assert id_token.returncode == access.returncode == 0, id_token.stderr
    server = Server(target, "--quiet")
    try:
        with httpx.Client(base_url=server.base, timeout=10) as client:
            me = client.get("/dev/me", headers={"Authorization": id_token.stdout.strip()})
            order = client.post("/dev/orders", headers={"Authorization": access.stdout.strip()})
            refused = client.post("/dev/orders", headers={"Authorization": id_token.stdout.strip()})
    finally:
        server.stop()
    assert me.json()["claims"]["email"] == "a@example.com"
    assert me.json()["claims"]["sub"] == "alice"
    assert order.json() == {"ordered_by": "local-user"}
    assert refused.status_code == 401


def test_token_needs_a_cognito_authorizer() -> None:
    result = run_cli("token", "examples/petstore/app.py")
    assert result.returncode == 2
    assert "name one Cognito authorizer with --authorizer (found: none)" in result.stderr


def test_invoke_sends_one_request_through_the_gateway_and_prints_it() -> None:
    found = run_cli("invoke", "GET", "/pets/1", "examples/petstore/app.py", "--stage", "prod")
    assert found.returncode == 0, found.stderr
    head, _, body = found.stdout.partition("\n\n")
    assert head.splitlines()[0] == "HTTP/1.1 200 OK"
    assert "x-amzn-requestid: " in head
    assert json.loads(body)["table"] == "pets"
    created = run_cli(
        "invoke", "POST", "/pets", "examples/petstore/app.py", "--data", '{"name": "Kit"}'
    )
    assert created.stdout.startswith("HTTP/1.1 201 Created")
    missing = run_cli("invoke", "GET", "/nowhere", "examples/petstore/app.py")
    assert missing.returncode == 1
    assert missing.stdout.rstrip().endswith('{"message":"Missing Authentication Token"}')
