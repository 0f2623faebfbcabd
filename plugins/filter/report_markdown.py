# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: report_markdown
short_description: Render a report document as Markdown
version_added: 0.1.0
author:
  - audiocodes.mediant contributors (@audiocodes-mediant)
description:
  - Turns a report document (the same dict P(audiocodes.mediant.report_html#filter) takes, see
    O(_input)) into GitHub-flavoured Markdown that also reads well as plain text, in a terminal,
    an e-mail or a merge request.
  - "The text shows, in this order: the title, when it was generated, the description, the
    summary figures as a list, the problems (worst first), then each section as a table. Rows
    with a problem severity come first, worst first, with their severity in a first column."
  - Every text is escaped (line breaks become spaces; characters such as C(|), C(*), C(_), C(<),
    C([) are backslash-escaped where Markdown would give them a meaning), so text a device
    provides cannot break a table or add links, images or HTML.
  - The document is checked first; a document that does not follow the format fails with a
    message that names every wrong key.
positional: _input
options:
  _input:
    description:
      - "The report document: C(title) (required), C(generated), C(description), C(summary),
        C(problems) and C(sections), described in P(audiocodes.mediant.report_html#filter)."
    type: dict
    required: true
seealso:
  - plugin: audiocodes.mediant.report_html
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the report as Markdown beside the page
  ansible.builtin.copy:
    dest: reports/certificates.md
    mode: "0644"
    content: "{{ report | audiocodes.mediant.report_markdown }}"

- name: Show the report in the job's output
  ansible.builtin.debug:
    msg: "{{ (report | audiocodes.mediant.report_markdown).splitlines() }}"
"""

RETURN = r"""
_value:
  description: The report as Markdown text, ending with a line break.
  type: string
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.plugin_utils.report import ReportError, render_markdown


def report_markdown(document):
    try:
        return render_markdown(document)
    except ReportError as error:
        raise AnsibleFilterError("report_markdown: %s" % error) from None


class FilterModule:
    def filters(self):
        return {"report_markdown": report_markdown}
