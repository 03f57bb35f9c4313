"""``$input``: the payload and the parameters a mapping template transforms.

AWS developer guide, "API Gateway mapping template and access logging variable
reference", section "$input variables": ``$input.body``, ``$input.json(x)``,
``$input.params()``, ``$input.params(x)``, ``$input.path(x)``. JSONPath is Jayway's
(Java); jsonpath-ng (its ``ext`` parser, for ``[?(...)]`` filters) plays its part here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonpath_ng import JSONPath
from jsonpath_ng.exceptions import JSONPathError
from jsonpath_ng.ext.parser import parse as parse_jsonpath
from jsonpath_ng.jsonpath import Child, Fields, Index, Root, This

from framework.gateway.vtl.values import CaseInsensitiveMap, VtlMap, VtlString, to_json, wrap


class TemplateFailure(Exception):
    """A template asked for something impossible; the message is for the developer."""


@dataclass(frozen=True, slots=True)
class TemplateInput:
    """What ``$input`` sees: the payload and the method request's parameters.

    ``params`` has the keys ``path``, ``querystring`` and ``header`` (any may be missing);
    header names are matched without regard to case, as in HTTP.

    >>> TemplateInput(b'{"name": "Rex"}', {"path": {"petId": "7"}, "header": {"Accept": "*/*"}})
    ... # doctest: +SKIP
    """

    body: bytes | str = b""
    params: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


# The order $input.params(x) searches in, and the order $input.params() lists.
_PARAM_TYPES = ("path", "querystring", "header")


class InputVariable:
    """The ``$input`` object a template calls (``$input.json('$.pets')``)."""

    def __init__(self, source: TemplateInput) -> None:
        raw = source.body
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        # An empty payload reads as "{}" ("APIGW: fix rendering of $input.body when empty",
        # localstack/localstack#12413, checked against AWS; also why the console's
        # passthrough template gives GET requests "body-json": {}).
        self._text = text or "{}"
        self._parsed: Any = _UNPARSED
        values = {kind: source.params.get(kind, {}) for kind in _PARAM_TYPES}
        self._params = VtlMap(
            path=wrap(values["path"]),
            querystring=wrap(values["querystring"]),
            header=CaseInsensitiveMap((k, VtlString(v)) for k, v in values["header"].items()),
        )

    @property
    def body(self) -> VtlString:
        """The raw payload, as a string."""
        return VtlString(self._text)

    def json(self, path: object = "$") -> VtlString:
        """The JSONPath ``path`` evaluated on the payload, written as JSON text."""
        return VtlString(to_json(self._select(path)))

    def path(self, path: object) -> Any:
        """The JSONPath ``path`` evaluated on the payload, as objects a template can use."""
        return wrap(self._select(path), json_arrays=True)

    def params(self, name: object = None) -> Any:
        """All parameters (``path``, ``querystring``, ``header`` maps), or one by name.

        A name is looked up in the path, then the query string, then the headers; a
        missing parameter is the empty string.
        """
        if name is None:
            return self._params
        key = str(name)
        for kind in _PARAM_TYPES:
            found = self._params[kind].get(key)
            if found is not None:
                return found
        return VtlString("")

    def _select(self, path: object) -> Any:
        expression = _compile_jsonpath(str(path))
        if self._parsed is _UNPARSED:
            try:
                self._parsed = json.loads(self._text)
            except ValueError as exc:
                raise TemplateFailure(f"the body is not JSON ({exc}): {self._text[:80]!r}") from exc
        values = [match.value for match in expression.find(self._parsed)]
        # Jayway: a definite path (names and single indexes only) is one value or null;
        # any other path (wildcard, slice, filter, deep scan) is a list of what matched.
        if _is_definite(expression):
            return values[0] if values else None
        return values


_UNPARSED = object()


@functools.lru_cache(maxsize=512)
def _compile_jsonpath(path: str) -> JSONPath:
    try:
        return parse_jsonpath(path)
    except (JSONPathError, ValueError) as exc:
        raise TemplateFailure(f"invalid JSONPath {path!r}: {exc}") from exc


def _is_definite(node: JSONPath) -> bool:
    if isinstance(node, (Root, This)):
        return True
    if isinstance(node, Child):
        return _is_definite(node.left) and _is_definite(node.right)
    if isinstance(node, Fields):
        return len(node.fields) == 1
    if isinstance(node, Index):
        return len(node.indices) == 1
    return False
