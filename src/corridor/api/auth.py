"""API keys: who may write or start work, and (by configuration) who may read.

Two kinds of key are accepted. Server keys: the settings hold their SHA-256 digests and a
request's key is hashed and compared in constant time. Per-user keys (``ck_…``, made by
``corridor users api-key``): the case database holds their hashes, and a request with one
acts as that user (recorded alerts and audit records name them; a list update needs an
admin's key). A key comes in ``Authorization: ApiKey <key>`` (what yente clients send),
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from fastapi import HTTPException, Request

from corridor.cases import CaseStore, Operator, User, api_key_user
from corridor.cases.model import Role
from corridor.cases.tokens import API_KEY_PREFIX
from corridor.settings import ApiSettings

#: Who made a request: a user (per-user key), the holder of a server key, or nobody.
Caller = User | Operator | None

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


def server_key_operator(key: str) -> Operator:
    """The actor a server key acts as in the audit log: named by its hash's first digits,
    never by the key itself."""
    return Operator(f"api:key-{hash_key(key)[:8]}")


def check_key(
    settings: ApiSettings,
    request: Request,
    *,
    write: bool,
    cases: Callable[[], CaseStore] | None = None,
    role: Role = "analyst",
) -> Caller:
    """Who is calling; refuse a request that needs a key and has no valid one (401 without,
    403 wrong or a user's role too low). ``cases`` opens the case database, where per-user
    keys are looked up (None: server keys only). An open read ignores a key it cannot
    place, as before per-user keys existed."""
    key = request_key(request)
    open_read = not write and not settings.read_needs_key
    if key is not None:
        if key_is_valid(settings, key):
            return server_key_operator(key)
        if cases is not None and key.startswith(API_KEY_PREFIX):
            user = api_key_user(cases(), key)
            if user is not None:
                if not user.can(role):
                    raise HTTPException(
                        403,
                        detail=f"user {user.username!r} is {user.role}: this needs the {role} role",
                    )
                return user
    if open_read:
        return None
    if key is None:
        raise HTTPException(
            401,
            detail="an API key is required: send `Authorization: ApiKey <key>`",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    if not settings.key_hashes:
        raise HTTPException(
            403,
            detail="the API key is not valid, and the server has none configured: set "
            "CORRIDOR_API_KEY_HASHES (make a key with `corridor api-key`) or use a user's key "
            "(`corridor users api-key USER`)",
        )
    raise HTTPException(403, detail="the API key is not valid")
