"""Reading and writing the batch formats: CSV (plain or gzip), Parquet, JSON Lines (plain or
gzip), chosen by the file name (``.csv``, ``.csv.gz``, ``.parquet``, ``.jsonl``, ``.ndjson``,
``.jsonl.gz``) or named; spreadsheets (``.xlsx``, ``.ods``: the first sheet) are read too.

Readers stream: they yield one record at a time with its line number (for Parquet, its row
number), and say how far into the file they are for the progress bar. Writers append one
chunk of output records at a time and report, after each, how much output is final, so an
interrupted run can go on from there (:mod:`corridor.batch.checkpoint`): text outputs by a
byte offset (a gzip output is a series of gzip members, one per chunk, which any gzip reader
reads as one stream), Parquet by a count of part files merged at the end.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import shutil
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from corridor.batch.rows import Record
from corridor.errors import InputError
from corridor.sources.reading import ods_rows, xlsx_rows
from corridor.textyaml import undecodable

FORMATS = ("csv", "jsonl", "parquet", "xlsx", "ods")
#: Formats read only: a customer list kept in a spreadsheet.
SHEETS = ("xlsx", "ods")
#: Formats whose progress is counted in rows (the others: in bytes read).
ROW_FORMATS = ("parquet", *SHEETS)
#: Output columns of CSV and Parquet (JSON Lines nests the alerts instead).
COLUMNS = ("id", "line", "alert_count", "top_score", "source_ids", "alerts", "error")
#: An input record, or the reason it could not be read, with its line.
InputRecord = tuple[int, dict[str, Any] | str]


def detect_format(path: Path, given: str | None) -> tuple[str, bool]:
    """(format, gzipped) of ``path``, from ``given`` or the file name."""
    name = path.name.lower()
    gz = name.endswith(".gz")
    base = name[:-3] if gz else name
    if given:
        if given not in FORMATS:
            raise InputError(f"unknown format {given!r}; use one of {', '.join(FORMATS)}")
        return given, gz
    for suffix, fmt in (
        (".csv", "csv"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "jsonl"),
        (".parquet", "parquet"),
        (".pq", "parquet"),
        (".xlsx", "xlsx"),
        (".ods", "ods"),
    ):
        if base.endswith(suffix):
            if gz and fmt in ROW_FORMATS:
                break
            return fmt, gz
    raise InputError(
        "cannot tell the format from the name; end it in .csv, .csv.gz, .parquet, .jsonl, "
        ".jsonl.gz, .xlsx or .ods, or pass --input-format / --output-format",
        path=str(path),
    )


# ---- reading ---------------------------------------------------------------------------


#: Field separators a CSV header line is looked at for (Excel writes ``;`` where the decimal
#: separator is a comma), when none is given.
DELIMITERS = ",;\t|"
#: Bytes read ahead to check the encoding before any work.
ENCODING_PROBE = 1 << 16
#: Filled rows under a spreadsheet's title row looked at for its header.
TITLE_ROWS = 5


class Reader:
    """One input file, read once, record by record.

    Text is UTF-8 by default (a byte-order mark is skipped) or ``encoding``. A file that is
    not in that encoding is refused before any work when its first 64 KiB show it, and
    later lines that do are bad rows: a name is never screened with its letters replaced.
    """

    def __init__(
        self,
        path: Path,
        fmt: str | None = None,
        encoding: str | None = None,
        delimiter: str | None = None,
    ) -> None:
        self.path = path
        self.format, self.gz = detect_format(path, fmt)
        self.encoding = _codec(encoding or "utf-8")
        if delimiter is not None and len(delimiter) != 1:
            raise InputError(f"--delimiter {delimiter!r}: give one character, e.g. ';'")
        try:
            self.total_bytes = path.stat().st_size
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
        self.total_rows: int | None = None
        self.header: list[str] = []
        self.delimiter: str | None = None
        self._raw: IO[bytes] | None = None
        self._parquet: Any = None
        if self.format == "parquet":
            import pyarrow.parquet as pq

            try:
                self._parquet = pq.ParquetFile(str(path))
            except Exception as exc:  # pyarrow raises its own error types
                raise InputError(f"not a readable Parquet file: {exc}", path=str(path)) from None
            self.header = list(self._parquet.schema_arrow.names)
            self.total_rows = self._parquet.metadata.num_rows
        elif self.format in SHEETS:
            again = "save or export it again"
            sizes: list[int | None] = []  # the last row an XLSX sheet records (ODS: none)
            if self.format == "xlsx":
                self._sheet = xlsx_rows(path, "customer file", remedy=again, recorded=sizes.append)
            else:
                self._sheet = ods_rows(path, "customer file", remedy=again)
            # The header: the first row with a cell.
            header_row, cells = next(((n, c) for n, c in self._sheet if any(c)), (0, []))
            self.header = [h.strip() for h in cells]
            if not self.header:
                raise InputError(
                    "the first sheet is empty: put the customers, under a header row, on it",
                    path=str(path),
                )
            self._last = sizes[0] if sizes else None
            self._header_row = header_row
            self._count_rows()
            self._rows_read = 0
        else:
            if path.is_file():  # a pipe would lose the bytes the check reads
                self._check_encoding()
            self._raw = path.open("rb")
            self._text = io.TextIOWrapper(
                gzip.GzipFile(fileobj=self._raw) if self.gz else self._raw,
                encoding=self.encoding,
                # Undecodable bytes stay recognisable (lone surrogates): their row is refused.
                errors="surrogateescape",
                newline="" if self.format == "csv" else None,
            )
            if self.format == "csv":
                first = self._text.readline()
                self.delimiter = delimiter or _sniff_delimiter(first)
                self._csv = csv.reader(
                    itertools.chain([first], self._text), delimiter=self.delimiter
                )
                try:
                    self.header = [h.strip() for h in next(self._csv)]
                except (StopIteration, csv.Error):
                    self.header = []
                if not any(self.header):
                    raise InputError("no header row: the file is empty", path=str(path))
                self._header_lines = self._csv.line_num
            self._rows_read = 0

    def _check_encoding(self) -> None:
        """Refuse, before any work, a file whose first bytes are not in its encoding."""
        with self.path.open("rb") as raw:
            try:
                head = (gzip.GzipFile(fileobj=raw) if self.gz else raw).read(ENCODING_PROBE)
            except (OSError, EOFError, zlib.error) as exc:
                raise InputError(f"not a readable gzip file ({exc})", path=str(self.path)) from None
        decoder = codecs.getincrementaldecoder(self.encoding)()
        try:  # a character cut where the probe ends is kept for later, not an error
            decoder.decode(head, final=len(head) < ENCODING_PROBE)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{undecodable(exc, _label(self.encoding))}; " + _ENCODING_HINT,
                path=str(self.path),
            ) from None

    def _count_rows(self) -> None:
        """A sheet's rows under its header, as its recorded size says (None: unknown)."""
        last = self._last
        header_row = self._header_row
        self.total_rows = last - header_row if last and last > header_row else None

    def look_past_title(self, is_header: Callable[[list[str]], bool]) -> list[int]:
        """A sheet whose first filled row is a title (one cell: ``Customers, March``) above
        the header: the first of the next rows that ``is_header`` takes becomes the header,
        looked for among ``TITLE_ROWS`` filled rows. Returns the numbers of the rows left
        above it (none: nothing changes, the rows looked at are read as before)."""
        if self.format not in SHEETS or sum(1 for h in self.header if h) != 1:
            return []
        seen: list[tuple[int, list[str]]] = []
        above = [self._header_row]  # the filled rows looked past
        for number, cells in self._sheet:
            seen.append((number, cells))
            if not any(cells):
                continue
            header = [c.strip() for c in cells]
            if is_header(header):
                self.header = header
                self._header_row = number
                self._count_rows()
                return above
            above.append(number)
            if len(above) > TITLE_ROWS:
                break
        self._sheet = itertools.chain(seen, self._sheet)
        return []

    def position(self) -> int:
        """Bytes of the file read so far (rows, for Parquet and spreadsheets)."""
        if self._raw is not None:
            try:
                return self._raw.tell()
            except (OSError, ValueError):
                return 0
        return self._rows_read

    def records(self) -> Iterator[InputRecord]:
        if self.format == "csv":
            rows = self._csv_records()
        elif self.format == "jsonl":
            rows = self._jsonl_records()
        elif self.format in SHEETS:
            rows = self._sheet_records()
        else:
            rows = self._parquet_records()
        line = 0
        try:
            for line, record in rows:
                yield line, record
        except (OSError, EOFError, zlib.error) as exc:  # a gzip file cut short or damaged
            raise InputError(
                f"the file is damaged or cut short after line {line} ({exc})", path=str(self.path)
            ) from None

    def _csv_records(self) -> Iterator[InputRecord]:
        header = self.header
        width = len(header)
        reader = self._csv
        last = self._header_lines  # a quoted header cell may span lines
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = last + 1
                last = reader.line_num
                yield line, f"unreadable CSV: {exc}"
                continue
            line = last + 1
            last = reader.line_num
            if not row:
                continue
            if len(row) != width:
                yield line, f"{len(row)} fields where the header has {width}"
                continue
            if not _decoded("".join(row)):
                yield line, f"not {_label(self.encoding)} text; " + _ENCODING_HINT
                continue
            yield line, dict(zip(header, row, strict=True))

    def _jsonl_records(self) -> Iterator[InputRecord]:
        for line, text in enumerate(self._text, start=1):
            if not text.strip():
                continue
            if not _decoded(text):
                yield line, f"not {_label(self.encoding)} text; " + _ENCODING_HINT
                continue
            try:
                value = orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                yield line, f"not valid JSON ({exc})"
                continue
            if not isinstance(value, dict):
                yield line, "a line must be a JSON object"
                continue
            yield line, value

    def _sheet_records(self) -> Iterator[InputRecord]:
        """Rows under the header, numbered as the sheet numbers them; empty rows skipped,
        empty cells at a row's end read as empty fields."""
        header = self.header
        width = len(header)
        for number, cells in self._sheet:
            self._rows_read += 1
            if not any(cells):
                continue
            if len(cells) > width:
                yield number, f"{len(cells)} cells where the header has {width}"
                continue
            yield number, dict(zip(header, cells + [""] * (width - len(cells)), strict=True))

    def _parquet_records(self) -> Iterator[InputRecord]:
        line = 0
        for batch in self._parquet.iter_batches(batch_size=8192):
            for record in batch.to_pylist():
                line += 1
                self._rows_read = line
                yield line, record

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()


