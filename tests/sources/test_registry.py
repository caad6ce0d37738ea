"""The dataset registry: detection in a list directory and format preference."""

from __future__ import annotations

import shutil
from pathlib import Path

from corridor.sources.registry import DATASETS, FORMATS, detect, find_releases, parse_dataset


def test_detect_shared_lists(lists_dir: Path) -> None:
    """At the download layout's own paths the mirror holds the 2021-22 files."""
    found = detect(lists_dir)
    assert set(found) == {"un_sc_sanctions", "us_ofac_sdn", "us_bis_denied"}
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
        assert set(FORMATS[name][0].required) <= set(spec.files)
        assert set(spec.required) <= set(spec.files)


def test_parse_dataset_by_name(lists_dir: Path) -> None:
    parsed = parse_dataset("un_sc_sanctions", [lists_dir / "un" / "UN_consolidated.xml"])
    assert parsed.dataset == "un_sc_sanctions"
    assert parsed.list_date == "2026-02-27"


def test_csl_alternate_name(lists_dir: Path, tmp_path: Path) -> None:
    shutil.copy(lists_dir / "us_csl_sample.csv", tmp_path / "csl.csv")
    [release] = find_releases(tmp_path)
    assert (release.dataset, release.paths, release.folder) == (
        "us_trade_csl",
        (tmp_path / "csl.csv",),
        ".",
    )


def test_every_release_of_the_mirror_in_its_own_folder(lists_dir: Path) -> None:
    """Each folder is one release; files of different folders are never joined, and the
    CSL excerpt (not a release of the list) is passed by."""
    found = {(r.dataset, r.folder, r.format.name, r.missing) for r in find_releases(lists_dir)}
    assert found == {
        ("un_sc_sanctions", "un", "xml", ()),
        ("us_ofac_sdn", "ofac", "csv", ()),
        ("us_ofac_sdn", "ofac_sdn_2024", "csv", ("alt.csv", "add.csv", "sdn_comments.csv")),
        ("us_ofac_cons", "ofac_non_sdn_2025", "enhanced-xml", ()),
        ("us_ofac_cons", "ofac_non_sdn_2025", "csv", ()),
        ("us_bis_denied", "bis", "txt", ()),
        ("us_bis_denied", "bis_dpl_2023", "txt", ()),
        ("gb_hmt_sanctions", "uk_2025", "xlsx", ()),
        ("gb_fcdo_sanctions", "uk_2025", "summary-ods", ()),
        ("us_trade_csl", "us_csl_2022", "csv", ()),
    }


def test_empty_directory(tmp_path: Path) -> None:
    assert detect(tmp_path) == {}
