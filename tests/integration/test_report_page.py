# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report filters as a user runs them (a playbook writes the HTML, Markdown and JSON report),
and the page in a real headless Chromium: the numbers shown are the document's, a click on a
header sorts, device text stays text, the page fits a phone. Screenshots: tests/output/."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.browser import console_errors, full_page_screenshot

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".build" / "collections"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> {{ 7*7 }}'

DOCUMENT = {
    "title": "Fleet certificates",
    "generated": "2026-12-04T14:00:00Z",
    "description": "Every TLS context of the fleet.\nSecond line.",
    "summary": [
        {"label": "Devices", "value": 5},
        {"label": "Expired", "value": 1, "severity": "critical"},
        {"label": "Expiring within 30 days", "value": 2, "severity": "warning"},
        {"label": "Firmware", "value": "7.40A.500.010"},
    ],
    "problems": [
        {"severity": "warning", "device": "sbc-10", "text": "TLS context 2 expires in 9 days"},
        {"severity": "critical", "device": "sbc-2", "text": "TLS context 1 expired 3 days ago"},
        {"severity": "major", "device": "sbc-3", "text": HOSTILE},
    ],
    "sections": [{
        "title": "Certificates",
        "columns": [
            {"key": "device", "label": "Device"},
            {"key": "context", "label": "Context", "type": "number"},
            {"key": "days_left", "label": "Days left", "type": "number"},
            {"key": "expires", "label": "Expires", "type": "date"},
            {"key": "subject", "label": "Subject"},
        ],
        "rows": [
            {"device": "sbc-10", "context": 2, "days_left": 9, "expires": "2026-12-13T14:00:00Z", "subject": "CN=sbc-10", "severity": "warning"},
            {"device": "sbc-2", "context": 1, "days_left": -3, "expires": "2026-12-01T14:00:00Z", "subject": "CN=sbc-2", "severity": "critical"},
            {"device": "sbc-3", "context": 0, "days_left": 1000, "expires": "2029-08-30", "subject": HOSTILE, "severity": "ok"},
            {"device": "sbc-1", "context": 0, "days_left": 100, "expires": "2027-03-14T14:00:00Z", "subject": "CN=sbc-1", "severity": "ok"},
            {"device": "sbc-4", "context": 0, "days_left": None, "expires": None, "subject": "no certificate"},
        ],
        "empty": "No certificates",
    }, {
        "title": "Active alarms",
        "columns": [{"key": "device", "label": "Device"}, {"key": "description", "label": "Alarm"}],
        "rows": [],
        "empty": "No active alarms",
    }],
}


class _Unsafe(str):
    """Text Ansible must never template, as a module's result from a device is: !unsafe."""


yaml.SafeDumper.add_representer(_Unsafe, lambda dumper, text: dumper.represent_scalar("!unsafe", str(text), style="'"))


def _write_vars(path, variables):
    """Extra variables as YAML, texts with braces !unsafe: the report's texts come from devices."""
    def unsafe(value):
        if isinstance(value, dict):
            return {key: unsafe(item) for key, item in value.items()}
        if isinstance(value, list):
            return [unsafe(item) for item in value]
        # Only texts that look like templates: Ansible 2.19 reads even a quoted !unsafe timestamp as a date.
        return _Unsafe(value) if isinstance(value, str) and "{" in value else value
    path.write_text(yaml.safe_dump(unsafe(variables), sort_keys=False))
    return path


