"""The public surface, and what importing an app costs inside Lambda."""

from __future__ import annotations

import json
import subprocess
import sys

import framework
from tests.conftest import APPS, ROOT

LOCAL_ONLY = ["fastapi", "starlette", "uvicorn", "httpx", "yaml", "jsonschema", "mangum", "anyio"]


def test_all_is_sorted_and_lists_exactly_the_public_names() -> None:
    assert framework.__all__ == sorted(framework.__all__)
    public = {
        name
        for name in dir(framework)
        if not name.startswith("_")
        and not isinstance(getattr(framework, name), type(framework))
        and name not in ("annotations", "TYPE_CHECKING")
    }
    assert public == set(framework.__all__)
    for name in framework.__all__:  # every name resolves, the lazily imported ones too
        assert getattr(framework, name) is not None


def test_an_app_without_authorizers_or_plans_loads_none_of_their_modules() -> None:
    modules = loaded_modules_full(f"import sys; sys.path.insert(0, {str(APPS)!r}); import plain")
    assert "typing" not in modules
    assert (
        not {"framework.declare.auth", "framework.declare.usage", "framework.runtime.auth"}
        & modules
    )


def test_the_issue_names_are_exported() -> None:
    from framework import Cors, NotFoundError, Request, Response, RestApi  # noqa: F401


def loaded_modules_full(code: str) -> set[str]:
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output.splitlines()[-1]))


def loaded_modules(code: str) -> set[str]:
    return {name.split(".")[0] for name in loaded_modules_full(code)}


def test_importing_the_example_app_loads_no_local_only_dependency() -> None:
    modules = loaded_modules(
        f"import sys; sys.path.insert(0, {str(ROOT / 'examples/petstore')!r}); import app"
    )
    assert "framework" in modules and "pydantic" in modules  # the example uses a model
    assert modules.isdisjoint(LOCAL_ONLY), modules & set(LOCAL_ONLY)


def test_an_app_without_models_does_not_load_pydantic_either() -> None:
    modules = loaded_modules(f"import sys; sys.path.insert(0, {str(APPS)!r}); import plain")
    assert modules.isdisjoint([*LOCAL_ONLY, "pydantic"])


def test_a_warm_invocation_loads_nothing_more() -> None:
    code = (
        f"import sys; sys.path.insert(0, {str(APPS)!r}); import plain\n"
        "event = {'resource': '/hello/{name}', 'httpMethod': 'GET', "
        "'pathParameters': {'name': 'ada'}, 'requestContext': {'stage': 'dev'}}\n"
        "assert plain.api.handler(event, None)['body'] == '{\"hello\":\"ada\"}'"
    )
    assert loaded_modules(code).isdisjoint([*LOCAL_ONLY, "pydantic"])
