"""Safe YAML that leaves dates as text, for the files users write (trades, policy).

PyYAML turns ``2024-08-16`` into a date itself and raises a bare ``ValueError`` for an
impossible one (``2024-13-45``), before the models could name the field. Read as text, a date
is checked by pydantic like every other value, and the error names its file, line and field.
"""

from __future__ import annotations

from typing import Any

import yaml


class TextDatesLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without the timestamp resolver."""


TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """Parse YAML text safely, dates left as text."""
    return yaml.load(text, Loader=TextDatesLoader)  # noqa: S506 - a SafeLoader
