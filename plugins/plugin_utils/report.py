# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render a report document as one self-contained HTML page or as Markdown.

Pure library: standard library only, no Ansible imports, runs on the controller. The filters
``audiocodes.mediant.report_html`` and ``audiocodes.mediant.report_markdown`` are thin wrappers.

The report document (docs/reports.md)::

    title: Certificate report                 # required
    generated: "2026-12-04T14:00:00Z"         # optional; one timestamp for the run (ISO 8601)
    description: optional text under the title
    summary:   [{label, value, severity?}]    # headline figures, shown first
    problems:  [{severity, text, device?}]    # shown at the top, worst first
    sections:  [{title, columns: [{key, label?, type?}], rows: [{...}], empty?}]

Severities, worst first: critical, major, minor, warning, info, ok. Every text is escaped: text a
device provides (alarm descriptions, certificate subjects) never becomes markup or script.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import math
import re
from collections.abc import Mapping, Sequence

SEVERITIES = ("critical", "major", "minor", "warning", "info", "ok")
# Severities that make a row a problem: such rows come first, worst first.
PROBLEM_SEVERITIES = ("critical", "major", "minor", "warning")
COLUMN_TYPES = ("text", "number", "date")
DOCUMENT_KEYS = ("title", "generated", "description", "summary", "problems", "sections")
SUMMARY_KEYS = ("label", "value", "severity")
PROBLEM_KEYS = ("severity", "device", "text")
SECTION_KEYS = ("title", "columns", "rows", "empty")
COLUMN_KEYS = ("key", "label", "type")
DEFAULT_EMPTY = "Nothing to show"
# Errors listed in one message at most; a document with more has a deeper problem.
MAX_ERRORS = 20


class ReportError(ValueError):
    """The document is not a valid report document; the message names every problem found."""


# ---------------------------------------------------------------------------------------------
# Validation


def _is_text(value):
    return isinstance(value, str)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_list(value):
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def parse_timestamp(value):
    """An ISO 8601 date or date-time as an aware UTC datetime (a bare date is midnight UTC, a
    time without offset is taken as UTC); None when the value is not one. YAML gives unquoted
    timestamps as date and datetime objects: those are taken as they are."""
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return moment.astimezone(datetime.timezone.utc)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)
    if not _is_text(value):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?", text):
        return None
    # datetime.fromisoformat before Python 3.11 knows neither "Z" nor more than 6 decimals.
    text = re.sub(r"[Zz]$", "+00:00", text)
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def _number(value):
    """A number cell's value as int/float, or None when empty; raises ValueError otherwise.
    Numeric text is accepted: Jinja sometimes hands numbers over as text."""
    if value is None or value == "":
        return None
    if _is_number(value):
        return value
    if _is_text(value):
        try:
            number = float(value) if re.search(r"[.eE]", value) else int(value)
        except ValueError:
            raise ValueError(value) from None
        if _is_number(number):
            return number
    raise ValueError(value)


def _scalar_ok(value):
    """Cell values: text, numbers, booleans, null, dates, or a list of those (shown comma-separated)."""
    if _is_scalar(value):
        return True
    if _is_list(value):
        return all(_is_scalar(item) for item in value)
    return False


def _is_scalar(value):
    return value is None or _is_text(value) or isinstance(value, bool) or _is_number(value) or _is_moment(value)


