"""Users, roles, passwords (argon2id), login sessions, API keys and the login rate limiter."""

from __future__ import annotations

import pytest
from case_helpers import OPERATOR, PASSWORD
from sqlalchemy import select

from corridor.cases import audit, logins, tokens, users
from corridor.cases.db import CaseRules, CaseStore
from corridor.cases.tables import token_table, user_table
from corridor.errors import (
    CaseError,
    LoginError,
    LoginThrottledError,
    NotFoundError,
    PermissionDeniedError,
)
from corridor.store import Store


def test_a_password_is_stored_as_an_argon2id_hash(cases: CaseStore) -> None:
    user = users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    assert user.role == "analyst" and user.active
    with cases.read() as conn:
        stored = conn.execute(select(user_table.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    (record,) = audit.audit_records(cases, action="user.added")
    assert record.actor == "local:tester" and record.payload["role"] == "analyst"
    assert PASSWORD not in audit.export_text(audit.audit_records(cases), "json")


def test_bad_names_roles_and_passwords_are_refused(cases: CaseStore) -> None:
    with pytest.raises(CaseError, match="user name 'Bob Smith'"):
        users.add_user(cases, "Bob Smith", PASSWORD, "analyst", actor=OPERATOR)
    with pytest.raises(CaseError, match="role 'boss'"):
        users.add_user(cases, "bob", PASSWORD, "boss", actor=OPERATOR)
    with pytest.raises(CaseError, match="at least 12 characters"):
        users.add_user(cases, "bob", "short", "analyst", actor=OPERATOR)
    users.add_user(cases, "bob", PASSWORD, "analyst", actor=OPERATOR)
    with pytest.raises(CaseError, match="exists already"):
        users.add_user(cases, "bob", PASSWORD, "admin", actor=OPERATOR)


def test_only_admins_manage_users(cases: CaseStore) -> None:
    analyst = users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    admin = users.add_user(cases, "root", PASSWORD, "admin", actor=OPERATOR)
    with pytest.raises(PermissionDeniedError, match="alice is an analyst; to add users"):
        users.add_user(cases, "eve", PASSWORD, "admin", actor=analyst)
    users.add_user(cases, "carol", PASSWORD, "approver", actor=admin)
    assert [u.username for u in users.list_users(cases)] == ["alice", "carol", "root"]


def test_login_gives_a_session_that_logout_ends(cases: CaseStore) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    session = logins.login(cases, "alice", PASSWORD, remote="10.0.0.1")
    assert session.secret.startswith("cs_") and session.user.username == "alice"
    assert tokens.session_user(cases, session.secret).username == "alice"
    with cases.read() as conn:
        stored = conn.execute(select(token_table.c.token_hash)).scalar_one()
    assert stored == tokens.secret_hash(session.secret) and session.secret not in stored
    assert tokens.end_session(cases, session.secret)
    assert tokens.session_user(cases, session.secret) is None
    actions = [r.action for r in audit.audit_records(cases)]
    assert actions == ["user.added", "login.succeeded", "session.ended"]


def test_sessions_expire(cases: CaseStore, clock) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    session = logins.login(cases, "alice", PASSWORD)
    clock.advance(hours=cases.rules.session_hours - 0.1)
    assert tokens.session_user(cases, session.secret) is not None
    clock.advance(hours=0.2)
    assert tokens.session_user(cases, session.secret) is None


def test_a_failed_login_says_the_same_for_every_cause(cases: CaseStore) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    users.add_user(cases, "root", PASSWORD, "admin", actor=OPERATOR)
    users.disable_user(cases, "alice", actor=OPERATOR)
    messages = set()
    for name, password in (("alice", PASSWORD), ("root", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(LoginError) as failure:
            logins.login(cases, name, password)
        messages.add(str(failure.value))
    assert messages == {logins.FAILED}
    assert len(audit.audit_records(cases, action="login.failed")) == 3


def test_logins_are_rate_limited_per_name_and_per_address(backend_url: str, clock) -> None:
    cases = CaseStore(Store(backend_url), rules=CaseRules(login_max_failures=3), clock=clock)
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    limit = cases.rules.login_max_failures
    for _ in range(limit):
        with pytest.raises(LoginError):
            logins.login(cases, "alice", "not the password", remote="10.0.0.9")
    # Now even the right password is refused, with the time to wait.
    with pytest.raises(LoginThrottledError) as throttled:
        logins.login(cases, "alice", PASSWORD, remote="10.0.0.1")
    assert 0 < throttled.value.retry_after <= cases.rules.login_window_minutes * 60
    clock.advance(minutes=cases.rules.login_window_minutes, seconds=1)
    assert logins.login(cases, "alice", PASSWORD).user.username == "alice"
    # From one address, four times as many failures spread over many names.
    for i in range(limit * logins.PER_ADDRESS_FACTOR):
        with pytest.raises(LoginError):
            logins.login(cases, f"guess{i}", "whatever password", remote="10.6.6.6")
    assert logins.login_wait(cases, "alice", "10.6.6.6") > 0
    assert logins.login_wait(cases, "alice", "10.0.0.2") == 0
    cases.close()


def test_a_success_resets_the_count_for_the_name(cases: CaseStore) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    for _ in range(cases.rules.login_max_failures - 1):
        with pytest.raises(LoginError):
            logins.login(cases, "alice", "typo typo typo")
    logins.login(cases, "alice", PASSWORD)
    with pytest.raises(LoginError):
        logins.login(cases, "alice", "typo typo typo")
    assert logins.login_wait(cases, "alice") == 0


def test_disabling_a_user_ends_their_sessions_and_keys(cases: CaseStore) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    session = logins.login(cases, "alice", PASSWORD)
    key = tokens.create_api_key(cases, "alice", "batch job", actor=OPERATOR)
    assert key.secret.startswith("ck_")
    assert tokens.api_key_user(cases, key.secret).username == "alice"
    users.disable_user(cases, "alice", actor=OPERATOR)
    assert tokens.session_user(cases, session.secret) is None
    assert tokens.api_key_user(cases, key.secret) is None
    users.enable_user(cases, "alice", actor=OPERATOR)
    assert tokens.api_key_user(cases, key.secret) is None  # revoked, not just paused


def test_api_keys_are_per_user_listed_and_revocable(cases: CaseStore) -> None:
    alice = users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    users.add_user(cases, "bob", PASSWORD, "analyst", actor=OPERATOR)
    own = tokens.create_api_key(cases, "alice", "mine", actor=alice)
    with pytest.raises(PermissionDeniedError):
        tokens.create_api_key(cases, "bob", "not mine", actor=alice)
    (listed,) = tokens.list_api_keys(cases, "alice")
    assert listed.prefix == own.secret[:10] and listed.label == "mine"
    assert tokens.api_key_user(cases, own.secret + "x") is None
    assert tokens.session_user(cases, own.secret) is None  # a key is not a session
    revoked = tokens.revoke_api_key(cases, own.id, actor=alice)
    assert revoked.revoked_at is not None
    assert tokens.api_key_user(cases, own.secret) is None


def test_reset_password_ends_sessions_and_takes_the_new_one(cases: CaseStore) -> None:
    users.add_user(cases, "alice", PASSWORD, "analyst", actor=OPERATOR)
    session = logins.login(cases, "alice", PASSWORD)
    users.reset_password(cases, "alice", "a brand new passphrase", actor=OPERATOR)
    assert tokens.session_user(cases, session.secret) is None
    with pytest.raises(LoginError):
        logins.login(cases, "alice", PASSWORD)
    assert logins.login(cases, "alice", "a brand new passphrase").user.username == "alice"


def test_the_last_admin_stays(cases: CaseStore) -> None:
    users.add_user(cases, "root", PASSWORD, "admin", actor=OPERATOR)
    with pytest.raises(CaseError, match="last active admin"):
        users.disable_user(cases, "root", actor=OPERATOR)
    with pytest.raises(CaseError, match="last active admin"):
        users.set_role(cases, "root", "analyst", actor=OPERATOR)
    users.add_user(cases, "root2", PASSWORD, "admin", actor=OPERATOR)
    assert users.set_role(cases, "root", "approver", actor=OPERATOR).role == "approver"


def test_seeded_demo_users_can_log_in(cases: CaseStore) -> None:
    seeded = users.seed_demo_users(cases, "demo password 123", actor=OPERATOR)
    assert [(u.username, u.role) for u in seeded] == [
        ("demo-analyst", "analyst"),
        ("demo-approver", "approver"),
        ("demo-admin", "admin"),
    ]
    assert users.seed_demo_users(cases, "demo password 123", actor=OPERATOR) == seeded
    assert logins.login(cases, "demo-approver", "demo password 123").user.role == "approver"


def test_unknown_user(cases: CaseStore) -> None:
    with pytest.raises(NotFoundError, match="no user 'ghost'"):
        users.get_user(cases, "ghost")
