"""Downloads against a real HTTP server on loopback serving the real list files.

The last tests run ``corridor lists update`` itself against the same server as a mirror.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.model import ParsedList
from corridor.sources import registry
from corridor.sources.base import DatasetSpec
from corridor.sources.download import (
    SIDECAR,
    DownloadError,
    download_dataset,
    load_sidecar,
    resolve_url,
)
from corridor.sources.update import download_files
from corridor.store import Store


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (the size cap does) are expected, not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


UN_FILE = "un/UN_consolidated.xml"
OFFICIAL = "https://scsanctions.un.org/resources/xml/en/consolidated.xml"


class ListHandler(SimpleHTTPRequestHandler):
    """Stdlib file server (Last-Modified / If-Modified-Since) plus ETags and fault injection.

    ``/flaky/<n>/...`` answers 500 to the first ``n`` requests for that path;
    ``/etag/...`` uses an ETag and ignores If-Modified-Since, as some publishers do.
    """

    failures: dict[str, int] = {}
    requests: list[tuple[str, int]] = []
    lock = threading.Lock()

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send_response(self, code: int, message: str | None = None) -> None:
        with self.lock:
            self.requests.append((self.path, code))
        super().send_response(code, message)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path.startswith("/flaky/"):
            _, _, count, rest = self.path.split("/", 3)
            with self.lock:
                seen = self.failures.get(self.path, 0)
                self.failures[self.path] = seen + 1
            if seen < int(count):
                self.send_error(500, "try again")
                return
            self.path = "/" + rest
        if self.path.startswith("/etag/"):
            self.path = self.path[len("/etag") :]
            local = Path(self.translate_path(self.path))
            tag = '"' + hashlib.sha256(local.read_bytes()).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.send_header("ETag", tag)
                self.end_headers()
                return
            body = local.read_bytes()
            self.send_response(200)
            self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture()
def server(lists_dir: Path) -> Iterator[str]:
    ListHandler.failures = {}
    ListHandler.requests = []
    handler = partial(ListHandler, directory=str(lists_dir))
    httpd = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def spec() -> DatasetSpec:
    def never(paths: object) -> ParsedList:
        raise AssertionError("not parsed here")

    return DatasetSpec(
        name="un_sc_sanctions",
        title="UN",
        publisher="UN",
        files={UN_FILE: OFFICIAL},
        parse=never,
        required=(UN_FILE,),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mirror_replaces_official_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url(UN_FILE, OFFICIAL, mirror="") == OFFICIAL
    monkeypatch.setenv("CORRIDOR_MIRROR", "http://mirror.example/lists/")
    assert resolve_url(UN_FILE, OFFICIAL) == "http://mirror.example/lists/un/UN_consolidated.xml"


@pytest.mark.parametrize("prefix", ["", "/etag"])
def test_first_fetch_downloads_second_gets_304(
    server: str, lists_dir: Path, tmp_path: Path, prefix: str
) -> None:
    mirror = server + prefix
    [first] = download_dataset(spec(), tmp_path, mirror=mirror)
    assert first.status == "downloaded"
    assert first.path == tmp_path / UN_FILE
    assert first.sha256 == sha256(lists_dir / UN_FILE) == sha256(first.path)
    remembered = load_sidecar(tmp_path)[UN_FILE]
    assert remembered.sha256 == first.sha256
    assert remembered.etag if prefix else remembered.last_modified

    [second] = download_dataset(spec(), tmp_path, mirror=mirror)
    assert second.status == "not-modified" and second.sha256 == first.sha256
    assert [code for _, code in ListHandler.requests] == [200, 304]
    assert not list(tmp_path.rglob("*.part"))


def test_retries_after_server_error(server: str, lists_dir: Path, tmp_path: Path) -> None:
    [result] = download_dataset(spec(), tmp_path, mirror=server + "/flaky/2", backoff=0.01)
    assert result.status == "downloaded"
    assert sha256(result.path) == sha256(lists_dir / UN_FILE)
    assert [code for _, code in ListHandler.requests] == [500, 500, 200]


def test_gives_up_after_retries_and_keeps_old_file(server: str, tmp_path: Path) -> None:
    download_dataset(spec(), tmp_path, mirror=server)
    good = sha256(tmp_path / UN_FILE)
    (tmp_path / SIDECAR).unlink()  # force a full fetch against the failing server
    with pytest.raises(DownloadError, match="after 3 attempts.*HTTP 500"):
        download_dataset(spec(), tmp_path, mirror=server + "/flaky/9", retries=2, backoff=0.01)
    assert sha256(tmp_path / UN_FILE) == good


def test_oversize_response_refused_and_old_file_kept(server: str, tmp_path: Path) -> None:
    target = tmp_path / UN_FILE
    target.parent.mkdir(parents=True)
    target.write_text("<previous good copy/>")
    with pytest.raises(DownloadError, match="over the 100000-byte limit"):
        download_dataset(spec(), tmp_path, mirror=server, max_bytes=100_000)
    assert target.read_text() == "<previous good copy/>"
    assert not list(tmp_path.rglob("*.part"))
    assert not (tmp_path / SIDECAR).exists()


def test_oversize_without_content_length_stops_mid_stream(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that sends no Content-Length is cut off once the cap is passed."""
    original = ListHandler.send_header

    def no_length(self: ListHandler, key: str, value: str) -> None:
        if key.lower() != "content-length":
            original(self, key, value)

    monkeypatch.setattr(ListHandler, "send_header", no_length)
    monkeypatch.setattr(ListHandler, "protocol_version", "HTTP/1.0")
    with pytest.raises(DownloadError, match="exceeded the 100000-byte limit"):
        download_dataset(spec(), tmp_path, mirror=server, max_bytes=100_000)
    assert not (tmp_path / UN_FILE).exists()
    assert not list(tmp_path.rglob("*.part"))


