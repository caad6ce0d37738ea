"""Login sessions and per-user API keys: random secrets, stored only as their SHA-256.

A secret is 256 random bits (``secrets.token_urlsafe(32)``) behind a short prefix that says
what it is (``cs_`` a session, ``ck_`` an API key). Such a secret cannot be guessed, so a fast
hash suffices to make a stolen table useless. The web layer puts session secrets in
cookies; the API reads keys from a header. A disabled user's secrets stop working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from corridor.cases import audit
from corridor.cases.db import CaseStore
from corridor.cases.model import Actor, ApiKey, IssuedSecret, User
from corridor.cases.tables import token_table, user_table
from corridor.cases.users import fetch_user, require_role, to_user
from corridor.errors import NotFoundError, PermissionDeniedError
from corridor.store.list_dates import as_utc

SESSION_PREFIX = "cs_"
API_KEY_PREFIX = "ck_"
#: A secret longer than this is refused before it is hashed (bounded input).
MAX_SECRET_LENGTH = 128
#: How often a use of a secret refreshes its ``last_used_at`` (a write per request would
#: be wasteful).
LAST_USED_RESOLUTION = timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(
    conn: Connection,
    user: User,
    kind: str,
    *,
    now: datetime,
    expires_at: datetime | None = None,
    label: str = "",
) -> IssuedSecret:
    """Store a new secret of ``kind`` (``session`` or ``api_key``) for ``user``."""
    prefix = SESSION_PREFIX if kind == "session" else API_KEY_PREFIX
    secret = prefix + secrets.token_urlsafe(32)
    result = conn.execute(
        insert(token_table).values(
            user_id=user.id,
            kind=kind,
            token_hash=secret_hash(secret),
            prefix=secret[:10],
            label=label[:200],
            created_at=now,
            expires_at=expires_at,
        )
    )
    key_id = int(result.inserted_primary_key[0])
    return IssuedSecret(key_id, secret, user, as_utc(expires_at) if expires_at else None)


def secret_user(cases: CaseStore, secret: str, kind: str) -> User | None:
    """The active user a live secret of ``kind`` belongs to, else None."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    now = cases.now()
    tokens, users = token_table.c, user_table.c
    query = (
        select(user_table, tokens.id.label("token_id"), tokens.last_used_at)
        .join(token_table, tokens.user_id == users.id)
        .where(
            tokens.token_hash == secret_hash(secret),
            tokens.kind == kind,
            tokens.revoked_at.is_(None),
            (tokens.expires_at.is_(None)) | (tokens.expires_at > now),
            users.active.is_(True),
        )
    )
    with cases.read() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        return None
    last = row["last_used_at"]
    if last is None or now - last >= LAST_USED_RESOLUTION:
        with cases.engine.begin() as conn:
            conn.execute(
                update(token_table).where(tokens.id == row["token_id"]).values(last_used_at=now)
            )
    return to_user(row)


def session_user(cases: CaseStore, secret: str) -> User | None:
    """The user of a live login session (the web layer's cookie), else None."""
    return secret_user(cases, secret, "session")


def api_key_user(cases: CaseStore, secret: str) -> User | None:
    """The user an API key belongs to, if the key is live and the user active, else None."""
    return secret_user(cases, secret, "api_key")


def start_session(conn: Connection, cases: CaseStore, user: User) -> IssuedSecret:
    now = cases.now()
    return issue(
        conn,
        user,
        "session",
        now=now,
        expires_at=now + timedelta(hours=cases.rules.session_hours),
    )


def end_session(cases: CaseStore, secret: str) -> bool:
    """Log out: revoke the session; True when there was a live one."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return False
    with cases.write("ending a session") as conn:
        row = (
            conn.execute(
                select(token_table.c.id, token_table.c.user_id).where(
                    token_table.c.token_hash == secret_hash(secret),
                    token_table.c.kind == "session",
                    token_table.c.revoked_at.is_(None),
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            return False
        now = cases.now()
        conn.execute(
            update(token_table).where(token_table.c.id == row["id"]).values(revoked_at=now)
        )
        user = _user_by_id(conn, row["user_id"])
        audit.append(
            conn,
            at=now,
            actor=user.username,
            action="session.ended",
            subject=f"user:{user.username}",
            payload={"session": row["id"]},
        )
    return True


def create_api_key(cases: CaseStore, username: str, label: str, *, actor: Actor) -> IssuedSecret:
    """A new API key for ``username`` (by that user, or an admin or operator). The secret is
    in the result only: show it once; corridor keeps its hash."""
    _require_self_or_admin(actor, username, "create API keys for other users")
    with cases.write(f"creating an API key for {username}") as conn:
        user = fetch_user(conn, username)
        if not user.active:
            raise PermissionDeniedError(f"{user.username} is disabled")
        now = cases.now()
        issued = issue(conn, user, "api_key", now=now, label=label)
        audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action="api_key.created",
            subject=f"user:{user.username}",
            payload={"key": issued.id, "prefix": issued.secret[:10], "label": label[:200]},
        )
    return issued


def list_api_keys(cases: CaseStore, username: str | None = None) -> list[ApiKey]:
    tokens, users = token_table.c, user_table.c
    query = (
        select(token_table, users.username)
        .join(user_table, tokens.user_id == users.id)
        .where(tokens.kind == "api_key")
        .order_by(tokens.id)
    )
    if username is not None:
        query = query.where(users.username == username.lower())
    with cases.read() as conn:
        return [_to_api_key(row) for row in conn.execute(query).mappings()]


def revoke_api_key(cases: CaseStore, key_id: int, *, actor: Actor) -> ApiKey:
    with cases.write(f"revoking API key {key_id}") as conn:
        row = (
            conn.execute(
                select(token_table, user_table.c.username)
                .join(user_table, token_table.c.user_id == user_table.c.id)
                .where(token_table.c.id == key_id, token_table.c.kind == "api_key")
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"no API key {key_id}")
        _require_self_or_admin(actor, row["username"], "revoke other users' API keys")
        now = cases.now()
        if row["revoked_at"] is None:
            conn.execute(
                update(token_table).where(token_table.c.id == key_id).values(revoked_at=now)
            )
            audit.append(
                conn,
                at=now,
                actor=actor.actor_name,
                action="api_key.revoked",
                subject=f"user:{row['username']}",
                payload={"key": key_id, "prefix": row["prefix"]},
            )
    return next(k for k in list_api_keys(cases, row["username"]) if k.id == key_id)


def _require_self_or_admin(actor: Actor, username: str, doing: str) -> None:
    if isinstance(actor, User) and actor.active and actor.username == username.lower():
        return
    require_role(actor, "admin", doing)


def _user_by_id(conn: Connection, user_id: int) -> User:
    row = conn.execute(select(user_table).where(user_table.c.id == user_id)).mappings().one()
    return to_user(row)


def _to_api_key(row: Any) -> ApiKey:
    return ApiKey(
        id=int(row["id"]),
        username=row["username"],
        prefix=row["prefix"],
        label=row["label"],
        created_at=as_utc(row["created_at"]),
        last_used_at=as_utc(row["last_used_at"]) if row["last_used_at"] else None,
        revoked_at=as_utc(row["revoked_at"]) if row["revoked_at"] else None,
    )
