"""Which properties each FollowTheMoney schema has, without loading the model every run.

The parsers route a property its schema lacks into ``notes`` and the FtM JSON reader moves
unknown properties aside, so both need the schemata's property names. Loading the
followthemoney model (71 YAML files) costs about half a second, longer than parsing the
UN list, so the names are read from the model once and kept in a small JSON file in the
cache directory (:func:`corridor.settings.library_cache_dir`). The file is named after a
fingerprint of the model's YAML files, so a different followthemoney version (or
``FTM_MODEL_PATH``) builds its own; a cache that cannot be read or written only costs
the model load. Full validation still uses the model: :func:`corridor.model.validate_ftm`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
from functools import cache
from pathlib import Path

from corridor.settings import library_cache_dir
from corridor.sources.atomic import write_text_atomic


def model_path() -> Path | None:
    """The directory of followthemoney's schema YAML files (``FTM_MODEL_PATH`` wins)."""
    env = os.environ.get("FTM_MODEL_PATH")
    if env:
        return Path(env)
    spec = importlib.util.find_spec("followthemoney")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "schema"


def model_fingerprint(path: Path) -> str:
    """A short hash of where the model is and its files' names, sizes and modification times."""
    digest = hashlib.sha256(os.path.realpath(path).encode())
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            stat = os.stat(os.path.join(root, name))
            digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _from_model() -> dict[str, list[str]]:
    from followthemoney import model

    return {name: sorted(schema.properties) for name, schema in model.schemata.items()}


@cache
def _table() -> dict[str, frozenset[str]]:
    path = model_path()
    cache_file = None
    if path is not None and path.is_dir():
        cache_file = library_cache_dir() / f"ftm-properties-{model_fingerprint(path)}.json"
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            return {name: frozenset(props) for name, props in data.items()}
    data = _from_model()
    if cache_file is not None:
        with contextlib.suppress(OSError):
            write_text_atomic(cache_file, json.dumps(data, sort_keys=True))
    return {name: frozenset(props) for name, props in data.items()}


def schema_properties(schema: str) -> frozenset[str] | None:
    """The property names of FtM schema ``schema`` (inherited ones included), or ``None``
    if followthemoney has no such schema."""
    return _table().get(schema)
