"""Safe, streaming access to official list files, with errors that say where.

Every parser reads through these helpers so the same rules hold everywhere: XML goes
through defusedxml (no DTDs, entities or external references), text must be UTF-8 (or
the Windows-1252 that older US government files use) without NUL or control bytes, and
every failure becomes a :class:`SourceError` naming the file and line.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

from corridor.errors import SourceError

#: Largest list file accepted (the full OFAC SDN XML is ~100 MB, EU FSF ~30 MB).
MAX_FILE_BYTES = 1024 * 1024 * 1024

#: A valid UTF-8 sequence of two to four bytes (what Windows-1252 text almost never holds).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)

#: Bytes a text list never contains; finding one means UTF-16, a binary file or damage.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")


def single_file(paths: Sequence[Path], what: str) -> Path:
    """The one file of a single-file format; a clear error when given none or several."""
    if len(paths) != 1:
        raise SourceError(f"expected one {what} file, got {len(paths)}")
    return Path(paths[0])


def check_file(path: Path, remedy: str | None = None) -> int:
    """Fail early, with a clear message, on a missing, empty or absurdly large file.

    ``remedy``: what the message tells the user to do (default: download the file again,
    as for a list; a customer's own file is saved or exported again)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(
            f"cannot read the file ({exc.strerror}); {remedy or 'download it again'}",
            path=str(path),
        ) from exc
    if size == 0:
        raise SourceError(
            f"file is empty; {remedy or 'the download probably failed, fetch it again'}",
            path=str(path),
        )
    if size > MAX_FILE_BYTES:
        raise SourceError(
            f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit", path=str(path)
        )
    return size


def read_bytes(path: Path) -> bytes:
    """A list file's bytes; a ``.gz`` file decompressed (bounded, damage named)."""
    check_file(path)
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise SourceError(
                f"not a complete gzip file ({exc}); the download is truncated or damaged, "
                "fetch it again",
                path=str(path),
            ) from exc
        if len(data) > MAX_FILE_BYTES:
            raise SourceError(
                f"decompresses to over {MAX_FILE_BYTES} bytes; refusing it", path=str(path)
            )
        return data
    return path.read_bytes()


