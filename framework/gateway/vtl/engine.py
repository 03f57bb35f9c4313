"""Rendering a mapping template: compile (cached), evaluate, collect the overrides.

The Velocity engine is airspeed -- the ``airspeed-ext`` distribution, LocalStack's fork
(it installs the same ``airspeed`` module). We use the fork rather than upstream
``airspeed`` because its departures from Java Velocity are the ones API Gateway makes,
recorded against AWS in its snapshot tests: an undefined reference prints as nothing
(``$foo`` -> "", not "$foo"), booleans print ``true``/``false``, single-quoted strings
keep backslashes, ``""`` escapes a quote inside a double-quoted string, identifiers may
contain ``-`` (``$elem.partition-key``), ``#set($map.key = ...)`` and ``$map['key']``
work, ``$map.put`` returns the previous value. Upstream airspeed (newer, faster to parse)
follows Java Velocity instead and would print ``$foo``/``True``.

airspeed evaluates templates over plain Python values; ``values`` wraps everything a
template can reach so that Java methods work, and ``_javaify`` does the same for the
template's own literals (``#set($s = "x")``, ``[1, 2]``, ``{}``) and makes ``#foreach``
over a map walk its values, as Velocity does.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import airspeed
from airspeed import operators as _vtl

from framework.errors import FrameworkError
from framework.gateway.vtl.inputs import InputVariable, TemplateFailure, TemplateInput
from framework.gateway.vtl.util import UtilVariable
from framework.gateway.vtl.values import VtlList, VtlMap, VtlString, java_str, wrap


class TemplateError(FrameworkError):
    """A mapping template that does not parse or fails while it runs.

    API Gateway answers such a request with a 500; ``line`` (1-based, when known) and
    ``message`` are for the developer's console.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True, slots=True)
class RequestOverride:
    """What the template set in ``$context.requestOverride.{header,querystring,path}.X``."""

    header: Mapping[str, str]
    querystring: Mapping[str, str]
    path: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ResponseOverride:
    """What the template set in ``$context.responseOverride.status`` / ``.header.X``."""

    status: int | None
    header: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RenderResult:
    """The rendered text and the overrides the template made (developer guide: "Use a
    mapping template to override an API's request and response parameters and status
    codes")."""

    body: str
    request_override: RequestOverride
    response_override: ResponseOverride


def render(
    template: str,
    *,
    input: TemplateInput,
    context: Mapping[str, Any] | None = None,
    stage_variables: Mapping[str, str] | None = None,
    util_extras: Mapping[str, Callable[..., Any]] | None = None,
) -> RenderResult:
    """Render an API Gateway mapping template.

    ``context`` is ``$context`` (nested mappings: ``{"identity": {"sourceIp": ...}}``); a
    ``requestOverride`` in it (from the request template) is visible to the template.
    Raises ``TemplateError`` (with the template line) when the template is malformed or
    fails.

    >>> render("{\\"id\\": \\"$input.params('id')\\"}",
    ...        input=TemplateInput(params={"path": {"id": "7"}})).body
    '{"id": "7"}'
    """
    compiled = _compile(template)
    given = context or {}
    request, response = _overrides(given)
    variables = wrap({k: v for k, v in given.items() if k not in _OVERRIDES})
    dict.__setitem__(variables, "requestOverride", VtlMap(request))
    dict.__setitem__(variables, "responseOverride", response)
    namespace = {
        "input": InputVariable(input),
        "context": variables,
        "stageVariables": wrap(dict(stage_variables or {})),
        "util": UtilVariable(util_extras),
    }
    try:
        body = compiled.merge(namespace)
    except airspeed.TemplateExecutionError as exc:
        raise _execution_error(template, exc) from exc
    headers = response.get("header")
    return RenderResult(
        body=str(body),
        request_override=RequestOverride(*(_strings(request[kind]) for kind in _REQUEST_KINDS)),
        response_override=ResponseOverride(
            status=_status(response.get("status")),
            header=_strings(headers if isinstance(headers, Mapping) else {}),
        ),
    )


def gateway_error_context(
    message: str | None, response_type: str, validation_error: str | None = None
) -> dict[str, Any]:
    """``$context.error`` for a gateway response template.

    ``messageString`` is the message quoted -- developer guide, ``$context`` variables:
    "The quoted value of $context.error.message" -- and ``null`` when there is no message,
    which is how the default ``{"message":$context.error.messageString}`` template gives
    AUTHORIZER_CONFIGURATION_ERROR its ``{"message": null}``.
    """
    return {
        "message": message,
        "messageString": json.dumps(message, ensure_ascii=False),
        "responseType": response_type,
        "validationErrorString": validation_error,
    }


_REQUEST_KINDS = ("header", "querystring", "path")
_OVERRIDES = ("requestOverride", "responseOverride")


