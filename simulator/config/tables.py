"""The configuration tables the simulated device knows: real INI column names (7.2+ FORMAT),
types, defaults, key columns, references to other tables, and their CLI commands.

A column's ``ref`` names the table it refers to: ``("ProxySet", "ProxyName")`` refers by the
name held in that column of the other table, ``("ProxySet", None)`` by row index (the device
writes it as a quoted number, e.g. ``ProxyIp.ProxySetId``). ``special`` values (``Any``)
and the empty string never refer to anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import ip_profile
from .catalogue import NET, VOIP
from .types import BOOL, ENABLE, IP, Enum, Int, Str, ValueType


@dataclass(frozen=True)
class Column:
    name: str
    type: ValueType
    default: object
    cli: str
    ref: tuple = ()
    special: tuple = ()


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple
    mode: tuple  # CLI mode path where the row command lives
    command: str  # CLI row command (followed by the row index)
    key: str = ""  # the column other tables refer to by name
    max_rows: int = 100
    reset: bool = False
    default_rows: dict = field(default_factory=dict)  # index -> {column: value} (others default)
    # Child tables: (parent table, column linking to the parent, column numbering the child
    # within the parent, the CLI word devices nest under the parent row). See cli.py.
    parent: tuple = ()

    def column(self, name: str):
        """The column whose INI name matches (case-insensitive), or None."""
        return _columns_by_name(self).get(name.lower())

    def column_by_cli(self, word: str):
        for column in self.columns:
            if column.cli == word:
                return column
        return None

    def new_row(self, values=None) -> dict:
        row = {column.name: column.default for column in self.columns}
        row.update(values or {})
        return row


_COLUMN_INDEX: dict = {}


def _columns_by_name(table: Table) -> dict:
    index = _COLUMN_INDEX.get(table.name)
    if index is None:
        index = _COLUMN_INDEX[table.name] = {column.name.lower(): column for column in table.columns}
    return index


def kebab(name: str) -> str:
    """CLI word for an INI column name when no real one is known: ProxySetName -> proxy-set-name."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+|[A-Z]+", name)
    return "-".join(word.lower() for word in words)


def S(name, default="", cli=None, ref=(), special=(), max_length=255):  # pylint: disable=invalid-name
    return Column(name, Str(max_length), default, cli or kebab(name), ref, special)


def N(name, default, minimum, maximum, cli=None):  # pylint: disable=invalid-name
    return Column(name, Int(minimum, maximum), default, cli or kebab(name))


def E(name, default, vtype, cli=None):  # pylint: disable=invalid-name
    return Column(name, vtype, default, cli or kebab(name))


def A(name, default="0.0.0.0", cli=None):  # pylint: disable=invalid-name
    return Column(name, IP, default, cli or kebab(name))


TRANSPORT = Enum("not-configured", "udp", "tcp", "tls", values=(-1, 0, 1, 2))
TOPOLOGY = Enum("down", "up")
APPLICATION_TYPES = Enum("oamp", "media", "control", "oamp-media", "oamp-control", "media-control", "oamp-media-control")
INTERFACE_MODE = Enum("ipv6-manual-prefix", "ipv6-manual", "ipv4-manual", "ipv4-dhcp", values=(3, 4, 10, 11))
IF_REF = ("InterfaceTable", "InterfaceName")
SRD_REF = ("SRD", "Name")
REALM_REF = ("CpMediaRealm", "MediaRealmName")
TLS_REF = ("TLSContexts", "Name")
SIPIF_REF = ("SIPInterface", "InterfaceName")
IPG_REF = ("IPGroup", "Name")
POLICY_REF = ("SBCRoutingPolicy", "Name")
CONDITION_REF = ("ConditionTable", "Name")
NOT_SET = -1

