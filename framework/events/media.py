"""Binary media types: which bodies API Gateway treats as binary."""

from __future__ import annotations

from collections.abc import Sequence


def media_type(value: str | None) -> str:
    """``"image/png; q=0.9"`` -> ``"image/png"``; the first of a list (``Accept``)."""
    if not value:
        return ""
    return value.split(",", 1)[0].split(";", 1)[0].strip().lower()


def is_binary(value: str | None, binary_media_types: Sequence[str]) -> bool:
    """Does the (first) media type in ``value`` match one of the API's binary media types?

    Matches exactly or by a right wildcard in the API's list (``image/*``, ``*/*``). A
    wildcard on the client's side (``Accept: */*`` or ``image/*``) matches only an API that
    lists ``*/*``: API Gateway honours only the first Accept media type and does not expand
    client wildcards (AWS developer guide, "Amazon API Gateway important notes"; LocalStack's
    AWS-validated test_aws_proxy_binary_response).
    """
    if not binary_media_types:
        return False
    candidate = media_type(value)
    if not candidate:
        return False
    for pattern in binary_media_types:
        pattern = pattern.strip().lower()
        if pattern == "*/*":
            return True
        if "*" in candidate:
            continue
        if pattern == candidate:
            return True
        if pattern.endswith("/*") and candidate.split("/", 1)[0] == pattern[:-2]:
            return True
    return False
