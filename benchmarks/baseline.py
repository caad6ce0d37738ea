"""The engine of an earlier commit, to measure beside today's (``--baseline REV``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What building the compiled modules reads besides ``src/`` (those the commit has).
BUILD_FILES = ("setup.py", "pyproject.toml", "README.md")
#: Compilers run side by side, as ``make compiled`` runs them.
CORES = str(os.cpu_count() or 1)


def checkout_src(rev: str, parent: Path) -> Path:
    """``src/`` of commit ``rev`` in ``parent/baseline`` (emptied first; nothing else in
    ``parent`` is touched), its compiled modules built as ``make compiled`` builds them
    when the commit has a ``setup.py``: an earlier engine run uncompiled would be measured
    slower than it was."""
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
            [sys.executable, "setup.py", "-q", "build_ext", "--inplace", "--parallel", CORES],
            cwd=into,
            check=True,
        )
    return into / "src"
