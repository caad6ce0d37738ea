"""A list update under load: requests keep being answered from the old index while the new
one is built, then every answer comes from the new one; none fails, none is mixed."""

from __future__ import annotations

import threading
import time

import httpx
from api_helpers import API_KEY, make_db, start_server

#: On OFAC's SDN list only: found iff the index holds the OFAC list.
OFAC_ONLY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ali Akbar Ahmadian"]}}}}


def test_update_swaps_the_index_without_a_failed_or_mixed_request(tmp_path, lists_dir) -> None:
    db = make_db(tmp_path / "swap.db", lists_dir, ["un_sc_sanctions"])
    server = start_server(
        db,
        tmp_path / "server.log",
        workers=2,
        # one release of one list: the update is one swap (a folder of several releases of
        # the SDN list would activate each in turn)
        CORRIDOR_API_UPDATE_FROM=str(lists_dir / "ofac"),
        CORRIDOR_API_RELOAD_SECONDS="0.5",
    )
    seen: list[tuple[float, int, str | None, bool]] = []
    errors: list[str] = []
    stop = threading.Event()

    def load() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            while not stop.is_set():
                try:
                    r = http.post("/match/default", json=OFAC_ONLY)
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))
                    continue
                body = r.json() if r.status_code == 200 else {}
                results = body.get("responses", {}).get("q", {}).get("results", [])
                ofac = any("us_ofac_sdn" in x["datasets"] for x in results)
                seen.append(
                    (time.monotonic(), r.status_code, r.headers.get("X-Corridor-Index"), ofac)
                )

    try:
        with httpx.Client(base_url=server.url, timeout=120) as http:
            old = http.get("/readyz").headers["X-Corridor-Index"]
            threads = [threading.Thread(target=load) for _ in range(4)]
            for t in threads:
                t.start()
            time.sleep(1.0)
            started = time.monotonic()
            r = http.post(
                "/lists/update",
                json={"datasets": ["us_ofac_sdn"]},
                headers={"Authorization": f"ApiKey {API_KEY}"},
            )
            finished = time.monotonic()
            assert r.status_code == 200, r.text
            assert r.json()["updates"][0]["status"] == "imported"
            new = r.json()["index"]
            assert new and new != old
            # both workers come to serve the new index (the other one by its reload): probe on
            # fresh connections, which the workers take in turn
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not all(
                httpx.get(f"{server.url}/readyz").headers["X-Corridor-Index"] == new
                for _ in range(20)
            ):
                time.sleep(0.2)
            time.sleep(0.5)
            stop.set()
            for t in threads:
                t.join()
    finally:
        stop.set()
        server.stop()

    assert not errors, errors[:5]
    assert seen and all(status == 200 for _, status, _, _ in seen), {s for _, s, _, _ in seen}
    versions = {v for _, _, v, _ in seen}
    assert versions == {old, new}, versions
    # never mixed: an answer from the old index has no OFAC entity, one from the new has it
    assert all(ofac == (v == new) for _, _, v, ofac in seen)
    during = [v for when, _, v, _ in seen if started <= when <= finished]
    assert old in during, "no request was answered from the old index during the update"
    assert seen[-1][2] == new
