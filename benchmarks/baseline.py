"""The engine of an earlier commit, to measure beside today's (``--baseline REV``)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What building the compiled modules reads besides ``src/`` (those the commit has).
BUILD_FILES = ("setup.py", "pyproject.toml", "README.md")


def checkout_src(rev: str, parent: Path) -> Path:
    """``src/`` of commit ``rev`` in ``parent/baseline`` (emptied first; nothing else in
    ``parent`` is touched), its compiled modules built as ``make compiled`` builds them
    when the commit has a ``setup.py`` and its other modules byte-compiled: an earlier
    engine run uncompiled would be measured slower than it was."""
    into = parent / "baseline"
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, *BUILD_FILES],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", *files], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    if "setup.py" in files:
        subprocess.run(
            [sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=into, check=True
        )
    subprocess.run([sys.executable, "-m", "compileall", "-q", "src"], cwd=into, check=True)
    return into / "src"


def run_program(program: str, args: list[str], src: Path | None) -> dict:
    """Run ``program`` (Python source) in a fresh process on the working tree's engine, or
    on the engine in ``src`` (:func:`checkout_src`), and return the JSON its last line
    prints; a failure stops the benchmark with the end of its error output."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    done = subprocess.run(
        [sys.executable, "-c", program, *args], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"{src or 'the working tree'} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def engine_options(ap: argparse.ArgumentParser, limit: int) -> None:
    """The options of a benchmark that runs the working tree's engine beside an earlier
    commit's on the first batch rows (``ab_matching.py``, ``instructions_matching.py``)."""
    ap.add_argument("--db", required=True, help="database holding OFAC SDN + UN")
    ap.add_argument("--baseline", required=True, help="the earlier commit to run beside")
    ap.add_argument("--limit", type=int, default=limit, help="batch rows matched per run")
    ap.add_argument("--no-doc", action="store_true", help="do not touch docs/benchmarks.md")
