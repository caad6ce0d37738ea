"""The compiled matching modules: built, current, and the same as their Python source.

``make`` compiles the modules ``setup.py`` lists (Cython, from their plain Python source).
These tests check that the compiled build is what runs, that it was built from the source
as it is now, and that it gives exactly what the source gives when run as Python, on the
comparisons the matcher makes for the dev set's queries against the real lists.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
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


def test_no_binary_of_a_module_no_longer_compiled() -> None:
    """A module dropped from ``COMPILED`` keeps its old binary beside its source, and
    Python imports the binary first: a stale build of it would run unseen."""
    listed = set(compiled_modules())
    binaries = [
        ".".join(path.relative_to(ROOT / "src").with_suffix("").with_suffix("").parts)
        for path in (ROOT / "src").rglob("*.so")
    ]
    stray = sorted(name for name in binaries if name not in listed)
    assert not stray, f"binaries of modules setup.py no longer compiles: {stray} (delete them)"


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
    # Without the compiled tables of part similarities the matcher passes: the source works
    # out every similarity itself.
    differ = [
        (args, result, again)
        for args, kwargs, result in calls
        if (again := python.align_names(*args, **without_rows(kwargs))) != result
    ]
    assert not differ, f"{len(differ)} of {len(calls)} alignments differ, first: {differ[0]}"


def without_rows(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k != "rows"}


#: A process whose compiled modules are imported from their Python source: a finder ahead
#: of the standard ones hands out the ``.py`` file for each of them. It prints, per dev
#: query, the matcher's explained results as :func:`explained` makes them.
AS_PYTHON_MATCHER = """
import importlib.util, sys
from pathlib import Path
root, lists, dev, names = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:]

class SourceFirst:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in names:
            return None
        source = root / "src" / (name.replace(".", "/") + ".py")
        return importlib.util.spec_from_file_location(name, source)

sys.meta_path.insert(0, SourceFirst)
sys.path.insert(0, str(root / "tests" / "matching"))
from matching_fixtures import real_matcher
from test_compiled import explained
for name in names:
    assert sys.modules[name].__file__.endswith(".py"), name
print("\\n".join(explained(real_matcher(lists), dev)))
"""


def explained(matcher, queries: Path) -> list[str]:
    """Each query's explained results as a line of JSON (in this process and in the one
    above)."""
    return [
        json.dumps([dataclasses.asdict(r) for r in matcher.match(json.loads(line))])
        for line in queries.open(encoding="utf-8")
    ]


@pytest.mark.skipif(PURE, reason="built without compiling (CORRIDOR_PURE_PYTHON=1)")
def test_compiled_matcher_equals_its_python_source(lists_dir: Path, shared_dir: Path) -> None:
    """Every dev query's results and their explanations (scores, aligned parts, features),
    from the compiled modules and from their source run as Python in another process: the
    same text, so the same numbers to the last bit."""
    queries = shared_dir / "eval" / "dev" / "queries.jsonl"
    compiled = explained(real_matcher(lists_dir), queries)
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(AS_PYTHON_MATCHER)]
        + [str(ROOT), str(lists_dir), str(queries), *compiled_modules()],
        capture_output=True,
        text=True,
        check=True,
    )
    python = run.stdout.splitlines()
    assert len(python) == len(compiled) > 1_000
    differ = [i for i, (a, b) in enumerate(zip(compiled, python, strict=True)) if a != b]
    first = differ[0] + 1 if differ else 0
    assert not differ, f"{len(differ)} of {len(compiled)} queries differ, first: line {first}"
    assert sum(line != "[]" for line in python) > 1_000  # most queries found something