INTERFACE_TABLE = Table(
    "InterfaceTable",
    (
        E("ApplicationTypes", 5, APPLICATION_TYPES, "application-type"),
        E("InterfaceMode", 10, INTERFACE_MODE, "mode"),
        A("IPAddress", cli="ip-address"),
        N("PrefixLength", 24, 0, 128, "prefix-length"),
        A("Gateway", cli="gateway"),
        S("InterfaceName", cli="name", max_length=16),
        A("PrimaryDNSServerIPAddress", cli="primary-dns"),
        A("SecondaryDNSServerIPAddress", cli="secondary-dns"),
        S("UnderlyingDevice", cli="underlying-dev"),
    ),
    (NET,), "interface network-if", key="InterfaceName", max_rows=32,
    default_rows={0: {"ApplicationTypes": 6, "IPAddress": "192.168.0.2", "Gateway": "192.168.0.1",
                      "InterfaceName": "O+M+C", "UnderlyingDevice": "vlan 1"}},
)

TLS_CONTEXTS = Table(
    "TLSContexts",
    (
        S("Name", cli="name", max_length=31),
        N("TLSVersion", 0, 0, 15, "tls-version"),
        N("DTLSVersion", 0, 0, 15, "dtls-version"),
        S("ServerCipherString", "DEFAULT", "ciphers-server"),
        S("ClientCipherString", "DEFAULT", "ciphers-client"),
        E("RequireStrictCert", 0, ENABLE, "require-strict-cert"),
        E("TlsRenegotiation", 1, ENABLE, "tls-renegotiation"),
        E("OcspEnable", 0, ENABLE, "ocsp-server"),
        A("OcspServerPrimary", cli="ocsp-server-primary"),
        A("OcspServerSecondary", cli="ocsp-server-secondary"),
        N("OcspServerPort", 2560, 1, 32767, "ocsp-port"),
        E("OcspDefaultResponse", 0, Enum("reject", "allow"), "ocsp-default-response"),
        E("DHKeySize", 2048, Enum("1024", "2048", "3072", values=(1024, 2048, 3072)), "dh-key-size"),
    ),
    (NET,), "tls", key="Name", max_rows=100,
    default_rows={0: {"Name": "default"}},
)

AUDIO_CODERS_GROUPS = Table(
    "AudioCodersGroups",
    (S("Name", cli="name", max_length=40),),
    (VOIP,), "coders-and-profiles audio-coders-groups", key="Name", max_rows=21,
)

AUDIO_CODERS = Table(
    "AudioCoders",
    (
        S("AudioCodersGroupId", cli="coders-group-name", ref=("AudioCodersGroups", "Name")),
        N("AudioCodersIndex", 0, 0, 9, "coder-index"),
        N("Name", 1, 0, 255, "name"),
        N("pTime", 2, 0, 1000, "p-time"),
        N("rate", 0, 0, 255, "rate"),
        N("PayloadType", NOT_SET, -1, 127, "payload-type"),
        E("Sce", 0, ENABLE, "sce"),
        S("CoderSpecific", cli="coder-specific"),
    ),
    (VOIP,), "coders-and-profiles audio-coders", max_rows=210,
    parent=("AudioCodersGroups", "AudioCodersGroupId", "AudioCodersIndex", "audio-coders"),
)

ALLOWED_AUDIO_CODERS_GROUPS = Table(
    "AllowedAudioCodersGroups",
    (S("Name", cli="name", max_length=40),),
    (VOIP,), "coders-and-profiles allowed-audio-coders-groups", key="Name", max_rows=10,
)

ALLOWED_AUDIO_CODERS = Table(
    "AllowedAudioCoders",
    (
        S("AllowedAudioCodersGroupName", cli="allowed-audio-coders-group-name", ref=("AllowedAudioCodersGroups", "Name")),
        N("AllowedAudioCodersIndex", 0, 0, 9, "allowed-audio-coders-index"),
        N("CoderID", 1, 0, 255, "coder"),
        S("UserDefineCoder", cli="user-define-coder"),
    ),
    (VOIP,), "coders-and-profiles allowed-audio-coders", max_rows=100,
    parent=("AllowedAudioCodersGroups", "AllowedAudioCodersGroupName", "AllowedAudioCodersIndex", "allowed-audio-coders"),
)

