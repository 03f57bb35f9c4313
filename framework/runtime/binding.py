"""How a handler's parameters are filled: path parameters, the Request, a pydantic body."""

from __future__ import annotations

from collections.abc import Callable

from framework._record import record
from framework.errors import InvalidOptionError
from framework.runtime.request import Request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    Kind = Literal["path", "request", "model"]


@record
class Binding:
    name: str
    kind: Kind
    model: Any = None


def _is_model(annotation: Any) -> bool:
    # A pydantic model, recognised without importing pydantic (the runtime must not).
    return isinstance(annotation, type) and hasattr(annotation, "model_validate_json")


def _parameters(handler: Callable[..., Any]) -> list[tuple[str, bool, str]] | None:
    """``(name, has_default, "" | "*" | "**")`` per parameter, from the code object: the
    ``inspect`` module (and its imports) would add milliseconds to every cold start."""
    function = getattr(handler, "__func__", handler)  # a bound method's function
    code = getattr(function, "__code__", None)
    if code is None:
        import inspect  # a callable object or a partial: rare, worth the import

        try:
            signature = inspect.signature(handler)
        except (TypeError, ValueError):  # a builtin without a signature
            return None
        return [
            (
                p.name,
                p.default is not p.empty,
                "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else "",
            )
            for p in signature.parameters.values()
        ]
    positional, keyword_only = code.co_argcount, code.co_kwonlyargcount
    names = list(code.co_varnames[: positional + keyword_only])
    defaults = function.__defaults__ or ()
    keyword_defaults = function.__kwdefaults__ or {}
    result = [
        (
            name,
            (
                index >= positional - len(defaults)
                if index < positional
                else name in keyword_defaults
            ),
            "",
        )
        for index, name in enumerate(names)
    ]
    skip = 1 if function is not handler else 0  # ``self`` of a bound method
    extra = positional + keyword_only
    if code.co_flags & 0x04:  # CO_VARARGS
        result.append((code.co_varnames[extra], True, "*"))
        extra += 1
    if code.co_flags & 0x08:  # CO_VARKEYWORDS
        result.append((code.co_varnames[extra], True, "**"))
    return result[skip:]


def plan(
    handler: Callable[..., Any], path_params: tuple[str, ...], where: str
) -> tuple[Binding, ...]:
    """What to pass to each parameter of ``handler``; raises ``InvalidOptionError`` for a
    required parameter nothing can fill. ``NameError`` propagates when an annotation names
    something not defined yet (the caller retries at the first request)."""
    if not callable(handler):
        raise InvalidOptionError(f"{where}: handler {handler!r} is not callable")
    parameters = _parameters(handler)
    if parameters is None:
        return ()
    bindings: list[Binding] = []
    models = 0
    for name, has_default, variadic in parameters:
        if variadic:
            continue
        try:
            annotation = _annotation(handler, name)
        except NameError:
            if has_default or name in path_params:
                continue  # nothing to decide from an annotation we cannot resolve
            raise  # a model defined later: the caller retries at the first request
        if name in path_params:
            bindings.append(Binding(name, "path"))
        elif isinstance(annotation, type) and issubclass(annotation, Request):
            bindings.append(Binding(name, "request"))
        elif _is_model(annotation):
            models += 1
            bindings.append(Binding(name, "model", annotation))
        elif name == "request" and annotation is None:
            bindings.append(Binding(name, "request"))
        elif not has_default:
            raise InvalidOptionError(
                f"{where}: parameter {name!r} of "
                f"{getattr(handler, '__qualname__', handler)} is neither a path parameter, "
                "a Request, nor a pydantic model (give it a default to leave it alone)"
            )
    if models > 1:
        raise InvalidOptionError(f"{where}: only one parameter may take the JSON body")
    takes_kwargs = any(variadic == "**" for _, _, variadic in parameters)
    names = {name for name, _, _ in parameters}
    missing = [p for p in path_params if p not in names and not takes_kwargs]
    if missing:
        raise InvalidOptionError(
            f"{where}: {getattr(handler, '__qualname__', handler)} does not accept the path "
            f"parameter(s) {', '.join(missing)}"
        )
    return tuple(bindings)


def _annotation(handler: Callable[..., Any], name: str) -> Any:
    """A parameter's annotation, evaluated in the handler's module when it is a string
    (``from __future__ import annotations``); ``typing.get_type_hints`` would cost every
    cold start the import of ``typing``."""
    function = getattr(handler, "__func__", handler)
    annotation = (getattr(function, "__annotations__", None) or {}).get(name)
    if isinstance(annotation, str):
        namespace = getattr(function, "__globals__", {})
        return eval(annotation, namespace)  # noqa: S307 - the app's own annotation
    return annotation
