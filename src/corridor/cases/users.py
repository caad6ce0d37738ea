"""Users and roles: who may look, decide, approve and administer.

Roles, least trusted first (:data:`corridor.cases.model.ROLES`): an *analyst* works the
queue (assigns, decides); an *approver* also approves or rejects another user's decision
under the four-eyes rule and ends suppressions; an *admin* also manages users. An
:class:`~corridor.cases.model.Operator` (the local ``corridor`` command, a system job) may
manage users and run re-screening, but decides nothing: decisions name a person who logged in.
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from corridor.cases import audit
from corridor.cases.db import CaseStore
from corridor.cases.model import ROLES, Actor, Operator, Role, User
from corridor.cases.passwords import hash_password
from corridor.cases.tables import token_table, user_table
from corridor.errors import CaseError, NotFoundError, PermissionDeniedError
from corridor.store.list_dates import as_utc

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")

#: The demo accounts :func:`seed_demo_users` creates, one per role.
DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("demo-analyst", "analyst", "Demo Analyst"),
    ("demo-approver", "approver", "Demo Approver"),
    ("demo-admin", "admin", "Demo Admin"),
)


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise CaseError(
            f"user name {username!r}: use 2–64 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return username


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise CaseError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def require_role(actor: Actor, role: Role, doing: str) -> None:
    """Refuse unless ``actor`` is an operator or an active user with ``role`` or above."""
    if isinstance(actor, Operator):
        return
    if not actor.active:
        raise PermissionDeniedError(f"{actor.username} is disabled and cannot {doing}")
    if not actor.can(role):
        raise PermissionDeniedError(
            f"{actor.username} is an {actor.role}; to {doing} needs the {role} role or above"
        )


def require_user(actor: Actor, role: Role, doing: str) -> User:
    """Like :func:`require_role`, and the actor must be a user who logged in."""
    if isinstance(actor, Operator):
        raise PermissionDeniedError(
            f"{actor.name} is not a logged-in user: to {doing} needs a user's login"
        )
    require_role(actor, role, doing)
    return actor


def to_user(row: Any) -> User:
    return User(
        id=int(row["id"]),
        username=row["username"],
        role=row["role"],
        display_name=row["display_name"],
        active=bool(row["active"]),
        created_at=as_utc(row["created_at"]),
        password_changed_at=as_utc(row["password_changed_at"]),
    )


def user_row(conn: Connection, username: str) -> Any:
    """The stored row of ``username`` (password hash included), or None."""
    return (
        conn.execute(select(user_table).where(user_table.c.username == username.lower()))
        .mappings()
        .first()
    )


def fetch_user(conn: Connection, username: str) -> User:
    row = user_row(conn, username)
    if row is None:
        raise NotFoundError(f"no user {username!r}; see `corridor users list`")
    return to_user(row)


def user_by_id(conn: Connection, user_id: int) -> User:
    row = conn.execute(select(user_table).where(user_table.c.id == user_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no user with id {user_id}")
    return to_user(row)


def get_user(cases: CaseStore, username: str) -> User:
    with cases.read() as conn:
        return fetch_user(conn, username)


def list_users(cases: CaseStore, *, include_disabled: bool = True) -> list[User]:
    query = select(user_table).order_by(user_table.c.username)
    if not include_disabled:
        query = query.where(user_table.c.active.is_(True))
    with cases.read() as conn:
        return [to_user(row) for row in conn.execute(query).mappings()]


def add_user(
    cases: CaseStore,
    username: str,
    password: str,
    role: str,
    *,
    actor: Actor,
    display_name: str = "",
) -> User:
    """Create a user; the password is stored only as its argon2id hash."""
    require_role(actor, "admin", "add users")
    name = check_username(username)
    chosen = check_role(role)
    hashed = hash_password(password)
    with cases.write(f"adding user {name}") as conn:
        if user_row(conn, name) is not None:
            raise CaseError(f"user {name!r} exists already")
        now = cases.now()
        conn.execute(
            insert(user_table).values(
                username=name,
                display_name=display_name[:200],
                role=chosen,
                password_hash=hashed,
                active=True,
                created_at=now,
                password_changed_at=now,
            )
        )
        user = fetch_user(conn, name)
        audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action="user.added",
            subject=f"user:{name}",
            payload={"username": name, "role": chosen, "display_name": user.display_name},
        )
    return user


def _active_admins(conn: Connection) -> int:
    return conn.execute(
        select(func.count()).where(user_table.c.role == "admin", user_table.c.active.is_(True))
    ).scalar_one()


def set_active(cases: CaseStore, username: str, active: bool, *, actor: Actor) -> User:
    """Disable (``active=False``: its sessions and API keys stop working at once) or enable
    a user. The last active admin cannot be disabled."""
    doing = "enable users" if active else "disable users"
    require_role(actor, "admin", doing)
    with cases.write(f"{'enabling' if active else 'disabling'} user {username}") as conn:
        user = fetch_user(conn, username)
        if user.active == active:
            return user
        if not active and user.role == "admin" and _active_admins(conn) <= 1:
            raise CaseError(f"{user.username} is the last active admin; add another first")
        now = cases.now()
        conn.execute(update(user_table).where(user_table.c.id == user.id).values(active=active))
        if not active:
            _revoke_all_tokens(conn, user.id, now)
        audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action="user.enabled" if active else "user.disabled",
            subject=f"user:{user.username}",
            payload={"username": user.username},
        )
        return fetch_user(conn, username)


def disable_user(cases: CaseStore, username: str, *, actor: Actor) -> User:
    return set_active(cases, username, False, actor=actor)


def enable_user(cases: CaseStore, username: str, *, actor: Actor) -> User:
    return set_active(cases, username, True, actor=actor)


def reset_password(cases: CaseStore, username: str, password: str, *, actor: Actor) -> User:
    """Set a new password (by an admin, an operator, or the user themself); every session of
    the user ends, so a stolen session dies with the old password."""
    if not (isinstance(actor, User) and actor.username == username.lower() and actor.active):
        require_role(actor, "admin", "reset other users' passwords")
    hashed = hash_password(password)
    with cases.write(f"resetting the password of {username}") as conn:
        user = fetch_user(conn, username)
        now = cases.now()
        conn.execute(
            update(user_table)
            .where(user_table.c.id == user.id)
            .values(password_hash=hashed, password_changed_at=now)
        )
        _revoke_all_tokens(conn, user.id, now, kinds=("session",))
        audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action="user.password_reset",
            subject=f"user:{user.username}",
            payload={"username": user.username},
        )
        return fetch_user(conn, username)


def set_role(cases: CaseStore, username: str, role: str, *, actor: Actor) -> User:
    """Give a user another role; the last active admin keeps theirs."""
    require_role(actor, "admin", "change roles")
    chosen = check_role(role)
    with cases.write(f"changing the role of {username}") as conn:
        user = fetch_user(conn, username)
        if user.role == chosen:
            return user
        if user.role == "admin" and user.active and _active_admins(conn) <= 1:
            raise CaseError(f"{user.username} is the last active admin; add another first")
        now = cases.now()
        conn.execute(update(user_table).where(user_table.c.id == user.id).values(role=chosen))
        audit.append(
            conn,
            at=now,
            actor=actor.actor_name,
            action="user.role_changed",
            subject=f"user:{user.username}",
            payload={"username": user.username, "from": user.role, "to": chosen},
        )
        return fetch_user(conn, username)


def seed_demo_users(cases: CaseStore, password: str, *, actor: Actor) -> list[User]:
    """The demo accounts (``demo-analyst``, ``demo-approver``, ``demo-admin``), all with
    ``password``; accounts that exist already are left as they are."""
    existing = {u.username for u in list_users(cases)}
    for username, role, display in DEMO_USERS:
        if username not in existing:
            add_user(cases, username, password, role, actor=actor, display_name=display)
    return [get_user(cases, username) for username, _, _ in DEMO_USERS]


def _revoke_all_tokens(
    conn: Connection, user_id: int, now: Any, kinds: tuple[str, ...] = ("session", "api_key")
) -> None:
    conn.execute(
        update(token_table)
        .where(
            token_table.c.user_id == user_id,
            token_table.c.kind.in_(kinds),
            token_table.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
