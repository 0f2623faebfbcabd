# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filters as Ansible loads them: the renderer's output, and Ansible's error for a bad document."""
from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.filter import report_html, report_markdown
from ansible_collections.audiocodes.mediant.plugins.plugin_utils import report

DOCUMENT = {"title": "Fleet", "problems": [{"severity": "major", "device": "sbc1", "text": "2 alarms"}]}


@pytest.mark.parametrize("plugin, name, render", [
    (report_html, "report_html", report.render_html),
    (report_markdown, "report_markdown", report.render_markdown),
])
def test_filter_renders_and_refuses(plugin, name, render):
    apply = plugin.FilterModule().filters()[name]
    assert apply(DOCUMENT) == render(DOCUMENT)
    with pytest.raises(AnsibleFilterError) as raised:
        apply({"title": "Fleet", "problems": [{"severity": "bad", "text": "x"}]})
    assert str(raised.value).startswith(name + ": invalid report document")
    assert "problems[0].severity is 'bad'; use one of critical, major, minor, warning, info, ok" in str(raised.value)
