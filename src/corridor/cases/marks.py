"""Per dataset, how far the case work has followed the list store: the snapshot the kept
subjects were last screened against, and the last snapshot written to the audit log."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select, update

from corridor.cases.tables import list_mark_table
from corridor.store.models import snapshot_table


def rescreen_marks(conn: Connection) -> dict[str, int | None]:
    rows = conn.execute(select(list_mark_table.c.dataset, list_mark_table.c.rescreened_snapshot))
    return {dataset: snap for dataset, snap in rows}


def audit_marks(conn: Connection) -> dict[str, int | None]:
    rows = conn.execute(select(list_mark_table.c.dataset, list_mark_table.c.audited_snapshot))
    return {dataset: snap for dataset, snap in rows}


def set_mark(conn: Connection, dataset: str, **values: int | None) -> None:
    """Set ``rescreened_snapshot`` and/or ``audited_snapshot`` of ``dataset``."""
    cols = list_mark_table.c
    found = conn.execute(select(cols.dataset).where(cols.dataset == dataset)).first()
    if found is None:
        conn.execute(insert(list_mark_table).values(dataset=dataset, **values))
    else:
        conn.execute(update(list_mark_table).where(cols.dataset == dataset).values(**values))


def mark_screened_against_active(conn: Connection) -> None:
    """Datasets never re-screened yet start from the snapshot in force now: the subjects
    being screened are screened against it, so only later changes need a re-screen."""
    marks = rescreen_marks(conn)
    active = conn.execute(
        select(snapshot_table.c.dataset, snapshot_table.c.id).where(
            snapshot_table.c.active.is_(True)
        )
    )
    for dataset, snap_id in active:
        if marks.get(dataset) is None:
            set_mark(conn, dataset, rescreened_snapshot=snap_id)
