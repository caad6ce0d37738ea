"""What a customer file exported by a spreadsheet or an ERP looks like, read as meant: a
byte-order mark, semicolons, a Windows code page, columns it does not have. A name is never
screened with letters it did not have, and what is left out is said."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from corridor.batch import BatchOptions, ColumnMapping, run_batch
from corridor.batch.formats import ENCODING_PROBE, Reader
from corridor.errors import InputError
from corridor.store import Store

#: A party of the 2021 OFAC list, and a name with letters outside ASCII.
ROWS = [("k1", "Roman LYAGIN", "Person", "ru"), ("k2", "Ümit Özdağ", "Person", "tr")]


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _records(reader: Reader) -> list:
    return list(reader.records())


def test_a_spreadsheets_semicolons_and_byte_order_mark(tmp_path: Path) -> None:
    src = _csv(
        tmp_path / "excel.csv",
        "\ufeffid;name;schema;country\n" + "".join(f"{';'.join(r)}\n" for r in ROWS),
    )
    reader = Reader(src)
    assert reader.delimiter == ";"
    assert reader.header == ["id", "name", "schema", "country"]  # no mark before "id"
    assert [rec["name"] for _, rec in _records(reader)] == ["Roman LYAGIN", "Ümit Özdağ"]


@pytest.mark.parametrize(("sep", "given"), [("\t", None), ("|", None), (",", None), (";", ";")])
def test_the_separator_is_read_from_the_header_or_given(
    tmp_path: Path, sep: str, given: str | None
) -> None:
    src = _csv(tmp_path / "in.csv", sep.join(["id", "name"]) + "\n" + sep.join(ROWS[0][:2]) + "\n")
    reader = Reader(src, delimiter=given)
    assert reader.delimiter == sep
    assert _records(reader) == [(2, {"id": "k1", "name": "Roman LYAGIN"})]


def test_a_windows_export_is_refused_before_any_work_then_read_with_its_encoding(
    tmp_path: Path,
) -> None:
    text = "id,name\n" + "".join(f"{r[0]},{r[1].replace('ğ', 'g')}\n" for r in ROWS)
    src = _csv(tmp_path / "erp.csv", text, "cp1252")
    with pytest.raises(
        InputError, match=r"erp.csv: line 3 is not UTF-8 text \(byte 0xdc\).*cp1252"
    ):
        Reader(src)
    names = [rec["name"] for _, rec in _records(Reader(src, encoding="cp1252"))]
    assert names == ["Roman LYAGIN", "Ümit Özdag"]
    with pytest.raises(InputError, match="--encoding 'klingon'"):
        Reader(src, encoding="klingon")


def test_a_line_past_the_first_bytes_in_another_encoding_is_a_bad_row(tmp_path: Path) -> None:
    """Past what is checked up front, a line that does not decode is refused with its number:
    a name is never screened with a replaced letter."""
    good = "".join(f"c{k},Customer Number {k}\n" for k in range(ENCODING_PROBE // 20))
    body = ("id,name\n" + good).encode() + "k2,Ümit Özdag\n".encode("cp1252")
    for name, data in (("late.csv", body), ("late.csv.gz", gzip.compress(body))):
        src = tmp_path / name
        src.write_bytes(data)
        records = _records(Reader(src))
        line, bad = records[-1]
        assert line == good.count("\n") + 2
        assert (
            bad
            == "not UTF-8 text; give the file's encoding with --encoding (a Windows export: cp1252)"
        )
        assert all(isinstance(rec, dict) for _, rec in records[:-1])


def test_default_columns_the_file_lacks_are_left_out_and_named(batch_db, tmp_path: Path) -> None:
    src = _csv(
        tmp_path / "companies.csv",
        "id;name;country\n" + "".join(f"{r[0]};{r[1]};{r[3]}\n" for r in ROWS),
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(BatchOptions(input=src, output=out), Store(batch_db))
    assert summary.screened == 2 and summary.rows_with_alerts >= 1
    assert summary.columns == {"id": "id", "name": "name", "country": "country"}
    assert summary.left_out == ["schema", "birth_date"]


def test_columns_are_found_whatever_their_case(batch_db, tmp_path: Path) -> None:
    src = _csv(tmp_path / "export.csv", "ID,Name,Country,name_note\nk1,Roman LYAGIN,RU,x\n")
    summary = run_batch(BatchOptions(input=src, output=tmp_path / "o.jsonl"), Store(batch_db))
    assert summary.columns == {"id": "ID", "name": "Name", "country": "Country"}
    assert summary.rows_with_alerts == 1
    # Two columns that differ only in case: neither is taken for the other.
    twice = _csv(tmp_path / "twice.csv", "NAME,Name\nRoman LYAGIN,x\n")
    with pytest.raises(InputError, match=r"no column for name \('name'\)"):
        run_batch(BatchOptions(input=twice, output=tmp_path / "o2.jsonl"), Store(batch_db))


def test_a_column_given_by_flag_must_be_there(batch_db, tmp_path: Path) -> None:
    src = _csv(tmp_path / "in.csv", "id,full_name\nk1,Roman LYAGIN\n")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InputError, match=r"no column for name \('name'\)"):
        run_batch(BatchOptions(input=src, output=out), Store(batch_db))
    mapping = ColumnMapping.build(["name=full_name", "birth_date=dob"])
    with pytest.raises(InputError, match=r"no column for birth_date \('dob'\)"):
        run_batch(BatchOptions(input=src, output=out, mapping=mapping), Store(batch_db))


def test_a_mapping_file_in_another_encoding_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "erp.yaml"
    path.write_bytes("id: cust_no\nname: Kundenname_ä\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"erp.yaml: line 2 is not UTF-8 text \(byte 0xe4\)"):
        ColumnMapping.build([], path)


def _xlsx(path: Path, rows: list[list]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _ods_cell(value: str, number: bool = False) -> str:
    kind = (
        f'office:value-type="float" office:value="{value}"'
        if number
        else ('office:value-type="string"')
    )
    return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Customers">'
    f"<table:table-row>{_ods_cell('id')}{_ods_cell('name')}</table:table-row>"
    f"<table:table-row>{_ods_cell('7', number=True)}{_ods_cell('Roman LYAGIN')}</table:table-row>"
    "</table:table></office:spreadsheet></office:body></office:document-content>"
)


def test_a_customer_list_kept_in_a_spreadsheet(batch_db, tmp_path: Path) -> None:
    """The first sheet of an .xlsx or .ods, its header the first row with a cell; rows keep
    the sheet's numbers, numbers and dates read as text."""
    import datetime as dt
    import zipfile

    src = _xlsx(
        tmp_path / "customers.xlsx",
        [
            [],
            ["Customer No", "Name", "Country", "Date of birth"],
            [1001, "Roman LYAGIN", "RU", dt.datetime(1980, 5, 30)],
            [],
            [1002, "Ümit Özdağ", "TR", None, "a note past the header"],
            [1003, "Anna Schmidt"],
        ],
    )
    reader = Reader(src)
    assert reader.header == ["Customer No", "Name", "Country", "Date of birth"]
    records = list(reader.records())
    assert records[0] == (
        3,
        {
            "Customer No": "1001",
            "Name": "Roman LYAGIN",
            "Country": "RU",
            "Date of birth": "1980-05-30",
        },
    )
    assert records[1] == (5, "5 cells where the header has 4")
    assert records[2][1]["Name"] == "Anna Schmidt" and records[2][1]["Country"] == ""
    out = tmp_path / "alerts.jsonl"
    mapping = ColumnMapping.build(["id=Customer No", "birth_date=Date of birth"])
    summary = run_batch(BatchOptions(input=src, output=out, mapping=mapping), Store(batch_db))
    assert (summary.records, summary.bad_rows, summary.rows_with_alerts) == (3, 1, 1)

    ods = tmp_path / "customers.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", ODS_CONTENT)
    assert list(Reader(ods).records()) == [(2, {"id": "7", "name": "Roman LYAGIN"})]


