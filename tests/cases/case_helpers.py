"""What the case tests share: the operator, a password, a clock the test moves."""

from __future__ import annotations

from datetime import datetime, timedelta

from corridor.cases.model import Operator

OPERATOR = Operator("local:tester")
PASSWORD = "correct horse battery"


class SteppedClock:
    """A clock the test moves forward: expiry and login windows without sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def import_dpl(store, lists_dir, release: str = "bis"):
    """Import one real release of the BIS Denied Persons List (``bis`` 2022 or
    ``bis_dpl_2023``) as a snapshot of us_bis_denied."""
    from corridor.sources.bis_dpl import parse_bis_dpl
    from corridor.store.fingerprint import sha256_file

    path = lists_dir / release / "dpl.txt"
    return store.import_list(
        parse_bis_dpl([path]), file_hash=sha256_file(path), source=str(path), force=True
    )
