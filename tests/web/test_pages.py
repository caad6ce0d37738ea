"""Every workbench page through the app in-process: the right role gets it, others are sent
to log in (303) or refused (403); forms without their token are refused; bad input gets a
4xx page with a clear sentence."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from web_helpers import LISTED, PASSWORD, csrf_of, log_in

from corridor.web.labels import LABELS

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "corridor" / "web" / "templates"

#: page -> the least role that may see it
PAGES = {
    "/ui/dashboard": "analyst",
    "/ui/search?q=korea+mining": "analyst",
    "/ui/screen": "analyst",
    "/ui/alerts": "analyst",
    "/ui/suppressions": "analyst",
    "/ui/hs?q=8542": "analyst",
    "/ui/audit": "approver",
    "/ui/audit/export?format=csv": "approver",
    "/ui/admin/users": "admin",
}
ROLE_USER = {"analyst": "ana", "approver": "pia", "admin": "adam"}
ORDER = ("analyst", "approver", "admin")


def screen_listed(client, token: str, reference: str) -> str:
    """Screen a trade with a UN-listed importer; the verdict page's HTML."""
    r = client.post(
        "/ui/screen",
        data={
            "csrf_token": token,
            "reference": reference,
            "date": "2024-08-16",
            "currency": "USD",
            "p0_role": "exporter",
            "p0_name": "Step Trade Solutions TOO",
            "p0_country": "kz",
            "p1_role": "importer",
            "p1_name": LISTED,
            "p1_country": "kp",
            # a distinct subject per test, so each gets its own alert
            "p1_ids": f"registrationNumber={reference}",
            "g0_hs": "854231",
            "g0_origin": "us",
            "r0_country": "kz",
            "r1_country": "kp",
        },
    )
    assert r.status_code == 200, r.text
    return r.text


def alert_of(client, reference: str) -> int:
    r = client.get("/ui/alerts", params={"status": "all", "text": "Korea Mining"})
    rows = re.findall(
        r'/ui/alerts/(\d+)" class="alert-link">.*?<span class="ref">([^<]*)<', r.text, re.S
    )
    ids = [int(i) for i, ref in rows if ref == reference]
    assert ids, f"no alert for {reference}: {r.text[:500]}"
    return ids[0]


@pytest.mark.parametrize("path", list(PAGES))
def test_pages_need_a_login(app_client, path: str) -> None:
    r = app_client().get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/ui/login?next=")


@pytest.mark.parametrize("path,least", list(PAGES.items()))
def test_pages_by_role(app_client, path: str, least: str) -> None:
    for role in ORDER:
        client = app_client()
        log_in(client, ROLE_USER[role])
        r = client.get(path, follow_redirects=False)
        if ORDER.index(role) >= ORDER.index(least):
            assert r.status_code == 200, (role, path, r.text[:300])
        else:
            assert r.status_code == 403, (role, path)
            assert f"needs the {least} role" in r.text


