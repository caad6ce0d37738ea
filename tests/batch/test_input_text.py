"""What a customer file exported by a spreadsheet or an ERP looks like, read as meant: a
byte-order mark, semicolons, a Windows code page, columns it does not have. A name is never
screened with letters it did not have, and what is left out is said."""

from __future__ import annotations

import gzip
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