_ENCODING_HINT = "give the file's encoding with --encoding (a Windows export: cp1252)"


def _codec(encoding: str) -> str:
    """The codec's name; UTF-8 as ``utf-8-sig``, which skips a byte-order mark (Excel)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not info._is_text_encoding:  # base64, rot13 …
        raise InputError(f"--encoding {encoding!r}: not a text encoding Python knows") from None
    return "utf-8-sig" if info.name == "utf-8" else info.name


def codec_name(encoding: str | None) -> str:
    """The encoding as a checkpoint records it: its codec's name, UTF-8 as ``""`` (the
    default), so ``CP1252`` and ``windows-1252`` are one input."""
    if encoding is None:
        return ""
    name = _codec(encoding)
    return "" if name == "utf-8-sig" else name


def _label(codec: str) -> str:
    return "UTF-8" if codec == "utf-8-sig" else codec


def _decoded(text: str) -> bool:
    """No byte of ``text`` failed to decode (each would be a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _sniff_delimiter(header: str) -> str:
    """The separator of a CSV header line: the candidate that parses it into the most
    fields, quotes respected (a comma when none splits it: a one-column file)."""
    fields = {}
    for d in DELIMITERS:
        try:
            fields[d] = len(next(csv.reader([header], delimiter=d), []))
        except csv.Error:
            fields[d] = 0
    best = max(DELIMITERS, key=lambda d: fields[d])
    return best if fields[best] > 1 else ","


# ---- writing ---------------------------------------------------------------------------


def csv_row(record: Record) -> list[Any]:
    alerts = record["alerts"]
    return [
        record["id"],
        record["line"],
        len(alerts),
        max((a["score"] for a in alerts), default=""),
        ";".join(s for a in alerts for s in a["source_ids"]),
        orjson.dumps(alerts).decode() if alerts else "",
        record["error"] or "",
    ]


class Writer:
    """Appends chunks of output records; :meth:`commit` says how much output is final."""

    def __init__(self, path: Path, fmt: str | None = None) -> None:
        self.path = path
        self.format, self.gz = detect_format(path, fmt)
        if self.format in SHEETS:
            raise InputError(
                f"{self.format} is read, not written: write .csv (a spreadsheet opens it), "
                ".jsonl or .parquet",
                path=str(path),
            )
        self.parts = Path(str(path) + ".parts")
        self._file: IO[bytes] | None = None
        self._count = 0

    def open(self, resume_at: int | None) -> None:
        """Start a new output, or go on from ``resume_at`` (what :meth:`commit` returned last),
        dropping whatever an interrupted run wrote after it."""
        if self.format == "parquet":
            if resume_at is None:
                shutil.rmtree(self.parts, ignore_errors=True)
            self.parts.mkdir(parents=True, exist_ok=True)
            self._count = resume_at or 0
            for part in self.parts.glob("part-*.parquet"):
                if int(part.stem.split("-")[1]) >= self._count:
                    part.unlink()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume_at is None:
            self._file = self.path.open("wb")
            if self.format == "csv":
                self._append(_csv_text([list(COLUMNS)]))
        else:
            self._file = self.path.open("r+b")
            self._file.truncate(resume_at)
            self._file.seek(resume_at)

    def write(self, records: Sequence[Record]) -> None:
        if self.format == "parquet":
            self._write_part(records)
        elif self.format == "csv":
            self._append(_csv_text([csv_row(r) for r in records]))
        else:
            self._append(b"".join(orjson.dumps(r) + b"\n" for r in records))

    def commit(self) -> int:
        """Make what was written durable; return the resume point (bytes, or parts)."""
        if self._file is None:
            return self._count
        self._file.flush()
        return self._file.tell()

    def finish(self) -> None:
        """Close the output (Parquet: merge the parts into the one output file)."""
        if self._file is not None:
            self._file.close()
            self._file = None
            return
        import pyarrow.parquet as pq

        parts = sorted(self.parts.glob("part-*.parquet"))
        schema = _parquet_schema()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with pq.ParquetWriter(str(tmp), schema) as out:
            for part in parts:
                out.write_table(pq.read_table(str(part), schema=schema))
        tmp.replace(self.path)
        shutil.rmtree(self.parts, ignore_errors=True)

    def _append(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(gzip.compress(data, compresslevel=6) if self.gz else data)

    def _write_part(self, records: Sequence[Record]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [csv_row(r) for r in records]
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in COLUMNS]
        table = pa.table(
            {
                "id": pa.array(columns[0], pa.string()),
                "line": pa.array(columns[1], pa.int64()),
                "alert_count": pa.array(columns[2], pa.int32()),
                "top_score": pa.array([None if v == "" else v for v in columns[3]], pa.float64()),
                "source_ids": pa.array(columns[4], pa.string()),
                "alerts": pa.array([v or None for v in columns[5]], pa.string()),
                "error": pa.array([v or None for v in columns[6]], pa.string()),
            },
            schema=_parquet_schema(),
        )
        tmp = self.parts / f"tmp-{self._count:06d}.parquet"
        pq.write_table(table, str(tmp))
        tmp.replace(self.parts / f"part-{self._count:06d}.parquet")
        self._count += 1


def _parquet_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("id", pa.string()),
            ("line", pa.int64()),
            ("alert_count", pa.int32()),
            ("top_score", pa.float64()),
            ("source_ids", pa.string()),
            ("alerts", pa.string()),
            ("error", pa.string()),
        ]
    )


def _csv_text(rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")
