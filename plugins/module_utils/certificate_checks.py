# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure checks of a certificate before it goes into service (no Ansible imports): the key it
certifies, its validity window, its names, its chain up to a trusted root, and whether a client
connecting to a given host name would accept it.

Each check returns problems as sentences naming the cause; an empty list means fit for service.
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import TYPE_CHECKING, Any

from ansible_collections.audiocodes.mediant.plugins.module_utils.certificate_issuing import (
    is_issued_by,
    normalize_alt_names,
)
from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import (
    HAS_CRYPTOGRAPHY,
    fingerprint,
    name_to_text,
    not_after,
    not_before,
    public_key_fingerprint,
    same_public_key,
    subject_alt_names,
    subject_fields,
)

if HAS_CRYPTOGRAPHY:
    from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from cryptography.x509 import Certificate

    from ansible_collections.audiocodes.mediant.plugins.module_utils.certificates import KeyHolder

MAX_CHAIN_LENGTH = 8


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or datetime.datetime.now(datetime.timezone.utc)


def lifetime_percent_left(cert: Certificate, now: datetime.datetime | None = None) -> float:
    """Percentage of the certificate's validity still ahead (0 once expired)."""
    now = _now(now)
    total = (not_after(cert) - not_before(cert)).total_seconds()
    if total <= 0:
        return 0.0
    left = (not_after(cert) - now).total_seconds()
    return max(0.0, min(100.0, 100.0 * left / total))


def validity_problems(cert: Certificate, now: datetime.datetime | None = None, min_days_left: int = 0,
                      min_percent_left: float | None = None) -> list[str]:
    now = _now(now)
    problems = []
    if not_before(cert) > now:
        problems.append(f"it is not valid yet (valid from {not_before(cert).isoformat()})")
    left = (not_after(cert) - now).days
    if not_after(cert) <= now:
        problems.append(f"it expired on {not_after(cert).isoformat()}")
    elif left < min_days_left:
        problems.append(f"it expires in {left} days, within the renewal window of {min_days_left} days "
                        "(it would be renewed again at once)")
    elif min_percent_left is not None and lifetime_percent_left(cert, now) < min_percent_left:
        problems.append(f"only {lifetime_percent_left(cert, now):.0f}% of its lifetime is left, below the renewal "
                        f"threshold of {min_percent_left}% (it would be renewed again at once)")
    return problems


def name_problems(cert: Certificate, subject: Mapping[str, Any] | None = None,
                  alt_names: Iterable[object] | None = None) -> list[str]:
    """The certificate carries the wanted subject fields and at least the wanted subjectAltNames."""
    problems = []
    if subject:
        have = subject_fields(cert.subject)
        for field, value in subject.items():
            if value not in (None, "") and have.get(field) != str(value):
                problems.append(f"its subject has {field} {have.get(field)!r}, the request asked for {value!r}")
    if alt_names:
        have_names = set(subject_alt_names(cert))
        missing = [name for name in normalize_alt_names(alt_names) if name not in have_names]
        if missing:
            problems.append(f"it lacks the subjectAltName(s) {', '.join(missing)} the request asked for")
    return problems


def hostname_matches(cert: Certificate, host: str) -> bool:
    """Whether a TLS client connecting to ``host`` (DNS name or IP address) accepts the
    certificate's names: subjectAltNames (DNS with a left-most '*' label, IP), or the common
    name when the certificate has no subjectAltName at all."""
    host = host.strip().rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        address = None
    names = subject_alt_names(cert)
    if not names:
        names = ["DNS:" + str(attr.value).lower() for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    for name in names:
        kind, _sep, value = name.partition(":")
        if address is not None:
            if kind == "IP" and ipaddress.ip_address(value) == address:
                return True
            if kind == "DNS" and value == str(address):  # common name holding the address
                return True
            continue
        if kind != "DNS":
            continue
        if value == host:
            return True
        if value.startswith("*.") and "." in host and host.split(".", 1)[1] == value[2:]:
            return True
    return False


def chain_problems(cert: Certificate, chain: Sequence[Certificate] = (), roots: Sequence[Certificate] = (),
                   now: datetime.datetime | None = None) -> list[str]:
    """Problems of the path from ``cert`` through the intermediates of ``chain`` to a self-signed
    certificate of ``roots`` (or of ``chain`` when ``roots`` is empty). [] when it verifies."""
    now = _now(now)
    pool = list(chain) + list(roots)
    anchors = list(roots) or [c for c in chain if c.issuer == c.subject]
    anchor_prints = {fingerprint(c) for c in anchors}
    current = cert
    for _depth in range(MAX_CHAIN_LENGTH):
        if fingerprint(current) in anchor_prints:
            return []
        issuers = [c for c in pool if fingerprint(c) != fingerprint(current) and is_issued_by(current, c)]
        if not issuers:
            if current.issuer == current.subject and is_issued_by(current, current):
                return [f"its chain ends at the self-signed {name_to_text(current.subject)}, which is not a trusted root"]
            return [f"no certificate of the chain or the trusted roots issued {name_to_text(current.subject)} "
                    f"(issuer {name_to_text(current.issuer)})"]
        issuer = issuers[0]
        if not_after(issuer) <= now:
            return [f"the issuing certificate {name_to_text(issuer.subject)} expired on {not_after(issuer).isoformat()}"]
        if fingerprint(issuer) in anchor_prints:
            return []
        current = issuer
    return [f"the chain is longer than {MAX_CHAIN_LENGTH} certificates"]


def certificate_problems(cert: Certificate, key_of: KeyHolder | None = None, subject: Mapping[str, Any] | None = None,
                         alt_names: Iterable[object] | None = None, chain: Sequence[Certificate] = (),
                         roots: Sequence[Certificate] | None = None, hostname: str | None = None,
                         now: datetime.datetime | None = None, min_days_left: int = 0,
                         min_percent_left: float | None = None) -> list[str]:
    """Everything that makes ``cert`` unfit to replace a context's certificate.

    ``key_of``: a private key, CSR or certificate whose public key the certificate must carry.
    ``roots``: trusted roots the chain must reach (None: the chain is not checked).
    ``hostname``: a client connecting by this name must accept the certificate.
    """
    problems = []
    if key_of is not None and not same_public_key(cert, key_of):
        problems.append(f"it certifies another key (public key {public_key_fingerprint(cert)}, the request's is "
                        f"{public_key_fingerprint(key_of)})")
    problems += validity_problems(cert, now, min_days_left, min_percent_left)
    problems += name_problems(cert, subject, alt_names)
    if roots is not None:
        problems += chain_problems(cert, chain, roots, now)
    if hostname and not hostname_matches(cert, hostname):
        names = ", ".join(subject_alt_names(cert)) or name_to_text(cert.subject)
        problems.append(f"a client connecting to {hostname} would refuse it (its names: {names})")
    return problems
