# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real headless browser for the report pages: Debian's Chromium driven by its ChromeDriver
through Selenium.

Without Chromium the tests that use it are skipped with the reason, except in CI (the variable
CI is set, as .ci/run does), where a missing browser fails them: CI must never pass a browser
test it did not run.
"""
from __future__ import annotations

import base64
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Screenshots are kept here as test artifacts (ignored by git and by the collection build).
OUTPUT = REPO / "tests" / "output"
# Chromium's connections to Google's services are refused on a closed network: switch them off.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
)
INSTALL_HINT = "install Debian's packages: apt-get install chromium chromium-driver"


def _missing(reason):
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser tests, but %s (%s; .ci/run does this when run as root)" % (reason, INSTALL_HINT))
    pytest.skip("%s; %s" % (reason, INSTALL_HINT))


def start_chromium(user_data_dir, width=1280, height=900):
    """A WebDriver session of headless Chromium with a fresh profile, collecting console messages."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium:
        _missing("Chromium is not installed")
    if not driver_path:
        _missing("ChromeDriver is not installed")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _missing("selenium is not installed in the test environment (requirements-dev.txt)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=%s" % user_data_dir)
    options.add_argument("--window-size=%d,%d" % (width, height))
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver and browser: Selenium Manager never runs (it would try to download).
    service = Service(executable_path=driver_path, log_output=os.devnull)
    return webdriver.Chrome(service=service, options=options)


def console_errors(driver):
    """Console messages of level SEVERE (script errors, Content-Security-Policy violations)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def full_page_screenshot(driver, name):
    """Save the whole page (not just the window) as tests/output/<name>.png; returns the path."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path = OUTPUT / ("%s.png" % name)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
