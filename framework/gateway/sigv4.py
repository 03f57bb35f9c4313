"""AWS_IAM authorization, locally: verify the request's Signature Version 4.

botocore computes the signature (the same code that signs boto3's requests), over the
headers the client listed in SignedHeaders, with the secret the developer configured for
the access key. Messages and error types are API Gateway's.
"""

from __future__ import annotations

import calendar
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from framework.declare.auth import IamAuthorizer, LocalCredential

# A signed request is valid for 5 minutes either side of the server's clock (AWS General
# Reference, "Signature Version 4 signing process": "Signature expired").
MAX_SKEW = 5 * 60

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[^,\s]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)

MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. Consult the service documentation "
    "for details."
)


class SignatureRejected(Exception):
    def __init__(self, message: str, error_type: str, missing: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.missing = missing  # no signature at all: Missing Authentication Token


def credentials_for(authorizer: IamAuthorizer) -> dict[str, LocalCredential]:
    """The declared credentials; with none declared, the ones in the server's environment
    (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``), which SDKs and awscurl sign with."""
    if authorizer.credentials:
        return dict(authorizer.credentials)
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    return {key: LocalCredential(secret)} if key and secret else {}


@dataclass(frozen=True, slots=True)
class Caller:
    access_key: str
    credential: LocalCredential


def verify(
    authorizer: IamAuthorizer,
    *,
    method: str,
    url: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    now: float | None = None,
) -> Caller:
    """Check the request's SigV4 signature; ``url`` is the full URL the client signed."""
    values: dict[str, str] = {}
    for name, value in headers:
        lower = name.lower()
        values[lower] = f"{values[lower]},{value}" if lower in values else value
    authorization = values.get("authorization")
    if not authorization:
        raise SignatureRejected("Missing Authentication Token", "", missing=True)
    match = _AUTH.fullmatch(authorization.strip())
    if match is None:
        raise SignatureRejected(
            f"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            f"parameters. Authorization={authorization}",
            "IncompleteSignatureException",
        )
    credential = credentials_for(authorizer).get(match["key"])
    if credential is None:
        raise SignatureRejected(
            "The security token included in the request is invalid.",
            "UnrecognizedClientException",
        )
    amz_date = values.get("x-amz-date", "")
    try:
        signed_at = calendar.timegm(time.strptime(amz_date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise SignatureRejected(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            "IncompleteSignatureException",
        ) from None
    current = time.time() if now is None else now
    if abs(current - signed_at) > MAX_SKEW:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(current))
        bound = time.strftime(
            "%Y%m%dT%H%M%SZ",
            time.gmtime(current + (MAX_SKEW if signed_at > current else -MAX_SKEW)),
        )
        relation = "later than" if signed_at > current else "earlier than"
        sign = "+" if signed_at > current else "-"
        raise SignatureRejected(
            f"Signature expired: {amz_date} is now {relation} {bound} ({stamp} {sign} 5 min.)",
            "InvalidSignatureException",
        )
    signed = match["headers"].split(";")
    request = AWSRequest(
        method=method,
        url=url,
        data=body,
        headers={name: values.get(name, "") for name in signed},
    )
    request.context["timestamp"] = amz_date
    token = values.get("x-amz-security-token")
    signer = SigV4Auth(
        Credentials(match["key"], credential.secret_access_key, token),
        match["service"],
        match["region"],
    )
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if match["service"] != "execute-api" or expected != match["signature"]:
        raise SignatureRejected(MISMATCH, "InvalidSignatureException")
    return Caller(match["key"], credential)