def _run_playbook(work, tasks, extra_vars):
    play = [{"name": "render a report", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
    (work / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(work / "tmp"), ANSIBLE_RETRY_FILES_ENABLED="0")
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable, "-e", "@" + str(extra_vars), str(work / "play.yml")]
    return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """The report written by a playbook, as a user would: page, Markdown, JSON."""
    work = tmp_path_factory.mktemp("report")
    _write_vars(work / "vars.yml", {"report": DOCUMENT, "out": str(work)})
    tasks = [
        {"name": "Write the page", "ansible.builtin.copy": {
            "dest": "{{ out }}/report.html", "mode": "0644", "content": "{{ report | audiocodes.mediant.report_html }}"}},
        {"name": "Write the Markdown", "ansible.builtin.copy": {
            "dest": "{{ out }}/report.md", "mode": "0644", "content": "{{ report | audiocodes.mediant.report_markdown }}"}},
        {"name": "Write the JSON", "ansible.builtin.copy": {
            "dest": "{{ out }}/report.json", "mode": "0644", "content": "{{ report | to_nice_json }}"}},
    ]
    proc = _run_playbook(work, tasks, work / "vars.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return work


def test_a_bad_document_fails_the_task_with_the_reason(tmp_path):
    _write_vars(tmp_path / "vars.yml", {"report": {"title": "x", "sections": [
        {"title": "s", "columns": [{"key": "n", "type": "number"}], "rows": [{"n": "many"}]}]}})
    tasks = [{"name": "Render", "ansible.builtin.debug": {"msg": "{{ report | audiocodes.mediant.report_html }}"}}]
    proc = _run_playbook(tmp_path, tasks, tmp_path / "vars.yml")
    assert proc.returncode != 0
    assert "sections[0].rows[0].n is text 'many' in a number column; give a number or null" in proc.stdout


def test_markdown_and_json_reports(written):
    assert json.loads((written / "report.json").read_text()) == DOCUMENT
    markdown = (written / "report.md").read_text()
    assert markdown.startswith("# Fleet certificates\n")
    assert "- **CRITICAL** sbc-2: TLS context 1 expired 3 days ago" in markdown
    assert "| CRITICAL | sbc-2 | 1 | -3 | 2026-12-01 14:00 UTC | CN=sbc-2 |" in markdown


def _texts(driver, selector):
    from selenium.webdriver.common.by import By
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def _column(driver, section, index):
    return _texts(driver, "#%s tbody tr td:nth-child(%d)" % (section, index))


def _click_header(driver, section, label):
    from selenium.webdriver.common.by import By
    for header in driver.find_elements(By.CSS_SELECTOR, "#%s thead th" % section):
        if header.text.strip(" \u25b2\u25bc") == label:
            header.find_element(By.TAG_NAME, "button").click()
            return header
    raise AssertionError("no header %r" % label)


def test_the_page_in_chromium(written, browser):
    browser.get((written / "report.html").as_uri())
    assert browser.title == "Fleet certificates"
    assert console_errors(browser) == []  # the script ran under the page's Content-Security-Policy

    # The headline figures are the document's.
    shown = list(zip(_texts(browser, ".figure .label"), _texts(browser, ".figure .value")))
    assert shown == [(figure["label"], str(figure["value"])) for figure in DOCUMENT["summary"]]

    # Problems first, worst first, device text shown as text and never run.
    assert _texts(browser, "#problems h2") == ["Problems (3)"]
    assert _column(browser, "problems", 1) == ["CRITICAL", "MAJOR", "WARNING"]
    assert _column(browser, "problems", 2) == ["sbc-2", "sbc-3", "sbc-10"]
    assert _column(browser, "problems", 3)[1] == HOSTILE
    assert browser.execute_script("return window.__pwned === undefined && document.images.length === 0")

    # The section's rows: problems first, then in the given order.
    assert _column(browser, "section-1", 2) == ["sbc-2", "sbc-10", "sbc-3", "sbc-1", "sbc-4"]
    assert _column(browser, "section-1", 4) == ["-3", "9", "1000", "100", ""]
    row_classes = browser.execute_script(
        "return Array.from(document.querySelectorAll('#section-1 tbody tr')).map(function(r){return r.className;})")
    assert row_classes == ["sev-critical", "sev-warning", "sev-ok", "sev-ok", ""]
    colour = browser.execute_script(
        "return getComputedStyle(document.querySelector('#section-1 tbody tr.sev-critical')).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert _texts(browser, "#section-2 .empty") == ["No active alarms"]

    # Numbers sort as numbers (text would put 100 before 9), empty cells last either way.
    header = _click_header(browser, "section-1", "Days left")
    assert header.get_attribute("aria-sort") == "ascending"
    assert _column(browser, "section-1", 4) == ["-3", "9", "100", "1000", ""]
    assert _column(browser, "section-1", 2) == ["sbc-2", "sbc-10", "sbc-1", "sbc-3", "sbc-4"]
    header = _click_header(browser, "section-1", "Days left")
    assert header.get_attribute("aria-sort") == "descending"
    assert _column(browser, "section-1", 4) == ["1000", "100", "9", "-3", ""]

    # Dates sort by time.
    _click_header(browser, "section-1", "Expires")
    assert _column(browser, "section-1", 5) == [
        "2026-12-01 14:00 UTC", "2026-12-13 14:00 UTC", "2027-03-14 14:00 UTC", "2029-08-30", ""]

    # Text sorts naturally: sbc-2 before sbc-10.
    _click_header(browser, "section-1", "Device")
    assert _column(browser, "section-1", 2) == ["sbc-1", "sbc-2", "sbc-3", "sbc-4", "sbc-10"]

    # The severity column sorts worst first.
    _click_header(browser, "section-1", "Severity")
    assert _column(browser, "section-1", 1) == ["CRITICAL", "WARNING", "OK", "OK", ""]
    assert console_errors(browser) == []
    full_page_screenshot(browser, "report-renderer")


def test_the_page_on_a_phone(written, browser):
    browser.set_window_size(390, 844)
    browser.get((written / "report.html").as_uri())
    # The page itself never scrolls sideways; a wide table scrolls inside its own box.
    widths = browser.execute_script(
        "var wrap=document.querySelector('#section-1 .table-wrap');"
        "return [document.documentElement.scrollWidth, window.innerWidth, wrap.scrollWidth, wrap.clientWidth,"
        " getComputedStyle(wrap).overflowX];")
    page_width, window_width, table_width, box_width, overflow = widths
    assert page_width <= window_width
    assert overflow == "auto"
    assert table_width > box_width
    full_page_screenshot(browser, "report-renderer-phone")
