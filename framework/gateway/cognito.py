"""Cognito user pool authorizers, locally: verify the JWT as API Gateway does.

PyJWT verifies signatures against the developer's JWKS (a dict, a JSON file or a URL)
plus a local key (generated once, kept in the user's cache folder) with which
``mint_token`` signs test tokens, so tests and local clients can log in without AWS.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from framework.declare.auth import CognitoAuthorizer
from framework.gateway.clock import Clock, SystemClock

LOCAL_KID = "framework-local-signing-key"

_lock = threading.Lock()
_local_key: rsa.RSAPrivateKey | None = None


def key_file() -> Path:
    """Where the local signing key is kept, so that a token minted by one process (a test,
    ``python -m framework token``) verifies in another (``serve``)."""
    configured = os.environ.get("FRAMEWORK_LOCAL_KEY_FILE")
    if configured:
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "framework" / "local-signing-key.pem"


def local_key() -> rsa.RSAPrivateKey:
    """The local signing key for minted tokens: read from ``key_file()``, or generated
    and written there (mode 0600); kept in memory only when the file cannot be written."""
    global _local_key
    with _lock:
        if _local_key is None:
            _local_key = _load_or_create(key_file())
        return _local_key


def _load_or_create(path: Path) -> rsa.RSAPrivateKey:
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(loaded, rsa.RSAPrivateKey):
            return loaded
    except (OSError, ValueError):
        pass
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(pem)
        os.replace(temporary, path)  # atomic: concurrent first runs agree on one key
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if isinstance(loaded, rsa.RSAPrivateKey):
            return loaded
    except OSError:
        pass
    return key


def local_jwks() -> dict[str, Any]:
    """The public half of the local key as a JWKS document."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(local_key().public_key()))
    public.update({"kid": LOCAL_KID, "alg": "RS256", "use": "sig"})
    return {"keys": [public]}


def mint_token(
    authorizer: CognitoAuthorizer,
    *,
    sub: str = "local-user",
    token_use: str = "id",
    scopes: Iterable[str] = (),
    claims: Mapping[str, Any] | None = None,
    client_id: str = "local-client",
    expires_in: int = 3600,
    clock: Clock | None = None,
) -> str:
    """A Cognito-shaped JWT signed by the local key, accepted by the local gateway.

    ``token_use="id"`` gives an ID token (``aud`` = client_id, ``cognito:username``);
    ``"access"`` gives an access token (``client_id``, ``scope`` = the scopes).
    """
    now = int((clock or SystemClock()).time())
    if not authorizer.issuers:
        raise ValueError(f"{authorizer.name}: no user pool ARN to take the issuer from")
    payload: dict[str, Any] = {
        "sub": sub,
        "iss": authorizer.issuers[0],
        "token_use": token_use,
        "auth_time": now,
        "iat": now,
        "exp": now + expires_in,
        "jti": str(uuid.uuid4()),
    }
    if token_use == "id":
        payload.update({"aud": client_id, "cognito:username": sub})
    else:
        payload.update({"client_id": client_id, "scope": " ".join(scopes), "username": sub})
    payload.update(claims or {})
    return jwt.encode(payload, local_key(), algorithm="RS256", headers={"kid": LOCAL_KID})


class TokenRejected(Exception):
    """The token does not pass (401 Unauthorized); the message is for the console."""


class CognitoVerifier:
    """Verifies tokens for one ``CognitoAuthorizer``."""

    def __init__(self, authorizer: CognitoAuthorizer, clock: Clock | None = None) -> None:
        self.authorizer = authorizer
        self.clock = clock or SystemClock()
        self._keys: dict[str, Any] | None = None
        self._client: jwt.PyJWKClient | None = None

    def _key_for(self, kid: str | None) -> Any:
        if self._keys is None:
            documents = [local_jwks()]
            source = self.authorizer.jwks
            if isinstance(source, Mapping):
                documents.append(dict(source))
            elif isinstance(source, Path) or (
                isinstance(source, str) and not source.startswith(("http://", "https://"))
            ):
                documents.append(json.loads(Path(source).read_text()))
            elif isinstance(source, str):
                self._client = jwt.PyJWKClient(source)
            keys: dict[str, Any] = {}
            for document in documents:
                for jwk in jwt.PyJWKSet.from_dict(document).keys:
                    keys[str(jwk.key_id)] = jwk.key
            self._keys = keys
        if kid in self._keys:
            return self._keys[kid]
        if self._client is not None and kid is not None:
            try:
                return self._client.get_signing_key(kid).key
            except jwt.PyJWKClientError as exc:
                raise TokenRejected(f"no key {kid!r} in the JWKS: {exc}") from exc
        raise TokenRejected(f"no key {kid!r} in the JWKS")

    def verify(self, token: str, scopes: tuple[str, ...]) -> dict[str, Any]:
        """The token's claims, or ``TokenRejected``."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRejected(f"not a JWT: {exc}") from exc
        if header.get("alg") != "RS256":  # Cognito signs with RS256; never 'none' or HS256
            raise TokenRejected(f"algorithm {header.get('alg')!r} is not RS256")
        key = self._key_for(header.get("kid"))
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                issuer=list(self.authorizer.issuers),
                options={"verify_aud": False, "verify_exp": False, "require": ["exp", "iss"]},
            )
        except jwt.PyJWTError as exc:
            raise TokenRejected(str(exc)) from exc
        if float(claims["exp"]) <= self.clock.time():
            raise TokenRejected("the token has expired")
        clients = self.authorizer.app_client_ids
        if clients:
            client = (
                claims.get("aud") if claims.get("token_use") == "id" else claims.get("client_id")
            )
            if client not in clients:
                raise TokenRejected(f"client {client!r} is not one of {list(clients)}")
        if scopes:
            # With scopes on the method API Gateway takes the token as an access token and
            # needs one of the method's scopes (AWS developer guide, "Integrate a REST API
            # with an Amazon Cognito user pool").
            if claims.get("token_use") != "access":
                raise TokenRejected("the method has scopes: an access token is needed")
            granted = str(claims.get("scope", "")).split()
            if not set(granted) & set(scopes):
                raise TokenRejected(f"none of the scopes {list(scopes)} in {granted}")
        return claims


def claims_for_event(claims: Mapping[str, Any]) -> dict[str, str]:
    """Claims as a REST API passes them in ``requestContext.authorizer.claims``: strings."""
    result = {}
    for key, value in claims.items():
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif isinstance(value, list | dict):
            result[key] = json.dumps(value)
        else:
            result[key] = str(value)
    return result