class _Checker:
    def __init__(self):
        self.errors = []

    def error(self, where, text):
        self.errors.append("%s %s" % (where, text))

    def mapping(self, value, where, known):
        if not isinstance(value, Mapping):
            self.error(where, "must be a dict, got %s" % _kind(value))
            return False
        unknown = sorted(str(key) for key in value if key not in known)
        if unknown:
            self.error(where, "has unknown key%s %s; the keys are %s" % (
                "s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(known)))
        return True

    def text(self, mapping, key, where, required=False):
        value = mapping.get(key)
        if value is None:
            if required:
                self.error("%s.%s" % (where, key), "is required (text)")
            return
        if not _is_text(value):
            self.error("%s.%s" % (where, key), "must be text, got %s" % _kind(value))
        elif required and not value.strip():
            self.error("%s.%s" % (where, key), "must not be empty")

    def severity(self, mapping, where, required=False):
        value = mapping.get("severity")
        if value is None:
            if required:
                self.error("%s.severity" % where, "is required; use one of %s" % ", ".join(SEVERITIES))
            return
        if value not in SEVERITIES:
            self.error("%s.severity" % where, "is %r; use one of %s" % (value, ", ".join(SEVERITIES)))

    def listing(self, document, key, where):
        value = document.get(key)
        if value is None:
            return []
        if not _is_list(value):
            self.error("%s%s" % (where, key), "must be a list, got %s" % _kind(value))
            return []
        return value


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if _is_text(value):
        return "text %r" % (value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, (int, float)):
        return "the number %r" % (value,)
    if isinstance(value, Mapping):
        return "a dict"
    if _is_list(value):
        return "a list"
    return type(value).__name__


def validate(document):
    """Raise ReportError naming every problem of the document (at most MAX_ERRORS)."""
    check = _Checker()
    if not check.mapping(document, "the report document", DOCUMENT_KEYS):
        raise ReportError(_error_message(check.errors))
    check.text(document, "title", "report", required=True)
    check.text(document, "description", "report")
    generated = document.get("generated")
    if generated is not None and parse_timestamp(generated) is None:
        check.error("report.generated", "is %s; give an ISO 8601 date-time such as 2026-12-04T14:00:00Z"
                    % _kind(generated))
    for index, figure in enumerate(check.listing(document, "summary", "report.")):
        where = "summary[%d]" % index
        if check.mapping(figure, where, SUMMARY_KEYS):
            check.text(figure, "label", where, required=True)
            value = figure.get("value")
            if not (_is_text(value) or _is_number(value)):
                check.error("%s.value" % where, "must be a number or text, got %s" % _kind(value))
            check.severity(figure, where)
    for index, problem in enumerate(check.listing(document, "problems", "report.")):
        where = "problems[%d]" % index
        if check.mapping(problem, where, PROBLEM_KEYS):
            check.severity(problem, where, required=True)
            check.text(problem, "text", where, required=True)
            check.text(problem, "device", where)
    for index, section in enumerate(check.listing(document, "sections", "report.")):
        _validate_section(check, section, "sections[%d]" % index)
    if check.errors:
        raise ReportError(_error_message(check.errors))


def _validate_section(check, section, where):
    if not check.mapping(section, where, SECTION_KEYS):
        return
    check.text(section, "title", where, required=True)
    check.text(section, "empty", where)
    columns = section.get("columns")
    if not _is_list(columns) or not columns:
        check.error("%s.columns" % where, "must be a non-empty list of {key, label, type}, got %s" % _kind(columns))
        columns = []
    types = {}
    for index, column in enumerate(columns):
        column_where = "%s.columns[%d]" % (where, index)
        if not check.mapping(column, column_where, COLUMN_KEYS):
            continue
        check.text(column, "key", column_where, required=True)
        check.text(column, "label", column_where)
        column_type = column.get("type", "text")
        if column_type not in COLUMN_TYPES:
            check.error("%s.type" % column_where, "is %r; use one of %s" % (column_type, ", ".join(COLUMN_TYPES)))
        key = column.get("key")
        if _is_text(key):
            if key in types:
                check.error("%s.key" % column_where, "%r is used by an earlier column" % key)
            elif key == "severity":
                check.error("%s.key" % column_where, "'severity' is the row's severity, shown in its own column; "
                            "do not list it as a column")
            types[key] = column_type
    rows = section.get("rows")
    if rows is None:
        rows = []
    if not _is_list(rows):
        check.error("%s.rows" % where, "must be a list of dicts, got %s" % _kind(rows))
        rows = []
    for index, row in enumerate(rows):
        row_where = "%s.rows[%d]" % (where, index)
        if not isinstance(row, Mapping):
            check.error(row_where, "must be a dict, got %s" % _kind(row))
            continue
        check.severity(row, row_where)
        for key, column_type in types.items():
            value = row.get(key)
            cell = "%s.%s" % (row_where, key)
            if not _scalar_ok(value):
                check.error(cell, "must be text, a number, a boolean, a date, null or a list of those, got %s" % _kind(value))
            elif column_type == "number":
                try:
                    _number(value)
                except ValueError:
                    check.error(cell, "is %s in a number column; give a number or null" % _kind(value))
            elif column_type == "date" and value not in (None, "") and parse_timestamp(value) is None:
                check.error(cell, "is %s in a date column; give an ISO 8601 date or date-time or null" % _kind(value))


def _error_message(errors):
    shown = errors[:MAX_ERRORS]
    more = len(errors) - len(shown)
    lines = ["invalid report document (see docs/reports.md):"] + ["- " + error for error in shown]
    if more:
        lines.append("- ... and %d more" % more)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The model both renderers share: validated, ordered, every cell as display text and sort key.


def severity_rank(severity):
    """0 for critical ... 5 for ok; rows without a severity rank with ok."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES) - 1


def problems_first(items):
    """Items with a problem severity first, worst first; the rest keep their given order."""
    def key(pair):
        index, item = pair
        severity = item.get("severity")
        rank = SEVERITIES.index(severity) if severity in PROBLEM_SEVERITIES else len(PROBLEM_SEVERITIES)
        return (rank, index)
    return [item for _index, item in sorted(enumerate(items), key=key)]


def _is_moment(value):
    return isinstance(value, datetime.date)


def _is_bare_date(value):
    if _is_text(value):
        return re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value) is not None
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def display_timestamp(moment, value):
    """'2026-12-01 00:00 UTC', or just the date when the value was a bare date."""
    if _is_bare_date(value):
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def display_text(value):
    """A cell value as the text a person reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_list(value):
        return ", ".join(display_text(item) for item in value)
    if _is_moment(value):
        return display_timestamp(parse_timestamp(value), value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _cell(value, column_type):
    """(display text, sort key or None): numbers and dates sort by value, empty cells last."""
    if column_type == "number":
        number = _number(value)
        return ("" if number is None else display_text(number)), number
    if column_type == "date":
        if value in (None, ""):
            return "", None
        moment = parse_timestamp(value)
        return display_timestamp(moment, value), moment.timestamp()
    text = display_text(value)
    return text, (text if text else None)


def build_model(document):
    """Validate the document and return what both renderers draw."""
    validate(document)
    generated = document.get("generated")
    model = {
        "title": document["title"],
        "description": document.get("description") or "",
        "generated": None,
        "summary": [
            {"label": figure["label"], "value": display_text(figure.get("value")),
             "numeric": _is_number(figure.get("value")), "severity": figure.get("severity")}
            for figure in document.get("summary") or []
        ],
        "problems": [
            {"severity": problem["severity"], "device": problem.get("device") or "", "text": problem["text"]}
            for problem in problems_first(list(document.get("problems") or []))
        ],
        "sections": [],
    }
    if generated is not None:
        moment = parse_timestamp(generated)
        model["generated"] = {"iso": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "text": display_timestamp(moment, generated)}
    for section in document.get("sections") or []:
        columns = [
            {"key": column["key"], "label": column.get("label") or column["key"], "type": column.get("type", "text")}
            for column in section["columns"]
        ]
        rows = problems_first(list(section.get("rows") or []))
        with_severity = any(row.get("severity") for row in rows)
        model["sections"].append({
            "title": section["title"],
            "empty": section.get("empty") or DEFAULT_EMPTY,
            "columns": columns,
            "with_severity": with_severity,
            "rows": [
                {"severity": row.get("severity"),
                 "cells": [_cell(row.get(column["key"]), column["type"]) for column in columns]}
                for row in rows
            ],
        })
    return model


def severity_counts(problems):
    counts = {}
    for problem in problems:
        counts[problem["severity"]] = counts.get(problem["severity"], 0) + 1
    return [(severity, counts[severity]) for severity in SEVERITIES if severity in counts]


# ---------------------------------------------------------------------------------------------
# HTML

_CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1d2329;--muted:#5b6670;--line:#d5dbe0;--head:#eef1f4;
--critical:#fbd5d5;--major:#fde2cc;--minor:#fdf0c2;--warning:#fff7cf;--info:#dcebfb;--ok:#dcf3e3;
--critical-fg:#a40e0e;--major-fg:#a34a00;--minor-fg:#7a5b00;--warning-fg:#6d5a00;--info-fg:#0d4f8b;--ok-fg:#1d6b35}
@media (prefers-color-scheme:dark){:root{--bg:#15191d;--fg:#e4e8eb;--muted:#9aa5ae;--line:#38414a;--head:#222a31;
--critical:#5a1d1d;--major:#5a3418;--minor:#4f4114;--warning:#47411a;--info:#1b3a57;--ok:#1c4429;
--critical-fg:#ffb3b3;--major-fg:#ffc999;--minor-fg:#f5dc85;--warning-fg:#efe39a;--info-fg:#a8d1fa;--ok-fg:#a3e2b5}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.page{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}
h2{font-size:1.2rem;margin:1.6rem 0 .5rem}
.meta,.description{color:var(--muted);margin:.2rem 0}
.description{white-space:pre-line}
nav ul{list-style:none;padding:0;margin:.6rem 0;display:flex;flex-wrap:wrap;gap:.3rem .9rem}
nav a{color:inherit}
.figures{list-style:none;padding:0;margin:1rem 0;display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.6rem}
.figure{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .8rem;background:var(--head)}
.figure .value{display:block;font-size:1.6rem;font-weight:600;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.figure.text .value{font-size:1.1rem;padding:.25rem 0}
.figure .label{display:block;color:var(--muted);font-size:.85rem}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid var(--line);border-radius:.4rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.35rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--line)}
td{overflow-wrap:anywhere;min-width:4rem}
thead th{background:var(--head);position:sticky;top:0;white-space:nowrap}
th button{all:inherit;cursor:pointer;padding:0}
th button:focus-visible{outline:2px solid currentColor}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
td.number,th.number{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap}
tr:last-child td{border-bottom:0}
.empty{padding:.6rem;color:var(--muted);font-style:italic;margin:0}
.badge{display:inline-block;white-space:nowrap;font-size:.75rem;font-weight:600;text-transform:uppercase;
letter-spacing:.03em;padding:0 .35rem;border-radius:.25rem}
tr.sev-critical,.figure.sev-critical{background:var(--critical)}
tr.sev-major,.figure.sev-major{background:var(--major)}
tr.sev-minor,.figure.sev-minor{background:var(--minor)}
tr.sev-warning,.figure.sev-warning{background:var(--warning)}
tr.sev-info,.figure.sev-info{background:var(--info)}
tr.sev-ok,.figure.sev-ok{background:var(--ok)}
.badge.sev-critical{color:var(--critical-fg)}.badge.sev-major{color:var(--major-fg)}
.badge.sev-minor{color:var(--minor-fg)}.badge.sev-warning{color:var(--warning-fg)}
.badge.sev-info{color:var(--info-fg)}.badge.sev-ok{color:var(--ok-fg)}
.no-problems{padding:.6rem .8rem;border-radius:.4rem;background:var(--ok);color:var(--ok-fg);margin:0}
footer{color:var(--muted);font-size:.8rem;margin:2rem 0 1rem}
@media (max-width:40rem){.page{padding:.6rem}h1{font-size:1.25rem}.figure .value{font-size:1.3rem}th,td{padding:.3rem .45rem}}
@media print{.table-wrap{overflow:visible}thead th{position:static}}
""".strip()

# Sorts a table by the clicked header: numbers, dates and severities by their data-sort value,
# text by locale with numbers inside text in order; empty cells last either way; stable.
_JS = """
(function(){
  function key(cell,type){
    var v=cell.getAttribute('data-sort');
    if(v===null||v===''){return null;}
    return type==='text'?v:parseFloat(v);
  }
  function sortBy(table,th){
    var index=Array.prototype.indexOf.call(th.parentNode.children,th);
    var type=th.getAttribute('data-type')||'text';
    var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
    var heads=th.parentNode.children;
    for(var i=0;i<heads.length;i++){heads[i].removeAttribute('aria-sort');}
    th.setAttribute('aria-sort',dir===1?'ascending':'descending');
    var body=table.tBodies[0];
    var rows=Array.prototype.slice.call(body.rows);
    rows.forEach(function(row,i){row._order=i;});
    rows.sort(function(a,b){
      var x=key(a.cells[index],type),y=key(b.cells[index],type);
      if(x===null&&y===null){return a._order-b._order;}
      if(x===null){return 1;}
      if(y===null){return -1;}
      var c=type==='text'?x.localeCompare(y,undefined,{numeric:true,sensitivity:'base'}):(x<y?-1:(x>y?1:0));
      return c!==0?dir*c:a._order-b._order;
    });
    rows.forEach(function(row){body.appendChild(row);});
  }
  var tables=document.querySelectorAll('table.sortable');
  for(var t=0;t<tables.length;t++){
    (function(table){
      var heads=table.tHead.rows[0].cells;
      for(var h=0;h<heads.length;h++){
        (function(th){
          var button=th.querySelector('button');
          if(button){button.addEventListener('click',function(){sortBy(table,th);});}
        })(heads[h]);
      }
    })(tables[t]);
  }
})();
""".strip()


def _csp_hash(text):
    return "'sha256-%s'" % base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# Nothing outside the page is loaded, and only the page's own script and style run: even a text
# that escaped escaping could not run script or fetch anything.
_CSP = "default-src 'none'; style-src %s; script-src %s; img-src data:; base-uri 'none'; form-action 'none'" % (
    _csp_hash(_CSS), _csp_hash(_JS))


def _e(text):
    # "{" too: a page can never hold "{{" or "{%" from a text, so an older Ansible that templates a
    # variable's value again finds nothing to evaluate in it.
    return html.escape(str(text), quote=True).replace("{", "&#123;")


def _sort_attr(key):
    if key is None:
        return ' data-sort=""'
    if isinstance(key, float):
        return ' data-sort="%s"' % _e(repr(key))
    return ' data-sort="%s"' % _e(key)


def _html_table(table_class, headers, rows, caption):
    """headers: [(label, type)]; rows: [(severity, [(text, sort key, type)])]."""
    out = ['<div class="table-wrap"><table class="%s">' % table_class]
    out.append('<caption hidden>%s</caption>' % _e(caption))
    out.append("<thead><tr>")
    for label, column_type in headers:
        css = ' class="%s"' % column_type if column_type in ("number", "date") else ""
        out.append('<th scope="col" data-type="%s"%s><button type="button">%s</button></th>' % (
            "number" if column_type == "severity" else column_type, css, _e(label)))
    out.append("</tr></thead><tbody>")
    for severity, cells in rows:
        out.append('<tr class="sev-%s">' % severity if severity else "<tr>")
        for text, key, column_type in cells:
            if column_type == "severity":
                out.append('<td data-sort="%d"><span class="badge sev-%s">%s</span></td>' % (
                    severity_rank(text), text, _e(text)) if text else '<td data-sort=""></td>')
                continue
            css = ' class="%s"' % column_type if column_type in ("number", "date") else ""
            out.append("<td%s%s>%s</td>" % (css, _sort_attr(key), _e(text)))
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render_html(document):
    """The report as one self-contained HTML page (str)."""
    model = build_model(document)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="%s">' % _e(_CSP),
        '<meta name="generator" content="audiocodes.mediant.report_html">',
        "<title>%s</title>" % _e(model["title"]),
        "<style>%s</style>" % _CSS,
        '</head><body><div class="page">',
        "<header><h1>%s</h1>" % _e(model["title"]),
    ]
    if model["generated"]:
        out.append('<p class="meta">Generated <time datetime="%s">%s</time></p>' % (
            _e(model["generated"]["iso"]), _e(model["generated"]["text"])))
    if model["description"]:
        out.append('<p class="description">%s</p>' % _e(model["description"]))
    out.append("</header><main>")
    if model["sections"]:
        out.append('<nav aria-label="Sections"><ul><li><a href="#problems">Problems</a></li>')
        for number, section in enumerate(model["sections"], 1):
            out.append('<li><a href="#section-%d">%s</a> (%d)</li>' % (number, _e(section["title"]), len(section["rows"])))
        out.append("</ul></nav>")
    if model["summary"]:
        out.append('<section id="summary" aria-label="Summary"><ul class="figures">')
        for figure in model["summary"]:
            css = " sev-%s" % figure["severity"] if figure["severity"] else ""
            css += "" if figure["numeric"] else " text"
            out.append('<li class="figure%s"><span class="value">%s</span><span class="label">%s</span></li>' % (
                css, _e(figure["value"]), _e(figure["label"])))
        out.append("</ul></section>")
    out.append('<section id="problems"><h2>Problems (%d)</h2>' % len(model["problems"]))
    if model["problems"]:
        counts = ", ".join("%d %s" % (count, severity) for severity, count in severity_counts(model["problems"]))
        out.append('<p class="meta">%s</p>' % _e(counts))
        rows = [(problem["severity"], [(problem["severity"], None, "severity"),
                                       (problem["device"], problem["device"] or None, "text"),
                                       (problem["text"], problem["text"], "text")])
                for problem in model["problems"]]
        out.append(_html_table("sortable problems", [("Severity", "severity"), ("Device", "text"), ("Problem", "text")],
                               rows, "Problems"))
    else:
        out.append('<p class="no-problems">No problems found.</p>')
    out.append("</section>")
    for number, section in enumerate(model["sections"], 1):
        out.append('<section id="section-%d"><h2>%s</h2>' % (number, _e(section["title"])))
        if not section["rows"]:
            out.append('<p class="empty">%s</p></section>' % _e(section["empty"]))
            continue
        headers = [("Severity", "severity")] if section["with_severity"] else []
        headers += [(column["label"], column["type"]) for column in section["columns"]]
        rows = []
        for row in section["rows"]:
            cells = [(row["severity"] or "", None, "severity")] if section["with_severity"] else []
            cells += [(text, key, column["type"]) for (text, key), column in zip(row["cells"], section["columns"])]
            rows.append((row["severity"], cells))
        out.append(_html_table("sortable", headers, rows, section["title"]))
        out.append("</section>")
    out.append('</main><footer>Made by audiocodes.mediant. Click a column header to sort.</footer></div>')
    out.append("<script>%s</script>" % _JS)
    out.append("</body></html>\n")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Markdown (GitHub flavoured, readable as plain text)

# Inline characters CommonMark/GFM give a meaning to; escaped with a backslash.
_MD_INLINE = re.compile(r"([\\`*\[\]<>|~{])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# An underscore between two letters or digits never starts emphasis in GFM; others may.
_MD_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# What makes a line a heading, list, quote, rule or code fence when it starts a line.
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")


def md_escape(text, line_start=False):
    """One line of text, markup-free: line breaks become spaces, markup characters are escaped."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", str(text))
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    if line_start:
        text = _MD_LINE_START.sub(lambda m: m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2)),
                                  text)
    return text


def _md_paragraph(text):
    """Multi-line text: each line escaped, line breaks kept (two trailing spaces)."""
    lines = [md_escape(line, line_start=True) for line in str(text).splitlines() if line.strip()]
    return "  \n".join(lines)


def _md_table(headers, rows):
    """headers: [(label, type)]; rows: [[text]]."""
    out = ["| " + " | ".join(md_escape(label) for label, _type in headers) + " |",
           "|" + "|".join("---:" if column_type == "number" else "---" for _label, column_type in headers) + "|"]
    for cells in rows:
        out.append("| " + " | ".join(md_escape(text) if text != "" else " " for text in cells) + " |")
    return "\n".join(out)


def render_markdown(document):
    """The report as GitHub-flavoured Markdown (str)."""
    model = build_model(document)
    out = ["# " + md_escape(model["title"]), ""]
    if model["generated"]:
        out += ["Generated " + md_escape(model["generated"]["text"]), ""]
    if model["description"]:
        out += [_md_paragraph(model["description"]), ""]
    for figure in model["summary"]:
        flag = " (%s)" % figure["severity"] if figure["severity"] and figure["severity"] != "ok" else ""
        out.append("- %s: **%s**%s" % (md_escape(figure["label"]), md_escape(figure["value"]), flag))
    if model["summary"]:
        out.append("")
    out += ["## Problems (%d)" % len(model["problems"]), ""]
    if model["problems"]:
        for problem in model["problems"]:
            device = "%s: " % md_escape(problem["device"]) if problem["device"] else ""
            out.append("- **%s** %s%s" % (problem["severity"].upper(), device, md_escape(problem["text"])))
    else:
        out.append("No problems found.")
    out.append("")
    for section in model["sections"]:
        out += ["## " + md_escape(section["title"]), ""]
        if not section["rows"]:
            out += ["*%s*" % md_escape(section["empty"]), ""]
            continue
        headers = [("Severity", "text")] if section["with_severity"] else []
        headers += [(column["label"], column["type"]) for column in section["columns"]]
        rows = []
        for row in section["rows"]:
            cells = [(row["severity"] or "").upper()] if section["with_severity"] else []
            rows.append(cells + [text for text, _key in row["cells"]])
        out += [_md_table(headers, rows), ""]
    return "\n".join(out).rstrip("\n") + "\n"
