"""``@record``: frozen data classes without importing ``dataclasses``.

``dataclasses`` imports ``inspect`` (and ``ast``, ``dis``, ``tokenize``...), which costs a
Lambda cold start more than the whole runtime does. The declarations and the runtime are
imported inside Lambda, so they use this instead: the same class syntax, ``__init__``,
``__repr__``, ``__eq__`` and ``__hash__`` generated from the annotations, ``__post_init__``
for validation, ``field(default_factory=...)`` for mutable defaults. ``typing``'s
``dataclass_transform`` tells type checkers it behaves as ``@dataclass``.
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform, overload

    T = TypeVar("T")
    C = TypeVar("C", bound=type)
else:  # the typing module costs a Lambda cold start milliseconds: stand-ins at run time

    def dataclass_transform(**kwargs: object) -> Callable[[object], object]:
        return lambda function: function

    def overload(function: object) -> object:
        return function


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Factory:
    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory


def field(*, default_factory: Callable[[], T]) -> T:
    """A default made fresh for each instance: ``variables: dict = field(default_factory=dict)``."""
    marker: Any = _Factory(default_factory)
    return marker  # type: ignore[no-any-return]


def _fields(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name, annotation in klass.__dict__.get("__annotations__", {}).items():
            if "ClassVar" in str(annotation) or name in names:
                continue
            names.append(name)
    return names


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _build(cls: C, frozen: bool, eq: bool) -> C:
    names = _fields(cls)
    defaults: dict[str, Any] = {}
    for name in names:
        for klass in cls.__mro__:
            if name in klass.__dict__:
                defaults[name] = klass.__dict__[name]
                break
    if "__init__" not in cls.__dict__:
        cls.__init__ = _make_init(cls, names, defaults)  # type: ignore[misc]

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({values})"

    cls.__repr__ = __repr__  # type: ignore[assignment,method-assign]
    if eq:

        def __eq__(self: Any, other: object) -> bool:
            if type(other) is not type(self):
                return NotImplemented
            return all(getattr(self, n) == getattr(other, n) for n in names)

        cls.__eq__ = __eq__  # type: ignore[method-assign,assignment]
        if frozen:

            def __hash__(self: Any) -> int:
                return hash(tuple(_hashable(getattr(self, n)) for n in names))

            cls.__hash__ = __hash__  # type: ignore[method-assign,assignment]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign,assignment]
        cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign,assignment]
    cls.__record_fields__ = tuple(names)  # type: ignore[attr-defined]
    return cls


def _make_init(cls: type, names: list[str], defaults: dict[str, Any]) -> Any:
    """``__init__(self, *fields, **fields)`` as a closure: generating its source and
    ``exec``-ing it, as ``dataclasses`` does, costs each class ~0.1 ms of the cold start."""
    known = frozenset(names)
    post_init = getattr(cls, "__post_init__", None)
    title = cls.__name__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{title}() takes {len(names)} arguments, {len(args)} were given")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"{title}() got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{title}() got multiple values for argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                value = values[name]
            elif name in defaults:
                value = defaults[name]
                if type(value) is _Factory:
                    value = value.factory()
            else:
                raise TypeError(f"{title}() missing required argument: {name!r}")
            object.__setattr__(self, name, value)
        if post_init is not None:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


@overload
def record(cls: C, /) -> C: ...
@overload
def record(*, frozen: bool = True, eq: bool = True) -> Callable[[C], C]: ...  # noqa: F811


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(  # noqa: F811
    cls: C | None = None, /, *, frozen: bool = True, eq: bool = True
) -> C | Callable[[C], C]:
    """``@record`` (frozen, compared by value) or ``@record(frozen=False, eq=False)``."""
    if cls is not None:
        return _build(cls, frozen, eq)

    def decorate(klass: C) -> C:
        return _build(klass, frozen, eq)

    return decorate
