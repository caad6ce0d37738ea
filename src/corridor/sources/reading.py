"""Safe, streaming access to official list files, with errors that say where.

Every parser reads through these helpers so the same rules hold everywhere: XML goes
through defusedxml (no DTDs, entities or external references), text must be UTF-8 (or
the Windows-1252 that older US government files use) without NUL or control bytes, and
every failure becomes a :class:`SourceError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
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


def check_file(path: Path) -> int:
    """Fail early, with a clear message, on a missing, empty or absurdly large file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(
            f"cannot read the file ({exc.strerror}); download it again", path=str(path)
        ) from exc
    if size == 0:
        raise SourceError(
            "file is empty; the download probably failed, fetch it again", path=str(path)
        )
    if size > MAX_FILE_BYTES:
        raise SourceError(
            f"file is {size} bytes, over the {MAX_FILE_BYTES} byte limit", path=str(path)
        )
    return size


def read_text(path: Path) -> str:
    """Decode a text list file: UTF-8 (BOM allowed), else Windows-1252; reject binary.

    Older US government files are Windows-1252; a file that is UTF-8 up to a bad byte is
    damaged UTF-8 and is refused with the line of that byte.
    """
    check_file(path)
    data = path.read_bytes()
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

    def __init__(self, path: Path) -> None:
        check_file(path)
        self.path = path
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
            yield from DET.iterparse(
                str(self.path),
                events=("start", "end"),
                forbid_dtd=True,
                forbid_entities=True,
                forbid_external=True,
            )
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
