"""Which files and packages the deployed app needs.

The app is found from the same TARGET the CLI takes (``app.py``, ``pkg.app``,
``pkg.app:api``). Its own modules are found by reading the import statements of its
source (all of them, also those inside functions) and following the ones that resolve to
files next to it; the other imports name the third-party distributions it needs.
Imports made dynamically (``importlib.import_module(name)``) are not seen.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType

from framework.declare.api import RestApi
from framework.declare.models import request_model
from framework.declare.routes import Route
from framework.discovery import load_module
from framework.errors import FrameworkError

# Provided by the Lambda Python runtime (AWS Lambda developer guide, "Building Lambda
# functions with Python": the runtime includes the AWS SDK for Python).
RUNTIME_PROVIDED = frozenset({"boto3", "botocore"})


class SynthError(FrameworkError):
    """The app cannot be packaged: an API is not reachable from its module, or the output
    folder would overwrite the sources."""


@dataclass(frozen=True, slots=True)
class AppSource:
    """The user's app as it will be laid out in the deployment package."""

    module: str
    """Import name inside the package, e.g. ``app`` or ``pkg.app``."""
    attributes: dict[str, str]
    """API name -> the module attribute holding that ``RestApi``."""
    files: tuple[tuple[Path, PurePosixPath], ...]
    """(source file, path inside the package), sorted by the latter."""
    imports: frozenset[str]
    """Top-level names of the non-local, non-standard-library modules the sources import."""


def app_source(target: str, apis: Sequence[RestApi]) -> AppSource:
    """Locate the app module of ``target`` and the local files it imports."""
    module, attribute = load_module(target)
    filename = getattr(module, "__file__", None)
    if filename is None:
        raise SynthError(f"{target}: module {module.__name__} has no source file to package")
    path = Path(filename).resolve()
    depth = module.__name__.count(".") + (1 if path.name == "__init__.py" else 0)
    root = path.parents[depth]
    attributes = {api.name: _attribute(module, api, attribute, target) for api in apis}
    files, imports = _local_files(path, module.__name__, root)
    return AppSource(module.__name__, attributes, files, imports)


def _attribute(module: ModuleType, api: RestApi, named: str | None, target: str) -> str:
    if named and getattr(module, named, None) is api:
        return named
    for name, value in vars(module).items():
        if value is api and not name.startswith("__"):
            return name
    # The module was imported again since ``api`` was loaded: the same declaration under
    # the same name is what the entry module will import.
    for name, value in vars(module).items():
        if isinstance(value, RestApi) and value.name == api.name and not name.startswith("__"):
            return name
    raise SynthError(
        f"{target}: RestApi {api.name!r} is not a module-level variable of {module.__name__}; "
        "the Lambda entry point imports it from there"
    )


def _local_files(
    path: Path, name: str, root: Path
) -> tuple[tuple[tuple[Path, PurePosixPath], ...], frozenset[str]]:
    """Files under ``root`` reachable by imports from ``path`` (module ``name``)."""
    in_site_packages = root.name in ("site-packages", "dist-packages")
    own_top = name.partition(".")[0]
    found: dict[PurePosixPath, Path] = {}
    external: set[str] = set()
    pending = [(path, name)]
    seen: set[Path] = set()

    def resolve(module: str) -> Path | None:
        if in_site_packages and module.partition(".")[0] != own_top:
            return None  # an installed app: only its own package is "local"
        base = root.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    while pending:
        current, current_name = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        found[PurePosixPath(current.relative_to(root).as_posix())] = current
        # Parent packages' __init__ modules run on import: they are part of the app too.
        parts = current_name.split(".")
        for i in range(1, len(parts)):
            init = resolve(".".join(parts[:i]))
            if init is not None and init.name == "__init__.py":
                pending.append((init, ".".join(parts[:i])))
        package = current_name if current.name == "__init__.py" else current_name.rpartition(".")[0]
        for imported in _imports(current, package):
            top = imported.partition(".")[0]
            if top in ("framework", "__future__") or top in sys.stdlib_module_names:
                continue
            prefixes = [
                ".".join(imported.split(".")[: i + 1]) for i in range(imported.count(".") + 1)
            ]
            resolved = [(p, resolve(p)) for p in prefixes]
            local = [(p, f) for p, f in resolved if f is not None]
            if local:
                pending.extend((f, p) for p, f in local)
            elif resolve(top) is None:
                external.add(top)
    files = tuple(sorted(((src, rel) for rel, src in found.items()), key=lambda item: item[1]))
    return files, frozenset(external)


def _imports(path: Path, package: str) -> Iterable[str]:
    """Absolute names of the modules ``path`` imports (``from m import x`` gives ``m`` and
    ``m.x``, as ``x`` may be a submodule)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".") if package else []
                if node.level > 1:
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if not base:
                continue
            yield base
            for alias in node.names:
                if alias.name != "*":
                    yield f"{base}.{alias.name}"


def requirements(app: AppSource, apis: Sequence[RestApi]) -> list[str]:
    """``requirements.txt`` lines: the installed distributions of the app's third-party
    imports, pinned to the versions installed here, plus pydantic when a route binds a
    model and mangum when a route runs an ASGI app. Nothing else: the framework runtime is
    standard library only."""
    tops = set(app.imports)
    if any(_binds_model(route) for api in apis for route in api.routes):
        tops.add("pydantic")
    if any(route.asgi is not None for api in apis for route in api.routes):
        tops.add("mangum")
    distributions = importlib.metadata.packages_distributions()
    names: set[str] = set()
    for top in tops:
        for dist in distributions.get(top, []):
            if dist.lower() not in RUNTIME_PROVIDED and dist.lower() != "framework":
                names.add(dist)
    lines = []
    for dist in sorted(names, key=str.lower):
        try:
            lines.append(f"{dist}=={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover - listed, not found
            lines.append(dist)
    return lines


def _binds_model(route: Route) -> bool:
    return hasattr(request_model(route), "model_validate_json")
