"""Java-flavoured values, so templates written for API Gateway work on Python data.

API Gateway runs mapping templates with Apache Velocity on the JVM: a template sees Java
objects and calls Java methods on them (``$s.length()``, ``$list.size()``,
``$map.keySet()``). airspeed hands templates plain Python values, so every value that
reaches a template is wrapped here in a subclass of ``str``/``dict``/``list``/``float``
that also answers the Java methods and prints the way Java's ``toString()`` does.

What a value prints as depends on where it came from ("Fix apigw input path formatting",
localstack/localstack#12379, recorded against AWS): JSON parsed by ``$input.path`` is
json-smart's ``LinkedHashMap`` (``{a=1, b=x}``) and ``JSONArray`` (compact JSON, its
elements as JSON too); every other map or list prints as ``java.util`` does
(``{a=1}``, ``[a, b]``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, SupportsIndex


def java_str(value: Any) -> str:
    """``String.valueOf(value)`` as the JVM would print ``value``."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        return java_double(value)
    return str(value)


def java_double(value: float) -> str:
    """``Double.toString``: ``1.0``, ``249.99``, ``1.0E7``, ``1.2E-4``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = float.__repr__(value)
        return text if "." in text else f"{text}.0"
    sign, digits, exponent = Decimal(float.__repr__(abs(value))).as_tuple()
    figures = "".join(map(str, digits)).rstrip("0") or "0"
    power = len(digits) + int(exponent) - 1
    return f"{'-' if value < 0 else ''}{figures[0]}.{figures[1:] or '0'}E{power}"


def wrap(value: Any, *, json_arrays: bool = False) -> Any:
    """Deep-copy ``value`` into template values (``json_arrays``: lists print as JSON)."""
    if isinstance(value, str):
        return value if isinstance(value, VtlString) else VtlString(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if isinstance(value, JavaDouble) else JavaDouble(value)
    if isinstance(value, Mapping):
        return VtlMap((str(k), wrap(v, json_arrays=json_arrays)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        items = (wrap(v, json_arrays=json_arrays) for v in value)
        return JsonArray(items) if json_arrays else VtlList(items)
    return value


def _java_replacement(replacement: str) -> Callable[[re.Match[str]], str]:
    """A ``Matcher.replaceAll`` replacement (``$1``, ``${name}``, ``\\$``) for ``re.sub``."""
    literals: list[str] = [""]
    groups: list[str | int] = []
    i = 0
    while i < len(replacement):
        char = replacement[i]
        group = re.match(r"\$(?:(\d)|\{(\w+)\})", replacement[i:])
        if char == "\\" and i + 1 < len(replacement):
            literals[-1] += replacement[i + 1]
            i += 2
        elif group is not None:
            groups.append(int(group[1]) if group[1] else group[2])
            literals.append("")
            i += len(group[0])
        else:
            literals[-1] += char
            i += 1

    def expand(match: re.Match[str]) -> str:
        text = literals[0]
        for group_ref, literal in zip(groups, literals[1:], strict=True):
            text += (match.group(group_ref) or "") + literal
        return text

    return expand


class VtlString(str):
    """A ``java.lang.String``: ``$s.length()``, ``$s.toUpperCase()``, ``$s.replaceAll(..)``.

    Methods are named as in Java (camelCase), since templates call them by those names.
    """

    __slots__ = ()

    def __add__(self, other: object) -> VtlString:
        # Velocity's + concatenates when either side is a string (any toString()).
        return VtlString(str.__str__(self) + java_str(other))

    def __radd__(self, other: object) -> VtlString:
        return VtlString(java_str(other) + str.__str__(self))

    def __eq__(self, other: object) -> bool:
        # Velocity 1.7 compares objects of different classes by their toString().
        if isinstance(other, (int, float)):
            return str.__str__(self) == java_str(other)
        return str.__eq__(self, other) is True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def length(self) -> int:
        return len(self)

    def isEmpty(self) -> bool:
        return len(self) == 0

    def toString(self) -> VtlString:
        return self

    def toUpperCase(self) -> VtlString:
        return VtlString(self.upper())

    def toLowerCase(self) -> VtlString:
        return VtlString(self.lower())

    def trim(self) -> VtlString:
        return VtlString(self.strip("".join(map(chr, range(33)))))

    def contains(self, text: object) -> bool:
        return java_str(text) in self

    def startsWith(self, prefix: object, offset: int = 0) -> bool:
        return self.startswith(java_str(prefix), offset)

    def endsWith(self, suffix: object) -> bool:
        return self.endswith(java_str(suffix))

    def equals(self, other: object) -> bool:
        return isinstance(other, str) and str.__eq__(self, other) is True

    def equalsIgnoreCase(self, other: object) -> bool:
        return isinstance(other, str) and self.casefold() == other.casefold()

    def indexOf(self, text: object, start: int = 0) -> int:
        return self.find(java_str(text), start)

    def lastIndexOf(self, text: object) -> int:
        return self.rfind(java_str(text))

    def charAt(self, index: int) -> VtlString:
        return VtlString(self[index])

    def substring(self, begin: int, end: int | None = None) -> VtlString:
        if begin < 0 or begin > len(self) or (end is not None and not begin <= end <= len(self)):
            raise IndexError(f"String index out of range: begin {begin}, end {end}")
        return VtlString(self[begin:end])

    def concat(self, other: object) -> VtlString:
        return VtlString(str.__str__(self) + java_str(other))

    def replace(self, old: object, new: object, count: SupportsIndex = -1) -> VtlString:
        return VtlString(str.replace(self, java_str(old), java_str(new), count))

    def replaceAll(self, regex: str, replacement: str) -> VtlString:
        return VtlString(re.sub(regex, _java_replacement(replacement), self))

    def replaceFirst(self, regex: str, replacement: str) -> VtlString:
        return VtlString(re.sub(regex, _java_replacement(replacement), self, count=1))

    def matches(self, regex: str) -> bool:
        return re.fullmatch(regex, self) is not None

    def split(self, regex: str | None = None, limit: SupportsIndex = 0) -> VtlList:
        if regex is None:  # Python's own split(), for code that is not a template
            return VtlList(VtlString(part) for part in str.split(self))
        parts = re.split(regex, self, maxsplit=max(int(limit) - 1, 0))
        if int(limit) == 0:  # Java drops trailing empty strings
            while parts and parts[-1] == "":
                parts.pop()
        return VtlList(VtlString(part) for part in parts)


class JavaDouble(float):
    """A ``java.lang.Double``: prints as ``Double.toString`` does (``1.0E7``)."""

    __slots__ = ()

    def __str__(self) -> str:
        return java_double(self)


class VtlMap(dict[str, Any]):
    """A ``java.util.Map``: ``$m.get(k)``, ``$m.put(k, v)``, ``$m.keySet()``, ``$m.size()``."""

    def __str__(self) -> str:
        return "{" + ", ".join(f"{k}={java_str(v)}" for k, v in dict.items(self)) + "}"

    def size(self) -> int:
        return len(self)

    def isEmpty(self) -> bool:
        return len(self) == 0

    def containsKey(self, key: object) -> bool:
        return key in self

    def containsValue(self, value: object) -> bool:
        return value in dict.values(self)

    def keySet(self) -> VtlList:
        return VtlList(wrap(key) for key in dict.keys(self))

    def entrySet(self) -> VtlList:
        return VtlList(VtlMap(key=wrap(k), value=v) for k, v in dict.items(self))

    def put(self, key: object, value: object) -> Any:
        name = java_str(key)
        previous = self.get(name)
        self[name] = wrap(value)
        return previous

    def putAll(self, values: Mapping[Any, Any]) -> None:
        for key, value in values.items():
            self.put(key, value)

    def remove(self, key: object) -> Any:
        return self.pop(java_str(key), None)

    def toString(self) -> VtlString:
        return VtlString(str(self))

    def equals(self, other: object) -> bool:
        return self == other


class CaseInsensitiveMap(VtlMap):
    """The header map: names keep their case, look-ups ignore it (HTTP header names)."""

    def __init__(self, items: Iterable[tuple[str, Any]] = ()) -> None:
        super().__init__(items)
        self._names = {key.lower(): key for key in dict.keys(self)}

    def _name(self, key: object) -> str:
        text = java_str(key)
        return self._names.get(text.lower(), text)

    def __getitem__(self, key: str) -> Any:
        return dict.__getitem__(self, self._name(key))

    def __setitem__(self, key: str, value: Any) -> None:
        name = self._name(key)
        self._names[name.lower()] = name
        dict.__setitem__(self, name, value)

    def __contains__(self, key: object) -> bool:
        return java_str(key).lower() in self._names

    def get(self, key: object, default: Any = None) -> Any:
        return dict.get(self, self._name(key), default)

    def pop(self, key: object, default: Any = None) -> Any:
        name = self._name(key)
        self._names.pop(name.lower(), None)
        return dict.pop(self, name, default)


class VtlList(list[Any]):
    """A ``java.util.List``: ``$l.size()``, ``$l.get(i)``, ``$l.contains(x)``, ``$l.add(x)``."""

    def __str__(self) -> str:
        return "[" + ", ".join(java_str(v) for v in self) + "]"

    def size(self) -> int:
        return len(self)

    def get(self, index: int) -> Any:
        return self[index]

    def isEmpty(self) -> bool:
        return len(self) == 0

    def contains(self, value: object) -> bool:
        return value in self

    def add(self, value: object) -> bool:
        self.append(wrap(value))
        return True

    def addAll(self, values: Iterable[Any]) -> bool:
        self.extend(wrap(v) for v in values)
        return True

    def set(self, index: int, value: object) -> Any:
        previous = self[index]
        self[index] = wrap(value)
        return previous

    def indexOf(self, value: object) -> int:
        return self.index(value) if value in self else -1

    def subList(self, start: int, end: int) -> VtlList:
        return VtlList(self[start:end])

    def toString(self) -> VtlString:
        return VtlString(str(self))

    def equals(self, other: object) -> bool:
        return self == other


class JsonArray(VtlList):
    """json-smart's ``JSONArray`` (what ``$input.path`` returns): prints as compact JSON."""

    def __str__(self) -> str:
        return to_json(self)


def to_json(value: Any) -> str:
    """Compact JSON, as Jayway JsonPath's json-smart provider writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
