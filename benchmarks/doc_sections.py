"""Replace one ``## `` section of docs/benchmarks.md, leaving every other section as it is.

Several benchmarks write to the same document, each to its own section, so a run of one
never clobbers another's figures. Each ends with ``publish_section``.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
TITLE = (
    "# Benchmarks\n\nMeasured figures; each section is written by the benchmark that measures it.\n"
)


def replace_section(heading: str, body: str, doc: Path = DOC) -> None:
    """Write ``## heading`` + body into ``doc``: in place if present, else appended."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else TITLE
    block = f"## {heading}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block + "\n", text, count=1).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + block
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def publish_section(heading: str, body: str, *, write: bool = True, doc: Path = DOC) -> None:
    """How every benchmark ends: print its section, then write it as the ``## heading``
    section of ``doc`` unless the run only prints (``write`` false, ``--no-doc``)."""
    print(body)
    if write:
        replace_section(heading, body, doc)


def machine() -> dict[str, str]:
    """What the figures were measured on: cores, CPU model, RAM, Python."""
    cpu = platform.processor() or platform.machine()
    ram_gb = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram_gb,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
    }


def machine_line() -> str:
    m = machine()
    return f"{m['nproc']} cores ({m['cpu']}), {m['ram']} RAM, Python {m['python']}, {m['os']}"


def git_commit() -> str:
    """The commit measured, marked ``+dirty`` if src/ has uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