def read_text(path: Path) -> str:
    """Decode a text list file: UTF-8 (BOM allowed), else Windows-1252; reject binary.

    Older US government files are Windows-1252; a file that is UTF-8 up to a bad byte is
    damaged UTF-8 and is refused with the line of that byte. A ``.gz`` file is read
    decompressed.
    """
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise SourceError(
            "file is UTF-16 or binary, not UTF-8 text; save it as UTF-8", path=str(path), line=1
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        if _UTF8_MULTIBYTE.search(data, 0, bad.start):
            # Real UTF-8 before the bad byte: a damaged UTF-8 file, not a Windows-1252 one;
            # reading it as Windows-1252 would garble every accented name silently.
            line = data[: bad.start].count(b"\n") + 1
            raise SourceError(
                f"byte 0x{data[bad.start]:02x} is not UTF-8, in a file that is UTF-8 before "
                "it; the file is damaged, download it again",
                path=str(path),
                line=line,
            ) from bad
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SourceError(
                f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252 text; "
                "the file is damaged or not a list file, download it again",
                path=str(path),
                line=line,
            ) from exc
    found = _FORBIDDEN.search(text)
    if found is not None:
        bad = found.start()
        line = text.count("\n", 0, bad) + 1
        raise SourceError(
            f"control character U+{ord(text[bad]):04X} in text; the file is binary, "
            "UTF-16 or damaged, download it again",
            path=str(path),
            line=line,
        )
    return text


def csv_rows(
    path: Path,
    *,
    columns: int | tuple[int, ...],
    delimiter: str = ",",
    text: str | None = None,
    skip_eof_marker: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for every row, checking the column count.

    ``skip_eof_marker`` drops the single ``0x1A`` (DOS end-of-file) row OFAC's legacy
    CSV files end with; nothing else is ever skipped.
    """
    if text is None:
        text = read_text(path)
    allowed = (columns,) if isinstance(columns, int) else columns
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise SourceError(
                f"malformed CSV ({exc}); the file is damaged or truncated",
                path=str(path),
                line=reader.line_num,
            ) from exc
        if skip_eof_marker and row == ["\x1a"]:
            line = reader.line_num + 1
            continue
        if not row:
            line = reader.line_num + 1
            continue
        if len(row) not in allowed:
            want = " or ".join(str(n) for n in allowed)
            raise SourceError(
                f"row has {len(row)} columns, expected {want}; the file is truncated or "
                "not in the expected layout, download it again",
                path=str(path),
                line=line,
            )
        yield line, row
        line = reader.line_num + 1


def csv_header(
    path: Path,
    row_text: str,
    *,
    line: int,
    required: Sequence[str],
    what: str,
    clean: Callable[[str], str] = str.strip,
) -> list[str]:
    """The column names of a CSV header row, checked to include every ``required`` one."""
    row = next(csv_rows(path, columns=row_text.count(",") + 1, text=row_text), None)
    if row is None:
        raise SourceError(f"no header row; this file is not the {what}", path=str(path), line=line)
    header = [clean(name) for name in row[1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(
            f"header lacks column {missing[0]!r}; this file is not the {what}",
            path=str(path),
            line=line,
            field=missing[0],
        )
    return header


def local(tag: str) -> str:
    """An element's name without its namespace, so parsers work across schema versions."""
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


class XmlStream:
    """Namespace-agnostic streaming over an XML list, one record element at a time.

    The root element's attributes are read on construction (list dates live there), so
    an unreadable file fails before any entity is produced.
    """

    def __init__(self, path: Path, opener: Callable[[], IO[bytes]] | None = None) -> None:
        check_file(path)
        self.path = path
        #: Opens the XML itself when it is not the file (a member of a ZIP archive).
        self._opener = opener
        self._events = self._iterate()
        try:
            event, root = next(self._events)
        except StopIteration:
            raise SourceError(
                "no XML root element; the file is empty or not XML", path=str(path), line=1
            ) from None
        self.root: Element = root
        self.root_name = local(root.tag)

    def _iterate(self) -> Iterator[tuple[str, Any]]:
        try:
            source = self._opener() if self._opener is not None else str(self.path)
            yield from DET.iterparse(
                source,
                events=("start", "end"),
                forbid_dtd=True,
                forbid_entities=True,
                forbid_external=True,
            )
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise SourceError(
                f"the archive is damaged or truncated ({exc}); download it again",
                path=str(self.path),
            ) from exc
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise SourceError(
                f"malformed XML ({exc.msg}); the file is damaged, truncated or "
                "not in its declared encoding, download it again",
                path=str(self.path),
                line=line,
            ) from exc
        except DefusedXmlException as exc:
            raise SourceError(
                f"XML uses a DTD, entity or external reference ({type(exc).__name__}), "
                "which official lists never do; refusing it for safety",
                path=str(self.path),
            ) from exc
        except OSError as exc:
            raise SourceError(f"cannot read the file ({exc})", path=str(self.path)) from exc

    def records(self, *names: str) -> Iterator[Element]:
        """Yield each complete element whose local name is in ``names``, then free it."""
        wanted = set(names)
        depth_in = 0
        for event, elem in self._events:
            name = local(elem.tag)
            if name in wanted:
                if event == "start":
                    depth_in += 1
                    continue
                depth_in -= 1
                if depth_in == 0:
                    yield elem
                    elem.clear()
            elif event == "end" and depth_in == 0:
                elem.clear()


def open_xml(paths: Sequence[Path], *, root: str, what: str) -> XmlStream:
    """Stream the one XML file of a format, checking its root element is ``root``."""
    path = single_file(paths, what)
    stream = XmlStream(path)
    if stream.root_name != root:
        raise SourceError(
            f"root element is {stream.root_name}, not {root}; this file is not the {what}",
            path=str(path),
            element=stream.root_name,
        )
    return stream


def child(elem: Element, name: str) -> Element | None:
    for ch in elem:
        if local(ch.tag) == name:
            return ch
    return None


def children(elem: Element, name: str) -> list[Element]:
    return [ch for ch in elem if local(ch.tag) == name]


def text_of(elem: Element | None, name: str | None = None) -> str | None:
    """Stripped text of ``elem`` (or of its child ``name``); ``None`` when empty."""
    if elem is not None and name is not None:
        elem = child(elem, name)
    if elem is None or elem.text is None:
        return None
    value = " ".join(elem.text.split())
    return value or None


def texts_of(elem: Element, path: str) -> list[str]:
    """Texts of the elements at a ``/``-separated path of local names."""
    nodes = [elem]
    for part in path.split("/"):
        nodes = [c for n in nodes for c in children(n, part)]
    return [t for t in (text_of(n) for n in nodes) if t]


def zip_member(
    path: Path, suffix: str, what: str, remedy: str | None = None
) -> Callable[[], IO[bytes]]:
    """An opener of the one member of a ZIP archive whose name ends with ``suffix``.

    The archive's directory is read now, so a truncated or foreign file fails before any
    entity is produced; the member itself streams when opened. ``remedy``: see
    :func:`check_file`.
    """
    check_file(path, remedy)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(
            f"not a complete ZIP archive ({exc}); the file is truncated or damaged, "
            f"{remedy or 'fetch it again'}",
            path=str(path),
        ) from exc
    names = [n for n in archive.namelist() if n.lower().endswith(suffix.lower())]
    if len(names) != 1:
        archive.close()
        raise SourceError(
            f"expected one {suffix} member in the archive, found {len(names)}; "
            f"this is not the {what}",
            path=str(path),
        )
    member = names[0]
    if archive.getinfo(member).file_size > MAX_FILE_BYTES:
        archive.close()
        raise SourceError(f"{member} is over {MAX_FILE_BYTES} bytes", path=str(path))

    def open_member() -> IO[bytes]:
        return archive.open(member)

    return open_member


def xlsx_rows(
    path: Path,
    what: str,
    sheet: str | None = None,
    remedy: str | None = None,
    recorded: Callable[[int | None], object] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Stream ``(row number, cell texts)`` from an XLSX sheet (the first, or ``sheet``),
    with openpyxl in read-only mode: rows are read as they are needed, so memory stays flat.

    Empty cells are ``""``; trailing empty cells are dropped. Numbers and dates (which an
    edited copy of a list may hold) come as text: integers without ``.0``, dates as ISO.
    ``recorded``: told, before the first row, the sheet's last row as the workbook records
    it (None when it does not), for a progress bar; the rows are read whatever it says.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    again = remedy or f"download the {what} again"
    check_file(path, remedy)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ParseError) as exc:
        raise SourceError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc}); the file is "
            f"truncated or damaged, {again}",
            path=str(path),
        ) from exc
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise SourceError(
                f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)}); this is not the "
                f"{what}",
                path=str(path),
            )
        rows = book[sheet] if sheet is not None else book.worksheets[0]
        if recorded is not None:
            recorded(rows.max_row)
        # Some writers record a wrong size (A1); read-only mode would stop there.
        rows.reset_dimensions()
        number = 0
        try:
            for number, values in enumerate(rows.iter_rows(values_only=True), start=1):
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1]:
                    cells.pop()
                yield number, cells
        except (zipfile.BadZipFile, EOFError, zlib.error, ParseError, KeyError) as exc:
            raise SourceError(
                f"the sheet is damaged or truncated after row {number} "
                f"({type(exc).__name__}: {exc}); {again}",
                path=str(path),
                line=number + 1,
            ) from exc
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]  # type: ignore[union-attr]
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