MESSAGE_POLICY = Table(
    "MessagePolicy",
    (
        S("Name", cli="name", max_length=40),
        N("MaxMessageLength", NOT_SET, -1, 50000, "max-message-length"),
        N("MaxHeaderLength", NOT_SET, -1, 2048, "max-header-length"),
        N("MaxBodyLength", NOT_SET, -1, 50000, "max-body-length"),
        N("MaxNumHeaders", NOT_SET, -1, 256, "max-num-headers"),
        N("MaxNumBodies", NOT_SET, -1, 8, "max-num-bodies"),
        E("SendRejection", 1, Enum("policy-drop", "policy-reject"), "send-rejection"),
        S("MethodList", cli="method-list"),
        E("MethodListType", 0, Enum("policy-blacklist", "policy-whitelist"), "method-list-type"),
        S("BodyList", cli="body-list"),
        E("BodyListType", 0, Enum("policy-blacklist", "policy-whitelist"), "body-list-type"),
        E("UseMaliciousSignatureDB", 0, ENABLE, "use-malicious-signature-db"),
    ),
    (VOIP,), "message policy", key="Name", max_rows=20,
    default_rows={0: {"Name": "Malicious Signature DB Protection", "UseMaliciousSignatureDB": 1}},
)

IP_PROFILE = Table(
    "IpProfile",
    tuple(
        Column(name, Str() if default == "" else Int(-2147483648, 2147483647), default,
               ip_profile.CLI_WORDS.get(name) or kebab(name), ip_profile.REFERENCES.get(name, ()))
        for name, default in ip_profile.column_specs()
    ),
    (VOIP,), "coders-and-profiles ip-profile", key="ProfileName", max_rows=40,
)

CP_MEDIA_REALM = Table(
    "CpMediaRealm",
    (
        S("MediaRealmName", cli="name", max_length=40),
        S("IPv4IF", cli="ipv4if", ref=IF_REF),
        S("IPv6IF", cli="ipv6if", ref=IF_REF),
        S("RemoteIPv4IF", cli="remote-ipv4if"),
        S("RemoteIPv6IF", cli="remote-ipv6if"),
        N("PortRangeStart", 6000, 0, 65535, "port-range-start"),
        N("MediaSessionLeg", 100, 0, 100000, "session-leg"),
        N("PortRangeEnd", 6999, 0, 65535, "port-range-end"),
        N("TCPPortRangeStart", 0, 0, 65535, "tcp-port-range-start"),
        N("TCPPortRangeEnd", 0, 0, 65535, "tcp-port-range-end"),
        E("IsDefault", 0, BOOL, "is-default"),
        S("QoeProfile", cli="qoe-profile"),
        S("BWProfile", cli="bw-profile"),
        E("TopologyLocation", 0, TOPOLOGY, "topology-location"),
    ),
    (VOIP,), "realm", key="MediaRealmName", max_rows=1024,
    default_rows={0: {"MediaRealmName": "DefaultRealm", "IPv4IF": "O+M+C", "IsDefault": 1}},
)

SBC_ROUTING_POLICY = Table(
    "SBCRoutingPolicy",
    (
        S("Name", cli="name", max_length=40),
        E("LCREnable", 0, Enum("disabled", "enabled"), "lcr-enable"),
        N("LCRAverageCallLength", 1, 0, 10000, "lcr-call-length"),
        E("LCRDefaultCost", 0, Enum("lowest-cost", "highest-cost"), "lcr-default-cost"),
        S("LdapServerGroupName", cli="ldap-srv-group-name"),
    ),
    (VOIP,), "sbc routing-policy", key="Name", max_rows=20,
    default_rows={0: {"Name": "Default_SBCRoutingPolicy"}},
)

SRD = Table(
    "SRD",
    (
        S("Name", cli="name", max_length=40),
        E("BlockUnRegUsers", 0, Enum("no", "yes"), "block-unreg-users"),
        N("MaxNumOfRegUsers", NOT_SET, -1, 1000000, "max-reg-users"),
        E("EnableUnAuthenticatedRegistrations", 1, ENABLE, "enable-un-auth-registrs"),
        E("SharingPolicy", 0, Enum("shared", "isolated"), "sharing-policy"),
        N("UsedByRoutingServer", 0, 0, 1, "used-by-routing-server"),
        E("SBCOperationMode", 0, Enum("b2bua", "call-stateful-proxy", "media-proxy"), "sbc-operation-mode"),
        S("SBCRoutingPolicyName", cli="sbc-routing-policy-name", ref=POLICY_REF),
        S("SBCDialPlanName", cli="sbc-dial-plan-name"),
        S("AdmissionProfile", cli="admission-profile"),
    ),
    (VOIP,), "srd", key="Name", max_rows=500,
    default_rows={0: {"Name": "DefaultSRD", "SBCRoutingPolicyName": "Default_SBCRoutingPolicy"}},
)

