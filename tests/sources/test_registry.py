"""The dataset registry: detection in a list directory and format preference."""

from __future__ import annotations

import shutil
from pathlib import Path

from corridor.sources.registry import DATASETS, FORMATS, detect, parse_dataset


def test_detect_shared_lists(lists_dir: Path) -> None:
    found = detect(lists_dir)
    assert set(found) == {"un_sc_sanctions", "us_ofac_sdn", "us_bis_denied", "us_trade_csl"}
    assert {p.name for p in found["us_ofac_sdn"]} == {
        "sdn.csv",
        "alt.csv",
        "add.csv",
        "sdn_comments.csv",
    }


def test_specs_are_complete() -> None:
    for name, spec in DATASETS.items():
        assert spec.name == name and spec.title and spec.publisher
        assert all(url.startswith("https://") for url in spec.files.values())
        for fmt in FORMATS[name]:
            assert set(fmt.required) <= set(spec.files)


def test_parse_dataset_by_name(lists_dir: Path) -> None:
    parsed = parse_dataset("un_sc_sanctions", [lists_dir / "un" / "UN_consolidated.xml"])
    assert parsed.dataset == "un_sc_sanctions"
    assert parsed.list_date == "2026-02-27"


def test_csl_alternate_name(lists_dir: Path, tmp_path: Path) -> None:
    shutil.copy(lists_dir / "us_csl_sample.csv", tmp_path / "csl.csv")
    assert detect(tmp_path) == {"us_trade_csl": [tmp_path / "csl.csv"]}


def test_empty_directory(tmp_path: Path) -> None:
    assert detect(tmp_path) == {}
