"""Shared fixtures: paths to the real official files in ``../shared``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")).resolve()
LISTS = SHARED / "data" / "lists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    return LISTS


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'corridor.db'}"