SIP_INTERFACE = Table(
    "SIPInterface",
    (
        S("InterfaceName", cli="interface-name", max_length=40),
        S("NetworkInterface", cli="network-interface", ref=IF_REF),
        S("SCTPSecondaryNetworkInterface", cli="sctp-second-network-interface"),
        E("ApplicationType", 0, Enum("gw", "sas", "sbc"), "application-type"),
        N("UDPPort", 5060, 0, 65535, "udp-port"),
        N("TCPPort", 5060, 0, 65535, "tcp-port"),
        N("TLSPort", 5061, 0, 65535, "tls-port"),
        N("SCTPPort", 0, 0, 65535, "sctp-port"),
        S("AdditionalUDPPorts", cli="additional-udp-ports"),
        N("AdditionalUDPPortsMode", 0, 0, 1, "additional-udp-ports-mode"),
        S("SRDName", cli="srd-name", ref=SRD_REF),
        S("MessagePolicyName", cli="message-policy-name", ref=("MessagePolicy", "Name")),
        S("TLSContext", cli="tls-context-name", ref=TLS_REF),
        N("TLSMutualAuthentication", NOT_SET, -1, 1, "tls-mutual-auth"),
        E("TCPKeepaliveEnable", 0, ENABLE, "tcp-keepalive-enable"),
        N("ClassificationFailureResponseType", 500, 0, 699, "classification-fail-response-type"),
        N("PreClassificationManSet", NOT_SET, -1, 19, "pre-classification-manset"),
        N("EncapsulatingProtocol", 0, 0, 1, "encapsulating-protocol"),
        S("MediaRealm", cli="media-realm-name", ref=REALM_REF),
        N("SBCDirectMedia", 0, 0, 3, "sbc-direct-media"),
        N("BlockUnRegUsers", NOT_SET, -1, 1, "block-unreg-users"),
        N("MaxNumOfRegUsers", NOT_SET, -1, 1000000, "max-reg-users"),
        N("EnableUnAuthenticatedRegistrations", NOT_SET, -1, 1, "enable-un-auth-registrs"),
        N("UsedByRoutingServer", 0, 0, 1, "used-by-routing-server"),
        E("TopologyLocation", 0, TOPOLOGY, "topology-location"),
        S("PreParsingManSetName", cli="pre-parsing-man-set-name"),
        S("AdmissionProfile", cli="admission-profile"),
        N("CallSetupRulesSetId", NOT_SET, -1, 31, "call-setup-rules-set-id"),
    ),
    (VOIP,), "sip-interface", key="InterfaceName", max_rows=200,
)

PROXY_SET = Table(
    "ProxySet",
    (
        S("ProxyName", cli="proxy-name", max_length=40),
        E("EnableProxyKeepAlive", 0, Enum("disable", "using-options", "using-register"), "proxy-enable-keep-alive"),
        N("ProxyKeepAliveTime", 60, 5, 2000000, "proxy-keep-alive-time"),
        E("ProxyLoadBalancingMethod", 0, Enum("disable", "round-robin", "random-weights"), "proxy-load-balancing-method"),
        E("IsProxyHotSwap", 0, ENABLE, "is-proxy-hot-swap"),
        S("SRDName", cli="srd-name", ref=SRD_REF),
        E("ClassificationInput", 0, Enum("ip-only", "ip-port-transport"), "classification-input"),
        S("TLSContextName", cli="tls-context-name", ref=TLS_REF),
        E("ProxyRedundancyMode", NOT_SET, Enum("not-configured", "parking", "homing", values=(-1, 0, 1)), "proxy-redundancy-mode"),
        E("DNSResolveMethod", NOT_SET, Enum("not-configured", "a-record", "srv", "naptr", values=(-1, 0, 1, 2)), "dns-resolve-method"),
        S("KeepAliveFailureResp", cli="keepalive-fail-resp"),
        S("GWIPv4SIPInterfaceName", cli="gwipv4-sip-int-name", ref=SIPIF_REF),
        S("SBCIPv4SIPInterfaceName", cli="sbcipv4-sip-int-name", ref=SIPIF_REF),
        S("GWIPv6SIPInterfaceName", cli="gwipv6-sip-int-name", ref=SIPIF_REF),
        S("SBCIPv6SIPInterfaceName", cli="sbcipv6-sip-int-name", ref=SIPIF_REF),
        N("MinActiveServersLB", 1, 1, 15, "min-active-serv-lb"),
        N("SuccessDetectionRetries", 1, 1, 10, "success-detect-retries"),
        N("SuccessDetectionInterval", 10, 1, 100, "success-detect-int"),
        N("FailureDetectionRetransmissions", NOT_SET, -1, 255, "fail-detect-rtx"),
    ),
    (VOIP,), "proxy-set", key="ProxyName", max_rows=650,
    default_rows={0: {"ProxyName": "ProxySet_0", "SRDName": "DefaultSRD"}},
)

