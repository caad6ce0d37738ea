"""Errors that name where the problem is, so a user can fix the input."""

from __future__ import annotations


class CorridorError(Exception):
    """Base class: messages are one line and say what and where."""


class SourceError(CorridorError):
    """A list file could not be parsed. Carries file, line/element and field."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        element: str | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.element = element
        self.field = field
        where = []
        if path:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if element:
            where.append(f"element {element}")
        if field:
            where.append(f"field {field}")
        prefix = ":".join(where[:2]) if where else ""
        rest = ", ".join(where[2:])
        loc = prefix + (f" ({rest})" if rest else "")
        super().__init__(f"{loc}: {message}" if loc else message)
        self.message = message


class StoreError(CorridorError):
    """The database could not be read or written."""


class InputError(CorridorError):
    """A trade, query or policy file is malformed; the message names the field."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        self.path = path
        self.field = field
        loc = ":".join(x for x in (path, field) if x)
        super().__init__(f"{loc}: {message}" if loc else message)
        self.message = message


class CaseError(CorridorError):
    """An alert, decision, suppression or user action cannot be done as asked."""


class NotFoundError(CaseError):
    """No alert, decision, suppression, user or key with that id or name."""


class PermissionDeniedError(CaseError):
    """The acting user's role (or the four-eyes rule) does not allow the action."""


class LoginError(CaseError):
    """A login failed: unknown user, wrong password or a disabled account (one message for
    all three, so the reply does not tell which user names exist)."""


class LoginThrottledError(LoginError):
    """Too many failed logins lately for this user name or address; ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AuditError(CorridorError):
    """The audit log cannot be written, or a check of its chain was asked wrongly."""
