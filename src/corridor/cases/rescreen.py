"""Re-screening after a list update: only the kept subjects the update can affect.

For each dataset whose active snapshot is newer than the one the kept subjects were last
screened against, the store's diff gives the entries added or changed. A matcher built over
just those entries (small, so cheap) finds the subjects that could meet them, with a floor
well under the alert threshold so that no candidate is lost to the small index's different
token weights. Those candidates alone are screened again with the full screener (the
numbers an ordinary screening gives), and only hits on the added or changed entries are
recorded: new alerts appear in the queue, hits on entries decided before are seen again.
Suppressions of changed or removed entries are lifted first, so their hits come back.

Each step is idempotent: if a run stops half-way, the next one repeats the same diff.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from corridor.cases import audit
from corridor.cases.alerts import record_alerts
from corridor.cases.db import CaseStore
from corridor.cases.marks import audit_marks, rescreen_marks, set_mark
from corridor.cases.model import Actor, Operator, Screened, Subject
from corridor.cases.subjects import kept_subjects
from corridor.cases.suppressions import lift_for_changed_entries
from corridor.cases.users import require_role
from corridor.errors import StoreError
from corridor.matching import Matcher
from corridor.model import Entity
from corridor.screening.parties import ImoIndex, MatcherScreener, PartyScreener
from corridor.store import Snapshot, snapshot_from_row
from corridor.store.models import snapshot_table

#: Who re-screens when nobody asked: the update job of the server.
SYSTEM = Operator("system:rescreen")
#: A candidate is any subject scoring at least this against a changed entry in the small
#: index: well under the alert threshold, because the small index weighs tokens by their
#: rarity among the changed entries only.
CANDIDATE_FLOOR = 0.5
#: Candidates per subject looked at in the small index.
CANDIDATE_LIMIT = 5


@dataclass(frozen=True)
class DatasetChange:
    """What changed in one dataset since the kept subjects were last screened against it."""

    dataset: str
    #: The snapshot screened against before (None: this dataset is new to the case work).
    from_snapshot: int | None
    to_snapshot: int
    added: int
    changed: int
    removed: int


@dataclass(frozen=True)
class RescreenResult:
    changes: list[DatasetChange] = field(default_factory=list)
    subjects_checked: int = 0
    #: Subject ids that the changed entries could affect (screened again in full).
    candidates: list[int] = field(default_factory=list)
    alerts_created: list[int] = field(default_factory=list)
    alerts_seen_again: list[int] = field(default_factory=list)
    suppressions_lifted: list[int] = field(default_factory=list)
    #: The audit record of the run (None when nothing had changed).
    audit_seq: int | None = None


@dataclass
class _Changes:
    """The entries to re-screen against, over every dataset that changed."""

    entities: list[Entity] = field(default_factory=list)
    removed_ids: set[str] = field(default_factory=set)
    per_dataset: list[DatasetChange] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)

    @property
    def entity_ids(self) -> set[str]:
        return {e.id for e in self.entities}

    @property
    def source_ids(self) -> set[str]:
        return {e.source_id for e in self.entities}


def pending_datasets(
    cases: CaseStore, since: Mapping[str, int | None] | None = None
) -> list[tuple[str, int | None, Snapshot]]:
    """(dataset, snapshot screened against, active snapshot) for each dataset to re-screen:
    by default those whose active snapshot differs from their mark; ``since`` names the
    starting snapshot per dataset instead (None: the whole dataset)."""
    with cases.read() as conn:
        marks = rescreen_marks(conn)
    out = []
    for snap in cases.store.active_snapshots():
        if since is not None:
            if snap.dataset in since:
                out.append((snap.dataset, since[snap.dataset], snap))
        elif marks.get(snap.dataset) != snap.id:
            out.append((snap.dataset, marks.get(snap.dataset), snap))
    return out


def collect_changes(
    cases: CaseStore, pending: Sequence[tuple[str, int | None, Snapshot]]
) -> _Changes:
    """The added and changed entries (as in the new snapshots) and the removed ids."""
    found = _Changes()
    store = cases.store
    for dataset, old_id, new in pending:
        entities = store.snapshot_entities(new.id)
        try:
            diff = store.diff(dataset, old=old_id, new=new.id) if old_id is not None else None
        except StoreError:
            diff = None  # the old snapshot was pruned: every entry counts as new
        if diff is None:
            wanted = {e.id for e in entities}
            counts = (len(wanted), 0, 0)
        else:
            wanted = {c.id for c in diff.added} | {c.id for c in diff.changed}
            found.removed_ids |= {c.id for c in diff.removed}
            counts = (len(diff.added), len(diff.changed), len(diff.removed))
        found.entities += [e for e in entities if e.id in wanted]
        found.per_dataset.append(DatasetChange(dataset, old_id, new.id, *counts))
        found.marks[dataset] = new.id
    return found


def subject_query(subject: Subject) -> dict[str, object]:
    """The matcher's query for a kept subject (as screening builds it for a party)."""
    props: dict[str, list[str]] = {"name": [subject.name]}
    if subject.country:
        props["country"] = [subject.country]
    for key, values in subject.identifiers.items():
        props[key] = list(values)
    return {"schema": subject.schema, "properties": props}