IP_GROUP = Table(
    "IPGroup",
    (
        E("Type", 0, Enum("server", "user", "gateway"), "type"),
        S("Name", cli="name", max_length=40),
        S("ProxySetName", cli="proxy-set-name", ref=("ProxySet", "ProxyName")),
        S("VoiceAIConnector", cli="voice-ai-connector"),
        S("SIPGroupName", cli="sip-group-name"),
        S("ContactUser", cli="contact-user"),
        N("SipReRoutingMode", NOT_SET, -1, 2, "sip-re-routing-mode"),
        E("AlwaysUseRouteTable", 0, ENABLE, "always-use-route-table"),
        S("SRDName", cli="srd-name", ref=SRD_REF),
        S("MediaRealm", cli="media-realm-name", ref=REALM_REF),
        S("InternalMediaRealm", cli="internal-media-realm-name", ref=REALM_REF),
        E("ClassifyByProxySet", 1, ENABLE, "classify-by-proxy-set"),
        S("ProfileName", cli="ip-profile-name", ref=("IpProfile", "ProfileName")),
        N("MaxNumOfRegUsers", NOT_SET, -1, 1000000, "max-num-of-reg-users"),
        N("InboundManSet", NOT_SET, -1, 19, "inbound-mesg-manipulation-set"),
        N("OutboundManSet", NOT_SET, -1, 19, "outbound-mesg-manipulation-set"),
        N("RegistrationMode", 0, 0, 3, "registration-mode"),
        N("AuthenticationMode", 0, 0, 2, "authentication-mode"),
        S("MethodList", cli="method-list"),
        N("SBCServerAuthType", NOT_SET, -1, 3, "sbc-server-auth-type"),
        S("OAuthHTTPService", cli="oauth-http-service"),
        E("EnableSBCClientForking", 0, ENABLE, "enable-sbc-client-forking"),
        N("SourceUriInput", NOT_SET, -1, 10, "source-uri-input"),
        N("DestUriInput", NOT_SET, -1, 10, "destination-uri-input"),
        S("ContactName", cli="contact-name"),
        S("Username", cli="username"),
        S("Password", "$1$gQ==", cli="password"),
        N("UUIFormat", 0, 0, 2, "uui-format"),
        S("QOEProfile", cli="qoe-profile"),
        S("BWProfile", cli="bw-profile"),
        E("AlwaysUseSourceAddr", 0, ENABLE, "always-use-source-addr"),
        S("MsgManUserDef1", cli="msg-man-user-defined-string1"),
        S("MsgManUserDef2", cli="msg-man-user-defined-string2"),
        E("SIPConnect", 0, ENABLE, "sip-connect"),
        E("SBCPSAPMode", 0, ENABLE, "sbc-psap-mode"),
        S("DTLSContext", "default", cli="dtls-context", ref=TLS_REF),
        N("CreatedByRoutingServer", 0, 0, 1, "created-by-routing-server"),
        N("UsedByRoutingServer", 0, 0, 1, "used-by-routing-server"),
        N("SBCOperationMode", NOT_SET, -1, 2, "sbc-operation-mode"),
        N("SBCRouteUsingRequestURIPort", 0, 0, 2, "sbc-route-using-request-uri-port"),
        N("SBCKeepOriginalCallID", 0, 0, 1, "sbc-keep-call-id"),
        E("TopologyLocation", 0, TOPOLOGY, "topology-location"),
        S("SBCDialPlanName", cli="sbc-dial-plan-name"),
        N("CallSetupRulesSetId", NOT_SET, -1, 31, "call-setup-rules-set-id"),
        S("Tags", cli="tags"),
        N("SBCUserStickiness", 0, 0, 1, "sbc-user-stickiness"),
        N("UserUDPPortAssignment", 0, 0, 1, "user-udp-port-assignment"),
        S("AdmissionProfile", cli="admission-profile"),
        N("ProxyKeepAliveUsingIPG", 0, 0, 1, "proxy-keepalive-use-ipg"),
        S("SBCAltRouteReasonsSetName", cli="sbc-alt-route-reasons-set"),
        N("TeamsMediaOptimization", 0, 0, 1, "teams-media-optimization"),
        N("TeamsMOInitialBehavior", 0, 0, 1, "teams-mo-initial-behavior"),
        S("SIPSourceHostName", cli="sip-source-host-name"),
    ),
    (VOIP,), "ip-group", key="Name", max_rows=4000,
    default_rows={0: {"Name": "Default_IPG", "ProxySetName": "ProxySet_0", "SRDName": "DefaultSRD"}},
)

