"""The compiled matching modules: built, current, and the same as their Python source.

``make`` compiles the modules ``setup.py`` lists (Cython, from their plain Python source).
These tests check that the compiled build is what runs, that it was built from the source
as it is now, and that it gives exactly what the source gives when run as Python, on the
comparisons the matcher makes for the dev set's queries against the real lists.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
from matching_fixtures import dev_set, real_matcher

from corridor.matching import matcher as matcher_module

ROOT = Path(__file__).resolve().parents[2]
PURE = os.environ.get("CORRIDOR_PURE_PYTHON") == "1"


def compiled_modules() -> list[str]:
    """``COMPILED`` of setup.py, read without running it."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "COMPILED" for t in targets):
                return ast.literal_eval(node.value)
    raise AssertionError("setup.py lists no COMPILED modules")


def source_of(name: str) -> Path:
    return ROOT / "src" / (name.replace(".", "/") + ".py")


def as_python(name: str) -> ModuleType:
    """The module's source run as plain Python, under another name."""
    spec = importlib.util.spec_from_file_location(name + "_as_python", source_of(name))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(PURE, reason="built without compiling (CORRIDOR_PURE_PYTHON=1)")
@pytest.mark.parametrize("name", compiled_modules())
def test_module_runs_compiled_from_its_current_source(name: str) -> None:
    module = importlib.import_module(name)
    binary = Path(module.__file__ or "")
    assert binary.suffix == ".so", f"{name} runs as {binary.name}: run `make compiled`"
    assert binary.stat().st_mtime >= source_of(name).stat().st_mtime, (
        f"{binary.name} is older than its source: run `make compiled`"
    )


def test_compiled_alignment_equals_its_python_source(
    lists_dir: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every name alignment the matcher makes for the dev set, made again by the source
    run as Python: the same scores, pairs and leftovers, to the last bit."""
    compiled = importlib.import_module("corridor.matching.compare.names")
    calls: list[tuple[tuple, dict, object]] = []

    def recording(*args, **kwargs):
        result = compiled.align_names(*args, **kwargs)
        calls.append((args, kwargs, result))
        return result

    monkeypatch.setattr(matcher_module, "align_names", recording)
    matcher = real_matcher(lists_dir)
    for query, _label in dev_set(shared_dir):
        matcher.match_protocol(query)
    assert len(calls) > 5_000
    python = as_python("corridor.matching.compare.names")
    differ = [
        (args, result, again)
        for args, kwargs, result in calls
        if (again := python.align_names(*args, **kwargs)) != result
    ]
    assert not differ, f"{len(differ)} of {len(calls)} alignments differ, first: {differ[0]}"