def test_a_title_above_the_header_is_looked_past(batch_db, tmp_path: Path) -> None:
    """A sheet that opens with a title (one cell, then a date line) has its header under
    it: the rows above are said and not screened. Where no row under a one-cell first row
    fits the mapping, nothing is skipped and the missing column is named as before."""
    src = _xlsx(
        tmp_path / "titled.xlsx",
        [
            ["Customers to screen, March"],
            [],
            ["exported 2026-03-01"],
            ["Customer No", "Name", "Country"],
            [1001, "Roman LYAGIN", "RU"],
            [1002, "Anna Schmidt", "DE"],
        ],
    )
    out = tmp_path / "alerts.jsonl"
    mapping = ColumnMapping.build(["id=Customer No"])
    summary = run_batch(BatchOptions(input=src, output=out, mapping=mapping), Store(batch_db))
    assert summary.title_rows == [1, 3]
    assert (summary.records, summary.bad_rows, summary.rows_with_alerts) == (2, 0, 1)
    said = subprocess.run(
        [sys.executable, "-m", "corridor", "batch", str(src), "-o", str(out), "-q"]
        + ["--column", "id=Customer No", "--db", batch_db.removeprefix("sqlite:///")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "rows 1, 3 of the sheet, above its header: not read" in said.stderr
    reader = Reader(src)
    assert reader.look_past_title(mapping.fits) == [1, 3]
    assert reader.header == ["Customer No", "Name", "Country"] and reader.total_rows == 2
    assert [line for line, _ in reader.records()] == [5, 6]

    # One column, no header under it that names the customers: the rows stay rows.
    plain = _xlsx(tmp_path / "names.xlsx", [["full name"], ["Roman LYAGIN"], ["a", "b"]])
    reader = Reader(plain)
    assert reader.look_past_title(ColumnMapping.build().fits) == []
    assert reader.header == ["full name"]
    assert [line for line, _ in reader.records()] == [2, 3]
    with pytest.raises(InputError, match=r"no column for name \('name'\); the columns are full"):
        run_batch(BatchOptions(input=plain, output=tmp_path / "o.jsonl"), Store(batch_db))
    one_column = ColumnMapping.build(["name=full name"])
    summary = run_batch(
        BatchOptions(input=plain, output=tmp_path / "o.jsonl", mapping=one_column),
        Store(batch_db),
    )
    assert (summary.title_rows, summary.records, summary.bad_rows) == ([], 2, 1)


def test_a_spreadsheet_is_read_not_written_and_a_damaged_one_is_named(tmp_path: Path) -> None:
    from corridor.batch.formats import Writer
    from corridor.errors import SourceError

    with pytest.raises(InputError, match=r"xlsx is read, not written: write .csv"):
        Writer(tmp_path / "alerts.xlsx")
    damaged = tmp_path / "customers.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(
        SourceError, match=r"customers.xlsx: not a readable XLSX workbook .*save or export it again"
    ):
        Reader(damaged)


def test_a_byte_order_mark_does_not_shift_where_a_bad_byte_is_said_to_be(tmp_path: Path) -> None:
    src = tmp_path / "excel.csv"
    src.write_bytes(b"\xef\xbb\xbfname,country\nBob,DE\nM\xfcller,DE\n")
    with pytest.raises(InputError, match=r"line 3 is not UTF-8 text \(byte 0xfc\)"):
        Reader(src)


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("char", ["€", "😀"])
def test_a_character_cut_where_the_check_ends_is_not_an_error(
    tmp_path: Path, mark: bytes, char: str
) -> None:
    """Excel's "CSV UTF-8" writes a byte-order mark; a character of three or four bytes
    that the first 64 KiB cut in two is whole in the file."""
    encoded = char.encode()
    for cut in range(1, len(encoded)):
        head = mark + b"id,name\n"
        filler = b"x" * (ENCODING_PROBE - len(head) - cut - len(b"k1,"))
        src = tmp_path / f"cut{cut}.csv"
        src.write_bytes(head + b"k1," + filler + encoded + b"\nk2,Roman LYAGIN\n")
        records = _records(Reader(src))
        assert records[0][1]["name"].endswith(char) and records[1][1]["name"] == "Roman LYAGIN"


def test_a_pipe_is_read_whole(tmp_path: Path) -> None:
    """A named pipe (or /dev/stdin) can be read once: nothing is read ahead of the rows."""
    import os
    import threading

    fifo = tmp_path / "customers.pipe"
    os.mkfifo(fifo)
    text = "id,name\nk1,Roman LYAGIN\nk2,Anna Schmidt\n"
    writer = threading.Thread(target=fifo.write_text, args=(text,), daemon=True)
    writer.start()
    records = _records(Reader(fifo, "csv"))
    writer.join(10)
    assert [rec["id"] for _, rec in records] == ["k1", "k2"]


def test_quotes_decide_the_separator_and_the_header_may_span_lines(tmp_path: Path) -> None:
    src = _csv(tmp_path / "q.csv", '"Name, full";"Country\nof residence"\nRoman LYAGIN;RU\n')
    reader = Reader(src)
    assert reader.delimiter == ";"
    assert _records(reader) == [(3, {"Name, full": "Roman LYAGIN", "Country\nof residence": "RU"})]


def test_damaged_inputs_and_encodings_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a text encoding"):
        Reader(_csv(tmp_path / "a.csv", "id,name\n"), encoding="base64")
    fake = tmp_path / "not.csv.gz"
    fake.write_bytes(b"id,name\nk1,Roman LYAGIN\n")
    with pytest.raises(InputError, match="not a readable gzip file"):
        Reader(fake)
    rows = "".join(f"k{k},Customer {k}\n" for k in range(50_000))
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(gzip.compress(("id,name\n" + rows).encode())[:-5000])
    with pytest.raises(InputError, match="damaged or cut short after line"):
        _records(Reader(cut))
    with pytest.raises(InputError, match="no header row: the file is empty"):
        Reader(_csv(tmp_path / "empty.csv", ""))


def test_a_checkpoint_knows_an_encoding_by_any_of_its_names(tmp_path: Path) -> None:
    def signature(encoding):
        return BatchOptions(
            tmp_path / "in.csv", tmp_path / "o.jsonl", encoding=encoding
        ).signature()

    assert signature("CP1252") == signature("windows-1252") != signature(None)
    assert signature("utf-8") == signature("UTF8") == signature(None)


def test_an_empty_first_sheet_or_a_wrong_recorded_size(tmp_path: Path) -> None:
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.create_sheet("Customers").append(["name"])
    book.save(tmp_path / "second.xlsx")
    with pytest.raises(InputError, match="the first sheet is empty"):
        Reader(tmp_path / "second.xlsx")
    # A writer that records the sheet's size as A1: every row is read all the same.
    src = _xlsx(tmp_path / "sized.xlsx", [["id", "name"], ["k1", "Roman LYAGIN"], ["k2", "B"]])
    wrong = tmp_path / "wrong.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(wrong, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1" />')
                assert b'<dimension ref="A1" />' in data
            zout.writestr(item, data)
    assert Reader(src).total_rows == 2  # the rows under the header, as recorded
    reader = Reader(wrong)
    assert reader.total_rows is None
    assert [rec["id"] for _, rec in _records(reader)] == ["k1", "k2"]


def test_one_column_that_holds_separators_suggests_the_delimiter(batch_db, tmp_path: Path) -> None:
    src = _csv(tmp_path / "odd.csv", '"id;name"\n"k1;Roman LYAGIN"\n')
    with pytest.raises(InputError, match=r"columns are id;name\. Map .*one column: .*--delimiter"):
        run_batch(BatchOptions(input=src, output=tmp_path / "o.jsonl"), Store(batch_db))
