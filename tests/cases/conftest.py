"""Case tests run on SQLite and on a throw-away PostgreSQL cluster (``tests/conftest.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from case_helpers import SteppedClock

from corridor.cases.db import CaseRules, CaseStore
from corridor.store import Store


@pytest.fixture()
def clock() -> SteppedClock:
    return SteppedClock(datetime(2025, 3, 1, 9, 0, 0))


@pytest.fixture()
def cases(backend_url: str, clock: SteppedClock) -> Iterator[CaseStore]:
    """An empty case database (no lists) on each backend, with four-eyes on."""
    with CaseStore(Store(backend_url), rules=CaseRules(), clock=clock) as opened:
        yield opened
