"""Build the REST API (payload 1.0) Lambda proxy event from an HTTP request.

Every rule here mirrors something observed on real API Gateway; see
``shared/API-GATEWAY.md`` section 1 for the sources.
"""

from __future__ import annotations

import base64
import hashlib
import random
import time
from collections.abc import Mapping, Sequence
from functools import lru_cache
from urllib.parse import parse_qsl

from framework.events.media import is_binary
from framework.events.types import Identity, RequestContext, RestProxyEvent

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"

# Hop-by-hop and framing headers API Gateway does not pass to the integration.
DROPPED_HEADERS = frozenset(
    {
        "connection",
        "content-length",
        "content-md5",
        "expect",
        "max-forwards",
        "proxy-authenticate",
        "server",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "www-authenticate",
    }
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Ids only need to be unique, not secret: a seeded PRNG costs a fraction of os.urandom,
# which releases the GIL on every call and stalls the server's event loop.
_random = random.Random()


def new_request_id() -> str:
    """A request id shaped like API Gateway's (a version 4 UUID)."""
    h = f"{_random.getrandbits(128):032x}"
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def extended_request_id() -> str:
    """``extendedRequestId``/``x-amz-apigw-id``: 16 characters ending in ``=``."""
    return base64.b64encode(_random.getrandbits(88).to_bytes(11, "big")).decode("ascii")


def api_id(api_name: str) -> str:
    """A stable 10-character API id for ``api_name`` (real ids look like ``a1b2c3d4e5``)."""
    return _short_id(api_name, 10)


def resource_id(api_name: str, resource: str) -> str:
    """A stable 6-character resource id, as API Gateway gives each resource."""
    return _short_id(f"{api_name} {resource}", 6)


@lru_cache(maxsize=4096)
def _short_id(text: str, length: int) -> str:
    digest = hashlib.sha256(text.encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % 36] for b in digest[:length])


@lru_cache(maxsize=1024)
def header_name(name: str) -> str:
    """The name as most HTTP/1.1 clients send it (ASGI servers give names lower-cased).

    API Gateway keeps the client's spelling but always writes ``Authorization``; a local
    server cannot see the spelling, so names are Title-Cased (``x-api-key`` -> ``X-Api-Key``).
    """
    return "-".join(part[:1].upper() + part[1:] for part in name.split("-"))


@lru_cache(maxsize=4)
def _request_time(second: int) -> str:
    t = time.gmtime(second)
    return (
        f"{t.tm_mday:02d}/{_MONTHS[t.tm_mon - 1]}/{t.tm_year}:"
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
    )


def request_time(epoch: float) -> str:
    """``dd/MMM/yyyy:HH:mm:ss +0000``, English month names whatever the locale."""
    return _request_time(int(epoch))


def trace_id(epoch: float) -> str:
    """An X-Ray trace id: ``Root=1-<8 hex seconds>-<24 hex random>``."""
    return f"Root=1-{int(epoch):08x}-{_random.getrandbits(96):024x}"


def build_rest_event(
    *,
    api_name: str,
    method: str,
    raw_path: str,
    query_string: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    resource: str,
    path_parameters: Mapping[str, str] | None,
    stage: str,
    stage_variables: Mapping[str, str] | None,
    source_ip: str,
    binary_media_types: Sequence[str] = (),
    request_id: str | None = None,
    extended_id: str | None = None,
    epoch: float | None = None,
    host: str | None = None,
    port: int = 443,
    scheme: str = "https",
    protocol: str = "HTTP/1.1",
    stage_in_path: bool = True,
) -> RestProxyEvent:
    """The event API Gateway sends to a Lambda proxy integration for this request.

    ``raw_path`` is the path after the stage, exactly as the client sent it (not decoded);
    ``query_string`` the raw query string; ``headers`` the client's headers in order.
    ``requestContext.path`` is the path the client requested: ``/{stage}{raw_path}`` on the
    invoke URL, ``raw_path`` alone when the URL carries no stage (``stage_in_path=False``,
    as through a custom domain name).
    """
    epoch = time.time() if epoch is None else epoch
    request_id = request_id or new_request_id()
    the_api_id = api_id(api_name)
    # A leading '//' after the stage collapses for `path` but stays in requestContext.path.
    path = "/" + raw_path.lstrip("/") if raw_path.startswith("//") else raw_path or "/"

    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    host_value = host
    forwarded_for: str | None = None
    content_type: str | None = None
    user_agent: str | None = None
    for raw_name, value in headers:
        lower = raw_name.lower()
        if lower in DROPPED_HEADERS:
            continue
        if lower == "host":
            host_value = value
            continue
        if lower == "x-forwarded-for":
            forwarded_for = value
            continue
        if lower == "content-type":
            content_type = value
        elif lower == "user-agent":
            user_agent = value
        name = header_name(raw_name)
        single[name] = value  # the last value of a repeated header
        multi.setdefault(name, []).append(value)
    host_value = host_value or f"{the_api_id}.execute-api.{REGION}.amazonaws.com"
    added = {
        "Host": host_value,
        "X-Amzn-Trace-Id": single.get("X-Amzn-Trace-Id") or trace_id(epoch),
        "X-Forwarded-For": f"{forwarded_for}, {source_ip}" if forwarded_for else source_ip,
        "X-Forwarded-Port": str(port),
        "X-Forwarded-Proto": scheme,
    }
    for name, value in added.items():
        single[name] = value
        multi[name] = [value]

    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    if query_string:
        for key, value in parse_qsl(query_string, keep_blank_values=True):
            query[key] = value  # the last value of a repeated key
            multi_query.setdefault(key, []).append(value)

    text: str | None
    if not body:
        text, encoded = None, False
    elif is_binary(content_type, binary_media_types):
        text, encoded = base64.b64encode(body).decode("ascii"), True
    else:
        # API Gateway passes non-binary bodies as UTF-8 text; bytes that are not UTF-8
        # arrive replaced, as they do in AWS (declare the media type binary to keep them).
        text, encoded = body.decode("utf-8", errors="replace"), False

    identity: Identity = {
        "accessKey": None,
        "accountId": None,
        "caller": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": source_ip,
        "user": None,
        "userAgent": user_agent,
        "userArn": None,
    }
    context: RequestContext = {
        "accountId": ACCOUNT_ID,
        "apiId": the_api_id,
        "deploymentId": _short_id(f"{api_name} {stage} deployment", 6),
        "domainName": host_value,
        "domainPrefix": the_api_id,
        "extendedRequestId": extended_id or extended_request_id(),
        "httpMethod": method,
        "identity": identity,
        "path": f"/{stage}{raw_path or '/'}" if stage_in_path else raw_path or "/",
        "protocol": protocol,
        "requestId": request_id,
        "requestTime": request_time(epoch),
        "requestTimeEpoch": int(epoch * 1000),
        "resourceId": resource_id(api_name, resource),
        "resourcePath": resource,
        "stage": stage,
    }
    return {
        "body": text,
        "headers": single,
        "httpMethod": method,
        "isBase64Encoded": encoded,
        "multiValueHeaders": multi,
        "multiValueQueryStringParameters": multi_query or None,
        "path": path,
        "pathParameters": dict(path_parameters) if path_parameters else None,
        "queryStringParameters": query or None,
        "requestContext": context,
        "resource": resource,
        "stageVariables": dict(stage_variables) if stage_variables else None,
    }


def method_arn(api_name: str, stage: str, method: str, resource_path: str) -> str:
    """``arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}``."""
    return (
        f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{api_id(api_name)}/{stage}/{method}"
        f"/{resource_path.lstrip('/')}"
    )
