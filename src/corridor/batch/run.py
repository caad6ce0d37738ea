"""One batch run: read the input in chunks, screen them on an engine, write the output in
order, keep a checkpoint, and sum it up.

:func:`run_batch` is what ``corridor batch`` calls; it reports progress through a
:class:`BatchProgress` (the CLI draws a bar; a test or a job runner can keep the default).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from corridor.batch.checkpoint import Checkpoint
from corridor.batch.engines import Chunk, make_engine
from corridor.batch.formats import DELIMITERS, ROW_FORMATS, Reader, Writer, codec_name
from corridor.batch.mapping import ColumnMapping
from corridor.errors import CorridorError, InputError
from corridor.matching import DEFAULT_THRESHOLD, Matcher
from corridor.store import Store

#: Rows per chunk: large enough that sending a chunk to a worker costs little next to
#: screening it, small enough that a checkpoint comes every second or so.
CHUNK_ROWS = 2000


class BatchProgress:
    """How a front end follows a run; this base shows nothing."""

    def loading(self) -> None:
        """The index is being loaded (or built)."""

    def started(self, total: int | None, unit: str, done_records: int) -> None:
        """Screening starts; ``total`` bytes or rows of input (None: unknown)."""

    def advanced(self, position: int, records: int, alerts: int) -> None:
        """A chunk is written: input ``position`` so far, records and rows with alerts."""

    def bad_row(self, line: int, row_id: str, message: str) -> None:
        """A row could not be screened; the run goes on."""


@dataclass
class BatchOptions:
    input: Path
    output: Path
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    input_format: str | None = None
    output_format: str | None = None
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    resume: bool = False
    datasets: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    chunk_rows: int = CHUNK_ROWS
    #: Text encoding of a CSV or JSON Lines input (default UTF-8) and a CSV's separator
    #: (default: read from its header line).
    encoding: str | None = None
    delimiter: str | None = None

    def signature(self) -> str:
        """What must not change between a run and its resumption."""
        encoding = codec_name(self.encoding)
        text = f"|{encoding}|{self.delimiter or ''}" if encoding or self.delimiter else ""
        return (
            f"{sorted(self.mapping.columns.items())}|{self.mapping.default_schema}|"
            f"{self.output.resolve()}|{self.output_format}|{sorted(self.datasets)}|"
            f"{self.threshold}{text}"
        )


@dataclass
class BatchSummary:
    records: int
    screened: int
    rows_with_alerts: int
    alerts: int
    bad_rows: int
    seconds: float
    resumed_from: int
    lists: list[tuple[str, str]]
    output: Path
    engine: str
    workers: int
    #: Field -> the input column it was read from, and the default fields the input lacked.
    columns: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    #: A spreadsheet's rows above its header (a title) that were not read as customers.
    title_rows: list[int] = field(default_factory=list)

    @property
    def rate(self) -> float:
        done = self.records - self.resumed_from
        return done / self.seconds if self.seconds > 0 else 0.0


def load_matcher(store: Store, datasets: tuple[str, ...], threshold: float) -> Matcher:
    snapshots = store.active_snapshots()
    if not snapshots:
        raise CorridorError(
            "no lists are loaded in this database: run `corridor lists update` first"
        )
    loaded = {s.dataset for s in snapshots}
    missing = [d for d in datasets if d not in loaded]
    if missing:
        raise CorridorError(f"{', '.join(missing)} not loaded; loaded: {', '.join(sorted(loaded))}")
    return Matcher.from_store(store, datasets=list(datasets) or None, threshold=threshold)


def _one_column_hint(exc: InputError, header: list[str]) -> InputError:
    """A header read as one column that holds a separator: the file's fields are likely
    separated by a character other than the one the reader took."""
    if len(header) != 1 or not any(sep in header[0] for sep in DELIMITERS):
        return exc
    return InputError(
        f"{exc.message}. The header is one column: if another character separates the "
        "fields, give it with --delimiter",
        path=exc.path,
        field=exc.field,
    )


def run_batch(
    options: BatchOptions, store: Store, progress: BatchProgress | None = None
) -> BatchSummary:
    """Screen every row of ``options.input`` and write ``options.output``."""
    watch = progress or BatchProgress()
    started = time.perf_counter()
    reader = Reader(options.input, options.input_format, options.encoding, options.delimiter)
    writer = Writer(options.output, options.output_format)
    if options.output.resolve() == options.input.resolve():
        raise InputError("the output would overwrite the input", path=str(options.output))
    mapping = options.mapping
    title_rows: list[int] = []
    if reader.header:
        if not mapping.fits(reader.header):  # a spreadsheet's title above its header?
            title_rows = reader.look_past_title(mapping.fits)
        try:
            mapping = mapping.for_header(reader.header, str(options.input))
        except InputError as exc:
            raise _one_column_hint(exc, reader.header) from None
    job = Checkpoint.job_of(options.input, options.signature())
    state = Checkpoint.load(options.output, job) if options.resume else Checkpoint(job)
    watch.loading()
    matcher = load_matcher(store, options.datasets, options.threshold)
    lists = [
        (s.dataset, s.version)
        for s in store.active_snapshots()
        if not options.datasets or s.dataset in options.datasets
    ]
    resumed_from = state.records
    writer.open(state.output_at if options.resume else None)
    if not options.resume:
        state.output_at = writer.commit()
        state.save(options.output)
    records = reader.records()
    skipped = sum(1 for _ in islice(records, resumed_from))
    if skipped < resumed_from:
        raise InputError(
            f"the checkpoint is at record {resumed_from} but the input has {skipped}",
            path=str(options.input),
        )
    unit = "rows" if reader.format in ROW_FORMATS else "bytes"
    total = reader.total_rows if unit == "rows" else reader.total_bytes
    watch.started(total, unit, resumed_from)
    screened = 0
    engine = make_engine(options.engine, matcher, options.workers, options.scheduler)
    try:
        with engine:
            for out in engine.run(_chunks(records, mapping, options.chunk_rows)):
                writer.write(out)
                for record in out:
                    if record["error"] is not None:
                        state.bad_rows += 1
                        watch.bad_row(record["line"], record["id"], record["error"])
                    elif record["alerts"]:
                        state.rows_with_alerts += 1
                        state.alerts += len(record["alerts"])
                        screened += 1
                    else:
                        screened += 1
                state.records += len(out)
                state.output_at = writer.commit()
                state.save(options.output)
                watch.advanced(reader.position(), state.records, state.rows_with_alerts)
        writer.finish()
    finally:
        reader.close()
    Checkpoint.clear(options.output)
    return BatchSummary(
        records=state.records,
        screened=screened,
        rows_with_alerts=state.rows_with_alerts,
        alerts=state.alerts,
        bad_rows=state.bad_rows,
        seconds=time.perf_counter() - started,
        resumed_from=resumed_from,
        lists=lists,
        output=options.output,
        engine=options.engine,
        workers=options.workers,
        columns=dict(mapping.columns),
        left_out=[f for f in options.mapping.columns if f not in mapping.columns],
        title_rows=title_rows,
    )


def _chunks(records: Iterator, mapping: ColumnMapping, size: int) -> Iterator[Chunk]:
    chunk: Chunk = []
    for line, record in records:
        if isinstance(record, str):
            chunk.append((line, f"line-{line}", record))
        else:
            chunk.append(mapping.row(line, record))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