PROXY_IP = Table(
    "ProxyIp",
    (
        S("ProxySetId", "0", cli="proxy-set-id", ref=("ProxySet", None)),
        N("ProxyIpIndex", 0, 0, 9, "proxy-ip-index"),
        S("IpAddress", cli="proxy-address"),
        E("TransportType", NOT_SET, TRANSPORT, "transport-type"),
        N("Priority", 0, 0, 65535, "priority"),
        N("Weight", 0, 0, 65535, "weight"),
    ),
    (VOIP,), "proxy-ip", max_rows=6500,
    parent=("ProxySet", "ProxySetId", "ProxyIpIndex", "proxy-ip"),
)

CONDITION_TABLE = Table(
    "ConditionTable",
    (S("Name", cli="name", max_length=40), S("Condition", cli="condition", max_length=800)),
    (VOIP,), "message condition", key="Name", max_rows=500,
)

IP2IP_ROUTING = Table(
    "IP2IPRouting",
    (
        S("RouteName", cli="route-name", max_length=40),
        S("RoutingPolicyName", "Default_SBCRoutingPolicy", cli="routing-policy-name", ref=POLICY_REF),
        S("SrcIPGroupName", "Any", cli="src-ip-group-name", ref=IPG_REF, special=("Any",)),
        S("SrcUsernamePrefix", "*", cli="src-user-name-prefix"),
        S("SrcHost", "*", cli="src-host"),
        S("DestUsernamePrefix", "*", cli="dst-user-name-prefix"),
        S("DestHost", "*", cli="dst-host"),
        E("RequestType", 0, Enum("all", "invite", "register", "subscribe", "invite-and-register", "invite-and-subscribe", "options"),
          "request-type"),
        S("MessageConditionName", cli="message-condition-name", ref=CONDITION_REF),
        S("ReRouteIPGroupName", "Any", cli="re-route-ip-group-name", ref=IPG_REF, special=("Any",)),
        E("Trigger", 0, Enum("any", "3xx", "refer", "3xx-or-refer", "initial-only", "broken-connection", "fax-rerouting"), "trigger"),
        N("CallSetupRulesSetId", NOT_SET, -1, 31, "call-setup-rules-set-id"),
        E("DestType", 0, Enum("ip-group", "dest-address", "request-uri", "enum", "hunt-group", "dial-plan", "ldap",
                              "routing-server", "gateway", "ip-group-set", "internal"), "dst-type"),
        S("DestIPGroupName", cli="dst-ip-group-name", ref=IPG_REF),
        S("DestSIPInterfaceName", cli="dst-sip-interface-name", ref=SIPIF_REF),
        S("DestAddress", cli="dst-address"),
        N("DestPort", 0, 0, 65535, "dst-port"),
        E("DestTransportType", NOT_SET, TRANSPORT, "dst-transport-type"),
        N("AltRouteOptions", 0, 0, 2, "alt-route-options"),
        N("GroupPolicy", 0, 0, 1, "group-policy"),
        S("CostGroup", cli="cost-group"),
        S("DestTags", cli="dest-tags"),
        S("ModifiedDestUserName", cli="modified-dest-user-name"),
        S("SrcTags", cli="src-tags"),
        S("IPGroupSetName", cli="ip-group-set-name"),
        S("RoutingTagName", "default", cli="routing-tag-name"),
        S("InternalAction", cli="internal-action"),
    ),
    (VOIP,), "sbc routing ip2ip-routing", max_rows=3000,
)

