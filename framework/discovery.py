"""Find the APIs a TARGET declares: a file, a module, or ``module:attribute``.

Without a TARGET, ``[tool.framework] app`` in the nearest pyproject.toml names it.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from framework.declare.api import RestApi
from framework.errors import FrameworkError


class TargetError(FrameworkError):
    """The TARGET cannot be found, imported, or declares no API."""


def default_target(cwd: Path | None = None) -> str:
    """``[tool.framework] app`` from the pyproject.toml in ``cwd`` or above."""
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            with pyproject.open("rb") as stream:
                app = tomllib.load(stream).get("tool", {}).get("framework", {}).get("app")
            if isinstance(app, str) and app:
                if app.endswith(".py") or "/" in app:
                    return str(folder / app)
                return app
            break
    raise TargetError(
        "no TARGET given and no [tool.framework] app in pyproject.toml; "
        "pass a file (app.py), a module (pkg.app) or module:attribute"
    )


def load_module(target: str) -> tuple[ModuleType, str | None]:
    """Import the TARGET's module; returns it and the attribute named after ':' if any."""
    spec_text, _, attribute = target.partition(":")
    if spec_text.endswith(".py") or Path(spec_text).is_file():
        path = Path(spec_text).resolve()
        if not path.is_file():
            raise TargetError(f"no such file: {spec_text}")
        folder = str(path.parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
        name = path.stem
        existing = sys.modules.get(name)
        if existing is not None and getattr(existing, "__file__", None) == str(path):
            return existing, attribute or None
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise TargetError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(name, None)
            raise
        return module, attribute or None
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    try:
        module = importlib.import_module(spec_text)
    except ModuleNotFoundError as exc:
        if exc.name and spec_text.startswith(exc.name):
            raise TargetError(f"no module named {spec_text!r} (from TARGET {target!r})") from exc
        raise
    return module, attribute or None


def load_apis(target: str | None = None) -> list[RestApi]:
    """Every ``RestApi`` the TARGET declares (or the one it names), in declaration order."""
    target = target or default_target()
    module, attribute = load_module(target)
    if attribute:
        value = getattr(module, attribute, None)
        if not isinstance(value, RestApi):
            raise TargetError(f"{target}: {attribute!r} is not a RestApi (got {value!r})")
        return [value]
    apis = list(dict.fromkeys(v for v in vars(module).values() if isinstance(v, RestApi)))
    if not apis:
        raise TargetError(f"{target} declares no RestApi")
    names = [api.name for api in apis]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TargetError(f"{target}: two APIs are named {', '.join(duplicates)}")
    return apis
