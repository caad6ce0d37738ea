"""The files users write (trades, policy, column mappings): read as UTF-8 text, and parsed as
safe YAML that leaves dates as text.

A file in another encoding is refused with its line and byte: read with letters replaced,
a party's name would be screened, and filed in its report, as someone else's.

PyYAML turns ``2024-08-16`` into a date itself and raises a bare ``ValueError`` for an
impossible one (``2024-13-45``), before the models could name the field. Read as text, a date
is checked by pydantic like every other value, and the error names its file, line and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from corridor.errors import InputError


class TextDatesLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without the timestamp resolver."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """Parse YAML text safely, dates left as text."""
    return yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 - a SafeLoader


def read(path: Path, what: str) -> str:
    """The text of a file users write: UTF-8, a byte-order mark skipped. ``what`` names the
    file in the message when it cannot be read (``trade file``)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{undecodable(exc)}; save the {what} as UTF-8", path=str(path)) from None


def undecodable(exc: UnicodeDecodeError, encoding: str = "UTF-8") -> str:
    """Where a text failed to decode: its line and byte, counted in what the decoder saw
    (after any byte-order mark)."""
    seen = exc.object
    line = bytes(seen[: exc.start]).count(b"\n") + 1
    return f"line {line} is not {encoding} text (byte 0x{seen[exc.start]:02x})"