#: The OpenDocument namespaces a spreadsheet's content.xml uses.
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#: Repeated empty rows or cells beyond this are padding, not data (files repeat the last
#: empty cell over all 16,384 columns).
_ODF_MAX_REPEAT = 1000


def ods_rows(
    path: Path, what: str, sheet: str | None = None, remedy: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """Stream ``(row number, cell texts)`` from an OpenDocument spreadsheet's first sheet
    (or ``sheet``).

    python-calamine, the library corridor would use, refuses the FCDO's own ODS files
    (their ``content.xml`` is indented, and calamine 0.9 stops at the whitespace between
    cells), so the table is read from ``content.xml`` with defusedxml, streaming: a cell's
    text is its paragraphs joined by newlines, ``number-columns-repeated`` and
    ``number-rows-repeated`` are expanded (trailing padding dropped), values of other types
    come from their ``office:value`` / ``office:date-value`` attributes.
    """
    opener = zip_member(path, "content.xml", what, remedy)
    stream = XmlStream(path, opener)
    if stream.root_name != "document-content":
        raise SourceError(
            f"content.xml's root is {stream.root_name}; this is not an OpenDocument file",
            path=str(path),
        )
    table_attr = f"{{{_ODF_TABLE}}}"
    in_table = False
    done = False
    number = 0
    for event, elem in stream._events:
        name = local(elem.tag)
        if name == "table" and elem.tag.startswith(table_attr):
            if event == "start":
                title = elem.get(f"{table_attr}name")
                in_table = not done and (sheet is None or title == sheet)
            elif in_table:
                in_table, done = False, True
            continue
        if not in_table or event != "end" or name != "table-row":
            continue
        cells: list[str] = []
        for cell in elem:
            if local(cell.tag) not in ("table-cell", "covered-table-cell"):
                continue
            repeat = int(cell.get(f"{table_attr}number-columns-repeated", "1") or 1)
            text = _odf_cell_text(cell)
            cells.extend([text] * min(repeat, _ODF_MAX_REPEAT if not text else repeat))
        while cells and not cells[-1]:
            cells.pop()
        rows = int(elem.get(f"{table_attr}number-rows-repeated", "1") or 1)
        elem.clear()
        if not cells:
            number += rows
            continue
        for _ in range(min(rows, _ODF_MAX_REPEAT)):
            number += 1
            yield number, cells
    if sheet is not None and not done:
        raise SourceError(f"no sheet {sheet!r}; this is not the {what}", path=str(path))


def _odf_cell_text(cell: Element) -> str:
    kind = cell.get(f"{{{_ODF_OFFICE}}}value-type")
    if kind and kind != "string":
        for attr in ("date-value", "value", "boolean-value", "time-value"):
            value = cell.get(f"{{{_ODF_OFFICE}}}{attr}")
            if value is not None:
                return value[:10] if attr == "date-value" else value
    paragraphs = [
        " ".join("".join(p.itertext()).split()) for p in cell if p.tag == f"{{{_ODF_TEXT}}}p"
    ]
    return "\n".join(p for p in paragraphs if p)
