"""The database tables, in SQLAlchemy Core with portable types (SQLite and PostgreSQL alike),
and :class:`Snapshot`, the typed row of ``snapshot`` that the rest of corridor reads.

Each import of a dataset is a row in ``snapshot``; its entities are rows in ``entity`` keyed
by ``(snapshot_id, id)``, so older snapshots stay whole for diffs and as-of screening. The
entity itself is kept as FtM JSON text; ``schema`` and ``caption`` are copied out so that
counts and listings need no JSON decoding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    text,
)

metadata = MetaData()

snapshot_table = Table(
    "snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", String(128), nullable=False),
    # The list's own publication date as the publisher wrote it (ISO 8601 prefix), or NULL.
    Column("list_date", String(64), nullable=True),
    # When this snapshot starts to count for as-of reads: the list date, else the import time.
    Column("effective_at", DateTime(), nullable=False),
    Column("file_hash", String(64), nullable=False),
    Column("entity_count", Integer, nullable=False, default=0),
    Column("imported_at", DateTime(), nullable=False),
    Column("source", String(1024), nullable=False, default=""),
    # "full" (a whole list file) or "delta" (the previous snapshot plus a change file).
    Column("kind", String(16), nullable=False, default="full"),
    Column("active", Boolean, nullable=False, default=False),
    # What the release lacks (companion files, cut fields): a JSON list of sentences, or NULL.
    Column("gaps", Text, nullable=True),
)
Index("ix_snapshot_dataset_active", snapshot_table.c.dataset, snapshot_table.c.active)
Index("ix_snapshot_dataset_effective", snapshot_table.c.dataset, snapshot_table.c.effective_at)

entity_table = Table(
    "entity",
    metadata,
    Column(
        "snapshot_id",
        Integer,
        ForeignKey("snapshot.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("id", String(255), primary_key=True),
    Column("schema", String(64), nullable=False),
    Column("caption", String(1024), nullable=False, default=""),
    # FtM JSON as ``Entity.to_ftm`` writes it: id, schema, properties, datasets, referents.
    Column("data", Text, nullable=False),
)
Index("ix_entity_id", entity_table.c.id)

#: Columns added to a table after its first release: a store made by an older corridor gets
#: them on open (nullable, so old rows need nothing).
_ADDED_COLUMNS = {"snapshot": ("gaps",)}


def add_missing_columns(engine: Engine) -> None:
    """Bring the tables of an older store up to date by adding the columns it lacks."""
    inspector = inspect(engine)
    for table_name, names in _ADDED_COLUMNS.items():
        have = {c["name"] for c in inspector.get_columns(table_name)}
        table = metadata.tables[table_name]
        for name in names:
            if name in have:
                continue
            ddl = table.c[name].type.compile(dialect=engine.dialect)
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table_name} ADD COLUMN {name} {ddl}"))


Index("ix_entity_snapshot_schema", entity_table.c.snapshot_id, entity_table.c.schema)


@dataclass(frozen=True)
class Snapshot:
    """One import of one dataset, with the provenance a screening result quotes."""

    id: int
    dataset: str
    list_date: str | None
    file_hash: str
    entity_count: int
    imported_at: datetime
    source: str
    active: bool
    kind: str = "full"
    effective_at: datetime | None = None
    #: What the release lacks that a complete one has, one sentence each (see ParsedList).
    gaps: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        """A short label for results: the list date (or import date) and the hash prefix."""
        when = self.list_date or self.imported_at.date().isoformat()
        return f"{when}:{self.file_hash[:12]}"