class _OverrideMap(VtlMap):
    """A ``$context.*Override`` map. Developer guide: "Overrides are final. An override may
    only be applied to each parameter once." -- a second assignment fails the template."""

    def __init__(self, given: Mapping[str, Any], *, what: str) -> None:
        super().__init__((str(k), wrap(v)) for k, v in given.items())
        self._what = what
        self._assigned: set[str] = set()

    def __setitem__(self, key: str, value: Any) -> None:
        if value is None:  # Velocity leaves the target alone when #set's value is null
            return
        name = java_str(key)
        if name in self._assigned:
            raise TemplateFailure(f"{self._what}.{name} is set twice; an override is final")
        self._assigned.add(name)
        dict.__setitem__(self, name, wrap(value))


def _overrides(context: Mapping[str, Any]) -> tuple[dict[str, _OverrideMap], _OverrideMap]:
    """Fresh override maps, holding what ``context`` already has (earlier templates')."""
    given_request = context.get("requestOverride") or {}
    request = {
        kind: _OverrideMap(given_request.get(kind) or {}, what=f"$context.requestOverride.{kind}")
        for kind in _REQUEST_KINDS
    }
    given_response = dict(context.get("responseOverride") or {})
    headers = given_response.pop("header", None) or {}
    response = _OverrideMap(given_response, what="$context.responseOverride")
    dict.__setitem__(
        response, "header", _OverrideMap(headers, what="$context.responseOverride.header")
    )
    return request, response


def _strings(values: Mapping[str, Any]) -> dict[str, str]:
    return {str(k): java_str(v) for k, v in values.items() if v is not None}


def _status(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = java_str(value).strip()
    if not isinstance(value, bool) and text.isdigit() and 100 <= int(text) <= 599:
        return int(text)
    raise TemplateError(f"$context.responseOverride.status is not a status code: {text!r}")


@functools.lru_cache(maxsize=256)
def _compile(template: str) -> Any:
    compiled = airspeed.Template(template)
    try:
        compiled.ensure_compiled()
    except airspeed.TemplateSyntaxError as exc:
        # airspeed says where it gave up; for an unclosed #if or #foreach that is the end
        # of the template, so the line reported is where the failing directive starts.
        message = re.sub(r"^line \d+, column \d+: ", "", str(exc))
        line, column = exc.line, exc.column
        element = exc.element
        if element.full_text() == template and not isinstance(element, _vtl.TemplateBody):
            line, column = _position(template, element.start)
            if line != exc.line:
                message += f" (parsing stopped at line {exc.line})"
        raise TemplateError(message, line=line, column=column) from exc
    except (airspeed.TemplateError, RecursionError) as exc:
        raise TemplateError(f"the template does not parse: {exc}") from exc
    _javaify(compiled.root_element)
    return compiled


def _javaify(root: Any) -> None:
    """Make the template's literals Java values and ``#foreach`` Velocity's (see module)."""
    pending = [root]
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind is _vtl.StringLiteral:
            node.value = VtlString(node.value)
        elif kind is _vtl.InterpolatedStringLiteral:
            node.calculate = _in_place_of(node, _returning(VtlString, node.calculate))
        elif kind is _vtl.DictionaryLiteral:
            node.calculate = _returning(VtlMap, node.calculate)
        elif kind is _vtl.ArrayLiteral:
            node.calculate = _returning(VtlList, node.calculate)
        elif kind is _vtl.ForeachDirective:
            node.value.calculate = _returning(_iterable, node.value.calculate)
        for value in vars(node).values():
            children = value if isinstance(value, list) else [value]
            if isinstance(value, dict):
                children = [*value.keys(), *value.values()]
            pending.extend(child for child in children if isinstance(child, _vtl._Element))


def _returning(convert: Callable[[Any], Any], calculate: Callable[..., Any]) -> Any:
    def calculate_and_convert(namespace: Any, loader: Any) -> Any:
        return convert(calculate(namespace, loader))

    return calculate_and_convert


def _in_place_of(node: Any, calculate: Callable[..., Any]) -> Any:
    # An interpolated string is parsed as its own little template, whose error positions
    # count from the string's opening quote; report them at the string instead.
    def calculate_here(namespace: Any, loader: Any) -> Any:
        try:
            return calculate(namespace, loader)
        except airspeed.TemplateExecutionError as exc:
            cause = exc.__cause__
            raise airspeed.TemplateExecutionError(node, (type(cause), cause, None)) from cause

    return calculate_here


def _iterable(value: Any) -> Any:
    # Velocity's #foreach over a Map walks its values (airspeed would walk the keys).
    return VtlList(dict.values(value)) if isinstance(value, dict) else value


def _execution_error(template: str, exc: Any) -> TemplateError:
    cause = exc.__cause__
    line = column = None
    if exc.element.full_text() == template:  # not, in a template an #evaluate made
        line, column = _position(template, exc.start)
    reason = str(cause)
    if not isinstance(cause, TemplateFailure):
        reason = f"{type(cause).__name__}: {reason}"
    expression = exc.element.my_text().strip()
    if len(expression) > 60:
        expression = expression[:57] + "..."
    return TemplateError(f"{reason} (in {expression})", line=line, column=column)


def _position(template: str, offset: int) -> tuple[int, int]:
    line_start = template.rfind("\n", 0, offset) + 1
    return template.count("\n", 0, offset) + 1, offset - line_start + 1
