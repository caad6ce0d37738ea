"""The typed values of the case work: users, subjects, alerts, decisions, suppressions, audit
records. The core functions return these; the web pages, the HTTP API and the CLI show them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import orjson

from corridor.matching import MatchResult

Role = Literal["analyst", "approver", "admin"]
#: Least to most trusted: each role may do what the ones before it may.
ROLES: tuple[Role, ...] = ("analyst", "approver", "admin")

AlertStatus = Literal["open", "escalated", "pending", "true_match", "false_positive"]
ALERT_STATUSES: tuple[AlertStatus, ...] = (
    "open",
    "escalated",
    "pending",
    "true_match",
    "false_positive",
)
#: Statuses of alerts still in the queue (``pending``: a decision awaits its approval).
OPEN_STATUSES: tuple[AlertStatus, ...] = ("open", "escalated", "pending")
#: Statuses an analyst may decide from.
DECIDABLE: tuple[AlertStatus, ...] = ("open", "escalated")

DecisionKind = Literal["true_match", "false_positive", "escalate"]
DECISION_KINDS: tuple[DecisionKind, ...] = ("true_match", "false_positive", "escalate")
Approval = Literal["not_needed", "pending", "approved", "rejected"]
Origin = Literal["screen", "match", "batch", "rescreen"]
SuppressionState = Literal["active", "expired", "revoked", "lifted"]

#: Bounds on free text a user types.
MAX_REASON = 4000
MAX_REFERENCE = 255


def dump_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, UTF-8; the same value always gives the same
    text, which is what the audit chain hashes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def load_json(text: str | bytes) -> Any:
    return orjson.loads(text)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- who acts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """A person who logs in to the workbench or calls the API."""

    id: int
    username: str
    role: Role
    display_name: str
    active: bool
    created_at: datetime
    password_changed_at: datetime

    @property
    def actor_name(self) -> str:
        return self.username

    def can(self, role: Role) -> bool:
        """True when this user's role is ``role`` or a more trusted one."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class Operator:
    """Whoever works on the database directly rather than through a login: the local user of
    the ``corridor`` command (``local:alice``) or a job of the system (``system:rescreen``).

    Holding the database, an operator may manage users and run re-screening; decisions and
    approvals need a :class:`User`, so that every decision names a person who logged in.
    """

    name: str

    @property
    def actor_name(self) -> str:
        return self.name


Actor = User | Operator


# -- who was screened ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A customer or trade party as screened: the input of a match, kept for re-screening."""

    name: str
    schema: str = "LegalEntity"
    country: str | None = None
    identifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The caller's own id for it (a customer number, a batch row key), if any.
    reference: str = ""

    @classmethod
    def of(
        cls,
        name: str,
        schema: str = "LegalEntity",
        country: str | None = None,
        identifiers: Mapping[str, str | Sequence[str]] | None = None,
        reference: str = "",
    ) -> Subject:
        """Build one from loosely shaped identifiers (a value or a list of values)."""
        ids = {
            key: (value,) if isinstance(value, str) else tuple(value)
            for key, value in sorted((identifiers or {}).items())
            if value
        }
        return cls(" ".join(name.split()), schema, country or None, ids, reference[:MAX_REFERENCE])

    def key(self) -> str:
        """One id per distinct subject: the hash of everything that identifies it."""
        return sha256_text(
            dump_json(
                {
                    "name": self.name,
                    "schema": self.schema,
                    "country": self.country,
                    "identifiers": {k: sorted(v) for k, v in self.identifiers.items()},
                    "reference": self.reference,
                }
            )
        )

    def identifiers_json(self) -> str:
        return dump_json({k: list(v) for k, v in self.identifiers.items()})


@dataclass(frozen=True)
class Screened:
    """One subject and what screening found for it (alerts have ``match`` set)."""

    subject: Subject
    matches: Sequence[MatchResult]