def test_login_page_and_wrong_password(app_client) -> None:
    client = app_client()
    page = client.get("/ui/login")
    assert page.status_code == 200 and 'name="password"' in page.text
    r = client.post(
        "/ui/login",
        data={"username": "ana", "password": "wrong", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 401 and "Login failed" in r.text
    assert "corridor_session" not in client.cookies


def test_login_without_its_token_is_refused(app_client) -> None:
    client = app_client()
    client.get("/ui/login")
    r = client.post("/ui/login", data={"username": "ana", "password": PASSWORD})
    assert r.status_code == 403 and "security token" in r.text


def test_login_goes_back_where_it_was_asked_and_nowhere_else(app_client) -> None:
    client = app_client()
    token = csrf_of(client.get("/ui/login").text)
    r = client.post(
        "/ui/login",
        data={"username": "ana", "password": PASSWORD, "csrf_token": token, "next": "/ui/alerts"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/ui/alerts"
    other = app_client()
    token = csrf_of(other.get("/ui/login").text)
    r = other.post(
        "/ui/login",
        data={
            "username": "ana",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/ui/"


def test_logout_ends_the_session(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    assert client.post("/ui/logout", data={"csrf_token": token}).status_code == 200
    assert client.get("/ui/dashboard", follow_redirects=False).status_code == 303


def test_every_post_without_the_token_is_refused(app_client) -> None:
    client = app_client()
    log_in(client, "adam")
    for path in (
        "/ui/screen",
        "/ui/screen/export",
        "/ui/alerts/1/decide",
        "/ui/alerts/1/approve",
        "/ui/alerts/1/reject",
        "/ui/alerts/1/assign",
        "/ui/suppressions/1/revoke",
        "/ui/suppressions/1/expiry",
        "/ui/admin/users",
        "/ui/admin/users/ana/disable",
        "/ui/logout",
    ):
        r = client.post(path, data={"reason": "x", "kind": "escalate"})
        assert r.status_code == 403, path
        assert "security token" in r.text, path
        r = client.post(path, data={"csrf_token": "forged", "reason": "x"})
        assert r.status_code == 403, path


def test_search_explains_each_score(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    r = client.get("/ui/search", params={"q": "Корея майнинг девелопмент трейдинг корпорейшн"})
    assert r.status_code == 200
    r = client.get("/ui/search", params={"q": LISTED})
    assert "KOREA MINING DEVELOPMENT TRADING CORPORATION" in r.text.upper()
    assert "Your part" in r.text and "Listed part" in r.text
    assert re.search(r"<td>korea</td><td>korea</td>", r.text, re.I)


def test_search_refuses_bad_input_with_a_sentence(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    r = client.get("/ui/search", params={"q": "x", "schema": "Spaceship"})
    assert r.status_code == 400 and "Unknown kind" in r.text
    r = client.get("/ui/search", params={"q": "x", "scope": "nowhere"})
    assert r.status_code == 400 and "Unknown list scope" in r.text
    r = client.get("/ui/search", params={"q": "y" * 400})
    assert r.status_code == 400 and "longer than" in r.text


def test_entity_page_shows_records_and_history(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    found = client.get("/ui/search", params={"q": "Aaron Abraham Villa"}).text
    entity = re.findall(r'/ui/entities/([^"]+)"', found)[0]
    r = client.get(f"/ui/entities/{entity}")
    assert r.status_code == 200
    page = r.text
    for text in (
        "us_bis_denied",
        "Denied Persons List",
        "3415 RIVERA AVENUE",
        "2022-08-24",
        "History across snapshots",
        "2023-11-28",
        "added",
    ):
        assert text in page, text
    assert client.get("/ui/entities/no-such-entity").status_code == 404


def test_entity_page_links_the_official_list(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    found = client.get("/ui/search", params={"q": LISTED}).text
    entity = re.findall(r'/ui/entities/([^"]+)"', found)[0]
    page = client.get(f"/ui/entities/{entity}").text
    assert "un_sc_sanctions" in page and "Official" in page and "https://" in page


def test_hs_lookup_by_code_and_by_words(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    by_code = client.get("/ui/hs", params={"q": "8542.31"}).text
    assert "<code>854231</code>" in by_code
    by_words = client.get("/ui/hs", params={"q": "integrated circuits processors"}).text
    assert "<code>854231</code>" in by_words


def test_screening_form_records_alerts(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    page = screen_listed(client, token, "T-FORM-1")
    assert 'id="verdict">PROHIBITED' in page
    assert "Parties and regimes" in page and "Findings" in page
    assert "UNSCR" in page or "Resolution" in page  # findings cite the resolution
    assert alert_of(client, "T-FORM-1")


def test_screening_bad_input_shows_the_form_again(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    r = client.post("/ui/screen", data={"csrf_token": token, "p0_name": "X", "p0_country": "zz"})
    assert r.status_code == 400 and 'id="error"' in r.text and "zz" in r.text
    r = client.post("/ui/screen", data={"csrf_token": token})
    assert r.status_code == 400 and "at least one party" in r.text
    r = client.post("/ui/screen", data={"csrf_token": token, "trade_text": "parties: [oops"})
    assert r.status_code == 400 and 'id="error"' in r.text
    r = client.post("/ui/screen", data={"csrf_token": token, "p0_name": "X", "g0_hs": "99999999"})
    assert r.status_code == 400 and "HS" in r.text


def test_screening_rows_added_on_the_page_are_read_and_kept(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    # a party in the eighth row and a goods line in the sixth: rows the page adds on demand
    form = {"csrf_token": token, "p0_name": "Step Trade Solutions TOO", "p0_country": "kz"}
    form |= {"p7_name": "Aral Logistics TOO", "p7_role": "carrier", "p7_country": "kz"}
    r = client.post("/ui/screen", data=form | {"g5_hs": "1001.99", "g5_origin": "kz"})
    assert r.status_code == 200 and "Aral Logistics TOO" in r.text
    # after an error the form comes back with every row that was filled in
    r = client.post("/ui/screen", data=form | {"g5_hs": "99999999"})
    assert r.status_code == 400
    assert 'name="p7_name" id="p7_name" value="Aral Logistics TOO"' in r.text
    assert 'id="g5_hs" size="10" value="99999999"' in r.text
    assert 'name="p8_name"' not in r.text


def test_screening_a_pasted_trade(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    text = (
        Path(__file__).resolve().parents[2] / "examples" / "03-kz-reseller-usd.yaml"
    ).read_text()
    r = client.post("/ui/screen", data={"csrf_token": token, "trade_text": text})
    assert r.status_code == 200 and 'id="verdict">' in r.text


def test_export_html_and_pdf(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    page = screen_listed(client, token, "T-EXPORT")
    trade = re.search(r'name="trade" value="([^"]+)"', page).group(1)
    import html

    trade = html.unescape(trade)
    r = client.post(
        "/ui/screen/export", data={"csrf_token": token, "trade": trade, "format": "html"}
    )
    assert r.status_code == 200 and "Trade screening report" in r.text
    assert "attachment" in r.headers["content-disposition"]
    r = client.post(
        "/ui/screen/export", data={"csrf_token": token, "trade": trade, "format": "pdf"}
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 5000
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "PROHIBITED" in text and "Trade screening report" in text
    r = client.post("/ui/screen/export", data={"csrf_token": token, "trade": "{", "format": "pdf"})
    assert r.status_code == 400 and "not valid" in r.text
    r = client.post(
        "/ui/screen/export", data={"csrf_token": token, "trade": trade, "format": "doc"}
    )
    assert r.status_code == 400


def test_decision_four_eyes_and_audit(app_client) -> None:
    analyst, approver, other = app_client(), app_client(), app_client()
    token = log_in(analyst, "ana")
    screen_listed(analyst, token, "T-4EYES")
    alert = alert_of(analyst, "T-4EYES")
    # a reason is required
    r = analyst.post(f"/ui/alerts/{alert}/decide", data={"csrf_token": token, "kind": "true_match"})
    assert r.status_code == 400 and "needs a reason" in r.text
    r = analyst.post(
        f"/ui/alerts/{alert}/decide",
        data={"csrf_token": token, "kind": "true_match", "reason": "same name, same country"},
    )
    assert r.status_code == 200 and 'id="alert-status">pending' in r.text
    # an analyst cannot approve, not even another's decision
    other_token = log_in(other, "bob")
    r = other.post(f"/ui/alerts/{alert}/approve", data={"csrf_token": other_token})
    assert r.status_code == 403
    r = analyst.post(f"/ui/alerts/{alert}/approve", data={"csrf_token": token})
    assert r.status_code == 403
    approver_token = log_in(approver, "pia")
    r = approver.post(
        f"/ui/alerts/{alert}/approve", data={"csrf_token": approver_token, "reason": "agreed"}
    )
    assert r.status_code == 200 and 'id="alert-status">true_match' in r.text
    audit = approver.get("/ui/audit", params={"action": "decision.*"}).text
    assert "decision.approved" in audit and "pia" in audit and "The audit chain is intact" in audit


def test_nobody_approves_their_own_decision(app_client) -> None:
    approver = app_client()
    token = log_in(approver, "pia")
    screen_listed(approver, token, "T-OWN")
    alert = alert_of(approver, "T-OWN")
    approver.post(
        f"/ui/alerts/{alert}/decide",
        data={"csrf_token": token, "kind": "true_match", "reason": "listed"},
    )
    r = approver.post(f"/ui/alerts/{alert}/approve", data={"csrf_token": token})
    assert r.status_code == 403 and "a second user" in r.text


def test_queue_filters_sorts_and_refuses_bad_filters(app_client) -> None:
    client = app_client()
    token = log_in(client, "ana")
    screen_listed(client, token, "T-QUEUE")
    r = client.get("/ui/alerts", params={"min_score": "0.5", "sort": "score", "status": "open"})
    assert r.status_code == 200 and "Korea Mining" in r.text
    r = client.get("/ui/alerts", params={"min_score": "1", "status": "open", "text": "zzzz"})
    assert "No alert matches" in r.text
    assert client.get("/ui/alerts", params={"status": "bogus"}).status_code == 400
    assert client.get("/ui/alerts", params={"min_score": "high"}).status_code == 400
    assert client.get("/ui/alerts", params={"sort": "nope"}).status_code == 400
    assert client.get("/ui/alerts/999999").status_code == 404


def test_false_positive_suppresses_and_an_approver_revokes(app_client) -> None:
    analyst, approver = app_client(), app_client()
    token = log_in(analyst, "ana")
    screen_listed(analyst, token, "T-SUPPRESS")
    alert = alert_of(analyst, "T-SUPPRESS")
    analyst.post(
        f"/ui/alerts/{alert}/decide",
        data={"csrf_token": token, "kind": "false_positive", "reason": "another company"},
    )
    approver_token = log_in(approver, "pia")
    approver.post(f"/ui/alerts/{alert}/approve", data={"csrf_token": approver_token})
    page = analyst.get("/ui/suppressions").text
    ids = re.findall(r"<tr><td>(\d+)</td><td>Korea Mining", page, re.I)
    assert ids, page[:2000]
    # analysts see suppressions but cannot revoke them
    r = analyst.post(f"/ui/suppressions/{ids[0]}/revoke", data={"csrf_token": token, "reason": "x"})
    assert r.status_code == 403
    r = approver.post(
        f"/ui/suppressions/{ids[0]}/expiry",
        data={"csrf_token": approver_token, "expires_at": "2099-01-01"},
    )
    assert r.status_code == 200
    r = approver.post(
        f"/ui/suppressions/{ids[0]}/revoke",
        data={"csrf_token": approver_token, "reason": "customer relationship reviewed"},
    )
    assert r.status_code == 200
    assert f"<tr><td>{ids[0]}</td>" in approver.get("/ui/suppressions?state=revoked").text
    audit = approver.get("/ui/audit", params={"action": "suppression.*"}).text
    assert "suppression.revoked" in audit


def test_audit_exports_csv_and_json(app_client) -> None:
    client = app_client()
    log_in(client, "pia")
    r = client.get("/ui/audit/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows and {"seq", "at", "actor", "action", "list_versions", "hash"} <= set(rows[0])
    r = client.get("/ui/audit/export", params={"format": "json"})
    records = json.loads(r.text)
    assert records[0]["seq"] == 1 and all("prev_hash" in rec for rec in records)
    assert [rec["seq"] for rec in records] == list(range(1, len(records) + 1))
    assert client.get("/ui/audit/export", params={"format": "xml"}).status_code == 400
    assert client.get("/ui/audit", params={"since": "yesterday"}).status_code == 400


def test_dashboard_draws_its_chart(app_client) -> None:
    client = app_client()
    log_in(client, "ana")
    page = client.get("/ui/dashboard").text
    assert "<svg" in page and "Alerts per day" in page
    assert "un_sc_sanctions" in page and "us_bis_denied" in page


def test_admin_adds_a_user_who_can_log_in(app_client) -> None:
    admin = app_client()
    token = log_in(admin, "adam")
    r = admin.post(
        "/ui/admin/users",
        data={"csrf_token": token, "username": "newbie", "password": PASSWORD, "role": "analyst"},
    )
    assert r.status_code == 200 and "newbie" in r.text
    r = admin.post(
        "/ui/admin/users",
        data={"csrf_token": token, "username": "x", "password": PASSWORD, "role": "wizard"},
    )
    assert r.status_code == 400
    log_in(app_client(), "newbie")


def test_static_files(app_client) -> None:
    client = app_client()
    assert client.get("/ui/static/style.css").status_code == 200
    js = client.get("/ui/static/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:2000]
    assert client.get("/ui/static/..%2Fpdf.py").status_code == 404


def test_every_label_a_template_uses_exists() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bL\.(\w+)", template.read_text()))
    missing = used - set(LABELS["en"])
    assert not missing, missing
