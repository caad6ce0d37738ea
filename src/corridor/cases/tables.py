"""The case tables, in SQLAlchemy Core with portable types, in the same database as the lists.

Times are naive UTC (``DateTime()``, as in the list store), except in the audit log, whose
time is ISO 8601 text: the chain hashes it, so it must read back byte for byte on every
backend. JSON values are text written by :func:`corridor.cases.model.dump_json`.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

user_table = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    # analyst | approver | admin
    Column("role", String(16), nullable=False),
    # argon2id, in the PHC string format argon2-cffi writes (parameters and salt included).
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(), nullable=False),
    Column("password_changed_at", DateTime(), nullable=False),
)

#: Login sessions and API keys: only the SHA-256 of the secret is stored (the secrets are
#: 256 random bits, so a fast hash is enough); the secret itself is shown once.
token_table = Table(
    "user_token",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("app_user.id"), nullable=False),
    # session | api_key
    Column("kind", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    # The first characters of the secret, so a user can tell their keys apart.
    Column("prefix", String(16), nullable=False),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", DateTime(), nullable=False),
    Column("expires_at", DateTime(), nullable=True),
    Column("last_used_at", DateTime(), nullable=True),
    Column("revoked_at", DateTime(), nullable=True),
)
Index("ix_user_token_user", token_table.c.user_id, token_table.c.kind)

login_attempt_table = Table(
    "login_attempt",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("remote", String(64), nullable=False, default=""),
    Column("at", DateTime(), nullable=False),
    Column("succeeded", Boolean, nullable=False),
)
Index("ix_login_attempt_user_at", login_attempt_table.c.username, login_attempt_table.c.at)
Index("ix_login_attempt_remote_at", login_attempt_table.c.remote, login_attempt_table.c.at)

#: A customer or trade party as it was screened: what re-screening after a list update needs.
subject_table = Table(
    "screened_subject",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # SHA-256 of the canonical (name, schema, country, identifiers, reference): one row per
    # distinct subject however often it is screened.
    Column("key", String(64), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("schema", String(64), nullable=False),
    Column("country", String(8), nullable=True),
    Column("identifiers", Text, nullable=False, default="{}"),
    # The caller's own id for the customer (a CRM number, a batch row key), if any.
    Column("reference", String(255), nullable=False, default=""),
    # screen | match | batch: where it was first screened.
    Column("origin", String(16), nullable=False),
    # Kept for re-screening (CORRIDOR_KEEP_SCREENED), or stored only because of an alert.
    Column("kept", Boolean, nullable=False, default=True),
    Column("first_screened_at", DateTime(), nullable=False),
    Column("last_screened_at", DateTime(), nullable=False),
)

alert_table = Table(
    "alert",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("screened_subject.id"), nullable=False),
    # The matched list entry (MatchResult.id) and what it stands for.
    Column("entity_id", String(255), nullable=False),
    Column("caption", String(1024), nullable=False, default=""),
    Column("schema", String(64), nullable=False, default=""),
    Column("source_ids", Text, nullable=False, default="[]"),
    # ",us_ofac_sdn,un_sc_sanctions,": filterable with LIKE on every backend.
    Column("datasets", String(1024), nullable=False, default=""),
    Column("score", Float, nullable=False),
    # SHA-256 of the entry as stored when the alert was raised: a later change lifts its
    # suppressions.
    Column("entry_hash", String(64), nullable=False, default=""),
    # The MatchResult as JSON (explanation included), for the analyst.
    Column("match", Text, nullable=False),
    # The list versions screened against: {"dataset": "list date:hash"}.
    Column("list_versions", Text, nullable=False, default="{}"),
    # screen | match | batch | rescreen, and the caller's reference (trade file, job).
    Column("origin", String(16), nullable=False),
    Column("origin_ref", String(255), nullable=False, default=""),
    # open | escalated | pending | true_match | false_positive
    Column("status", String(16), nullable=False),
    Column("assignee_id", Integer, ForeignKey("app_user.id"), nullable=True),
    Column("created_at", DateTime(), nullable=False),
    Column("updated_at", DateTime(), nullable=False),
    Column("last_seen_at", DateTime(), nullable=False),
)
Index("ix_alert_status_created", alert_table.c.status, alert_table.c.created_at)
Index("ix_alert_subject_entity", alert_table.c.subject_id, alert_table.c.entity_id)

decision_table = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alert.id"), nullable=False),
    # true_match | false_positive | escalate
    Column("kind", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_by", Integer, ForeignKey("app_user.id"), nullable=False),
    Column("decided_at", DateTime(), nullable=False),
    # not_needed | pending | approved | rejected
    Column("approval", String(16), nullable=False),
    Column("reviewed_by", Integer, ForeignKey("app_user.id"), nullable=True),
    Column("reviewed_at", DateTime(), nullable=True),
    Column("review_reason", Text, nullable=False, default=""),
)
Index("ix_decision_alert", decision_table.c.alert_id)

suppression_table = Table(
    "suppression",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_id", Integer, ForeignKey("screened_subject.id"), nullable=False),
    Column("entity_id", String(255), nullable=False),
    Column("caption", String(1024), nullable=False, default=""),
    Column("entry_hash", String(64), nullable=False),
    Column("alert_id", Integer, ForeignKey("alert.id"), nullable=False),
    Column("decision_id", Integer, ForeignKey("decision.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("created_by", Integer, ForeignKey("app_user.id"), nullable=False),
    Column("created_at", DateTime(), nullable=False),
    Column("expires_at", DateTime(), nullable=True),
    # How often it kept an alert out of the queue, and when last.
    Column("hits", Integer, nullable=False, default=0),
    Column("last_hit_at", DateTime(), nullable=True),
    # Ended by a user (revoked) or by a change of the list entry (lifted).
    Column("ended_at", DateTime(), nullable=True),
    # revoked | lifted
    Column("ended_how", String(16), nullable=True),
    Column("ended_by", String(64), nullable=True),
    Column("end_reason", Text, nullable=False, default=""),
)
Index(
    "ix_suppression_subject_entity", suppression_table.c.subject_id, suppression_table.c.entity_id
)

#: The append-only audit log. Each record's ``hash`` is the SHA-256 of its canonical JSON,
#: which includes ``prev_hash``, the hash of the record before it.
audit_table = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject", String(255), nullable=False, default=""),
    Column("payload", Text, nullable=False),
    Column("list_versions", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
Index("ix_audit_log_action", audit_table.c.action)
Index("ix_audit_log_at", audit_table.c.at)

#: One row (id 1): the last record's number and hash, updated in the same transaction as
#: each append. Cutting records off the end of the log leaves it pointing past them; every
#: case write locks this row first, so writers queue instead of forking the chain.
audit_head_table = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

#: Per dataset, the snapshot the kept subjects were last screened against, and the last
#: snapshot whose import was written to the audit log.
list_mark_table = Table(
    "list_mark",
    metadata,
    Column("dataset", String(128), primary_key=True),
    Column("rescreened_snapshot", Integer, nullable=True),
    Column("audited_snapshot", Integer, nullable=True),
)