CLASSIFICATION = Table(
    "Classification",
    (
        S("ClassificationName", cli="classification-name", max_length=40),
        S("MessageConditionName", cli="message-condition-name", ref=CONDITION_REF),
        S("SRDName", cli="srd-name", ref=SRD_REF),
        S("SrcSIPInterfaceName", cli="src-sip-interface-name", ref=SIPIF_REF),
        S("SrcAddress", cli="src-address"),
        N("SrcPort", 0, 0, 65535, "src-port"),
        E("SrcTransportType", NOT_SET, TRANSPORT, "src-transport-type"),
        S("SrcUsernamePrefix", "*", cli="src-username-prefix"),
        S("SrcHost", "*", cli="src-host"),
        S("DestUsernamePrefix", "*", cli="dst-username-prefix"),
        S("DestHost", "*", cli="dst-host"),
        E("ActionType", 1, Enum("deny", "allow"), "action-type"),
        S("SrcIPGroupName", cli="src-ip-group-name", ref=IPG_REF),
        S("DestRoutingPolicy", cli="dest-routing-policy", ref=POLICY_REF),
        S("IpProfileName", cli="ip-profile-name", ref=("IpProfile", "ProfileName")),
        N("IPGroupSelection", 0, 0, 1, "ip-group-selection"),
        S("IpGroupTagName", "default", cli="ip-group-tag-name"),
    ),
    (VOIP,), "sbc classification", max_rows=2000,
)

MESSAGE_MANIPULATIONS = Table(
    "MessageManipulations",
    (
        S("ManipulationName", cli="manipulation-name", max_length=40),
        N("ManSetID", 0, 0, 19, "manipulation-set-id"),
        S("MessageType", cli="message-type"),
        S("Condition", cli="condition", max_length=800),
        S("ActionSubject", cli="action-subject", max_length=300),
        E("ActionType", 0, Enum("add", "remove", "modify", "add-prefix", "add-suffix", "remove-suffix", "remove-prefix",
                                "normalize", "log"), "action-type"),
        S("ActionValue", cli="action-value", max_length=300),
        E("RowRole", 0, Enum("use-current-condition", "use-previous-condition"), "row-role"),
    ),
    (VOIP,), "message message-manipulations", max_rows=500,
)

# The order devices write the tables in (references point backwards where possible).
TABLES = (
    INTERFACE_TABLE, TLS_CONTEXTS, AUDIO_CODERS_GROUPS, ALLOWED_AUDIO_CODERS_GROUPS, IP_PROFILE, CP_MEDIA_REALM,
    SBC_ROUTING_POLICY, SRD, MESSAGE_POLICY, SIP_INTERFACE, PROXY_SET, IP_GROUP, PROXY_IP, CONDITION_TABLE,
    IP2IP_ROUTING, CLASSIFICATION, MESSAGE_MANIPULATIONS, ALLOWED_AUDIO_CODERS, AUDIO_CODERS,
)

BY_NAME = {table.name.lower(): table for table in TABLES}

# Rows that can never be deleted: (table, index).
PERMANENT_ROWS = {("TLSContexts", 0)}


def find(name: str):
    """The table whose INI name matches (case-insensitive), or None."""
    return BY_NAME.get(name.strip().lower())


def children_of(table_name: str):
    """Tables whose rows belong to a row of ``table_name``."""
    return [table for table in TABLES if table.parent and table.parent[0] == table_name]


def references_to(table_name: str):
    """(table, column) pairs whose column refers to ``table_name``."""
    return [(table, column) for table in TABLES for column in table.columns if column.ref and column.ref[0] == table_name]
