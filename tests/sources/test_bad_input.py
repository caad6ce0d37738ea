"""Broken list files fail loudly with file, line/element and field, never silently.

Each case damages a copy of a real official file in tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corridor.errors import SourceError
from corridor.sources.ofac_csv import parse_ofac_csv
from corridor.sources.registry import detect, parse_dataset
from corridor.sources.un_sc import parse_un_sc

OFAC_FILES = ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")


def _drain(parse, paths: list[Path]) -> int:
    return sum(1 for _ in parse(paths).entities)


@pytest.fixture()
def ofac_copy(lists_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ofac"
    target.mkdir()
    for name in OFAC_FILES:
        shutil.copy(lists_dir / "ofac" / name, target / name)
    return target


@pytest.fixture()
def un_copy(lists_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "un" / "UN_consolidated.xml"
    target.parent.mkdir()
    shutil.copy(lists_dir / "un" / "UN_consolidated.xml", target)
    return target


def _ofac_paths(directory: Path) -> list[Path]:
    return [directory / n for n in OFAC_FILES]


def test_truncated_xml(un_copy: Path) -> None:
    data = un_copy.read_bytes()
    un_copy.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError) as err:
        _drain(parse_un_sc, [un_copy])
    assert err.value.path == str(un_copy)
    assert err.value.line is not None and err.value.line > 1000
    assert "truncated" in str(err.value)


def test_entity_bomb(un_copy: Path) -> None:
    text = un_copy.read_text(encoding="utf-8")
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n'
        ' <!ENTITY a "aaaaaaaaaa">\n'
        ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        ' <!ENTITY c "&b;&b;&b;&b;&b;&b;">\n]>\n'
    )
    body = text.split("?>", 1)[1].replace(
        "<FIRST_NAME>ERIC</FIRST_NAME>", "<FIRST_NAME>&c;</FIRST_NAME>", 1
    )
    un_copy.write_text(bomb + body, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        _drain(parse_un_sc, [un_copy])
    assert "DTD, entity or external reference" in str(err.value)


def test_external_entity(un_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    doc = (
        f'<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM '
        f'"file://{secret}">]>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1'
        "</DATAID><FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>"
        "</CONSOLIDATED_LIST>"
    )
    un_copy.write_text(doc, encoding="utf-8")
    with pytest.raises(SourceError):
        _drain(parse_un_sc, [un_copy])


def test_empty_files(un_copy: Path, ofac_copy: Path) -> None:
    un_copy.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        parse_un_sc([un_copy])
    (ofac_copy / "sdn.csv").write_bytes(b"")
    with pytest.raises(SourceError, match="empty") as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.path == str(ofac_copy / "sdn.csv")


def test_utf16_csv(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    sdn.write_bytes(sdn.read_bytes().decode("utf-8").encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-16") as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.line == 1


def test_utf16_xml(un_copy: Path) -> None:
    # The XML declaration still says UTF-8: the bytes contradict it.
    un_copy.write_bytes(un_copy.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(SourceError):
        _drain(parse_un_sc, [un_copy])


def test_binary_garbage(un_copy: Path, ofac_copy: Path) -> None:
    garbage = bytes(range(256)) * 64
    un_copy.write_bytes(garbage)
    with pytest.raises(SourceError):
        _drain(parse_un_sc, [un_copy])
    (ofac_copy / "add.csv").write_bytes(b'1,2,"x","y","z",-0- \r\n' + garbage)
    with pytest.raises(SourceError) as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.path == str(ofac_copy / "add.csv")


def test_wrong_column_count(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    lines[41] = lines[41].rsplit(b",", 1)[0]  # drop the Remarks column of line 42
    sdn.write_bytes(b"\r\n".join(lines))
    with pytest.raises(SourceError, match="11 columns, expected 12") as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert (err.value.path, err.value.line) == (str(sdn), 42)


def test_truncated_csv_inside_quotes(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    data = sdn.read_bytes()
    cut = data.index(b',"', len(data) // 2) + 4  # just inside a quoted field
    sdn.write_bytes(data[:cut])
    with pytest.raises(SourceError) as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.path == str(sdn) and err.value.line


def test_truncated_csv_at_row_end_is_caught_by_references(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    sdn.write_bytes(b"\r\n".join(lines[: len(lines) // 2]) + b"\r\n")
    with pytest.raises(SourceError, match="not in sdn.csv") as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.field == "ent_num"


def test_bad_field_value(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    text = sdn.read_text(encoding="utf-8").replace(
        '"BANCO NACIONAL DE CUBA",-0- ', '"BANCO NACIONAL DE CUBA","robot"', 1
    )
    sdn.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(SourceError, match="unknown SDN_Type") as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    assert err.value.field == "SDN_Type" and err.value.line == 3


def test_release_without_a_companion_file_says_what_it_lacks(ofac_copy: Path) -> None:
    (ofac_copy / "alt.csv").unlink()
    parsed = parse_dataset("us_ofac_sdn", detect(ofac_copy.parent)["us_ofac_sdn"])
    assert sum(1 for _ in parsed.entities) == 8976
    assert parsed.gaps == [
        "released without alt.csv: no strong aliases (only the weak a.k.a.s written in Remarks)"
    ]


def test_wrong_file_for_dataset(lists_dir: Path) -> None:
    with pytest.raises(SourceError, match="not CONSOLIDATED_LIST|no file of"):
        _drain(lambda p: parse_dataset("un_sc_sanctions", p), [lists_dir / "ofac" / "sdn.csv"])


def test_error_message_is_one_line_with_location(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    lines[9] += b',"extra"'
    sdn.write_bytes(b"\r\n".join(lines))
    with pytest.raises(SourceError) as err:
        _drain(parse_ofac_csv, _ofac_paths(ofac_copy))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{sdn}:line 10")


def test_damaged_utf8_is_refused_not_read_as_windows_1252(lists_dir: Path, tmp_path: Path) -> None:
    csl = tmp_path / "us_csl_sample.csv"
    lines = (lists_dir / "us_csl_sample.csv").read_bytes().split(b"\n")
    assert any(b.decode("utf-8") != b.decode("ascii", "replace") for b in lines[:-60])
    lines[-10] = lines[-10].replace(b",", b",\xff", 1)
    csl.write_bytes(b"\n".join(lines))
    with pytest.raises(SourceError, match="0xff is not UTF-8") as err:
        _drain(lambda p: parse_dataset("us_trade_csl", p), [csl])
    assert err.value.line == len(lines) - 9


def test_windows_1252_file_still_reads(ofac_copy: Path) -> None:
    sdn = ofac_copy / "sdn.csv"
    data = sdn.read_bytes()
    sdn.write_bytes(data.replace(b'"CANO CORREA, Jhon Eidelber"', b'"CANO CORRE\xc9A, Jhon"', 1))
    names = {n for e in parse_ofac_csv(_ofac_paths(ofac_copy)).entities for n in e.get("name")}
    assert "CANO CORREÉA, Jhon" in names
