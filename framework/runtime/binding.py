"""How a handler's parameters are filled: path parameters, the Request, a pydantic body."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from framework.errors import InvalidOptionError
from framework.runtime.request import Request

Kind = Literal["path", "request", "model"]


@dataclass(frozen=True, slots=True)
class Binding:
    name: str
    kind: Kind
    model: Any = None


def _is_model(annotation: Any) -> bool:
    # A pydantic model, recognised without importing pydantic (the runtime must not).
    return isinstance(annotation, type) and hasattr(annotation, "model_validate_json")


def plan(
    handler: Callable[..., Any], path_params: tuple[str, ...], where: str
) -> tuple[Binding, ...]:
    """What to pass to each parameter of ``handler``; raises ``InvalidOptionError`` for a
    required parameter nothing can fill. ``NameError`` propagates when an annotation names
    something not defined yet (the caller retries at the first request)."""
    if not callable(handler):
        raise InvalidOptionError(f"{where}: handler {handler!r} is not callable")
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):  # a builtin without a signature: nothing to check
        return ()
    hints = typing.get_type_hints(handler) if _has_annotations(handler) else {}
    bindings: list[Binding] = []
    models = 0
    for parameter in signature.parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        annotation = hints.get(parameter.name, parameter.annotation)
        if parameter.name in path_params:
            bindings.append(Binding(parameter.name, "path"))
        elif isinstance(annotation, type) and issubclass(annotation, Request):
            bindings.append(Binding(parameter.name, "request"))
        elif _is_model(annotation):
            models += 1
            bindings.append(Binding(parameter.name, "model", annotation))
        elif parameter.name == "request" and annotation is inspect.Parameter.empty:
            bindings.append(Binding(parameter.name, "request"))
        elif parameter.default is inspect.Parameter.empty:
            raise InvalidOptionError(
                f"{where}: parameter {parameter.name!r} of "
                f"{getattr(handler, '__qualname__', handler)} is neither a path parameter, "
                "a Request, nor a pydantic model (give it a default to leave it alone)"
            )
    if models > 1:
        raise InvalidOptionError(f"{where}: only one parameter may take the JSON body")
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    missing = [p for p in path_params if p not in signature.parameters and not takes_kwargs]
    if missing:
        raise InvalidOptionError(
            f"{where}: {getattr(handler, '__qualname__', handler)} does not accept the path "
            f"parameter(s) {', '.join(missing)}"
        )
    return tuple(bindings)


def _has_annotations(handler: Callable[..., Any]) -> bool:
    return bool(getattr(handler, "__annotations__", None))
