# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report renderer on its own: validation, ordering, HTML and Markdown output, escaping."""
from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

REPO = Path(__file__).resolve().parents[4]


def _load_library():
    """The library by path: it must work without Ansible or the collection layout."""
    spec = importlib.util.spec_from_file_location("mediant_report_library", REPO / "plugins" / "plugin_utils" / "report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


report = _load_library()

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> | *a* _b_ [l](http://e.x) {{ lookup("pipe","id") }} &amp;'


def sample():
    return {
        "title": "Certificate report",
        "generated": "2026-12-04T14:00:00Z",
        "description": "Every TLS context of the fleet.",
        "summary": [
            {"label": "Devices", "value": 5},
            {"label": "Expiring within 30 days", "value": 2, "severity": "warning"},
        ],
        "problems": [
            {"severity": "minor", "device": "sbc-par-1", "text": "context 2 expires in 20 days"},
            {"severity": "critical", "device": "sbc-lon-1", "text": "TLS context 1 certificate expired 3 days ago"},
            {"severity": "minor", "device": "sbc-ber-1", "text": "context 3 expires in 25 days"},
        ],
        "sections": [{
            "title": "Certificates",
            "columns": [
                {"key": "device", "label": "Device"},
                {"key": "days_left", "label": "Days left", "type": "number"},
                {"key": "expires", "label": "Expires", "type": "date"},
            ],
            "rows": [
                {"device": "sbc-par-1", "days_left": 100, "expires": "2027-03-14T00:00:00Z"},
                {"device": "sbc-lon-1", "days_left": -3, "expires": "2026-12-01T00:00:00Z", "severity": "critical"},
                {"device": "sbc-ber-1", "days_left": 9, "expires": "2026-12-13", "severity": "warning"},
                {"device": "sbc-mad-1", "days_left": None, "expires": None, "severity": "ok"},
            ],
            "empty": "No certificates",
        }],
    }


def error_of(document):
    with pytest.raises(report.ReportError) as raised:
        report.validate(document)
    return str(raised.value)


# --- validation ------------------------------------------------------------------------------

def test_sample_is_valid_and_minimal_document_is_valid():
    report.validate(sample())
    report.validate({"title": "Only a title"})


@pytest.mark.parametrize("mutate, expected", [
    (lambda d: d.pop("title"), "report.title is required"),
    (lambda d: d.update(title="  "), "report.title must not be empty"),
    (lambda d: d.update(title=5), "report.title must be text, got the number 5"),
    (lambda d: d.update(generated="yesterday"), "report.generated is text 'yesterday'; give an ISO 8601"),
    (lambda d: d.update(problem=[]), "has unknown key problem; the keys are title, generated"),
    (lambda d: d.update(summary={"label": "x"}), "report.summary must be a list, got a dict"),
    (lambda d: d["summary"][1].update(severity="high"), "summary[1].severity is 'high'; use one of critical, major"),
    (lambda d: d["summary"][0].update(value=None), "summary[0].value must be a number or text, got null"),
    (lambda d: d["summary"][0].update(value=[1]), "summary[0].value must be a number or text, got a list"),
    (lambda d: d["problems"][0].pop("severity"), "problems[0].severity is required; use one of critical"),
    (lambda d: d["problems"][2].pop("text"), "problems[2].text is required"),
    (lambda d: d["problems"].append("disk full"), "problems[3] must be a dict, got text 'disk full'"),
    (lambda d: d["sections"][0].pop("columns"), "sections[0].columns must be a non-empty list"),
    (lambda d: d["sections"][0]["columns"][1].update(type="numeric"),
     "sections[0].columns[1].type is 'numeric'; use one of text, number, date"),
    (lambda d: d["sections"][0]["columns"][1].update(key="device"),
     "sections[0].columns[1].key 'device' is used by an earlier column"),
    (lambda d: d["sections"][0]["columns"].append({"key": "severity"}),
     "sections[0].columns[3].key 'severity' is the row's severity"),
    (lambda d: d["sections"][0]["columns"][0].update(width=3), "sections[0].columns[0] has unknown key width"),
    (lambda d: d["sections"][0]["rows"][2].update(days_left="soon"),
     "sections[0].rows[2].days_left is text 'soon' in a number column"),
    (lambda d: d["sections"][0]["rows"][0].update(days_left=True),
     "sections[0].rows[0].days_left is a boolean in a number column"),
    (lambda d: d["sections"][0]["rows"][1].update(expires="1st of May"),
     "sections[0].rows[1].expires is text '1st of May' in a date column"),
    (lambda d: d["sections"][0]["rows"][1].update(device={"name": "x"}),
     "sections[0].rows[1].device must be text, a number, a boolean, a date, null or a list of those, got a dict"),
    (lambda d: d["sections"][0]["rows"][3].update(severity="fatal"), "sections[0].rows[3].severity is 'fatal'"),
    (lambda d: d["sections"][0].update(rows="none"), "sections[0].rows must be a list of dicts"),
    (lambda d: d["sections"][0]["rows"].append([1, 2]), "sections[0].rows[4] must be a dict, got a list"),
])
def test_validation_names_what_is_wrong(mutate, expected):
    document = sample()
    mutate(document)
    message = error_of(document)
    assert message.startswith("invalid report document (see docs/reports.md):")
    assert expected in message


def test_validation_lists_every_problem_at_once():
    document = sample()
    document["title"] = ""
    document["sections"][0]["rows"][0]["days_left"] = "many"
    document["problems"][1]["severity"] = "bad"
    message = error_of(document)
    assert "report.title must not be empty" in message
    assert "rows[0].days_left" in message
    assert "problems[1].severity" in message


def test_validation_caps_the_list_of_errors():
    document = {"title": "t", "problems": [{"text": "x"}] * 50}
    message = error_of(document)
    assert message.count("\n- ") == report.MAX_ERRORS + 1
    assert "... and 30 more" in message


def test_not_a_dict_is_refused():
    assert "the report document must be a dict, got a list" in error_of([1])


def test_numeric_text_in_number_columns_is_accepted_as_a_number():
    """Jinja can hand numbers over as text; they still sort as numbers."""
    document = sample()
    document["sections"][0]["rows"][0]["days_left"] = "100"
    model = report.build_model(document)
    assert ("100", 100) in [row["cells"][1] for row in model["sections"][0]["rows"]]


@pytest.mark.parametrize("text, expected", [
    ("2026-12-04T14:00:00Z", "2026-12-04T14:00:00+00:00"),
    ("2026-12-04T14:00:00.123456789Z", "2026-12-04T14:00:00.123456+00:00"),
    ("2026-12-04 16:00:00+02:00", "2026-12-04T14:00:00+00:00"),
    ("2026-12-04T16:00+0200", "2026-12-04T14:00:00+00:00"),
    ("2026-12-04T14:00:00", "2026-12-04T14:00:00+00:00"),
    ("2026-12-04", "2026-12-04T00:00:00+00:00"),
])
def test_timestamps(text, expected):
    assert report.parse_timestamp(text).isoformat() == expected


@pytest.mark.parametrize("text", ["2026-13-01", "2026-12-04T25:00:00Z", "04.12.2026", "", "2026-12-04T14:00:00 UTC"])
def test_not_timestamps(text):
    assert report.parse_timestamp(text) is None


# --- ordering --------------------------------------------------------------------------------

def test_problems_worst_first_in_given_order_within_a_severity():
    model = report.build_model(sample())
    assert [(p["severity"], p["device"]) for p in model["problems"]] == [
        ("critical", "sbc-lon-1"), ("minor", "sbc-par-1"), ("minor", "sbc-ber-1")]


def test_rows_with_problems_first_others_keep_their_order():
    document = sample()
    document["sections"][0]["rows"].insert(0, {"device": "first", "severity": "info"})
    model = report.build_model(document)
    assert [row["cells"][0][0] for row in model["sections"][0]["rows"]] == [
        "sbc-lon-1", "sbc-ber-1", "first", "sbc-par-1", "sbc-mad-1"]


def test_the_document_is_not_changed():
    document = sample()
    before = copy.deepcopy(document)
    report.render_html(document)
    report.render_markdown(document)
    assert document == before


def test_yaml_timestamps_are_dates():
    """Unquoted timestamps in YAML arrive as date and datetime objects."""
    document = sample()
    document["generated"] = datetime.datetime(2026, 12, 4, 14, 0)
    document["sections"][0]["rows"][0]["expires"] = datetime.date(2027, 3, 14)
    document["sections"][0]["rows"][1]["device"] = datetime.datetime(2026, 12, 1, 16, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))
    model = report.build_model(document)
    assert model["generated"]["text"] == "2026-12-04 14:00 UTC"
    cells = {row["cells"][0][0]: row["cells"] for row in model["sections"][0]["rows"]}
    assert cells["sbc-par-1"][2] == ("2027-03-14", epoch(2027, 3, 14))
    assert "2026-12-01 14:00 UTC" in cells


def test_cell_display():
    assert report.display_text(True) == "yes"
    assert report.display_text(False) == "no"
    assert report.display_text(None) == ""
    assert report.display_text(["a", 1, None]) == "a, 1, "
    assert report.display_text(3.0) == "3"
    assert report.display_text(2.5) == "2.5"


# --- HTML ------------------------------------------------------------------------------------

class _Page(HTMLParser):
    """Collects the page's elements, their attributes and the text each table cell shows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self.styles = []
        self._capture = None
        self.cells = []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._capture = []
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "script":
            self.scripts.append("".join(self._capture))
            self._capture = None
        if tag == "style":
            self.styles.append("".join(self._capture))
            self._capture = None
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._capture is not None:
            self._capture.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(page):
    parser = _Page()
    parser.feed(page)
    return parser


def hostile_document():
    document = sample()
    document["title"] = "Report " + HOSTILE
    document["description"] = HOSTILE
    document["summary"][0]["label"] = HOSTILE
    document["summary"][1]["value"] = HOSTILE
    document["problems"][0]["device"] = HOSTILE
    document["problems"][0]["text"] = HOSTILE
    section = document["sections"][0]
    section["title"] = HOSTILE
    section["columns"][0]["label"] = HOSTILE
    section["rows"][0]["device"] = HOSTILE
    document["sections"].append({"title": "none", "columns": [{"key": "a"}], "rows": [], "empty": HOSTILE})
    return document


def test_html_escapes_every_text():
    page = report.render_html(hostile_document())
    parsed = parse(page)
    assert [tag for tag, _attrs in parsed.tags if tag in ("img", "a") and "onerror" in _attrs] == []
    assert not any(tag == "img" for tag, _attrs in parsed.tags)
    assert len(parsed.scripts) == 1
    assert not any("onerror" in attrs or "onclick" in attrs for _tag, attrs in parsed.tags)
    assert "{{" not in page and "{%" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # The text is still shown as written.
    assert '<script>alert("x")</script>' in "".join(parsed.cells)


def test_html_loads_nothing_from_elsewhere():
    page = report.render_html(sample())
    parsed = parse(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert tag != "link"
        if tag == "a":
            assert attrs["href"].startswith("#")
    assert "url(" not in page and "@import" not in page


def test_html_content_security_policy_allows_exactly_the_inline_style_and_script():
    parsed = parse(report.render_html(sample()))
    policy = [attrs["content"] for tag, attrs in parsed.tags
              if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"][0]
    assert "default-src 'none'" in policy

    def digest(text):
        return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert "script-src %s;" % digest(parsed.scripts[0]) in policy
    assert "style-src %s;" % digest(parsed.styles[0]) in policy


def test_html_is_for_phones_and_people():
    page = report.render_html(sample())
    parsed = parse(page)
    metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert page.startswith("<!DOCTYPE html>")
    assert ".table-wrap{overflow-x:auto" in page
    # Problems come before the first section, the summary before the problems.
    assert page.index('id="summary"') < page.index('id="problems"') < page.index('id="section-1"')


def epoch(year, month, day):
    return datetime.datetime(year, month, day, tzinfo=datetime.timezone.utc).timestamp()


def test_html_cells_carry_sort_keys_and_severity():
    page = report.render_html(sample())
    rows = re.findall(r"<tr( class=\"sev-\w+\")?>(.*?)</tr>", page.split('id="section-1"')[1])
    assert [css for css, _cells in rows] == ['', ' class="sev-critical"', ' class="sev-warning"', '', ' class="sev-ok"']
    body = [cells for _css, cells in rows[1:]]
    # -3 days, critical; 2026-12-01T00:00:00Z as epoch seconds.
    assert '<td class="number" data-sort="-3">-3</td>' in body[0]
    assert '<td class="date" data-sort="%r">2026-12-01 00:00 UTC</td>' % epoch(2026, 12, 1) in body[0]
    assert '<td class="date" data-sort="%r">2026-12-13</td>' % epoch(2026, 12, 13) in body[1]
    assert '<td class="number" data-sort=""></td>' in body[3]
    heads = re.findall(r'<th scope="col" data-type="(\w+)"', page.split('id="section-1"')[1])
    assert heads == ["number", "text", "number", "date"]


def test_html_empty_section_and_no_problems():
    document = {"title": "t", "sections": [{"title": "Alarms", "columns": [{"key": "a"}], "rows": [], "empty": "No alarms"}]}
    page = report.render_html(document)
    assert '<p class="empty">No alarms</p>' in page
    assert '<p class="no-problems">No problems found.</p>' in page
    assert "Problems (0)" in page


def test_html_generated_time_is_shown_in_utc():
    document = {"title": "t", "generated": "2026-12-04T16:00:00+02:00"}
    assert '<time datetime="2026-12-04T14:00:00Z">2026-12-04 14:00 UTC</time>' in report.render_html(document)


# --- Markdown --------------------------------------------------------------------------------

def _unescaped_pipes(line):
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_layout():
    text = report.render_markdown(sample())
    assert text.splitlines()[:8] == [
        "# Certificate report",
        "",
        "Generated 2026-12-04 14:00 UTC",
        "",
        "Every TLS context of the fleet.",
        "",
        "- Devices: **5**",
        "- Expiring within 30 days: **2** (warning)",
    ]
    assert "## Problems (3)\n\n- **CRITICAL** sbc-lon-1: TLS context 1 certificate expired 3 days ago\n" in text
    assert "| Severity | Device | Days left | Expires |\n|---|---|---:|---|\n| CRITICAL | sbc-lon-1 | -3 | 2026-12-01 00:00 UTC |" in text
    assert "|   | sbc-par-1 | 100 | 2027-03-14 00:00 UTC |" in text
    assert text.endswith("|\n")


def test_markdown_escapes_every_text():
    text = report.render_markdown(hostile_document())
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len({_unescaped_pipes(line) for line in table}) == 1, table
    ours = re.sub(r"(?m)^\*(.*)\*$", r"\1", text.replace("**", ""))  # our own bold and italics
    assert not re.search(r"(?<!\\)[<>\[\]*`]", ours), "unescaped markup"
    assert "[l](http" not in text
    assert "{{" not in text
    assert "\\<script\\>" in text
    assert "\\*a\\* \\_b\\_" in text
    assert "\\&amp;" in text


def test_markdown_keeps_names_readable():
    document = {"title": "t", "problems": [{"severity": "info", "device": "sbc_lon_1", "text": "IP 10.0.0.1 at 12:00"}]}
    assert "- **INFO** sbc_lon_1: IP 10.0.0.1 at 12:00" in report.render_markdown(document)


def test_markdown_line_breaks_stay_inside_their_field():
    document = sample()
    document["sections"][0]["rows"][0]["device"] = "a\nb\r\n| c"
    document["description"] = "# not a heading\n- not a list\n1. not a number\nplain"
    text = report.render_markdown(document)
    assert "| a b \\| c |" in text
    assert "\\# not a heading  \n\\- not a list  \n1\\. not a number  \nplain" in text


def test_markdown_empty_section():
    document = {"title": "t", "sections": [{"title": "Alarms", "columns": [{"key": "a"}], "rows": []}]}
    text = report.render_markdown(document)
    assert "## Alarms\n\n*Nothing to show*\n" in text
    assert "No problems found." in text


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(cells=st.lists(st.tuples(_texts, _texts), min_size=1, max_size=5), title=_texts.filter(str.strip))
def test_any_text_stays_in_its_cell(cells, title):
    document = {"title": title, "sections": [{"title": title, "columns": [{"key": "a"}, {"key": "b"}],
                                              "rows": [{"a": a, "b": b} for a, b in cells]}]}
    table = [line for line in report.render_markdown(document).splitlines() if line.startswith("| ")]
    assert len(table) == len(cells) + 1
    assert all(_unescaped_pipes(line) == 3 for line in table)
    page = report.render_html(document)
    parsed = parse(page)
    assert len(parsed.scripts) == 1
    assert [tag for tag, _attrs in parsed.tags].count("tr") == len(cells) + 1
    assert "{{" not in page
