"""The state one request carries through the gateway pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from framework.declare.api import Preflight, RestApi, Stage
from framework.declare.routes import Route
from framework.declare.usage import ApiKey, UsagePlan
from framework.events.proxy import HttpResponse
from framework.events.types import RestProxyEvent


class GatewayResponseError(Exception):
    """Raised by a pipeline step: API Gateway answers with the gateway response ``type``.

    ``detail`` is for the console (what CloudWatch's execution log would say), never for
    the client.
    """

    def __init__(
        self,
        type: str,
        detail: str | None = None,
        *,
        message: str | None = None,
        error_type: str | None = None,
    ):
        super().__init__(detail or type)
        self.type = type
        self.detail = detail
        self.message = message  # replaces the type's message (e.g. SigV4's own messages)
        self.error_type = error_type  # replaces the type's x-amzn-ErrorType


@dataclass(slots=True)
class InvocationContext:
    """One request, from the socket to the response; each step reads and fills it."""

    api: RestApi
    stage: Stage
    method: str
    raw_path: str  # after the stage, as the client sent it (not decoded)
    stage_in_path: bool  # False: the bare local URL, like a custom domain's
    query_string: str
    headers: list[tuple[str, str]]
    source_ip: str
    host: str | None = None
    port: int = 443
    scheme: str = "https"
    protocol: str = "HTTP/1.1"
    body: bytes = b""
    content_length: int | None = None
    request_id: str = ""
    extended_request_id: str = ""
    epoch: float = 0.0
    started: float = 0.0
    route: Route | None = None
    preflight: Preflight | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    event: RestProxyEvent | None = None
    policy_effect: str | None = None  # the resource policy's: Allow, Deny or Neither
    authorizer_event: dict[str, Any] | None = None
    usage_identifier_key: str | None = None
    plan: UsagePlan | None = None
    api_key: ApiKey | None = None
    result: Any = None
    response: HttpResponse | None = None
    _header_index: dict[str, str] | None = None

    def header(self, name: str) -> str | None:
        """The last value of a request header, by case-insensitive name."""
        index = self._header_index
        if index is None:
            index = self._header_index = {k.lower(): v for k, v in self.headers}
        return index.get(name.lower())

    @property
    def resource(self) -> str | None:
        if self.route is not None:
            return self.route.path
        if self.preflight is not None:
            return self.preflight.resource.path
        return None
