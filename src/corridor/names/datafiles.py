"""The name tables shipped in ``corridor/names/data``: read once a process, by libyaml.

Every process that matches reads them before its first name; PyYAML's pure-Python parser
takes 14 ms for the five files, its C parser (``CSafeLoader``, safe like ``safe_load``)
under 2 ms. Where PyYAML was built without libyaml the Python one reads them alike.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(name: str) -> Any:
    """The parsed YAML file ``name`` of ``corridor/names/data``."""
    text = (resources.files("corridor.names") / "data" / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
