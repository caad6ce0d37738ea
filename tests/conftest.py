"""Shared fixtures: paths to the real official files in ``../shared``, and databases.

The store, case and audit tests run on SQLite and on a throw-away PostgreSQL cluster, so
the promise of one portable SQL is checked, not assumed. ``make test`` installs Debian's
``postgresql`` package when its server binaries are missing (``make postgres``). Without
them the PostgreSQL tests *fail*; they are skipped only when told to, with
``CORRIDOR_TEST_POSTGRES=skip``, never silently.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")).resolve()
LISTS = SHARED / "data" / "lists"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: ``CORRIDOR_TEST_POSTGRES=skip``: the one way to leave the PostgreSQL tests out.
POSTGRES_OPT_OUT = "CORRIDOR_TEST_POSTGRES"
#: The two backends every database test runs on.
BACKENDS = ("sqlite", "postgresql")

_counter = itertools.count()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    return LISTS


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'corridor.db'}"


def postgres_binaries() -> tuple[str, str] | None:
    """``initdb`` and ``pg_ctl``: on the PATH, else Debian's newest under /usr/lib/postgresql."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    for initdb_path in reversed(found):
        pg_ctl_path = initdb_path.with_name("pg_ctl")
        if pg_ctl_path.exists():
            return str(initdb_path), str(pg_ctl_path)
    return None


def _postgres_unavailable(reason: str) -> None:
    """Skip when told to; otherwise fail, saying how to install or opt out."""
    if os.environ.get(POSTGRES_OPT_OUT, "").lower() == "skip":
        pytest.skip(f"{reason} ({POSTGRES_OPT_OUT}=skip)")
    pytest.fail(
        f"{reason}: run `make postgres` (installs Debian's postgresql package) or set "
        f"{POSTGRES_OPT_OUT}=skip to leave the PostgreSQL tests out",
        pytrace=False,
    )


def _as_postgres_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; drop to the ``postgres`` account when needed."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_base() -> Iterator[str]:
    """A PostgreSQL cluster on a Unix socket in a temporary directory; yields a URL template
    with ``{db}`` for the database name."""
    if os.environ.get(POSTGRES_OPT_OUT, "").lower() == "skip":
        pytest.skip(f"PostgreSQL tests left out ({POSTGRES_OPT_OUT}=skip)")
    binaries = postgres_binaries()
    if binaries is None:
        _postgres_unavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    assert binaries is not None
    initdb, pg_ctl = binaries
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _postgres_unavailable("psycopg is not installed (pip install 'corridor[postgres]')")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        _postgres_unavailable("running as root without runuser to start PostgreSQL as postgres")
    # Not under pytest's tmp dir: that is private to the test user, and the server runs as
    # ``postgres`` when the tests run as root.
    root = Path(tempfile.mkdtemp(prefix="corridor-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    data = root / "data"
    _run_postgres(
        [initdb, "-D", str(data), "-A", "trust", "-U", "corridor", "--no-sync", "-E", "UTF8"],
        "initdb",
    )
    options = f"-k {root} -c listen_addresses='' -c fsync=off"
    _run_postgres(
        [pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
        "pg_ctl start",
        log=root / "log",
    )
    try:
        yield f"postgresql+psycopg://corridor@/{{db}}?host={root}"
    finally:
        subprocess.run(
            _as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _run_postgres(command: list[str], what: str, log: Path | None = None) -> None:
    done = subprocess.run(_as_postgres_user(command), capture_output=True, text=True)
    if done.returncode != 0:
        server_log = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        pytest.fail(f"{what} failed: {done.stderr.strip()} {server_log}", pytrace=False)


def fresh_postgres_db(base: str) -> str:
    """A new, empty database on the session's cluster; returns its URL."""
    from sqlalchemy import create_engine, text

    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(base.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.format(db=name)


@pytest.fixture(params=BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database for one test, on each backend (SQLite and PostgreSQL); a
    PostgreSQL one is dropped afterwards, so the cluster stays small."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corridor.db'}"
        return
    base = request.getfixturevalue("postgres_base")
    url = fresh_postgres_db(base)
    yield url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(base.format(db="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
    admin.dispose()


class SilentServer:
    """A TCP server that accepts connections and never answers: a hung database server, or
    a port where something else listens. It counts the connections it was offered."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture()
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()
