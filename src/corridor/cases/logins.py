"""Logging in: the rate limiter, the password check and the new session, in that order.

Failed attempts are counted per user name (since its last successful login) and per remote
address, within a window (``CORRIDOR_LOGIN_WINDOW_MINUTES``). Past the limit
(``CORRIDOR_LOGIN_MAX_FAILURES`` per name, four times that per address) a login is refused
before the password is even checked, with the seconds to wait, so guessing passwords online
is slow whichever way it is spread. Attempts are kept in the database, so every process of
a server shares the count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update

from corridor.cases import audit
from corridor.cases.db import CaseStore
from corridor.cases.model import IssuedSecret
from corridor.cases.passwords import burn_verify_time, hash_password, needs_rehash, verify_password
from corridor.cases.tables import login_attempt_table, user_table
from corridor.cases.tokens import start_session
from corridor.cases.users import to_user, user_row
from corridor.errors import LoginError, LoginThrottledError

#: Failed attempts allowed from one address, as a multiple of those allowed for one name.
PER_ADDRESS_FACTOR = 4
#: Attempts older than this are deleted as new ones come in.
KEEP_ATTEMPTS = timedelta(days=1)
#: One message for an unknown name, a wrong password and a disabled account.
FAILED = "wrong user name or password, or the account is disabled"


def login_wait(cases: CaseStore, username: str, remote: str = "") -> int:
    """Seconds until ``username`` may try to log in again from ``remote``; 0 if now."""
    rules = cases.rules
    now = cases.now()
    window = timedelta(minutes=rules.login_window_minutes)
    since = now - window
    attempts = login_attempt_table.c
    name = username.lower()[:64]
    with cases.read() as conn:
        last_success = conn.execute(
            select(func.max(attempts.at)).where(
                attempts.username == name, attempts.succeeded.is_(True)
            )
        ).scalar_one()
        name_since = max(since, last_success) if last_success else since
        name_failures = _failures(conn, attempts.username == name, name_since)
        address_failures = _failures(conn, attempts.remote == remote[:64], since) if remote else []
    waits = []
    if len(name_failures) >= rules.login_max_failures:
        waits.append(name_failures[-rules.login_max_failures] + window - now)
    if len(address_failures) >= rules.login_max_failures * PER_ADDRESS_FACTOR:
        waits.append(
            address_failures[-rules.login_max_failures * PER_ADDRESS_FACTOR] + window - now
        )
    if not waits:
        return 0
    return max(1, math.ceil(max(waits).total_seconds()))


def _failures(conn, condition, since: datetime) -> list[datetime]:
    attempts = login_attempt_table.c
    return list(
        conn.execute(
            select(attempts.at)
            .where(condition, attempts.succeeded.is_(False), attempts.at > since)
            .order_by(attempts.at)
        ).scalars()
    )


def login(cases: CaseStore, username: str, password: str, *, remote: str = "") -> IssuedSecret:
    """Check the password and start a session; the session secret is in the result.

    Raises :class:`LoginThrottledError` (with ``retry_after``) past the limit, and
    :class:`LoginError` with one message for every other failure.
    """
    name = username.strip().lower()[:64]
    wait = login_wait(cases, name, remote)
    if wait:
        raise LoginThrottledError(
            f"too many failed logins; try again in {wait} seconds", retry_after=wait
        )
    with cases.read() as conn:
        row = user_row(conn, name)
    if row is None:
        burn_verify_time(password)
        ok = False
    else:
        ok = verify_password(row["password_hash"], password) and bool(row["active"])
    now = cases.now()
    with cases.write(f"login of {name}") as conn:
        conn.execute(
            delete(login_attempt_table).where(login_attempt_table.c.at < now - KEEP_ATTEMPTS)
        )
        conn.execute(
            insert(login_attempt_table).values(
                username=name, remote=remote[:64], at=now, succeeded=ok
            )
        )
        if not ok:
            audit.append(
                conn,
                at=now,
                actor=name,
                action="login.failed",
                subject=f"user:{name}",
                payload={"remote": remote[:64], "known_user": row is not None},
            )
            session = None
        else:
            assert row is not None
            if needs_rehash(row["password_hash"]):
                conn.execute(
                    update(user_table)
                    .where(user_table.c.id == row["id"])
                    .values(password_hash=hash_password(password))
                )
            session = start_session(conn, cases, to_user(row))
            audit.append(
                conn,
                at=now,
                actor=name,
                action="login.succeeded",
                subject=f"user:{name}",
                payload={"remote": remote[:64], "session": session.id},
            )
    if session is None:
        raise LoginError(FAILED)
    return session
