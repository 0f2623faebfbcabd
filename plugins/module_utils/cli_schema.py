# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the modules know about the values of the device's CLI: the enumerations.

Pure library: standard library only, no Ansible imports.

A device reads an enumerated setting by its name in any case (and by its number), and prints
it by its name in lower case: ``secured-web-connection HTTPS`` and ``application-type 6`` are
read, ``secured-web-connection https`` and ``application-type oamp-media-control`` are printed.
mediant_cli writes the lines it is given the way the device prints them, so that such a line is
not a difference on every run and the script sent is the one the device would print.

``ENUMS`` maps a mode - its lines from the top, each without a table row's index, joined by
`` > `` - to its enumerated commands and their ``number:name`` values. The data are the 7.2+
CLI of the vendor's configuration (the same the collection's simulator models; a test keeps the
two equal: ``PYTHONPATH=. .venv/bin/python scripts/cli_schema_data.py`` prints them). Modes and
commands not listed are compared as the device prints them, word for word.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import normalize_line, tokenize

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ansible_collections.audiocodes.mediant.plugins.module_utils.cli_config import ConfigNode

__all__ = ["ENUMS", "mode_key", "canonical_line", "canonicalize"]

ROW_INDEX = re.compile(r"\s+\d+$")

ENUMS: dict[str, dict[str, str]] = {
    "configure network > interface network-if": {
        "application-type": "0:oamp 1:media 2:control 3:oamp-media 4:oamp-control 5:media-control 6:oamp-media-control",
        "mode": "3:ipv6-manual-prefix 4:ipv6-manual 10:ipv4-manual 11:ipv4-dhcp",
    },
    "configure network > network-settings": {
        "nat-mode": "0:auto-detect 1:nat-not-used 2:nat-is-used 3:disable-nat",
    },
    "configure network > security-settings": {
        "sips-req-client-cert": "0:disable 1:enable",
        "tls-pkey-size": "1024:1024 2048:2048 4096:4096",
    },
    "configure network > tls": {
        "dh-key-size": "1024:1024 2048:2048 3072:3072",
        "ocsp-default-response": "0:reject 1:allow",
        "ocsp-server": "0:disable 1:enable",
        "require-strict-cert": "0:disable 1:enable",
        "tls-renegotiation": "0:disable 1:enable",
    },
    "configure system > cli-terminal": {
        "ssh": "0:disable 1:enable",
        "telnet": "0:disable 1:enable 2:ssl",
    },
    "configure system > clock": {
        "summer-time": "0:disable 1:enable",
    },
    "configure system > ldap settings": {
        "ldap-cache-service": "0:disable 1:enable",
        "ldap-service": "0:disable 1:enable",
    },
    "configure system > snmp settings": {
        "disable": "0:no 1:yes",
        "wan-snmp": "0:disable 1:enable",
    },
    "configure system > snmp trap-destination": {
        "send-trap": "0:disable 1:enable",
    },
    "configure system > web": {
        "req-client-cert": "0:disable 1:enable",
        "secured-web-connection": "0:http-and-https 1:https",
    },
    "configure troubleshoot > activity-log": {
        "activity-trap": "0:disable 1:enable",
        "parameters-monitoring": "0:disable 1:enable",
    },
    "configure troubleshoot > cdr": {
        "cdr-report-level": ("0:none 1:end-call "
                             "2:start-and-end-call 3:connect-and-end-call 4:start-and-end-and-connect-call"),
    },
    "configure troubleshoot > syslog": {
        "debug-level": "0:no-debug 1:basic 5:detailed",
        "log-level": "0:emergency 1:alert 2:critical 3:error 4:warning 5:notice 6:info 7:debug",
        "syslog": "0:off 1:on",
        "syslog-optimization": "0:disable 1:enable",
    },
    "configure voip > application": {
        "sbc-app": "0:disable 1:enable",
    },
    "configure voip > coders-and-profiles audio-coders": {
        "sce": "0:disable 1:enable",
    },
    "configure voip > coders-and-profiles audio-coders-groups > audio-coders": {
        "sce": "0:disable 1:enable",
    },
    "configure voip > ip-group": {
        "always-use-route-table": "0:disable 1:enable",
        "always-use-source-addr": "0:disable 1:enable",
        "classify-by-proxy-set": "0:disable 1:enable",
        "enable-sbc-client-forking": "0:disable 1:enable",
        "sbc-psap-mode": "0:disable 1:enable",
        "sip-connect": "0:disable 1:enable",
        "topology-location": "0:down 1:up",
        "type": "0:server 1:user 2:gateway",
    },
    "configure voip > media fax-modem": {
        "fax-transport-mode": "0:disable 1:relay 2:bypass 3:events-only",
    },
    "configure voip > media security": {
        "media-sec-behavior": "0:preferable 1:mandatory 2:disable 3:preferable-single-media",
        "media-security-enable": "0:disable 1:enable",
        "symmetric-mki": "0:disable 1:enable",
    },
    "configure voip > media settings": {
        "dsp-ipm-detectors": "0:disable 1:enable",
        "transcoding-mode": "0:only-if-required 1:force",
        "udp-port-spacing": "2:2 4:4 5:5 10:10",
        "vqmon-enable": "0:disable 1:enable",
    },
    "configure voip > message message-manipulations": {
        "action-type": ("0:add 1:remove 2:modify 3:add-prefix "
                        "4:add-suffix 5:remove-suffix 6:remove-prefix 7:normalize 8:log"),
        "row-role": "0:use-current-condition 1:use-previous-condition",
    },
    "configure voip > message policy": {
        "body-list-type": "0:policy-blacklist 1:policy-whitelist",
        "method-list-type": "0:policy-blacklist 1:policy-whitelist",
        "send-rejection": "0:policy-drop 1:policy-reject",
        "use-malicious-signature-db": "0:disable 1:enable",
    },
    "configure voip > proxy-ip": {
        "transport-type": "-1:not-configured 0:udp 1:tcp 2:tls",
    },
    "configure voip > proxy-set": {
        "classification-input": "0:ip-only 1:ip-port-transport",
        "dns-resolve-method": "-1:not-configured 0:a-record 1:srv 2:naptr",
        "is-proxy-hot-swap": "0:disable 1:enable",
        "proxy-enable-keep-alive": "0:disable 1:using-options 2:using-register",
        "proxy-load-balancing-method": "0:disable 1:round-robin 2:random-weights",
        "proxy-redundancy-mode": "-1:not-configured 0:parking 1:homing",
    },
    "configure voip > proxy-set > proxy-ip": {
        "transport-type": "-1:not-configured 0:udp 1:tcp 2:tls",
    },
    "configure voip > realm": {
        "is-default": "0:false 1:true",
        "topology-location": "0:down 1:up",
    },
    "configure voip > sbc classification": {
        "action-type": "0:deny 1:allow",
        "src-transport-type": "-1:not-configured 0:udp 1:tcp 2:tls",
    },
    "configure voip > sbc routing ip2ip-routing": {
        "dst-transport-type": "-1:not-configured 0:udp 1:tcp 2:tls",
        "dst-type": ("0:ip-group 1:dest-address 2:request-uri 3:enum 4:hunt-group "
                     "5:dial-plan 6:ldap 7:routing-server 8:gateway 9:ip-group-set 10:internal"),
        "request-type": "0:all 1:invite 2:register 3:subscribe 4:invite-and-register 5:invite-and-subscribe 6:options",
        "trigger": "0:any 1:3xx 2:refer 3:3xx-or-refer 4:initial-only 5:broken-connection 6:fax-rerouting",
    },
    "configure voip > sbc routing-policy": {
        "lcr-default-cost": "0:lowest-cost 1:highest-cost",
        "lcr-enable": "0:disabled 1:enabled",
    },
    "configure voip > sbc settings": {
        "direct-media": "0:disable 1:enable 2:enable-same-nat",
        "enforce-media-order": "0:disable 1:enable",
        "keep-contact-user-in-reg": "0:disable 1:keep-user 2:keep-user-and-host",
        "remove-sips-from-non-sips-uri": "0:false 1:true",
        "sbc-forking-handling-mode": "0:latch-on-first 1:sequential",
        "sbc-preferences": "0:doesnt-include-extensions 1:include-extensions",
    },
    "configure voip > sip-definition proxy-and-registration": {
        "always-use-proxy": "0:disable 1:enable",
        "authentication-mode": "0:per-endpoint 1:per-gateway 3:per-fxs",
        "redundancy-mode": "0:parking 1:homing",
    },
    "configure voip > sip-definition settings": {
        "app-sip-transport-type": "0:udp 1:tcp 2:tls",
        "early-183": "0:disable 1:enable",
        "early-media": "0:disable 1:enable",
        "enable-sips": "0:disable 1:enable",
        "enforce-media-order": "0:disable 1:enable",
        "uri-for-assert-id": "0:sip 1:tel",
    },
    "configure voip > sip-interface": {
        "application-type": "0:gw 1:sas 2:sbc",
        "tcp-keepalive-enable": "0:disable 1:enable",
        "topology-location": "0:down 1:up",
    },
    "configure voip > srd": {
        "block-unreg-users": "0:no 1:yes",
        "enable-un-auth-registrs": "0:disable 1:enable",
        "sbc-operation-mode": "0:b2bua 1:call-stateful-proxy 2:media-proxy",
        "sharing-policy": "0:shared 1:isolated",
    },
    "configure voip > tdm": {
        "pcm-law-select": "1:alaw 3:ulaw",
    },
}


