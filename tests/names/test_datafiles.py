"""The name tables are read by libyaml exactly as PyYAML's own safe loader reads them."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from corridor.names import datafiles

FILES = sorted(
    p.name
    for p in (resources.files("corridor.names") / "data").iterdir()
    if p.name.endswith(".yaml")
)


def test_every_table_is_read() -> None:
    assert {"central_asian.yaml", "legal_forms.yaml", "name_words.yaml"} <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_read_as_safe_load_reads_it(name: str) -> None:
    text = (resources.files("corridor.names") / "data" / name).read_text(encoding="utf-8")
    assert datafiles.load(name) == yaml.safe_load(text)
