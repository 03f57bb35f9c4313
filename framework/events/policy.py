"""IAM policy documents as API Gateway evaluates them against a method ARN.

Used for Lambda authorizer results and for resource policies. ``*`` in a Resource matches
any run of characters, ``/`` included; ``?`` matches one character (AWS developer guide,
"Control access to an API with IAM permissions").
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

from framework.events.rest import ACCOUNT_ID, REGION

Effect = Literal["Allow", "Deny"]


class MalformedPolicy(ValueError):
    """An authorizer returned something API Gateway cannot use (500 to the client)."""


@lru_cache(maxsize=1024)
def _pattern(resource: str) -> re.Pattern[str]:
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in resource)
    )


def arn_matches(resource: str, arn: str) -> bool:
    return _pattern(resource).fullmatch(arn) is not None


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _action_matches(statement: Mapping[str, Any]) -> bool:
    actions = _as_list(statement.get("Action", []))
    return any(a in ("*", "execute-api:*", "execute-api:Invoke") for a in actions)


def _expand(resource: str, api_id: str) -> str:
    # Resource policies may write "execute-api:/stage/METHOD/path" for this API's ARN.
    if resource.startswith("execute-api:/"):
        return f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{api_id}/{resource[13:]}"
    return resource


def _conditions_hold(conditions: Mapping[str, Any], source_ip: str | None) -> bool:
    for operator, checks in conditions.items():
        for key, values in checks.items():
            if key != "aws:SourceIp" or operator not in ("IpAddress", "NotIpAddress"):
                return False  # a condition we cannot evaluate never holds
            inside = source_ip is not None and any(
                ipaddress.ip_address(source_ip) in ipaddress.ip_network(v, strict=False)
                for v in _as_list(values)
            )
            if inside != (operator == "IpAddress"):
                return False
    return True


def evaluate(
    document: Mapping[str, Any], arn: str, *, api_id: str = "", source_ip: str | None = None
) -> Effect | None:
    """``"Deny"`` if a statement denies ``arn`` (explicit deny wins), ``"Allow"`` if one
    allows it, ``None`` (an implicit deny) otherwise."""
    allowed = False
    for statement in _as_list(document.get("Statement", [])):
        if not _action_matches(statement):
            continue
        resources = [_expand(str(r), api_id) for r in _as_list(statement.get("Resource", []))]
        if not any(arn_matches(r, arn) for r in resources):
            continue
        if not _conditions_hold(statement.get("Condition") or {}, source_ip):
            continue
        if statement.get("Effect") == "Deny":
            return "Deny"
        if statement.get("Effect") == "Allow":
            allowed = True
    return "Allow" if allowed else None


def check_authorizer_output(result: Any) -> tuple[str, Mapping[str, Any], dict[str, Any]]:
    """Validate a Lambda authorizer's output; returns (principalId, policy, context).

    Raises ``MalformedPolicy`` where API Gateway answers 500 AuthorizerConfigurationException:
    no principalId, no usable policy document, or a context value that is not a string,
    number, boolean or null (AWS developer guide, "Output from an API Gateway Lambda
    authorizer").
    """
    if not isinstance(result, Mapping):
        raise MalformedPolicy(f"the authorizer returned {type(result).__name__}, not an object")
    principal = result.get("principalId")
    if not isinstance(principal, str | int | float) or isinstance(principal, bool):
        raise MalformedPolicy("the output has no principalId")
    document = result.get("policyDocument")
    if not isinstance(document, Mapping):
        raise MalformedPolicy("the output has no policyDocument object")
    statements = document.get("Statement")
    if not isinstance(statements, list | Mapping) or not statements:
        raise MalformedPolicy("the policyDocument has no Statement")
    for statement in _as_list(statements):
        if not isinstance(statement, Mapping) or statement.get("Effect") not in ("Allow", "Deny"):
            raise MalformedPolicy(f"invalid statement {statement!r}")
        if "Resource" not in statement or "Action" not in statement:
            raise MalformedPolicy(f"statement without Action or Resource: {statement!r}")
    context = result.get("context") or {}
    if not isinstance(context, Mapping):
        raise MalformedPolicy("context must be an object")
    for key, value in context.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise MalformedPolicy(
                f"context value {key!r} is a {type(value).__name__}: only strings, numbers "
                "and booleans are allowed"
            )
    return str(principal), document, dict(context)


def context_strings(context: Mapping[str, Any]) -> dict[str, Any]:
    """Authorizer context as the integration sees it: values as strings, null kept."""
    result: dict[str, Any] = {}
    for key, value in context.items():
        if value is None:
            result[key] = None
        elif isinstance(value, bool):
            result[key] = "true" if value else "false"
        else:
            result[key] = str(value)
    return result
