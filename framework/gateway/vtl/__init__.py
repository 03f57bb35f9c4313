"""API Gateway's mapping templates (VTL) for REST APIs, as a pure function.

The local gateway renders request templates, integration response templates, MOCK
integrations and gateway response templates with ``render``; nothing here does I/O.

>>> result = render(
...     '#set($context.responseOverride.status = 400){"id": "$input.params(\\'id\\')"}',
...     input=TemplateInput(params={"path": {"id": "7"}}),
... )
>>> result.body, result.response_override.status
('{"id": "7"}', 400)

AWS developer guide pages this package follows: "API Gateway mapping template and access
logging variable reference" ($context, $input, $stageVariables, $util), "Use a mapping
template to override an API's request and response parameters and status codes", and the
mapping template examples (photos, pets) that tests/test_vtl.py reproduces.
"""

from __future__ import annotations

from framework.gateway.vtl.engine import (
    RenderResult,
    RequestOverride,
    ResponseOverride,
    TemplateError,
    gateway_error_context,
    render,
)
from framework.gateway.vtl.inputs import TemplateInput
from framework.gateway.vtl.util import escape_javascript

__all__ = [
    "RenderResult",
    "RequestOverride",
    "ResponseOverride",
    "TemplateError",
    "TemplateInput",
    "escape_javascript",
    "gateway_error_context",
    "render",
]
