"""``$util``: the helper functions API Gateway gives mapping templates.

AWS developer guide, "API Gateway mapping template and access logging variable
reference", section "$util variables". The functions behave as their Java counterparts
do: ``escapeJavaScript`` is Apache Commons Lang's ``StringEscapeUtils.escapeJavaScript``,
``urlEncode``/``urlDecode`` are ``java.net.URLEncoder``/``URLDecoder`` with UTF-8.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus, unquote_plus

from framework.gateway.vtl.inputs import TemplateFailure
from framework.gateway.vtl.values import VtlString, java_str, wrap

_SHORT_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    "'": "\\'",
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
}


def escape_javascript(text: str) -> str:
    """Commons Lang's ``escapeJavaScript``: quotes, backslash, ``/``, controls, non-ASCII.

    The developer guide: "This function will turn any regular single quotes (') into
    escaped ones (\\')" -- which JSON does not accept; templates undo it with
    ``.replaceAll("\\\\'","'")``. Every character outside ASCII becomes ``\\uXXXX``
    (a UTF-16 unit each, upper-case hex), as Java escapes it.
    """
    out: list[str] = []
    for char in text:
        code = ord(char)
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif code < 0x20 or code > 0x7F:
            if code > 0xFFFF:  # a surrogate pair, as Java strings store it
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}")
            else:
                out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return "".join(out)


class UtilVariable:
    """The ``$util`` object; ``extras`` adds (or replaces) functions by name."""

    def __init__(self, extras: Mapping[str, Callable[..., Any]] | None = None) -> None:
        for name, function in (extras or {}).items():
            setattr(self, name, function)

    def escapeJavaScript(self, value: object) -> VtlString:
        """Escape ``value`` with JavaScript string rules (see ``escape_javascript``)."""
        return VtlString("" if value is None else escape_javascript(java_str(value)))

    def parseJson(self, text: object) -> Any:
        """Parse stringified JSON into objects a template can use (``$obj.key2.arr[0]``)."""
        if text is None:
            raise TemplateFailure("$util.parseJson() was given null")
        try:
            return wrap(json.loads(str(text)))
        except ValueError as exc:
            raise TemplateFailure(f"$util.parseJson(): not JSON ({exc})") from exc

    def urlEncode(self, text: object) -> VtlString:
        """``application/x-www-form-urlencoded``, as ``URLEncoder`` writes it."""
        # URLEncoder keeps a-z A-Z 0-9 . - * _ and writes a space as "+"; Python's
        # quote_plus also keeps "~", which Java encodes.
        encoded = quote_plus(java_str(text), safe="*", encoding="utf-8")
        return VtlString(encoded.replace("~", "%7E"))

    def urlDecode(self, text: object) -> VtlString:
        """Decode ``application/x-www-form-urlencoded`` text ("+" is a space)."""
        return VtlString(unquote_plus(java_str(text), encoding="utf-8", errors="replace"))

    def base64Encode(self, text: object) -> VtlString:
        """Base64 of the UTF-8 bytes of ``text``."""
        return VtlString(base64.b64encode(java_str(text).encode("utf-8")).decode("ascii"))

    def base64Decode(self, text: object) -> VtlString:
        """The UTF-8 text whose base64 is ``text``."""
        try:
            data = base64.b64decode(java_str(text), validate=False)
        except binascii.Error as exc:
            raise TemplateFailure(f"$util.base64Decode(): not base64 ({exc})") from exc
        return VtlString(data.decode("utf-8", "replace"))