def candidate_subjects(cases: CaseStore, changed: Sequence[Entity]) -> tuple[int, list]:
    """Kept subjects that could meet one of the ``changed`` entries: (subjects looked at,
    [(subject id, subject)])."""
    small = Matcher.from_entities(changed)
    imos = ImoIndex(changed)
    checked = 0
    found = []
    for stored in kept_subjects(cases):
        checked += 1
        subject = stored.subject
        hits = small.match(subject_query(subject), limit=CANDIDATE_LIMIT)
        near = any(h.score >= CANDIDATE_FLOOR for h in hits)
        exact = any(imos.lookup(imo) for imo in subject.identifiers.get("imoNumber", ()))
        if near or exact:
            found.append((stored.id, subject))
    return checked, found


def rescreen(
    cases: CaseStore,
    *,
    actor: Actor = SYSTEM,
    since: Mapping[str, int | None] | None = None,
    screener: PartyScreener | None = None,
) -> RescreenResult:
    """Re-screen the kept subjects the list changes can affect; record new alerts.

    ``since`` maps datasets to the snapshot to diff from (default: the one each was last
    re-screened against). ``screener`` is the full screener over the lists in force (a
    server passes the one it holds; by default one is built from the store).
    """
    require_role(actor, "admin", "re-screen")
    pending = pending_datasets(cases, since)
    if not pending:
        return RescreenResult()
    changes = collect_changes(cases, pending)
    lifted = _lift(cases, changes, actor)
    checked, candidates = (0, [])
    created: list[int] = []
    seen: list[int] = []
    if changes.entities:
        checked, candidates = candidate_subjects(cases, changes.entities)
    if candidates:
        full = screener or MatcherScreener.from_store(cases.store)
        screened = _screen_again(full, candidates, changes)
        if screened:
            recorded = record_alerts(
                cases,
                screened,
                actor=actor,
                origin="rescreen",
                reference="rescreen " + ", ".join(c.dataset for c in changes.per_dataset),
            )
            created, seen = recorded.created, recorded.seen_again
    with cases.write("recording a re-screen") as conn:
        for dataset, snap_id in changes.marks.items():
            set_mark(conn, dataset, rescreened_snapshot=snap_id)
        record = audit.append(
            conn,
            at=cases.now(),
            actor=actor.actor_name,
            action="rescreen.run",
            subject="rescreen",
            payload={
                "changes": [c.__dict__ for c in changes.per_dataset],
                "subjects_checked": checked,
                "candidates": [sid for sid, _ in candidates],
                "alerts_created": created,
                "alerts_seen_again": seen,
                "suppressions_lifted": lifted,
            },
        )
    return RescreenResult(
        changes=changes.per_dataset,
        subjects_checked=checked,
        candidates=[sid for sid, _ in candidates],
        alerts_created=created,
        alerts_seen_again=seen,
        suppressions_lifted=lifted,
        audit_seq=record.seq,
    )


def _lift(cases: CaseStore, changes: _Changes, actor: Actor) -> list[int]:
    touched = changes.entity_ids | changes.removed_ids
    if not touched:
        return []
    datasets = ", ".join(f"{c.dataset} snapshot {c.to_snapshot}" for c in changes.per_dataset)
    with cases.write("lifting suppressions of changed list entries") as conn:
        return lift_for_changed_entries(
            conn,
            touched,
            reason=f"the list entry changed or was removed in {datasets}",
            by=actor.actor_name,
            now=cases.now(),
        )


def _screen_again(
    screener: PartyScreener, candidates: Sequence[tuple[int, Subject]], changes: _Changes
) -> list[Screened]:
    """Full screening of the candidates, keeping only hits on added or changed entries."""
    ids, sources = changes.entity_ids, changes.source_ids
    out = []
    for _, subject in candidates:
        matches = screener.screen(
            subject.name, subject.schema, subject.country, dict(subject.identifiers)
        )
        relevant = [
            m for m in matches if m.match and (m.id in ids or sources.intersection(m.source_ids))
        ]
        if relevant:
            out.append(Screened(subject, relevant))
    return out


def audit_list_updates(cases: CaseStore, *, actor: Actor = SYSTEM) -> list[int]:
    """Write a ``lists.updated`` record for each snapshot imported since the last call (by
    any process: the CLI, the server, a script), oldest first; returns their numbers."""
    snaps = snapshot_table.c
    written: list[int] = []
    with cases.write("auditing list updates") as conn:
        marks = audit_marks(conn)
        rows = conn.execute(select(snapshot_table).order_by(snaps.id)).mappings().all()
        latest: dict[str, int] = {}
        for row in rows:
            if row["id"] <= (marks.get(row["dataset"]) or 0):
                continue
            snap = snapshot_from_row(row)
            record = audit.append(
                conn,
                at=cases.now(),
                actor=actor.actor_name,
                action="lists.updated",
                subject=f"dataset:{snap.dataset}",
                payload={
                    "dataset": snap.dataset,
                    "snapshot": snap.id,
                    "version": snap.version,
                    "list_date": snap.list_date,
                    "file_hash": snap.file_hash,
                    "entities": snap.entity_count,
                    "imported_at": audit.format_time(snap.imported_at),
                    "source": snap.source,
                    "kind": snap.kind,
                    "active": snap.active,
                },
                list_versions={snap.dataset: snap.version},
            )
            written.append(record.seq)
            latest[snap.dataset] = snap.id
        for dataset, snap_id in latest.items():
            set_mark(conn, dataset, audited_snapshot=snap_id)
    return written


def after_list_update(
    cases: CaseStore, *, actor: Actor = SYSTEM, screener: PartyScreener | None = None
) -> RescreenResult:
    """What the server runs after each list update: audit the new snapshots, then re-screen
    the kept subjects they affect."""
    audit_list_updates(cases, actor=actor)
    return rescreen(cases, actor=actor, screener=screener)