def _choices(values: str) -> dict[str, str]:
    """``"0:off 1:on"`` -> {"0": "off", "off": "off", "1": "on", "on": "on"} (keys folded)."""
    found: dict[str, str] = {}
    for pair in values.split():
        number, name = pair.split(":", 1)
        found[number] = name
        found[name.casefold()] = name
    return found


_CHOICES = {mode: {command: _choices(values) for command, values in commands.items()} for mode, commands in ENUMS.items()}


def mode_key(modes: Iterable[str]) -> str:
    """The ENUMS key of the modes a line is in (outermost first): row indexes dropped, case folded."""
    return " > ".join(" ".join(tokenize(ROW_INDEX.sub("", line))).casefold() for line in modes)


def canonical_line(modes: Iterable[str], line: str) -> str:
    """``line`` as the device prints it when it sets a known enumeration; else ``line`` unchanged."""
    words = tokenize(line)
    if len(words) != 2:
        return line
    choices = _CHOICES.get(mode_key(modes), {}).get(words[0].casefold())
    name = choices.get(words[1].casefold()) if choices else None
    return line if name is None else "{0} {1}".format(words[0].casefold(), name)


def canonicalize(tree: ConfigNode) -> None:
    """Rewrite, in place, the enumerated settings of a cli_config tree the way the device prints them."""
    for node in list(tree.walk()):
        if node.children or node.parent is None:
            continue
        text = canonical_line(node.path[:-1], node.text)
        if text != node.text:
            node.text = text
            node.key = normalize_line(text)