def test_missing_file_is_a_clear_error(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 404 for un/UN_consolidated.xml"):
        download_dataset(spec(), tmp_path, mirror=server + "/nowhere")


def test_unpublished_optional_file_is_skipped(server: str, tmp_path: Path) -> None:
    """A format the mirror does not carry (sdn.xml here) is skipped, a required file is not."""
    files = {f"ofac/{n}": f"https://example.org/{n}" for n in ("sdn.xml", "sdn.csv")}
    ofac = DatasetSpec("us_ofac_sdn", "SDN", "OFAC", files, spec().parse, ("ofac/sdn.csv",))
    results = download_dataset(ofac, tmp_path, mirror=server)
    assert [(r.name, r.status) for r in results] == [("ofac/sdn.csv", "downloaded")]
    missing = DatasetSpec("us_ofac_sdn", "SDN", "OFAC", files, spec().parse, ("ofac/sdn.xml",))
    with pytest.raises(DownloadError, match="HTTP 404 for ofac/sdn.xml"):
        download_dataset(missing, tmp_path, mirror=server)


# -- the list update downloading from the same server as a mirror ------------------------

UN, SDN = "un_sc_sanctions", "us_ofac_sdn"


def test_download_files_keeps_a_dataset_the_mirror_lacks_apart(
    server: str, lists_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_MIRROR", server)
    fetched, failed = download_files(["eu_fsf", UN], tmp_path)
    [un] = fetched
    assert un.dataset == UN and un.paths == (tmp_path / UN_FILE,)
    assert un.origin == f"{server}/{UN_FILE}"
    assert [(r.name, r.status) for r in un.fetched] == [(UN_FILE, "downloaded")]
    mtime = (lists_dir / UN_FILE).stat().st_mtime
    assert un.published == datetime.fromtimestamp(mtime, UTC).date().isoformat()
    [eu] = failed
    assert eu.dataset == "eu_fsf" and eu.failed and eu.snapshot is None
    assert "HTTP 404 for eu/xmlFullSanctionsList_1_1.xml" in eu.error


def corridor(*args: str, db: str) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["lists", *args, "--db", db])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_update_downloads_from_mirror_then_reuses_cache(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORRIDOR_MIRROR", server)
    db, cache = str(tmp_path / "c.db"), str(tmp_path / "cache")
    code, out, err = corridor("update", "--dataset", UN, "--cache", cache, db=db)
    assert code == 0, err
    assert "un/UN_consolidated.xml: downloaded" in out and f"{UN}: imported" in out
    code, out, _ = corridor("update", "--dataset", UN, "--cache", cache, db=db)
    assert code == 0
    assert "un/UN_consolidated.xml: not-modified" in out and f"{UN}: unchanged" in out
    assert len(Store(db).snapshots(UN)) == 1


def test_update_all_continues_past_a_dataset_the_mirror_lacks(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lists_dir: Path
) -> None:
    monkeypatch.setenv("CORRIDOR_MIRROR", server)
    code, out, err = corridor("update", "--cache", str(tmp_path / "cache"), db=str(tmp_path / "c"))
    published = {
        name
        for name, spec in registry.DATASETS.items()
        if spec.files and all((lists_dir / rel).is_file() for rel in spec.required)
    }
    assert {UN, SDN} <= published
    for name in published:
        assert f"{name}: imported" in out
    lacking = {name for name, spec in registry.DATASETS.items() if spec.files} - published
    for name in lacking:
        assert f"error: {name}: " in err and "HTTP 404" in err
    assert code == (1 if lacking else 0)
    store = Store(str(tmp_path / "c"))
    assert {s.dataset for s in store.active_snapshots()} == published
    # OFAC's CSV files carry no date: the server's Last-Modified stands in for it.
    newest = max(p.stat().st_mtime for p in (lists_dir / "ofac").glob("*.csv"))
    expected = datetime.fromtimestamp(newest, UTC).date().isoformat()
    assert store.active_snapshot(SDN).list_date == expected
