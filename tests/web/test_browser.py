"""The workbench in a real browser: Debian's headless Chromium driven through its
chromedriver (Selenium is pointed at both, so nothing is downloaded), against ``corridor
serve`` in its own process over real lists.

``CORRIDOR_SCREENSHOTS=1`` (``make screenshots``) also saves the main pages at laptop width
under ``docs/screenshots/``.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import LISTED, PASSWORD

from server_helpers import Server

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTH, HEIGHT = 1366, 900

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.fail(
        "the browser tests need Debian's chromium and chromium-driver: run `make browser`",
        pytrace=False,
    )

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture()
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


@pytest.fixture()
def browser(downloads: Path) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        f"--window-size={WIDTH},{HEIGHT}",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
        },
    )
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: WebDriver, name: str) -> None:
    """Save the page at laptop width when screenshots are asked for."""
    if os.environ.get("CORRIDOR_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, max(HEIGHT, min(int(height) + 120, 2400)))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(WIDTH, HEIGHT)


def go(driver: WebDriver, server: Server, path: str) -> None:
    driver.get(server.url + path)


def log_in(driver: WebDriver, server: Server, username: str, screenshot: bool = False) -> None:
    go(driver, server, "/ui/login")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    if screenshot:
        shot(driver, "login")
    driver.find_element(By.ID, "login").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "whoami"))
    assert driver.find_element(By.ID, "whoami").text == username


def log_out(driver: WebDriver) -> None:
    driver.find_element(By.CSS_SELECTOR, "form.who button").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "username"))


def wait_for_text(driver: WebDriver, element_id: str, text: str) -> None:
    """Wait until the element reads ``text``; the page it was first found on may be replaced
    by the next one meanwhile (a stale element), which only means: look again."""
    WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.ID, element_id).text == text
    )


def fill(driver: WebDriver, element_id: str, text: str) -> None:
    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(text)


def screen_trade(driver: WebDriver, server: Server, reference: str) -> None:
    go(driver, server, "/ui/screen")
    fill(driver, "p0_name", "Step Trade Solutions TOO")
    fill(driver, "p0_country", "kz")
    fill(driver, "p1_name", LISTED)
    fill(driver, "p1_country", "kp")
    fill(driver, "p1_owners", "Caspian Holdings Ltd; cy; 60")
    driver.find_element(By.NAME, "p1_ids").send_keys(f"registrationNumber={reference}")
    driver.find_element(By.NAME, "reference").send_keys(reference)
    # the HS look-up answers as one types (htmx)
    driver.find_element(By.ID, "hs_q").send_keys("integrated circuits processors")
    WebDriverWait(driver, 20).until(lambda d: "854231" in d.find_element(By.ID, "hs-results").text)
    fill(driver, "g0_hs", "854231")
    fill(driver, "g0_origin", "us")
    fill(driver, "r0_country", "kz")
    fill(driver, "r1_country", "kp")
    # a sixth party, in a row the page adds
    driver.find_element(By.ID, "add-party-rows").click()
    fill(driver, "p5_name", "Aral Logistics TOO")
    fill(driver, "p5_country", "kz")
    driver.find_element(By.ID, "screen").click()
    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "verdict"))


def test_log_in_search_and_open_an_entity(browser: WebDriver, server: Server) -> None:
    log_in(browser, server, "ana", screenshot=True)
    go(browser, server, "/ui/search")
    fill(browser, "q", "Корея Майнинг Девелопмент Трейдинг")
    browser.find_element(By.ID, "search").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "li.result"))
    first = browser.find_element(By.CSS_SELECTOR, "li.result a.caption")
    assert "KOREA MINING" in first.text.upper()
    assert "Your part" in browser.page_source  # the explanation is shown
    shot(browser, "search")
    first.click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "entity-caption"))
    page = browser.page_source
    assert "un_sc_sanctions" in page and "History across snapshots" in page
    shot(browser, "entity")


def test_screen_a_trade_and_download_its_pdf(
    browser: WebDriver, server: Server, downloads: Path
) -> None:
    log_in(browser, server, "ana")
    screen_trade(browser, server, "B-PDF")
    assert browser.find_element(By.ID, "verdict").text == "PROHIBITED"
    table = browser.find_element(By.ID, "party-regimes").text.upper()
    assert "KOREA MINING" in table and "ARAL LOGISTICS TOO" in table
    shot(browser, "verdict")
    browser.find_element(By.ID, "export-pdf").click()
    deadline = time.monotonic() + 60
    pdfs: list[Path] = []
    while time.monotonic() < deadline and not pdfs:
        pdfs = [p for p in downloads.glob("*.pdf") if p.stat().st_size > 0]
        time.sleep(0.2)
    assert pdfs, "no PDF was downloaded"
    data = pdfs[0].read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "PROHIBITED" in text and "Korea Mining".upper() in text.upper()


def test_alert_decision_four_eyes_and_audit(browser: WebDriver, server: Server) -> None:
    log_in(browser, server, "ana")
    screen_trade(browser, server, "B-4EYES")
    go(browser, server, "/ui/alerts?status=open&sort=newest")
    shot(browser, "alerts")
    rows = browser.find_elements(By.CSS_SELECTOR, "#alerts tr")
    link = next(
        r.find_element(By.CSS_SELECTOR, "a.alert-link") for r in rows[1:] if "B-4EYES" in r.text
    )
    alert_id = link.text
    link.click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "decide-form"))
    browser.find_element(By.ID, "kind-true_match").click()
    browser.find_element(By.ID, "reason").send_keys("Same name and country as the UN entry.")
    browser.find_element(By.ID, "decide").click()
    wait_for_text(browser, "alert-status", "pending")
    shot(browser, "alert")
    assert not browser.find_elements(By.ID, "approve")  # an analyst gets no approve button
    log_out(browser)

    log_in(browser, server, "pia")
    go(browser, server, f"/ui/alerts/{alert_id}")
    browser.find_element(By.CSS_SELECTOR, "#approve-form input[name=reason]").send_keys("Agreed.")
    browser.find_element(By.ID, "approve").click()
    wait_for_text(browser, "alert-status", "true_match")
    go(browser, server, "/ui/audit")
    audit = browser.find_element(By.ID, "audit").text
    assert "decision.approved" in audit and "pia" in audit
    assert "intact" in browser.find_element(By.ID, "audit-check").text
    shot(browser, "audit")
    go(browser, server, "/ui/dashboard")
    assert browser.find_elements(By.CSS_SELECTOR, "#alerts-chart svg rect")
    shot(browser, "dashboard")


def test_csrf_and_roles_refuse_what_they_must(browser: WebDriver, server: Server) -> None:
    log_in(browser, server, "ana")
    # a form whose token was taken away is refused
    go(browser, server, "/ui/screen")
    fill(browser, "p0_name", "Anyone TOO")
    browser.execute_script("document.querySelector('form.trade input[name=csrf_token]').remove()")
    browser.find_element(By.ID, "screen").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "error"))
    assert "security token" in browser.find_element(By.ID, "error").text
    # an analyst cannot reach the approvers' and admins' pages
    for path, role in (("/ui/admin/users", "admin"), ("/ui/audit", "approver")):
        go(browser, server, path)
        assert f"needs the {role} role" in browser.find_element(By.ID, "error").text
    nav = browser.find_element(By.CSS_SELECTOR, "header nav").text
    assert "Users" not in nav and "Audit" not in nav


def test_chromium_is_debians(browser: WebDriver) -> None:
    """The browser is the packaged one (no downloaded build)."""
    assert shutil.which("chromium") == CHROMIUM
    version = browser.capabilities.get("browserVersion", "")
    assert re.match(r"\d+\.", version)
