# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of the certificate_renewal role: the renewal plan, the check of a signed certificate,
the configuration switch, and the report document. The logic lives in module_utils
(certificate_renewal.py, certificate_renewal_report.py); these wrap it for Jinja."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.audiocodes.mediant.plugins.module_utils import certificate_renewal as renewal
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_renewal_report import build_report
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import HAS_CRYPTOGRAPHY, MISSING_CRYPTOGRAPHY_MSG


def _need_cryptography():
    if not HAS_CRYPTOGRAPHY:
        raise AnsibleFilterError(MISSING_CRYPTOGRAPHY_MSG)


def certificate_renewal_plan(facts, options, now=None):
    _need_cryptography()
    try:
        return renewal.plan(facts, options, now)
    except (renewal.PlanError, ValueError, KeyError, TypeError) as err:
        raise AnsibleFilterError(f"certificate_renewal_plan: {err}") from err


def certificate_renewal_check(certificate, csr, chain="", trust="", subject=None, alt_names=None, hostname=None,
                              min_days_left=0, min_percent_left=None, now=None):
    _need_cryptography()
    return renewal.check_signed(certificate, csr, chain, trust, subject, alt_names, hostname, int(min_days_left or 0),
                                min_percent_left, now)


def certificate_renewal_switch(users, target):
    return renewal.switch_data(users, target)


def certificate_renewal_probe_problems(listeners, fingerprint):
    return renewal.probe_problems(listeners, fingerprint)


def certificate_renewal_report(hosts, generated, renew_before_days=30, check_mode=False, title="Certificate report"):
    return build_report(hosts, generated, int(renew_before_days), title, bool(check_mode))


class FilterModule:  # pylint: disable=too-few-public-methods
    def filters(self):
        return {
            "certificate_renewal_plan": certificate_renewal_plan,
            "certificate_renewal_check": certificate_renewal_check,
            "certificate_renewal_switch": certificate_renewal_switch,
            "certificate_renewal_report": certificate_renewal_report,
            "certificate_renewal_probe_problems": certificate_renewal_probe_problems,
        }
