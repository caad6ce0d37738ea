"""API keys: who may write or start work, and (by configuration) who may read.

Keys are never stored: the settings hold their SHA-256 digests and a request's key is hashed
and compared in constant time. A key comes in ``Authorization: ApiKey <key>`` (what yente
clients send), ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request

from corridor.settings import ApiSettings

_SCHEMES = ("apikey", "bearer", "token")


def hash_key(key: str) -> str:
    """The SHA-256 hex digest of an API key, as the settings keep it."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh random API key and its hash."""
    key = "crd_" + secrets.token_urlsafe(32)
    return key, hash_key(key)


def request_key(request: Request) -> str | None:
    """The API key a request carries, if any."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() in _SCHEMES and value.strip():
            return value.strip()
    return request.headers.get("x-api-key") or None


def key_is_valid(settings: ApiSettings, key: str) -> bool:
    digest = hash_key(key)
    found = False
    for known in settings.key_hashes:  # compare with all: no early exit to time
        found |= hmac.compare_digest(digest, known)
    return found


def check_key(settings: ApiSettings, request: Request, *, write: bool) -> None:
    """Refuse a request that needs a key and has no valid one (401 without, 403 wrong)."""
    if not write and not settings.read_needs_key:
        return
    if not settings.key_hashes:
        raise HTTPException(
            403,
            detail="this endpoint needs an API key and the server has none configured: set "
            "CORRIDOR_API_KEY_HASHES (make a key with `corridor api-key`)",
        )
    key = request_key(request)
    if key is None:
        raise HTTPException(
            401,
            detail="an API key is required: send `Authorization: ApiKey <key>`",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    if not key_is_valid(settings, key):
        raise HTTPException(403, detail="the API key is not valid")