@dataclass(frozen=True)
class StoredSubject:
    id: int
    subject: Subject
    origin: str
    kept: bool
    first_screened_at: datetime
    last_screened_at: datetime


# -- the queue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    """A list entry a subject may be, waiting for (or having had) an analyst's decision."""

    id: int
    subject_id: int
    subject: Subject
    entity_id: str
    caption: str
    schema: str
    source_ids: list[str]
    datasets: list[str]
    score: float
    status: AlertStatus
    assignee: str | None
    origin: str
    origin_ref: str
    list_versions: dict[str, str]
    created_at: datetime
    updated_at: datetime
    last_seen_at: datetime
    #: The match as :meth:`MatchResult.to_dict` wrote it: the explanation the analyst reads.
    match: dict[str, Any]


@dataclass(frozen=True)
class Decision:
    id: int
    alert_id: int
    kind: DecisionKind
    reason: str
    decided_by: str
    decided_at: datetime
    approval: Approval
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_reason: str = ""


@dataclass(frozen=True)
class Suppression:
    """A decided false positive for one subject and one list entry, kept out of the queue
    until the entry changes, the suppression expires or a user revokes it."""

    id: int
    subject_id: int
    subject_name: str
    entity_id: str
    caption: str
    entry_hash: str
    alert_id: int
    decision_id: int
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    hits: int
    last_hit_at: datetime | None
    ended_at: datetime | None
    ended_how: str | None
    ended_by: str | None
    end_reason: str

    def state(self, now: datetime) -> SuppressionState:
        if self.ended_how == "revoked":
            return "revoked"
        if self.ended_how == "lifted":
            return "lifted"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True)
class AlertDetail:
    """One alert with its decisions (oldest first) and the suppression it led to, if any."""

    alert: Alert
    decisions: list[Decision]
    suppression: Suppression | None


AlertSortKey = Literal["created_at", "updated_at", "score", "status", "id"]


@dataclass(frozen=True)
class AlertFilter:
    """Which alerts to list; every field left None matches all."""

    statuses: tuple[AlertStatus, ...] | None = None
    dataset: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    #: A user name; ``""`` for alerts assigned to nobody.
    assignee: str | None = None
    origin: str | None = None
    subject_id: int | None = None
    #: Part of the subject's name or the entry's caption (case-insensitive).
    text: str | None = None


@dataclass(frozen=True)
class AlertSort:
    key: AlertSortKey = "created_at"
    descending: bool = True


@dataclass(frozen=True)
class PageRequest:
    """Page ``number`` (from 1) of ``size`` items (at most :data:`MAX_PAGE_SIZE`)."""

    number: int = 1
    size: int = 50


MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    total: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


@dataclass(frozen=True)
class RecordedAlerts:
    """What :func:`corridor.cases.alerts.record_alerts` did with one screening."""

    #: New alerts in the queue.
    created: list[int]
    #: Alerts already in the queue (or already confirmed) for the same subject and entry.
    seen_again: list[int]
    #: Hits kept out of the queue by a suppression (suppression ids).
    suppressed: list[int]
    #: Suppressions lifted because their list entry changed since the decision.
    lifted: list[int]
    #: Stored subject ids, in the order screened.
    subjects: list[int]
    #: The audit record of the screening.
    audit_seq: int


# -- users' secrets -----------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSecret:
    """A new session token or API key: ``secret`` is shown once and stored only hashed."""

    id: int
    secret: str
    user: User
    expires_at: datetime | None


@dataclass(frozen=True)
class ApiKey:
    id: int
    username: str
    prefix: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


# -- the audit log ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    payload: dict[str, Any]
    list_versions: dict[str, str]
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "payload": self.payload,
            "list_versions": self.list_versions,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class AuditCheck:
    """The result of walking the audit chain: ``ok``, or the first bad record and why."""

    ok: bool
    records: int
    head_seq: int
    head_hash: str
    first_bad: int | None = None
    problem: str | None = None
