# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: report_html
short_description: Render a report document as one self-contained HTML page
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - Turns a report document (a dict, described under O(_input)) into one HTML page that needs no
    server and no network, opens from C(file://), and reads on a phone.
  - "The page shows, in this order: the title, when it was generated, the description, the summary
    figures, the problems (worst first), then each section as a table. Rows with a problem
    severity (V(critical), V(major), V(minor), V(warning)) come first, worst first, and are
    coloured; every table sorts by a click on a column header (numbers and dates by value)."
  - Every text is escaped, including text a device provides such as alarm descriptions or
    certificate subjects; a Content-Security-Policy lets only the page's own style and script
    run and nothing be loaded from elsewhere.
  - The document is checked first; a document that does not follow the format fails with a
    message that names every wrong key (for example C(sections[0].rows[2].days_left is text 'soon'
    in a number column)).
  - The JSON report is the document itself (for example C(report | to_nice_json)).
positional: _input
options:
  _input:
    description:
      - "The report document: a dict with these keys."
      - C(title) (text, required) - the page's title.
      - C(generated) (text) - when the data was gathered, an ISO 8601 date-time such as
        C(2026-12-04T14:00:00Z); one timestamp for the whole run.
      - C(description) (text) - shown under the title; line breaks are kept.
      - C(summary) (list) - headline figures, shown first, each C({label, value, severity}); C(value)
        is a number or text, C(severity) optional.
      - C(problems) (list) - each C({severity, text, device}); C(severity) and C(text) required.
      - C(sections) (list) - each C({title, columns, rows, empty}). C(columns) is a list of
        C({key, label, type}) with C(type) one of V(text) (default), V(number), V(date) (ISO 8601).
        C(rows) is a list of dicts whose keys are the column keys, plus an optional C(severity)
        that colours and orders the row. Cell values are text, numbers, booleans (shown yes/no),
        null (empty) or lists of those (shown comma-separated). C(empty) is shown when there are no rows.
      - "Severities, worst first: V(critical), V(major), V(minor), V(warning), V(info), V(ok)."
    type: dict
    required: true
seealso:
  - plugin: audiocodes.mediant.report_markdown
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the fleet's certificate report as a page
  ansible.builtin.copy:
    dest: reports/certificates.html
    mode: "0644"
    content: "{{ report | audiocodes.mediant.report_html }}"
  vars:
    report:
      title: Certificate report
      generated: "2026-12-04T14:00:00Z"
      summary:
        - {label: Devices, value: 5}
        - {label: Expiring within 30 days, value: 2, severity: warning}
      problems:
        - {severity: critical, device: sbc-lon-1, text: TLS context 1 certificate expired 3 days ago}
      sections:
        - title: Certificates
          columns:
            - {key: device, label: Device}
            - {key: days_left, label: Days left, type: number}
            - {key: expires, label: Expires, type: date}
          rows:
            - {device: sbc-lon-1, days_left: -3, expires: "2026-12-01T00:00:00Z", severity: critical}
          empty: No certificates
"""

RETURN = r"""
_value:
  description: The page, a complete HTML document with inline style and script.
  type: string
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.report import ReportError, render_html


def report_html(document):
    try:
        return render_html(document)
    except ReportError as error:
        raise AnsibleFilterError("report_html: %s" % error) from None


class FilterModule:
    def filters(self):
        return {"report_html": report_html}
