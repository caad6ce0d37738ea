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
