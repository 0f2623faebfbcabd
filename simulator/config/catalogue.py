"""The global parameters the simulated device knows: real INI names, types, defaults, CLI place.

Each entry: INI name (spelled as devices write it), INI section, type, default, whether a
change needs a device reset, and where it lives in the CLI (mode path + command word).
See docs/simulator-config.md for the mapping and the choices where the real CLI is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from .types import BOOL, ENABLE, IP, ON_OFF, Enum, Int, Str, ValueType

SYSTEM = "SYSTEM Params"
BSP = "BSP Params"
CONTROL = "ControlProtocols Params"
VOICE = "Voice Engine Params"
WEB = "WEB Params"
SIP = "SIP Params"
SNMP = "SNMP Params"

# The order devices write the sections in (empty sections are written too).
SECTIONS = (SYSTEM, BSP, CONTROL, VOICE, WEB, SIP, SNMP)

SYS = "configure system"
NET = "configure network"
VOIP = "configure voip"
TROUBLE = "configure troubleshoot"

# The order `show running-config` prints the top-level blocks in.
TOP_MODES = (SYS, NET, VOIP, TROUBLE)


@dataclass(frozen=True)
class Param:
    name: str
    section: str
    type: ValueType
    default: object
    reset: bool
    mode: tuple  # CLI mode path, e.g. ("configure troubleshoot", "syslog")
    command: str  # CLI command word inside that mode
    description: str = ""


def _p(name, section, vtype, default, mode, command, reset=False, description=""):
    return Param(name, section, vtype, default, reset, mode, command, description)


LOG_LEVELS = Enum("emergency", "alert", "critical", "error", "warning", "notice", "info", "debug")

PARAMETERS: tuple = (
    # ---- system: syslog / logging (CLI: configure troubleshoot) -------------------------
    _p("EnableSyslog", SYSTEM, ON_OFF, 0, (TROUBLE, "syslog"), "syslog", description="send syslog messages"),
    _p("SyslogServerIP", SYSTEM, IP, "0.0.0.0", (TROUBLE, "syslog"), "syslog-ip"),
    _p("SyslogServerPort", SYSTEM, Int(0, 65535), 514, (TROUBLE, "syslog"), "syslog-port-number"),
    _p("SyslogLogLevel", SYSTEM, LOG_LEVELS, 7, (TROUBLE, "syslog"), "log-level"),
    _p("SyslogFacility", SYSTEM, Int(16, 23), 16, (TROUBLE, "syslog"), "facility"),
    _p("SYSLOGOPTIMIZATION", SIP, ENABLE, 0, (TROUBLE, "syslog"), "syslog-optimization"),
    _p("GWDEBUGLEVEL", SIP, Enum("no-debug", "basic", "detailed", values=(0, 1, 5)), 0, (TROUBLE, "syslog"), "debug-level"),
    _p("CDRReportLevel", SYSTEM, Enum("none", "end-call", "start-and-end-call", "connect-and-end-call", "start-and-end-and-connect-call"),
       0, (TROUBLE, "cdr"), "cdr-report-level"),
    _p("CDRSyslogServerIP", SYSTEM, IP, "0.0.0.0", (TROUBLE, "cdr"), "cdr-srvr-ip-adrr"),
    _p("ENABLEPARAMETERSMONITORING", SYSTEM, ENABLE, 0, (TROUBLE, "activity-log"), "parameters-monitoring"),
    _p("EnableActivityTrap", SYSTEM, ENABLE, 0, (TROUBLE, "activity-log"), "activity-trap"),
    # ---- system: time ---------------------------------------------------------------------
    _p("NTPServerIP", SYSTEM, Str(63), "", (SYS, "ntp"), "primary-server"),
    _p("NTPSecondaryServerIP", SYSTEM, Str(63), "", (SYS, "ntp"), "secondary-server"),
    _p("NTPUpdateInterval", SYSTEM, Int(0, 2147483647), 86400, (SYS, "ntp"), "update-interval"),
    _p("NTPServerUTCOffset", SYSTEM, Int(-43200, 43200), 0, (SYS, "clock"), "utc-offset"),
    _p("DayLightSavingTimeEnable", SYSTEM, ENABLE, 0, (SYS, "clock"), "summer-time"),
    _p("DayLightSavingTimeStart", SYSTEM, Str(32), "01:01:00:00", (SYS, "clock"), "summer-time-start"),
    _p("DayLightSavingTimeEnd", SYSTEM, Str(32), "01:01:00:00", (SYS, "clock"), "summer-time-end"),
    # ---- system: management access ----------------------------------------------------------
    _p("TelnetServerEnable", SYSTEM, Enum("disable", "enable", "ssl"), 1, (SYS, "cli-terminal"), "telnet"),
    _p("TelnetServerPort", SYSTEM, Int(1, 65535), 23, (SYS, "cli-terminal"), "telnet-port", reset=True),
    _p("SSHServerEnable", SYSTEM, ENABLE, 0, (SYS, "cli-terminal"), "ssh"),
    _p("SSHServerPort", SYSTEM, Int(1, 65535), 22, (SYS, "cli-terminal"), "ssh-port", reset=True),
    _p("CLIPrivPass", SYSTEM, Str(50), "Admin", (SYS, "cli-terminal"), "privilege-password"),
    _p("LDAPSERVICEENABLE", SYSTEM, ENABLE, 0, (SYS, "ldap settings"), "ldap-service", reset=True),
    _p("LDAPCACHEENABLE", SYSTEM, ENABLE, 0, (SYS, "ldap settings"), "ldap-cache-service"),
    _p("LDAPCACHEENTRYTIMEOUT", SYSTEM, Int(0, 2000000), 1200, (SYS, "ldap settings"), "ldap-cache-entry-timeout"),
    _p("MSLDAPPRIMARYKEY", SIP, Str(49), "telephoneNumber", (SYS, "ldap settings"), "ms-ldap-primary-key"),
    _p("MSLDAPSECONDARYKEY", SIP, Str(49), "", (SYS, "ldap settings"), "ms-ldap-secondary-key"),
    # ---- web (CLI: configure system > web) --------------------------------------------------
    _p("HTTPSOnly", WEB, Enum("http-and-https", "https"), 0, (SYS, "web"), "secured-web-connection", reset=True),
    _p("HTTPport", WEB, Int(1, 65535), 80, (SYS, "web"), "http-port", reset=True),
    _p("HTTPSPort", WEB, Int(1, 65535), 443, (SYS, "web"), "https-port", reset=True),
    _p("HTTPSCipherString", WEB, Str(255), "DEFAULT", (SYS, "web"), "https-cipher-string"),
    _p("HTTPSRequireClientCertificate", WEB, ENABLE, 0, (SYS, "web"), "req-client-cert", reset=True),
    _p("WebSessionTimeout", WEB, Int(0, 100000), 15, (SYS, "web"), "session-timeout"),
    _p("UpLabelName", WEB, Str(40), "Up", (SYS, "web"), "up-label-name"),
    _p("DownLabelName", WEB, Str(40), "Down", (SYS, "web"), "down-label-name"),
    # ---- SNMP (CLI: configure system > snmp ...) -------------------------------------------
    _p("DisableSNMP", SNMP, Enum("no", "yes"), 0, (SYS, "snmp settings"), "disable", reset=True),
    _p("SNMPPort", SNMP, Int(100, 3999), 161, (SYS, "snmp settings"), "port", reset=True),
    _p("SNMPSysContact", SNMP, Str(50), "", (SYS, "snmp settings"), "sys-contact"),
    _p("SNMPSysName", SNMP, Str(50), "", (SYS, "snmp settings"), "sys-name"),
    _p("SNMPSysLocation", SNMP, Str(50), "", (SYS, "snmp settings"), "sys-location"),
    _p("SNMPREADONLYCOMMUNITYSTRING_0", SNMP, Str(19), "", (SYS, "snmp settings"), "ro-community-string"),
    _p("SNMPREADWRITECOMMUNITYSTRING_0", SNMP, Str(19), "", (SYS, "snmp settings"), "rw-community-string"),
    _p("SNMPTRAPCOMMUNITYSTRING", SNMP, Str(19), "", (SYS, "snmp settings"), "trap-community-string"),
    _p("AllowWanSnmp", SYSTEM, ENABLE, 0, (SYS, "snmp settings"), "wan-snmp", reset=True),
) + tuple(
    param
    for index in range(5)
    for param in (
        _p(f"SNMPManagerIsUsed_{index}", SNMP, ENABLE, 0, (SYS, f"snmp trap-destination {index}"), "send-trap"),
        _p(f"SNMPManagerTableIP_{index}", SNMP, IP, "0.0.0.0", (SYS, f"snmp trap-destination {index}"), "ip-address"),
        _p(f"SNMPManagerTrapPort_{index}", SNMP, Int(100, 4000), 162, (SYS, f"snmp trap-destination {index}"), "port"),
    )
) + (
    # ---- network ----------------------------------------------------------------------------
    _p("DefaultPrimaryDnsServerIp", SYSTEM, IP, "0.0.0.0", (NET, "dns settings"), "dns-default-primary-server-ip"),
    _p("DefaultSecondaryDnsServerIp", SYSTEM, IP, "0.0.0.0", (NET, "dns settings"), "dns-default-secondary-server-ip"),
    _p("EnterCpuOverloadPercent", BSP, Int(0, 100), 100, (NET, "network-settings"), "enter-cpu-overload-percent"),
    _p("ExitCpuOverloadPercent", BSP, Int(0, 100), 90, (NET, "network-settings"), "exit-cpu-overload-percent"),
    _p("NatMode", VOICE, Enum("auto-detect", "nat-not-used", "nat-is-used", "disable-nat"), 1, (NET, "network-settings"), "nat-mode"),
    # ---- security ---------------------------------------------------------------------------
    _p("TLSVersion", SYSTEM, Int(0, 15), 0, (NET, "security-settings"), "tls-version"),
    _p("TLSPkeySize", SYSTEM, Enum("1024", "2048", "4096", values=(1024, 2048, 4096)), 2048, (NET, "security-settings"), "tls-pkey-size"),
    _p("TLSReHandshakeInterval", SYSTEM, Int(0, 1500), 0, (NET, "security-settings"), "tls-re-hndshk-int"),
    _p("SIPSRequireClientCertificate", SIP, ENABLE, 0, (NET, "security-settings"), "sips-req-client-cert"),
    _p("ENABLEMEDIASECURITY", VOICE, ENABLE, 0, (VOIP, "media security"), "media-security-enable", reset=True),
    _p("SRTPTxPacketMKISize", VOICE, Int(0, 4), 0, (VOIP, "media security"), "srtp-tx-mki-size"),
    _p("ENABLESYMMETRICMKI", SIP, ENABLE, 0, (VOIP, "media security"), "symmetric-mki"),
    _p("MEDIASECURITYBEHAVIOUR", SIP, Enum("preferable", "mandatory", "disable", "preferable-single-media"), 0,
       (VOIP, "media security"), "media-sec-behavior"),
    # ---- media ------------------------------------------------------------------------------
    _p("PCMLawSelect", BSP, Enum("alaw", "ulaw", values=(1, 3)), 3, (VOIP, "tdm"), "pcm-law-select", reset=True),
    _p("UdpPortSpacing", BSP, Enum("2", "4", "5", "10", values=(2, 4, 5, 10)), 2, (VOIP, "media settings"), "udp-port-spacing", reset=True),
    _p("MEDIACHANNELS", SIP, Int(-1, 30000), -1, (VOIP, "media settings"), "media-channels", reset=True),
    _p("TRANSCODINGMODE", SIP, Enum("only-if-required", "force"), 0, (VOIP, "media settings"), "transcoding-mode"),
    _p("EnableDSPIPMDetectors", VOICE, ENABLE, 0, (VOIP, "media settings"), "dsp-ipm-detectors", reset=True),
    _p("VQMONENABLE", VOICE, ENABLE, 0, (VOIP, "media settings"), "vqmon-enable"),
    _p("RFC2833TxPayloadType", VOICE, Int(96, 127), 96, (VOIP, "media rtp-rtcp"), "rfc2833-tx-payload-type"),
    _p("FaxTransportMode", VOICE, Enum("disable", "relay", "bypass", "events-only"), 1, (VOIP, "media fax-modem"), "fax-transport-mode"),
    # ---- SIP --------------------------------------------------------------------------------
    _p("SIPTRANSPORTTYPE", SIP, Enum("udp", "tcp", "tls"), 0, (VOIP, "sip-definition settings"), "app-sip-transport-type"),
    _p("SIPDESTINATIONPORT", SIP, Int(1, 65535), 5060, (VOIP, "sip-definition settings"), "sip-dst-port"),
    _p("SIPGATEWAYNAME", SIP, Str(49), "", (VOIP, "sip-definition settings"), "gw-name"),
    _p("ENABLEEARLYMEDIA", SIP, ENABLE, 0, (VOIP, "sip-definition settings"), "early-media"),
    _p("ENABLEEARLY183", SIP, ENABLE, 0, (VOIP, "sip-definition settings"), "early-183"),
    _p("ENFORCEMEDIAORDER", SIP, ENABLE, 0, (VOIP, "sip-definition settings"), "enforce-media-order"),
    _p("RETRYAFTERTIME", SIP, Int(0, 3600), 0, (VOIP, "sip-definition settings"), "retry-aftr-time"),
    _p("FAKERETRYAFTER", SIP, Int(0, 1000000), 0, (VOIP, "sip-definition settings"), "fake-retry-after"),
    _p("USETELURIFORASSERTEDID", SIP, Enum("sip", "tel"), 0, (VOIP, "sip-definition settings"), "uri-for-assert-id"),
    _p("ENABLESIPS", SIP, ENABLE, 0, (VOIP, "sip-definition settings"), "enable-sips"),
    _p("PROXYNAME", SIP, Str(49), "", (VOIP, "sip-definition proxy-and-registration"), "proxy-name"),
    _p("ALWAYSSENDTOPROXY", SIP, ENABLE, 0, (VOIP, "sip-definition proxy-and-registration"), "always-use-proxy"),
    _p("PROXYREDUNDANCYMODE", SIP, Enum("parking", "homing"), 0, (VOIP, "sip-definition proxy-and-registration"), "redundancy-mode"),
    _p("AUTHENTICATIONMODE", SIP, Enum("per-endpoint", "per-gateway", "per-fxs", values=(0, 1, 3)), 1,
       (VOIP, "sip-definition proxy-and-registration"), "authentication-mode"),
    # ---- SBC --------------------------------------------------------------------------------
    _p("ENABLESBCAPPLICATION", SIP, ENABLE, 1, (VOIP, "application"), "sbc-app", reset=True),
    _p("SbcPerformanceProfile", BSP, Int(0, 3), 0, (VOIP, "sbc settings"), "sbc-performance-profile", reset=True),
    _p("SBCSessionExpires", SIP, Int(90, 86400), 180, (VOIP, "sbc settings"), "sbc-session-expires"),
    _p("SBCMinSE", SIP, Int(0, 1000000), 90, (VOIP, "sbc settings"), "min-session-expires"),
    _p("SBCMaxForwardsLimit", SIP, Int(1, 70), 10, (VOIP, "sbc settings"), "sbc-max-fwd-limit"),
    _p("SBCUserRegistrationTime", SIP, Int(0, 2000000), 0, (VOIP, "sbc settings"), "sbc-usr-rgstr-time"),
    _p("SBCPREFERENCESMODE", SIP, Enum("doesnt-include-extensions", "include-extensions"), 0, (VOIP, "sbc settings"), "sbc-preferences"),
    _p("SBCFORKINGHANDLINGMODE", SIP, Enum("latch-on-first", "sequential"), 0, (VOIP, "sbc settings"), "sbc-forking-handling-mode"),
    _p("SBCENFORCEMEDIAORDER", SIP, ENABLE, 0, (VOIP, "sbc settings"), "enforce-media-order"),
    _p("SBCKeepContactUserinRegister", SIP, Enum("disable", "keep-user", "keep-user-and-host"), 0, (VOIP, "sbc settings"),
       "keep-contact-user-in-reg"),
    _p("SBCDirectMedia", SIP, Enum("disable", "enable", "enable-same-nat"), 0, (VOIP, "sbc settings"), "direct-media"),
    _p("SBCRemoveSIPSFromNonSIPSURI", SIP, BOOL, 0, (VOIP, "sbc settings"), "remove-sips-from-non-sips-uri"),
)

BY_NAME = {param.name.lower(): param for param in PARAMETERS}


def find(name: str):
    """The parameter whose INI name matches (case-insensitive), or None."""
    return BY_NAME.get(name.strip().lower())
