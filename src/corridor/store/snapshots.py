"""The versioned list store: every import is a snapshot; one snapshot per dataset is active.

An import runs in one transaction. The new snapshot's entities are written first, and only
then does it replace the active one, so any failure (a ``SourceError`` raised by the parser
half-way through the file, a full disk) rolls back and leaves the previous snapshot active
and the database as it was. Older snapshots are kept for diffs and as-of reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

import orjson
from sqlalchemy import Connection, delete, func, insert, literal, select, update
from sqlalchemy.exc import SQLAlchemyError

from corridor.errors import StoreError
from corridor.model import Entity, ParsedList
from corridor.settings import database_url
from corridor.store.diff import EntityVersion, ListDiff, diff_rows, property_changes
from corridor.store.engine import open_engine, transaction
from corridor.store.list_dates import as_of_cutoff, as_utc, parse_list_date, utcnow
from corridor.store.models import (
    Snapshot,
    add_missing_columns,
    entity_table,
    metadata,
    snapshot_table,
)
from corridor.store.urls import masked

#: Rows per executemany batch: large enough to amortise round trips, small enough to keep
#: memory flat on lists with hundreds of thousands of entities.
BATCH_SIZE = 2000

#: A new snapshot with fewer than this share of the active one's entities is refused unless
#: forced: official lists grow or lose a few entries per release, while a file cut short at
#: a row boundary (which a CSV parser cannot tell from the real end) loses many.
MIN_KEPT_SHARE = 0.5

#: Bound on ids per ``IN (...)`` clause, below every backend's parameter limit.
_IN_CHUNK = 500


def encode_entity(entity: Entity) -> str:
    """The stored text of an entity: its FtM JSON."""
    return orjson.dumps(entity.to_ftm()).decode("utf-8")


def decode_entity(text: str | bytes) -> Entity:
    """Rebuild an entity from stored FtM JSON.

    The store only holds JSON written by :func:`encode_entity`, so the fields are read
    directly; this is the hot path of building the matching index.
    """
    data = orjson.loads(text)
    return Entity(
        data["id"], data["schema"], data["datasets"][0], data["referents"][0], data["properties"]
    )


class Store:
    """Snapshots of the official lists in one SQL database (SQLite by default)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url if url and "://" in url else database_url(url)
        self.engine = open_engine(self.url)
        try:
            metadata.create_all(self.engine)
            add_missing_columns(self.engine)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store at {masked(self.engine.url)}: {exc}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def import_list(
        self,
        parsed: ParsedList,
        *,
        file_hash: str,
        source: str,
        progress: Callable[[int], None] | None = None,
        force: bool = False,
    ) -> Snapshot:
        """Store a parsed list as the new active snapshot of its dataset, in one transaction.

        If the active snapshot already has ``file_hash`` (and not ``force``), nothing is
        written and that snapshot is returned. Without ``force``, a list with no entities, or
        with under :data:`MIN_KEPT_SHARE` of the active snapshot's, is refused (StoreError,
        nothing written): it is far more likely a damaged file than a real list.
        ``progress`` gets the running entity count. A release dated before the active
        snapshot's list date is kept as history and does not replace it.
        """
        if not force:
            current = self.unchanged_snapshot(parsed.dataset, file_hash)
            if current is not None:
                return current
        snapshots = self.import_release(
            parsed, file_hash=file_hash, source=source, progress=progress, force=force
        )
        if len(snapshots) != 1 or snapshots[0].dataset != parsed.dataset:
            names = ", ".join(s.dataset for s in snapshots)
            raise StoreError(
                f"{source}: {parsed.dataset} held entities of other datasets ({names}); "
                "import it with Store.import_release"
            )
        return snapshots[0]

    def import_release(
        self,
        parsed: ParsedList,
        *,
        file_hash: str,
        source: str,
        progress: Callable[[int], None] | None = None,
        force: bool = False,
        datasets: Sequence[str] = (),
    ) -> list[Snapshot]:
        """Store one release of official files as a snapshot per dataset, in one transaction.

        Most files hold one list; a file that merges several (the US Consolidated Screening
        List) yields entities of several datasets, and each gets its own snapshot, all
        written or none. ``datasets`` names the lists the file is expected to hold: one of
        them that has an active snapshot but no entity in this file is refused (unless
        ``force``) like a list cut in half. Returns the snapshots in dataset order.
        """
        now = utcnow()
        with transaction(self.engine, f"{parsed.dataset}: import from {source}") as conn:
            made: dict[str, int] = {}

            def snapshot_for(dataset: str) -> int:
                if dataset not in made:
                    made[dataset] = self._insert_snapshot(
                        conn, dataset, None, file_hash, source, "full", now
                    )
                return made[dataset]

            counts = self._insert_routed(conn, parsed.entities, snapshot_for, progress, source)
            expected = sorted({*datasets, *made} or {parsed.dataset})
            for dataset in list(expected):
                active = self.active_snapshot(dataset)
                count = counts.get(dataset, 0)
                if count == 0 and active is None and dataset not in made and datasets:
                    expected.remove(dataset)  # a list this release does not hold, never had
                    continue
                if not force:
                    _check_size(dataset, source, count, active)
                # Parsers may learn the list date and the release's gaps while streaming.
                self._activate(
                    conn,
                    snapshot_for(dataset),
                    dataset,
                    count,
                    parsed.list_date,
                    now,
                    parsed.gaps,
                    force=force,
                )
            ids = [made[d] for d in expected]
        return [self._snapshot_by_id(i) for i in ids]

    def apply_delta(
        self,
        dataset: str,
        ops: Iterable[tuple[str, Entity]],
        *,
        file_hash: str,
        source: str,
        list_date: str | None = None,
        force: bool = False,
    ) -> Snapshot:
        """Make a new snapshot: the active one with ``ADD``/``MOD``/``DEL`` operations applied.

        The operations are read in full before the transaction starts, so a delta file that
        fails to parse writes nothing. Later operations on the same id win.
        """
        if not force:
            current = self.unchanged_snapshot(dataset, file_hash)
            if current is not None:
                return current
        changes: dict[str, Entity | None] = {}
        for op, entity in ops:
            kind = op.upper()
            if kind in ("ADD", "MOD"):
                changes[entity.id] = entity
            elif kind == "DEL":
                changes[entity.id] = None
            else:
                raise StoreError(
                    f"{source}: entity {entity.id}: unknown delta operation {op!r}; "
                    "expected ADD, MOD or DEL"
                )
        now = utcnow()
        base = self.active_snapshot(dataset)
        with transaction(self.engine, f"{dataset}: delta from {source}") as conn:
            snap_id = self._insert_snapshot(conn, dataset, None, file_hash, source, "delta", now)
            if base is not None:
                self._copy_entities(conn, base.id, snap_id)
                touched = list(changes)
                for start in range(0, len(touched), _IN_CHUNK):
                    chunk = touched[start : start + _IN_CHUNK]
                    conn.execute(
                        delete(entity_table).where(
                            entity_table.c.snapshot_id == snap_id,
                            entity_table.c.id.in_(chunk),
                        )
                    )
            upserts = (e for e in changes.values() if e is not None)
            self._insert_entities(conn, snap_id, dataset, upserts, None, source)
            count = conn.execute(
                select(func.count()).where(entity_table.c.snapshot_id == snap_id)
            ).scalar_one()
            date_text = list_date or (base.list_date if base else None)
            self._activate(conn, snap_id, dataset, count, date_text, now)
        return self._snapshot_by_id(snap_id)

    def _insert_snapshot(
        self,
        conn: Connection,
        dataset: str,
        list_date: str | None,
        file_hash: str,
        source: str,
        kind: str,
        now: datetime,
    ) -> int:
        result = conn.execute(
            insert(snapshot_table).values(
                dataset=dataset,
                list_date=list_date,
                effective_at=now,
                file_hash=file_hash,
                entity_count=0,
                imported_at=now,
                source=source[:1024],
                kind=kind,
                active=False,
            )
        )
        return int(result.inserted_primary_key[0])

    def _insert_entities(
        self,
        conn: Connection,
        snap_id: int,
        dataset: str,
        entities: Iterable[Entity],
        progress: Callable[[int], None] | None,
        source: str,
    ) -> int:
        counts = self._insert_routed(conn, entities, lambda _d: snap_id, progress, source)
        return sum(counts.values())

    def _insert_routed(
        self,
        conn: Connection,
        entities: Iterable[Entity],
        snapshot_for: Callable[[str], int],
        progress: Callable[[int], None] | None,
        source: str,
    ) -> dict[str, int]:
        """Write entities in batches, each to the snapshot of its dataset; count per dataset."""
        seen: set[tuple[str, str]] = set()
        batch: list[dict[str, Any]] = []
        counts: dict[str, int] = {}
        total = 0
        stmt = insert(entity_table)
        for entity in entities:
            key = (entity.dataset, entity.id)
            if key in seen:
                raise StoreError(
                    f"{source}: {entity.dataset} entity id {entity.id} ({entity.source_id}) "
                    "occurs twice; each list entry needs its own native id"
                )
            seen.add(key)
            batch.append(
                {
                    "snapshot_id": snapshot_for(entity.dataset),
                    "id": entity.id,
                    "schema": entity.schema,
                    "caption": entity.caption[:1024],
                    "data": encode_entity(entity),
                }
            )
            counts[entity.dataset] = counts.get(entity.dataset, 0) + 1
            if len(batch) >= BATCH_SIZE:
                conn.execute(stmt, batch)
                total += len(batch)
                batch = []
                if progress:
                    progress(total)
        if batch:
            conn.execute(stmt, batch)
            total += len(batch)
        if progress:
            progress(total)
        return counts

    def _copy_entities(self, conn: Connection, from_id: int, to_id: int) -> None:
        cols = entity_table.c
        conn.execute(
            insert(entity_table).from_select(
                ["snapshot_id", "id", "schema", "caption", "data"],
                select(literal(to_id), cols.id, cols.schema, cols.caption, cols.data).where(
                    cols.snapshot_id == from_id
                ),
            )
        )

    def _activate(
        self,
        conn: Connection,
        snap_id: int,
        dataset: str,
        count: int,
        list_date: str | None,
        now: datetime,
        gaps: Sequence[str] = (),
        *,
        force: bool = False,
    ) -> bool:
        """Finish a snapshot and make it the active one, unless it is an older release.

        A snapshot whose list date is earlier than the active one's is history that arrived
        late (``lists update`` over a folder of past releases): it is stored for diffs and
        as-of reads, and the newer list stays active, unless ``force``d. Returns whether it
        was activated.
        """
        snaps = snapshot_table.c
        # Lock the rows being replaced so two concurrent imports on PostgreSQL serialise.
        current = conn.execute(
            select(snaps.id, snaps.list_date)
            .where(snaps.dataset == dataset, snaps.active.is_(True))
            .with_for_update()
        ).all()
        effective = parse_list_date(list_date)
        older = [
            row
            for row in current
            if not force
            and effective is not None
            and (active_date := parse_list_date(row.list_date)) is not None
            and effective < active_date
        ]
        if not older:
            conn.execute(
                update(snapshot_table)
                .where(snaps.dataset == dataset, snaps.active.is_(True))
                .values(active=False)
            )
        conn.execute(
            update(snapshot_table)
            .where(snaps.id == snap_id)
            .values(
                active=not older,
                entity_count=count,
                list_date=list_date,
                effective_at=effective or now,
                gaps=orjson.dumps(list(gaps)).decode("utf-8") if gaps else None,
            )
        )
        return not older

    def prune(self, dataset: str, keep: int) -> list[int]:
        """Delete all but the ``keep`` newest snapshots of ``dataset``; never the active one.

        Returns the deleted snapshot ids. As-of reads and diffs can no longer reach them.
        """
        if keep < 1:
            raise StoreError(f"keep must be at least 1, not {keep}")
        doomed = [s.id for s in self.snapshots(dataset)[keep:] if not s.active]
        if not doomed:
            return []
        with transaction(self.engine, f"{dataset}: pruning") as conn:
            for start in range(0, len(doomed), _IN_CHUNK):
                chunk = doomed[start : start + _IN_CHUNK]
                conn.execute(delete(entity_table).where(entity_table.c.snapshot_id.in_(chunk)))
                conn.execute(delete(snapshot_table).where(snapshot_table.c.id.in_(chunk)))
        return doomed

    # -- snapshots ---------------------------------------------------------------------

    def snapshots(self, dataset: str | None = None) -> list[Snapshot]:
        """Every snapshot (of one dataset), newest import first."""
        query = select(snapshot_table).order_by(snapshot_table.c.id.desc())
        if dataset is not None:
            query = query.where(snapshot_table.c.dataset == dataset)
        with self.engine.connect() as conn:
            return [snapshot_from_row(row) for row in conn.execute(query).mappings()]

    def active_snapshot(self, dataset: str) -> Snapshot | None:
        """The snapshot of ``dataset`` that reads use now, or None if it was never loaded."""
        query = select(snapshot_table).where(
            snapshot_table.c.dataset == dataset, snapshot_table.c.active.is_(True)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return snapshot_from_row(row) if row else None

    def unchanged_snapshot(self, dataset: str, file_hash: str) -> Snapshot | None:
        """The active snapshot if it was made from files with this hash (nothing to import).

        The one test of "these files were loaded already": imports, deltas and the list
        update all skip their work on it, so a re-run costs a hash and one query.
        """
        current = self.active_snapshot(dataset)
        if current is not None and current.file_hash == file_hash:
            return current
        return None

    def stored_snapshot(self, dataset: str, file_hash: str) -> Snapshot | None:
        """The newest snapshot of ``dataset`` made from files with this hash, active or not.

        An update over a folder of several releases skips those already stored, so a re-run
        neither imports old releases again nor lets an older one displace the newest.
        """
        query = (
            select(snapshot_table)
            .where(snapshot_table.c.dataset == dataset, snapshot_table.c.file_hash == file_hash)
            .order_by(snapshot_table.c.id.desc())
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return snapshot_from_row(row) if row else None

    def active_snapshots(self, as_of: date | datetime | str | None = None) -> list[Snapshot]:
        """One snapshot per dataset, ordered by dataset name.

        Without ``as_of``: the active one (the latest import). With ``as_of``: the snapshot
        in force then, i.e. the one with the latest list date (or import time, for lists that
        carry no date) not after ``as_of``; datasets with none that early are left out.
        """
        snaps = snapshot_table.c
        cutoff = as_of_cutoff(as_of)
        if cutoff is None:
            query = select(snapshot_table).where(snaps.active.is_(True)).order_by(snaps.dataset)
            with self.engine.connect() as conn:
                return [snapshot_from_row(row) for row in conn.execute(query).mappings()]
        query = (
            select(snapshot_table)
            .where(snaps.effective_at <= cutoff)
            .order_by(snaps.dataset, snaps.effective_at.desc(), snaps.id.desc())
        )
        chosen: dict[str, Snapshot] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                chosen.setdefault(row["dataset"], snapshot_from_row(row))
        return list(chosen.values())

    def _snapshot_by_id(self, snap_id: int) -> Snapshot:
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(snapshot_table).where(snapshot_table.c.id == snap_id))
                .mappings()
                .one()
            )
        return snapshot_from_row(row)

    def _snapshot_ids(
        self, datasets: Sequence[str] | None, as_of: date | datetime | str | None
    ) -> list[int]:
        wanted = set(datasets) if datasets is not None else None
        return [s.id for s in self.active_snapshots(as_of) if wanted is None or s.dataset in wanted]

    # -- reading -----------------------------------------------------------------------

    def iter_entities(
        self,
        datasets: Sequence[str] | None = None,
        as_of: date | datetime | str | None = None,
    ) -> Iterator[Entity]:
        """Stream the entities of the active (or as-of) snapshots, dataset by dataset."""
        for snap_id in self._snapshot_ids(datasets, as_of):
            query = select(entity_table.c.data).where(entity_table.c.snapshot_id == snap_id)
            with self.engine.connect() as conn:
                result = conn.execution_options(yield_per=5000).execute(query)
                for (text,) in result:
                    yield decode_entity(text)

    def get_entity(
        self, entity_id: str, as_of: date | datetime | str | None = None
    ) -> Entity | None:
        """One entity by id from the active (or as-of) snapshots."""
        ids = self._snapshot_ids(None, as_of)
        if not ids:
            return None
        query = select(entity_table.c.data).where(
            entity_table.c.id == entity_id, entity_table.c.snapshot_id.in_(ids)
        )
        with self.engine.connect() as conn:
            text = conn.execute(query).scalars().first()
        return decode_entity(text) if text is not None else None

    def first_seen(self, dataset: str) -> dict[str, datetime]:
        """When each entity id of ``dataset`` first appeared: the import time of the oldest
        stored snapshot that holds it (pruned snapshots are forgotten)."""
        query = (
            select(entity_table.c.id, func.min(snapshot_table.c.imported_at))
            .join(snapshot_table, snapshot_table.c.id == entity_table.c.snapshot_id)
            .where(snapshot_table.c.dataset == dataset)
            .group_by(entity_table.c.id)
        )
        with self.engine.connect() as conn:
            return {entity_id: as_utc(seen) for entity_id, seen in conn.execute(query)}

    def snapshot_entities(self, snapshot_id: int, limit: int | None = None) -> list[Entity]:
        """The entities of one snapshot (active or not), in id order."""
        query = (
            select(entity_table.c.data)
            .where(entity_table.c.snapshot_id == snapshot_id)
            .order_by(entity_table.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [decode_entity(text) for text in conn.execute(query).scalars()]

    def count_entities(self, dataset: str, snapshot_id: int | None = None) -> dict[str, int]:
        """Entities per schema in the active snapshot of ``dataset`` (or the given snapshot)."""
        if snapshot_id is None:
            active = self.active_snapshot(dataset)
            if active is None:
                return {}
            snapshot_id = active.id
        cols = entity_table.c
        query = (
            select(cols.schema, func.count())
            .where(cols.snapshot_id == snapshot_id)
            .group_by(cols.schema)
            .order_by(func.count().desc(), cols.schema)
        )
        with self.engine.connect() as conn:
            return {schema: int(n) for schema, n in conn.execute(query)}

    def diff(self, dataset: str, old: int | None = None, new: int | None = None) -> ListDiff:
        """Changes between two snapshots of ``dataset``: by default the last two imports."""
        history = {s.id: s for s in self.snapshots(dataset)}
        ordered = list(history.values())
        try:
            new_snap = history[new] if new is not None else (ordered[0] if ordered else None)
            if old is not None:
                old_snap = history[old]
            else:
                older = [s for s in ordered if new_snap is not None and s.id < new_snap.id]
                old_snap = older[0] if older else None
        except KeyError as exc:
            raise StoreError(
                f"{dataset} has no snapshot {exc.args[0]}; see `corridor lists history {dataset}`"
            ) from exc
        return diff_rows(
            dataset,
            old_snap,
            new_snap,
            self._rows(old_snap.id) if old_snap else {},
            self._rows(new_snap.id) if new_snap else {},
        )

    def entity_history(self, dataset: str, entity_id: str) -> list[EntityVersion]:
        """One entry of ``dataset`` through every stored snapshot, oldest first: what each
        snapshot held of it (None: not listed then) and the change from the one before
        (:func:`~corridor.store.diff.property_changes`, as ``lists diff`` reports it)."""
        history = sorted(self.snapshots(dataset), key=lambda s: s.id)
        if not history:
            return []
        query = select(entity_table.c.snapshot_id, entity_table.c.data).where(
            entity_table.c.snapshot_id.in_([s.id for s in history]),
            entity_table.c.id == entity_id,
        )
        with self.engine.connect() as conn:
            held = {snap_id: orjson.loads(text) for snap_id, text in conn.execute(query)}
        out: list[EntityVersion] = []
        before: dict | None = None
        for snap in history:
            now = held.get(snap.id)
            if now is None:
                event = "removed" if before is not None else "absent"
                changes: dict[str, tuple[list[str], list[str]]] = {}
            elif before is None:
                event, changes = "added", {}
            else:
                changes = property_changes(before, now)
                event = "changed" if changes else "unchanged"
            out.append(EntityVersion(snap, event, now, changes))
            before = now
        return out

    def _rows(self, snapshot_id: int) -> dict[str, str]:
        query = select(entity_table.c.id, entity_table.c.data).where(
            entity_table.c.snapshot_id == snapshot_id
        )
        with self.engine.connect() as conn:
            return {entity_id: data for entity_id, data in conn.execute(query)}

    def export_ftm(
        self,
        dataset: str,
        out: IO[str],
        as_of: date | datetime | str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write the active (or as-of) snapshot of ``dataset`` as FtM JSON lines; return count.

        ``progress`` gets the running count every few thousand entities.
        """
        ids = self._snapshot_ids([dataset], as_of)
        if not ids:
            raise StoreError(f"{dataset} is not loaded; run `corridor lists update` first")
        query = (
            select(entity_table.c.data)
            .where(entity_table.c.snapshot_id == ids[0])
            .order_by(entity_table.c.id)
        )
        count = 0
        with self.engine.connect() as conn:
            for (text,) in conn.execution_options(yield_per=5000).execute(query):
                out.write(text)
                out.write("\n")
                count += 1
                if progress and count % BATCH_SIZE == 0:
                    progress(count)
        if progress:
            progress(count)
        return count


def _check_size(dataset: str, source: str, count: int, active: Snapshot | None) -> None:
    """Refuse an empty list, or one that lost most of the active snapshot's entities."""
    if count == 0:
        raise StoreError(
            f"{source}: {dataset} has no entities; nothing was changed. Check the file (a "
            "header or an empty list element only?), or pass --force to load it anyway"
        )
    if active is not None and count < active.entity_count * MIN_KEPT_SHARE:
        raise StoreError(
            f"{source}: {dataset} has {count:,} entities, under half of the "
            f"{active.entity_count:,} in the active snapshot {active.id}, as a file cut short "
            "would; nothing was changed. Check the file, or pass --force if the list really "
            "shrank"
        )


def snapshot_from_row(row: Any) -> Snapshot:
    """A row of the snapshot table (a mapping) as the :class:`Snapshot` it records."""
    return Snapshot(
        id=int(row["id"]),
        dataset=row["dataset"],
        list_date=row["list_date"],
        file_hash=row["file_hash"],
        entity_count=int(row["entity_count"]),
        imported_at=as_utc(row["imported_at"]),
        source=row["source"],
        active=bool(row["active"]),
        kind=row["kind"],
        effective_at=as_utc(row["effective_at"]),
        gaps=tuple(orjson.loads(row["gaps"])) if row.get("gaps") else (),
    )
